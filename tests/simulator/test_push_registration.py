"""Push URL and period registered by the client, with a small dialect of the tests' own."""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, ClassVar

import aiohttp
from aiohttp import web
import pytest

from gsm_simulator import PushReceiver, RegisterChange, SimGateway, Simulator
from gsm_simulator.dialect import Dialect

from .conftest import FAST

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gsm_simulator.model import GatewayEvent
    from gsm_simulator.pytest_plugin import SimulatorFactory

TIMEOUT = 5
PERIOD = 0.05
CONTENT_TYPE = "application/json;charset=utf-8"


class RegisteringDialect(Dialect):
    """``GET /get_status.html?url=...&period=...`` registers where pushes go.

    It answers with the status the periodic push also carries; a port's
    registration changing is pushed at once.  Ports are numbered from 1.
    """

    name: ClassVar[str] = "test_registering"
    push_types: ClassVar[tuple[str, ...]] = ("status", "port")
    push_content_type: ClassVar[str] = CONTENT_TYPE
    first_port: ClassVar[int] = 1

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.seq = 0
        self.failures_left = 0

    def routes(self) -> Iterable[web.AbstractRouteDef]:
        return (web.get("/get_status.html", self.get_status),)

    async def get_status(self, request: web.Request) -> web.Response:
        url = request.query.get("url") or None
        try:
            self.register_push(url, float(request.query.get("period", "60")))
        except ValueError:
            return self.json_response({"code": 400})
        return self.json_response(self.status())

    def status(self) -> dict[str, Any]:
        self.seq += 1
        return {
            "seq": self.seq,
            "ports": [
                {"port": self.port_number(port.index), "up": port.registered}
                for port in self.gateway.ports
            ],
        }

    def render_periodic_push(self) -> list[tuple[str, dict[str, Any]]]:
        if self.failures_left:
            self.failures_left -= 1
            msg = "rendering broke"
            raise RuntimeError(msg)
        return [("status", {"status": self.status()})]

    def render_push(self, event: GatewayEvent) -> list[tuple[str, dict[str, Any]]]:
        if isinstance(event, RegisterChange):
            port = {"port": self.port_number(event.port), "up": event.up}
            return [("port", {"port": port})]
        return []


async def register(
    session: aiohttp.ClientSession, sim: Simulator, url: str, period: float
) -> Any:
    """Call the dialect's registration route; the JSON answer."""
    query = {"url": url, "period": str(period)}
    async with session.get(f"{sim.url}/get_status.html", params=query) as response:
        assert response.status == 200
        return await response.json()


async def settle(sim: Simulator, receiver: PushReceiver) -> int:
    """Let queued pushes arrive; how many the receiver has."""
    async with asyncio.timeout(TIMEOUT):
        await sim.pusher.wait_idle()
    return len(receiver.received)


@pytest.fixture
async def sim(gsm_simulator_factory: SimulatorFactory) -> Simulator:
    """A 2-port simulator of :class:`RegisteringDialect` without a push URL."""
    return await gsm_simulator_factory(RegisteringDialect, ports=2, **FAST)


async def test_registered_url_gets_periodic_and_event_pushes(
    sim: Simulator, push_receiver: PushReceiver, session: aiohttp.ClientSession
) -> None:
    """After registering, a status push comes every period and events at once."""
    assert sim.push_url is None
    answer = await register(session, sim, push_receiver.url, PERIOD)
    assert answer == {
        "seq": 1,
        "ports": [{"port": 1, "up": True}, {"port": 2, "up": True}],
    }
    assert sim.push_url == push_receiver.url == sim.push_schedule.url
    assert (sim.push_schedule.period, sim.push_schedule.active) == (PERIOD, True)
    async with asyncio.timeout(TIMEOUT):
        first, second = (await push_receiver.wait_for(2, "status"))[:2]
    assert second["status"]["seq"] == first["status"]["seq"] + 1
    assert push_receiver.received[0].headers["Content-Type"] == CONTENT_TYPE
    sim.set_registration(1, "not_registered")
    async with asyncio.timeout(TIMEOUT):
        (event,) = await push_receiver.wait_for(1, "port")
    assert event == {"port": {"port": 2, "up": False}}
    async with asyncio.timeout(TIMEOUT):
        latest = (await push_receiver.wait_for(3, "status"))[-1]
    assert latest["status"]["ports"][1] == {"port": 2, "up": False}


