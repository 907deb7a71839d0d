"""Diagnostics carry the data, never the identities or secrets."""

from __future__ import annotations

import json

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from gsm_simulator.server import Simulator


async def test_diagnostics_redacted(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    simulator: Simulator,
    init_integration: MockConfigEntry,
) -> None:
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert result["gateway"]["family"] == "dinstar"
    assert len(result["ports"]) == 8
    assert result["ports"][0]["imsi"] == "**REDACTED**"
    assert result["entry"]["data"]["password"] == "**REDACTED**"
    assert (
        result["status"]["device"]["cpu_usage"] == simulator.state.performance.cpu_used
    )
    text = json.dumps(result)
    secrets = {simulator.serial, "admin"}
    for port in simulator.state.ports:
        secrets.add(port.imei)
        for card in port.slots:
            if card:
                secrets.update({card.imsi, card.iccid, card.number})
    leaked = sorted(secret for secret in secrets if secret and secret in text)
    assert leaked == []
