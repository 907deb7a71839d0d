"""Device triggers of the port devices, fired by the simulated gateway."""

from __future__ import annotations

from typing import Any

from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import Context, HomeAssistant, ServiceCall, callback
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automations,
)
from pytest_homeassistant_custom_component.typing import (
    WebSocketGenerator,
)

from custom_components.gsm_gateway import device_trigger
from custom_components.gsm_gateway.const import DOMAIN
from gsm_simulator.server import Simulator

from .support import FAST, gateway_device, port_device, registered_ports, settle

TRIGGER_TYPES = {
    "sms_received",
    "ussd_received",
    "registration_lost",
    "registration_restored",
    "sms_failed",
}
# What every test automation passes on from its trigger.
EVENT_VARIABLES = {
    "platform": "{{ trigger.platform }}",
    "event_type": "{{ trigger.event.event_type }}",
    "data": "{{ trigger.event.data }}",
}
STATE_VARIABLES = {
    "platform": "{{ trigger.platform }}",
    "entity_id": "{{ trigger.entity_id }}",
    "from": "{{ trigger.from_state.state }}",
    "to": "{{ trigger.to_state.state }}",
}


@pytest.fixture
def simulator_timings() -> dict[str, float]:
    return FAST


def automation(
    name: str,
    device_id: str,
    trigger_type: str,
    variables: dict[str, str],
    **extra: str,
) -> dict[str, Any]:
    return {
        "alias": name,
        "triggers": [
            {
                "trigger": "device",
                "domain": DOMAIN,
                "device_id": device_id,
                "type": trigger_type,
                **extra,
            }
        ],
        "actions": [
            {
                "action": "test.automation",
                "data": {"automation": name, **variables},
            }
        ],
    }


async def set_up(hass: HomeAssistant, *automations: dict[str, Any]) -> None:
    assert await async_setup_component(
        hass, "automation", {"automation": list(automations)}
    )
    await hass.async_block_till_done()


def fired(calls: list[ServiceCall], name: str) -> list[dict[str, Any]]:
    return [dict(call.data) for call in calls if call.data["automation"] == name]


async def test_triggers_listed_for_ports_only(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = port_device(hass, simulator, registered_ports(simulator)[0])
    triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, port.id
    )
    mine = [t for t in triggers if t["domain"] == DOMAIN]
    assert sorted(mine, key=lambda t: t["type"]) == sorted(
        (
            {
                "platform": "device",
                "domain": DOMAIN,
                "device_id": port.id,
                "type": trigger_type,
                "metadata": {},
            }
            for trigger_type in TRIGGER_TYPES
        ),
        key=lambda t: t["type"],
    )
    hub = gateway_device(hass, simulator)
    hub_triggers = await async_get_device_automations(
        hass, DeviceAutomationType.TRIGGER, hub.id
    )
    assert [t for t in hub_triggers if t["domain"] == DOMAIN] == []


