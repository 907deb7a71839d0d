"""Fixtures: a simulated gateway over loopback and an entry pointing at it.

A test module adjusts them by overriding `simulator_timings` or
`web_internal_url`; the plain helpers the tests share are in support.py.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
import json
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

if TYPE_CHECKING:
    from aiohttp.test_utils import TestClient

# Import the repository's package before Home Assistant's loader looks for
# `custom_components`, or it finds the test plugin's empty one instead.
import custom_components.gsm_gateway  # noqa: F401
from custom_components.gsm_gateway.const import CONF_API_FAMILY, DOMAIN
from gsm_simulator.server import Simulator

from .pushes import Poster
from .support import add_through_flow, flow_input

pytest_plugins = ["gsm_simulator.pytest_plugin"]

type SimulatorFactory = Callable[..., Awaitable[Simulator]]


def pytest_addoption(parser: pytest.Parser) -> None:
    """--soak-long, --soak-hours, --soak-seed: how long the fault soak runs, and its faults."""
    parser.addoption(
        "--soak-long",
        action="store_true",
        help="run the fault soak for a long stretch of simulated time",
    )
    parser.addoption(
        "--soak-hours",
        type=float,
        default=None,
        help="run the fault soak for this many simulated hours",
    )
    parser.addoption(
        "--soak-seed",
        type=int,
        default=20261122,
        help="seed of the fault soak's random faults and messages",
    )


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load the integration under test."""


@pytest.fixture
def simulator_timings() -> dict[str, float]:
    """Timings of the `simulator` fixture (a test module may override this)."""
    return {}


@pytest.fixture
async def simulator(
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
    simulator_timings: dict[str, float],
) -> Simulator:
    """An 8-port Dinstar with digest authentication on 127.0.0.1, timed as set."""
    return await gsm_simulator_factory(dialect="dinstar", ports=8, **simulator_timings)


def entry_data(sim: Simulator, **overrides: Any) -> dict[str, Any]:
    """Config entry data that reaches a simulator."""
    return (
        flow_input(sim, username="admin", password="admin")
        | {CONF_API_FAMILY: "dinstar"}
        | overrides
    )


@pytest.fixture
def short_timeout() -> Generator[None]:
    """Time out requests after a second instead of ten."""
    # Long enough for a good answer on a busy machine, short for a test.
    with patch("custom_components.gsm_gateway.helpers.REQUEST_TIMEOUT", 1.0):
        yield


@pytest.fixture
def config_entry(simulator: Simulator) -> MockConfigEntry:
    """An entry for the simulated gateway, as the config flow makes it."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="Office",
        unique_id=simulator.serial,
        data=entry_data(simulator),
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The entry, set up."""
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    return config_entry


@pytest.fixture
async def post(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> Poster:
    """POST a body to the entry's webhook; return the status."""
    client = await hass_client_no_auth()
    url = f"/api/webhook/{init_integration.data[CONF_WEBHOOK_ID]}"

    async def send(body: bytes | str | dict[str, Any]) -> int:
        raw = json.dumps(body) if isinstance(body, dict) else body
        response = await client.post(url, data=raw)
        await hass.async_block_till_done()
        return response.status

    return send


@pytest.fixture
async def pushing(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> Simulator:
    """The simulator, pushing to the entry's webhook as a configured gateway."""
    client = await hass_client_no_auth()
    simulator.push_url = str(
        client.make_url(f"/api/webhook/{init_integration.data[CONF_WEBHOOK_ID]}")
    )
    return simulator


@pytest.fixture
async def second_entry(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    gsm_simulator_factory: SimulatorFactory,
) -> MockConfigEntry:
    """Another gateway, set up next to the first."""
    other = await gsm_simulator_factory(dialect="dinstar", ports=2, seed=3)
    entry = MockConfigEntry(
        domain=DOMAIN, title="Lab", unique_id=other.serial, data=entry_data(other)
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
def web_internal_url() -> bool:
    """Whether `web` makes its server Home Assistant's internal URL (overridable)."""
    return True


@pytest.fixture
async def web(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    web_internal_url: bool,
) -> TestClient:
    """Home Assistant's HTTP server with what an entry uses, for pushes and diagnostics.

    With `web_internal_url`, the webhook URL the integration registers with
    a device is Home Assistant's internal URL: the test server on 127.0.0.1.
    """
    # Everything that serves HTTP first: the server's routes are fixed once it runs.
    for component in ("http", "webhook", "diagnostics", "repairs", "notify"):
        assert await async_setup_component(hass, component, {})
    client = await hass_client_no_auth()
    if web_internal_url:
        await hass.config.async_update(internal_url=f"http://127.0.0.1:{client.port}")
    return client


@pytest.fixture
async def entry(
    hass: HomeAssistant, web: TestClient, sim: Simulator
) -> MockConfigEntry:
    """The test module's `sim`, added through the config flow as a user would."""
    return await add_through_flow(hass, sim)


@pytest.fixture
def calls(hass: HomeAssistant) -> list[ServiceCall]:
    """The calls of the `test.automation` action the test automations run."""
    return async_mock_service(hass, "test", "automation")
