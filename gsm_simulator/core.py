"""Vendor-neutral, stateful model of a multi-port GSM gateway.

The model knows nothing about HTTP or any vendor's wire format: a dialect
(for example :mod:`gsm_simulator.dinstar`) renders it.  Ports are numbered
from 0 here; a dialect maps them to the vendor's numbering.

Everything random comes from one seedable :class:`random.Random`, so the same
seed and the same sequence of calls always give the same data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
import random

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


@dataclass(slots=True)
class SimCard:
    """A SIM card sitting in one slot of a port."""

    imsi: str
    iccid: str
    number: str
    smsc: str
    operator: str


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
    pending_steps: int = 0

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


class SimGateway:
    """The whole gateway: identity, ports, counters and inbox.

    ``tick()`` advances the simulation by whole steps of :data:`STEP_SECONDS`
    gateway seconds: signal wanders, calls start and end and use up the
    port's call limits (refilled every gateway hour and day), cpu and memory
    move, the SMS send queue drains one message per step, ports that are
    coming back after a reboot register.
    """

    def __init__(
        self,
        *,
        ports: int = 8,
        slots: int = 1,
        seed: int = 0,
        serial: str | None = None,
    ) -> None:
        """Build a gateway with ``ports`` ports of ``slots`` SIM slots each."""
        _check_range("ports", ports, 1, MAX_PORTS)
        _check_range("slots", slots, 1, MAX_SLOTS)
        self.rng = random.Random(seed)  # noqa: S311 - simulation data, not security
        self.seed = seed
        self.slot_count = slots
        self.serial = serial if serial is not None else self._make_serial()
        self.ports: list[SimPort] = [self._make_port(index) for index in range(ports)]
        self.performance = Performance()
        self.sms_queue = 0
        self.inbox: list[IncomingSms] = []
        self.steps = 0
        self.boot_count = 1
        self._next_sms_id = 1

    # ----------------------------------------------------------------- identity
    @property
    def multi_sim(self) -> bool:
        """Whether the ports have more than one SIM slot."""
        return self.slot_count > 1

    @property
    def port_count(self) -> int:
        """Number of ports currently present."""
        return len(self.ports)

    def port(self, index: int) -> SimPort:
        """Return port ``index`` (0-based) or raise :class:`IndexError`."""
        if not 0 <= index < len(self.ports):
            msg = f"no port {index} (gateway has {len(self.ports)})"
            raise IndexError(msg)
        return self.ports[index]

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
            imsi=imsi, iccid=iccid, number=number, smsc=op.smsc, operator=op.name
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
            self._apply_registration(port, RegState.NO_SIM)
        elif index % 8 == 6:
            port.base_signal = self.rng.randint(2, 8)
            port.signal = port.base_signal
            self._apply_registration(port, RegState.SEARCHING)
        return port

    # --------------------------------------------------------------- control
    def _apply_registration(self, port: SimPort, state: RegState) -> None:
        port.registration = state
        port.pending_registration = None
        port.pending_steps = 0
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

    def set_registration(self, index: int, state: RegState | str) -> None:
        """Force the registration state of port ``index``.

        Every state but ``no_sim``, ``power_off`` and ``unknown`` needs a SIM
        in the active slot (:class:`ValueError` otherwise).  Leaving the registered
        state detaches GPRS and ends any call; ``no_sim`` and ``power_off`` also
        drop the signal to 0.
        """
        port = self.port(index)
        new_state = RegState(state)
        if new_state in _SIM_STATES and port.sim is None:
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
        """Take the SIM out of ``slot`` (default: the active slot) of port ``index``."""
        port = self.port(index)
        slot_index = port.active_slot if slot is None else slot
        _check_range("slot", slot_index, 0, self.slot_count - 1)
        port.slots[slot_index] = None
        if slot_index == port.active_slot:
            self._apply_registration(port, RegState.NO_SIM)

    def insert_sim(
        self, index: int, slot: int | None = None, card: SimCard | None = None
    ) -> SimCard:
        """Put a SIM (generated when ``card`` is omitted) into a slot of port ``index``.

        A SIM inserted into the active slot registers at once.
        """
        port = self.port(index)
        slot_index = port.active_slot if slot is None else slot
        _check_range("slot", slot_index, 0, self.slot_count - 1)
        new_card = card if card is not None else self.make_sim()
        port.slots[slot_index] = new_card
        if slot_index == port.active_slot:
            self._apply_registration(port, RegState.REGISTERED)
        return new_card

    def set_active_slot(self, index: int, slot: int) -> None:
        """Switch port ``index`` to SIM ``slot``; it registers if a SIM is there."""
        port = self.port(index)
        _check_range("slot", slot, 0, self.slot_count - 1)
        port.active_slot = slot
        self._apply_registration(
            port, RegState.REGISTERED if port.sim is not None else RegState.NO_SIM
        )

    def set_port_count(self, count: int) -> None:
        """Grow or shrink the gateway to ``count`` ports (as after a hardware change)."""
        _check_range("ports", count, 1, MAX_PORTS)
        del self.ports[count:]
        self.ports.extend(
            self._make_port(index) for index in range(len(self.ports), count)
        )

    def queue_sms(self, count: int = 1) -> None:
        """Add ``count`` messages to the send queue; each step sends one."""
        _check_range("count", count, 0, 10_000)
        self.sms_queue += count

    def receive_sms(
        self, port: int, number: str, text: str, timestamp: datetime | None = None
    ) -> IncomingSms:
        """Store a message received on ``port`` in the inbox with the next id."""
        sim = self.port(port).sim
        sms = IncomingSms(
            sms_id=self._next_sms_id,
            port=port,
            number=number,
            smsc=sim.smsc if sim is not None else "",
            timestamp=timestamp
            if timestamp is not None
            else datetime.now(UTC).replace(microsecond=0),
            text=text,
        )
        self._next_sms_id += 1
        self.inbox.append(sms)
        return sms

    def reboot(self) -> None:
        """Restart the device: calls end, the queue empties, ports search again.

        Ports that were on the network come back to their state after one to
        three steps; ports without SIM, locked or powered off stay as they are.
        The inbox survives, as it does on the real units.
        """
        self.boot_count += 1
        self.sms_queue = 0
        self.performance.cpu_used = 85
        for port in self.ports:
            previous = port.registration
            if previous not in _NETWORK_STATES:
                continue
            self._apply_registration(port, RegState.SEARCHING)
            if previous is not RegState.SEARCHING:
                port.pending_registration = previous
                port.pending_steps = self.rng.randint(1, 3)

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

    def _step_call(self, port: SimPort) -> None:
        credit = port.credit
        if port.call_steps_left:
            port.call_steps_left -= 1
            if not port.call_steps_left:
                port.call_state = CallState.IDLE
                credit.remain_daily_call_time = max(
                    0, credit.remain_daily_call_time - 1
                )
                credit.remain_hourly_call_time = max(
                    0, credit.remain_hourly_call_time - 1
                )
                credit.remain_daily_connect = max(0, credit.remain_daily_connect - 1)
                for name in (
                    "remain_credit",
                    "remain_monthly_credit",
                    "remain_daily_credit",
                ):
                    setattr(
                        credit,
                        name,
                        max(0.0, round(getattr(credit, name) - CALL_COST, 2)),
                    )
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


def _check_range(name: str, value: int, low: int, high: int) -> None:
    if not low <= value <= high:
        msg = f"{name} must be between {low} and {high}, got {value}"
        raise ValueError(msg)
