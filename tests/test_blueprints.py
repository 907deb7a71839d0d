"""The automation blueprints and the example dashboard, against the simulator.

Each blueprint is loaded by Home Assistant's blueprint loader, instantiated as
an automation with inputs as the UI would store them, and driven through the
real integration: SMS arrive from the simulated gateway, replies go out
through it, balances are read by USSD and ports leave the network.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
import json
from pathlib import Path
import re
import shutil
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation.helpers import async_get_blueprints
from homeassistant.components.blueprint.errors import BlueprintException
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.components.notify.const import NOTIFY_SERVICE_SCHEMA
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import yaml as yaml_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    async_mock_service,
)
import yaml

from custom_components.gsm_gateway.const import DOMAIN, EVENT_SMS_RECEIVED
from custom_components.gsm_gateway.event import ATTRIBUTES as SMS_ATTRIBUTES
from gsm_simulator.server import Simulator

from .conftest import entry_data
from .support import FAST, registered_port

ROOT = Path(__file__).parent.parent
BLUEPRINTS = ROOT / "blueprints" / "automation" / "gsm_gateway"
DASHBOARD = ROOT / "docs" / "dashboard.yaml"
NAMES = (
    "forward_sms.yaml",
    "keyword_auto_reply.yaml",
    "low_balance_alert.yaml",
    "registration_lost_alert.yaml",
)
SENDER = "+447700900123"


@pytest.fixture
def simulator_timings() -> dict[str, float]:
    """Sends and USSD answers take milliseconds."""
    return FAST


@pytest.fixture
def blueprint_folder(hass: HomeAssistant, tmp_path: Path) -> Iterator[Path]:
    """A configuration folder holding the project's automation blueprints."""
    original = hass.config.config_dir
    hass.config.config_dir = str(tmp_path)
    folder = tmp_path / "blueprints" / "automation" / "gsm_gateway"
    shutil.copytree(BLUEPRINTS, folder)
    yield folder
    hass.config.config_dir = original


async def settle(hass: HomeAssistant, sim: Simulator) -> None:
    """Wait until the simulator's pushes and sends are done and handled."""
    for _ in range(3):  # a push may lead to a send, which leads to pushes
        async with asyncio.timeout(10):
            await sim.wait_idle()
        await hass.async_block_till_done(wait_background_tasks=True)


def sent(sim: Simulator) -> list[tuple[int, str, str]]:
    """Every SMS the gateway was asked to send: (port, number, text)."""
    return [
        (message.port, message.number, message.text)
        for task in sim.state.outbox.tasks.values()
        for message in task.messages
    ]


