"""Port control against the simulator: requests, entity states, refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.gsm_gateway.const import DOMAIN
from gsm_simulator.server import Simulator

from .conftest import SimulatorFactory, entry_data


def commands(sim: Simulator) -> list[dict[str, str]]:
    """The set_port_info requests the simulator received, as query dicts."""
    return [r.query for r in sim.requests if r.path == "/api/set_port_info"]


async def advance(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    for _ in range(int(seconds * 2)):
        freezer.tick(timedelta(seconds=0.5))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    await hass.async_block_till_done(wait_background_tasks=True)


def registration(hass: HomeAssistant, port: int) -> str:
    return hass.states.get(f"sensor.office_port_{port}_registration").state


async def call(hass: HomeAssistant, service: str, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN,
        service,
        data,
        blocking=True,
        return_response=service.startswith(("get_", "stk_")),
    )


@pytest.fixture
def simulator_options() -> dict[str, Any]:
    return {"register_delay": 2.0, "ussd_delay": 0.0, "stk_delay": 0.0}


@pytest.fixture
async def simulator(
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
    simulator_options: dict[str, Any],
) -> Simulator:
    return await gsm_simulator_factory(dialect="dinstar", ports=8, **simulator_options)


async def test_power_off_and_on_with_prompt_refresh(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    port = next(p.index for p in simulator.state.ports if p.sim is not None)
    switch = f"switch.office_port_{port}_module_power"
    assert hass.states.get(switch).state == STATE_ON
    assert registration(hass, port) == "registered"
    await call(hass, "power_port", {"port": port, "power": "off"})
    assert commands(simulator) == [
        {"port": str(port), "action": "power", "param": "off"}
    ]
    await advance(hass, freezer, 1)
    assert registration(hass, port) == "power_off"
    assert hass.states.get(switch).state == STATE_OFF
    # The switch turns it back on; it searches, then registers, and the
    # entities follow within seconds, long before the 30 s poll.
    await hass.services.async_call(
        "switch", "turn_on", {ATTR_ENTITY_ID: switch}, blocking=True
    )
    assert hass.states.get(switch).state == STATE_ON
    assert commands(simulator)[-1] == {
        "port": str(port),
        "action": "power",
        "param": "on",
    }
    await advance(hass, freezer, 1)
    assert registration(hass, port) == "searching"
    await advance(hass, freezer, 3)
    assert registration(hass, port) == "registered"


async def test_switch_turn_off_and_reset_button(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    await hass.services.async_call(
        "switch",
        "turn_off",
        {ATTR_ENTITY_ID: "switch.office_port_1_module_power"},
        blocking=True,
    )
    assert commands(simulator)[-1] == {"port": "1", "action": "power", "param": "off"}
    await hass.services.async_call(
        "button",
        "press",
        {ATTR_ENTITY_ID: "button.office_port_0_reset_module"},
        blocking=True,
    )
    assert commands(simulator)[-1] == {"port": "0", "action": "reset"}
    await advance(hass, freezer, 1)
    assert registration(hass, 0) == "searching"
    await advance(hass, freezer, 3)
    assert registration(hass, 0) == "registered"


async def test_reset_action(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    await call(hass, "reset_port", {"port": 3})
    assert commands(simulator) == [{"port": "3", "action": "reset"}]
    await advance(hass, freezer, 1)
    assert registration(hass, 3) in ("searching", "no_sim")


async def test_switch_sim_slot_on_multi_sim(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    sim = await gsm_simulator_factory(
        dialect="dinstar", ports=2, slots=4, register_delay=1.0
    )
    entry = MockConfigEntry(
        domain=DOMAIN, title="Office", unique_id=sim.serial, data=entry_data(sim)
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    select = "select.office_port_1_active_sim_slot"
    assert hass.states.get(select).state == "0"
    await call(hass, "switch_sim_slot", {"port": 1, "slot": 2})
    assert commands(sim)[-1] == {"port": "1", "action": "slot", "param": "2"}
    await advance(hass, freezer, 3)
    assert hass.states.get("sensor.office_port_1_sim_slot").state == "2"
    assert hass.states.get(select).state == "2"
    await hass.services.async_call(
        "select",
        "select_option",
        {ATTR_ENTITY_ID: select, "option": "3"},
        blocking=True,
    )
    assert hass.states.get(select).state == "3"
    assert commands(sim)[-1] == {"port": "1", "action": "slot", "param": "3"}


async def test_sim_lock_block_and_refusals(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = next(p.index for p in simulator.state.ports if p.sim is not None)
    card = simulator.state.ports[port].sim
    assert card is not None
    pin = card.pin
    await call(hass, "lock_sim", {"port": port, "pin": pin})
    await call(hass, "unlock_sim", {"port": port, "pin": pin})
    await call(hass, "block_sim", {"port": port})
    await call(hass, "unblock_sim", {"port": port})
    assert commands(simulator) == [
        {"port": str(port), "action": "lock", "param": pin},
        {"port": str(port), "action": "unlock", "param": pin},
        {"port": str(port), "action": "block"},
        {"port": str(port), "action": "unblock"},
    ]
    wrong = "0000" if pin != "0000" else "9999"
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "lock_sim", {"port": port, "pin": wrong})
    assert err.value.translation_key == "command_refused"


@pytest.mark.parametrize("code", [400, 404, 500])
async def test_device_refusals(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    code: int,
) -> None:
    body = f'{{"error_code":{code},"sn":"{simulator.serial}"}}'.encode()
    simulator.faults.add("malformed_json", body=body, path="/api/set_port_info")
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "reset_port", {"port": 0})
    assert err.value.translation_key == "command_refused"
    assert err.value.translation_placeholders == {"code": str(code)}
    assert str(code) in str(err.value)


async def test_communication_failure(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    simulator.faults.add("drop", count=None, path="/api/set_port_info")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            "button",
            "press",
            {ATTR_ENTITY_ID: "button.office_port_0_reset_module"},
            blocking=True,
        )
    assert err.value.translation_key == "communication_error"


async def test_call_forwarding(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = next(p.index for p in simulator.state.ports if p.sim is not None)
    await call(
        hass,
        "set_call_forward",
        {"port": port, "mode": "busy", "number": "+447700900789"},
    )
    assert commands(simulator)[-1] == {
        "port": str(port),
        "action": "CallForward",
        "param": "Busy",
        "number": "+447700900789",
    }
    with patch(
        "custom_components.gsm_gateway.api.dinstar.DinstarGateway.call_forward_settle",
        0.05,
    ):
        result = await call(hass, "get_call_forward", {"port": port})
    assert result == {"port": port, "forwarding": {"busy": "+447700900789"}}
    assert commands(simulator)[-1] == {"port": str(port), "action": "CheckCallForward"}
    await call(hass, "set_call_forward", {"port": port, "mode": "cancel_all"})
    assert commands(simulator)[-1] == {
        "port": str(port),
        "action": "CallForward",
        "param": "CancelAll",
    }


async def test_call_records(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    first, second = [
        p.index for p in simulator.state.ports if p.registration.value == "registered"
    ][:2]
    simulator.simulate_call(first, "+447700900111", duration=42, push=False)
    simulator.simulate_call(second, "+447700900222", answered=False, push=False)
    result = await call(
        hass, "get_cdr", {"port": [first], "start": "2000-01-01 00:00:00"}
    )
    request = next(r for r in simulator.requests if r.path == "/api/get_cdr")
    assert f'"port": [{first}]'.encode() in request.body
    assert b'"time_after": "2000-01-01 00:00:00"' in request.body
    records = result["records"]
    assert [r["port"] for r in records] == [first]
    assert records[0]["duration"] == 42
    everything = await call(hass, "get_cdr", {})
    assert {r["port"] for r in everything["records"]} >= {first}


async def test_stop_sms_task(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(HomeAssistantError) as err:
        await call(hass, "stop_sms_task", {"task_id": 999})
    assert err.value.translation_placeholders == {"code": "404"}
    sent = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10086", "10087"], "message": "hi"},
        blocking=True,
        return_response=True,
    )
    await call(hass, "stop_sms_task", {"task_id": sent["task_id"]})
    assert [r.query for r in simulator.requests if r.path == "/api/stop_sms"][-1] == {
        "task_id": str(sent["task_id"])
    }
    # Task ids are text in the action; one Dinstar cannot have is refused.
    simulator.clear_requests()
    with pytest.raises(ServiceValidationError) as invalid:
        await call(hass, "stop_sms_task", {"task_id": "task-7"})
    assert invalid.value.translation_key == "invalid_argument"
    assert "task-7" in str(invalid.value)
    assert simulator.requests == []


async def test_stk_walk(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = next(p.index for p in simulator.state.ports if p.sim is not None)
    menu = await call(hass, "stk_menu", {"port": port})
    assert menu["port"] == port
    assert menu["items"], menu
    assert all(set(item) == {"id", "text"} for item in menu["items"])
    first = menu["items"][0]["id"]
    step = await call(hass, "stk_select", {"port": port, "item": first})
    assert step["frame_id"] != menu["frame_id"]
    home = await call(hass, "stk_select", {"port": port, "action": "home"})
    assert home["items"] == menu["items"]
    stk_posts = [r for r in simulator.requests if r.path == "/STKGo"]
    assert [bytes(r.body) for r in stk_posts] == [
        f'{{"port": {port}, "item": {first}}}'.encode(),
        f'{{"port": {port}, "action": "home"}}'.encode(),
    ]
