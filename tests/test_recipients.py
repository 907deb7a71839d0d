"""Recipients: subentries of a gateway, each a notify entity that texts a number."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import (
    SOURCE_RECONFIGURE,
    SOURCE_USER,
    ConfigSubentry,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, UnknownHandler
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from custom_components.gsm_gateway.api import FAMILIES, Capability
from custom_components.gsm_gateway.const import DOMAIN
from gsm_simulator.server import Simulator

from .support import FAST, find_device, registered_ports, sent_bodies

ALICE = "+447700900123"


@pytest.fixture
def simulator_timings() -> dict[str, float]:
    return FAST


def outbox(sim: Simulator) -> list[tuple[str, str, int]]:
    """Every message the simulated gateway accepted: (number, text, port)."""
    return [
        (message.number, message.text, message.port)
        for task in sim.state.outbox.tasks.values()
        for message in task.messages
    ]


async def start(
    hass: HomeAssistant, entry: MockConfigEntry, subentry_id: str | None = None
) -> dict[str, Any]:
    """Open the recipient form: add, or edit `subentry_id`."""
    context: dict[str, Any] = {"source": SOURCE_USER}
    if subentry_id is not None:
        context = {"source": SOURCE_RECONFIGURE, "subentry_id": subentry_id}
    return dict(
        await hass.config_entries.subentries.async_init(
            (entry.entry_id, "recipient"), context=context
        )
    )


async def submit(
    hass: HomeAssistant, flow_id: str, user_input: dict[str, Any]
) -> dict[str, Any]:
    result = dict(
        await hass.config_entries.subentries.async_configure(flow_id, user_input)
    )
    await hass.async_block_till_done()
    return result


async def add(
    hass: HomeAssistant, entry: MockConfigEntry, **user_input: Any
) -> ConfigSubentry:
    """Add a recipient through the flow; return its subentry."""
    result = await start(hass, entry)
    result = await submit(hass, result["flow_id"], user_input)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    return next(
        subentry
        for subentry in hass.config_entries.async_get_known_entry(
            entry.entry_id
        ).subentries.values()
        if subentry.title == result["title"]
    )


def entity_id_of(hass: HomeAssistant, sim: Simulator, subentry_id: str) -> str:
    entity_id = er.async_get(hass).async_get_entity_id(
        "notify", DOMAIN, f"{sim.serial}_recipient_{subentry_id}"
    )
    assert entity_id is not None
    return entity_id


def subentries_of(device: dr.DeviceEntry) -> dict[str, set[str | None]]:
    """The subentries a device belongs to, by entry, on any supported version."""
    if hasattr(device, "config_subentry_id"):  # one entry per device since 2026
        return {device.config_entry_id: {device.config_subentry_id}}
    return device.config_entries_subentries


def port_options(result: dict[str, Any]) -> list[str]:
    schema = {str(key): value for key, value in result["data_schema"].schema.items()}
    return [option["value"] for option in schema["port"].config["options"]]


def suggested(result: dict[str, Any]) -> dict[str, Any]:
    return {
        str(key): (key.description or {}).get("suggested_value")
        for key in result["data_schema"].schema
    }


async def send(
    hass: HomeAssistant, entity_id: str, message: str, title: str | None = None
) -> None:
    data: dict[str, Any] = {"entity_id": entity_id, "message": message}
    if title is not None:
        data["title"] = title
    await hass.services.async_call("notify", "send_message", data, blocking=True)


async def poll_ports(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the next port poll run (the default interval is 30 s)."""
    freezer.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


# ------------------------------------------------------------------ adding


