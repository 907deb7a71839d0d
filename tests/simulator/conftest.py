"""Fixtures of the simulator's own tests (no Home Assistant needed)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from gsm_simulator.pytest_plugin import (
    dinstar_simulator,
    enable_loopback_sockets,
    gsm_simulator_factory,
    push_receiver,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from gsm_simulator.pytest_plugin import SimulatorFactory
    from gsm_simulator.server import Simulator

__all__ = [
    "dinstar_simulator",
    "gsm_simulator_factory",
    "loopback",
    "push_receiver",
]


FAST: dict[str, Any] = {
    "auth": "none",
    "send_time": 0.01,
    "delivery_delay": 0.01,
    "ussd_delay": 0.01,
    "register_delay": 0.02,
    "stk_delay": 0.01,
}
"""Simulator options that make background work take milliseconds."""


@pytest.fixture
def loopback(request: pytest.FixtureRequest) -> None:
    """Allow sockets in a test that starts no simulator through the factory."""
    enable_loopback_sockets(request)


class JsonClient:
    """GET/POST a simulator's endpoints without auth and decode the JSON answers."""

    def __init__(self, session: aiohttp.ClientSession, sim: Simulator) -> None:
        """Talk to ``sim`` through ``session``."""
        self.session = session
        self.sim = sim

    async def get(self, path: str, **params: str) -> Any:
        """GET ``path`` with query ``params``; assert HTTP 200; return the JSON."""
        async with self.session.get(self.sim.url + path, params=params) as response:
            assert response.status == 200
            return json.loads(await response.read())

    async def post(
        self, path: str, body: Any = None, *, raw: bytes | None = None
    ) -> Any:
        """POST ``body`` as JSON (or ``raw`` bytes); assert HTTP 200; return the JSON."""
        data = raw if raw is not None else json.dumps(body).encode()
        async with self.session.post(self.sim.url + path, data=data) as response:
            assert response.status == 200
            return json.loads(await response.read())


@pytest.fixture
async def fast_sim(gsm_simulator_factory: SimulatorFactory) -> Simulator:
    """An 8-port Dinstar without auth whose background work takes milliseconds."""
    return await gsm_simulator_factory("dinstar", ports=8, **FAST)


@pytest.fixture
async def api(fast_sim: Simulator) -> AsyncIterator[JsonClient]:
    """A :class:`JsonClient` on :func:`fast_sim`."""
    async with aiohttp.ClientSession() as session:
        yield JsonClient(session, fast_sim)


class Control:
    """Calls a simulator's control API (``/sim/api``); answers (status, JSON)."""

    def __init__(self, session: aiohttp.ClientSession, sim: Simulator) -> None:
        """Talk to ``sim`` through ``session``."""
        self.session = session
        self.sim = sim

    async def call(
        self, method: str, path: str, body: Any = None, *, raw: bytes | None = None
    ) -> tuple[int, Any]:
        """Send ``body`` as JSON (or ``raw`` bytes) to ``/sim/api`` + ``path``."""
        data = raw if raw is not None else None if body is None else json.dumps(body)
        async with self.session.request(
            method, f"{self.sim.url}/sim/api{path}", data=data
        ) as response:
            return response.status, json.loads(await response.read())

    async def ok(self, method: str, path: str, body: Any = None) -> Any:
        """Like :meth:`call`, asserting HTTP 200; the JSON answer."""
        status, answer = await self.call(method, path, body)
        assert status == 200, answer
        return answer


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    """A client session without auth."""
    async with aiohttp.ClientSession() as client:
        yield client


@pytest.fixture
async def control(fast_sim: Simulator, session: aiohttp.ClientSession) -> Control:
    """The control API of :func:`fast_sim` (8 ports, port 3 without SIM)."""
    return Control(session, fast_sim)
