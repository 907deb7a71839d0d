"""The data model of a gateway: states, SIM cards, ports, counters, inbox entries.

Plain data and the rules that need no more than one object (which states
need a SIM, whether a port is on the network).  Behaviour that takes time or
touches several objects lives with the gateway
(:mod:`gsm_simulator.gateway`) and its services.  Ports and slots are
numbered from 0 here; a dialect maps them to the vendor's numbering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Final

from .records import (
    CallRecord,
    DeliveryReport,
    DeviceEvent,
    ExceptionEvent,
    RegisterChange,
    SmsResult,
    UssdReply,
)
from .timings import utc_now

if TYPE_CHECKING:
    from datetime import datetime

    from .timeline import Timer

MAX_PORTS = 32
MAX_SLOTS = 4
CSQ_UNKNOWN = 99
CSQ_MAX = 31
PIN_ATTEMPTS: Final = 3
DEFAULT_PIN: Final = "1234"
VALIDITY_DAYS: Final = 30
"""Days the generated SIM credit stays valid."""


class RegState(StrEnum):
    """Network registration state of a port."""

    REGISTERED = "registered"
    SEARCHING = "searching"
    NOT_REGISTERED = "not_registered"
    DENIED = "denied"
    NO_SIM = "no_sim"
    PIN_REQUIRED = "pin_required"
    PUK_REQUIRED = "puk_required"
    POWER_OFF = "power_off"
    UNKNOWN = "unknown"


class CallState(StrEnum):
    """Voice call state of a port."""

    IDLE = "idle"
    PROCESSING = "processing"
    RINGING = "ringing"
    ACTIVE = "active"
    ALERTING = "alerting"
    WAITING = "waiting"
    HOLDING = "holding"
    UNKNOWN = "unknown"


class ModuleType(StrEnum):
    """Radio module technology of a port."""

    GSM = "GSM"
    CDMA = "CDMA"
    WCDMA = "WCDMA"
    LTE = "LTE"
    UNKNOWN = "UNKNOWN"


class ForwardMode(StrEnum):
    """Call forwarding conditions (GSM supplementary services)."""

    UNCONDITIONAL = "Unconditional"
    NO_REPLY = "NoReply"
    BUSY = "Busy"
    NOT_REACHABLE = "Not_Reachable"


class InboxFilter(StrEnum):
    """Which received messages a query wants."""

    UNREAD = "unread"
    READ = "read"
    ALL = "all"


NETWORK_STATES: Final = frozenset(
    {
        RegState.REGISTERED,
        RegState.SEARCHING,
        RegState.NOT_REGISTERED,
        RegState.DENIED,
        RegState.UNKNOWN,
    }
)
"""States in which the SIM can be read and the port may come back on its own."""
SIM_STATES: Final = frozenset(
    {
        RegState.REGISTERED,
        RegState.SEARCHING,
        RegState.NOT_REGISTERED,
        RegState.DENIED,
        RegState.PIN_REQUIRED,
        RegState.PUK_REQUIRED,
    }
)
"""States that only make sense with a SIM in the active slot."""


def needs_sim(state: RegState) -> bool:
    """Whether a port can only be in ``state`` with a SIM in its active slot."""
    return state in SIM_STATES


def check_range(name: str, value: int, low: int, high: int) -> None:
    """Raise :class:`ValueError` unless ``low <= value <= high``."""
    if not low <= value <= high:
        msg = f"{name} must be between {low} and {high}, got {value}"
        raise ValueError(msg)


def _default_validity() -> date:
    return utc_now().date() + timedelta(days=VALIDITY_DAYS)


@dataclass(slots=True)
class SimCard:
    """A SIM card sitting in one slot of a port.

    ``balance`` is the operator's prepaid credit (USSD, STK); ``pin`` and
    ``pin_enabled`` model the PIN lock: three wrong PINs leave the SIM
    wanting its PUK.  ``call_forwarding`` is what the network has stored for
    the subscriber (condition name -> number).
    """

    imsi: str
    iccid: str
    number: str
    smsc: str
    operator: str
    balance: float = 10.0
    valid_until: date = field(default_factory=_default_validity)
    pin: str = DEFAULT_PIN
    pin_enabled: bool = False
    pin_attempts: int = PIN_ATTEMPTS
    has_stk: bool = True
    call_forwarding: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Credit:
    """Usage limits configured on the gateway for a port (not the SIM balance)."""

    remain_credit: float = 1000.0
    remain_monthly_credit: float = 500.0
    remain_daily_credit: float = 300.0
    remain_daily_call_time: int = 100
    remain_hourly_call_time: int = 10
    remain_daily_connect: int = 100


@dataclass(slots=True)
class SimPort:
    """One radio port (module) of the gateway with its SIM slots."""

    index: int
    module_type: ModuleType
    imei: str
    slots: list[SimCard | None]
    active_slot: int = 0
    registration: RegState = RegState.REGISTERED
    call_state: CallState = CallState.IDLE
    signal: int = 20
    base_signal: int = 20
    gprs_attached: bool = True
    credit: Credit = field(default_factory=Credit)
    credit_limits: Credit = field(default_factory=Credit)
    call_steps_left: int = 0
    pending_registration: RegState | None = None
    pending_steps: int | None = 0
    """Drift steps until the pending registration; ``None``: only its timer counts."""
    pending_timer: Timer | None = field(default=None, repr=False)
    blocked: bool = False
    """Left out when the gateway picks ports for sending."""
    next_ref: int = 0
    """Message reference (TP-MR) of the next SMS segment, 0..255."""
    register_sequence: int = 0
    call_forward_report: dict[str, str] | None = None
    """What the last call-forward check found; ``None`` before any check."""

    @property
    def registered(self) -> bool:
        """Whether the port is on the network."""
        return self.registration is RegState.REGISTERED

    @property
    def in_call(self) -> bool:
        """Whether a call occupies the port."""
        return self.call_state is not CallState.IDLE

    @property
    def sim(self) -> SimCard | None:
        """The SIM card in the active slot, if any."""
        return self.slots[self.active_slot]

    @property
    def sim_readable(self) -> bool:
        """Whether the module can read the SIM's IMSI (no PIN/PUK lock, powered on)."""
        return self.sim is not None and self.registration in NETWORK_STATES


@dataclass(slots=True)
class Performance:
    """Device performance counters: cpu in percent, sizes in KiB."""

    cpu_used: int = 20
    flash_total: int = 27648
    flash_used: int = 17428
    memory_total: int = 109448
    memory_cached: int = 34192
    memory_buffers: int = 0
    memory_used: int = 50520

    @property
    def memory_free(self) -> int:
        """Free memory, always ``memory_total - memory_used``."""
        return self.memory_total - self.memory_used


@dataclass(slots=True)
class IncomingSms:
    """A message in the gateway's inbox."""

    sms_id: int
    port: int
    number: str
    smsc: str
    timestamp: datetime
    text: str
    read: bool = False


type GatewayEvent = (
    IncomingSms
    | SmsResult
    | DeliveryReport
    | UssdReply
    | RegisterChange
    | CallRecord
    | DeviceEvent
    | ExceptionEvent
)
"""Everything the gateway tells its listeners about."""
