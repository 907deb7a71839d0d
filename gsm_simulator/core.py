"""The vendor-neutral, stateful gateway model in one namespace.

The model lives in focused modules; this one gathers their public names so
that ``from gsm_simulator.core import SimGateway`` (and the rest) keeps
working:

* :mod:`~gsm_simulator.model`: states, SIM cards, ports, counters, inbox entries
* :mod:`~gsm_simulator.timings`: the gateway clock, drift step and durations
* :mod:`~gsm_simulator.identity`: serials, MAC, IMEIs, SIM cards, generated ports
* :mod:`~gsm_simulator.registration`: how ports join and leave the network
* :mod:`~gsm_simulator.calls`: call records, calls of the drift, call forwarding
* :mod:`~gsm_simulator.inbox`: received messages
* :mod:`~gsm_simulator.drift`: signal, performance and usage limits over time
* :mod:`~gsm_simulator.ports`: port lookup and per-port operations
* :mod:`~gsm_simulator.gateway`: :class:`SimGateway`, which ties them together
"""

from __future__ import annotations

from .calls import CALL_COST, SIP_PEER_IP
from .gateway import SimGateway
from .identity import (
    DINSTAR_OUI,
    OPERATORS,
    Operator,
    luhn_check_digit,
    luhn_valid,
)
from .model import (
    CSQ_MAX,
    CSQ_UNKNOWN,
    DEFAULT_PIN,
    MAX_PORTS,
    MAX_SLOTS,
    PIN_ATTEMPTS,
    VALIDITY_DAYS,
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
    needs_sim,
)
from .timings import STEP_SECONDS, STEPS_PER_DAY, STEPS_PER_HOUR, Timings, utc_now

__all__ = [
    "CALL_COST",
    "CSQ_MAX",
    "CSQ_UNKNOWN",
    "DEFAULT_PIN",
    "DINSTAR_OUI",
    "MAX_PORTS",
    "MAX_SLOTS",
    "OPERATORS",
    "PIN_ATTEMPTS",
    "SIP_PEER_IP",
    "STEPS_PER_DAY",
    "STEPS_PER_HOUR",
    "STEP_SECONDS",
    "VALIDITY_DAYS",
    "CallState",
    "Credit",
    "ForwardMode",
    "GatewayEvent",
    "InboxFilter",
    "IncomingSms",
    "ModuleType",
    "Operator",
    "Performance",
    "RegState",
    "SimCard",
    "SimGateway",
    "SimPort",
    "Timings",
    "luhn_check_digit",
    "luhn_valid",
    "needs_sim",
    "utc_now",
]
