"""The family-neutral core: push lifecycle, full port pushes, id-less pushes,
outstanding sends across a restart, and upgrading what earlier versions stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
import json
from typing import Any, ClassVar
from unittest.mock import patch

from homeassistant.components.sensor import SensorEntityDescription
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.gsm_gateway.api import (
    FAMILIES,
    Capability,
    GatewayConnectionError,
    Port,
    PortUpdate,
    Push,
    Registration,
)
from custom_components.gsm_gateway.api.dinstar import DinstarGateway
from custom_components.gsm_gateway.const import (
    DOMAIN,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
)
from custom_components.gsm_gateway.entity import GsmPortEntity
from gsm_simulator.server import Simulator

from .conftest import entry_data
from .pushes import Poster


class RegisteringGateway(DinstarGateway):
    """A test-only family that takes its push URL through the API and pushes whole ports."""

    family: ClassVar[str] = "test_registering"
    label: ClassVar[str] = "Test family with push registration"
    capabilities: ClassVar[frozenset[Capability]] = DinstarGateway.capabilities | {
        Capability.PUSH_REGISTRATION
    }
    registered: ClassVar[list[str]] = []
    withdrawn: ClassVar[int] = 0
    refuse: ClassVar[bool] = False

    async def async_register_push(self, url: str) -> None:
        if type(self).refuse:
            raise GatewayConnectionError("no answer")
        type(self).registered.append(url)

    async def async_unregister_push(self) -> None:
        type(self).withdrawn += 1

    def parse_push(self, body: bytes) -> Push:
        payload = json.loads(body)
        if "port_update" not in payload:
            return super().parse_push(body)
        item = payload["port_update"]
        port = Port(
            number=item["port"],
            registration=Registration(item["registration"]),
            signal_csq=item["signal"],
        )
        return Push(identity=None, events=(PortUpdate(port=port),))


@pytest.fixture
def registering() -> Iterator[None]:
    RegisteringGateway.registered = []
    RegisteringGateway.withdrawn = 0
    RegisteringGateway.refuse = False
    with patch.dict(FAMILIES, {"test_registering": RegisteringGateway}):  # type: ignore[arg-type]
        yield


async def _set_up(hass: HomeAssistant, sim: Simulator, family: str) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Office",
        unique_id=sim.serial,
        data=entry_data(sim, api_family=family, webhook_id="hook-" + family),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def test_push_url_registered_at_setup_and_withdrawn_at_unload(
    hass: HomeAssistant, simulator: Simulator, registering: None
) -> None:
    entry = await _set_up(hass, simulator, "test_registering")
    (url,) = RegisteringGateway.registered
    assert url.endswith("/api/webhook/hook-test_registering")
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert RegisteringGateway.withdrawn == 1


async def test_push_registration_failure_is_not_fatal(
    hass: HomeAssistant,
    simulator: Simulator,
    registering: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    RegisteringGateway.refuse = True
    entry = await _set_up(hass, simulator, "test_registering")
    assert entry.state.value == "loaded"
    assert "did not take the push URL" in caplog.text
    assert "hook-test_registering" not in caplog.text  # the URL is a secret


async def test_full_port_push_updates_the_port_at_once(
    hass: HomeAssistant,
    simulator: Simulator,
    registering: None,
    hass_client_no_auth: Any,
) -> None:
    entry = await _set_up(hass, simulator, "test_registering")
    port = next(p.index for p in simulator.state.ports if p.registered)
    client = await hass_client_no_auth()
    simulator.clear_requests()
    body = {"port_update": {"port": port, "registration": "denied", "signal": 20}}
    response = await client.post(
        f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}", json=body
    )
    assert response.status == 200
    await hass.async_block_till_done()
    assert hass.states.get(f"sensor.office_port_{port}_registration").state == "denied"
    assert hass.states.get(f"sensor.office_port_{port}_signal_strength").state == "-73"
    assert simulator.requests == []  # no poll was needed


def _sms_push(sim: Simulator, sms: Any, *, with_id: bool) -> dict[str, Any]:
    stamp = sms.timestamp.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    item = {
        "port": sms.port,
        "number": sms.number,
        "smsc": sms.smsc,
        "timestamp": stamp,
        "text": sms.text,
    }
    if with_id:
        item["incoming_sms_id"] = sms.sms_id
    return {"sn": sim.serial, "sms": [item]}


@pytest.mark.parametrize("push_first", [True, False])
async def test_push_without_id_and_poll_with_id_fire_once(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    post: Poster,
    push_first: bool,
) -> None:
    """One side has the gateway's id, the other not: still one event."""
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    port = next(p.index for p in simulator.state.ports if p.registered)
    sms = simulator.receive_sms(
        port,
        "+447700900123",
        "Meet at 10",
        datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        push=False,
    )
    messaging = init_integration.runtime_data.messaging
    if push_first:
        assert await post(_sms_push(simulator, sms, with_id=False)) == 200
        await messaging.async_poll_inbox()
    else:
        await messaging.async_poll_inbox()
        assert await post(_sms_push(simulator, sms, with_id=False)) == 200
    await hass.async_block_till_done()
    assert [(e.data["text"], e.data["port"]) for e in events] == [("Meet at 10", port)]
    # A later message with the same content but its own id is a new one.
    again = simulator.receive_sms(
        port,
        "+447700900123",
        "Meet at 10",
        datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        push=False,
    )
    assert await post(_sms_push(simulator, again, with_id=True)) == 200
    assert len(events) == 2


