"""Fixtures: a simulated gateway over loopback and an entry pointing at it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
import json
from typing import Any
from unittest.mock import patch

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

# Import the repository's package before Home Assistant's loader looks for
# `custom_components`, or it finds the test plugin's empty one instead.
import custom_components.gsm_gateway  # noqa: F401
from custom_components.gsm_gateway.const import CONF_API_FAMILY, DOMAIN
from gsm_simulator.server import Simulator

from .pushes import Poster

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
async def simulator(
    socket_enabled: None, gsm_simulator_factory: SimulatorFactory
) -> Simulator:
    """An 8-port Dinstar with digest authentication on 127.0.0.1."""
    return await gsm_simulator_factory(dialect="dinstar", ports=8)


def find_device(
    registry: dr.DeviceRegistry, identifiers: set[tuple[str, str]]
) -> dr.DeviceEntry | None:
    """The device with these identifiers, on any supported Home Assistant."""
    entry_ids = {
        entry.entry_id for entry in registry.hass.config_entries.async_entries()
    }
    devices = (
        device
        for entry_id in entry_ids
        for device in dr.async_entries_for_config_entry(registry, entry_id)
    )
    return next(
        (device for device in devices if identifiers <= device.identifiers), None
    )


def entry_data(sim: Simulator, **overrides: Any) -> dict[str, Any]:
    """Config entry data that reaches a simulator."""
    return {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: sim.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: False,
        CONF_USERNAME: "admin",
        CONF_PASSWORD: "admin",
        CONF_API_FAMILY: "dinstar",
    } | overrides


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
