"""Ejoin send tasks: their ids, progress, pausing, and the status reports.

A task (one item of ``goip_post_sms``'s ``tasks``) becomes one task of the
shared outbox: one message per recipient, on the ports it may use.  The
client's ``tid`` must never repeat: every accepted one is remembered for as
long as the simulator lives (reboots included).  Each message that ends
(sent or failed) is a result for the report cache of the request that
brought the task (:mod:`.caching`): ``sr_cnt`` results, or ``sr_prd``
seconds, or the task's own ``sr_cnt`` / ``sr_prd``, make the
``status-report`` push, which carries per task its counts and the
``sdr`` (``[index, number, port, time]``, if asked for) and ``fdr``
(``[index, number, port, time, reason, carrier reason]``, unless refused)
items since the last report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from gsm_simulator.records import SmsStatus

from .caching import PushCache

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from gsm_simulator.messaging import Outbox, SmsTask
    from gsm_simulator.records import SmsResult
    from gsm_simulator.timeline import TimerGroup

type ReportSender = Callable[[str | None, dict[str, Any]], None]
"""Pushes a ``status-report`` body to a URL (``None``: the default one)."""


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """Where and how often the results of one request's tasks are reported."""

    url: str | None
    count: int
    period: float


@dataclass(slots=True, eq=False)
class SendTask:
    """One accepted task: what the client asked and how far it got."""

    tid: int
    job: SmsTask
    """The shared outbox's task (one message per recipient, ``user_id`` = index)."""
    source: str
    """``from`` as the client wrote it."""
    recipients: list[str]
    content: str
    """``sms`` as the client wrote it (base64 still encoded)."""
    charset: str
    coding: int
    sdr: bool
    fdr: bool
    delivery_report: bool
    report_count: int
    report_period: float
    cache: PushCache[SendTask]
    sent: int = 0
    failed: int = 0
    removed: bool = False
    done: set[int] = field(default_factory=set)
    sdr_items: list[list[Any]] = field(default_factory=list)
    fdr_items: list[list[Any]] = field(default_factory=list)
    unreported: int = 0

    @property
    def finished(self) -> bool:
        """Whether no message of the task will be sent any more."""
        return self.removed or len(self.done) >= len(self.recipients)

    @property
    def state(self) -> int:
        """``state`` of ``goip_get_tasks``: 0 normal, 1 paused."""
        return int(self.job.paused)


class TaskBook:
    """The tasks of the current boot and every tid ever accepted."""

    def __init__(self, outbox: Outbox, timers: TimerGroup, send: ReportSender) -> None:
        """Follow ``outbox``; caches time out on ``timers``; reports go to ``send``."""
        self.outbox = outbox
        self.timers = timers
        self.send = send
        self.seen: set[int] = set()
        """Every tid accepted since the simulator started."""
        self.tasks: dict[int, SendTask] = {}
        """The tasks of the current boot by tid, in the order they came."""
        self._by_job: dict[int, SendTask] = {}

    # ------------------------------------------------------------- accepting
    def unfinished(self) -> int:
        """How many tasks still have messages to send."""
        return sum(not task.finished for task in self.tasks.values())

    def new_cache(self, settings: ReportSettings) -> PushCache[SendTask]:
        """The report cache of one request."""
        return PushCache(
            self.timers,
            partial(self._report, settings.url),
            limit=settings.count,
            period=settings.period,
        )

    def add(self, task: SendTask) -> None:
        """Keep an accepted task (its tid is taken from now on)."""
        self.seen.add(task.tid)
        self.tasks[task.tid] = task
        self._by_job[task.job.task_id] = task

    # --------------------------------------------------------------- results
    def on_result(
        self, result: SmsResult, port: str, reason: tuple[str, str]
    ) -> SendTask | None:
        """A message ended (``port``: its wire name; ``reason``: if it failed).

        Returns its task, if the message was one of a task's and had not
        ended before.
        """
        task = self._by_job.get(result.task_id)
        index = result.user_id
        if (
            task is None
            or index is None
            or index in task.done
            or result.status not in {SmsStatus.SENT, SmsStatus.FAILED}
        ):
            return None
        task.done.add(index)
        moment = int(result.time.timestamp())
        if result.status is SmsStatus.SENT:
            task.sent += 1
            if task.sdr:
                task.sdr_items.append([index, result.number, port, moment])
        else:
            task.failed += 1
            if task.fdr:
                task.fdr_items.append([index, result.number, port, moment, *reason])
        task.unreported += 1
        task.cache.add(
            task,
            period=task.report_period if task.report_period > 0 else None,
            now=task.unreported >= task.report_count,
        )
        return task

    def counts(self, task: SendTask) -> tuple[int, int]:
        """(sending, unsent) of ``task`` now."""
        sending = sum(
            self.outbox.on_air(message.port) is message for message in task.job.messages
        )
        if task.removed:
            return sending, 0
        return sending, len(task.recipients) - len(task.done) - sending

    def _report(self, url: str | None, tasks: list[SendTask]) -> None:
        rpts = [self._report_item(task) for task in dict.fromkeys(tasks)]
        self.send(url, {"type": "status-report", "rpt_num": len(rpts), "rpts": rpts})

    def _report_item(self, task: SendTask) -> dict[str, Any]:
        sending, unsent = self.counts(task)
        item: dict[str, Any] = {
            "tid": task.tid,
            "sending": sending,
            "sent": task.sent,
            "failed": task.failed,
            "unsent": unsent,
        }
        if task.sdr:
            item["sdr"] = task.sdr_items
        if task.fdr:
            item["fdr"] = task.fdr_items
        task.sdr_items, task.fdr_items, task.unreported = [], [], 0
        return item

    # --------------------------------------------------------------- control
    def find(self, tid: int) -> SendTask | None:
        """The task ``tid`` of this boot, unless removed."""
        task = self.tasks.get(tid)
        return None if task is None or task.removed else task

    def pause(self, task: SendTask) -> None:
        """Hold the task's waiting messages."""
        self.outbox.pause(task.job.task_id)

    def resume(self, task: SendTask) -> None:
        """Let the task's waiting messages go again."""
        self.outbox.resume(task.job.task_id)

    def remove(self, task: SendTask) -> None:
        """Drop the task's waiting messages; it is forgotten (its tid stays taken)."""
        self.outbox.stop(task.job.task_id)
        task.removed = True

    def waiting(self, port: int) -> Iterator[tuple[SendTask, list[str]]]:
        """The tasks with messages waiting for ``port``, and those messages' numbers."""
        on_air = self.outbox.on_air(port)
        for task in self.tasks.values():
            numbers = [
                message.number
                for message in task.job.messages
                if message.port == port
                and message.user_id not in task.done
                and message is not on_air
            ]
            if numbers and not task.removed:
                yield task, numbers

    def restart(self) -> None:
        """A reboot: tasks and cached results are lost; the tids stay taken."""
        self.timers.cancel_all()
        self.tasks.clear()
        self._by_job.clear()
