"""Stateful HTTP simulators of multi-port GSM SIM gateways, for tests and demos.

Usage::

    async with Simulator("dinstar", ports=8, auth="digest") as sim:
        print(sim.url, sim.serial)
"""

from .auth import Authenticator, AuthMode
from .core import (
    CallState,
    Credit,
    IncomingSms,
    ModuleType,
    Performance,
    RegState,
    SimCard,
    SimGateway,
    SimPort,
)
from .faults import Fault, FaultInjector, FaultKind
from .server import DIALECTS, RequestRecord, Simulator

__all__ = [
    "DIALECTS",
    "AuthMode",
    "Authenticator",
    "CallState",
    "Credit",
    "Fault",
    "FaultInjector",
    "FaultKind",
    "IncomingSms",
    "ModuleType",
    "Performance",
    "RegState",
    "RequestRecord",
    "SimCard",
    "SimGateway",
    "SimPort",
    "Simulator",
]
