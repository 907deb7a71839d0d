"""Pushes: the gateway POSTing JSON events to a configured URL.

:class:`Pusher` sends what the dialect rendered, one push at a time and in
order (as a unit does), with a plain :class:`aiohttp.ClientSession`: no
authentication, ``Content-Type: application/json`` (or the dialect's), a
short timeout.  A push that times out is sent once more, so a slow receiver
sees a duplicate as with real units.  Nothing ever raises into the simulator: every outcome is
logged in :attr:`Pusher.history` (the last 10,000 attempts).

:class:`PushFaults` lets a test lose pushes or have them sent twice;
:class:`PushReceiver` is a small loopback server that collects pushes.
"""

from __future__ import annotations

import asyncio
from collections import deque
import contextlib
from dataclasses import dataclass, field
from enum import StrEnum
import json
import logging
import socket
from typing import TYPE_CHECKING, Any, Final, Self

import aiohttp
from aiohttp import hdrs, web

if TYPE_CHECKING:
    from collections.abc import Iterable
    from types import TracebackType

_LOGGER = logging.getLogger(__name__)

DEFAULT_PUSH_TIMEOUT: Final = 5.0
HISTORY_SIZE: Final = 10_000
"""Push attempts :attr:`Pusher.history` keeps (the oldest are forgotten)."""


def encode(payload: Any) -> bytes:
    """Compact JSON, as the gateways write it."""
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()


class PushFaultKind(StrEnum):
    """What a push fault does."""

    LOSE = "lose"
    """The push never reaches the receiver."""
    DUPLICATE = "duplicate"
    """The push is sent twice (or more)."""


@dataclass(slots=True)
class PushFault:
    """One push fault and how many more pushes it will hit."""

    kind: PushFaultKind
    remaining: int | None
    push_type: str | None
    copies: int = 1
    hits: int = 0

    @property
    def active(self) -> bool:
        """Whether the fault will still hit a push."""
        return self.remaining is None or self.remaining > 0


class PushFaults:
    """Injected push faults; the first active one matching a push wins."""

    def __init__(self) -> None:
        """Start with none."""
        self._faults: list[PushFault] = []

    @property
    def active(self) -> tuple[PushFault, ...]:
        """The faults that will still hit pushes, in order."""
        return tuple(fault for fault in self._faults if fault.active)

    def _add(
        self,
        kind: PushFaultKind,
        count: int | None,
        push_type: str | None,
        copies: int = 1,
    ) -> PushFault:
        if count is not None and count < 1:
            msg = "count must be at least 1 (or None for until cleared)"
            raise ValueError(msg)
        fault = PushFault(kind, count, push_type, copies)
        self._faults.append(fault)
        return fault

    def lose(self, *, count: int | None = 1, push_type: str | None = None) -> PushFault:
        """Lose the next ``count`` pushes (of ``push_type``, e.g. ``"sms"``)."""
        return self._add(PushFaultKind.LOSE, count, push_type)

    def duplicate(
        self, *, count: int | None = 1, push_type: str | None = None, copies: int = 1
    ) -> PushFault:
        """Send the next ``count`` pushes ``copies`` extra times."""
        if copies < 1:
            msg = "copies must be at least 1"
            raise ValueError(msg)
        return self._add(PushFaultKind.DUPLICATE, count, push_type, copies)

    def clear(self) -> None:
        """Remove every push fault."""
        self._faults.clear()

    def take(self, push_type: str) -> PushFault | None:
        """Consume one hit of the first fault matching ``push_type``."""
        for fault in self._faults:
            if fault.active and fault.push_type in {None, push_type}:
                fault.hits += 1
                if fault.remaining is not None:
                    fault.remaining -= 1
                self._faults = [kept for kept in self._faults if kept.active]
                return fault
        return None


@dataclass(slots=True)
class PushRecord:
    """One push attempt and how it went (``status`` is the HTTP status, if any)."""

    push_type: str
    payload: dict[str, Any]
    url: str
    status: int | None = None
    error: str | None = None
    lost: bool = False
    attempt: int = 1
    """1 for the first sending, more for repeats (timeouts, duplicate faults)."""

    @property
    def ok(self) -> bool:
        """Whether the receiver answered with a 2xx status."""
        return self.status is not None and 200 <= self.status < 300


@dataclass(slots=True)
class _Job:
    push_type: str
    payload: dict[str, Any]
    url: str
    extra_copies: int = 0
    records: list[PushRecord] = field(default_factory=list)


