"""Pushes a client asks for: a push URL and a period set through the device's API.

Some vendors let the client register where pushes go, and how often the
device reports its status (for example a status page called with
``?url=...&period=60``).  A dialect's route hands that to
:meth:`PushSchedule.register` (through :meth:`Dialect.register_push
<gsm_simulator.dialect.Dialect.register_push>`); from then on every push goes
to that URL, and every ``period`` seconds the dialect's
:meth:`~gsm_simulator.dialect.Dialect.render_periodic_push` is sent as well,
until the next registration changes either.  Event pushes (a port's
registration changing, an SMS arriving ...) keep coming as the dialect's
:meth:`~gsm_simulator.dialect.Dialect.render_push` renders them.

The periodic pushes run while the simulator is started (a registration made
before or between runs takes effect at the next start), are skipped while
``paused()`` says so (the unit is down for a reboot), and go through the
:class:`~gsm_simulator.push.Pusher`, with its type filter, faults and
history.  The periodic timer runs on the event loop, not on the gateway's
timeline: it never keeps :meth:`Simulator.wait_idle
<gsm_simulator.server.Simulator.wait_idle>` waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from .push import Pusher

_LOGGER = logging.getLogger(__name__)

type RenderPushes = Callable[[], list[tuple[str, dict[str, Any]]]]
"""Renders the pushes (type, JSON body) due now."""


class PushSchedule:
    """The registered push URL and the periodic pushes that go there."""

    def __init__(
        self,
        pusher: Pusher,
        render: RenderPushes,
        *,
        paused: Callable[[], bool] | None = None,
    ) -> None:
        """Send what ``render`` gives through ``pusher`` once a period is registered."""
        self.pusher = pusher
        self.render = render
        self.paused = paused
        self.period = 0.0
        """Seconds between periodic pushes; 0: none."""
        self.rounds = 0
        """How many times the periodic pushes were rendered and submitted."""
        self._running = False
        self._task: asyncio.Task[None] | None = None

    @property
    def url(self) -> str | None:
        """Where every push goes (the pusher's URL)."""
        return self.pusher.url

    @property
    def active(self) -> bool:
        """Whether periodic pushes are being sent."""
        return self._task is not None

    def register(self, url: str | None, period: float = 0.0) -> None:
        """Push to ``url`` (``None``: nowhere) and every ``period`` seconds (0: only events).

        The first periodic push comes ``period`` seconds after the
        registration; registering again starts the count anew.
        """
        if not math.isfinite(period) or period < 0:
            msg = f"period must be a finite number of seconds >= 0, got {period!r}"
            raise ValueError(msg)
        self.pusher.url = url
        self.period = float(period)
        self._cancel()
        self._launch()

    def push_now(self) -> int:
        """Render and submit the periodic pushes now; how many were queued."""
        if self.paused is not None and self.paused():
            return 0
        self.rounds += 1
        return sum(
            self.pusher.submit(push_type, payload)
            for push_type, payload in self.render()
        )

    async def start(self) -> None:
        """Start sending periodic pushes (if a period is registered)."""
        self._running = True
        self._launch()

    async def stop(self) -> None:
        """Stop sending periodic pushes; the registration stays for the next start."""
        self._running = False
        task = self._cancel()
        if task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _launch(self) -> None:
        if self._running and self.period > 0 and self._task is None:
            self._task = asyncio.create_task(self._run(self.period))

    def _cancel(self) -> asyncio.Task[None] | None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
        return task

    async def _run(self, period: float) -> None:
        while True:
            await asyncio.sleep(period)
            try:
                self.push_now()
            except Exception:
                _LOGGER.exception("rendering the periodic pushes failed")
