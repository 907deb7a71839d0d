"""The simulator: an aiohttp server speaking one vendor dialect over a :class:`SimGateway`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Self

from aiohttp import web

from .auth import Authenticator, AuthMode
from .control import ControlApi, is_control_path
from .dialects import DIALECTS, resolve_dialect
from .faults import Fault, FaultInjector, FaultKind, GatewayMode
from .gateway import SimGateway
from .model import RegState
from .push import DEFAULT_PUSH_TIMEOUT, Pusher
from .push_schedule import PushSchedule
from .timeline import Timeline
from .timings import Timings

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from datetime import datetime
    from types import TracebackType

    from aiohttp.typedefs import Handler

    from .dialect import Dialect
    from .messaging import SendRule
    from .model import GatewayEvent, IncomingSms
    from .records import CallDirection, CallRecord, ExceptionEvent
    from .ussd import Reply

__all__ = ["DIALECTS", "RequestRecord", "Simulator"]

_LOGGER = logging.getLogger(__name__)

_MAX_CATCH_UP_STEPS: Final = 1000
_IDLE_POLL: Final = 0.005


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

    What takes time on a unit runs in the background while the simulator is
    started: ``send_time`` seconds per SMS and port, ``delivery_delay`` to
    the status reports, ``ussd_delay`` to a USSD answer (and a call-forward
    check), ``register_delay`` for a module to register after a reset, power
    on or slot change, ``stk_delay`` for the SIM toolkit's next frame.  Set
    them small in tests and :meth:`wait_idle` for the outcome.

    With ``push_url`` the gateway POSTs its events there (``push_types``:
    which of the dialect's :attr:`~Dialect.push_types`, default all), each
    attempt bounded by ``push_timeout`` seconds.  A dialect whose vendor lets
    the client register the push URL changes it (and adds periodic pushes)
    through :attr:`push_schedule`.

    ``dialect`` is a name of :data:`~gsm_simulator.dialects.DIALECTS` or a
    :class:`~gsm_simulator.dialect.Dialect` class; ``auth`` defaults to the
    dialect's :attr:`~gsm_simulator.dialect.Dialect.default_auth`;
    ``dialect_options`` are the dialect's own settings
    (:meth:`~gsm_simulator.dialect.Dialect.configure`).

    The same server answers the control API and panel under ``/sim/``
    (:mod:`gsm_simulator.control`): no authentication, no faults, not in
    :attr:`requests`.
    """

    def __init__(
        self,
        dialect: str | type[Dialect] = "dinstar",
        *,
        ports: int = 8,
        slots: int = 1,
        auth: AuthMode | str | None = None,
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
        send_time: float = 6.5,
        delivery_delay: float = 3.0,
        ussd_delay: float = 2.0,
        register_delay: float = 10.0,
        stk_delay: float = 0.5,
        push_url: str | None = None,
        push_types: Iterable[str] | None = None,
        push_timeout: float = DEFAULT_PUSH_TIMEOUT,
        dialect_options: Mapping[str, Any] | None = None,
    ) -> None:
        """Build the gateway model, the dialect, the authenticator, faults and pusher."""
        dialect_class = resolve_dialect(dialect)
        if drift_interval is not None and drift_interval <= 0:
            msg = "drift_interval must be positive"
            raise ValueError(msg)
        self.dialect_name = dialect_class.name
        timings = Timings(
            send_time=send_time,
            delivery_delay=delivery_delay,
            ussd_delay=ussd_delay,
            register_delay=register_delay,
            stk_delay=stk_delay,
        )
        self.state = SimGateway(
            ports=ports,
            slots=slots,
            seed=seed,
            serial=serial,
            timings=timings,
            timeline=Timeline(),
        )
        self.pusher = Pusher(
            push_url,
            timeout=push_timeout,
            push_types=push_types,
            known_types=dialect_class.push_types,
            content_type=dialect_class.push_content_type,
        )
        self.push_schedule = PushSchedule(
            self.pusher, self._periodic_pushes, paused=lambda: self.offline
        )
        """The client-registered push URL and period (see :mod:`~gsm_simulator.push_schedule`)."""
        self.dialect: Dialect = dialect_class(
            self.state,
            content_type=content_type,
            pushes=self.push_schedule,
            reboot=self.reboot,
            options=dialect_options,
        )
        self.state.listeners.append(self._dispatch)
        self.auth = Authenticator(
            auth if auth is not None else dialect_class.default_auth,
            username,
            password,
            realm=realm or dialect_class.default_realm,
            refusal=self.dialect.refuse_credentials,
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
        self._timeline_changed = asyncio.Event()
        self._driver: asyncio.Task[None] | None = None
        self.state.timeline.on_change = self._timeline_changed.set

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

    @property
    def timings(self) -> Timings:
        """The durations of background work (changeable at any time)."""
        return self.state.timings

    @property
    def push_url(self) -> str | None:
        """Where pushes go (``None``: nowhere); settable at any time."""
        return self.pusher.url

    @push_url.setter
    def push_url(self, url: str | None) -> None:
        self.pusher.url = url

    @property
    def push_types(self) -> frozenset[str]:
        """The push types sent; settable (unknown names raise :class:`ValueError`)."""
        return self.pusher.enabled

    @push_types.setter
    def push_types(self, push_types: Iterable[str]) -> None:
        self.pusher.enabled = frozenset(push_types)

    async def start(self) -> None:
        """Bind the socket and start answering."""
        if self._runner is not None:
            msg = "simulator already started"
            raise RuntimeError(msg)
        self._stopping = asyncio.Event()
        app = web.Application(middlewares=[self._middleware])
        app.add_routes(list(self.dialect.routes()))
        app.add_routes(ControlApi(self).routes())
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
        self.state.ip_address = self.host
        await self.pusher.start()
        await self.push_schedule.start()
        self._driver = asyncio.create_task(self._drive())
        self._last_drift = asyncio.get_running_loop().time()
        _LOGGER.debug(
            "%s simulator %s listening on %s", self.dialect_name, self.serial, self.url
        )

    async def stop(self) -> None:
        """Stop answering; held (timeout/slow) requests are released at once.

        Background work stops too: pending timers wait (they run again after
        a new :meth:`start`), pushes not yet sent are dropped.
        """
        runner, self._runner = self._runner, None
        if runner is None:
            return
        driver, self._driver = self._driver, None
        if driver is not None:
            driver.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await driver
        await self.push_schedule.stop()
        await self.pusher.stop()
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
        The ``device`` push says ``power_off`` at once and ``power_on`` after
        ``downtime``; what survives is described at :meth:`SimGateway.reboot`
        (the inbox and its ids do, the send queue and task ids do not).
        """
        self.state.reboot(downtime)
        self.auth.reset()
        if downtime > 0:
            self._offline_until = asyncio.get_running_loop().time() + downtime

    def receive_sms(
        self,
        port: int,
        sender: str,
        text: str,
        timestamp: datetime | None = None,
        *,
        push: bool = True,
    ) -> IncomingSms:
        """A message from ``sender`` arrives on ``port``: inbox (next id), then push."""
        return self.state.receive_sms(port, sender, text, timestamp, push=push)

    def simulate_call(
        self,
        port: int,
        number: str,
        *,
        answered: bool = True,
        direction: CallDirection | str = "incoming",
        duration: int = 30,
        ring_time: int = 5,
        start: datetime | None = None,
        push: bool = True,
    ) -> CallRecord:
        """A call with ``number`` on ``port`` has just ended (see :meth:`SimGateway.simulate_call`)."""
        return self.state.simulate_call(
            port,
            number,
            answered=answered,
            direction=direction,
            duration=duration,
            ring_time=ring_time,
            start=start,
            push=push,
        )

    def exception_info(
        self, port: int, kind: str = "call_fail", action: str = "reset"
    ) -> ExceptionEvent:
        """The gateway reports a problem on ``port`` (and resets it for ``reset``)."""
        return self.state.report_exception(port, kind, action)

    def fail_sms(
        self,
        *,
        number: str | None = None,
        port: int | None = None,
        count: int | None = 1,
    ) -> SendRule:
        """The next ``count`` SMS to ``number`` / on ``port`` fail (``None``: until cleared)."""
        return self.state.outbox.fail_sends(number=number, port=port, count=count)

    def fail_delivery(
        self,
        *,
        number: str | None = None,
        port: int | None = None,
        count: int | None = 1,
        status_code: int = 64,
    ) -> SendRule:
        """The next ``count`` sent SMS get status reports with ``status_code``."""
        return self.state.outbox.fail_deliveries(
            number=number, port=port, count=count, status_code=status_code
        )

    def set_ussd_reply(self, code: str, reply: Reply) -> None:
        """Answer USSD ``code`` with ``reply`` (text, function of the port, ``None``: never)."""
        self.state.ussd.set_reply(code, reply)

    def set_port_busy(self, port: int, *, busy: bool = True) -> None:
        """Make ``port`` answer USSD requests with "busy" (486) until set back."""
        if busy:
            self.state.ussd.busy_ports.add(port)
        else:
            self.state.ussd.busy_ports.discard(port)

    @property
    def offline(self) -> bool:
        """Whether the gateway is down for a reboot (see :meth:`reboot`)."""
        return self.running and asyncio.get_running_loop().time() < self._offline_until

    @property
    def idle(self) -> bool:
        """Whether no background work (timers, pushes) is pending."""
        return self.state.timeline.pending == 0 and self.pusher.idle

    async def wait_idle(self) -> None:
        """Wait until no send, answer, registration or push is pending.

        Bound the wait yourself (``asyncio.timeout``): with the default timings
        a batch of messages takes a while.
        """
        while not self.idle:
            if not self.running:
                msg = "simulator not running: background work cannot finish"
                raise RuntimeError(msg)
            await asyncio.sleep(_IDLE_POLL)

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

    # ------------------------------------------------------------ background
    def _periodic_pushes(self) -> list[tuple[str, dict[str, Any]]]:
        """The dialect's periodic pushes (see :attr:`push_schedule`)."""
        return self.dialect.render_periodic_push()

    def _dispatch(self, event: GatewayEvent) -> None:
        """Render a gateway event as the dialect's pushes and queue them."""
        for push_type, payload in self.dialect.render_push(event):
            self.pusher.submit(push_type, payload)

    async def _drive(self) -> None:
        """Run the gateway's timers as they fall due."""
        timeline = self.state.timeline
        while True:
            self._timeline_changed.clear()
            try:
                timeline.run_due()
            except Exception:
                _LOGGER.exception("simulator background work failed")
            due = timeline.next_due()
            if due is None:
                await self._timeline_changed.wait()
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(max(0.0, due - timeline.now())):
                    await self._timeline_changed.wait()

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
        loop = asyncio.get_running_loop()
        if is_control_path(request.path):
            self._catch_up_drift(loop.time())
            return await handler(request)
        body = await request.read()
        self.requests.append(
            RequestRecord(request.method, request.path, dict(request.query), body)
        )
        self._request_seen.set()
        now = loop.time()
        self._catch_up_drift(now)
        if now < self._offline_until:
            return self._hang_up(request)
        match self.faults.mode:
            case GatewayMode.DOWN:
                return self._hang_up(request)
            case GatewayMode.ERROR:
                return web.Response(status=500)
            case GatewayMode.SLOW if not await self._hold(self.faults.mode_seconds):
                return self._hang_up(request)
        if not await self._hold(self.faults.delay):
            return self._hang_up(request)
        fault = self.faults.take(request.path, before_auth=True)
        if fault is None:
            denied = self.auth.check(request, body)
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