async def use_blueprint(
    hass: HomeAssistant, name: str, inputs: dict[str, Any], alias: str = "under_test"
) -> None:
    """Set up one automation from a blueprint; it must be valid and on."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "id": alias,
                "alias": alias,
                "use_blueprint": {"path": f"gsm_gateway/{name}", "input": inputs},
            }
        },
    )
    await hass.async_block_till_done()
    state = hass.states.get(f"automation.{alias}")
    assert state is not None
    assert state.state == "on", state.attributes


async def let_time_pass(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: float
) -> None:
    """Let time pass in steps, each poll of the gateway finished before the next."""
    for _ in range(int(seconds // 10)):
        freezer.tick(timedelta(seconds=10))
        async_fire_time_changed(hass)
        await hass.async_block_till_done(wait_background_tasks=True)


def notify_service(hass: HomeAssistant) -> list[ServiceCall]:
    """A legacy notify action, notify.test, that checks its data as they all do."""
    return async_mock_service(hass, "notify", "test", schema=NOTIFY_SERVICE_SCHEMA)


def messages(calls: list[ServiceCall]) -> list[tuple[str, str]]:
    """Title and message of each notification."""
    return [(call.data.get("title", ""), call.data["message"]) for call in calls]


# -- the files -----------------------------------------------------------------


async def test_blueprints_load_and_describe_themselves(
    hass: HomeAssistant, blueprint_folder: Path
) -> None:
    """Each file is a valid automation blueprint, importable from the repository."""
    assert sorted(path.name for path in BLUEPRINTS.glob("*.yaml")) == list(NAMES)
    floor = json.loads((ROOT / "hacs.json").read_text())["homeassistant"]
    assert await async_setup_component(hass, "automation", {})
    loaded = await async_get_blueprints(hass).async_get_blueprints()
    assert set(loaded) == {f"gsm_gateway/{name}" for name in NAMES}
    for path, blueprint in loaded.items():
        assert isinstance(blueprint, Blueprint), f"{path}: {blueprint}"
        assert blueprint.validate() is None
        metadata = blueprint.metadata
        assert metadata["domain"] == "automation"
        assert metadata["author"]
        assert metadata["description"]
        assert metadata["homeassistant"]["min_version"] == floor
        # Home Assistant records the URL a blueprint is imported from as its
        # `source_url`; the files carry none, so a copy anywhere imports.
        assert "source_url" not in metadata
        # Every input is used, and every input used is declared.
        assert yaml_util.extract_inputs(blueprint.data) == set(blueprint.inputs)
        for key, spec in blueprint.inputs.items():
            assert spec["name"], key
            assert spec["selector"], key


async def test_malformed_blueprints_are_refused(
    hass: HomeAssistant, blueprint_folder: Path
) -> None:
    """The loader check above would catch a broken file."""
    source = (blueprint_folder / "keyword_auto_reply.yaml").read_text()
    # An input used but no longer declared.
    undeclared = source.replace("    keyword:\n      name: Keyword\n", "    x:\n")
    assert undeclared != source
    (blueprint_folder / "undeclared.yaml").write_text(undeclared)
    # A selector Home Assistant does not know.
    (blueprint_folder / "bad_selector.yaml").write_text(
        source.replace("config_entry:\n", "no_such_selector:\n", 1)
    )
    # Not YAML at all.
    (blueprint_folder / "broken.yaml").write_text(source.replace("  input:", "\t:"))
    assert await async_setup_component(hass, "automation", {})
    loaded = await async_get_blueprints(hass).async_get_blueprints()
    for name in ("undeclared.yaml", "bad_selector.yaml", "broken.yaml"):
        assert isinstance(loaded[f"gsm_gateway/{name}"], BlueprintException), name
    assert isinstance(loaded["gsm_gateway/keyword_auto_reply.yaml"], Blueprint)


# -- forward incoming SMS --------------------------------------------------------


async def test_forward_sms(
    hass: HomeAssistant, pushing: Simulator, blueprint_folder: Path
) -> None:
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    legacy = notify_service(hass)
    entities = async_mock_service(hass, "notify", "send_message")
    await use_blueprint(
        hass,
        "forward_sms.yaml",
        {
            "gateway": entry.entry_id,
            # A number exactly as the gateway reports it, and a name.
            "senders": [SENDER, "Bank"],
            "notify_entities": ["notify.phone"],
            "notify_action": "test",
        },
    )
    port = registered_port(pushing)
    pushing.receive_sms(port, SENDER, "Gate opened")
    pushing.receive_sms(port, "+447700900999", "Not from a chosen sender")
    pushing.receive_sms(port, "BANK", "Your code is {{ 1 + 1 }}")
    await settle(hass, pushing)
    expected = [
        (f"SMS on port {port}", f"SMS from {SENDER}: Gate opened"),
        # The text is passed on as it came, never evaluated as a template.
        (f"SMS on port {port}", "SMS from BANK: Your code is {{ 1 + 1 }}"),
    ]
    assert messages(legacy) == expected
    assert messages(entities) == expected
    assert all(call.data["entity_id"] == ["notify.phone"] for call in entities)
    # Another gateway's SMS are not this automation's business.
    hass.bus.async_fire(
        EVENT_SMS_RECEIVED,
        {"entry_id": "another", "port": 0, "sender": SENDER, "text": "elsewhere"},
    )
    await hass.async_block_till_done()
    assert len(legacy) == 2


async def test_forward_sms_defaults(
    hass: HomeAssistant, pushing: Simulator, blueprint_folder: Path
) -> None:
    """Without a sender filter every SMS goes out, with a custom message."""
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    calls = notify_service(hass)
    await use_blueprint(
        hass,
        "forward_sms.yaml",
        {
            "gateway": entry.entry_id,
            "notify_action": "notify.test",
            "title": "",
            "message": "{{ trigger.event.data.text }}",
        },
    )
    port = registered_port(pushing)
    pushing.receive_sms(port, SENDER, "1234")
    await settle(hass, pushing)
    pushing.receive_sms(port, "10086", "[1, 2]")
    await settle(hass, pushing)
    assert [call.data["message"] for call in calls] == ["1234", "[1, 2]"]
    assert all(not call.data.get("title") for call in calls)


# -- keyword auto-reply -------------------------------------------------------


async def test_keyword_auto_reply(
    hass: HomeAssistant, pushing: Simulator, blueprint_folder: Path
) -> None:
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    await use_blueprint(
        hass,
        "keyword_auto_reply.yaml",
        {
            "gateway": entry.entry_id,
            "keyword": "status",
            "reply": "Port {{ trigger.event.data.port }} is fine",
        },
    )
    port = registered_port(pushing)
    other = next(
        p.index
        for p in pushing.state.ports
        if p.registration.value == "registered" and p.index != port
    )
    pushing.receive_sms(port, SENDER, "Status?")
    await settle(hass, pushing)
    pushing.receive_sms(other, "10086", "what is the STATUS")
    await settle(hass, pushing)
    pushing.receive_sms(port, SENDER, "hello")  # no keyword
    pushing.receive_sms(port, "BANK", "status of your account")  # not a number
    await settle(hass, pushing)
    # Each reply goes to its sender through the port that received the SMS.
    assert sent(pushing) == [
        (port, SENDER, f"Port {port} is fine"),
        (other, "10086", f"Port {other} is fine"),
    ]


@pytest.mark.parametrize(
    ("match", "text", "answered"),
    [
        ("contains", "nonstop", True),
        ("contains", "no keyword here", False),
        ("word", "STOP, please", True),
        ("word", "Stop!", True),
        ("word", "nonstop", False),
        ("exact", "  Stop ", True),
        ("exact", "stop now", False),
    ],
)
async def test_keyword_match_modes(
    hass: HomeAssistant,
    pushing: Simulator,
    blueprint_folder: Path,
    match: str,
    text: str,
    answered: bool,
) -> None:
    entry = hass.config_entries.async_entries(DOMAIN)[0]
    await use_blueprint(
        hass,
        "keyword_auto_reply.yaml",
        {
            "gateway": entry.entry_id,
            "keyword": "STOP",
            "match": match,
            "senders": ["+44 (7700) 900.123"],
        },
    )
    port = registered_port(pushing)
    pushing.receive_sms(port, SENDER, text)
    pushing.receive_sms(port, "+447700900999", text)  # not a chosen sender
    await settle(hass, pushing)
    replies = [(port, SENDER, "Your message was received. Thank you.")]
    assert sent(pushing) == (replies if answered else [])


# -- low balance ----------------------------------------------------------------


async def test_low_balance_alert(
    hass: HomeAssistant, simulator: Simulator, blueprint_folder: Path
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Office",
        unique_id=simulator.serial,
        data=entry_data(simulator),
        options={"balance_code": "*100#", "currency": "EUR"},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    port = registered_port(simulator)
    card = simulator.state.ports[port].sim
    assert card is not None
    sensor = f"sensor.office_port_{port}_balance"
    calls = notify_service(hass)
    await use_blueprint(
        hass,
        "low_balance_alert.yaml",
        {"balance_sensors": [sensor], "threshold": 5, "notify_action": "test"},
    )

    async def check(balance: float) -> None:
        card.balance = balance
        with patch("custom_components.gsm_gateway.ussd.USSD_POLL_INTERVAL", 0.05):
            await hass.services.async_call(
                "button",
                "press",
                {"entity_id": f"button.office_port_{port}_check_balance"},
                blocking=True,
            )
        await hass.async_block_till_done()
        assert float(hass.states.get(sensor).state) == balance

    await check(12.5)
    assert calls == []
    await check(2.5)
    assert messages(calls) == [
        ("SIM balance low", f"Office Port {port} Balance is 2.5 EUR, below 5.")
    ]
    await check(2.0)  # still low: no second alert
    await check(20.0)
    assert len(calls) == 1
    await check(4.0)  # low again
    assert len(calls) == 2


# -- registration lost ----------------------------------------------------------


async def test_registration_lost_alert(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    simulator: Simulator,
    init_integration: MockConfigEntry,
    blueprint_folder: Path,
) -> None:
    port = registered_port(simulator)
    sensor = f"sensor.office_port_{port}_registration"
    calls = notify_service(hass)
    entity_calls = async_mock_service(hass, "notify", "send_message")
    await use_blueprint(
        hass,
        "registration_lost_alert.yaml",
        {
            "registration_sensors": [sensor],
            "minutes": 5,
            "notify_action": "notify.test",
            "notify_entities": ["notify.phone"],
        },
    )

    async def advance(seconds: float) -> None:
        await let_time_pass(hass, freezer, seconds)

    async def becomes(state: str) -> None:
        simulator.set_registration(port, state)
        await advance(30)
        assert hass.states.get(sensor).state == state

    # Off the network for 4 minutes, then back: nothing to report.
    await becomes("searching")
    await advance(4 * 60)
    await becomes("registered")
    await advance(10 * 60)
    assert calls == []
    # Waiting for its PIN for 5 minutes: one alert, and no more while it stays so.
    await becomes("pin_required")
    await advance(4 * 60 + 30)
    assert calls == []
    await advance(60)
    expected = [
        (
            "GSM port off the network",
            f"Office Port {port} Registration: PIN required for 5 minutes.",
        )
    ]
    assert messages(calls) == expected
    assert messages(entity_calls) == expected
    await advance(20 * 60)
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("state", "alerted"),
    [
        ("roaming", False),  # on a network, a visited one
        ("unavailable", False),  # the gateway not answering
        ("unknown", False),
        ("no_sim", True),
        ("power_off", True),
    ],
)
async def test_registration_states_that_count(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    init_integration: MockConfigEntry,
    blueprint_folder: Path,
    state: str,
    alerted: bool,
) -> None:
    """Only a port off its network alerts (states the simulator cannot make)."""
    sensor = "sensor.office_port_0_registration"
    calls = notify_service(hass)
    await use_blueprint(
        hass,
        "registration_lost_alert.yaml",
        {"registration_sensors": [sensor], "minutes": 1, "notify_action": "test"},
    )
    hass.states.async_set(sensor, state)
    await let_time_pass(hass, freezer, 2 * 60)
    assert hass.states.get(sensor).state == state
    assert len(calls) == int(alerted)


# -- the example dashboard -----------------------------------------------------

ENTITY_ID = re.compile(r"\b(?:sensor|event|button|binary_sensor|switch|select)\.\w+")


def referenced_entities(node: Any) -> set[str]:
    """Entity ids a dashboard configuration names, wherever they are."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("entity", "entity_id") and isinstance(value, str):
                found.add(value)
            elif key == "entities" and isinstance(value, list):
                found.update(item for item in value if isinstance(item, str))
            found |= referenced_entities(value)
    elif isinstance(node, list):
        for item in node:
            found |= referenced_entities(item)
    return found