async def test_trigger_capabilities(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """Only the received SMS has extra fields: sender and text, both optional."""
    assert await async_setup_component(hass, "device_automation", {})
    port = port_device(hass, simulator, registered_ports(simulator)[0])
    client = await hass_ws_client(hass)
    capabilities: dict[str, Any] = {}
    for index, trigger_type in enumerate(sorted(TRIGGER_TYPES), start=1):
        await client.send_json(
            {
                "id": index,
                "type": "device_automation/trigger/capabilities",
                "trigger": {
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": port.id,
                    "type": trigger_type,
                },
            }
        )
        message = await client.receive_json()
        assert message["success"]
        capabilities[trigger_type] = message["result"]
    fields = capabilities.pop("sms_received")["extra_fields"]
    assert [(f["name"], f["optional"]) for f in fields] == [
        ("sender", True),
        ("text_contains", True),
    ]
    assert all("text" in f["selector"] for f in fields)
    assert all(found == {"extra_fields": []} for found in capabilities.values())


async def test_sms_received_with_and_without_filters(
    hass: HomeAssistant, pushing: Simulator, calls: list[ServiceCall]
) -> None:
    here, other = registered_ports(pushing)[:2]
    device = port_device(hass, pushing, here).id
    other_device = port_device(hass, pushing, other).id
    await set_up(
        hass,
        automation("any", device, "sms_received", EVENT_VARIABLES),
        automation(
            "filtered",
            device,
            "sms_received",
            EVENT_VARIABLES,
            sender="+44 7700-900 999",
            text_contains="YOUR CODE",
        ),
        automation(
            "by_sender", device, "sms_received", EVENT_VARIABLES, sender="vodafone"
        ),
        automation(
            "by_text", device, "sms_received", EVENT_VARIABLES, text_contains="Alarm"
        ),
        automation("other_port", other_device, "sms_received", EVENT_VARIABLES),
    )

    pushing.receive_sms(here, "+447700900999", "Your code is 4711")
    await settle(hass, pushing)
    assert sorted(c.data["automation"] for c in calls) == ["any", "filtered"]
    data = fired(calls, "filtered")[0]
    assert data["platform"] == "device"
    assert data["event_type"] == "gsm_gateway_sms_received"
    assert data["data"]["sender"] == "+447700900999"
    assert data["data"]["text"] == "Your code is 4711"
    assert data["data"]["port"] == here
    assert data["data"]["timestamp"]

    calls.clear()
    pushing.receive_sms(here, "+447700900999", "no digits here")
    await settle(hass, pushing)
    assert [c.data["automation"] for c in calls] == ["any"]

    calls.clear()
    pushing.receive_sms(here, "VODAFONE", "Fire ALARM in the cellar")
    await settle(hass, pushing)
    assert sorted(c.data["automation"] for c in calls) == [
        "any",
        "by_sender",
        "by_text",
    ]

    calls.clear()
    pushing.receive_sms(other, "+447700900999", "Your code is 4711")
    await settle(hass, pushing)
    assert [c.data["automation"] for c in calls] == ["other_port"]
    assert fired(calls, "other_port")[0]["data"]["port"] == other


async def test_ussd_received(
    hass: HomeAssistant, pushing: Simulator, calls: list[ServiceCall]
) -> None:
    here, other = registered_ports(pushing)[:2]
    await set_up(
        hass,
        automation(
            "here",
            port_device(hass, pushing, here).id,
            "ussd_received",
            EVENT_VARIABLES,
        ),
        automation(
            "other",
            port_device(hass, pushing, other).id,
            "ussd_received",
            EVENT_VARIABLES,
        ),
    )
    pushing.set_ussd_reply("*100#", "Balance 12.50 EUR")
    await hass.services.async_call(
        DOMAIN, "send_ussd", {"port": here, "code": "*100#"}, blocking=True
    )
    await settle(hass, pushing)
    assert [c.data["automation"] for c in calls] == ["here"]
    data = calls[0].data
    assert data["event_type"] == "gsm_gateway_ussd_received"
    assert data["data"]["text"] == "Balance 12.50 EUR"
    assert data["data"]["port"] == here


async def test_sms_failed(
    hass: HomeAssistant, pushing: Simulator, calls: list[ServiceCall]
) -> None:
    here, other = registered_ports(pushing)[:2]
    await set_up(
        hass,
        automation(
            "here", port_device(hass, pushing, here).id, "sms_failed", EVENT_VARIABLES
        ),
        automation(
            "other",
            port_device(hass, pushing, other).id,
            "sms_failed",
            EVENT_VARIABLES,
        ),
    )
    # Sent and delivered: nothing fires.
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10086"], "message": "fine", "port": here},
        blocking=True,
    )
    await settle(hass, pushing)
    assert calls == []

    pushing.fail_sms(number="10087")
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10087"], "message": "lost", "port": here},
        blocking=True,
    )
    await settle(hass, pushing)
    assert [
        (c.data["automation"], c.data["data"]["status"], c.data["data"]["to"])
        for c in calls
    ] == [("here", "failed", "10087")]
    assert calls[0].data["data"]["port"] == here
    assert calls[0].data["event_type"] == "gsm_gateway_sms_status"

    calls.clear()
    pushing.fail_delivery(number="10088", status_code=65)
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10088"], "message": "never arrives", "port": here},
        blocking=True,
    )
    await settle(hass, pushing)
    assert [(c.data["automation"], c.data["data"]["status"]) for c in calls] == [
        ("here", "undelivered")
    ]


async def test_registration_lost_and_restored(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    calls: list[ServiceCall],
) -> None:
    here, other = registered_ports(simulator)[:2]
    device = port_device(hass, simulator, here).id
    await set_up(
        hass,
        automation("lost", device, "registration_lost", STATE_VARIABLES),
        automation("restored", device, "registration_restored", STATE_VARIABLES),
        automation(
            "other_lost",
            port_device(hass, simulator, other).id,
            "registration_lost",
            STATE_VARIABLES,
        ),
    )
    ports = init_integration.runtime_data.ports
    entity_id = f"sensor.office_port_{here}_registration"

    async def becomes(state: str) -> None:
        simulator.set_registration(here, state)
        await ports.async_refresh()
        await hass.async_block_till_done()
        assert hass.states.get(entity_id).state == state

    await becomes("searching")
    assert [dict(c.data) for c in calls] == [
        {
            "automation": "lost",
            "platform": "device",
            "entity_id": entity_id,
            "from": "registered",
            "to": "searching",
        }
    ]
    # Off the network to off the network: no news.
    calls.clear()
    await becomes("not_registered")
    assert calls == []

    await becomes("registered")
    assert [(c.data["automation"], c.data["from"], c.data["to"]) for c in calls] == [
        ("restored", "not_registered", "registered")
    ]

    # The gateway out of reach says nothing about the network; what it
    # reports when back is compared with what it said before.
    calls.clear()
    simulator.faults.set_mode("error")
    await ports.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(entity_id).state == "unavailable"
    assert calls == []
    simulator.faults.set_mode("ok")
    await becomes("not_registered")
    assert [(c.data["automation"], c.data["from"], c.data["to"]) for c in calls] == [
        ("lost", "unavailable", "not_registered")
    ]

    calls.clear()
    simulator.faults.set_mode("error")
    await ports.async_refresh()
    await hass.async_block_till_done()
    simulator.faults.set_mode("ok")
    await becomes("registered")
    assert [(c.data["automation"], c.data["to"]) for c in calls] == [
        ("restored", "registered")
    ]

    # Back and forth through unavailable while registered: nothing.
    calls.clear()
    simulator.faults.set_mode("error")
    await ports.async_refresh()
    await hass.async_block_till_done()
    simulator.faults.set_mode("ok")
    await becomes("registered")
    assert calls == []