class Pusher:
    """Sends pushes in the background while started (see :meth:`start`)."""

    def __init__(
        self,
        url: str | None = None,
        *,
        timeout: float = DEFAULT_PUSH_TIMEOUT,
        push_types: Iterable[str] | None = None,
        known_types: Iterable[str] = (),
        content_type: str = "application/json",
    ) -> None:
        """Push to ``url`` (``None``: not at all) the ``push_types`` (default: all known).

        The bodies are JSON, sent with ``content_type``.
        """
        if timeout <= 0:
            msg = "push timeout must be positive"
            raise ValueError(msg)
        self.url = url
        self.timeout = timeout
        self.content_type = content_type
        self.known_types = frozenset(known_types)
        self._enabled = frozenset(self.known_types)
        if push_types is not None:
            self.enabled = frozenset(push_types)
        self.retry_on_timeout = True
        """Send a push once more when the receiver did not answer in time."""
        self.faults = PushFaults()
        self.history: deque[PushRecord] = deque(maxlen=HISTORY_SIZE)
        self._queue: asyncio.Queue[_Job] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._outstanding = 0

    @property
    def enabled(self) -> frozenset[str]:
        """The push types that are sent."""
        return self._enabled

    @enabled.setter
    def enabled(self, push_types: Iterable[str]) -> None:
        wanted = frozenset(push_types)
        unknown = wanted - self.known_types
        if unknown:
            msg = f"unknown push types: {', '.join(sorted(unknown))} (known: {', '.join(sorted(self.known_types))})"
            raise ValueError(msg)
        self._enabled = wanted

    @property
    def running(self) -> bool:
        """Whether pushes are being sent."""
        return self._worker is not None

    @property
    def idle(self) -> bool:
        """Whether no push is waiting or on its way."""
        return self._outstanding == 0

    async def start(self) -> None:
        """Start the sending task (pushes submitted before are not sent)."""
        if self._worker is not None:
            return
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=self.timeout)
        )
        self._queue = asyncio.Queue()
        self._worker = asyncio.create_task(self._work(self._queue))

    async def stop(self) -> None:
        """Cancel the sending task; pushes not yet sent are dropped."""
        worker, self._worker = self._worker, None
        self._queue = None
        if worker is not None:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker
        session, self._session = self._session, None
        if session is not None:
            await session.close()
        self._outstanding = 0

    def submit(
        self, push_type: str, payload: dict[str, Any], *, url: str | None = None
    ) -> bool:
        """Queue a push to ``url`` (default: :attr:`url`); False when not sent.

        Not sent: no URL, type disabled, not started.
        """
        url = self.url if url is None else url
        if url is None or push_type not in self._enabled or self._queue is None:
            return False
        fault = self.faults.take(push_type)
        if fault is not None and fault.kind is PushFaultKind.LOSE:
            self.history.append(PushRecord(push_type, payload, url, lost=True))
            return True
        copies = fault.copies if fault is not None else 0
        self._queue.put_nowait(_Job(push_type, payload, url, copies))
        self._outstanding += 1
        return True

    async def wait_idle(self) -> None:
        """Wait until every queued push has been attempted."""
        if self._queue is not None:
            await self._queue.join()

    async def _work(self, queue: asyncio.Queue[_Job]) -> None:
        while True:
            job = await queue.get()
            try:
                await self._deliver(job)
            finally:
                queue.task_done()
                self._outstanding -= 1

    async def _deliver(self, job: _Job) -> None:
        body = encode(job.payload)
        attempt = 1
        record = await self._post(job, body, attempt)
        if record.error == "timeout" and self.retry_on_timeout:
            attempt += 1
            await self._post(job, body, attempt)
        for _ in range(job.extra_copies):
            attempt += 1
            await self._post(job, body, attempt)

    async def _post(self, job: _Job, body: bytes, attempt: int) -> PushRecord:
        record = PushRecord(job.push_type, job.payload, job.url, attempt=attempt)
        self.history.append(record)
        session = self._session
        assert session is not None  # noqa: S101 - only called by the running worker
        try:
            async with session.post(
                job.url, data=body, headers={hdrs.CONTENT_TYPE: self.content_type}
            ) as response:
                await response.read()
                record.status = response.status
        except TimeoutError:
            record.error = "timeout"
        except (aiohttp.ClientError, OSError, ValueError) as err:
            record.error = f"{type(err).__name__}: {err}"
        if record.error is not None:
            _LOGGER.debug(
                "push %s to %s failed: %s", job.push_type, job.url, record.error
            )
        return record


@dataclass(slots=True)
class ReceivedPush:
    """One push as a :class:`PushReceiver` got it."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        """The decoded body."""
        return json.loads(self.body)


class PushReceiver:
    """A loopback HTTP server that collects pushes (for tests and demos).

    ``status`` is what it answers; ``delay`` holds each answer that long
    (to make the gateway time out).  ``url`` is where to point a simulator.
    """

    def __init__(self, *, host: str = "127.0.0.1", path: str = "/push") -> None:
        """Listen on ``host`` (a free port) at ``path`` once started."""
        self.host = host
        self.path = path
        self.status = 200
        self.delay = 0.0
        self.received: list[ReceivedPush] = []
        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._arrived = asyncio.Event()
        self._closing = asyncio.Event()

    @property
    def url(self) -> str:
        """Full URL of the push path."""
        if self._port is None:
            msg = "receiver not started"
            raise RuntimeError(msg)
        return f"http://{self.host}:{self._port}{self.path}"

    def payloads(self, push_type: str | None = None) -> list[Any]:
        """Decoded bodies received so far, only those carrying ``push_type`` if given."""
        bodies = [push.json() for push in self.received]
        return [
            body
            for body in bodies
            if push_type is None or (isinstance(body, dict) and push_type in body)
        ]

    async def wait_for(self, count: int, push_type: str | None = None) -> list[Any]:
        """Wait until ``count`` pushes (of ``push_type``) arrived; bound it yourself."""
        while len(found := self.payloads(push_type)) < count:
            self._arrived.clear()
            await self._arrived.wait()
        return found

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.received.append(ReceivedPush(request.path, dict(request.headers), body))
        self._arrived.set()
        if self.delay > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.delay):
                    await self._closing.wait()
        return web.Response(status=self.status, text="OK")

    async def start(self) -> None:
        """Start listening."""
        self._closing = asyncio.Event()
        app = web.Application()
        app.router.add_post(self.path, self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await runner.setup()
        sock = socket.create_server((self.host, 0))
        await web.SockSite(runner, sock).start()
        self._port = sock.getsockname()[1]
        self._runner = runner

    async def stop(self) -> None:
        """Stop listening (held answers are released)."""
        runner, self._runner = self._runner, None
        if runner is not None:
            self._closing.set()
            await runner.cleanup()

    async def __aenter__(self) -> Self:
        """Start the receiver."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the receiver."""
        await self.stop()
