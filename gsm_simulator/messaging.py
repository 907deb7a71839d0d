"""Outgoing SMS: encodings and segments, the per-port send queues, results and reports.

Vendor-neutral: a dialect validates its request format, then hands
:meth:`Outbox.submit` the messages.  Each port sends one message at a time,
taking :attr:`Timings.send_time` seconds per message; messages are spread
over the usable ports round-robin when they are accepted; a task's waiting
messages can be dropped (:meth:`Outbox.stop`) or held back
(:meth:`Outbox.pause`, :meth:`Outbox.resume`).  Every message gets
an :class:`~gsm_simulator.records.SmsResult` (``sending`` while on the air,
then ``sent`` or ``failed``); with a status report requested, one
:class:`~gsm_simulator.records.DeliveryReport` per segment follows after
:attr:`Timings.delivery_delay`, and a message whose reports all say 0 becomes
``delivered``.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Final

from .errors import NoPortError
from .records import DeliveryReport, SmsResult, SmsStatus
from .timeline import TimerGroup

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from .context import GatewayContext
    from .model import SimPort

GSM7_BASIC: Final = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
"""Characters of the GSM 03.38 default alphabet (one septet each)."""
GSM7_EXTENSION: Final = frozenset("\f^{}\\[~]|€")
"""Characters of the extension table (escape + septet: two septets each)."""
REF_MODULO: Final = 256
SMS_COST: Final = 0.05
"""SIM credit one sent segment uses up."""


class Encoding(StrEnum):
    """How the text goes over the air."""

    GSM7 = "gsm7"
    UCS2 = "ucs2"


SINGLE_LIMIT: Final[dict[Encoding, int]] = {Encoding.GSM7: 160, Encoding.UCS2: 70}
PART_LIMIT: Final[dict[Encoding, int]] = {Encoding.GSM7: 153, Encoding.UCS2: 67}


def char_units(text: str, encoding: Encoding) -> list[int]:
    """Units (septets or UCS-2 code units) each character of ``text`` takes.

    A GSM-7 character outside both tables is sent as ``?`` (one septet); a
    UCS-2 character outside the BMP takes a surrogate pair (two units).
    """
    if encoding is Encoding.UCS2:
        return [2 if ord(char) > 0xFFFF else 1 for char in text]
    return [2 if char in GSM7_EXTENSION else 1 for char in text]


def segment_count(text: str, encoding: Encoding) -> int:
    """Number of SMS segments ``text`` needs (a character never straddles two)."""
    units = char_units(text, encoding)
    if sum(units) <= SINGLE_LIMIT[encoding]:
        return 1
    limit = PART_LIMIT[encoding]
    segments, used = 1, 0
    for size in units:
        if used + size > limit:
            segments += 1
            used = 0
        used += size
    return segments


def is_gsm7(text: str) -> bool:
    """Whether every character of ``text`` is in the GSM-7 tables."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


@dataclass(slots=True)
class OutgoingSms:
    """One message of a task, waiting for (or on) its port."""

    task_id: int
    port: int
    number: str
    text: str
    user_id: int | None
    encoding: Encoding
    status_report: bool
    segments: int


@dataclass(slots=True)
class SmsTask:
    """What one send request created; ``stopped`` once stopped."""

    task_id: int
    messages: list[OutgoingSms]
    stopped: bool = False
    paused: bool = False
    """Its waiting messages stay in the queue, the others pass them."""


@dataclass(slots=True)
class SendRule:
    """A test hook: the next matching messages fail to send or are not delivered."""

    number: str | None
    port: int | None
    remaining: int | None
    status_code: int | None
    """``None``: the send fails; otherwise the delivery reports carry this code."""
    hits: int = 0

    @property
    def active(self) -> bool:
        """Whether the rule will still hit a message."""
        return self.remaining is None or self.remaining > 0

    def matches(self, message: OutgoingSms) -> bool:
        """Whether the rule applies to ``message``."""
        return (
            self.active
            and (self.number is None or self.number == message.number)
            and (self.port is None or self.port == message.port)
        )


def in_window(
    moment: datetime, after: datetime | None, before: datetime | None
) -> bool:
    """Whether ``moment`` lies within the (inclusive) bounds."""
    return (after is None or moment >= after) and (before is None or moment <= before)


