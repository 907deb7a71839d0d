"""The simulator: an aiohttp server speaking one vendor dialect over a :class:`SimGateway`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from typing import TYPE_CHECKING, Final, NamedTuple, Self

from aiohttp import web

from .auth import Authenticator, AuthMode
from .core import RegState, SimGateway
from .dinstar import DinstarDialect
from .faults import Fault, FaultInjector, FaultKind

if TYPE_CHECKING:
    from types import TracebackType

    from aiohttp.typedefs import Handler

    from .dialect import Dialect

_LOGGER = logging.getLogger(__name__)

DIALECTS: Final[dict[str, type[Dialect]]] = {DinstarDialect.name: DinstarDialect}
"""Dialect name -> class; a new vendor adds itself here."""

_MAX_CATCH_UP_STEPS: Final = 1000


class RequestRecord(NamedTuple):
    """One request as the simulator received it (challenge round-trips included)."""

    method: str
    path: str
    query: dict[str, str]
    body: bytes


class Simulator:
    """A running (or ready to run) simulated gateway.

    Use ``async with Simulator(...) as sim:`` or :meth:`start` / :meth:`stop`.
    ``port=0`` picks a free port; :attr:`url` tells which.  Ports of the
    gateway are 0-based in every hook.  ``drift_interval`` (seconds) makes the
    state drift with wall-clock time (one :meth:`SimGateway.tick` step per
    interval, caught up lazily at each request); ``None`` (the default) keeps it
    still unless a test calls :meth:`tick`.
    """

    def __init__(
        self,
        dialect: str = "dinstar",
        *,
        ports: int = 8,
        slots: int = 1,
        auth: AuthMode | str = AuthMode.DIGEST,
        username: str = "admin",
        password: str = "admin",  # noqa: S107 - the gateways' factory default
        serial: str | None = None,
        seed: int = 0,
        delay: float = 0.0,
        host: str = "127.0.0.1",
        port: int = 0,
        content_type: str | None = None,
        realm: str | None = None,
        drift_interval: float | None = None,
    ) -> None:
        """Build the gateway model, the dialect, the authenticator and the fault set."""
        if dialect not in DIALECTS:
            msg = f"unknown dialect {dialect!r} (known: {', '.join(sorted(DIALECTS))})"
            raise ValueError(msg)
        if drift_interval is not None and drift_interval <= 0:
            msg = "drift_interval must be positive"
            raise ValueError(msg)
        dialect_class = DIALECTS[dialect]
        self.dialect_name = dialect
        self.state = SimGateway(ports=ports, slots=slots, seed=seed, serial=serial)
        self.dialect: Dialect = dialect_class(self.state, content_type=content_type)
        self.auth = Authenticator(
            auth, username, password, realm=realm or dialect_class.default_realm
        )
        self.faults = FaultInjector(delay)
        self.requests: list[RequestRecord] = []
        self.host = host
        self.drift_interval = drift_interval
        self._requested_port = port
        self._bound_port: int | None = None
        self._runner: web.AppRunner | None = None
        self._stopping = asyncio.Event()
        self._offline_until = 0.0
        self._last_drift: float | None = None
        self._request_seen = asyncio.Event()

    # -------------------------------------------------------------- lifecycle
    @property
    def running(self) -> bool:
        """Whether the server is listening."""
        return self._runner is not None

    @property
    def port(self) -> int:
        """The TCP port the server listens on (only once started)."""
        if self._bound_port is None:
            msg = "simulator not started"
            raise RuntimeError(msg)
        return self._bound_port

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:39123`` (no trailing slash)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    @property
    def serial(self) -> str:
        """The gateway's serial number (``sn``)."""
        return self.state.serial

    async def start(self) -> None:
        """Bind the socket and start answering."""
        if self._runner is not None:
            msg = "simulator already started"
            raise RuntimeError(msg)
        self._stopping = asyncio.Event()
        app = web.Application(middlewares=[self._middleware])
        app.add_routes(list(self.dialect.routes()))
        runner = web.AppRunner(
            app, handler_cancellation=True, access_log=None, shutdown_timeout=0.5
        )
        await runner.setup()
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        try:
            sock = socket.create_server(
                (self.host, self._requested_port), family=family
            )
        except OSError:
            await runner.cleanup()
            raise
        site = web.SockSite(runner, sock)
        try:
            await site.start()
        except (
            BaseException
        ):  # pragma: no cover - the socket is already bound and listening
            sock.close()
            await runner.cleanup()
            raise
        self._bound_port = sock.getsockname()[1]
        self._runner = runner
        self._last_drift = asyncio.get_running_loop().time()
        _LOGGER.debug(
            "%s simulator %s listening on %s", self.dialect_name, self.serial, self.url
        )

    async def stop(self) -> None:
        """Stop answering; held (timeout/slow) requests are released at once."""
        runner, self._runner = self._runner, None
        if runner is None:
            return
        self._stopping.set()
        await asyncio.sleep(
            0
        )  # let held requests hang up before the runner cancels them
        await runner.cleanup()
        self._bound_port = None

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    # ------------------------------------------------------------ test hooks
    def set_registration(self, port: int, state: RegState | str) -> None:
        """Set the registration state of ``port`` (0-based)."""
        self.state.set_registration(port, state)

    def set_signal(self, port: int, csq: int) -> None:
        """Set the signal of ``port`` (CSQ 0..31, 99 unknown)."""
        self.state.set_signal(port, csq)

    def remove_sim(self, port: int, slot: int | None = None) -> None:
        """Remove the SIM of ``port`` (active slot unless ``slot`` given)."""
        self.state.remove_sim(port, slot)

    def insert_sim(self, port: int, slot: int | None = None) -> None:
        """Insert a new SIM into ``port`` (active slot unless ``slot`` given)."""
        self.state.insert_sim(port, slot)

    def set_port_count(self, count: int) -> None:
        """Make the gateway have ``count`` ports (1..32)."""
        self.state.set_port_count(count)

    def tick(self, steps: int = 1) -> None:
        """Advance the simulated drift by ``steps`` steps."""
        self.state.tick(steps)

    def reboot(self, downtime: float = 0.0) -> None:
        """Reboot the gateway; for ``downtime`` seconds every connection is dropped.

        Digest nonces are forgotten, so clients see a new challenge afterwards.
        """
        self.state.reboot()
        self.auth.reset()
        if downtime > 0:
            self._offline_until = asyncio.get_running_loop().time() + downtime

    async def wait_for_requests(self, count: int) -> None:
        """Wait until the request log holds at least ``count`` requests.

        Bound the wait yourself, e.g. ``async with asyncio.timeout(5):``.
        """
        while len(self.requests) < count:
            self._request_seen.clear()
            await self._request_seen.wait()

    def clear_requests(self) -> None:
        """Forget the request log."""
        self.requests.clear()

    # ------------------------------------------------------------ http layer
    def _catch_up_drift(self, now: float) -> None:
        if self.drift_interval is None or self._last_drift is None:
            return
        steps = int((now - self._last_drift) // self.drift_interval)
        if steps > 0:
            self.state.tick(min(steps, _MAX_CATCH_UP_STEPS))
            self._last_drift += steps * self.drift_interval

    async def _hold(self, seconds: float) -> bool:
        """Sleep ``seconds``; return False if the simulator stopped meanwhile."""
        if seconds <= 0:
            return True
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(seconds):
                await self._stopping.wait()
            return False
        return True

    @staticmethod
    def _hang_up(request: web.Request) -> web.Response:
        """Close the connection without an answer; the returned response is never sent."""
        transport = request.transport
        if transport is not None:
            transport.abort()
        return web.Response(status=499)

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        body = await request.read()
        self.requests.append(
            RequestRecord(request.method, request.path, dict(request.query), body)
        )
        self._request_seen.set()
        now = asyncio.get_running_loop().time()
        self._catch_up_drift(now)
        if now < self._offline_until:
            return self._hang_up(request)
        if not await self._hold(self.faults.delay):
            return self._hang_up(request)
        fault = self.faults.take(request.path, before_auth=True)
        if fault is None:
            denied = self.auth.check(request)
            if denied is not None:
                return denied
            fault = self.faults.take(request.path, before_auth=False)
        if fault is None:
            return await handler(request)
        return await self._apply_fault(fault, request, handler)

    async def _apply_fault(
        self, fault: Fault, request: web.Request, handler: Handler
    ) -> web.StreamResponse:
        _LOGGER.debug("fault %s on %s %s", fault.kind, request.method, request.path)
        match fault.kind:
            case FaultKind.STATUS:
                return web.Response(status=fault.status)
            case FaultKind.DROP:
                return self._hang_up(request)
            case FaultKind.TIMEOUT:
                await self._hold(fault.seconds)
                return self._hang_up(request)
            case FaultKind.SLOW:
                if not await self._hold(fault.seconds):
                    return self._hang_up(request)
                return await handler(request)
            case FaultKind.MALFORMED_JSON:  # pragma: no branch - the enum is exhaustive
                response = await handler(request)
                original = (
                    response.body
                    if isinstance(response, web.Response)
                    and isinstance(response.body, bytes)
                    else b""
                )
                body = (
                    fault.body
                    if fault.body is not None
                    else original[: len(original) // 2]
                )
                return web.Response(
                    status=200,
                    body=body,
                    headers={"Content-Type": self.dialect.content_type},
                )
