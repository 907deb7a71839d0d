"""The network side: an event loop in its own thread for simulators and push clients."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
import contextlib
from dataclasses import dataclass, field
import threading
import time
from typing import Any

import aiohttp

from gsm_simulator.server import Simulator


class Peer:
    """A second asyncio loop running in a thread, joined at :meth:`close`.

    Everything that stands for the other end of the wire lives here: the
    simulated gateways, and the HTTP client that plays a gateway pushing.
    Home Assistant's loop awaits work on it with :meth:`call`.
    """

    def __init__(self) -> None:
        """Start the thread and its loop."""
        self.loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="bench-network-side", daemon=True
        )
        self._thread.start()
        self._ready.wait()
        self.simulators: list[Simulator] = []

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.call_soon(self._ready.set)
        self.loop.run_forever()

    async def call[T](self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the peer loop; await its result from the caller's loop."""
        return await asyncio.wrap_future(
            asyncio.run_coroutine_threadsafe(coro, self.loop)
        )

    async def run[T](self, func: Callable[..., T], *args: Any) -> T:
        """Call a plain function on the peer loop (simulator hooks are not thread-safe)."""

        async def wrapper() -> T:
            return func(*args)

        return await self.call(wrapper())

    async def simulator(self, dialect: str, **options: Any) -> Simulator:
        """Start a simulator of ``dialect`` on the peer loop; stopped at :meth:`aclose`."""

        async def start() -> Simulator:
            sim = Simulator(dialect, **options)
            await sim.start()
            return sim

        sim = await self.call(start())
        self.simulators.append(sim)
        return sim

    async def aclose(self) -> None:
        """Stop every simulator, then the loop and its thread."""

        async def shutdown() -> None:
            for sim in reversed(self.simulators):
                await sim.stop()
            tasks = [
                task
                for task in asyncio.all_tasks()
                if task is not asyncio.current_task()
            ]
            for task in tasks:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*tasks, return_exceptions=True)
            await self.loop.shutdown_asyncgens()

        try:
            await self.call(shutdown())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            await asyncio.get_running_loop().run_in_executor(None, self._thread.join)
            self.loop.close()


@dataclass(slots=True)
class PostRun:
    """When each POST of a run was sent and what it was answered."""

    sent: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    first_sent: float = 0.0
    last_answered: float = 0.0


async def post_bodies(url: str, bodies: Sequence[bytes], concurrency: int) -> PostRun:
    """POST every body to ``url`` with at most ``concurrency`` in flight (on the peer loop).

    Each request carries its index in ``X-Bench-Seq``; ``sent[i]`` is the
    :func:`time.perf_counter` taken just before request ``i`` went out.
    """
    run = PostRun(sent=[0.0] * len(bodies), statuses=[0] * len(bodies))
    gate = asyncio.Semaphore(concurrency)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def one(index: int, body: bytes) -> None:
            async with gate:
                headers = {
                    "Content-Type": "application/json",
                    "X-Bench-Seq": str(index),
                }
                run.sent[index] = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    run.statuses[index] = response.status

        run.first_sent = time.perf_counter()
        await asyncio.gather(*(one(i, body) for i, body in enumerate(bodies)))
        run.last_answered = time.perf_counter()
    return run
