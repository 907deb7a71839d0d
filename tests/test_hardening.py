"""Hostile pushes, secrets in diagnostics, and sends on ports that cannot carry them."""

from __future__ import annotations

import json
import logging
from typing import Any

from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.gsm_gateway.const import (
    DOMAIN,
    EVENT_CALL,
    EVENT_DEVICE,
    EVENT_SMS_RECEIVED,
)
from gsm_simulator.server import Simulator

from .pushes import Poster, capture_all


def assert_quiet(caplog: pytest.LogCaptureFixture) -> None:
    """Nothing at warning or above, and no traceback, was logged."""
    loud = [
        record
        for record in caplog.records
        if record.levelno >= logging.WARNING or record.exc_info
    ]
    assert loud == []


async def test_diagnostics_hide_the_webhook_id(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    """Whoever has the webhook id can push events: it is a secret."""
    webhook_id = init_integration.data[CONF_WEBHOOK_ID]
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert result["entry"]["data"][CONF_WEBHOOK_ID] == "**REDACTED**"
    assert webhook_id not in json.dumps(result)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"[" * 65000, id="nested-65000"),
        pytest.param(
            b'{"sn": "x", "ussd": ' + b"[" * 900 + b"]" * 900 + b"}", id="nested-900"
        ),
        pytest.param(
            b'{"sn": "SN", "ussd": [{"port": 1' + b"0" * 309 + b', "text": "x"}]}',
            id="int-beyond-float",
        ),
        pytest.param(
            b'{"sn": "SN", "sms": [{"incoming_sms_id": 1e999, "port": 1, '
            b'"number": "1", "text": "x"}]}',
            id="float-infinite",
        ),
        pytest.param(b'{"sn": "SN", "ussd": [{"port": NaN, "text": "x"}]}', id="nan"),
    ],
)
async def test_hostile_json_is_a_clean_400(
    hass: HomeAssistant,
    simulator: Simulator,
    post: Poster,
    caplog: pytest.LogCaptureFixture,
    body: bytes,
) -> None:
    """Deep nesting and numbers beyond range: 400, no event, no traceback."""
    events = capture_all(hass)
    assert await post(body.replace(b"SN", simulator.serial.encode())) == 400
    assert all(not captured for captured in events.values())
    assert_quiet(caplog)


async def test_push_that_is_not_utf8_is_refused(
    hass: HomeAssistant, simulator: Simulator, post: Poster
) -> None:
    """Bad bytes are refused, not turned into U+FFFD in the event."""
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    body = (
        b'{"sn": "%s", "sms": [{"incoming_sms_id": 7, "port": 1, '
        b'"number": "+44\xff", "text": "caf\xe9"}]}' % simulator.serial.encode()
    )
    assert await post(body) == 400
    assert events == []
    good = body.replace(b"\xff", b"").replace(b"\xe9", "é".encode())
    assert await post(good) == 200
    assert [(e.data["sender"], e.data["text"]) for e in events] == [("+44", "café")]


@pytest.mark.parametrize(
    ("kind", "item"),
    [
        ("missed_call", {"port": 1}),
        ("missed_call", {"port": 1, "number": ""}),
        ("device", {"port_number": 32, "IP": "192.0.2.1"}),
        ("device", {"port_number": 32, "status": "><NULL>"}),
        ("exception_info", {"type": "call_fail", "action": "reset"}),
    ],
)
async def test_event_without_its_subject_is_not_fired(
    hass: HomeAssistant,
    simulator: Simulator,
    post: Poster,
    caplog: pytest.LogCaptureFixture,
    kind: str,
    item: dict[str, Any],
) -> None:
    """A missed call needs a number, a device event a status, an exception a port."""
    events = capture_all(hass)
    with caplog.at_level(logging.DEBUG, logger="custom_components.gsm_gateway"):
        assert await post({"sn": simulator.serial, kind: [item]}) == 400
    assert all(not captured for captured in events.values())
    assert any("Rejected a push" in record.getMessage() for record in caplog.records)
    assert_quiet(caplog)


async def test_complete_device_events_still_fire(
    hass: HomeAssistant, simulator: Simulator, post: Poster
) -> None:
    calls = async_capture_events(hass, EVENT_CALL)
    device = async_capture_events(hass, EVENT_DEVICE)
    serial = simulator.serial
    assert (
        await post({"sn": serial, "missed_call": [{"port": 1, "number": "6717"}]})
        == 200
    )
    assert await post({"sn": serial, "device": {"status": "power_off"}}) == 200
    assert await post({"sn": serial, "exception_info": {"port": 0, "type": "x"}}) == 200
    assert [e.data["number"] for e in calls] == ["6717"]
    assert [(e.data["type"], e.data["port"]) for e in device] == [
        ("device", None),
        ("exception_info", 0),
    ]
    assert device[0].data["details"]["status"] == "power_off"


def _register(
    serial: str, port: int, status: str, *, sim: bool = True
) -> dict[str, Any]:
    identity = (
        {"iccid": "89860040191844710023", "imsi": "460004642148063"}
        if sim
        else {"iccid": "><NULL>", "imsi": "><NULL>"}
    )
    return {
        "sn": serial,
        "register": [{"port": port, "number": "", "status": status, **identity}],
    }


