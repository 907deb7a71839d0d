"""Logbook lines for the gateway's events, on the device they are about."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
import json
import logging
from pathlib import Path
from typing import Any
from unittest.mock import patch

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr, translation
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, mock_component
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import (
    ClientSessionGenerator,
    WebSocketGenerator,
)

from custom_components.gsm_gateway import logbook
from custom_components.gsm_gateway.const import (
    DOMAIN,
    EVENT_DEVICE,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
    EVENT_USSD_RECEIVED,
)
from gsm_simulator.server import Simulator

from .support import FAST, gateway_device, port_device, registered_ports

TRANSLATIONS = (
    Path(__file__).parent.parent / "custom_components/gsm_gateway/translations"
)
LONG_TEXT = (
    "Your parcel 4711 arrives tomorrow between 9 and 12; reply STOP to opt out "
    "of these messages."
)

type Describe = Callable[[Event], dict[str, Any]]


@pytest.fixture
def quiet_database(caplog: pytest.LogCaptureFixture) -> None:
    """No SQL statements in the output, also while the recorder shuts down."""
    caplog.set_level(logging.WARNING, logger="sqlalchemy.engine")
    caplog.set_level(logging.INFO, logger="homeassistant.components.recorder")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(
    quiet_database: None, recorder_mock: Any, enable_custom_integrations: None
) -> None:
    """The logbook needs the recorder, which must start before Home Assistant."""


@pytest.fixture
def simulator_timings() -> dict[str, float]:
    return FAST


def phrase(language: str, key: str, **placeholders: str) -> str:
    """The expected line: the language's phrase, English where it has none."""
    english = json.loads((TRANSLATIONS / "en.json").read_text(encoding="utf-8"))
    template = english["exceptions"][key]["message"]
    path = TRANSLATIONS / f"{language}.json"
    if language != "en" and path.exists():
        local = json.loads(path.read_text(encoding="utf-8"))
        template = local.get("exceptions", {}).get(key, {}).get("message", template)
    return template.format(**placeholders)


@pytest.fixture
def describers(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> dict[str, Describe]:
    """The describe callbacks the integration gives the logbook, by event type."""
    found: dict[str, Describe] = {}

    def register(domain: str, event_type: str, describe: Describe) -> None:
        assert domain == DOMAIN
        found[event_type] = describe

    logbook.async_describe_events(hass, register)
    assert set(found) == {
        EVENT_SMS_RECEIVED,
        EVENT_SMS_STATUS,
        EVENT_USSD_RECEIVED,
        EVENT_DEVICE,
    }
    return found


def line(describe: Describe, event_type: str, **data: Any) -> tuple[str, str]:
    described = describe(Event(event_type, data))
    return described[LOGBOOK_ENTRY_NAME], described[LOGBOOK_ENTRY_MESSAGE]


async def test_logbook_lines_on_the_devices(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    hass_ws_client: WebSocketGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """Events the simulated gateway pushes, as the logbook shows them per device."""
    # The frontend's files are not installed for the tests; its panel is not needed.
    mock_component(hass, "frontend")
    assert await async_setup_component(hass, "logbook", {})
    await hass.async_block_till_done()
    ws = await hass_ws_client(hass)
    client = await hass_client_no_auth()
    simulator.push_url = str(
        client.make_url(f"/api/webhook/{init_integration.data[CONF_WEBHOOK_ID]}")
    )
    here, other = registered_ports(simulator)[:2]
    start = dt_util.utcnow() - timedelta(seconds=1)

    simulator.receive_sms(here, "+447700900999", LONG_TEXT)
    simulator.set_ussd_reply("*100#", "Balance 12.50 EUR")
    await hass.services.async_call(
        DOMAIN, "send_ussd", {"port": here, "code": "*100#"}, blocking=True
    )
    simulator.fail_sms(number="10087")
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10087"], "message": "lost", "port": here},
        blocking=True,
    )
    simulator.exception_info(other, "sms_fail", "report")
    async with asyncio.timeout(10):
        await simulator.wait_idle()
    response = await client.post(
        f"/api/webhook/{init_integration.data[CONF_WEBHOOK_ID]}",
        data=json.dumps({"sn": simulator.serial, "device": {"status": "power_on"}}),
    )
    assert response.status == 200
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)

    ids = iter(range(1, 100))

    async def lines(device: dr.DeviceEntry) -> list[tuple[str, str]]:
        await ws.send_json(
            {
                "id": next(ids),
                "type": "logbook/get_events",
                "start_time": start.isoformat(),
                "device_ids": [device.id],
            }
        )
        message = await ws.receive_json()
        assert message["success"]
        return [
            (entry["name"], entry["message"])
            for entry in message["result"]
            if entry.get("domain") == DOMAIN
        ]

    port = port_device(hass, simulator, here)
    assert await lines(port) == [
        (
            port.name,
            phrase(
                "en",
                "logbook_sms_received",
                sender="+447700900999",
                text=LONG_TEXT[:60] + "…",
            ),
        ),
        (port.name, phrase("en", "logbook_ussd_received", text="Balance 12.50 EUR")),
        (port.name, phrase("en", "logbook_sms_failed", to="10087")),
    ]
    other_port = port_device(hass, simulator, other)
    assert await lines(other_port) == [
        (
            other_port.name,
            phrase(
                "en",
                "logbook_port_exception_action",
                problem="sms_fail",
                action="report",
            ),
        )
    ]
    hub = gateway_device(hass, simulator)
    assert await lines(hub) == [(hub.name, phrase("en", "logbook_power_on"))]


