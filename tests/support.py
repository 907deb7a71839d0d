"""Plain helpers the integration's tests share (the fixtures are in conftest.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import json
from typing import Any, Final

from homeassistant.config_entries import SOURCE_USER, ConfigFlowResult
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.gsm_gateway.const import DOMAIN
from custom_components.gsm_gateway.helpers import port_device_identifier
from gsm_simulator.server import Simulator

FAST: Final = {"send_time": 0.01, "delivery_delay": 0.01, "ussd_delay": 0.05}
"""Simulator timings under which sends and USSD answers take milliseconds."""


async def until(check: Callable[[], bool], seconds: float = 10) -> None:
    """Wait (in real time: the simulator runs on it) until `check` holds."""
    for _ in range(int(seconds / 0.05)):
        if check():
            return
        await asyncio.sleep(0.05)
    pytest.fail(f"not within {seconds} s")


async def settle(hass: HomeAssistant, sim: Simulator) -> None:
    """Wait until the simulator's background work is done and handled."""
    async with asyncio.timeout(10):
        await sim.wait_idle()
    await hass.async_block_till_done()


# The simulated gateway.


def registered_ports(sim: Simulator) -> list[int]:
    """The model's ports that are on the network."""
    return [p.index for p in sim.state.ports if p.registered]


def registered_port(sim: Simulator) -> int:
    """The first port that can send and receive."""
    return next(p.index for p in sim.state.ports if p.registered)


def port_number(sim: Simulator, index: int) -> int:
    """The port number the device writes for a port of the model."""
    return sim.dialect.port_number(index)


def sent_bodies(sim: Simulator) -> list[dict[str, Any]]:
    """The JSON bodies of the Dinstar ``send_sms`` requests, in order."""
    return [json.loads(r.body) for r in sim.requests if r.path == "/api/send_sms"]


# Home Assistant's side.


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


def port_device(hass: HomeAssistant, sim: Simulator, port: int) -> dr.DeviceEntry:
    """The device of the simulator's port ``port``."""
    device = find_device(dr.async_get(hass), {port_device_identifier(sim.serial, port)})
    assert device is not None
    return device


def gateway_device(hass: HomeAssistant, sim: Simulator) -> dr.DeviceEntry:
    """The device of the simulated gateway itself."""
    device = find_device(dr.async_get(hass), {(DOMAIN, sim.serial)})
    assert device is not None
    return device


def flow_input(
    sim: Simulator, *, username: str | None = None, password: str | None = None
) -> dict[str, Any]:
    """What a user enters in the config flow's first step to reach ``sim``.

    The credentials are the simulator's own unless given.
    """
    return {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: sim.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: False,
        CONF_USERNAME: sim.auth.username if username is None else username,
        CONF_PASSWORD: sim.auth.password if password is None else password,
    }


async def user_flow(
    hass: HomeAssistant, user_input: dict[str, Any]
) -> ConfigFlowResult:
    """Start the config flow as a user and submit ``user_input``; the result."""
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    return await hass.config_entries.flow.async_configure(result["flow_id"], user_input)


async def add_through_flow(hass: HomeAssistant, sim: Simulator) -> MockConfigEntry:
    """Add the simulated gateway through the config flow, as a user would."""
    result = await user_flow(hass, flow_input(sim))
    assert result["type"] is FlowResultType.CREATE_ENTRY, result
    await hass.async_block_till_done()
    return result["result"]  # type: ignore[return-value]
