"""Messaging corner cases: windows, give-ups, restarts, odd pushes, failures."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import json
import logging
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, State
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.network import NoURLAvailableError
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    mock_restore_cache_with_extra_data,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.gsm_gateway.api import GatewayNotSupportedError
from custom_components.gsm_gateway.const import (
    DOMAIN,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
    MAX_PUSH_BYTES,
)
from custom_components.gsm_gateway.helpers import run_command
from custom_components.gsm_gateway.ussd import parse_balance
from gsm_simulator.server import Simulator

from .conftest import SimulatorFactory, entry_data

MESSAGING = "custom_components.gsm_gateway.messaging"


@pytest.fixture
async def simulator(
    socket_enabled: None, gsm_simulator_factory: SimulatorFactory
) -> Simulator:
    return await gsm_simulator_factory(
        dialect="dinstar", ports=8, send_time=0.01, delivery_delay=0.01, ussd_delay=0.05
    )


def make_entry(sim: Simulator, **options: Any) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Office",
        unique_id=sim.serial,
        data=entry_data(sim),
        options=options,
    )


async def setup(hass: HomeAssistant, entry: MockConfigEntry) -> MockConfigEntry:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    return entry


def registered_port(sim: Simulator) -> int:
    return next(
        p.index for p in sim.state.ports if p.registration.value == "registered"
    )


async def push(
    hass: HomeAssistant, client: Any, entry: MockConfigEntry, body: dict[str, Any]
) -> int:
    response = await client.post(
        f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}", data=json.dumps(body)
    )
    await hass.async_block_till_done()
    return response.status


@pytest.mark.parametrize(
    ("text", "pattern", "amount"),
    [
        ("Your balance is 12,50 EUR", r"(\d+(?:[.,]\d+)?)", 12.5),
        ("Saldo: 7.", r"(\d+(?:[.,]\d+)?)", 7.0),
        ("No number here", r"(\d+(?:[.,]\d+)?)", None),
        ("Credit 3.2.1", r"Credit (\S+)", None),
        ("Total 99", r"\d+", 99.0),
    ],
)
def test_parse_balance(text: str, pattern: str, amount: float | None) -> None:
    assert parse_balance(text, pattern) == amount


async def test_balance_reply_without_amount(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    await setup(hass, make_entry(simulator, balance_code="*100#"))
    port = registered_port(simulator)
    simulator.set_ussd_reply("*100#", "Service unavailable")
    with (
        patch("custom_components.gsm_gateway.ussd.USSD_POLL_INTERVAL", 0.05),
        pytest.raises(HomeAssistantError) as err,
    ):
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": f"button.office_port_{port}_check_balance"},
            blocking=True,
        )
    assert err.value.translation_key == "balance_not_found"
    assert "Service unavailable" in str(err.value)


async def test_balance_restored_after_restart(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State("sensor.office_port_0_balance", "12.5"),
                {"native_value": 12.5, "native_unit_of_measurement": None},
            )
        ],
    )
    await setup(hass, make_entry(simulator, balance_code="*100#"))
    assert hass.states.get("sensor.office_port_0_balance").state == "12.5"


async def test_periodic_balance_checks(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, simulator: Simulator
) -> None:
    await setup(hass, make_entry(simulator, balance_code="*100#", balance_interval=1))
    port = registered_port(simulator)
    sensor = f"sensor.office_port_{port}_balance"
    assert hass.states.get(sensor).state == "unknown"
    freezer.tick(timedelta(hours=1, seconds=1))
    async_fire_time_changed(hass)
    # The checks wait on the (frozen) clock: move it in small steps.
    # (A real sleep would wait on that frozen clock too: yield instead.)
    for _ in range(200):
        for _ in range(20):
            await asyncio.sleep(0)
        freezer.tick(timedelta(seconds=0.5))
        async_fire_time_changed(hass)
    await hass.async_block_till_done()
    card = simulator.state.ports[port].sim
    assert card is not None
    assert hass.states.get(sensor).state != "unknown"
    assert float(hass.states.get(sensor).state) >= round(card.balance, 2)


async def test_rate_window_slides(hass: HomeAssistant, simulator: Simulator) -> None:
    await setup(hass, make_entry(simulator, rate_limit=1))
    data = {"to": ["10086"], "message": "x"}
    await hass.services.async_call(DOMAIN, "send_sms", data, blocking=True)
    with pytest.raises(HomeAssistantError):
        await hass.services.async_call(DOMAIN, "send_sms", data, blocking=True)
    later = asyncio.get_running_loop().time() + 3601
    with patch(
        "custom_components.gsm_gateway.sending.time.monotonic", return_value=later
    ):
        await hass.services.async_call(DOMAIN, "send_sms", data, blocking=True)


async def test_odd_reports_and_give_up(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
) -> None:
    entry = await setup(hass, make_entry(simulator))
    client = await hass_client_no_auth()
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    sent = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10086"], "message": "x", "delivery_report": False},
        blocking=True,
        return_response=True,
    )
    message_id = sent["ids"][0]
    sn = simulator.serial
    row = {"port": 0, "number": "10086", "ref_id": 1}
    assert (
        await push(
            hass,
            client,
            entry,
            {
                "sn": sn,
                "sms_result": [row | {"user_id": message_id, "status": "SENDING"}],
            },
        )
        == 200
    )
    assert (
        await push(
            hass,
            client,
            entry,
            {"sn": sn, "sms_result": [row | {"user_id": 99999, "status": "SENT_OK"}]},
        )
        == 200
    )
    assert (
        await push(
            hass,
            client,
            entry,
            {"sn": sn, "sms_deliver_status": [row | {"status_code": 40}]},
        )
        == 200
    )
    assert events == []
    # Nothing settles it for a day: it is dropped, and never polled again.
    with patch("custom_components.gsm_gateway.sending.time.time", return_value=10**12):
        await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done(wait_background_tasks=True)
    simulator.clear_requests()
    await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert "/api/query_sms_result" not in [r.path for r in simulator.requests]
    # With a report requested, SENT is not final: DELIVERED follows once.
    sent = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["10086"], "message": "x"},
        blocking=True,
        return_response=True,
    )
    row = {"port": 0, "number": "10086", "ref_id": 7}
    for _ in range(2):
        assert (
            await push(
                hass,
                client,
                entry,
                {
                    "sn": sn,
                    "sms_result": [
                        row | {"user_id": sent["ids"][0], "status": "SENT_OK"}
                    ],
                },
            )
            == 200
        )
    assert (
        await push(
            hass,
            client,
            entry,
            {"sn": sn, "sms_deliver_status": [row | {"status_code": 0}]},
        )
        == 200
    )
    assert [e.data["status"] for e in events] == ["sent", "delivered"]


async def test_restarted_ids_and_unknown_ports(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
) -> None:
    port = registered_port(simulator)
    for number in range(3):
        simulator.receive_sms(port, "10086", f"old {number}", push=False)
    entry = await setup(hass, make_entry(simulator))
    client = await hass_client_no_auth()
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    base = {"port": 20, "number": "1", "timestamp": "2026-01-01 00:00:00"}
    with patch("custom_components.gsm_gateway.inbox.MAX_SEEN_IDS", 2):
        body = {
            "sn": simulator.serial,
            "sms": [base | {"incoming_sms_id": 1, "text": "after reboot"}],
        }
        assert await push(hass, client, entry, body) == 200
        assert await push(hass, client, entry, body) == 200
        body["sms"][0] |= {"incoming_sms_id": 2, "text": "second"}
        assert await push(hass, client, entry, body) == 200
    assert [e.data["text"] for e in events] == ["after reboot", "second"]
    assert events[0].data["device_id"] is None  # the gateway has no port 20
    assert entry.runtime_data.messaging.inbox.cursor["after"] == 0


async def test_ussd_input_and_concurrency(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    await setup(hass, make_entry(simulator))
    port = registered_port(simulator)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "send_ussd", {"port": port, "code": "é" * 31}, blocking=True
        )
    assert err.value.translation_key == "invalid_ussd"
    simulator.set_ussd_reply("*5#", None)
    first = hass.async_create_task(
        hass.services.async_call(
            DOMAIN,
            "send_ussd",
            {"port": port, "code": "*5#", "timeout": 1},
            blocking=True,
        )
    )
    await asyncio.sleep(0.2)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "send_ussd", {"port": port, "code": "*100#"}, blocking=True
        )
    assert err.value.translation_key == "ussd_busy"
    with pytest.raises(HomeAssistantError):
        await first


async def test_push_failures_answer_cleanly(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    entry = await setup(hass, make_entry(simulator))
    client = await hass_client_no_auth()
    url = f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"

    async def chunks() -> Any:
        for _ in range(MAX_PUSH_BYTES // 1000 + 2):
            yield b"x" * 1000

    response = await client.post(url, data=chunks())
    assert response.status == 413
    body = {"sn": simulator.serial, "ussd": [{"port": 1, "text": "x"}]}
    with patch(f"{MESSAGING}.GsmMessaging.handle_push", side_effect=RuntimeError):
        response = await client.post(url, data=json.dumps(body))
    # Our own fault is logged, but the sender gets no 5xx (it would retry).
    assert response.status == 400
    assert "Unexpected error while handling a push" in caplog.text


async def test_message_poll_failure_logged_once(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    caplog: pytest.LogCaptureFixture,
) -> None:
    simulator.faults.add("status", count=2, status=500, path="/api/query_incoming_sms")
    with caplog.at_level(logging.INFO):
        await setup(hass, make_entry(simulator))
        for _ in range(2):
            freezer.tick(timedelta(seconds=61))
            async_fire_time_changed(hass)
            await hass.async_block_till_done(wait_background_tasks=True)
    assert caplog.text.count("Reading messages of Office failed") == 1
    assert "Reading messages of Office works again" in caplog.text


async def test_action_errors_and_explicit_gateway(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = await setup(hass, make_entry(simulator))
    await hass.services.async_call(
        DOMAIN, "reset_port", {"port": 0, "gateway": entry.entry_id}, blocking=True
    )
    simulator.auth.password = "changed"
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(DOMAIN, "reset_port", {"port": 0}, blocking=True)
    assert err.value.translation_key == "invalid_auth"

    async def unsupported() -> None:
        raise GatewayNotSupportedError("stk")

    with pytest.raises(ServiceValidationError) as err:
        await run_command(unsupported())
    assert err.value.translation_placeholders == {"feature": "stk"}


async def test_notify_platform_from_yaml_does_nothing(hass: HomeAssistant) -> None:
    assert await async_setup_component(
        hass, "notify", {"notify": [{"platform": DOMAIN, "name": "yaml"}]}
    )
    await hass.async_block_till_done()
    assert not hass.services.has_service("notify", "yaml")


async def test_webhook_url_without_known_url(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    entry = await setup(hass, make_entry(simulator))
    with patch(
        "homeassistant.components.webhook.async_generate_url",
        side_effect=NoURLAvailableError,
    ):
        result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["description_placeholders"] == {
        "webhook_url": f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"
    }


async def test_reboot_with_restarted_ids_found_by_polling(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
) -> None:
    """No SMS is pushed after the reboot: the device push starts a check."""
    port = registered_port(simulator)
    for number in range(3):
        simulator.receive_sms(port, "10086", f"before {number}", push=False)
    entry = await setup(hass, make_entry(simulator))
    assert entry.runtime_data.messaging.inbox.cursor["after"] == 3
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    simulator.state.clear_inbox(reset_ids=True)
    simulator.receive_sms(port, "10086", "after reboot", push=False)
    client = await hass_client_no_auth()
    body = {"sn": simulator.serial, "device": {"port_number": 8, "status": "power_on"}}
    assert await push(hass, client, entry, body) == 200
    for _ in range(2):
        freezer.tick(timedelta(seconds=61))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
    assert [e.data["text"] for e in events] == ["after reboot"]
    assert entry.runtime_data.messaging.inbox.cursor["after"] == 1