async def test_sms_received_lines(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    describers: dict[str, Describe],
) -> None:
    describe = describers[EVENT_SMS_RECEIVED]
    device = port_device(hass, simulator, 1)
    sixty = "x" * 60
    assert line(
        describe, EVENT_SMS_RECEIVED, device_id=device.id, sender="1234", text=sixty
    ) == (device.name, f"SMS from 1234: {sixty}")
    assert line(
        describe,
        EVENT_SMS_RECEIVED,
        device_id=device.id,
        sender="1234",
        text=sixty + "y",
    ) == (device.name, f"SMS from 1234: {sixty}…")
    # Line breaks and runs of spaces become single spaces.
    assert line(
        describe,
        EVENT_SMS_RECEIVED,
        device_id=device.id,
        sender="Bank",
        text="Code:\n\n  4711 ",
    ) == (device.name, "SMS from Bank: Code: 4711")
    # A name given by the user is the one shown.
    dr.async_get(hass).async_update_device(device.id, name_by_user="Front door SIM")
    assert line(
        describe, EVENT_SMS_RECEIVED, device_id=device.id, sender="1", text="a"
    ) == ("Front door SIM", "SMS from 1: a")


async def test_sms_status_lines(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    describers: dict[str, Describe],
) -> None:
    """Failures say so; other outcomes get a plain line, as every event is shown."""
    describe = describers[EVENT_SMS_STATUS]
    device = port_device(hass, simulator, 2)
    expected = {
        "failed": "SMS to 10086 failed",
        "undelivered": "SMS to 10086 not delivered",
        "sent": "SMS to 10086 sent",
        "delivered": "SMS to 10086 delivered",
        "expired": "SMS to 10086: expired",
    }
    for status, message in expected.items():
        assert line(
            describe,
            EVENT_SMS_STATUS,
            entry_id=init_integration.entry_id,
            device_id=device.id,
            to="10086",
            status=status,
        ) == (device.name, message)
    # No port known yet: the gateway's name.
    assert line(
        describe,
        EVENT_SMS_STATUS,
        entry_id=init_integration.entry_id,
        device_id=None,
        to="10086",
        status="failed",
    ) == ("Office", "SMS to 10086 failed")
    # A gateway removed since.
    assert line(
        describe, EVENT_SMS_STATUS, entry_id="gone", to="10086", status="failed"
    ) == ("GSM Gateway", "SMS to 10086 failed")
    # A failed send stands out by its icon.
    icons = {
        status: describe(Event(EVENT_SMS_STATUS, {"to": "1", "status": status}))[
            LOGBOOK_ENTRY_ICON
        ]
        for status in ("sent", "delivered", "failed", "undelivered")
    }
    assert icons["failed"] == icons["undelivered"] == "mdi:message-alert"
    assert icons["sent"] == icons["delivered"] != icons["failed"]
    others = {
        event_type: describers[event_type](Event(event_type, {}))[LOGBOOK_ENTRY_ICON]
        for event_type in (EVENT_SMS_RECEIVED, EVENT_USSD_RECEIVED, EVENT_DEVICE)
    }
    assert all(icon.startswith("mdi:") for icon in others.values())
    assert len(set(others.values())) == 3


