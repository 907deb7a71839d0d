"""Vendor-neutral, stateful model of a multi-port GSM gateway.

The model knows nothing about HTTP or any vendor's wire format: a dialect
(for example :mod:`gsm_simulator.dinstar`) renders it.  Ports are numbered
from 0 here; a dialect maps them to the vendor's numbering.

Everything random comes from one seedable :class:`random.Random`, so the same
seed and the same sequence of calls always give the same data.

What takes time on a real unit (sending, USSD answers, registering) is
scheduled on the gateway's :class:`~gsm_simulator.timeline.Timeline`; what
happens is handed to :attr:`SimGateway.listeners` as the records of
:mod:`gsm_simulator.records` (the simulator turns them into pushes).  The
services live in their own modules: :mod:`~gsm_simulator.messaging` (outgoing
SMS), :mod:`~gsm_simulator.ussd` and :mod:`~gsm_simulator.stk`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
import hashlib
import math
import random
from typing import TYPE_CHECKING, Final

from .errors import RefusedError
from .messaging import Outbox
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
    UssdReply,
)
from .stk import StkService
from .timeline import Timeline, Timer, TimerGroup
from .ussd import UssdService

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

STEP_SECONDS = 5
"""Gateway time one :meth:`SimGateway.tick` step stands for."""
STEPS_PER_HOUR = 3600 // STEP_SECONDS
STEPS_PER_DAY = 24 * STEPS_PER_HOUR
CALL_COST = 0.1
"""Credit one simulated call uses up."""
MAX_PORTS = 32
MAX_SLOTS = 4
CSQ_UNKNOWN = 99
CSQ_MAX = 31
PIN_ATTEMPTS: Final = 3
DEFAULT_PIN: Final = "1234"
VALIDITY_DAYS: Final = 30
"""Days the generated SIM credit stays valid."""
SIP_PEER_IP: Final = "192.0.2.10"
"""The VoIP peer of simulated calls (a documentation address, never contacted)."""
DINSTAR_OUI: Final = "F8-A0-3D"


def utc_now() -> datetime:
    """The gateway's clock: now in UTC, whole seconds (the wire formats have no more)."""
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(slots=True)
class Timings:
    """How long things take, in (time-scaled) seconds."""

    send_time: float = 6.5
    """One SMS on one port (the spec's FAQ: 5-8 s on GSM)."""
    delivery_delay: float = 3.0
    """From a sent SMS to its status reports."""
    ussd_delay: float = 2.0
    """From a USSD request (or a call-forward check) to the network's answer."""
    register_delay: float = 10.0
    """A module searching the network before it registers (reset, power on, slot)."""
    stk_delay: float = 0.5
    """The SIM answering a toolkit action with its next frame."""

    def __post_init__(self) -> None:
        """Refuse negative durations."""
        for name in (
            "send_time",
            "delivery_delay",
            "ussd_delay",
            "register_delay",
            "stk_delay",
        ):
            if getattr(self, name) < 0:
                msg = f"{name} must not be negative"
                raise ValueError(msg)


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


# States in which the SIM can be read and the port may come back on its own.
_NETWORK_STATES = frozenset(
    {
        RegState.REGISTERED,
        RegState.SEARCHING,
        RegState.NOT_REGISTERED,
        RegState.DENIED,
        RegState.UNKNOWN,
    }
)
# States that only make sense with a SIM in the active slot.
_SIM_STATES = frozenset(
    {
        RegState.REGISTERED,
        RegState.SEARCHING,
        RegState.NOT_REGISTERED,
        RegState.DENIED,
        RegState.PIN_REQUIRED,
        RegState.PUK_REQUIRED,
    }
)


def needs_sim(state: RegState) -> bool:
    """Whether a port can only be in ``state`` with a SIM in its active slot."""
    return state in _SIM_STATES


@dataclass(frozen=True, slots=True)
class Operator:
    """A mobile network operator: the SIM data generator draws from these."""

    name: str
    mcc: str
    mnc: str
    smsc: str


