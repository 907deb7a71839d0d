"""Setup, unload, failures at setup, unavailability and recovery, port changes."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import SOURCE_REAUTH, ConfigEntryState
from homeassistant.const import (
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.gsm_gateway.const import DOMAIN
from gsm_simulator.server import Simulator

from .support import find_device

SIGNAL = "sensor.office_port_2_signal_strength"


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    # The coordinator's schedule carries a sub-second offset: step past it.
    freezer.tick(timedelta(seconds=seconds + 1))
    async_fire_time_changed(hass)
    # Scheduled refreshes run as background tasks.
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_setup_and_unload(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    assert init_integration.state is ConfigEntryState.LOADED
    assert hass.states.get(SIGNAL) is not None
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get(SIGNAL).state == STATE_UNAVAILABLE


async def test_one_request_per_port_refresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    simulator.clear_requests()
    await advance(hass, freezer, 30)
    assert {record.path for record in simulator.requests} == {"/api/get_port_info"}
    # One request, plus the digest challenge when the nonce went stale.
    assert len(simulator.requests) <= 2


async def test_not_ready_when_gateway_down(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    simulator.faults.add("drop", count=None)
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_RETRY


async def test_status_failure_does_not_block_setup(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    simulator.faults.add("status", count=None, status=500, path="/api/get_status")
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    assert config_entry.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.office_cpu_usage").state == STATE_UNAVAILABLE
    assert hass.states.get(SIGNAL).state != STATE_UNAVAILABLE


async def test_auth_failure_at_setup_starts_reauth(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    simulator.auth.password = "changed"
    config_entry.add_to_hass(hass)
    await hass.config_entries.async_setup(config_entry.entry_id)
    assert config_entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]
    assert flows[0]["context"]["entry_id"] == config_entry.entry_id


async def test_auth_failure_while_running_starts_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    simulator.auth.password = "changed"
    await advance(hass, freezer, 30)
    # Once may be the gateway's web server restarting: unavailable, no reauth.
    assert hass.states.get(SIGNAL).state == STATE_UNAVAILABLE
    assert hass.config_entries.flow.async_progress() == []
    await advance(hass, freezer, 30)
    flows = hass.config_entries.flow.async_progress()
    assert [flow["context"]["source"] for flow in flows] == [SOURCE_REAUTH]


async def test_single_refusal_recovers_without_reauth(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    simulator.faults.add("status", count=1, status=401, path="/api/get_port_info")
    await advance(hass, freezer, 30)
    assert hass.states.get(SIGNAL).state == STATE_UNAVAILABLE
    await advance(hass, freezer, 30)
    assert hass.states.get(SIGNAL).state != STATE_UNAVAILABLE
    # Refusals separated by another failure are not "twice in a row".
    for status in (401, 500, 401):
        simulator.faults.add(
            "status", count=1, status=status, path="/api/get_port_info"
        )
        await advance(hass, freezer, 30)
    assert hass.config_entries.flow.async_progress() == []
    await advance(hass, freezer, 30)
    assert hass.states.get(SIGNAL).state != STATE_UNAVAILABLE


async def test_unavailable_then_recovers(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    before = hass.states.get(SIGNAL).state
    assert before != STATE_UNAVAILABLE
    # aiohttp retries an idempotent request once when a kept-alive
    # connection drops, so a drop must hit twice to be seen.
    for fault, count in (("drop", 2), ("malformed_json", 1), ("status", 1)):
        simulator.faults.add(fault, count=count)
        await advance(hass, freezer, 30)
        assert hass.states.get(SIGNAL).state == STATE_UNAVAILABLE, fault
        await advance(hass, freezer, 30)
        assert hass.states.get(SIGNAL).state == before, fault


@pytest.mark.usefixtures("short_timeout")
async def test_timeout_makes_entities_unavailable(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """A gateway that stops answering; refreshes asked for through the UI.

    Real time runs here (timeouts need it), so the refresh debounce is off.
    """
    with patch(
        "homeassistant.helpers.update_coordinator.REQUEST_REFRESH_DEFAULT_COOLDOWN", 0
    ):
        config_entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(config_entry.entry_id)
    assert await async_setup_component(hass, "homeassistant", {})

    async def update() -> None:
        await hass.services.async_call(
            "homeassistant", "update_entity", {"entity_id": SIGNAL}, blocking=True
        )
        await hass.async_block_till_done(wait_background_tasks=True)

    simulator.faults.add("timeout", count=None, seconds=2)
    await update()
    assert hass.states.get(SIGNAL).state == STATE_UNAVAILABLE
    simulator.faults.clear()
    await update()
    assert hass.states.get(SIGNAL).state != STATE_UNAVAILABLE


async def test_signal_change_is_reflected(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    simulator.set_signal(2, 5)
    port = next(p for p in simulator.state.ports if p.sim is not None and p.index != 2)
    simulator.set_registration(port.index, "searching")
    await advance(hass, freezer, 30)
    assert hass.states.get(SIGNAL).state == str(-113 + 2 * 5)
    registration = hass.states.get(f"sensor.office_port_{port.index}_registration")
    assert registration.state == "searching"


async def test_ports_appear_and_disappear(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    serial = simulator.serial
    simulator.set_port_count(4)
    await advance(hass, freezer, 30)
    assert find_device(device_registry, {(DOMAIN, f"{serial}_port_5")}) is None
    assert hass.states.get("sensor.office_port_5_signal_strength") is None
    assert find_device(device_registry, {(DOMAIN, f"{serial}_port_3")})
    simulator.set_port_count(6)
    await advance(hass, freezer, 30)
    assert find_device(device_registry, {(DOMAIN, f"{serial}_port_5")})
    assert hass.states.get("sensor.office_port_5_signal_strength") is not None


async def test_remove_stale_device(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    device_registry: dr.DeviceRegistry,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    assert await async_setup_component(hass, "config", {})
    client = await hass_ws_client(hass)
    entry_id = init_integration.entry_id

    async def remove(device_id: str) -> bool:
        await client.send_json_auto_id(
            {
                "type": "config/device_registry/remove_config_entry",
                "config_entry_id": entry_id,
                "device_id": device_id,
            }
        )
        return bool((await client.receive_json())["success"])

    gateway = find_device(device_registry, {(DOMAIN, simulator.serial)})
    port = find_device(device_registry, {(DOMAIN, f"{simulator.serial}_port_1")})
    stale = device_registry.async_get_or_create(
        config_entry_id=entry_id, identifiers={(DOMAIN, f"{simulator.serial}_port_31")}
    )
    assert gateway
    assert port
    assert not await remove(gateway.id)
    assert not await remove(port.id)
    assert await remove(stale.id)


async def test_only_changed_entities_are_written(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """One port's signal changes: one state write, not one per entity."""
    writes: list[str] = []

    @callback
    def every(_data: Any) -> bool:
        return True

    @callback
    def record(event: Any) -> None:
        writes.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, record)
    hass.bus.async_listen(EVENT_STATE_REPORTED, record, event_filter=every)
    await advance(hass, freezer, 30)
    assert writes == []
    simulator.set_signal(2, 7)
    await advance(hass, freezer, 30)
    assert writes == [SIGNAL]
    assert hass.states.get(SIGNAL).state == str(-113 + 2 * 7)
    # Unavailable and back: every entity is written, once each way.
    writes.clear()
    simulator.faults.add("status", count=1, status=500, path="/api/get_port_info")
    await advance(hass, freezer, 30)
    port_entities = {
        entry.entity_id
        for entry in er.async_entries_for_config_entry(
            er.async_get(hass), init_integration.entry_id
        )
        if entry.disabled_by is None
        and entry.unique_id.split("_")[1].isdigit()  # "<serial>_<port>_<key>"
    }
    assert sorted(writes) == sorted(port_entities)
    await advance(hass, freezer, 30)
    assert Counter(writes) == dict.fromkeys(port_entities, 2)