async def test_dashboard_matches_the_development_gateway(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """Every entity of docs/dashboard.yaml exists for scripts/develop's gateway.

    That gateway is an 8-port Dinstar whose entry the config flow names
    "Dinstar gateway"; the dashboard's balance rows need a balance code.
    """
    text = DASHBOARD.read_text()
    dashboard = yaml.safe_load(text)
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Dinstar gateway",
        unique_id=simulator.serial,
        data=entry_data(simulator),
        options={"balance_code": "*100#"},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()

    (view,) = dashboard["views"]
    titles = [card.get("title") for card in view["cards"]]
    assert titles == ["Gateway", *(f"Port {n}" for n in range(8))]
    # Ids in rows, in any other place (a template, a comment), and the ones
    # the instructions mention.
    instructions = DASHBOARD.with_suffix(".md").read_text()
    named = referenced_entities(dashboard) | set(ENTITY_ID.findall(text))
    mentioned = set(ENTITY_ID.findall(instructions))
    assert mentioned
    registry = er.async_get(hass)
    for entity_id in sorted(named | mentioned):
        entity = registry.async_get(entity_id)
        assert entity is not None, f"{entity_id} does not exist"
        assert entity.platform == DOMAIN
        assert entity.disabled_by is None, entity_id
        assert hass.states.get(entity_id) is not None, entity_id
    for n in range(8):
        port = f"dinstar_gateway_port_{n}"
        assert {
            f"sensor.{port}_signal_strength",
            f"sensor.{port}_registration",
            f"sensor.{port}_balance",
            f"event.{port}_sms",
        } <= named
    # The last SMS rows show what the SMS entity keeps.
    rows = [
        row
        for card in view["cards"]
        for row in card["entities"]
        if isinstance(row, dict) and row.get("type") == "attribute"
    ]
    assert {row["attribute"] for row in rows} == {"sender", "text"}
    assert {row["attribute"] for row in rows} <= set(SMS_ATTRIBUTES)
    assert all(row["entity"].startswith("event.") for row in rows)