async def test_outstanding_send_survives_a_restart(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    post: Poster,
) -> None:
    """Sent, Home Assistant restarts, then the report comes: the send's id is kept."""
    statuses = async_capture_events(hass, EVENT_SMS_STATUS)
    port = next(p.index for p in simulator.state.ports if p.registered)
    sent = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["+447700900123"], "message": "hi", "port": port},
        blocking=True,
        return_response=True,
    )
    (message_id,) = sent["ids"]
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    body = {
        "sn": simulator.serial,
        "sms_result": [
            {
                "port": port,
                "number": "+447700900123",
                "user_id": message_id,
                "status": "SENT_OK",
                "count": 1,
                "ref_id": 77,
            }
        ],
    }
    assert await post(body) == 200
    assert [(e.data["id"], e.data["status"]) for e in statuses] == [
        (message_id, "sent")
    ]


OLD_STORE = {
    "inbox_mark": 41,
    "seen": ["41/2/2026-11-30T10:00:00-08:00/0123456789abcdef"],
    "next_id": 6,
    "outstanding": {
        "5": {
            "number": "+447700900999",
            "sent_at": 4102444800.0,
            "delivery_report": True,
            "port": None,
            "reference": None,
            "reported": [],
        }
    },
}


async def test_upgrade_from_the_first_stored_format(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    hass_client_no_auth: Any,
    simulator: Simulator,
    config_entry: MockConfigEntry,
) -> None:
    """What version 1.1 stored (a Dinstar mark, id-first fingerprints) is kept."""
    hass_storage[f"{DOMAIN}.{config_entry.entry_id}"] = {
        "version": 1,
        "minor_version": 1,
        "key": f"{DOMAIN}.{config_entry.entry_id}",
        "data": OLD_STORE,
    }
    statuses = async_capture_events(hass, EVENT_SMS_STATUS)
    config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(config_entry.entry_id)
    await hass.async_block_till_done()
    messaging = config_entry.runtime_data.messaging
    assert messaging.inbox.cursor is not None
    assert messaging.inbox.cursor["after"] >= 41
    assert messaging.inbox.diagnostics()["remembered_sms"] >= 1
    assert messaging.sender.diagnostics()["next_id"] >= 6
    # The send stored by the old version still gets its report, by its id.
    body = {
        "sn": simulator.serial,
        "sms_result": [
            {"port": 1, "number": "+447700900999", "user_id": 5, "status": "SENT_OK"}
        ],
    }
    client = await hass_client_no_auth()
    response = await client.post(
        f"/api/webhook/{config_entry.data[CONF_WEBHOOK_ID]}", json=body
    )
    assert response.status == 200
    await hass.async_block_till_done()
    assert [(e.data["id"], e.data["to"]) for e in statuses] == [(5, "+447700900999")]
    await messaging.async_save()
    stored = hass_storage[f"{DOMAIN}.{config_entry.entry_id}"]
    assert stored["minor_version"] == 2
    assert "inbox_mark" not in stored["data"]
    assert ["2/2026-11-30T10:00:00-08:00/0123456789abcdef", "41"] in stored["data"][
        "seen"
    ]


async def test_slots_and_limits_come_from_the_family(
    hass: HomeAssistant,
    socket_enabled: None,
    gsm_simulator_factory: Any,
) -> None:
    """The select offers the family's slots; other slots and numbers past the
    family's length are refused before any request."""
    sim = await gsm_simulator_factory(dialect="dinstar", ports=2, slots=4)
    entry = MockConfigEntry(
        domain=DOMAIN, title="Office", unique_id=sim.serial, data=entry_data(sim)
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    state = hass.states.get("select.office_port_1_active_sim_slot")
    assert state.attributes["options"] == [
        str(slot) for slot in DinstarGateway.sim_slots
    ]
    sim.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "switch_sim_slot", {"port": 1, "slot": 7}, blocking=True
        )
    assert err.value.translation_key == "invalid_slot"
    assert "0, 1, 2, 3" in str(err.value)
    too_long = "1" * (DinstarGateway.max_number_length + 1)
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "set_call_forward",
            {"port": 1, "mode": "busy", "number": too_long},
            blocking=True,
        )
    assert err.value.translation_key == "invalid_number"
    assert sim.requests == []


async def test_balance_code_limited_by_the_family(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    code = "*" + "1" * DinstarGateway.max_ussd_bytes + "#"
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "scan_interval": 30,
            "inbox_interval": 60,
            "rate_limit": 0,
            "allow_external_webhook": False,
            "balance_code": code,
            "balance_pattern": r"(\d+)",
            "balance_interval": 0,
        },
    )
    assert result["errors"] == {"balance_code": "invalid_ussd_code"}


def test_an_entity_must_say_what_it_shows() -> None:
    """A port entity that forgets `shown_value` cannot be made."""

    class Forgetful(GsmPortEntity):
        pass

    with pytest.raises(TypeError, match="shown_value"):
        Forgetful(None, 0, SensorEntityDescription(key="x"))  # type: ignore[arg-type]
