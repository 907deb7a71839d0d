"""Ejoin gateways through Home Assistant: flow, entities, pushes, sends, inbox, control."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import json
import logging
import re
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

import aiohttp
from homeassistant.config_entries import SOURCE_REAUTH
from homeassistant.const import CONF_PASSWORD, CONF_USERNAME, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

if TYPE_CHECKING:
    from aiohttp.test_utils import TestClient

from custom_components.gsm_gateway.api import (
    ConnectionConfig,
    GatewayArgumentError,
    GatewayCommandError,
    GatewayNotRecognizedError,
    GatewayNotSupportedError,
    GatewayResponseError,
    OutgoingSms,
    UssdStatus,
    create_gateway,
)
from custom_components.gsm_gateway.const import (
    DOMAIN,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
    EVENT_USSD_RECEIVED,
)
from gsm_simulator.server import Simulator

from .conftest import SimulatorFactory
from .support import (
    add_through_flow,
    flow_input,
    port_number,
    registered_port,
    until,
    user_flow,
)

SECRET = "Ej0in-s3cret"
STATUS = "/goip_get_status.html"

EJOIN: dict[str, Any] = {
    "ports": 4,
    "slots": 4,
    "username": "root",
    "password": SECRET,
    "dialect_options": {},
    "send_time": 0.1,
    "delivery_delay": 0.1,
    "register_delay": 0.2,
    "ussd_delay": 0.1,
}
"""The simulated Ejoin unit: four ports of four slots, root's password, quick."""


async def _ejoin(factory: SimulatorFactory, **options: Any) -> Simulator:
    return await factory("ejoin", **(EJOIN | options))


@pytest.fixture
async def sim(
    socket_enabled: None, gsm_simulator_factory: SimulatorFactory
) -> Simulator:
    return await _ejoin(gsm_simulator_factory)


def _paths(sim: Simulator) -> list[str]:
    return [record.path for record in sim.requests]


