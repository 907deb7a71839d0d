"""send_sms, notify and port actions refuse bad input before any request."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.gsm_gateway.const import DOMAIN
from gsm_simulator.server import Simulator


def sends(sim: Simulator) -> list[str]:
    return [r.path for r in sim.requests if r.path == "/api/send_sms"]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"to": ["+447700900123"], "message": "   "}, "empty_message"),
        ({"to": [], "message": "hi"}, "no_recipients"),
        ({"to": ["07700 9001a3"], "message": "hi"}, "invalid_number"),
        ({"to": ["+"], "message": "hi"}, "invalid_number"),
        ({"to": ["1" * 25], "message": "hi"}, "invalid_number"),
        (
            {"to": [str(10000 + i) for i in range(129)], "message": "hi"},
            "too_many_recipients",
        ),
        ({"to": ["10086"], "message": "é" * 751}, "message_too_long"),
        ({"to": ["10086"], "message": "hi", "port": [8]}, "invalid_port"),
        ({"to": ["10086"], "message": "你好", "encoding": "gsm7"}, "not_gsm7"),
        ({"to": ["10086"], "message": "hi", "gateway": "nope"}, "gateway_not_found"),
    ],
)
async def test_send_sms_validation(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    data: dict[str, Any],
    key: str,
) -> None:
    simulator.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "send_sms", data, blocking=True)
    assert err.value.translation_key == key
    assert str(err.value)  # translated message, never empty
    assert sends(simulator) == []


async def test_gateway_needed_when_several(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    second_entry: MockConfigEntry,
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, "reset_port", {"port": 0}, blocking=True)
    assert err.value.translation_key == "gateway_required"
    await hass.config_entries.async_unload(second_entry.entry_id)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "reset_port",
            {"port": 0, "gateway": second_entry.entry_id},
            blocking=True,
        )
    assert err.value.translation_key == "gateway_not_loaded"


@pytest.mark.parametrize(
    ("service", "data", "key"),
    [
        ("reset_port", {"port": 8}, "invalid_port"),
        ("power_port", {"port": 31, "power": "off"}, "invalid_port"),
        ("switch_sim_slot", {"port": 0, "slot": 1}, "not_multi_sim"),
        ("set_call_forward", {"port": 0, "mode": "busy"}, "forward_number_required"),
        ("stk_select", {"port": 0}, "stk_choice_required"),
        ("get_cdr", {"port": [0, 12]}, "invalid_port"),
    ],
)
async def test_port_action_validation(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    service: str,
    data: dict[str, Any],
    key: str,
) -> None:
    simulator.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            service,
            data,
            blocking=True,
            return_response=service.startswith(("get", "stk")),
        )
    assert err.value.translation_key == key
    assert simulator.requests == []


async def test_notify_validation(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    await hass.async_block_till_done()
    assert hass.services.has_service("notify", "office")
    simulator.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "notify",
            "office",
            {"message": "hi", "target": ["10086"], "data": {"port": "x"}},
            blocking=True,
        )
    assert err.value.translation_key == "invalid_notify_data"
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "notify", "office", {"message": "hi", "target": "abc"}, blocking=True
        )
    assert err.value.translation_key == "invalid_number"
    assert sends(simulator) == []
    # Unloading removes the service; the gateway cannot be reached through it.
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert not hass.services.has_service("notify", "office")
