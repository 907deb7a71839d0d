"""Messaging end to end: the simulator pushes to Home Assistant's webhook."""

from __future__ import annotations

from datetime import timedelta
import json
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import issue_registry as ir
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.gsm_gateway.const import (
    DOMAIN,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
    EVENT_USSD_RECEIVED,
)
from gsm_simulator.server import Simulator

from .support import FAST, registered_port, sent_bodies, settle


@pytest.fixture
def simulator_timings() -> dict[str, float]:
    return FAST


def with_options(entry: MockConfigEntry, **options: Any) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title=entry.title,
        unique_id=entry.unique_id,
        data=entry.data,
        options=options,
    )


async def test_send_sms_request_and_response(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = registered_port(simulator)
    result = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["+447700900123", "10086"], "message": "Door open", "port": port},
        blocking=True,
        return_response=True,
    )
    assert sent_bodies(simulator) == [
        {
            "text": "Door open",
            "param": [
                {"number": "+447700900123", "user_id": result["ids"][0]},
                {"number": "10086", "user_id": result["ids"][1]},
            ],
            "encoding": "gsm-7bit",
            "request_status_report": True,
            "port": [port],
        }
    ]
    assert result["ids"][1] == result["ids"][0] + 1
    assert result["encoding"] == "gsm7"
    assert result["segments"] == 1
    assert isinstance(result["task_id"], int)
    # Unicode text, long: UCS-2 in 67-unit parts; ids never repeat.
    text = "Température élevée 🔥 " * 5
    again = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10086"], "message": text, "delivery_report": False},
        blocking=True,
        return_response=True,
    )
    body = sent_bodies(simulator)[-1]
    assert body["encoding"] == "unicode"
    assert body["request_status_report"] is False
    assert "port" not in body
    assert again["encoding"] == "ucs2"
    units = len(text.encode("utf-16-le")) // 2
    assert again["segments"] == -(-units // 67)
    assert again["ids"][0] > result["ids"][1]


async def test_notify_service_sends(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    await hass.services.async_call(
        "notify",
        "office",
        {
            "message": "Привет",
            "target": ["+447700900123"],
            "data": {"port": 1, "encoding": "ucs2"},
        },
        blocking=True,
    )
    body = sent_bodies(simulator)[-1]
    assert body["text"] == "Привет"
    assert body["encoding"] == "unicode"
    assert body["port"] == [1]
    assert [p["number"] for p in body["param"]] == ["+447700900123"]


async def test_status_events_from_pushes(
    hass: HomeAssistant, pushing: Simulator
) -> None:
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    pushing.fail_sms(number="10087")
    result = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10086", "10087"], "message": "hi"},
        blocking=True,
        return_response=True,
    )
    await settle(hass, pushing)
    ok, failed = result["ids"]
    seen = {(e.data["id"], e.data["status"]) for e in events}
    assert seen == {(ok, "sent"), (ok, "delivered"), (failed, "failed")}
    assert len(events) == len(seen)  # each once
    delivered = next(e for e in events if e.data["status"] == "delivered")
    assert delivered.data["to"] == "10086"
    assert isinstance(delivered.data["port"], int)


async def test_undelivered_and_statuses_by_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """No push configured: outcomes come from polling outstanding sends."""
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    result = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10086"], "message": "hi"},
        blocking=True,
        return_response=True,
    )
    for _ in range(300):  # ~150 s of frozen time in half seconds
        freezer.tick(timedelta(seconds=0.5))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    await hass.async_block_till_done(wait_background_tasks=True)
    statuses = [e.data["status"] for e in events if e.data["id"] == result["ids"][0]]
    assert statuses in (["delivered"], ["sent", "delivered"])
    polls = [r for r in simulator.requests if r.path == "/api/query_sms_result"]
    assert polls
    assert json.loads(polls[0].body) == {"user_id": result["ids"]}


async def test_undelivered_by_push(hass: HomeAssistant, pushing: Simulator) -> None:
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    pushing.fail_delivery(number="10086", status_code=65)
    result = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10086"], "message": "hi"},
        blocking=True,
        return_response=True,
    )
    await settle(hass, pushing)
    statuses = [(e.data["status"], e.data["status_code"]) for e in events]
    assert ("undelivered", 65) in statuses
    assert all(e.data["id"] == result["ids"][0] for e in events)