async def test_detected_with_its_mac(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    mac = entry.unique_id
    assert mac is not None
    assert re.fullmatch(r"([0-9a-f]{2}:){5}[0-9a-f]{2}", mac)
    assert mac[-8:] == sim.state.mac.replace("-", ":").lower()[-8:]
    assert entry.data["api_family"] == "ejoin"
    assert entry.title == "Ejoin gateway"
    device = next(
        device
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
        if (DOMAIN, mac) in device.identifiers
    )
    assert (dr.CONNECTION_NETWORK_MAC, mac) in device.connections
    assert device.sw_version
    # The same unit again is refused.
    result = await user_flow(hass, flow_input(sim))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


@pytest.mark.parametrize("refusal", ["code", "401"])
async def test_wrong_password(
    hass: HomeAssistant,
    web: TestClient,
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
    refusal: str,
) -> None:
    sim = await _ejoin(gsm_simulator_factory, dialect_options={"refusal": refusal})
    result = await user_flow(hass, flow_input(sim, password="wrong"))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], flow_input(sim)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_port_entities(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    index = registered_port(sim)
    number = port_number(sim, index)
    port = sim.state.ports[index]
    card = port.sim
    assert card is not None
    prefix = f"sensor.ejoin_gateway_port_{number}"
    assert hass.states.get(f"{prefix}_registration").state == "registered"
    assert hass.states.get(f"{prefix}_signal_strength").state == str(
        -113 + 2 * port.signal
    )
    assert hass.states.get(f"{prefix}_iccid").state == card.iccid
    assert hass.states.get(f"{prefix}_imsi").state == card.imsi
    assert hass.states.get(f"{prefix}_operator").state not in ("unknown", None)
    assert float(hass.states.get(f"{prefix}_balance").state) == pytest.approx(
        card.balance
    )
    assert hass.states.get(f"{prefix}_sim_slot").state == "1"
    select = hass.states.get(f"select.ejoin_gateway_port_{number}_active_sim_slot")
    assert select.attributes["options"] == ["1", "2", "3", "4"]
    assert hass.states.get(f"event.ejoin_gateway_port_{number}_sms") is not None
    registry = er.async_get(hass)
    keys = {
        entity.translation_key
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
    }
    assert {"sms_sent", "sms_sent_failed", "sms_received", "asr", "acd"} <= keys
    assert not keys & {
        "module_power",
        "cpu_usage",
        "sms_queue",
        "call_state",
        "network_type",
        "gprs",
        "remaining_credit",
    }
    sent = registry.async_get(f"{prefix}_sms_sent")
    assert sent is not None
    assert sent.disabled_by is None
    acd = registry.async_get(f"{prefix}_average_call_duration")
    assert acd is not None
    assert acd.disabled_by is er.RegistryEntryDisabler.INTEGRATION
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    names = {device.name for device in devices}
    assert {f"Ejoin gateway Port {port_number(sim, 0)}", "Ejoin gateway"} <= names


async def test_one_request_per_poll(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    sim.clear_requests()
    await entry.runtime_data.ports.async_refresh()
    assert _paths(sim) == [STATUS]


async def test_push_url_registered_and_port_status_applied(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry, push: Push
) -> None:
    assert sim.push_url is not None
    assert sim.push_url.endswith(f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}")
    index = registered_port(sim)
    number = port_number(sim, index)
    sim.clear_requests()
    # The device's port-status push, as it would post it.
    body = {
        "type": "port-status",
        "port": f"{number}.01",
        "seq": 9,
        "status": "6 Register failed",
        "bal": "1.50",
        "opr": "23410 O2",
    }
    assert await push(body) == 200
    state = hass.states.get(f"sensor.ejoin_gateway_port_{number}_registration")
    assert state.state == "denied"
    assert STATUS not in _paths(sim)


type Push = Callable[[Any], Awaitable[int]]


@pytest.fixture
async def push(hass: HomeAssistant, web: TestClient, entry: MockConfigEntry) -> Push:
    """POST a body to the Ejoin entry's webhook, as the device would."""

    async def send(body: Any) -> int:
        response = await web.post(
            f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}", data=json.dumps(body)
        )
        await hass.async_block_till_done()
        return response.status

    return send


async def test_dinstar_push_refused_by_an_ejoin_entry(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry, push: Push
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    body = {
        "sn": "dc00-0000-0000-0000",
        "sms": [{"incoming_sms_id": 1, "port": 1, "number": "1", "text": "x"}],
    }
    assert await push(body) == 400
    assert events == []


async def test_send_report_and_delivery(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    statuses = async_capture_events(hass, EVENT_SMS_STATUS)
    number = port_number(sim, registered_port(sim))
    sim.clear_requests()
    result = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["+44 7700 900123"], "message": "Hello", "port": number},
        blocking=True,
        return_response=True,
    )
    (request,) = [r for r in sim.requests if r.path == "/goip_post_sms.html"]
    body = json.loads(request.body)
    (task,) = body["tasks"]
    assert task["to"] == "+447700900123"
    assert task["from"] == str(number)
    assert task["dr"] == 1
    assert body["sms_url"] == body["sr_url"] == sim.push_url
    assert result["task_id"] == task["tid"]
    (message_id,) = result["ids"]
    # Pushed by the simulator: the delivery report (a recv-sms row) settles
    # the send; its status report may come first or later (batched).
    await until(lambda: any(e.data["status"] == "delivered" for e in statuses))
    final = [e.data for e in statuses if e.data["status"] == "delivered"]
    assert [(data["id"], data["to"], data["port"]) for data in final] == [
        (message_id, "+447700900123", number)
    ]


async def test_task_ids_stay_unique_across_reloads(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    number = port_number(sim, registered_port(sim))
    tids = []
    for _ in range(2):
        result = await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {"to": ["+447700900123"], "message": "Hi", "port": number},
            blocking=True,
            return_response=True,
        )
        tids.append(result["task_id"])
        assert await hass.config_entries.async_reload(entry.entry_id)
        await hass.async_block_till_done()
    assert tids[0] != tids[1]


async def test_task_control(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    number = port_number(sim, registered_port(sim))
    result = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {
            "to": [f"+4477009{i:05d}" for i in range(5)],
            "message": "Bulk",
            "port": number,
        },
        blocking=True,
        return_response=True,
    )
    task_id = str(result["task_id"])
    for action, path in (
        ("pause_sms_task", "/goip_pause_sms.html"),
        ("resume_sms_task", "/goip_resume_sms.html"),
        ("stop_sms_task", "/goip_remove_sms.html"),
    ):
        await hass.services.async_call(
            DOMAIN, action, {"task_id": task_id}, blocking=True
        )
        assert json.loads(sim.requests[-1].body)["tids"] == [int(task_id)]
        assert sim.requests[-1].path == path
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN, "pause_sms_task", {"task_id": "999999"}, blocking=True
        )
    assert err.value.translation_key in ("command_refused", "command_refused_reason")


