"""The gateway: identity, ports and counters, and the services that work on them.

:class:`SimGateway` owns the state (:mod:`~gsm_simulator.model`) and builds
its services, handing each the gateway itself (they know it as a
:class:`~gsm_simulator.context.GatewayContext`): the registration rules
(:mod:`~gsm_simulator.registration`), calls (:mod:`~gsm_simulator.calls`),
outgoing SMS (:mod:`~gsm_simulator.messaging`), USSD
(:mod:`~gsm_simulator.ussd`) and the SIM toolkit (:mod:`~gsm_simulator.stk`);
received messages are in its :mod:`~gsm_simulator.inbox`.  Its methods take
0-based port indexes and delegate.

The model knows nothing about HTTP or any vendor's wire format: a dialect
(for example :mod:`gsm_simulator.dinstar`) renders it.  Everything random
comes from one seedable :class:`random.Random`, so the same seed and the same
sequence of calls always give the same data.  What takes time on a real unit
is scheduled on the gateway's :class:`~gsm_simulator.timeline.Timeline`; what
happens is handed to :attr:`SimGateway.listeners` as the records of
:mod:`gsm_simulator.records` (the simulator turns them into pushes).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from .calls import Calls
from .drift import refill_credit, step_performance, step_signal
from .identity import HardwareFactory, mac_address
from .inbox import Inbox
from .messaging import Outbox
from .model import MAX_PORTS, MAX_SLOTS, InboxFilter, Performance, RegState, check_range
from .ports import PortOperations
from .records import CallDirection, DeviceEvent, DevicePower, ExceptionEvent
from .registration import Registrar
from .stk import StkService
from .timeline import Timeline, TimerGroup
from .timings import STEPS_PER_DAY, STEPS_PER_HOUR, Timings, as_utc, utc_now
from .ussd import UssdService

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import datetime

    from .identity import Operator
    from .model import GatewayEvent, IncomingSms, ModuleType, SimCard, SimPort
    from .records import CallRecord


class SimGateway(PortOperations):
    """The whole gateway: identity, ports, counters, inbox and services.

    ``tick()`` advances the simulation by whole steps of
    :data:`~gsm_simulator.timings.STEP_SECONDS` gateway seconds: signal
    wanders, calls start and end and use up the port's call limits (refilled
    every gateway hour and day), cpu and memory move, the synthetic SMS
    backlog (:meth:`queue_sms`) drains one message per step, ports that are
    coming back after a reboot register.

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
        check_range("ports", ports, 1, MAX_PORTS)
        check_range("slots", slots, 1, MAX_SLOTS)
        self.rng = random.Random(seed)  # noqa: S311 - simulation data, not security
        self.seed = seed
        self.slot_count = slots
        self.clock = clock
        self.timings = timings if timings is not None else Timings()
        self.timeline = timeline if timeline is not None else Timeline.manual()
        self.listeners: list[Callable[[GatewayEvent], None]] = []
        self.port_listeners: list[Callable[[int], None]] = []
        self.ip_address = "127.0.0.1"
        """Reported in device events (the simulator sets its own address)."""
        self.factory = HardwareFactory(self.rng, clock)
        self.registrar = Registrar(self)
        self.serial = serial if serial is not None else self.factory.serial()
        self.ports: list[SimPort] = [self._make_port(index) for index in range(ports)]
        self.performance = Performance()
        self.sms_queue = 0
        self.inbox_store = Inbox()
        self.voice = Calls(self)
        self.steps = 0
        self.boot_count = 1
        self._timers = TimerGroup(self.timeline)
        self.outbox = Outbox(self)
        self.ussd = UssdService(self, sending=self.outbox.is_sending)
        self.stk = StkService(self)

    # ----------------------------------------------------------------- identity
    @property
    def multi_sim(self) -> bool:
        """Whether the ports have more than one SIM slot."""
        return self.slot_count > 1

    @property
    def mac(self) -> str:
        """The MAC address, derived from the serial (Dinstar's OUI)."""
        return mac_address(self.serial)

    @property
    def inbox(self) -> list[IncomingSms]:
        """The stored incoming messages, oldest first."""
        return self.inbox_store.messages

    @property
    def calls(self) -> list[CallRecord]:
        """The call records, oldest first."""
        return self.voice.records

    @property
    def queue_length(self) -> int:
        """Messages waiting to be sent: the outbox plus the synthetic backlog."""
        return self.sms_queue + self.outbox.pending

    def emit(self, event: GatewayEvent) -> None:
        """Hand ``event`` to every listener."""
        for listener in list(self.listeners):
            listener(event)

    # ------------------------------------------------------------ generation
    def make_imei(self, module_type: ModuleType) -> str:
        """Generate an IMEI with a plausible TAC and a valid Luhn digit."""
        return self.factory.imei(module_type)

    def make_sim(self, operator: Operator | None = None) -> SimCard:
        """Generate a SIM card of ``operator`` (random when omitted)."""
        return self.factory.sim(operator)

    def _make_port(self, index: int) -> SimPort:
        port, state = self.factory.port(index, self.slot_count)
        if state is not None:
            self.registrar.apply(port, state, emit=False)
        return port

    # ---------------------------------------------------------------- ports
    def set_port_count(self, count: int) -> None:
        """Grow or shrink the gateway to ``count`` ports (as after a hardware change)."""
        check_range("ports", count, 1, MAX_PORTS)
        for port in self.ports[count:]:
            if port.pending_timer is not None:
                port.pending_timer.cancel()
        self.outbox.drop_ports(count)
        del self.ports[count:]
        self.ports.extend(
            self._make_port(index) for index in range(len(self.ports), count)
        )

    # ------------------------------------------------------------- messages
    def queue_sms(self, count: int = 1) -> None:
        """Add ``count`` messages to the send queue; each step sends one."""
        check_range("count", count, 0, 10_000)
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
        smsc = sim.smsc if sim is not None else ""
        sms = self.inbox_store.store(port, number, smsc, text, as_utc(moment))
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
        return self.inbox_store.read(
            after_id=after_id, which=which, ports=ports, mark_read=mark_read
        )

    def inbox_counts(self) -> tuple[int, int]:
        """How many stored messages are (read, unread)."""
        return self.inbox_store.counts()

    def clear_inbox(self, *, reset_ids: bool = False) -> None:
        """Delete every stored message; ``reset_ids`` restarts the ids at 1."""
        self.inbox_store.clear(reset_ids=reset_ids)

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
        return self.voice.simulate(
            self.port(port),
            number,
            answered=answered,
            direction=direction,
            duration=duration,
            ring_time=ring_time,
            start=start,
            push=push,
        )

    def find_calls(
        self,
        *,
        ports: Iterable[int] | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> list[CallRecord]:
        """Call records (by start time, inclusive bounds) of ``ports``."""
        return self.voice.find(ports=ports, after=after, before=before)

    # ------------------------------------------------------------------ device
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
        self.voice.reset()
        self.registrar.restart(downtime)
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
            step_performance(self.performance, self.rng)
            if self.sms_queue:
                self.sms_queue -= 1
            if self.steps % STEPS_PER_HOUR == 0:
                refill_credit(self.ports, daily=self.steps % STEPS_PER_DAY == 0)

    def _step_port(self, port: SimPort) -> None:
        if self.registrar.step(port) or port.registration is not RegState.REGISTERED:
            return
        signal = port.signal
        step_signal(port, self.rng)
        if port.signal != signal:
            self.port_changed(port.index)
        self.voice.step(port)