class Outbox:
    """The send queues, results and delivery reports of a gateway."""

    def __init__(self, gateway: GatewayContext) -> None:
        """Work on ``gateway``'s ports, clock and timeline."""
        self.gateway = gateway
        self.results: list[SmsResult] = []
        self.reports: list[DeliveryReport] = []
        self.tasks: dict[int, SmsTask] = {}
        self._timers = TimerGroup(gateway.timeline)
        self._queues: dict[int, deque[OutgoingSms]] = {}
        self._sending: dict[int, tuple[OutgoingSms, SmsResult]] = {}
        self._send_rules: list[SendRule] = []
        self._delivery_rules: list[SendRule] = []
        self._next_task_id = 1
        self._last_port = -1

    # ------------------------------------------------------------------ state
    @property
    def pending(self) -> int:
        """Messages accepted but not finished (waiting or on the air)."""
        return sum(len(queue) for queue in self._queues.values()) + len(self._sending)

    def is_sending(self, port: int) -> bool:
        """Whether ``port`` is sending a message right now."""
        return port in self._sending

    def on_air(self, port: int) -> OutgoingSms | None:
        """The message ``port`` is sending right now, if any."""
        sending = self._sending.get(port)
        return sending[0] if sending is not None else None

    def queued(self, port: int) -> int:
        """Messages waiting for ``port`` (not counting the one on the air)."""
        return len(self._queues.get(port, ()))

    def usable_ports(self, wanted: Iterable[int] | None = None) -> list[int]:
        """Ports (of ``wanted``, default all) that can take new messages, in order."""
        candidates = (
            range(self.gateway.port_count) if wanted is None else sorted(set(wanted))
        )
        return [
            index
            for index in candidates
            if (port := self.gateway.port_or_none(index)) is not None
            and port.registered
            and not port.blocked
        ]

    # ----------------------------------------------------------------- submit
    def submit(
        self,
        messages: Sequence[tuple[str, str, int | None]],
        *,
        ports: Iterable[int] | None = None,
        encoding: Encoding = Encoding.UCS2,
        status_report: bool = True,
    ) -> SmsTask:
        """Accept ``(number, text, user_id)`` messages as one task.

        Raises :class:`NoPortError` when none of ``ports`` (default: all) is
        registered and unblocked.
        """
        usable = self.usable_ports(ports)
        if not usable:
            msg = "no usable port"
            raise NoPortError(msg)
        task = SmsTask(self._next_task_id, [])
        self._next_task_id += 1
        for number, text, user_id in messages:
            port = self._pick(usable)
            message = OutgoingSms(
                task_id=task.task_id,
                port=port,
                number=number,
                text=text,
                user_id=user_id,
                encoding=encoding,
                status_report=status_report,
                segments=segment_count(text, encoding),
            )
            task.messages.append(message)
            self._queues.setdefault(port, deque()).append(message)
        self.tasks[task.task_id] = task
        for port in sorted({message.port for message in task.messages}):
            self._kick(port)
        return task

    def _pick(self, usable: list[int]) -> int:
        """The next usable port after the last one used (round-robin)."""
        port = next((index for index in usable if index > self._last_port), usable[0])
        self._last_port = port
        return port

    def stop(self, task_id: int) -> bool:
        """Drop the waiting messages of a task; False if the task is unknown."""
        task = self.tasks.get(task_id)
        if task is None:
            return False
        task.stopped = True
        for queue in self._queues.values():
            kept = [message for message in queue if message.task_id != task_id]
            queue.clear()
            queue.extend(kept)
        return True

    def pause(self, task_id: int) -> bool:
        """Hold the waiting messages of a task until :meth:`resume`; False if unknown."""
        task = self.tasks.get(task_id)
        if task is None:
            return False
        task.paused = True
        return True

    def resume(self, task_id: int) -> bool:
        """Let a paused task's messages be sent again; False if the task is unknown."""
        task = self.tasks.get(task_id)
        if task is None:
            return False
        task.paused = False
        for port in sorted({message.port for message in task.messages}):
            self._kick(port)
        return True

    # ---------------------------------------------------------------- sending
    def _next_ready(self, queue: deque[OutgoingSms]) -> OutgoingSms | None:
        """Take the first message of ``queue`` whose task is not paused."""
        for position, message in enumerate(queue):
            task = self.tasks.get(message.task_id)
            if task is None or not task.paused:
                del queue[position]
                return message
        return None

    def _kick(self, index: int) -> None:
        """Start the next message of port ``index`` unless it is busy."""
        if index in self._sending:
            return
        queue = self._queues.get(index)
        while queue and (message := self._next_ready(queue)) is not None:
            port = self.gateway.port_or_none(index)
            result = self._new_result(message, port)
            self.results.append(result)
            if port is None or not port.registered:
                self._finish_failed(result)
                continue
            self._sending[index] = (message, result)
            self._timers.call_later(
                self.gateway.timings.send_time, partial(self._sent, index)
            )
            return

    def _new_result(self, message: OutgoingSms, port: SimPort | None) -> SmsResult:
        sim = port.sim if port is not None and port.sim_readable else None
        return SmsResult(
            task_id=message.task_id,
            port=message.port,
            number=message.number,
            user_id=message.user_id,
            time=self.gateway.clock(),
            status=SmsStatus.SENDING,
            count=message.segments,
            succ_count=0,
            ref_id=port.next_ref if port is not None else 0,
            imsi=sim.imsi if sim is not None else "",
            text=message.text,
        )

    def _finish_failed(self, result: SmsResult) -> None:
        result.status = SmsStatus.FAILED
        self._emit(result)

    def _emit(self, result: SmsResult) -> None:
        """Tell the listeners how ``result`` stands now (a snapshot: results change)."""
        self.gateway.emit(replace(result))

    def _sent(self, index: int) -> None:
        """The send time of port ``index``'s message is over."""
        message, result = self._sending.pop(index)
        port = self.gateway.port_or_none(index)
        if (
            port is None
            or not port.registered
            or _take(self._send_rules, message) is not None
        ):
            self._finish_failed(result)
        else:
            result.ref_id = port.next_ref
            port.next_ref = (port.next_ref + result.count) % REF_MODULO
            result.succ_count = result.count
            result.status = SmsStatus.SENT
            if port.sim is not None:
                port.sim.balance = round(
                    max(0.0, port.sim.balance - SMS_COST * result.count), 2
                )
            self._emit(result)
            if message.status_report:
                rule = _take(self._delivery_rules, message)
                code = (
                    0 if rule is None or rule.status_code is None else rule.status_code
                )
                self._timers.call_later(
                    self.gateway.timings.delivery_delay,
                    partial(self._deliver, result, code),
                )
        self._kick(index)

    def _deliver(self, result: SmsResult, status_code: int) -> None:
        """The status reports of every segment of ``result`` arrive."""
        for offset in range(result.count):
            report = DeliveryReport(
                port=result.port,
                number=result.number,
                time=result.time,
                ref_id=(result.ref_id + offset) % REF_MODULO,
                status_code=status_code,
                imsi=result.imsi,
            )
            self.reports.append(report)
            self.gateway.emit(report)
        if status_code == 0:
            result.status = SmsStatus.DELIVERED
            self._emit(result)

    # ------------------------------------------------------------ test hooks
    def fail_sends(
        self,
        *,
        number: str | None = None,
        port: int | None = None,
        count: int | None = 1,
    ) -> SendRule:
        """Make the next ``count`` sends (to ``number`` / on ``port``) fail."""
        return self._add_rule(self._send_rules, number, port, count, None)

    def fail_deliveries(
        self,
        *,
        number: str | None = None,
        port: int | None = None,
        count: int | None = 1,
        status_code: int = 64,
    ) -> SendRule:
        """Make the next ``count`` sent messages get reports with ``status_code``.

        32..63 are temporary errors, 64..255 permanent ones.
        """
        if not 1 <= status_code < REF_MODULO:
            msg = f"status_code must be between 1 and 255, got {status_code}"
            raise ValueError(msg)
        return self._add_rule(self._delivery_rules, number, port, count, status_code)

    @staticmethod
    def _add_rule(
        rules: list[SendRule],
        number: str | None,
        port: int | None,
        count: int | None,
        status_code: int | None,
    ) -> SendRule:
        if count is not None and count < 1:
            msg = "count must be at least 1 (or None for until cleared)"
            raise ValueError(msg)
        rule = SendRule(number, port, count, status_code)
        rules.append(rule)
        return rule

    def clear_failures(self) -> None:
        """Forget every send and delivery failure rule."""
        self._send_rules.clear()
        self._delivery_rules.clear()

    # ---------------------------------------------------------------- queries
    def find_results(
        self,
        *,
        numbers: Iterable[str] | None = None,
        ports: Iterable[int] | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
        user_ids: Iterable[int] | None = None,
    ) -> list[SmsResult]:
        """Results matching every given filter (a list matches any of its values)."""
        number_set = None if numbers is None else set(numbers)
        port_set = None if ports is None else set(ports)
        user_set = None if user_ids is None else set(user_ids)
        return [
            result
            for result in self.results
            if (number_set is None or result.number in number_set)
            and (port_set is None or result.port in port_set)
            and (user_set is None or result.user_id in user_set)
            and in_window(result.time, after, before)
        ]

    def find_reports(
        self,
        *,
        numbers: Iterable[str] | None = None,
        ports: Iterable[int] | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> list[DeliveryReport]:
        """Delivery reports matching every given filter."""
        number_set = None if numbers is None else set(numbers)
        port_set = None if ports is None else set(ports)
        return [
            report
            for report in self.reports
            if (number_set is None or report.number in number_set)
            and (port_set is None or report.port in port_set)
            and in_window(report.time, after, before)
        ]

    # -------------------------------------------------------------- lifecycle
    def drop_ports(self, count: int) -> None:
        """Forget the waiting messages of ports ``count`` and above (ports removed)."""
        for index in [index for index in self._queues if index >= count]:
            del self._queues[index]

    def reset(self) -> None:
        """A reboot: the queues, tasks and pending reports are lost.

        A message on the air is recorded as failed (without an event: the
        unit is going down); results and reports already stored survive,
        task ids start again at 1.
        """
        self._timers.cancel_all()
        for _, result in self._sending.values():
            result.status = SmsStatus.FAILED
        self._sending.clear()
        self._queues.clear()
        self.tasks.clear()
        self._next_task_id = 1
        self._last_port = -1


def _take(rules: list[SendRule], message: OutgoingSms) -> SendRule | None:
    """Consume one hit of the first rule matching ``message``."""
    for rule in rules:
        if rule.matches(message):
            rule.hits += 1
            if rule.remaining is not None:
                rule.remaining -= 1
            rules[:] = [kept for kept in rules if kept.active]
            return rule
    return None