async def test_received_sms_once_by_push_and_poll(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    index = registered_port(sim)
    sim.receive_sms(index, "+447700900123", "Grüße, 你好 😀")
    await until(lambda: bool(events))
    await entry.runtime_data.messaging.async_poll_inbox()
    await hass.async_block_till_done()
    assert [(e.data["text"], e.data["port"]) for e in events] == [
        ("Grüße, 你好 😀", port_number(sim, index))
    ]
    data = events[0].data
    assert data["sender"] == "+447700900123"
    assert data["timestamp"]
    assert data["slot"] == 1


async def test_reboot_new_ssrc_reads_from_the_start(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    index = registered_port(sim)
    sim.push_url = None  # polling only
    sim.receive_sms(index, "+447700900123", "before", push=False)
    await entry.runtime_data.messaging.async_poll_inbox()
    cursor = dict(entry.runtime_data.messaging.inbox.cursor or {})
    sim.reboot()
    sim.receive_sms(index, "+447700900124", "after", push=False)
    await entry.runtime_data.messaging.async_poll_inbox()
    await hass.async_block_till_done()
    assert [e.data["text"] for e in events] == ["before", "after"]
    assert entry.runtime_data.messaging.inbox.cursor["ssrc"] != cursor["ssrc"]


@pytest.mark.parametrize(
    ("action", "data", "op"),
    [
        ("reset_port", {}, "reset"),
        ("block_sim", {}, "lock"),
        ("unblock_sim", {}, "unlock"),
        ("redial_port", {"mode": "fast"}, "redial"),
        ("switch_sim_slot", {"slot": 2}, "switch"),
    ],
)
async def test_port_commands(
    hass: HomeAssistant,
    sim: Simulator,
    entry: MockConfigEntry,
    action: str,
    data: dict[str, Any],
    op: str,
) -> None:
    number = port_number(sim, registered_port(sim))
    sim.clear_requests()
    await hass.services.async_call(
        DOMAIN, action, {"port": number, **data}, blocking=True
    )
    commands = [
        json.loads(r.body) for r in sim.requests if r.path == "/goip_send_cmd.html"
    ]
    assert commands[0]["op"] == op
    if op == "switch":
        assert commands[0]["ports"] == f"{number}.02"
    else:
        assert commands[0]["ports"] == str(number)
    if op == "redial":
        assert commands[0]["mode"] == 1


async def test_reboot_gateway(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    sim.clear_requests()
    await hass.services.async_call(DOMAIN, "reboot_gateway", {}, blocking=True)
    (command,) = [
        json.loads(r.body) for r in sim.requests if r.path == "/goip_send_cmd.html"
    ]
    assert command["op"] == "reboot"


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("power_port", {"port": 1, "power": "off"}),
        ("lock_sim", {"port": 1, "pin": "1234"}),
        ("set_call_forward", {"port": 1, "mode": "cancel_all"}),
        ("get_cdr", {}),
        ("stk_menu", {"port": 1}),
    ],
)
async def test_what_ejoin_lacks(
    hass: HomeAssistant,
    sim: Simulator,
    entry: MockConfigEntry,
    action: str,
    data: dict[str, Any],
) -> None:
    sim.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            action,
            data,
            blocking=True,
            return_response=action in ("get_cdr", "stk_menu"),
        )
    assert err.value.translation_key == "not_supported"
    assert sim.requests == []


