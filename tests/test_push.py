"""Pushes from the gateway: events, entity updates, and rejected input."""

from __future__ import annotations

from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.gsm_gateway.const import (
    DOMAIN,
    EVENT_CALL,
    EVENT_DEVICE,
    EVENT_SMS_RECEIVED,
    EVENT_USSD_RECEIVED,
    MAX_PUSH_BYTES,
)
from gsm_simulator.server import Simulator

from .pushes import Poster, capture_all
from .support import find_device


async def test_sms_push_fires_event_and_updates_entity(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    simulator: Simulator,
    post: Poster,
    init_integration: MockConfigEntry,
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    body = {
        "sn": simulator.serial,
        "sms": [
            {
                "incoming_sms_id": 41,
                "port": 2,
                "number": "+447700900123",
                "smsc": "+447785016005",
                "timestamp": "2026-11-22 10:11:12",
                "text": "Hello there",
            }
        ],
    }
    assert await post(body) == 200
    # The device pushes again after a timeout: still one event.
    assert await post(body) == 200
    assert len(events) == 1
    device = find_device(device_registry, {(DOMAIN, f"{simulator.serial}_port_2")})
    assert device is not None
    assert events[0].data == {
        "entry_id": init_integration.entry_id,
        "device_id": device.id,
        "port": 2,
        "slot": None,
        "sender": "+447700900123",
        "text": "Hello there",
        "timestamp": "2026-11-22T10:11:12-08:00",
        "smsc": "+447785016005",
        "message_id": 41,
    }
    state = hass.states.get("event.office_port_2_sms")
    assert state is not None
    assert state.attributes["event_type"] == "received"
    assert state.attributes["sender"] == "+447700900123"
    assert state.attributes["text"] == "Hello there"
    assert hass.states.get("event.office_port_3_sms").state == "unknown"


async def test_spec_example_pushes(
    hass: HomeAssistant, simulator: Simulator, post: Poster
) -> None:
    """The spec's own bodies, stray braces included."""
    events = capture_all(hass)
    sn = simulator.serial
    assert (
        await post(f'{{"sn":"{sn}","ussd":[{{"port":1,"text":"Thank you!"}}]}}}}')
        == 200
    )
    assert (
        await post(
            f'{{"sn":"{sn}","cdr":[{{"port":2,"start_date":"2015-07-21 16:35:20",'
            '"answer_date":"2015-07-21 16:35:31","duration":3,"source_number":"1010",'
            '"destination_number":"6717","direction":"ip->gsm","ip":"172.16.100.136",'
            '"codec":"G.711U","hangup":"called","gsm_code":16,"bcch":""}]}'
        )
        == 200
    )
    assert (
        await post(
            f'{{"sn":"{sn}","missed_call":{{"time":"2016-07-12 02:54:08","port":1,'
            '"number":"6717"}}'
        )
        == 200
    )
    assert (
        await post(
            {
                "sn": sn,
                "device": {"port_number": 32, "IP": "10.0.0.2", "status": "power_on"},
            }
        )
        == 200
    )
    assert (
        await post(
            {
                "sn": sn,
                "exception_info": {"port": 0, "type": "call_fail", "action": "reset"},
            }
        )
        == 200
    )
    ussd = events[EVENT_USSD_RECEIVED]
    assert [(e.data["port"], e.data["text"]) for e in ussd] == [(1, "Thank you!")]
    assert ussd[0].data["device_id"] is not None
    calls = events[EVENT_CALL]
    assert [(e.data["type"], e.data["port"], e.data["number"]) for e in calls] == [
        ("cdr", 2, "1010"),
        ("missed_call", 1, "6717"),
    ]
    assert calls[0].data["details"]["duration"] == 3
    assert calls[0].data["details"]["hangup"] == "called"
    device = events[EVENT_DEVICE]
    assert [(e.data["type"], e.data["port"]) for e in device] == [
        ("device", None),
        ("exception_info", 0),
    ]
    assert device[0].data["details"]["status"] == "power_on"
    assert device[1].data["details"]["type"] == "call_fail"
    assert events[EVENT_SMS_RECEIVED] == []


async def test_register_push_refreshes_ports(
    hass: HomeAssistant, simulator: Simulator, post: Poster
) -> None:
    port = next(p for p in simulator.state.ports if p.sim is not None)
    simulator.set_registration(port.index, "searching")
    simulator.clear_requests()
    body = {
        "sn": simulator.serial,
        "register": [
            {
                "port": port.index,
                "iccid": "><NULL>",
                "imsi": "><NULL>",
                "number": "1",
                "status": "down",
                "sequence": 1,
                "slot": 2,
            }
        ],
    }
    assert await post(body) == 200
    await hass.async_block_till_done(wait_background_tasks=True)
    assert "/api/get_port_info" in [r.path for r in simulator.requests]
    state = hass.states.get(f"sensor.office_port_{port.index}_registration")
    assert state.state == "searching"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b"", 400),
        (b"not json", 400),
        (b"[1, 2]", 400),
        (b'{"sms": []}', 400),
        (b'{"sn": "%s"}', 400),
        (b'{"sn": "%s", "sms": [], "ussd": []}', 400),
        (b'{"sn": "%s", "sms": []}', 400),
        (b'{"sn": "%s", "sms": {"port": 1}}', 400),
        (
            b'{"sn": "%s", "sms": [{"incoming_sms_id": 1, "port": 99, "number": "1", "text": "x"}]}',
            400,
        ),
        (b'{"sn": "%s", "ussd": [{"port": 1, "text": 5}]}', 400),
        (b'{"sn": "%s", "register": [{"port": 1, "status": "sideways"}]}', 400),
        (b'{"sn": "%s", "sms_deliver_status": [{"port": 1, "status_code": 999}]}', 400),
        (b'{"sn": "other-gateway", "ussd": [{"port": 1, "text": "x"}]}', 403),
        # An Ejoin push reaching a Dinstar entry.
        (
            b'{"type": "recv-sms", "sms_num": 1, '
            b'"sms": [[0, "1.01", 1764633600, "1", "2", "aGk="]]}',
            400,
        ),
    ],
)
async def test_invalid_pushes_rejected_without_events(
    hass: HomeAssistant, simulator: Simulator, post: Poster, body: bytes, status: int
) -> None:
    events = capture_all(hass)
    if b"%s" in body:
        body = body.replace(b"%s", simulator.serial.encode())
    assert await post(body) == status
    assert all(not captured for captured in events.values())


async def test_oversized_push_rejected(
    hass: HomeAssistant, simulator: Simulator, post: Poster
) -> None:
    events = capture_all(hass)
    text = "x" * MAX_PUSH_BYTES
    body = {"sn": simulator.serial, "ussd": [{"port": 1, "text": text}]}
    assert await post(body) == 413
    assert all(not captured for captured in events.values())


async def test_only_post_is_accepted(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    client = await hass_client_no_auth()
    url = f"/api/webhook/{init_integration.data[CONF_WEBHOOK_ID]}"
    response = await client.get(url)
    assert response.status == 405
    response = await client.put(url, data=b"{}")
    assert response.status == 405


async def test_webhook_gone_after_unload(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    client = await hass_client_no_auth()
    url = f"/api/webhook/{init_integration.data[CONF_WEBHOOK_ID]}"
    events = async_capture_events(hass, EVENT_USSD_RECEIVED)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    body = {"sn": simulator.serial, "ussd": [{"port": 1, "text": "x"}]}
    response = await client.post(url, json=body)
    await hass.async_block_till_done()
    # Home Assistant answers unknown webhooks with 200 and does nothing.
    assert response.status == 200
    assert events == []