async def test_add_recipient_and_send(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    port = registered_ports(simulator)[0]
    result = await start(hass, init_integration)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    assert result["description_placeholders"] == {"gateway": "Office", "limit": "24"}
    assert port_options(result) == [str(n) for n in range(8)]

    result = await submit(
        hass,
        result["flow_id"],
        {"name": " Alice ", "number": "+44 7700-900.123", "port": str(port)},
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Alice"
    assert result["data"] == {"name": "Alice", "number": ALICE, "port": port}
    entry = hass.config_entries.async_get_known_entry(init_integration.entry_id)
    (subentry,) = entry.subentries.values()
    assert subentry.subentry_type == "recipient"
    assert subentry.unique_id == ALICE

    # The entity belongs to the subentry, on a device of its own.
    entity_id = entity_id_of(hass, simulator, subentry.subentry_id)
    assert entity_id == "notify.alice_sms"
    registry_entry = entity_registry.async_get(entity_id)
    assert registry_entry is not None
    assert registry_entry.config_subentry_id == subentry.subentry_id
    assert registry_entry.translation_key == "sms"
    device = device_registry.async_get(registry_entry.device_id or "")
    assert device is not None
    assert device.name == "Alice"
    assert device.entry_type is dr.DeviceEntryType.SERVICE
    assert subentries_of(device) == {entry.entry_id: {subentry.subentry_id}}
    gateway = find_device(device_registry, {(DOMAIN, simulator.serial)})
    assert gateway is not None
    assert device.via_device_id == gateway.id
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state == "unknown"
    assert state.attributes["friendly_name"] == "Alice SMS"
    # The legacy service of the gateway is still there.
    assert hass.services.has_service("notify", "office")

    await send(hass, entity_id, "Door open", title="Alarm")
    await send(hass, entity_id, "All clear")
    await send(hass, entity_id, "Blank title", title="  ")
    assert outbox(simulator) == [
        (ALICE, "Alarm\nDoor open", port),
        (ALICE, "All clear", port),
        (ALICE, "Blank title", port),
    ]
    assert [body["port"] for body in sent_bodies(simulator)] == [[port]] * 3
    state = hass.states.get(entity_id)
    assert state is not None
    assert state.state not in ("unknown", "unavailable")  # the time of the last send


async def test_send_without_port_lets_the_gateway_choose(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    subentry = await add(hass, init_integration, name="Bob", number="10086")
    assert dict(subentry.data) == {"name": "Bob", "number": "10086"}
    entity_id = entity_id_of(hass, simulator, subentry.subentry_id)
    await send(hass, entity_id, "Alerte 🔥", title="Cuisine")
    ((number, text, port),) = outbox(simulator)
    assert (number, text) == ("10086", "Cuisine\nAlerte 🔥")
    assert port in registered_ports(simulator)
    (body,) = sent_bodies(simulator)
    assert "port" not in body
    assert body["encoding"] == "unicode"


async def test_name_of_spaces_becomes_the_number(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    subentry = await add(hass, init_integration, name="   ", number="(10086)")
    assert subentry.title == "10086"
    assert subentry.data["name"] == "10086"


@pytest.mark.parametrize("number", ["07700 9001a3", "+", "1" * 25, "*100#", ""])
async def test_add_invalid_number(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    number: str,
) -> None:
    result = await start(hass, init_integration)
    result = await submit(hass, result["flow_id"], {"name": "Alice", "number": number})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"number": "invalid_number"}
    # What was typed is offered again.
    assert suggested(result)["name"] == "Alice"
    result = await submit(hass, result["flow_id"], {"name": "Alice", "number": ALICE})
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"] == {"name": "Alice", "number": ALICE}


async def test_add_port_gone_meanwhile(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    """The form listed port 6; the gateway lost it before the form came back."""
    result = await start(hass, init_integration)
    assert "6" in port_options(result)
    simulator.set_port_count(4)
    await poll_ports(hass, freezer)
    result = await submit(
        hass, result["flow_id"], {"name": "Alice", "number": ALICE, "port": "6"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"port": "invalid_port"}
    assert port_options(result) == ["0", "1", "2", "3"]
    result = await submit(
        hass, result["flow_id"], {"name": "Alice", "number": ALICE, "port": "3"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["port"] == 3


async def test_add_duplicate_number(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    await add(hass, init_integration, name="Alice", number=ALICE)
    result = await start(hass, init_integration)
    result = await submit(
        hass, result["flow_id"], {"name": "Alice again", "number": "+44 7700 900123"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    entry = hass.config_entries.async_get_known_entry(init_integration.entry_id)
    assert len(entry.subentries) == 1


async def test_not_while_unloaded(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    subentry = await add(hass, init_integration, name="Alice", number=ALICE)
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    for subentry_id in (None, subentry.subentry_id):
        result = await start(hass, init_integration, subentry_id)
        assert result["type"] is FlowResultType.ABORT
        assert result["reason"] == "entry_not_loaded"


async def test_not_offered_by_gateways_that_cannot_send(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    family = FAMILIES["dinstar"]
    with (
        patch.object(
            family, "capabilities", family.capabilities - {Capability.SEND_SMS}
        ),
        pytest.raises(UnknownHandler),
    ):
        await start(hass, init_integration)


# ------------------------------------------------------------ reconfiguring


async def test_reconfigure_name_number_and_port(
    hass: HomeAssistant,
    device_registry: dr.DeviceRegistry,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    first, second = registered_ports(simulator)[:2]
    subentry = await add(
        hass, init_integration, name="Alice", number=ALICE, port=str(first)
    )
    entity_id = entity_id_of(hass, simulator, subentry.subentry_id)

    result = await start(hass, init_integration, subentry.subentry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert suggested(result) == {"name": "Alice", "number": ALICE, "port": str(first)}

    result = await submit(
        hass,
        result["flow_id"],
        {"name": "Alice Smith", "number": "+44 7700 900999", "port": str(second)},
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    entry = hass.config_entries.async_get_known_entry(init_integration.entry_id)
    changed = entry.subentries[subentry.subentry_id]
    assert changed.title == "Alice Smith"
    assert changed.unique_id == "+447700900999"
    assert dict(changed.data) == {
        "name": "Alice Smith",
        "number": "+447700900999",
        "port": second,
    }
    # Same entity (same unique id), its device renamed, the new number used.
    assert entity_id_of(hass, simulator, subentry.subentry_id) == entity_id
    device = find_device(
        device_registry,
        {(DOMAIN, f"{simulator.serial}_recipient_{subentry.subentry_id}")},
    )
    assert device is not None
    assert device.name == "Alice Smith"
    await send(hass, entity_id, "New number")
    assert outbox(simulator) == [("+447700900999", "New number", second)]

    # Clearing the port lets the gateway choose again.
    result = await start(hass, init_integration, subentry.subentry_id)
    result = await submit(
        hass, result["flow_id"], {"name": "Alice Smith", "number": "+447700900999"}
    )
    assert result["reason"] == "reconfigure_successful"
    assert "port" not in entry.subentries[subentry.subentry_id].data
    await send(hass, entity_id, "Any port")
    assert "port" not in sent_bodies(simulator)[-1]


async def test_reconfigure_invalid_input(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    subentry = await add(hass, init_integration, name="Alice", number=ALICE, port="6")
    result = await start(hass, init_integration, subentry.subentry_id)
    result = await submit(
        hass, result["flow_id"], {"name": "Alice", "number": "abc", "port": "6"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"
    assert result["errors"] == {"number": "invalid_number"}
    assert suggested(result)["number"] == "abc"

    # The gateway loses port 6: the form still shows it, and refuses it.
    simulator.set_port_count(4)
    await poll_ports(hass, freezer)
    result = await start(hass, init_integration, subentry.subentry_id)
    assert port_options(result) == ["0", "1", "2", "3", "6"]
    result = await submit(
        hass, result["flow_id"], {"name": "Alice", "number": ALICE, "port": "6"}
    )
    assert result["errors"] == {"port": "invalid_port"}
    result = await submit(
        hass, result["flow_id"], {"name": "Alice", "number": ALICE, "port": "2"}
    )
    assert result["reason"] == "reconfigure_successful"
    entry = hass.config_entries.async_get_known_entry(init_integration.entry_id)
    assert entry.subentries[subentry.subentry_id].data["port"] == 2


async def test_reconfigure_to_another_recipients_number(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    await add(hass, init_integration, name="Alice", number=ALICE)
    bob = await add(hass, init_integration, name="Bob", number="10086")
    result = await start(hass, init_integration, bob.subentry_id)
    result = await submit(hass, result["flow_id"], {"name": "Bob", "number": ALICE})
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"
    # Keeping one's own number is no duplicate.
    result = await start(hass, init_integration, bob.subentry_id)
    result = await submit(
        hass, result["flow_id"], {"name": "Robert", "number": "10086"}
    )
    assert result["reason"] == "reconfigure_successful"
    entry = hass.config_entries.async_get_known_entry(init_integration.entry_id)
    assert entry.subentries[bob.subentry_id].title == "Robert"


# ------------------------------------------------------------------ removing


async def test_remove_recipient(
    hass: HomeAssistant,
    hass_ws_client: WebSocketGenerator,
    device_registry: dr.DeviceRegistry,
    entity_registry: er.EntityRegistry,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    alice = await add(hass, init_integration, name="Alice", number=ALICE)
    bob = await add(hass, init_integration, name="Bob", number="10086")
    alice_entity = entity_id_of(hass, simulator, alice.subentry_id)
    bob_entity = entity_id_of(hass, simulator, bob.subentry_id)
    identifier = (DOMAIN, f"{simulator.serial}_recipient_{alice.subentry_id}")
    device = find_device(device_registry, {identifier})
    assert device is not None

    # A recipient's device is not deleted by hand: the recipient is.
    assert await async_setup_component(hass, "config", {})
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "config/device_registry/remove_config_entry",
            "config_entry_id": init_integration.entry_id,
            "device_id": device.id,
        }
    )
    assert not (await client.receive_json())["success"]

    entry = hass.config_entries.async_get_known_entry(init_integration.entry_id)
    assert hass.config_entries.async_remove_subentry(entry, alice.subentry_id)
    await hass.async_block_till_done()
    assert entity_registry.async_get(alice_entity) is None
    assert hass.states.get(alice_entity) is None
    assert find_device(device_registry, {identifier}) is None
    # The other recipient is untouched and still sends.
    assert list(entry.subentries) == [bob.subentry_id]
    await send(hass, bob_entity, "Still here")
    assert outbox(simulator) == [("10086", "Still here", outbox(simulator)[0][2])]


# ------------------------------------------------------------------ errors


async def test_gateway_refuses(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    """The port lost its network since the last poll: the gateway says 550."""
    port = registered_ports(simulator)[0]
    subentry = await add(
        hass, init_integration, name="Alice", number=ALICE, port=str(port)
    )
    simulator.set_registration(port, "not_registered")
    with pytest.raises(HomeAssistantError) as err:
        await send(hass, entity_id_of(hass, simulator, subentry.subentry_id), "hi")
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "command_refused"
    assert str(err.value).startswith("The gateway refused the command (code 550)")
    assert outbox(simulator) == []


async def test_gateway_unreachable(
    hass: HomeAssistant,
    short_timeout: None,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    subentry = await add(hass, init_integration, name="Alice", number=ALICE)
    entity_id = entity_id_of(hass, simulator, subentry.subentry_id)
    simulator.faults.add("drop", count=None)
    with pytest.raises(HomeAssistantError) as err:
        await send(hass, entity_id, "hi")
    assert err.value.translation_key == "communication_error"
    assert str(err.value).startswith("Error communicating with the gateway")
    simulator.faults.clear()
    await send(hass, entity_id, "hi")
    assert [text for _, text, _ in outbox(simulator)] == ["hi"]


@pytest.mark.parametrize(
    ("message", "title", "key"),
    [
        ("   ", None, "empty_message"),
        ("", " ", "empty_message"),
        ("é" * 751, None, "message_too_long"),
    ],
)
async def test_send_validation(
    hass: HomeAssistant,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    message: str,
    title: str | None,
    key: str,
) -> None:
    subentry = await add(hass, init_integration, name="Alice", number=ALICE)
    with pytest.raises(ServiceValidationError) as err:
        await send(
            hass, entity_id_of(hass, simulator, subentry.subentry_id), message, title
        )
    assert err.value.translation_key == key
    assert str(err.value)
    assert sent_bodies(simulator) == []


async def test_port_not_ready_is_refused_before_sending(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    port = registered_ports(simulator)[0]
    subentry = await add(
        hass, init_integration, name="Alice", number=ALICE, port=str(port)
    )
    simulator.remove_sim(port)
    await poll_ports(hass, freezer)
    with pytest.raises(ServiceValidationError) as err:
        await send(hass, entity_id_of(hass, simulator, subentry.subentry_id), "hi")
    assert err.value.translation_key == "port_no_sim"
    assert sent_bodies(simulator) == []
