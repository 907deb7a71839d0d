"""Device conditions of the port devices: on a network or not."""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)

from custom_components.gsm_gateway.const import DOMAIN
from gsm_simulator.server import Simulator

from .support import gateway_device, port_device, registered_port


def conditional(name: str, device_id: str, condition_type: str) -> dict[str, Any]:
    """An automation run by an event, doing its action only under the condition."""
    return {
        "alias": name,
        "triggers": [{"trigger": "event", "event_type": "test_check"}],
        "conditions": [
            {
                "condition": "device",
                "domain": DOMAIN,
                "device_id": device_id,
                "type": condition_type,
            }
        ],
        "actions": [{"action": "test.automation", "data": {"automation": name}}],
    }


async def passing(hass: HomeAssistant, calls: list[ServiceCall]) -> list[str]:
    """The automations whose condition holds now."""
    calls.clear()
    hass.bus.async_fire("test_check")
    await hass.async_block_till_done()
    return sorted(call.data["automation"] for call in calls)


async def test_conditions_listed_for_ports_only(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = port_device(hass, simulator, registered_port(simulator))
    conditions = await async_get_device_automations(
        hass, DeviceAutomationType.CONDITION, port.id
    )
    mine = sorted(
        (c for c in conditions if c["domain"] == DOMAIN), key=lambda c: c["type"]
    )
    assert mine == [
        {
            "condition": "device",
            "domain": DOMAIN,
            "device_id": port.id,
            "type": condition_type,
            "metadata": {},
        }
        for condition_type in ("is_not_registered", "is_registered")
    ]
    hub = gateway_device(hass, simulator)
    hub_conditions = await async_get_device_automations(
        hass, DeviceAutomationType.CONDITION, hub.id
    )
    assert [c for c in hub_conditions if c["domain"] == DOMAIN] == []


async def test_registered_and_not(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    calls: list[ServiceCall],
) -> None:
    port = registered_port(simulator)
    device = port_device(hass, simulator, port).id
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                conditional("registered", device, "is_registered"),
                conditional("not_registered", device, "is_not_registered"),
            ]
        },
    )
    await hass.async_block_till_done()
    ports = init_integration.runtime_data.ports
    entity_id = f"sensor.office_port_{port}_registration"

    assert await passing(hass, calls) == ["registered"]

    for state in ("searching", "not_registered", "pin_required"):
        simulator.set_registration(port, state)
        await ports.async_refresh()
        await hass.async_block_till_done()
        assert hass.states.get(entity_id).state == state
        assert await passing(hass, calls) == ["not_registered"]

    simulator.set_registration(port, "registered")
    await ports.async_refresh()
    await hass.async_block_till_done()
    assert await passing(hass, calls) == ["registered"]

    # Out of reach: nothing is known about the network.
    simulator.faults.set_mode("error")
    await ports.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == "unavailable"
    assert await passing(hass, calls) == []

    # Roaming is on a network (the simulated gateway has no roaming state).
    hass.states.async_set(entity_id, "roaming")
    assert await passing(hass, calls) == ["registered"]


async def test_condition_without_sensor(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    calls: list[ServiceCall],
) -> None:
    """A port device whose registration sensor is gone passes neither."""
    device = port_device(hass, simulator, registered_port(simulator)).id
    registry = er.async_get(hass)
    for entry in list(registry.entities.values()):
        if entry.device_id == device and entry.translation_key == "registration":
            registry.async_remove(entry.entity_id)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                conditional("registered", device, "is_registered"),
                conditional("not_registered", device, "is_not_registered"),
            ]
        },
    )
    await hass.async_block_till_done()
    assert await passing(hass, calls) == []