async def test_registration_trigger_waits_for_a_known_state(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    calls: list[ServiceCall],
) -> None:
    """Attached while the port is unavailable: the first state is no change."""
    here = registered_ports(simulator)[0]
    ports = init_integration.runtime_data.ports
    simulator.faults.set_mode("error")
    await ports.async_refresh()
    await hass.async_block_till_done()
    device = port_device(hass, simulator, here).id
    await set_up(
        hass,
        automation("lost", device, "registration_lost", STATE_VARIABLES),
        automation("restored", device, "registration_restored", STATE_VARIABLES),
    )
    simulator.faults.set_mode("ok")
    simulator.set_registration(here, "searching")
    await ports.async_refresh()
    await hass.async_block_till_done()
    assert calls == []
    simulator.set_registration(here, "registered")
    await ports.async_refresh()
    await hass.async_block_till_done()
    assert [c.data["automation"] for c in calls] == ["restored"]


async def test_filters_refused_on_other_triggers(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    calls: list[ServiceCall],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A sender filter on a USSD trigger is a configuration error."""
    device = port_device(hass, simulator, registered_ports(simulator)[0]).id
    await set_up(
        hass,
        automation(
            "bad", device, "ussd_received", EVENT_VARIABLES, sender="+447700900999"
        ),
    )
    assert "sender and text_contains need type sms_received" in caplog.text
    state = hass.states.get("automation.bad")
    assert state is None or state.state == "unavailable"


async def test_registration_trigger_without_sensor(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    calls: list[ServiceCall],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A port device whose registration sensor is gone cannot follow it."""
    device = port_device(hass, simulator, registered_ports(simulator)[0])
    registry = er.async_get(hass)
    for entry in list(registry.entities.values()):
        if entry.device_id == device.id and entry.translation_key == "registration":
            registry.async_remove(entry.entity_id)
    await set_up(
        hass,
        automation("lost", device.id, "registration_lost", STATE_VARIABLES),
    )
    assert "has no registration sensor" in caplog.text


async def test_sms_failed_silent_once_the_automation_is_off(
    hass: HomeAssistant, pushing: Simulator, calls: list[ServiceCall]
) -> None:
    here = registered_ports(pushing)[0]
    await set_up(
        hass,
        automation(
            "here", port_device(hass, pushing, here).id, "sms_failed", EVENT_VARIABLES
        ),
    )
    await hass.services.async_call(
        "automation", "turn_off", {"entity_id": "automation.here"}, blocking=True
    )
    pushing.fail_sms(number="10087")
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10087"], "message": "lost", "port": here},
        blocking=True,
    )
    await settle(hass, pushing)
    assert calls == []


async def test_filtered_trigger_runs_a_plain_callback(
    hass: HomeAssistant, pushing: Simulator
) -> None:
    """Actions that are not coroutines run too (a script's, a blueprint's ...)."""
    here = registered_ports(pushing)[0]
    texts: list[str] = []

    @callback
    def action(run_variables: dict[str, Any], context: Context | None = None) -> None:
        texts.append(run_variables["trigger"]["event"].data["text"])

    config = device_trigger.TRIGGER_SCHEMA(
        {
            "platform": "device",
            "domain": DOMAIN,
            "device_id": port_device(hass, pushing, here).id,
            "type": "sms_received",
            "text_contains": "door",
        }
    )
    remove = await device_trigger.async_attach_trigger(
        hass,
        config,
        action,
        {
            "domain": "test",
            "name": "test",
            "variables": {},
            "trigger_data": {"id": "0", "idx": "0", "alias": None},
        },
    )
    pushing.receive_sms(here, "+447700900999", "Front DOOR open")
    pushing.receive_sms(here, "+447700900999", "Window open")
    await settle(hass, pushing)
    remove()
    assert texts == ["Front DOOR open"]
