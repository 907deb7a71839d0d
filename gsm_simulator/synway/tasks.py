"""Synway send tasks: ids, one destination per number, and how each stands.

A ``txsms`` task gets the next id of the boot (0, 1, 2 ...; a reboot forgets
the tasks and starts again at 0).  Its numbers go to the shared outbox as
one message each, spread over the usable ports it may use, with a delivery
report asked for.  A destination then stands (:class:`~.names.SendState`):
1 wait (queued, or no port can send yet), 2 sending (on the air), 3
successful (sent; also once delivered), 4 failed (the port could not send:
no SIM, not registered, module off, or the network refused), 5 timeout (no
port of the task could take it within the ``send_timeout`` option).  While
destinations wait for a port, every change of a port makes the unit try
again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from gsm_simulator.errors import NoPortError
from gsm_simulator.records import SmsStatus

from .names import SendState

if TYPE_CHECKING:
    from collections.abc import Callable

    from gsm_simulator.messaging import Encoding, Outbox, OutgoingSms
    from gsm_simulator.records import SmsResult
    from gsm_simulator.timeline import Timer, TimerGroup

_OUTCOMES = {
    SmsStatus.SENT: SendState.SUCCESS,
    SmsStatus.DELIVERED: SendState.SUCCESS,
    SmsStatus.FAILED: SendState.FAILED,
}


@dataclass(slots=True, eq=False)
class Destination:
    """One number of a task, and the outbox message sending to it (once queued)."""

    index: int
    number: str
    message: OutgoingSms | None = None
    outcome: SendState | None = None
    """3, 4 or 5 once known."""

    @property
    def port(self) -> int | None:
        """The port (0-based) the message was given to; ``None`` before."""
        return self.message.port if self.message is not None else None

    @property
    def waiting_for_port(self) -> bool:
        """Whether no port has taken the number yet (and it has not timed out)."""
        return self.message is None and self.outcome is None


@dataclass(slots=True, eq=False)
class SendTask:
    """One accepted ``txsms``."""

    task_id: int
    user_id: str | None
    text: str
    encoding: Encoding
    ports: list[int] | None
    """The ports (0-based) it may use; ``None``: any."""
    destinations: list[Destination]
    deadline: Timer | None = field(default=None, repr=False)


class TaskBook:
    """The tasks of the current boot, by id."""

    def __init__(
        self, outbox: Outbox, timers: TimerGroup, timeout: Callable[[], float]
    ) -> None:
        """Send through ``outbox``; wait for ports at most ``timeout()`` s on ``timers``."""
        self.outbox = outbox
        self.timers = timers
        self.timeout = timeout
        self.tasks: dict[int, SendTask] = {}
        self._next_id = 0
        self._jobs: dict[int, SendTask] = {}
        """The outbox's task ids (this boot) -> the task they belong to."""
        self._messages: dict[tuple[int, int | None], Destination] = {}
        self._retry: Timer | None = None

    def add(
        self,
        user_id: str | None,
        numbers: list[str],
        text: str,
        encoding: Encoding,
        ports: list[int] | None,
    ) -> SendTask:
        """Accept a task: its numbers are queued, or wait for a port."""
        task = SendTask(
            task_id=self._next_id,
            user_id=user_id,
            text=text,
            encoding=encoding,
            ports=ports,
            destinations=[
                Destination(index, number) for index, number in enumerate(numbers)
            ],
        )
        self._next_id += 1
        self.tasks[task.task_id] = task
        self._submit(task)
        if any(item.waiting_for_port for item in task.destinations):
            task.deadline = self.timers.call_later(
                self.timeout(), partial(self._expire, task)
            )
        return task

    def _submit(self, task: SendTask) -> None:
        waiting = [item for item in task.destinations if item.waiting_for_port]
        try:
            job = self.outbox.submit(
                [(item.number, task.text, item.index) for item in waiting],
                ports=task.ports,
                encoding=task.encoding,
                status_report=True,
            )
        except NoPortError:
            return
        self._jobs[job.task_id] = task
        for item, message in zip(waiting, job.messages, strict=True):
            item.message = message
            self._messages[job.task_id, item.index] = item
        if task.deadline is not None:
            task.deadline.cancel()
            task.deadline = None

    def _expire(self, task: SendTask) -> None:
        task.deadline = None
        for item in task.destinations:
            if item.waiting_for_port:
                item.outcome = SendState.TIMEOUT

    # ---------------------------------------------------------------- changes
    def port_changed(self) -> None:
        """A port changed: try the waiting numbers again (soon, once)."""
        waiting = any(task.deadline is not None for task in self.tasks.values())
        if waiting and (self._retry is None or not self._retry.pending):
            self._retry = self.timers.call_later(0, self._retry_waiting)

    def _retry_waiting(self) -> None:
        for task in list(self.tasks.values()):
            if task.deadline is not None:
                self._submit(task)

    def on_result(self, result: SmsResult) -> bool:
        """A message ended (or was delivered); whether it was one of a task's."""
        item = self._messages.get((result.task_id, result.user_id))
        outcome = _OUTCOMES.get(result.status)
        if item is None or outcome is None:
            return False
        item.outcome = outcome
        return True

    def owns(self, job_id: int) -> bool:
        """Whether the outbox's task ``job_id`` (this boot) came from a ``txsms``."""
        return job_id in self._jobs

    # ---------------------------------------------------------------- queries
    def state(self, item: Destination) -> SendState:
        """Where ``item`` stands now."""
        if item.outcome is not None:
            return item.outcome
        message = item.message
        if message is not None and self.outbox.on_air(message.port) is message:
            return SendState.SENDING
        return SendState.WAIT

    def restart(self) -> None:
        """A reboot: the tasks are lost, ids start again at 0."""
        self.timers.cancel_all()
        self.tasks.clear()
        self._jobs.clear()
        self._messages.clear()
        self._retry = None
        self._next_id = 0
