"""Async client for multi-port GSM gateways (Dinstar, Synway SMG, Ejoin).

Home Assistant talks only to `GsmGateway`, `create_gateway` and
`detect_gateway`; each vendor lives in its own module and registers itself.
"""

from . import dinstar as _dinstar  # noqa: F401  (registers the vendor)
from .exceptions import (
    GatewayAuthenticationError,
    GatewayCommandError,
    GatewayConnectionError,
    GatewayError,
    GatewayNotRecognizedError,
    GatewayResponseError,
    GatewayTimeoutError,
)
from .gateway import GATEWAY_CLASSES, GsmGateway, create_gateway, detect_gateway
from .models import (
    ApiFamily,
    CallState,
    DeviceStatus,
    GatewayInfo,
    NetworkType,
    Port,
    PortCredits,
    Registration,
    csq_to_dbm,
)
from .transport import ConnectionConfig

__all__ = [
    "GATEWAY_CLASSES",
    "ApiFamily",
    "CallState",
    "ConnectionConfig",
    "DeviceStatus",
    "GatewayAuthenticationError",
    "GatewayCommandError",
    "GatewayConnectionError",
    "GatewayError",
    "GatewayInfo",
    "GatewayNotRecognizedError",
    "GatewayResponseError",
    "GatewayTimeoutError",
    "GsmGateway",
    "NetworkType",
    "Port",
    "PortCredits",
    "Registration",
    "create_gateway",
    "csq_to_dbm",
    "detect_gateway",
]