OPERATORS: tuple[Operator, ...] = (
    Operator("Vodafone UK", "234", "15", "+447785016005"),
    Operator("O2 UK", "234", "10", "+447802000332"),
    Operator("EE", "234", "30", "+447958879879"),
    Operator("Three UK", "234", "20", "+447782000800"),
)

# Type allocation codes (first 8 IMEI digits) of modules, per technology.
_TACS: dict[ModuleType, str] = {
    ModuleType.GSM: "35896704",
    ModuleType.LTE: "86307001",
}


def luhn_check_digit(digits: str) -> str:
    """Return the Luhn check digit that completes ``digits``."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    """Tell whether ``number`` (digits only) ends with a valid Luhn check digit."""
    return (
        len(number) > 1
        and number.isdigit()
        and luhn_check_digit(number[:-1]) == number[-1]
    )


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
        return self.sim is not None and self.registration in _NETWORK_STATES


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


class SimGateway:
    """The whole gateway: identity, ports, counters, inbox and services.

    ``tick()`` advances the simulation by whole steps of :data:`STEP_SECONDS`
    gateway seconds: signal wanders, calls start and end and use up the
    port's call limits (refilled every gateway hour and day), cpu and memory
    move, the synthetic SMS backlog (:meth:`queue_sms`) drains one message
    per step, ports that are coming back after a reboot register.

    ``timeline`` (default: a manual one) carries what takes time; ``clock``
    (default: UTC now) stamps records.
    """

    def __init__(
        self,
        *,
        ports: int = 8,
        slots: int = 1,
        seed: int = 0,
        serial: str | None = None,
        timings: Timings | None = None,
        timeline: Timeline | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """Build a gateway with ``ports`` ports of ``slots`` SIM slots each."""
        _check_range("ports", ports, 1, MAX_PORTS)
        _check_range("slots", slots, 1, MAX_SLOTS)
        self.rng = random.Random(seed)  # noqa: S311 - simulation data, not security
        self.seed = seed
        self.slot_count = slots
        self.clock = clock
        self.timings = timings if timings is not None else Timings()
        self.timeline = timeline if timeline is not None else Timeline.manual()
        self.listeners: list[Callable[[GatewayEvent], None]] = []
        self.ip_address = "127.0.0.1"
        """Reported in device events (the simulator sets its own address)."""
        self.serial = serial if serial is not None else self._make_serial()
        self.ports: list[SimPort] = [self._make_port(index) for index in range(ports)]
        self.performance = Performance()
        self.sms_queue = 0
        self.inbox: list[IncomingSms] = []
        self.calls: list[CallRecord] = []
        self.steps = 0
        self.boot_count = 1
        self._next_sms_id = 1
        self._timers = TimerGroup(self.timeline)
        self.outbox = Outbox(self)
        self.ussd = UssdService(self)
        self.stk = StkService(self)

    # ----------------------------------------------------------------- identity
    @property
    def multi_sim(self) -> bool:
        """Whether the ports have more than one SIM slot."""
        return self.slot_count > 1

    @property
    def port_count(self) -> int:
        """Number of ports currently present."""
        return len(self.ports)

    @property
    def mac(self) -> str:
        """The MAC address, derived from the serial (Dinstar's OUI)."""
        digest = hashlib.sha256(self.serial.encode()).hexdigest().upper()
        return "-".join([DINSTAR_OUI, digest[0:2], digest[2:4], digest[4:6]])

    def port(self, index: int) -> SimPort:
        """Return port ``index`` (0-based) or raise :class:`IndexError`."""
        if not 0 <= index < len(self.ports):
            msg = f"no port {index} (gateway has {len(self.ports)})"
            raise IndexError(msg)
        return self.ports[index]

    def port_or_none(self, index: int) -> SimPort | None:
        """Return port ``index``, or ``None`` if the gateway has no such port."""
        return self.ports[index] if 0 <= index < len(self.ports) else None

    @property
    def queue_length(self) -> int:
        """Messages waiting to be sent: the outbox plus the synthetic backlog."""
        return self.sms_queue + self.outbox.pending

    # ---------------------------------------------------------------- events
    def emit(self, event: GatewayEvent) -> None:
        """Hand ``event`` to every listener."""
        for listener in list(self.listeners):
            listener(event)

    # ------------------------------------------------------------ generation
    def _digits(self, count: int) -> str:
        return "".join(str(self.rng.randrange(10)) for _ in range(count))

    def _make_serial(self) -> str:
        groups = [f"{self.rng.randrange(0x10000):04x}" for _ in range(3)]
        return "-".join(["dc00", *groups])

    def make_imei(self, module_type: ModuleType) -> str:
        """Generate an IMEI with a plausible TAC and a valid Luhn digit."""
        body = _TACS.get(module_type, _TACS[ModuleType.GSM]) + self._digits(6)
        return body + luhn_check_digit(body)

    def make_sim(self, operator: Operator | None = None) -> SimCard:
        """Generate a SIM card of ``operator`` (random when omitted)."""
        op = operator if operator is not None else self.rng.choice(OPERATORS)
        imsi = op.mcc + op.mnc + self._digits(10)
        iccid_body = "8944" + op.mnc.rjust(2, "0") + self._digits(13)
        iccid = iccid_body + luhn_check_digit(iccid_body)
        # Some SIMs do not store their own number: the gateway then reports "".
        number = "" if self.rng.random() < 0.15 else "+4479" + self._digits(8)
        return SimCard(
            imsi=imsi,
            iccid=iccid,
            number=number,
            smsc=op.smsc,
            operator=op.name,
            # Derived, not drawn, so that the random sequence stays as it was.
            balance=int(imsi[-4:]) / 100,
            valid_until=self.clock().date() + timedelta(days=VALIDITY_DAYS),
        )

    def _make_port(self, index: int) -> SimPort:
        module_type = ModuleType.LTE if (index // 2) % 2 else ModuleType.GSM
        imei = self.make_imei(module_type)
        slots: list[SimCard | None] = [self.make_sim()]
        slots.extend(
            self.make_sim() if self.rng.random() < 0.6 else None
            for _ in range(self.slot_count - 1)
        )
        base = self.rng.randint(12, 28)
        daily_minutes = self.rng.choice((60, 100, 120))
        port = SimPort(
            index=index,
            module_type=module_type,
            imei=imei,
            slots=slots,
            signal=base,
            base_signal=base,
            credit=Credit(remain_daily_call_time=daily_minutes),
            credit_limits=Credit(remain_daily_call_time=daily_minutes),
        )
        # A realistic mix: in every group of eight ports one has no SIM and
        # one keeps searching for a network.
        if index % 8 == 3:
            port.slots = [None] * self.slot_count
            self._apply_registration(port, RegState.NO_SIM, emit=False)
        elif index % 8 == 6:
            port.base_signal = self.rng.randint(2, 8)
            port.signal = port.base_signal
            self._apply_registration(port, RegState.SEARCHING, emit=False)
        return port

    # --------------------------------------------------------------- control
    def _apply_registration(
        self, port: SimPort, state: RegState, *, emit: bool = True
    ) -> None:
        """Put ``port`` in ``state``; joining or leaving the network is an event."""
        was_up = port.registered
        port.registration = state
        port.pending_registration = None
        port.pending_steps = 0
        if port.pending_timer is not None:
            port.pending_timer.cancel()
            port.pending_timer = None
        if emit and was_up != port.registered:
            self._emit_register(port)
        if state is RegState.REGISTERED:
            port.gprs_attached = True
            if port.signal in {0, CSQ_UNKNOWN}:
                port.signal = port.base_signal
            return
        port.gprs_attached = False
        port.call_state = CallState.IDLE
        port.call_steps_left = 0
        if state in {RegState.NO_SIM, RegState.POWER_OFF}:
            port.signal = 0

    def _emit_register(self, port: SimPort) -> None:
        port.register_sequence += 1
        sim = port.sim
        readable = sim if port.sim_readable else None
        self.emit(
            RegisterChange(
                port=port.index,
                up=port.registered,
                iccid=readable.iccid if readable else "",
                imsi=readable.imsi if readable else "",
                number=sim.number if sim else "",
                sequence=port.register_sequence,
                slot=port.active_slot,
            )
        )

    def _start_registration(
        self,
        port: SimPort,
        target: RegState,
        *,
        delay: float | None = None,
        steps: int | None = None,
        emit: bool = True,
    ) -> None:
        """Make ``port`` search the network and reach ``target`` later.

        It gets there after ``delay`` seconds (default: the register delay)
        or, if ``steps`` is given, after that many drift steps if sooner.
        """
        self._apply_registration(port, RegState.SEARCHING, emit=emit)
        if target is RegState.SEARCHING:
            return
        port.pending_registration = target
        port.pending_steps = steps
        wait = self.timings.register_delay if delay is None else delay
        port.pending_timer = self.timeline.call_later(
            wait, lambda: self._complete_registration(port)
        )

    def _complete_registration(self, port: SimPort) -> None:
        port.pending_timer = None
        if port.pending_registration is not None and port in self.ports:
            self._apply_registration(port, port.pending_registration)

    @staticmethod
    def _boot_state(sim: SimCard) -> RegState:
        """Where a module with ``sim`` ends up once it has started."""
        if sim.pin_attempts <= 0:
            return RegState.PUK_REQUIRED
        if sim.pin_enabled:
            return RegState.PIN_REQUIRED
        return RegState.REGISTERED

    def _boot_module(self, port: SimPort) -> None:
        if port.sim is None:
            self._apply_registration(port, RegState.NO_SIM)
        else:
            self._start_registration(port, self._boot_state(port.sim))

    def set_registration(self, index: int, state: RegState | str) -> None:
        """Force the registration state of port ``index``.

        Every state but ``no_sim``, ``power_off`` and ``unknown`` needs a SIM
        in the active slot (:class:`ValueError` otherwise).  Leaving the registered
        state detaches GPRS and ends any call; ``no_sim`` and ``power_off`` also
        drop the signal to 0.
        """
        port = self.port(index)
        new_state = RegState(state)
        if needs_sim(new_state) and port.sim is None:
            msg = f"port {index} has no SIM in slot {port.active_slot}"
            raise ValueError(msg)
        self._apply_registration(port, new_state)

    def set_signal(self, index: int, csq: int) -> None:
        """Set the signal of port ``index`` (CSQ 0..31, or 99 for unknown)."""
        if csq != CSQ_UNKNOWN:
            _check_range("csq", csq, 0, CSQ_MAX)
        port = self.port(index)
        port.signal = csq
        if csq != CSQ_UNKNOWN:
            port.base_signal = csq

    def set_call_state(self, index: int, state: CallState | str) -> None:
        """Set the call state of port ``index``; the drift leaves it alone until idle."""
        port = self.port(index)
        port.call_state = CallState(state)
        port.call_steps_left = 0

    def remove_sim(self, index: int, slot: int | None = None) -> None:
        """Take the SIM out of ``slot`` (default: the active slot) of port ``index``.

        The port then has no SIM, unless its module is off: it finds out when
        switched on.
        """
        port = self.port(index)
        slot_index = port.active_slot if slot is None else slot
        _check_range("slot", slot_index, 0, self.slot_count - 1)
        port.slots[slot_index] = None
        if (
            slot_index == port.active_slot
            and port.registration is not RegState.POWER_OFF
        ):
            self._apply_registration(port, RegState.NO_SIM)

    def insert_sim(
        self, index: int, slot: int | None = None, card: SimCard | None = None
    ) -> SimCard:
        """Put a SIM (generated when ``card`` is omitted) into a slot of port ``index``.

        A SIM inserted into the active slot registers at once (a module that
        is off registers it once switched on).
        """
        port = self.port(index)
        slot_index = port.active_slot if slot is None else slot
        _check_range("slot", slot_index, 0, self.slot_count - 1)
        new_card = card if card is not None else self.make_sim()
        port.slots[slot_index] = new_card
        if (
            slot_index == port.active_slot
            and port.registration is not RegState.POWER_OFF
        ):
            if port.registered:  # another SIM replaced: it leaves first
                self._apply_registration(port, RegState.SEARCHING)
            self._apply_registration(port, RegState.REGISTERED)
        return new_card

    def set_balance(self, index: int, amount: float) -> None:
        """Set the prepaid credit of the SIM in port ``index``'s active slot.

        What the balance codes answer and the toolkit shows from then on;
        :class:`ValueError` without a SIM or for a non-finite amount.
        """
        sim = self.port(index).sim
        if sim is None:
            msg = f"port {index} has no SIM"
            raise ValueError(msg)
        if not math.isfinite(amount):
            msg = f"balance must be a finite number, got {amount!r}"
            raise ValueError(msg)
        sim.balance = round(float(amount), 2)

    def set_active_slot(self, index: int, slot: int) -> None:
        """Switch port ``index`` to SIM ``slot``; it registers if a SIM is there."""
        port = self.port(index)
        _check_range("slot", slot, 0, self.slot_count - 1)
        if slot != port.active_slot and port.registered:
            self._apply_registration(port, RegState.SEARCHING)  # the old SIM leaves
        port.active_slot = slot
        self._apply_registration(
            port, RegState.REGISTERED if port.sim is not None else RegState.NO_SIM
        )

    def set_port_count(self, count: int) -> None:
        """Grow or shrink the gateway to ``count`` ports (as after a hardware change)."""
        _check_range("ports", count, 1, MAX_PORTS)
        for port in self.ports[count:]:
            if port.pending_timer is not None:
                port.pending_timer.cancel()
        self.outbox.drop_ports(count)
        del self.ports[count:]
        self.ports.extend(
            self._make_port(index) for index in range(len(self.ports), count)
        )

    def queue_sms(self, count: int = 1) -> None:
        """Add ``count`` messages to the send queue; each step sends one."""
        _check_range("count", count, 0, 10_000)
        self.sms_queue += count

    def receive_sms(
        self,
        port: int,
        number: str,
        text: str,
        timestamp: datetime | None = None,
        *,
        push: bool = True,
    ) -> IncomingSms:
        """Store a message received on ``port`` in the inbox with the next id.

        A naive ``timestamp`` is taken as UTC.  With ``push`` the message is
        also an event (the simulator pushes it).
        """
        sim = self.port(port).sim
        moment = timestamp if timestamp is not None else self.clock()
        sms = IncomingSms(
            sms_id=self._next_sms_id,
            port=port,
            number=number,
            smsc=sim.smsc if sim is not None else "",
            timestamp=_as_utc(moment),
            text=text,
        )
        self._next_sms_id += 1
        self.inbox.append(sms)
        if push:
            self.emit(sms)
        return sms

    def read_inbox(
        self,
        *,
        after_id: int = 0,
        which: InboxFilter | str = InboxFilter.UNREAD,
        ports: Iterable[int] | None = None,
        mark_read: bool = False,
    ) -> list[IncomingSms]:
        """Messages with an id above ``after_id`` (on ``ports``), optionally marked read."""
        wanted = InboxFilter(which)
        port_set = None if ports is None else set(ports)
        picked = [
            sms
            for sms in self.inbox
            if sms.sms_id > after_id
            and (port_set is None or sms.port in port_set)
            and (wanted is InboxFilter.ALL or sms.read == (wanted is InboxFilter.READ))
        ]
        if mark_read:
            for sms in picked:
                sms.read = True
        return picked

    def inbox_counts(self) -> tuple[int, int]:
        """How many stored messages are (read, unread)."""
        read = sum(sms.read for sms in self.inbox)
        return read, len(self.inbox) - read

    def clear_inbox(self, *, reset_ids: bool = False) -> None:
        """Delete every stored message; ``reset_ids`` restarts the ids at 1."""
        self.inbox.clear()
        if reset_ids:
            self._next_sms_id = 1

    # ------------------------------------------------------------ port control
    def power(self, index: int, *, on: bool) -> None:
        """Switch the module of port ``index`` off (at once) or on (it then registers)."""
        port = self.port(index)
        if not on:
            if port.registration is not RegState.POWER_OFF:
                self._apply_registration(port, RegState.POWER_OFF)
        elif port.registration is RegState.POWER_OFF:
            self._boot_module(port)

    def reset_port(self, index: int) -> None:
        """Restart the module of port ``index``: it searches, then registers again.

        A SIM with its PIN lock on comes back wanting the PIN; a powered-off
        module cannot be reset (:class:`RefusedError`).
        """
        port = self.port(index)
        if port.registration is RegState.POWER_OFF:
            msg = f"port {index} is powered off"
            raise RefusedError(msg)
        self._boot_module(port)

    def switch_slot(self, index: int, slot: int) -> None:
        """Make port ``index`` use SIM ``slot``; it registers after the register delay."""
        port = self.port(index)
        _check_range("slot", slot, 0, self.slot_count - 1)
        if slot == port.active_slot:
            return
        if port.registration is RegState.POWER_OFF:
            port.active_slot = slot
            return
        if port.sim is not None:
            self._apply_registration(port, RegState.SEARCHING)
        port.active_slot = slot
        self._boot_module(port)

    def _sim_for_pin(self, index: int) -> tuple[SimPort, SimCard]:
        port = self.port(index)
        sim = port.sim
        if sim is None or port.registration in {RegState.POWER_OFF, RegState.NO_SIM}:
            msg = f"no SIM to talk to on port {index}"
            raise RefusedError(msg)
        if port.registration is RegState.PUK_REQUIRED or sim.pin_attempts <= 0:
            msg = f"the SIM of port {index} wants its PUK"
            raise RefusedError(msg)
        return port, sim

    def set_pin_lock(self, index: int, pin: str, *, enabled: bool) -> None:
        """Turn the PIN lock of port ``index``'s SIM on or off, proving ``pin``.

        A wrong PIN is refused and uses up an attempt; after the third the
        SIM wants its PUK.  The right PIN also unlocks a SIM that asks for it.
        """
        port, sim = self._sim_for_pin(index)
        if pin != sim.pin:
            sim.pin_attempts -= 1
            if sim.pin_attempts <= 0:
                self._apply_registration(port, RegState.PUK_REQUIRED)
            msg = f"wrong PIN, {sim.pin_attempts} attempts left"
            raise RefusedError(msg)
        sim.pin_attempts = PIN_ATTEMPTS
        sim.pin_enabled = enabled
        if port.registration is RegState.PIN_REQUIRED:
            self._start_registration(port, RegState.REGISTERED)

    def set_imei(self, index: int, imei: str) -> None:
        """Give the module of port ``index`` another IMEI (15 digits)."""
        if len(imei) != 15 or not (imei.isascii() and imei.isdigit()):
            msg = f"an IMEI has 15 digits, got {imei!r}"
            raise ValueError(msg)
        self.port(index).imei = imei

    def set_number(self, index: int, number: str) -> None:
        """Store ``number`` as the own number of port ``index``'s SIM."""
        port = self.port(index)
        if port.sim is None or not port.sim_readable:
            msg = f"no readable SIM on port {index}"
            raise RefusedError(msg)
        port.sim.number = number

    def set_blocked(self, index: int, *, blocked: bool) -> None:
        """Keep port ``index`` out of (or back in) the choice of sending ports."""
        self.port(index).blocked = blocked

    def _registered_sim(self, index: int) -> tuple[SimPort, SimCard]:
        port = self.port(index)
        if not port.registered or port.sim is None:
            msg = f"port {index} is not registered"
            raise RefusedError(msg)
        return port, port.sim

    def set_call_forward(
        self, index: int, mode: ForwardMode | str | None, number: str = ""
    ) -> None:
        """Forward calls of port ``index`` under ``mode`` to ``number``; ``None`` cancels all.

        The network stores it: the port must be registered.
        """
        _, sim = self._registered_sim(index)
        if mode is None:
            sim.call_forwarding.clear()
            return
        if not number:
            msg = "call forwarding needs a number"
            raise ValueError(msg)
        sim.call_forwarding[ForwardMode(mode).value] = number

    def check_call_forward(self, index: int) -> None:
        """Ask the network what port ``index`` forwards; the answer comes after the USSD delay."""
        port, sim = self._registered_sim(index)

        def answer() -> None:
            if port.registered and port.sim is sim:
                port.call_forward_report = dict(sim.call_forwarding)

        self._timers.call_later(self.timings.ussd_delay, answer)

    # ------------------------------------------------------------------- calls
    def simulate_call(
        self,
        port: int,
        number: str,
        *,
        answered: bool = True,
        direction: CallDirection | str = CallDirection.INCOMING,
        duration: int = 30,
        ring_time: int = 5,
        start: datetime | None = None,
        push: bool = True,
    ) -> CallRecord:
        """Record a finished call of port ``port`` with ``number`` (the mobile party).

        Incoming calls go from ``number`` to the SIM's number, outgoing ones
        from the VoIP side to ``number``.  By default the call has just ended.
        An answered call uses up the port's call limits.  With ``push`` the
        record is also an event (Dinstar pushes answered ones as ``cdr`` and
        unanswered incoming ones as ``missed_call``).
        """
        sim_port = self.port(port)
        if not sim_port.registered:
            msg = f"port {port} is not registered: no call can reach it"
            raise ValueError(msg)
        way = CallDirection(direction)
        talk = duration if answered else 0
        begin = (
            _as_utc(start)
            if start is not None
            else self.clock() - timedelta(seconds=ring_time + talk)
        )
        own = sim_port.sim.number if sim_port.sim is not None else ""
        incoming = way is CallDirection.INCOMING
        record = CallRecord(
            port=port,
            start=begin,
            answer=begin + timedelta(seconds=ring_time) if answered else None,
            duration=talk,
            source_number=number if incoming else "1000",
            destination_number=own if incoming else number,
            direction=way,
            ip="" if incoming else SIP_PEER_IP,
            codec="G.711U" if answered else "",
            hangup=HangupParty.CALLED if answered else HangupParty.CALLING,
            gsm_code=16 if answered else 19,
        )
        if answered:
            self._charge_call(sim_port)
        self.calls.append(record)
        if push:
            self.emit(record)
        return record

    def find_calls(
        self,
        *,
        ports: Iterable[int] | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> list[CallRecord]:
        """Call records (by start time, inclusive bounds) of ``ports``."""
        port_set = None if ports is None else set(ports)
        return [
            record
            for record in self.calls
            if (port_set is None or record.port in port_set)
            and (after is None or record.start >= after)
            and (before is None or record.start <= before)
        ]

    def report_exception(
        self, port: int, kind: str = "call_fail", action: str = "reset"
    ) -> ExceptionEvent:
        """The gateway noticed ``kind`` on ``port``; with action ``reset`` it resets the module."""
        self.port(port)
        event = ExceptionEvent(port=port, kind=kind, action=action)
        self.emit(event)
        if action == "reset" and self.port(port).registration is not RegState.POWER_OFF:
            self.reset_port(port)
        return event

    def reboot(self, downtime: float = 0.0) -> None:
        """Restart the device: calls end, the queue empties, ports search again.

        A ``power_off`` device event is emitted at once and ``power_on`` after
        ``downtime`` seconds.  Ports that were on the network come back to
        their state after one to three drift steps or ``downtime`` plus the
        register delay, whichever comes first (leaving the network silently,
        as the unit is down; coming back as events); ports without SIM,
        locked or powered off stay as they are.

        Stored data survives, as on the real units: the inbox and its ids,
        send results, delivery reports, call records, the network's call
        forwarding.  Lost: the send queue and tasks (task ids start at 1
        again; a message on the air is recorded as failed), pending delivery
        reports, USSD sessions and answers, toolkit sessions, call-forward
        check results.
        """
        self.emit(self._device_event(DevicePower.POWER_OFF))
        self.boot_count += 1
        self.sms_queue = 0
        self.performance.cpu_used = 85
        self._timers.cancel_all()
        self.outbox.reset()
        self.ussd.reset()
        self.stk.reset()
        for port in self.ports:
            port.call_forward_report = None
            previous = port.registration
            if previous not in _NETWORK_STATES:
                continue
            self._start_registration(
                port,
                previous,
                delay=downtime + self.timings.register_delay,
                steps=None
                if previous is RegState.SEARCHING
                else self.rng.randint(1, 3),
                emit=False,
            )
        self._timers.call_later(
            downtime, lambda: self.emit(self._device_event(DevicePower.POWER_ON))
        )

    def _device_event(self, status: DevicePower) -> DeviceEvent:
        return DeviceEvent(
            status=status, port_count=self.port_count, ip=self.ip_address, mac=self.mac
        )

    # ----------------------------------------------------------------- drift
    def tick(self, steps: int = 1) -> None:
        """Advance the simulation by ``steps`` steps."""
        for _ in range(steps):
            self.steps += 1
            for port in self.ports:
                self._step_port(port)
            self._step_performance()
            if self.sms_queue:
                self.sms_queue -= 1
            if self.steps % STEPS_PER_HOUR == 0:
                self._refill_credit(daily=self.steps % STEPS_PER_DAY == 0)

    def _refill_credit(self, *, daily: bool) -> None:
        """The gateway's hourly (and daily) usage limits start over."""
        for port in self.ports:
            credit, limits = port.credit, port.credit_limits
            credit.remain_hourly_call_time = limits.remain_hourly_call_time
            if daily:
                credit.remain_daily_call_time = limits.remain_daily_call_time
                credit.remain_daily_connect = limits.remain_daily_connect
                credit.remain_daily_credit = limits.remain_daily_credit

    def _step_port(self, port: SimPort) -> None:
        if port.pending_registration is not None:
            if port.pending_steps is not None:
                port.pending_steps -= 1
                if port.pending_steps <= 0:
                    self._apply_registration(port, port.pending_registration)
            return
        if port.registration is not RegState.REGISTERED:
            return
        if port.signal != CSQ_UNKNOWN:
            low, high = max(0, port.base_signal - 4), min(CSQ_MAX, port.base_signal + 4)
            port.signal = min(
                high, max(low, port.signal + self.rng.choice((-1, 0, 0, 1)))
            )
        self._step_call(port)

    @staticmethod
    def _charge_call(port: SimPort) -> None:
        """A call of ``port`` ended: it uses up one minute, one connection and credit."""
        credit = port.credit
        credit.remain_daily_call_time = max(0, credit.remain_daily_call_time - 1)
        credit.remain_hourly_call_time = max(0, credit.remain_hourly_call_time - 1)
        credit.remain_daily_connect = max(0, credit.remain_daily_connect - 1)
        for name in ("remain_credit", "remain_monthly_credit", "remain_daily_credit"):
            setattr(credit, name, max(0.0, round(getattr(credit, name) - CALL_COST, 2)))

    def _step_call(self, port: SimPort) -> None:
        credit = port.credit
        if port.call_steps_left:
            port.call_steps_left -= 1
            if not port.call_steps_left:
                port.call_state = CallState.IDLE
                self._charge_call(port)
            return
        if (
            port.call_state is CallState.IDLE
            and credit.remain_daily_connect > 0
            and credit.remain_hourly_call_time > 0
            and credit.remain_daily_call_time > 0
            and self.rng.random() < 0.01
        ):
            port.call_state = CallState.ACTIVE
            port.call_steps_left = self.rng.randint(2, 8)

    def _step_performance(self) -> None:
        perf = self.performance
        perf.cpu_used = min(95, max(3, perf.cpu_used + self.rng.randint(-5, 5)))
        low, high = perf.memory_total * 35 // 100, perf.memory_total * 70 // 100
        perf.memory_used = min(
            high, max(low, perf.memory_used + self.rng.randint(-400, 400))
        )
        perf.memory_cached = min(
            perf.memory_used, max(0, perf.memory_cached + self.rng.randint(-150, 150))
        )
        perf.flash_used = min(
            perf.flash_total,
            max(0, perf.flash_used + self.rng.choice((-4, 0, 0, 0, 4))),
        )


def _as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC (a naive one is taken as UTC), whole seconds."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(UTC).replace(microsecond=0)


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        msg = f"{name} must be between {low} and {high}, got {value}"
        raise ValueError(msg)
