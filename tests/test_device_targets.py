"""Port devices as the target of actions: `device_id` instead of gateway and port."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from homeassistant.core import HomeAssistant, SupportsResponse
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.gsm_gateway.const import DOMAIN
from custom_components.gsm_gateway.helpers import (
    find_port_device_id,
    port_device_identifier,
)
from custom_components.gsm_gateway.service_schemas import (
    ATTR_DEVICE_ID,
    ATTR_PORT,
    ONE_PORT,
    SCHEMAS,
    SOME_PORTS,
)
from gsm_simulator.server import Simulator

from .support import FAST, registered_ports

COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN


@pytest.fixture
def simulator_timings() -> dict[str, float]:
    return FAST | {"ussd_delay": 0.0}


def port_device(hass: HomeAssistant, entry: MockConfigEntry, port: int) -> str:
    device_id = find_port_device_id(hass, entry.entry_id, entry.unique_id or "", port)
    assert device_id is not None
    return device_id


def commands(sim: Simulator) -> list[dict[str, str]]:
    return [r.query for r in sim.requests if r.path == "/api/set_port_info"]


def bodies(sim: Simulator, path: str) -> list[dict[str, Any]]:
    return [json.loads(r.body) for r in sim.requests if r.path == path]


async def call(
    hass: HomeAssistant, service: str, data: dict[str, Any], *, response: bool = False
) -> Any:
    return await hass.services.async_call(
        DOMAIN, service, data, blocking=True, return_response=response
    )


async def refused(
    hass: HomeAssistant, service: str, data: dict[str, Any]
) -> ServiceValidationError:
    only = hass.services.supports_response(DOMAIN, service) is SupportsResponse.ONLY
    with pytest.raises(ServiceValidationError) as err:
        await call(hass, service, data, response=only)
    assert str(err.value)  # translated, never empty
    return err.value


async def test_send_sms_through_port_devices(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    first, second = registered_ports(simulator)[:2]
    message = {"to": ["+447700900123"], "message": "Door open"}
    await call(hass, "send_sms", {**message, "port": first})
    await call(
        hass,
        "send_sms",
        {**message, ATTR_DEVICE_ID: port_device(hass, init_integration, first)},
    )
    by_port, by_device = bodies(simulator, "/api/send_sms")
    assert by_device["port"] == by_port["port"] == [first]
    # Several devices: their ports, in the order chosen, each once.
    devices = [
        port_device(hass, init_integration, second),
        port_device(hass, init_integration, first),
        port_device(hass, init_integration, second),
    ]
    result = await call(
        hass, "send_sms", {**message, ATTR_DEVICE_ID: devices}, response=True
    )
    assert result["ids"]
    assert bodies(simulator, "/api/send_sms")[-1]["port"] == [second, first]
    # The same ports named both ways are accepted.
    await call(
        hass,
        "send_sms",
        {
            **message,
            ATTR_DEVICE_ID: devices,
            "port": [first, second],
            "gateway": init_integration.entry_id,
        },
    )
    assert bodies(simulator, "/api/send_sms")[-1]["port"] == [second, first]


async def test_send_ussd_through_a_port_device(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = registered_ports(simulator)[0]
    simulator.set_ussd_reply("*111#", "You have 3 free minutes")
    result = await call(
        hass,
        "send_ussd",
        {ATTR_DEVICE_ID: port_device(hass, init_integration, port), "code": "*111#"},
        response=True,
    )
    assert result == {"port": port, "reply": "You have 3 free minutes"}
    assert bodies(simulator, "/api/send_ussd") == [
        {"port": [port], "command": "send", "text": "*111#"}
    ]


async def test_port_commands_through_a_port_device(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = next(p.index for p in simulator.state.ports if p.sim is not None)
    device_id = port_device(hass, init_integration, port)
    await call(hass, "power_port", {"port": port, "power": "off"})
    await call(hass, "power_port", {"port": port, "power": "on"})
    by_port = commands(simulator)
    simulator.clear_requests()
    await call(hass, "power_port", {ATTR_DEVICE_ID: device_id, "power": "off"})
    assert simulator.state.ports[port].registration.value == "power_off"
    await call(hass, "power_port", {ATTR_DEVICE_ID: device_id, "power": "on"})
    assert commands(simulator) == by_port
    simulator.clear_requests()
    # With its gateway and port given as well: the same.
    await call(
        hass,
        "reset_port",
        {
            ATTR_DEVICE_ID: device_id,
            "gateway": init_integration.entry_id,
            "port": port,
        },
    )
    assert commands(simulator) == [{"port": str(port), "action": "reset"}]


async def test_device_alone_is_enough_with_several_gateways(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    second_entry: MockConfigEntry,
) -> None:
    # A bare port is ambiguous now; the port's device is not.
    err = await refused(hass, "reset_port", {"port": 1})
    assert err.translation_key == "gateway_required"
    simulator.clear_requests()
    await call(
        hass, "reset_port", {ATTR_DEVICE_ID: port_device(hass, init_integration, 1)}
    )
    assert commands(simulator) == [{"port": "1", "action": "reset"}]


async def test_call_records_of_port_devices(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    first, second = registered_ports(simulator)[:2]
    result = await call(
        hass,
        "get_cdr",
        {
            ATTR_DEVICE_ID: [
                port_device(hass, init_integration, first),
                port_device(hass, init_integration, second),
            ]
        },
        response=True,
    )
    assert result == {"records": []}
    assert bodies(simulator, "/api/get_cdr")[-1]["port"] == [first, second]


async def test_hub_and_foreign_devices_refused(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    registry = dr.async_get(hass)
    hub = init_integration.runtime_data.gateway_device_id
    other = MockConfigEntry(domain="other", title="Other")
    other.add_to_hass(hass)
    foreign = registry.async_get_or_create(
        config_entry_id=other.entry_id,
        identifiers={("other", "x")},
        name="Kitchen lamp",
    )
    # Looks like a port of ours by its identifier, but belongs to another entry.
    lookalike = registry.async_get_or_create(
        config_entry_id=other.entry_id,
        identifiers={port_device_identifier(init_integration.unique_id or "", 99)},
        name="Lookalike",
    )
    simulator.clear_requests()
    for device_id, name in (
        (hub, "Office"),
        (foreign.id, "Kitchen lamp"),
        (lookalike.id, "Lookalike"),
    ):
        err = await refused(hass, "reset_port", {ATTR_DEVICE_ID: device_id})
        assert err.translation_key == "not_a_port_device"
        assert err.translation_placeholders == {"device": name}
    err = await refused(
        hass, "send_sms", {"to": ["10086"], "message": "hi", ATTR_DEVICE_ID: [hub]}
    )
    assert err.translation_key == "not_a_port_device"
    err = await refused(hass, "reset_port", {ATTR_DEVICE_ID: "no-such-device"})
    assert err.translation_key == "device_not_found"
    assert "no-such-device" in str(err)
    assert simulator.requests == []


async def test_mismatched_gateway_or_port_refused(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    second_entry: MockConfigEntry,
) -> None:
    device_id = port_device(hass, init_integration, 1)
    simulator.clear_requests()
    err = await refused(
        hass,
        "reset_port",
        {ATTR_DEVICE_ID: device_id, "gateway": second_entry.entry_id},
    )
    assert err.translation_key == "device_gateway_mismatch"
    assert err.translation_placeholders["given"] == "Lab"
    err = await refused(
        hass, "reset_port", {ATTR_DEVICE_ID: device_id, "gateway": "nope"}
    )
    assert err.translation_key == "device_gateway_mismatch"
    err = await refused(hass, "reset_port", {ATTR_DEVICE_ID: device_id, "port": 2})
    assert err.translation_key == "device_port_mismatch"
    assert err.translation_placeholders == {
        "device": "Office Port 1",
        "port": "1",
        "given": "2",
    }
    message = {"to": ["10086"], "message": "hi"}
    err = await refused(
        hass, "send_sms", {**message, ATTR_DEVICE_ID: [device_id], "port": [1, 2]}
    )
    assert err.translation_key == "device_port_mismatch"
    err = await refused(
        hass,
        "send_sms",
        {**message, ATTR_DEVICE_ID: [device_id, port_device(hass, second_entry, 0)]},
    )
    assert err.translation_key == "devices_on_several_gateways"
    assert err.translation_placeholders == {
        "first": "Office Port 1",
        "other": "Lab Port 0",
    }
    assert simulator.requests == []


@pytest.mark.parametrize(
    ("service", "data"),
    [
        ("reset_port", {}),
        ("power_port", {"power": "off"}),
        ("send_ussd", {"code": "*100#"}),
        ("stk_menu", {}),
    ],
)
async def test_port_or_device_required(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
) -> None:
    simulator.clear_requests()
    for extra in ({}, {"gateway": init_integration.entry_id}, {ATTR_DEVICE_ID: ""}):
        err = await refused(hass, service, {**data, **extra})
        assert err.translation_key == "gateway_or_device_required"
    assert simulator.requests == []


async def test_port_device_of_an_unloaded_gateway(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    device_id = port_device(hass, init_integration, 1)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    err = await refused(hass, "reset_port", {ATTR_DEVICE_ID: device_id})
    assert err.translation_key == "gateway_not_loaded"


async def test_port_devices_match_the_selector_filter(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """The selector offers port devices only: they have a model of their own."""
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    models = {
        field["device_id"]["selector"]["device"]["filter"]["model"]
        for service in services.values()
        if "device_id" in (field := service["fields"])
    }
    registry = dr.async_get(hass)
    devices = dr.async_entries_for_config_entry(registry, init_integration.entry_id)
    hub = init_integration.runtime_data.gateway_device_id
    assert {device.model for device in devices if device.id != hub} == models
    assert registry.async_get(hub).model not in models  # type: ignore[union-attr]


def test_every_action_with_a_port_takes_a_port_device() -> None:
    services = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    strings = json.loads((COMPONENT / "strings.json").read_text())["services"]
    with_port = {
        name
        for name, schema in SCHEMAS.items()
        if any(str(key) == ATTR_PORT for key in schema.schema)
    }
    assert with_port == ONE_PORT | SOME_PORTS
    assert not ONE_PORT & SOME_PORTS
    for name in with_port:
        fields = services[name]["fields"]
        selector = fields[ATTR_DEVICE_ID]["selector"]["device"]
        assert selector["filter"]["integration"] == DOMAIN
        assert selector.get("multiple", False) is (name in SOME_PORTS)
        # The device can replace them, so the form does not demand them.
        assert not fields["port"].get("required", False)
        assert not fields["gateway"].get("required", False)
        assert any(str(key) == ATTR_DEVICE_ID for key in SCHEMAS[name].schema)
        texts = strings[name]["fields"][ATTR_DEVICE_ID]
        assert texts["name"]
        assert texts["description"]