async def test_registration_changes_until_changed_again(
    sim: Simulator, push_receiver: PushReceiver, session: aiohttp.ClientSession
) -> None:
    """Period 0 keeps only event pushes, another URL moves them, no URL stops all."""
    await register(session, sim, push_receiver.url, PERIOD)
    async with asyncio.timeout(TIMEOUT):
        await push_receiver.wait_for(1, "status")
    await register(session, sim, push_receiver.url, 0)
    assert not sim.push_schedule.active
    count = await settle(sim, push_receiver)
    await asyncio.sleep(PERIOD * 4)
    assert len(push_receiver.received) == count
    sim.set_registration(0, "searching")
    async with asyncio.timeout(TIMEOUT):
        await push_receiver.wait_for(1, "port")
    async with PushReceiver() as other:
        await register(session, sim, other.url, PERIOD)
        async with asyncio.timeout(TIMEOUT):
            await other.wait_for(1, "status")
        sim.set_registration(0, "registered")
        async with asyncio.timeout(TIMEOUT):
            await other.wait_for(1, "port")
        assert len(push_receiver.payloads("port")) == 1
        await register(session, sim, "", PERIOD)
        assert sim.push_url is None
        before = await settle(sim, other)
        sim.set_registration(0, "searching")
        await asyncio.sleep(PERIOD * 4)
        assert await settle(sim, other) == before


async def test_bad_period_changes_nothing(
    sim: Simulator, push_receiver: PushReceiver, session: aiohttp.ClientSession
) -> None:
    """A negative or non-finite period is refused and the registration stays."""
    await register(session, sim, push_receiver.url, PERIOD)
    assert await register(session, sim, "http://127.0.0.1:9/x", -1) == {"code": 400}
    for period in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="period"):
            sim.push_schedule.register(None, period)
    assert (sim.push_url, sim.push_schedule.period) == (push_receiver.url, PERIOD)


async def test_periodic_pushes_stop_with_the_simulator(
    sim: Simulator, push_receiver: PushReceiver, session: aiohttp.ClientSession
) -> None:
    """Stopping ends the periodic pushes; the next start resumes the registration."""
    await register(session, sim, push_receiver.url, PERIOD)
    async with asyncio.timeout(TIMEOUT):
        await push_receiver.wait_for(1, "status")
    await sim.stop()
    assert not sim.push_schedule.active
    rounds = sim.push_schedule.rounds
    await asyncio.sleep(PERIOD * 4)
    assert sim.push_schedule.rounds == rounds
    await sim.start()
    assert sim.push_schedule.active
    seen = len(push_receiver.payloads("status"))
    async with asyncio.timeout(TIMEOUT):
        await push_receiver.wait_for(seen + 1, "status")


async def test_registration_before_start_and_paused_while_down(
    push_receiver: PushReceiver,
) -> None:
    """A registration made before the start takes effect then; none while rebooting."""
    sim = Simulator(RegisteringDialect, ports=1, **FAST)
    sim.dialect.register_push(push_receiver.url, PERIOD)
    assert not sim.push_schedule.active
    async with sim:
        assert sim.push_schedule.active
        async with asyncio.timeout(TIMEOUT):
            await push_receiver.wait_for(1, "status")
        sim.reboot(downtime=TIMEOUT)
        assert sim.offline
        assert sim.push_schedule.push_now() == 0
    assert not sim.push_schedule.active


async def test_periodic_type_filter_and_render_failure(
    gsm_simulator_factory: SimulatorFactory,
    push_receiver: PushReceiver,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The push type filter applies; a failing render is logged and the next one goes."""
    filtered = await gsm_simulator_factory(
        RegisteringDialect, ports=1, push_types=["port"], **FAST
    )
    filtered.push_schedule.register(push_receiver.url, 0)
    assert filtered.push_schedule.push_now() == 0
    assert filtered.push_schedule.rounds == 1
    sim = await gsm_simulator_factory(RegisteringDialect, ports=1, **FAST)
    dialect = sim.dialect
    assert isinstance(dialect, RegisteringDialect)
    dialect.failures_left = 1
    with caplog.at_level(logging.ERROR, logger="gsm_simulator.push_schedule"):
        sim.push_schedule.register(push_receiver.url, PERIOD)
        async with asyncio.timeout(TIMEOUT):
            await push_receiver.wait_for(1, "status")
    assert "rendering the periodic pushes failed" in caplog.text
    assert dialect.failures_left == 0


def test_register_push_needs_a_simulator() -> None:
    """A dialect built on a bare gateway has no pushes to register."""
    dialect = RegisteringDialect(SimGateway(ports=1))
    assert dialect.render_periodic_push()[0][0] == "status"
    with pytest.raises(RuntimeError, match="simulator"):
        dialect.register_push("http://127.0.0.1:9/", PERIOD)


def test_dialect_defaults_push_nothing_periodic() -> None:
    """The base class renders no periodic push."""

    class Quiet(Dialect):
        name = "test_quiet"

        def routes(self) -> list[web.RouteDef]:
            return []

    assert Quiet(SimGateway(ports=1)).render_periodic_push() == []
