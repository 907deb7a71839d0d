"""Async client for multi-port GSM gateways (Dinstar, Synway SMG, Ejoin).

Home Assistant talks only to `GsmGateway`, `create_gateway` and
`detect_gateway`; each vendor lives in its own module and registers itself.
"""

import importlib
import pkgutil

from .exceptions import (
    GatewayAuthenticationError,
    GatewayCommandError,
    GatewayConnectionError,
    GatewayError,
    GatewayNotRecognizedError,
    GatewayNotSupportedError,
    GatewayResponseError,
    GatewayTimeoutError,
)
from .gateway import GATEWAY_CLASSES, GsmGateway, create_gateway, detect_gateway
from .models import (
    CallEvent,
    CallForwardMode,
    CallRecord,
    CallState,
    DeviceEvent,
    DeviceStatus,
    GatewayInfo,
    IncomingSms,
    NetworkType,
    OutgoingSms,
    Port,
    PortCredits,
    Push,
    PushEvent,
    Registration,
    RegistrationChange,
    SendResult,
    SmsReport,
    SmsState,
    StkItem,
    StkView,
    UssdReply,
    UssdStatus,
    csq_to_dbm,
)
from .sms import SmsEncoding, plan_sms
from .transport import ConnectionConfig

# Every other module of this package is a vendor: importing it registers it.
_CORE_MODULES = {"exceptions", "gateway", "models", "sms", "transport"}
for _module in pkgutil.iter_modules(__path__):
    if _module.name not in _CORE_MODULES:
        importlib.import_module(f"{__name__}.{_module.name}")

__all__ = [
    "GATEWAY_CLASSES",
    "CallEvent",
    "CallForwardMode",
    "CallRecord",
    "CallState",
    "ConnectionConfig",
    "DeviceEvent",
    "DeviceStatus",
    "GatewayAuthenticationError",
    "GatewayCommandError",
    "GatewayConnectionError",
    "GatewayError",
    "GatewayInfo",
    "GatewayNotRecognizedError",
    "GatewayNotSupportedError",
    "GatewayResponseError",
    "GatewayTimeoutError",
    "GsmGateway",
    "IncomingSms",
    "NetworkType",
    "OutgoingSms",
    "Port",
    "PortCredits",
    "Push",
    "PushEvent",
    "Registration",
    "RegistrationChange",
    "SendResult",
    "SmsEncoding",
    "SmsReport",
    "SmsState",
    "StkItem",
    "StkView",
    "UssdReply",
    "UssdStatus",
    "create_gateway",
    "csq_to_dbm",
    "detect_gateway",
    "plan_sms",
]