async def test_ussd_reply_in_the_answer(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_USSD_RECEIVED)
    index = registered_port(sim)
    number = port_number(sim, index)
    result = await hass.services.async_call(
        DOMAIN,
        "send_ussd",
        {"port": number, "code": "*100#"},
        blocking=True,
        return_response=True,
    )
    assert result["port"] == number
    assert result["reply"]
    assert [e.data["text"] for e in events] == [result["reply"]]
    (request,) = [r for r in sim.requests if r.path == "/goip_send_ussd.html"]
    assert request.query["ussd"] == "*100#"
    assert request.query["port"] == f"{number}A"


async def test_ussd_without_reply_times_out(
    hass: HomeAssistant,
    web: TestClient,
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    sim = await _ejoin(gsm_simulator_factory, dialect_options={"ussd_timeout": 60})
    entry = await add_through_flow(hass, sim)
    sim.set_ussd_reply("*999#", None)
    number = port_number(sim, registered_port(sim))
    with (
        patch("custom_components.gsm_gateway.api.ejoin.client.USSD_TIMEOUT", 0.5),
        pytest.raises(HomeAssistantError) as err,
    ):
        await hass.services.async_call(
            DOMAIN, "send_ussd", {"port": number, "code": "*999#"}, blocking=True
        )
    assert err.value.translation_key == "ussd_timeout"
    assert entry.state.value == "loaded"


async def test_statistics_sensors(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    index = registered_port(sim)
    number = port_number(sim, index)
    statuses = async_capture_events(hass, EVENT_SMS_STATUS)
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["+447700900123"], "message": "count me", "port": number},
        blocking=True,
    )
    await until(lambda: bool(statuses))
    await entry.runtime_data.statistics.async_refresh()
    await hass.async_block_till_done()
    state = hass.states.get(f"sensor.ejoin_gateway_port_{number}_sms_sent")
    assert int(state.state) >= 1
    assert state.attributes["state_class"] == "total_increasing"


async def test_secrets_stay_out_of_logs_and_diagnostics(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    web: TestClient,
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    sim = await _ejoin(gsm_simulator_factory)
    entry = await add_through_flow(hass, sim)
    number = port_number(sim, registered_port(sim))
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["+447700900123"], "message": "x", "port": number},
        blocking=True,
    )
    sim.faults.add("status", status=500, count=1)
    await entry.runtime_data.ports.async_refresh()
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    # What the integration and its client log. (Home Assistant's own webhook
    # component and HTTP access log name the webhook at debug level on some
    # versions, whenever the unit happens to push during the test.)
    ours = "\n".join(
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("custom_components.gsm_gateway")
    )
    assert ours  # the debug log was captured at all
    assert SECRET not in caplog.text
    assert entry.data[CONF_WEBHOOK_ID] not in ours
    assert SECRET not in json.dumps(diagnostics)
    assert entry.data[CONF_WEBHOOK_ID] not in json.dumps(diagnostics)


async def _client(sim: Simulator, session: Any) -> Any:
    return create_gateway(
        "ejoin",
        session,
        ConnectionConfig(
            host="127.0.0.1", port=sim.port, username="root", password=SECRET
        ),
    )


