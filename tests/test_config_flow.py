"""Config flow: every step, every error, and recovery after each error."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SCAN_INTERVAL,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.gsm_gateway.const import CONF_API_FAMILY, DOMAIN
from gsm_simulator.server import Simulator

from .conftest import SimulatorFactory, entry_data


def user_input(sim: Simulator, **overrides: Any) -> dict[str, Any]:
    """What a user types into the first form to reach a simulator."""
    return {
        CONF_HOST: " 127.0.0.1 ",
        CONF_PORT: sim.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: False,
        CONF_USERNAME: "admin",
        CONF_PASSWORD: "admin",
    } | overrides


async def start(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": SOURCE_USER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == {}
    return result["flow_id"]


async def test_user_flow_detects_dinstar(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    flow_id = await start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "Dinstar gateway"
    assert result["result"].unique_id == simulator.serial
    data = dict(result["data"])
    webhook_id = data.pop(CONF_WEBHOOK_ID)
    assert len(webhook_id) >= 32
    assert webhook_id in result["description_placeholders"]["webhook_url"]
    assert data == {
        CONF_HOST: "127.0.0.1",
        CONF_PORT: simulator.port,
        CONF_SSL: False,
        CONF_VERIFY_SSL: False,
        CONF_USERNAME: "admin",
        CONF_PASSWORD: "admin",
        CONF_API_FAMILY: "dinstar",
    }


async def test_user_flow_basic_auth_gateway(
    hass: HomeAssistant, socket_enabled: None, gsm_simulator_factory: SimulatorFactory
) -> None:
    sim = await gsm_simulator_factory(dialect="dinstar", ports=4, auth="basic")
    flow_id = await start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, user_input(sim))
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == sim.serial


@pytest.mark.parametrize(
    ("overrides", "fault", "errors"),
    [
        ({CONF_PASSWORD: "wrong"}, None, {CONF_PASSWORD: "invalid_auth"}),
        ({CONF_PORT: 1}, None, {CONF_HOST: "cannot_connect"}),
        ({}, "drop", {CONF_HOST: "cannot_connect"}),
    ],
)
async def test_user_flow_errors_then_recovery(
    hass: HomeAssistant,
    simulator: Simulator,
    overrides: dict[str, Any],
    fault: str | None,
    errors: dict[str, str],
) -> None:
    flow_id = await start(hass)
    if fault:
        simulator.faults.add(fault, count=None)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator, **overrides)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "user"
    assert result["errors"] == errors
    # What the user typed is offered again, so nothing is lost.
    schema_keys = {str(key): key for key in result["data_schema"].schema}
    assert schema_keys[CONF_HOST].description["suggested_value"] == "127.0.0.1"
    simulator.faults.clear()
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_unexpected_error(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    flow_id = await start(hass)
    with patch(
        "custom_components.gsm_gateway.config_flow.detect_gateway",
        side_effect=RuntimeError("boom"),
    ):
        result = await hass.config_entries.flow.async_configure(
            flow_id, user_input(simulator)
        )
    assert result["errors"] == {"base": "unknown"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_user_flow_device_error_code(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """A gateway that answers its port query with error_code 500."""
    flow_id = await start(hass)
    simulator.faults.add("malformed_json", count=2, body=b'{"error_code":500,"sn":"x"}')
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    # The probe failed: the family is asked for by hand.
    assert result["step_id"] == "api_family"
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_FAMILY: "dinstar"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"base": "unknown"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_FAMILY: "dinstar"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_detection_fails_family_chosen_by_hand(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """The probe endpoint answers 404 (a rebrand), the full query works."""
    flow_id = await start(hass)
    simulator.faults.add("status", count=1, status=404)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "api_family"
    assert result["errors"] == {"base": "not_a_gateway"}
    assert result["description_placeholders"] == {"host": "127.0.0.1"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_FAMILY: "dinstar"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"][CONF_API_FAMILY] == "dinstar"


async def test_family_by_hand_still_not_a_gateway(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    flow_id = await start(hass)
    simulator.faults.add("malformed_json", count=2)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["step_id"] == "api_family"
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_FAMILY: "dinstar"}
    )
    assert result["step_id"] == "api_family"
    assert result["errors"] == {"base": "not_a_gateway"}


async def test_already_configured(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    config_entry.add_to_hass(hass)
    flow_id = await start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_reauth(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    config_entry.add_to_hass(hass)
    simulator.auth.password = "n3w"
    result = await config_entry.start_reauth_flow(hass)
    assert result["step_id"] == "reauth_confirm"
    assert result["description_placeholders"] == {"name": "Office"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "still-wrong"}
    )
    assert result["errors"] == {CONF_PASSWORD: "invalid_auth"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "n3w"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reauth_successful"
    assert config_entry.data[CONF_PASSWORD] == "n3w"
    await hass.async_block_till_done()


async def test_reauth_other_gateway(
    hass: HomeAssistant,
    simulator: Simulator,
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    other = await gsm_simulator_factory(dialect="dinstar", ports=4, seed=7)
    assert other.serial != simulator.serial
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=simulator.serial, data=entry_data(other)
    )
    entry.add_to_hass(hass)
    result = await entry.start_reauth_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_USERNAME: "admin", CONF_PASSWORD: "admin"}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"


async def test_reconfigure(hass: HomeAssistant, simulator: Simulator) -> None:
    """The gateway moved to another port; the entry follows it."""
    entry = MockConfigEntry(
        domain=DOMAIN, unique_id=simulator.serial, data=entry_data(simulator, port=1)
    )
    entry.add_to_hass(hass)
    result = await entry.start_reconfigure_flow(hass)
    assert result["step_id"] == "reconfigure"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_PORT: 1, CONF_SSL: False, CONF_VERIFY_SSL: False},
    )
    assert result["errors"] == {CONF_HOST: "cannot_connect"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: simulator.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: False,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.data[CONF_PORT] == simulator.port
    assert entry.data[CONF_PASSWORD] == "admin"
    await hass.async_block_till_done()


async def test_reconfigure_without_port_uses_default(
    hass: HomeAssistant, simulator: Simulator, config_entry: MockConfigEntry
) -> None:
    """An empty port means the scheme's default, which nothing listens on."""
    config_entry.add_to_hass(hass)
    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_HOST: "127.0.0.1", CONF_SSL: False, CONF_VERIFY_SSL: False},
    )
    assert result["errors"] == {CONF_HOST: "cannot_connect"}
    assert config_entry.data[CONF_PORT] == simulator.port


