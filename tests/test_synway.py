"""Synway SMG gateways through Home Assistant: flow, entities, polling, SMS, USSD."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
import json
from typing import TYPE_CHECKING, Any
from unittest.mock import patch

from homeassistant.const import CONF_HOST, CONF_PASSWORD, CONF_PORT, CONF_SSL
from homeassistant.core import HomeAssistant, SupportsResponse
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession
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
    GatewayNotRecognizedError,
    GatewayNotSupportedError,
    GatewayResponseError,
    OutgoingSms,
    SmsBox,
    SmsEncoding,
    SmsState,
    UssdStatus,
)
from custom_components.gsm_gateway.api.synway import (
    SynwayGateway,
    client as synway_client,
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

USER, SECRET = "api", "Synw4y-s3cret"
QUERY, TASK = "/API/QueryInfo", "/API/TaskHandle"
PREFIX = "synway_gateway_port"

SYNWAY: dict[str, Any] = {
    "ports": 4,
    "slots": 1,
    "auth": "basic",
    "username": USER,
    "password": SECRET,
    "dialect_options": {},
    "send_time": 0.05,
    "delivery_delay": 0.05,
    "register_delay": 0.1,
    "ussd_delay": 0.05,
}
"""The simulated SMG: four single-SIM ports, Basic credentials, quick."""


async def _synway(factory: SimulatorFactory, **options: Any) -> Simulator:
    return await factory("synway", **(SYNWAY | options))


@pytest.fixture
async def sim(
    socket_enabled: None, gsm_simulator_factory: SimulatorFactory
) -> Simulator:
    return await _synway(gsm_simulator_factory)


@pytest.fixture
def web_internal_url() -> bool:
    """Synway units are polled and push nothing: Home Assistant keeps no URL."""
    return False


def _events(sim: Simulator) -> list[str]:
    """The events posted to the unit, in order."""
    found = []
    for record in sim.requests:
        try:
            found.append(str(json.loads(record.body or b"{}").get("event")))
        except ValueError:
            found.append("?")
    return found


def _device_clock(sim: Simulator) -> datetime:
    moment: datetime = sim.state.clock()
    return moment


# Setup and identity.


async def test_detected_by_its_module_imeis(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """The first port's IMEI is the unique id; every IMEI is kept; no re-add."""
    imeis = [port.imei for port in sim.state.ports]
    assert entry.unique_id == imeis[0]
    assert entry.data["api_family"] == "synway"
    assert sorted(entry.data["identities"]) == sorted(imeis)
    assert entry.title == "Synway gateway"
    # The identity is read once by the flow (detection and its check share
    # it) and once by the entry's own client at setup: five types each.
    assert _events(sim).count("getwirelessinfo") == 10
    devices = dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
    names = {device.name for device in devices}
    assert {"Synway gateway", f"Synway gateway Port {port_number(sim, 0)}"} <= names
    hub = next(d for d in devices if (DOMAIN, imeis[0]) in d.identifiers)
    assert hub.manufacturer == "Synway"
    assert hub.serial_number is None
    result = await user_flow(hass, flow_input(sim))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_module_swap_keeps_the_gateway(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """A new module in port 1 changes nothing: the other IMEIs name the unit."""
    unique_id = entry.unique_id
    sim.state.set_imei(0, "356000000000001")
    # Adding it again is still refused: it is the same unit.
    result = await user_flow(hass, flow_input(sim))
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    # Reconfigure accepts it as the same gateway and records the new IMEI.
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": "reconfigure", "entry_id": entry.entry_id}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_PORT: sim.port, CONF_SSL: False},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.unique_id == unique_id
    assert "356000000000001" in entry.data["identities"]
    await hass.async_block_till_done()
    number = port_number(sim, 0)
    assert hass.states.get(f"sensor.{PREFIX}_{number}_imei").state == "356000000000001"


async def test_another_unit_is_not_the_same(
    hass: HomeAssistant,
    entry: MockConfigEntry,
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    """A second SMG with its own modules is added beside the first."""
    other = await _synway(gsm_simulator_factory, seed=99)
    assert not {p.imei for p in other.state.ports} & set(entry.data["identities"])
    second = await add_through_flow(hass, other)
    assert second.unique_id == other.state.ports[0].imei


async def test_wrong_password_and_manual_family(
    hass: HomeAssistant, web: TestClient, sim: Simulator
) -> None:
    """A refused Basic login is invalid_auth; the manual step offers Synway."""
    result = await user_flow(hass, flow_input(sim, password="wrong"))
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    # Detection answered nothing: the family is chosen by hand.
    with patch(
        "custom_components.gsm_gateway.config_flow.detect_gateway",
        side_effect=GatewayNotRecognizedError("none"),
    ):
        result = await hass.config_entries.flow.async_configure(
            result["flow_id"], flow_input(sim)
        )
    assert result["step_id"] == "api_family"
    options = result["data_schema"].schema["api_family"].config["options"]
    assert {"value": "synway", "label": "Synway SMG"} in options
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"api_family": "synway"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["api_family"] == "synway"


# Entities and polling.


async def test_port_entities(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """Call state, registration, radio type and SIM identity; no signal, no controls."""
    index = registered_port(sim)
    number = port_number(sim, index)
    port = sim.state.ports[index]
    card = port.sim
    assert card is not None
    prefix = f"sensor.{PREFIX}_{number}"
    assert hass.states.get(f"{prefix}_registration").state == "registered"
    assert hass.states.get(f"{prefix}_call_state").state == "idle"
    assert hass.states.get(f"{prefix}_network_type").state == "wcdma"
    assert hass.states.get(f"{prefix}_iccid").state == card.iccid
    assert hass.states.get(f"{prefix}_imsi").state == card.imsi
    assert hass.states.get(f"{prefix}_imei").state == port.imei
    assert hass.states.get(f"event.{PREFIX}_{number}_sms") is not None
    keys = {
        entity.translation_key
        for entity in er.async_entries_for_config_entry(
            er.async_get(hass), entry.entry_id
        )
    }
    assert {"registration", "call_state", "network_type", "imei", "sms"} <= keys
    assert not keys & {
        "signal",
        "module_power",
        "reset_module",
        "active_slot",
        "gprs",
        "cpu_usage",
        "sms_queue",
        "balance",
        "check_balance",
    }


async def test_states_follow_the_unit(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """Registration codes map to states; an unnamed call code keeps its raw value."""
    index = registered_port(sim)
    number = port_number(sim, index)
    sim.set_registration(index, "denied")
    await entry.runtime_data.ports.async_refresh()
    await hass.async_block_till_done()
    assert hass.states.get(f"sensor.{PREFIX}_{number}_registration").state == "denied"
    # A port out of service (code 11) is named so, not `unavailable`.
    call = hass.states.get(f"sensor.{PREFIX}_{number}_call_state")
    assert call.state == "out_of_service"
    assert "out_of_service" in call.attributes["options"]


async def test_unknown_codes_keep_their_raw_value(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """Port state 7 (pending) has no name: `unknown`, with the device's code."""
    number = port_number(sim, 0)
    from gsm_simulator.synway import device  # noqa: PLC0415

    real = device.port_list

    def pending(key: str, values: Any, *, end: bool = False) -> str:
        if key == "portstate":
            values = [7, *list(values)[1:]]
        return real(key, values, end=end)

    with patch.object(device, "port_list", pending):
        await entry.runtime_data.ports.async_refresh()
        await hass.async_block_till_done()
    state = hass.states.get(f"sensor.{PREFIX}_{number}_call_state")
    assert state.state == "unknown"
    assert state.attributes["raw_state"] == "7"


async def test_two_requests_per_poll_identity_hourly(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """A regular poll is getportinfo and getportconnectstate; identity hourly."""
    await hass.async_block_till_done()
    sim.clear_requests()
    await entry.runtime_data.ports.async_refresh()
    assert _events(sim) == ["getportinfo", "getportconnectstate"]
    sim.clear_requests()
    # An hour on, the identity is read again before the poll.
    with patch.object(synway_client, "IDENTITY_MAX_AGE", -1.0):
        await entry.runtime_data.ports.async_refresh()
    assert _events(sim) == ["getwirelessinfo"] * 5 + [
        "getportinfo",
        "getportconnectstate",
    ]


@pytest.mark.parametrize("first_port", [0, 1])
async def test_ports_numbered_as_the_unit_does(
    hass: HomeAssistant,
    web: TestClient,
    gsm_simulator_factory: SimulatorFactory,
    first_port: int,
) -> None:
    """0- or 1-based, the devices and actions use the unit's own numbers."""
    sim = await _synway(
        gsm_simulator_factory, dialect_options={"first_port": str(first_port)}
    )
    entry = await add_through_flow(hass, sim)
    assert sorted(entry.runtime_data.ports.data) == [first_port + i for i in range(4)]
    names = {
        device.name
        for device in dr.async_entries_for_config_entry(
            dr.async_get(hass), entry.entry_id
        )
    }
    assert f"Synway gateway Port {first_port}" in names
    assert f"Synway gateway Port {first_port + 4}" not in names


async def test_odd_result_spelling(
    hass: HomeAssistant, web: TestClient, gsm_simulator_factory: SimulatorFactory
) -> None:
    """`oK` is success as much as `ok`."""
    sim = await _synway(gsm_simulator_factory, dialect_options={"result_case": "oK"})
    entry = await add_through_flow(hass, sim)
    assert entry.runtime_data.ports.last_update_success


# Sending.


async def test_send_sent_and_delivered(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """txsms, then querytxsms says sent and querytxsmsrpt delivered."""
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    number = port_number(sim, registered_port(sim))
    with patch.object(SynwayGateway, "report_poll_after", 0.1):
        response = await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "gateway": entry.entry_id,
                "to": "+4915112345678",
                "message": "Hello from Home Assistant",
                "port": number,
            },
            blocking=True,
            return_response=True,
        )
        assert response is not None
        assert response["encoding"] == "gsm7"
        assert response["segments"] == 1
        assert len(response["ids"]) == 1
        body = json.loads(
            next(r.body for r in sim.requests if b'"txsms"' in (r.body or b""))
        )
        assert body["port"] == str(number)
        assert body["encoding"] == "0"
        assert body["num"] == "+4915112345678"
        assert body["smsinfo"] == "Hello from Home Assistant"
        await until(lambda: [e.data["status"] for e in events] == ["sent", "delivered"])
    assert {e.data["id"] for e in events} == set(response["ids"])
    assert all(e.data["port"] == number for e in events)


async def test_send_failed_with_raw_state(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """A failed number becomes a `failed` event keeping the device's state."""
    events = async_capture_events(hass, EVENT_SMS_STATUS)
    sim.fail_sms(number="+4915100000001")
    with patch.object(SynwayGateway, "report_poll_after", 0.1):
        await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {
                "gateway": entry.entry_id,
                "to": "+4915100000001",
                "message": "Привет",
                "delivery_report": False,
            },
            blocking=True,
        )
        await until(lambda: bool(events))
    assert events[0].data["status"] == "failed"
    assert events[0].data["vendor_status"] == "4"
    body = json.loads(
        next(r.body for r in sim.requests if b'"txsms"' in (r.body or b""))
    )
    assert body["encoding"] == "8"
    assert body["port"] == "-1"


async def test_many_numbers_are_split_into_tasks(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """Up to 50 numbers per txsms; every number gets its own id."""
    numbers = [f"+49151000{i:05d}" for i in range(120)]
    sim.clear_requests()
    response = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"gateway": entry.entry_id, "to": numbers, "message": "bulk"},
        blocking=True,
        return_response=True,
    )
    assert response is not None
    bodies = [
        json.loads(r.body or b"{}")
        for r in sim.requests
        if b'"txsms"' in (r.body or b"")
    ]
    assert [len(b["num"].split(",")) for b in bodies] == [50, 50, 20]
    assert len(response["ids"]) == 120
    assert len(str(response["task_id"]).split(",")) == 3


@pytest.mark.parametrize(("text", "limit"), [("a" * 601, "600"), ("ж" * 301, "300")])
async def test_text_limits_before_sending(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry, text: str, limit: str
) -> None:
    """600 GSM-7 / 300 UCS-2 characters; longer is refused, nothing sent."""
    sim.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "send_sms",
            {"gateway": entry.entry_id, "to": "+4915112345678", "message": text},
            blocking=True,
        )
    assert err.value.translation_key == "message_too_long_chars"
    assert err.value.translation_placeholders == {"limit": limit}
    assert "txsms" not in _events(sim)
    # At the limit it goes.
    await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"gateway": entry.entry_id, "to": "+4915112345678", "message": text[:-1]},
        blocking=True,
    )
    assert "txsms" in _events(sim)


# Receiving.


async def test_received_sms_reported_once(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """A polled SMS is one event with the Dinstar keys; polling again adds none."""
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    index = registered_port(sim)
    number = port_number(sim, index)
    sim.receive_sms(index, "+4917000000001", "Text: with; odd|chars.\nand a line")
    messaging = entry.runtime_data.messaging
    assert await messaging.async_poll_inbox() == 1
    await hass.async_block_till_done()
    assert len(events) == 1
    data = events[0].data
    assert data["port"] == number
    assert data["sender"] == "+4917000000001"
    assert data["text"] == "Text: with; odd|chars.\nand a line"
    assert data["entry_id"] == entry.entry_id
    assert data["device_id"] is not None
    assert data["message_id"]
    assert datetime.fromisoformat(data["timestamp"]).tzinfo is not None
    await messaging.async_poll_inbox()
    await hass.async_block_till_done()
    assert len(events) == 1
    state = hass.states.get(f"event.{PREFIX}_{number}_sms")
    assert state.attributes["text"] == data["text"]


async def test_two_hundred_in_one_second_across_a_reload(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """200 SMS stamped with one second, read before and after a reload: 200 events."""
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    index = registered_port(sim)
    moment = _device_clock(sim).replace(microsecond=0)
    for i in range(120):
        sim.receive_sms(index, "+4917000000002", f"same second {i}", moment, push=False)
    # Two identical messages in that second are two messages.
    sim.receive_sms(index, "+4917000000003", "twin", moment, push=False)
    sim.receive_sms(index, "+4917000000003", "twin", moment, push=False)
    await entry.runtime_data.messaging.async_poll_inbox()
    await hass.async_block_till_done()
    assert len(events) == 122
    for i in range(120, 198):
        sim.receive_sms(index, "+4917000000002", f"same second {i}", moment, push=False)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await entry.runtime_data.messaging.async_poll_inbox()
    await hass.async_block_till_done()
    texts = [e.data["text"] for e in events]
    assert sorted(texts) == sorted(
        [f"same second {i}" for i in range(198)] + ["twin", "twin"]
    )
    assert len({(e.data["message_id"], e.data["text"]) for e in events}) == 200


async def test_inbox_cleanup_option(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """With the option on, what was read is deleted from the unit's inbox."""
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "polled"
    assert "delete_reported_sms" in result["data_schema"].schema
    options = {
        key.schema: key.default()
        for key in result["data_schema"].schema
        if hasattr(key, "default") and callable(key.default)
    }
    options["delete_reported_sms"] = True
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], options
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    index = registered_port(sim)
    sim.receive_sms(index, "+4917000000004", "read me once", push=False)
    await entry.runtime_data.messaging.async_poll_inbox()
    await hass.async_block_till_done()
    assert [e.data["text"] for e in events] == ["read me once"]
    assert not [sms for sms in sim.state.inbox if sms.text == "read me once"]


# USSD.


async def test_ussd_reply_and_event(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """txussd, rxussd until answered, an event, and the store pruned."""
    events = async_capture_events(hass, EVENT_USSD_RECEIVED)
    index = registered_port(sim)
    number = port_number(sim, index)
    sim.set_ussd_reply("*100#", "Balance 12.34 EUR")
    with patch("custom_components.gsm_gateway.ussd.USSD_POLL_INTERVAL", 0.05):
        response = await hass.services.async_call(
            DOMAIN,
            "send_ussd",
            {"gateway": entry.entry_id, "port": number, "code": "*100#"},
            blocking=True,
            return_response=True,
        )
    assert response == {"port": number, "reply": "Balance 12.34 EUR"}
    assert [e.data["text"] for e in events] == ["Balance 12.34 EUR"]
    assert events[0].data["port"] == number
    assert "deleteussd" in _events(sim)
    sim.clear_requests()
    api = entry.runtime_data.gateway
    assert await api.async_get_ussd_reply(number) is None


async def test_ussd_refused_port_and_timeout(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """A port the unit refuses (1:0) and a reply that never comes are errors."""
    index = registered_port(sim)
    number = port_number(sim, index)
    sim.set_port_busy(index)
    with pytest.raises(HomeAssistantError) as err:
        await hass.services.async_call(
            DOMAIN,
            "send_ussd",
            {"gateway": entry.entry_id, "port": number, "code": "*100#"},
            blocking=True,
        )
    assert err.value.translation_key == "ussd_failed"
    sim.set_port_busy(index, busy=False)
    sim.set_ussd_reply("*101#", None)
    with (
        patch("custom_components.gsm_gateway.ussd.USSD_POLL_INTERVAL", 0.05),
        pytest.raises(HomeAssistantError) as err,
    ):
        await hass.services.async_call(
            DOMAIN,
            "send_ussd",
            {"gateway": entry.entry_id, "port": number, "code": "*101#", "timeout": 1},
            blocking=True,
        )
    assert err.value.translation_key == "ussd_timeout"


async def test_balance_from_ussd(
    hass: HomeAssistant, web: TestClient, sim: Simulator
) -> None:
    """With a balance code, the sensor and button exist and read the reply."""
    entry = await add_through_flow(hass, sim)
    result = await hass.config_entries.options.async_init(entry.entry_id)
    options = {
        key.schema: key.default()
        for key in result["data_schema"].schema
        if hasattr(key, "default") and callable(key.default)
    }
    options["balance_code"] = "*100#"
    await hass.config_entries.options.async_configure(result["flow_id"], options)
    await hass.async_block_till_done()
    index = registered_port(sim)
    number = port_number(sim, index)
    sim.set_ussd_reply("*100#", "Your balance is 7.50 EUR")
    with patch("custom_components.gsm_gateway.ussd.USSD_POLL_INTERVAL", 0.05):
        await hass.services.async_call(
            "button",
            "press",
            {"entity_id": f"button.{PREFIX}_{number}_check_balance"},
            blocking=True,
        )
    assert float(hass.states.get(f"sensor.{PREFIX}_{number}_balance").state) == 7.5


# What Synway lacks.


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("power_port", {"power": "off"}),
        ("reset_port", {}),
        ("switch_sim_slot", {"slot": 2}),
        ("lock_sim", {"pin": "1234"}),
        ("block_sim", {}),
        ("set_call_forward", {"mode": "busy", "number": "+491511"}),
        ("get_cdr", {}),
        ("stk_menu", {}),
        ("stop_sms_task", {"task_id": "1"}),
        ("pause_sms_task", {"task_id": "1"}),
        ("reboot_gateway", {}),
        ("redial_port", {}),
    ],
)
async def test_what_synway_lacks(
    hass: HomeAssistant,
    sim: Simulator,
    entry: MockConfigEntry,
    action: str,
    fields: dict[str, Any],
) -> None:
    """Refused with the translated not-supported error before any request."""
    number = port_number(sim, 0)
    sim.clear_requests()
    data = {"gateway": entry.entry_id, **fields}
    if action not in ("stop_sms_task", "pause_sms_task", "reboot_gateway"):
        data["port"] = number
    respond = hass.services.supports_response(DOMAIN, action)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            action,
            data,
            blocking=True,
            return_response=respond is SupportsResponse.ONLY,
        )
    assert err.value.translation_key == "not_supported"
    assert _events(sim) == []


async def test_secrets_and_imeis_stay_out_of_diagnostics(
    hass: HomeAssistant,
    sim: Simulator,
    entry: MockConfigEntry,
    hass_client: ClientSessionGenerator,
) -> None:
    """Credentials, the unique id and the module IMEIs are redacted."""
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, entry)
    text = json.dumps(diagnostics)
    assert SECRET not in text
    for port in sim.state.ports:
        assert port.imei not in text
    assert diagnostics["entry"]["data"]["identities"] == "**REDACTED**"


async def test_times_are_the_units(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """The inbox is read from the newest time seen, less a second."""
    index = registered_port(sim)
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    sim.receive_sms(index, "+4917000000005", "stamped", moment, push=False)
    await entry.runtime_data.messaging.async_poll_inbox()
    sim.clear_requests()
    await entry.runtime_data.messaging.async_poll_inbox()
    body = json.loads(
        next(r.body for r in sim.requests if b"queryrxsms" in (r.body or b""))
    )
    newest = max(sms.timestamp for sms in sim.state.inbox if sms.timestamp is not None)
    assert body["begintime"] <= newest.strftime("%Y%m%d%H%M%S")


# The client on its own: odd answers and what the integration rarely asks.


def _client(sim: Simulator, session: Any) -> SynwayGateway:
    return SynwayGateway(
        session,
        ConnectionConfig(
            host="127.0.0.1", port=sim.port, username=USER, password=SECRET
        ),
    )


async def test_client_on_other_units_and_odd_answers(
    hass: HomeAssistant,
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    """Not an SMG, no IMEI, counts that disagree: clear errors naming the event."""
    session = async_get_clientsession(hass)
    dinstar = await gsm_simulator_factory("dinstar", ports=2)
    with pytest.raises(GatewayNotRecognizedError):
        await _client(dinstar, session).async_probe()
    sim = await _synway(gsm_simulator_factory)
    client = _client(sim, session)
    assert client.slot_label(2) == "B"
    with pytest.raises(GatewayNotSupportedError):
        await client.async_get_status()
    with pytest.raises(GatewayNotSupportedError):
        await client.async_get_sms_queue()
    assert await client.async_get_sms_reports(["not-a-handle", "x:1:a:r"]) == []
    real = client._post

    async def no_imei(path: str, event: str, **params: str) -> str:
        if params.get("type") == "IMEI":
            return "1:.2:.3:.4:."
        return await real(path, event, **params)

    with (
        patch.object(client, "_post", no_imei),
        pytest.raises(GatewayResponseError, match="IMEI"),
    ):
        await client.async_get_info()

    async def fewer_modules(path: str, event: str, **params: str) -> str:
        if params.get("type") == "IMEI":
            return "1:356000000000011."
        return await real(path, event, **params)

    with (
        patch.object(client, "_post", fewer_modules),
        patch.object(synway_client, "IDENTITY_MAX_AGE", -1.0),
        pytest.raises(GatewayResponseError, match="named 1 ports of 4"),
    ):
        await client.async_get_ports()

    async def disagreeing(path: str, event: str, **params: str) -> str:
        if event == "getportconnectstate":
            return "total:3;ConnectState:1,1,1."
        return await real(path, event, **params)

    with (
        patch.object(client, "_post", disagreeing),
        pytest.raises(GatewayResponseError, match="count different ports"),
    ):
        await client.async_get_ports()


async def test_client_delete_ussd_and_receipts(
    hass: HomeAssistant,
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    """deletesms with filters; USSD on a fresh client; a receipt that never came."""
    session = async_get_clientsession(hass)
    sim = await _synway(gsm_simulator_factory)
    client = _client(sim, session)
    await client.async_get_ports()
    index = registered_port(sim)
    number = port_number(sim, index)
    old = datetime(2020, 1, 1, tzinfo=UTC)
    sim.receive_sms(index, "+4917000000009", "old one", old, push=False)
    sim.receive_sms(index, "+4917000000009", "new one", push=False)
    deleted = await client.async_delete_sms(
        SmsBox.INBOX,
        ports=[number],
        number="+4917000000009",
        start=datetime(2019, 12, 31),
        end=datetime(2020, 1, 2),
    )
    assert deleted == 1
    assert [sms.text for sms in sim.state.inbox] == ["new one"]
    assert await client.async_delete_sms(SmsBox.BOTH, everything=True) == 1
    assert list(sim.state.inbox) == []
    # USSD on a client that never looked at the store: old replies are old.
    sim.set_ussd_reply("*100#", "Balance 1.00")
    answer = await client.async_send_ussd(number, "*100#")
    assert answer.status is UssdStatus.SENT
    reply = None
    for _ in range(100):
        if (reply := await client.async_get_ussd_reply(number)) is not None:
            break
        await asyncio.sleep(0.05)
    assert reply == "Balance 1.00"
    # A send whose receipt never comes stays `sent`.
    sim.fail_delivery(number="+4915100000077")
    result = await client.async_send_sms(
        "no receipt",
        [OutgoingSms(message_id=1, number="+4915100000077")],
        ports=[number],
        encoding=SmsEncoding.GSM7,
    )
    handle = result.handles[1]
    states: list[str | None] = []
    for _ in range(100):
        reports = await client.async_get_sms_reports([handle])
        states = [report.state for report in reports]
        if states == [SmsState.SENT]:
            break
        await asyncio.sleep(0.05)
    assert states == [SmsState.SENT]


async def test_delete_sms_action(
    hass: HomeAssistant, sim: Simulator, entry: MockConfigEntry
) -> None:
    """`delete_sms` empties the unit's inbox by filters, or all of it."""
    index = registered_port(sim)
    number = port_number(sim, index)
    sim.receive_sms(index, "+4917000000010", "keep", push=False)
    sim.receive_sms(index, "+4917000000011", "drop", push=False)
    response = await hass.services.async_call(
        DOMAIN,
        "delete_sms",
        {
            "gateway": entry.entry_id,
            "box": "inbox",
            "port": [number],
            "number": "+4917000000011",
        },
        blocking=True,
        return_response=True,
    )
    assert response == {"deleted": 1}
    assert [sms.text for sms in sim.state.inbox] == ["keep"]
    response = await hass.services.async_call(
        DOMAIN,
        "delete_sms",
        {"gateway": entry.entry_id, "box": "both", "all": True},
        blocking=True,
        return_response=True,
    )
    assert response == {"deleted": 1}
    assert list(sim.state.inbox) == []
