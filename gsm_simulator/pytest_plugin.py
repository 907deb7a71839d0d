"""Pytest fixtures that run simulators on 127.0.0.1 and stop them at teardown.

Load with ``pytest_plugins = ["gsm_simulator.pytest_plugin"]`` in the top-level
conftest, or import the fixtures into a conftest.  When pytest-socket blocks
sockets (as pytest-homeassistant-custom-component does), the fixtures turn
on its ``socket_enabled`` fixture; its host allow-list (loopback) stays.
``push_receiver`` is a loopback server collecting a simulator's pushes.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, Unpack

import pytest

from .push import PushReceiver
from .server import Simulator

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterable, Mapping

    from .auth import AuthMode
    from .dialect import Dialect


class SimulatorOptions(TypedDict, total=False):
    """Keyword arguments of :class:`Simulator` besides the dialect."""

    ports: int
    slots: int
    auth: AuthMode | str | None
    username: str
    password: str
    serial: str | None
    seed: int
    delay: float
    host: str
    port: int
    content_type: str | None
    realm: str | None
    drift_interval: float | None
    send_time: float
    delivery_delay: float
    ussd_delay: float
    register_delay: float
    stk_delay: float
    push_url: str | None
    push_types: Iterable[str] | None
    push_timeout: float
    dialect_options: Mapping[str, Any] | None


class SimulatorFactory(Protocol):
    """Starts a simulator; every one started is stopped at teardown."""

    async def __call__(
        self,
        dialect: str | type[Dialect] = "dinstar",
        **options: Unpack[SimulatorOptions],
    ) -> Simulator:
        """Create and start a simulator."""


def enable_loopback_sockets(request: pytest.FixtureRequest) -> None:
    """Let the current test open sockets (pytest-socket's ``socket_enabled``), if blocked."""
    # Without pytest-socket there is no such fixture, and nothing blocks sockets.
    with contextlib.suppress(pytest.FixtureLookupError):
        request.getfixturevalue("socket_enabled")


@pytest.fixture
async def gsm_simulator_factory(
    request: pytest.FixtureRequest,
) -> AsyncIterator[SimulatorFactory]:
    """Start simulators on demand; all are stopped at teardown.

    Usage: ``sim = await gsm_simulator_factory("dinstar", ports=4, auth="basic")``
    (a :class:`~gsm_simulator.dialect.Dialect` class works as well as a name).
    """
    enable_loopback_sockets(request)
    started: list[Simulator] = []

    async def factory(
        dialect: str | type[Dialect] = "dinstar", **options: Unpack[SimulatorOptions]
    ) -> Simulator:
        simulator = Simulator(dialect, **options)
        await simulator.start()
        started.append(simulator)
        return simulator

    yield factory
    for simulator in reversed(started):
        await simulator.stop()


@pytest.fixture
async def dinstar_simulator(gsm_simulator_factory: SimulatorFactory) -> Simulator:
    """A started 8-port single-SIM Dinstar simulator with digest auth (admin/admin)."""
    return await gsm_simulator_factory("dinstar", ports=8, auth="digest")


@pytest.fixture
async def push_receiver(request: pytest.FixtureRequest) -> AsyncIterator[PushReceiver]:
    """A started :class:`PushReceiver` on 127.0.0.1; give its ``url`` as ``push_url``."""
    enable_loopback_sockets(request)
    async with PushReceiver() as receiver:
        yield receiver
