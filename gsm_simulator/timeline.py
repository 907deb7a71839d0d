"""A small discrete-event scheduler: callbacks due at points of a monotonic clock.

The gateway model never sleeps.  Whatever takes time on a real unit (sending
an SMS, a USSD answer, a module registering) is a callback scheduled on a
:class:`Timeline`.  Under the simulator the timeline follows
:func:`time.monotonic` and a background task runs callbacks as they fall due;
in unit tests a *manual* timeline is advanced by hand, so the model can be
tested synchronously and deterministically.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import heapq
import itertools
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(slots=True, eq=False)
class Timer:
    """One scheduled callback; :meth:`cancel` keeps it from running."""

    due: float
    callback: Callable[[], None]
    cancelled: bool = False
    done: bool = False
    _timeline: Timeline | None = field(default=None, repr=False)

    @property
    def pending(self) -> bool:
        """Whether the callback will still run."""
        return not (self.cancelled or self.done)

    def cancel(self) -> None:
        """Drop the callback (no effect once it ran)."""
        if self.pending:
            self.cancelled = True
            if self._timeline is not None:
                self._timeline.forget(self)


class Timeline:
    """Callbacks ordered by due time (ties: in the order they were scheduled)."""

    def __init__(self, clock: Callable[[], float] | None = None) -> None:
        """Follow ``clock`` (default :func:`time.monotonic`)."""
        self._clock = clock or time.monotonic
        self._manual_now: float | None = None
        self._heap: list[tuple[float, int, Timer]] = []
        self._order = itertools.count()
        self._pending = 0
        self.on_change: Callable[[], None] | None = None
        """Called whenever a timer is added (the async driver re-computes its wait)."""

    @classmethod
    def manual(cls) -> Timeline:
        """A timeline whose time only moves with :meth:`advance` (starts at 0)."""
        timeline = cls()
        timeline._manual_now = 0.0
        return timeline

    @property
    def is_manual(self) -> bool:
        """Whether time only moves with :meth:`advance`."""
        return self._manual_now is not None

    def now(self) -> float:
        """The current time of this timeline in seconds."""
        if self._manual_now is not None:
            return self._manual_now
        return self._clock()

    @property
    def pending(self) -> int:
        """Number of timers that will still run."""
        return self._pending

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        """Run ``callback`` ``delay`` seconds from now (0: at the next run)."""
        timer = Timer(self.now() + max(0.0, delay), callback, _timeline=self)
        heapq.heappush(self._heap, (timer.due, next(self._order), timer))
        self._pending += 1
        if self.on_change is not None:
            self.on_change()
        return timer

    def forget(self, timer: Timer) -> None:
        """Account for ``timer`` having been cancelled (called by :meth:`Timer.cancel`)."""
        if timer.cancelled:
            self._pending -= 1

    def next_due(self) -> float | None:
        """Due time of the earliest pending timer, if any."""
        while self._heap and not self._heap[0][2].pending:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def run_due(self) -> int:
        """Run every timer due by now, including those they schedule for now."""
        ran = 0
        while (due := self.next_due()) is not None and due <= self.now():
            _, _, timer = heapq.heappop(self._heap)
            timer.done = True
            self._pending -= 1
            timer.callback()
            ran += 1
        return ran

    def advance(self, seconds: float) -> int:
        """Move a manual timeline ``seconds`` ahead, running timers on the way."""
        if self._manual_now is None:
            msg = "only a manual timeline can be advanced"
            raise RuntimeError(msg)
        target = self._manual_now + seconds
        ran = 0
        while (due := self.next_due()) is not None and due <= target:
            self._manual_now = max(self._manual_now, due)
            ran += self.run_due()
        self._manual_now = target
        return ran + self.run_due()


class TimerGroup:
    """The timers of one component, so it can cancel them all (as a reboot does)."""

    def __init__(self, timeline: Timeline) -> None:
        """Schedule on ``timeline``."""
        self.timeline = timeline
        self._timers: set[Timer] = set()

    def call_later(self, delay: float, callback: Callable[[], None]) -> Timer:
        """Like :meth:`Timeline.call_later`; the timer is forgotten once it ran."""
        holder: list[Timer] = []

        def run() -> None:
            self._timers.discard(holder[0])
            callback()

        timer = self.timeline.call_later(delay, run)
        holder.append(timer)
        self._timers.add(timer)
        return timer

    def __len__(self) -> int:
        """Number of timers of this group still pending."""
        return sum(timer.pending for timer in self._timers)

    def cancel_all(self) -> None:
        """Cancel every pending timer of the group."""
        for timer in self._timers:
            timer.cancel()
        self._timers.clear()
