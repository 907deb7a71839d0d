"""Stateful HTTP simulators of multi-port GSM SIM gateways, for tests and demos.

Usage::

    async with Simulator("dinstar", ports=8, auth="digest") as sim:
        print(sim.url, sim.serial)
"""

from .auth import Authenticator, AuthMode
from .dialects import DIALECTS, register_dialect
from .errors import NoPortError, RefusedError
from .faults import Fault, FaultInjector, FaultKind, GatewayMode
from .gateway import SimGateway
from .messaging import Encoding, Outbox, SendRule, segment_count
from .model import (
    CallState,
    Credit,
    ForwardMode,
    GatewayEvent,
    InboxFilter,
    IncomingSms,
    ModuleType,
    Performance,
    RegState,
    SimCard,
    SimPort,
)
from .push import Pusher, PushFaults, PushReceiver, PushRecord
from .records import (
    CallDirection,
    CallRecord,
    DeliveryReport,
    DeviceEvent,
    DevicePower,
    ExceptionEvent,
    HangupParty,
    RegisterChange,
    SmsResult,
    SmsStatus,
    UssdReply,
)
from .server import RequestRecord, Simulator
from .stk import StkAction, StkInput, StkView
from .timeline import Timeline
from .timings import Timings
from .ussd import UssdStatus

__all__ = [
    "DIALECTS",
    "AuthMode",
    "Authenticator",
    "CallDirection",
    "CallRecord",
    "CallState",
    "Credit",
    "DeliveryReport",
    "DeviceEvent",
    "DevicePower",
    "Encoding",
    "ExceptionEvent",
    "Fault",
    "FaultInjector",
    "FaultKind",
    "ForwardMode",
    "GatewayEvent",
    "GatewayMode",
    "HangupParty",
    "InboxFilter",
    "IncomingSms",
    "ModuleType",
    "NoPortError",
    "Outbox",
    "Performance",
    "PushFaults",
    "PushReceiver",
    "PushRecord",
    "Pusher",
    "RefusedError",
    "RegState",
    "RegisterChange",
    "RequestRecord",
    "SendRule",
    "SimCard",
    "SimGateway",
    "SimPort",
    "Simulator",
    "SmsResult",
    "SmsStatus",
    "StkAction",
    "StkInput",
    "StkView",
    "Timeline",
    "Timings",
    "UssdReply",
    "UssdStatus",
    "register_dialect",
    "segment_count",
]