async def test_ussd_and_device_event_lines(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    describers: dict[str, Describe],
) -> None:
    ussd = describers[EVENT_USSD_RECEIVED]
    port = port_device(hass, simulator, 3)
    hub = gateway_device(hass, simulator)
    assert line(ussd, EVENT_USSD_RECEIVED, device_id=port.id, text="Balance 5") == (
        port.name,
        "USSD reply: Balance 5",
    )
    reply = "z" * 200
    assert line(ussd, EVENT_USSD_RECEIVED, device_id=port.id, text=reply) == (
        port.name,
        f"USSD reply: {reply[:160]}…",
    )

    device = describers[EVENT_DEVICE]
    cases: list[tuple[dict[str, Any], str]] = [
        ({"type": "device", "details": {"status": "power_on"}}, "Gateway powered on"),
        (
            {"type": "device", "details": {"status": "power_off"}},
            "Gateway powering off",
        ),
        (
            {"type": "device", "details": {"status": "overheated"}},
            "Gateway status: overheated",
        ),
        (
            {"type": "exception_info", "details": {"type": "call_fail"}},
            "Port problem reported by the gateway: call_fail",
        ),
        (
            {
                "type": "exception_info",
                "details": {"type": "no_signal", "action": "reset"},
            },
            "Port problem reported by the gateway: no_signal (gateway's action: reset)",
        ),
        ({"type": "firmware", "details": None}, "Gateway event: firmware"),
    ]
    for data, message in cases:
        assert line(device, EVENT_DEVICE, device_id=hub.id, **data) == (
            hub.name,
            message,
        )


async def test_lines_in_another_language(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    describers: dict[str, Describe],
) -> None:
    """German where the integration has the phrase, English where not."""
    await hass.config.async_update(language="de")
    # What Home Assistant's start-up arranges for a new language.
    await translation.async_load_integrations(hass, {DOMAIN})
    describe = describers[EVENT_SMS_RECEIVED]
    device = port_device(hass, simulator, 1)
    assert line(
        describe, EVENT_SMS_RECEIVED, device_id=device.id, sender="1234", text="Hallo"
    ) == (
        device.name,
        phrase("de", "logbook_sms_received", sender="1234", text="Hallo"),
    )
    # A language whose translations were never loaded: English.
    hass.config.language = "xx"
    assert line(
        describe, EVENT_SMS_RECEIVED, device_id=device.id, sender="1234", text="Hi"
    ) == (device.name, "SMS from 1234: Hi")


async def test_lines_without_usable_translations(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    describers: dict[str, Describe],
) -> None:
    """A broken phrase is skipped for English; with none at all, the facts."""
    describe = describers[EVENT_SMS_STATUS]
    hass.config.language = "de"
    key = f"component.{DOMAIN}.exceptions.logbook_sms_failed.message"

    def cached(
        _hass: HomeAssistant, language: str, _category: str, _domain: str
    ) -> dict[str, str]:
        return {key: "SMS an {empfaenger}" if language == "de" else "to {to}: no"}

    with patch(
        "custom_components.gsm_gateway.logbook.async_get_cached_translations", cached
    ):
        assert line(describe, EVENT_SMS_STATUS, to="10086", status="failed")[1] == (
            "to 10086: no"
        )
    with patch(
        "custom_components.gsm_gateway.logbook.async_get_cached_translations",
        return_value={},
    ):
        assert line(describe, EVENT_SMS_STATUS, to="10086", status="failed")[1] == (
            "10086"
        )
        device = describers[EVENT_DEVICE]
        assert line(device, EVENT_DEVICE, type="device", details={})[1] == (
            "logbook_device_status"
        )
