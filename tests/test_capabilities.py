"""Entities, polls, flow steps and actions follow what a family declares."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar
from unittest.mock import patch

from homeassistant import config_entries
from homeassistant.components import webhook
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.gsm_gateway.api import FAMILIES, Capability
from custom_components.gsm_gateway.api.dinstar import DinstarGateway
from custom_components.gsm_gateway.const import DOMAIN
from gsm_simulator.server import Simulator

from .conftest import entry_data

LACKS = frozenset(
    {
        Capability.PUSH,
        Capability.POWER,
        Capability.USSD,
        Capability.DEVICE_STATUS,
        Capability.SEND_QUEUE,
    }
)


class LiteGateway(DinstarGateway):
    """A test-only family: Dinstar's wire, without push, power, USSD or load figures."""

    family: ClassVar[str] = "test_lite"
    label: ClassVar[str] = "Test family without push, power and USSD"
    capabilities: ClassVar[frozenset[Capability]] = DinstarGateway.capabilities - LACKS


@pytest.fixture
def lite_family() -> Iterator[None]:
    """Only the test family is known, so detection finds it."""
    with patch.dict(FAMILIES, {"test_lite": LiteGateway}, clear=True):  # type: ignore[arg-type]
        yield


@pytest.fixture
async def lite_entry(
    hass: HomeAssistant, simulator: Simulator, lite_family: None
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Lite",
        unique_id=simulator.serial,
        data=entry_data(simulator, api_family="test_lite", webhook_id="lite-hook-id"),
        options={"balance_code": "*100#", "balance_interval": 1},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _entity_keys(hass: HomeAssistant, entry: MockConfigEntry) -> set[str]:
    registry = er.async_get(hass)
    return {
        entity.translation_key or ""
        for entity in er.async_entries_for_config_entry(registry, entry.entry_id)
    }


async def test_entities_exist_only_for_what_the_family_can_do(
    hass: HomeAssistant, lite_entry: MockConfigEntry
) -> None:
    keys = _entity_keys(hass, lite_entry)
    # Still there: what the family has.
    assert {"signal", "registration", "reset_module", "sms"} <= keys
    # Gone: power, USSD (balance, even with a code set), load and queue.
    assert not keys & {
        "module_power",
        "balance",
        "check_balance",
        "cpu_usage",
        "memory_usage",
        "flash_usage",
        "sms_queue",
    }
    assert lite_entry.runtime_data.status is None


async def test_no_webhook_without_push(
    hass: HomeAssistant, lite_entry: MockConfigEntry
) -> None:
    handlers = hass.data.get(webhook.DOMAIN, {})
    assert lite_entry.data[CONF_WEBHOOK_ID] not in handlers


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("power_port", {"port": 1, "power": "off"}),
        ("send_ussd", {"port": 1, "code": "*100#"}),
    ],
)
async def test_missing_actions_refused_before_any_request(
    hass: HomeAssistant,
    simulator: Simulator,
    lite_entry: MockConfigEntry,
    action: str,
    data: dict[str, Any],
) -> None:
    simulator.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(DOMAIN, action, data, blocking=True)
    assert err.value.translation_key == "not_supported"
    assert str(err.value).startswith(f"This gateway does not support {action}")
    assert simulator.requests == []


async def test_what_the_family_has_still_works(
    hass: HomeAssistant, simulator: Simulator, lite_entry: MockConfigEntry
) -> None:
    port = next(p.index for p in simulator.state.ports if p.registered)
    result = await hass.services.async_call(
        DOMAIN,
        "send_sms",
        {"to": ["+447700900123"], "message": "hi", "port": port},
        blocking=True,
        return_response=True,
    )
    assert result["ids"]
    await hass.services.async_call(DOMAIN, "reset_port", {"port": port}, blocking=True)
    assert "/api/set_port_info" in [r.path for r in simulator.requests]


async def test_diagnostics_name_the_capabilities(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    lite_entry: MockConfigEntry,
) -> None:
    result = await get_diagnostics_for_config_entry(hass, hass_client, lite_entry)
    assert result["status"] is None
    assert "push" not in result["capabilities"]
    assert "send_sms" in result["capabilities"]


async def test_flow_has_no_push_step_without_push(
    hass: HomeAssistant, simulator: Simulator, lite_family: None
) -> None:
    result = await hass.config_entries.flow.async_init(
        DOMAIN, context={"source": config_entries.SOURCE_USER}
    )
    data = entry_data(simulator)
    data.pop("api_family")
    result = await hass.config_entries.flow.async_configure(result["flow_id"], data)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["data"]["api_family"] == "test_lite"
    assert result["description"] == "polled"
    assert not result.get("description_placeholders")
    await hass.async_block_till_done()

    entry = result["result"]
    result = await hass.config_entries.options.async_init(entry.entry_id)
    assert result["step_id"] == "polled"
    assert "allow_external_webhook" not in {
        str(key) for key in result["data_schema"].schema
    }
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "scan_interval": 30,
            "inbox_interval": 60,
            "rate_limit": 0,
            "balance_pattern": r"(\d+)",
            "balance_interval": 0,
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert "allow_external_webhook" not in entry.options