def _answer(sim: Simulator, path: str, body: Any) -> None:
    """The device's next answer on `path` is `body`."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    sim.faults.add("malformed_json", body=raw, path=path)


async def test_odd_answers(sim: Simulator) -> None:
    """Answers the client cannot use are clear errors, never wrong data."""
    async with aiohttp.ClientSession() as session:
        client = await _client(sim, session)
        _answer(sim, STATUS, [1, 2])
        with pytest.raises(GatewayResponseError):
            await client.async_get_ports()
        _answer(sim, STATUS, {"type": "dev-status", "mac": "", "status": []})
        with pytest.raises(GatewayNotRecognizedError):
            await client.async_probe()
        _answer(sim, STATUS, {"type": "something else"})
        with pytest.raises(GatewayNotRecognizedError):
            await client.async_probe()
        with pytest.raises(GatewayNotSupportedError):
            await client.async_get_status()
        with pytest.raises(GatewayNotSupportedError):
            await client.async_get_sms_queue()
        _answer(sim, "/goip_get_sms.html", {"code": 0, "ssrc": "a", "data": 5})
        with pytest.raises(GatewayResponseError):
            await client.async_get_inbox(None)
        _answer(sim, "/goip_get_sms.html", {"code": 3, "reason": "Busy"})
        with pytest.raises(GatewayCommandError) as refused:
            await client.async_get_inbox(None)
        assert (refused.value.code, refused.value.reason) == (3, "Busy")
        with pytest.raises(GatewayArgumentError):
            await client.async_pause_sms_task("task-7")
        _answer(sim, "/goip_post_sms.html", {"code": 200, "status": []})
        with pytest.raises(GatewayCommandError):
            await client.async_send_sms(
                "x", [OutgoingSms(message_id=1, number="+447700900123")]
            )
        _answer(sim, "/goip_post_sms.html", {"code": 200, "status": [{"tid": 1}]})
        with pytest.raises(GatewayCommandError):
            await client.async_send_sms(
                "x", [OutgoingSms(message_id=1, number="+447700900123")]
            )
        _answer(sim, "/goip_send_ussd.html", {"code": 0, "reason": "OK"})
        answer = await client.async_send_ussd(1, "*100#")
        assert answer.status is UssdStatus.FAILED
        assert await client.async_get_ussd_reply(1) is None


async def test_duplicated_task_id_is_retried_once(sim: Simulator) -> None:
    """A tid the unit saw before (code 13) is replaced by a new one."""
    async with aiohttp.ClientSession() as session:
        client = await _client(sim, session)
        await client.async_get_ports()
        duplicated = {
            "code": 200,
            "reason": "OK",
            "type": "task-status",
            "status": [{"tid": 0, "status": "13 Duplicated TaskId"}],
        }
        with patch(
            "custom_components.gsm_gateway.api.ejoin.client.next_tid",
            side_effect=[0, 5, 6],
        ):
            _answer(sim, "/goip_post_sms.html", duplicated)
            result = await client.async_send_sms(
                "x", [OutgoingSms(message_id=1, number="+447700900123")], ports=[1]
            )
        assert result.task_id == 5
        assert result.handles == {1: "5:0"}


async def test_reauth_with_a_new_password(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """Reauthentication works as for Dinstar: the same unit, new credentials."""
    sim.auth.password = "n3w-" + SECRET
    result = await hass.config_entries.flow.async_init(
        DOMAIN,
        context={"source": SOURCE_REAUTH, "entry_id": entry.entry_id},
        data=dict(entry.data),
    )
    assert result["step_id"] == "reauth_confirm"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "root", CONF_PASSWORD: "wrong"}
    )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "root", CONF_PASSWORD: "n3w-" + SECRET}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert entry.data[CONF_PASSWORD] == "n3w-" + SECRET
    await hass.async_block_till_done()


async def test_balance_button_uses_ussd_and_balance_stays_the_gateways(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "scan_interval": 30,
            "inbox_interval": 60,
            "rate_limit": 0,
            "allow_external_webhook": False,
            "balance_code": "*100#",
            "balance_pattern": r"(\d+\.\d+)",
            "balance_interval": 0,
            "currency": "GBP",
        },
    )
    await hass.async_block_till_done()
    index = registered_port(sim)
    number = port_number(sim, index)
    balance = hass.states.get(f"sensor.ejoin_gateway_port_{number}_balance")
    assert balance.attributes["unit_of_measurement"] == "GBP"
    assert float(balance.state) == pytest.approx(sim.state.ports[index].sim.balance)
    sim.clear_requests()
    await hass.services.async_call(
        "button",
        "press",
        {"entity_id": f"button.ejoin_gateway_port_{number}_check_balance"},
        blocking=True,
    )
    assert "/goip_send_ussd.html" in _paths(sim)