async def test_incoming_sms_push_and_entity(
    hass: HomeAssistant, pushing: Simulator
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    port = registered_port(pushing)
    sms = pushing.receive_sms(port, "+447700900999", "Code 4711")
    await settle(hass, pushing)
    assert [(e.data["message_id"], e.data["text"]) for e in events] == [
        (sms.sms_id, "Code 4711")
    ]
    state = hass.states.get(f"event.office_port_{port}_sms")
    assert state.attributes["sender"] == "+447700900999"


async def test_burst_split_between_push_and_poll(
    hass: HomeAssistant, pushing: Simulator, init_integration: MockConfigEntry
) -> None:
    """500 SMS: half pushed (some twice), half only in the inbox; 500 events."""
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    port = registered_port(pushing)
    pushing.pusher.faults.duplicate(count=50, push_type="sms")
    for number in range(500):
        pushing.receive_sms(
            port, f"+4477009{number:05d}", f"burst {number}", push=number % 2 == 0
        )
    await settle(hass, pushing)
    assert len(events) == 250
    # The poll (here the one every start does) reports the rest, once.
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    texts = [e.data["text"] for e in events]
    assert len(texts) == 500
    assert sorted(texts) == sorted(f"burst {n}" for n in range(500))


async def test_sms_received_while_stopped_reported_once(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    port = registered_port(simulator)
    simulator.receive_sms(port, "10086", "before the first start", push=False)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [e.data["text"] for e in events] == ["before the first start"]
    assert await hass.config_entries.async_unload(config_entry.entry_id)
    simulator.receive_sms(port, "10086", "while stopped", push=False)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    await hass.config_entries.async_reload(config_entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert [e.data["text"] for e in events] == [
        "before the first start",
        "while stopped",
    ]


async def test_ussd_reply_by_push(hass: HomeAssistant, pushing: Simulator) -> None:
    events = async_capture_events(hass, EVENT_USSD_RECEIVED)
    port = registered_port(pushing)
    pushing.set_ussd_reply("*111#", "You have 3 free minutes")
    result = await hass.services.async_call(
        DOMAIN,
        "send_ussd",
        {"port": port, "code": "*111#"},
        blocking=True,
        return_response=True,
    )
    assert result == {"port": port, "reply": "You have 3 free minutes"}
    request = next(r for r in pushing.requests if r.path == "/api/send_ussd")
    assert json.loads(request.body) == {
        "port": [port],
        "command": "send",
        "text": "*111#",
    }
    await settle(hass, pushing)
    assert [e.data["text"] for e in events] == ["You have 3 free minutes"]


async def test_ussd_reply_by_polling(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = registered_port(simulator)
    simulator.set_ussd_reply("*111#", "Polled answer")
    with patch("custom_components.gsm_gateway.ussd.USSD_POLL_INTERVAL", 0.05):
        result = await hass.services.async_call(
            DOMAIN,
            "send_ussd",
            {"port": port, "code": "*111#"},
            blocking=True,
            return_response=True,
        )
    assert result == {"port": port, "reply": "Polled answer"}


async def test_ussd_errors(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    port = registered_port(simulator)
    simulator.set_port_busy(port)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "send_ussd", {"port": port, "code": "*100#"}, blocking=True
        )
    assert err.value.translation_key == "ussd_busy"
    simulator.set_port_busy(port, busy=False)
    # The device's own refusal, when it lost the network since the last poll
    # (a port already known to be off is refused before any request).
    off = next(
        p.index
        for p in simulator.state.ports
        if p.registration.value == "registered" and p.index != port
    )
    simulator.set_registration(off, "searching")
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "send_ussd", {"port": off, "code": "*100#"}, blocking=True
        )
    assert err.value.translation_key == "ussd_not_registered"
    simulator.set_ussd_reply("*999#", None)
    with (
        patch("custom_components.gsm_gateway.ussd.USSD_POLL_INTERVAL", 0.05),
        pytest.raises(HomeAssistantError) as err,
    ):
        await hass.services.async_call(
            DOMAIN,
            "send_ussd",
            {"port": port, "code": "*999#", "timeout": 1},
            blocking=True,
        )
    assert err.value.translation_key == "ussd_timeout"


async def test_balance_sensor_and_button(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    config_entry = with_options(config_entry, balance_code="*100#", currency="EUR")
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    port = registered_port(simulator)
    card = simulator.state.ports[port].sim
    assert card is not None
    sensor = f"sensor.office_port_{port}_balance"
    assert hass.states.get(sensor).state == "unknown"
    with patch("custom_components.gsm_gateway.ussd.USSD_POLL_INTERVAL", 0.05):
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": f"button.office_port_{port}_check_balance"},
            blocking=True,
        )
    state = hass.states.get(sensor)
    assert float(state.state) == round(card.balance, 2)
    assert state.attributes["unit_of_measurement"] == "EUR"
    assert state.attributes["device_class"] == "monetary"


async def test_rate_limit_and_repair_issue(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    config_entry = with_options(config_entry, rate_limit=3)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    await hass.services.async_call(
        DOMAIN, "send_sms", {"to": ["10086", "10087"], "message": "a"}, blocking=True
    )
    await hass.services.async_call(
        DOMAIN, "send_sms", {"to": ["10086"], "message": "b"}, blocking=True
    )
    issues = ir.async_get(hass)
    for _ in range(2):
        with pytest.raises(HomeAssistantError) as err:
            await hass.services.async_call(
                DOMAIN, "send_sms", {"to": ["10086"], "message": "c"}, blocking=True
            )
        assert err.value.translation_key == "rate_limited"
        assert "3" in str(err.value)
    assert len(sent_bodies(simulator)) == 2
    mine = [i for (domain, _), i in issues.issues.items() if domain == DOMAIN]
    assert len(mine) == 1
    assert mine[0].translation_key == "rate_limited"
