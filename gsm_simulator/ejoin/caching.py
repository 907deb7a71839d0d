"""Report caches: items held until enough of them wait or their time is up.

The unit does not push every send result or received message at once: it
caches them, and pushes the cache when it holds ``limit`` items (``sr_cnt``,
``sms_cnt``) or ``period`` seconds after the first item came (``sr_prd``,
``sms_prd``), whichever is first; then it starts over.  An item may ask for
an earlier push (a task's own, shorter period) or an immediate one (a task
reached its own count).  The timer runs on the gateway's timeline, so
:meth:`Simulator.wait_idle <gsm_simulator.server.Simulator.wait_idle>` waits
for the push.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from gsm_simulator.timeline import Timer, TimerGroup


class PushCache[T]:
    """Items waiting for their push; ``send`` gets them when it is due."""

    def __init__(
        self,
        timers: TimerGroup,
        send: Callable[[list[T]], None],
        *,
        limit: int,
        period: float,
    ) -> None:
        """Push through ``send`` at ``limit`` items or ``period`` s after the first."""
        self.timers = timers
        self.send = send
        self.limit = max(1, limit)
        self.period = period
        self.items: list[T] = []
        self._timer: Timer | None = None
        self._due = 0.0

    def add(self, item: T, *, period: float | None = None, now: bool = False) -> None:
        """Cache ``item``; push within ``period`` s if sooner, or at once with ``now``."""
        self.items.append(item)
        if now or len(self.items) >= self.limit:
            self.flush()
            return
        wait = self.period if period is None else min(self.period, period)
        due = self.timers.timeline.now() + wait
        if self._timer is None or due < self._due:
            self._cancel()
            self._due = due
            self._timer = self.timers.call_later(wait, self.flush)

    def flush(self) -> None:
        """Push what is cached now (nothing: no push) and start over."""
        self._cancel()
        items, self.items = self.items, []
        if items:
            self.send(items)

    def drop(self) -> None:
        """Forget what is cached, unpushed (the unit went down)."""
        self._cancel()
        self.items.clear()

    def _cancel(self) -> None:
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