async def test_register_pushes_in_a_row_show_at_once(
    hass: HomeAssistant, simulator: Simulator, post: Poster
) -> None:
    """A SIM swapped (down, then up within the refresh cooldown) shows each step at once."""
    port = next(p for p in simulator.state.ports if p.sim is not None).index
    entity = f"sensor.office_port_{port}_registration"
    assert hass.states.get(entity).state == "registered"

    simulator.remove_sim(port)
    assert await post(_register(simulator.serial, port, "down", sim=False)) == 200
    assert hass.states.get(entity).state == "no_sim"
    assert hass.states.get(f"sensor.office_port_{port}_iccid").state == "unknown"

    # Within the refresh cooldown the push alone can show this at once.
    simulator.insert_sim(port)
    simulator.set_registration(port, "registered")
    simulator.clear_requests()
    assert await post(_register(simulator.serial, port, "up")) == 200
    assert hass.states.get(entity).state == "registered"
    assert (
        hass.states.get(f"sensor.office_port_{port}_iccid").state
        == "89860040191844710023"
    )
    assert "/api/get_port_info" not in [r.path for r in simulator.requests]


async def test_signal_unknown_without_module_or_sim(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """A powered-off port and an empty one report CSQ 0, which is no -113 dBm."""
    with_sim = [p.index for p in simulator.state.ports if p.sim is not None]
    off, empty, fine = with_sim[0], with_sim[1], with_sim[2]
    simulator.set_signal(off, 0)
    simulator.state.power(off, on=False)
    simulator.remove_sim(empty)
    simulator.set_signal(empty, 0)
    simulator.set_signal(fine, 0)
    await init_integration.runtime_data.ports.async_refresh()
    await hass.async_block_till_done()
    assert (
        hass.states.get(f"sensor.office_port_{off}_registration").state == "power_off"
    )
    assert (
        hass.states.get(f"sensor.office_port_{off}_signal_strength").state == "unknown"
    )
    assert hass.states.get(f"sensor.office_port_{empty}_registration").state == "no_sim"
    assert (
        hass.states.get(f"sensor.office_port_{empty}_signal_strength").state
        == "unknown"
    )
    assert hass.states.get(f"sensor.office_port_{fine}_signal_strength").state == "-113"


def _sends(sim: Simulator) -> list[str]:
    return [
        r.path for r in sim.requests if r.path in ("/api/send_sms", "/api/send_ussd")
    ]


@pytest.mark.parametrize(
    ("prepare", "key"),
    [
        ("remove_sim", "port_no_sim"),
        ("power_off", "port_powered_off"),
        ("searching", "port_not_registered"),
        ("denied", "port_not_registered"),
        ("pin_required", "port_sim_locked"),
    ],
)
@pytest.mark.parametrize("action", ["send_sms", "send_ussd"])
async def test_send_on_a_port_that_cannot_is_refused_up_front(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    prepare: str,
    key: str,
    action: str,
) -> None:
    """No SIM, module off, not registered: a clear validation error, no request."""
    port = next(p for p in simulator.state.ports if p.sim is not None).index
    if prepare == "remove_sim":
        simulator.remove_sim(port)
    elif prepare == "power_off":
        simulator.state.power(port, on=False)
    else:
        simulator.set_registration(port, prepare)
    await init_integration.runtime_data.ports.async_refresh()
    simulator.clear_requests()
    data: dict[str, Any] = (
        {"to": ["+447700900123"], "message": "hi", "port": port}
        if action == "send_sms"
        else {"port": port, "code": "*100#"}
    )
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, action, data, blocking=True)
    assert err.value.translation_key == key
    assert f"Port {port}" in str(err.value) or f"port {port}" in str(err.value)
    assert _sends(simulator) == []


async def test_send_without_port_needs_one_ready_port(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    for port in simulator.state.ports:
        simulator.state.power(port.index, on=False)
    await init_integration.runtime_data.ports.async_refresh()
    simulator.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "send_sms", {"to": ["10086"], "message": "hi"}, blocking=True
        )
    assert err.value.translation_key == "no_port_ready"
    assert str(err.value)
    assert _sends(simulator) == []


async def test_device_refusal_stays_a_translated_error(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """When the state looked fine but the device refuses, the error says so."""
    port = next(p for p in simulator.state.ports if p.sim is not None).index
    simulator.remove_sim(port)  # the integration has not polled since
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {"to": ["10086"], "message": "hi", "port": port},
            blocking=True,
        )
    assert not isinstance(err.value, ServiceValidationError)
    assert err.value.translation_key == "command_refused"
    assert "refused" in str(err.value)


@pytest.mark.parametrize(
    ("typed", "sent"),
    [
        ("+44 7700 900123", "+447700900123"),
        ("0770-090-0123", "07700900123"),
        ("(0770) 090.0123", "07700900123"),
    ],
)
async def test_numbers_are_normalised(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    typed: str,
    sent: str,
) -> None:
    """Spaces, dashes, dots and parentheses are dropped before checking and sending."""
    simulator.clear_requests()
    result = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": [typed], "message": "hi"},
        blocking=True,
        return_response=True,
    )
    assert result["messages"][0]["to"] == sent
    (request,) = [r for r in simulator.requests if r.path == "/api/send_sms"]
    assert json.loads(request.body)["param"][0]["number"] == sent