async def test_reconfigure_other_gateway(
    hass: HomeAssistant,
    simulator: Simulator,
    config_entry: MockConfigEntry,
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    other = await gsm_simulator_factory(dialect="dinstar", ports=4, seed=7)
    config_entry.add_to_hass(hass)
    result = await config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {
            CONF_HOST: "127.0.0.1",
            CONF_PORT: other.port,
            CONF_SSL: False,
            CONF_VERIFY_SSL: False,
        },
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "wrong_device"
    assert config_entry.data[CONF_PORT] == simulator.port


OPTIONS = {
    CONF_SCAN_INTERVAL: 45,
    "inbox_interval": 120,
    "rate_limit": 100,
    "allow_external_webhook": False,
    "balance_code": " *100# ",
    "balance_pattern": r"balance is (\d+\.\d+)",
    "balance_interval": 12,
    "currency": "EUR",
}


async def test_options_flow(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "init"
    webhook_id = init_integration.data[CONF_WEBHOOK_ID]
    assert webhook_id in result["description_placeholders"]["webhook_url"]
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], OPTIONS
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == OPTIONS | {"balance_code": "*100#"}
    await hass.async_block_till_done()
    coordinator = init_integration.runtime_data.ports
    assert coordinator.update_interval is not None
    assert coordinator.update_interval.total_seconds() == 45
    # A balance code adds a balance sensor and a check button per port.
    assert hass.states.get("sensor.office_port_0_balance") is not None
    assert hass.states.get("button.office_port_0_check_balance") is not None


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"balance_pattern": "(unclosed"}, {"balance_pattern": "invalid_pattern"}),
        ({"balance_code": "balance please"}, {"balance_code": "invalid_ussd_code"}),
    ],
)
async def test_options_flow_rejects_bad_input(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    changes: dict[str, str],
    errors: dict[str, str],
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], OPTIONS | changes
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    # The input is offered again, nothing is lost.
    keys = {str(key): key for key in result["data_schema"].schema}
    key, value = next(iter(changes.items()))
    assert keys[key].description["suggested_value"] == value
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], OPTIONS
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_family_by_hand_connection_error(
    hass: HomeAssistant, simulator: Simulator
) -> None:
    """The gateway goes away between detection and the choice of family."""
    flow_id = await start(hass)
    simulator.faults.add("status", count=1, status=404)
    result = await hass.config_entries.flow.async_configure(
        flow_id, user_input(simulator)
    )
    assert result["step_id"] == "api_family"
    simulator.faults.add("drop", count=None)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_FAMILY: "dinstar"}
    )
    assert result["step_id"] == "api_family"
    assert result["errors"] == {"base": "cannot_connect"}
    simulator.faults.clear()
    result = await hass.config_entries.flow.async_configure(
        flow_id, {CONF_API_FAMILY: "dinstar"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
