"""Async client for multi-port GSM gateways (Dinstar, Synway SMG, Ejoin).

Home Assistant talks only to `GsmGateway`, `create_gateway` and
`detect_gateway`; each family lives in its own module, and `FAMILIES` lists
them.
"""

from .capabilities import Capability
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
from .families import FAMILIES, create_gateway, detect_gateway
from .gateway import GsmGateway
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

__all__ = [
    "FAMILIES",
    "CallEvent",
    "CallForwardMode",
    "CallRecord",
    "CallState",
    "Capability",
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
