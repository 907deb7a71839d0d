"""Diagnostics: what the gateway reports, with identities and secrets removed."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import HomeAssistant

from .runtime import GsmGatewayConfigEntry

TO_REDACT = {
    CONF_HOST,
    CONF_PASSWORD,
    CONF_USERNAME,
    CONF_WEBHOOK_ID,  # whoever has it can push events
    "unique_id",
    "serial",
    "identity",
    "identities",  # module IMEIs
    "imei",
    "imsi",
    "iccid",
    "phone_number",
    "smsc",
}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: GsmGatewayConfigEntry
) -> dict[str, Any]:
    """Entry settings and the latest data of both coordinators."""
    runtime = entry.runtime_data
    status = runtime.status.data if runtime.status is not None else None
    return async_redact_data(
        {
            "entry": {
                "title": entry.title,
                "unique_id": entry.unique_id,
                "data": dict(entry.data),
                "options": dict(entry.options),
            },
            "gateway": {
                "family": runtime.gateway.family,
                "manufacturer": runtime.gateway.manufacturer,
                "identity": runtime.ports.identity,
                "identity_kind": runtime.gateway.identity_kind,
                "requests_sent": runtime.gateway.request_count,
            },
            "ports": [asdict(port) for port in runtime.ports.data.values()],
            "ports_last_update_success": runtime.ports.last_update_success,
            "status": asdict(status) if status is not None else None,
            "status_last_update_success": runtime.status.last_update_success
            if runtime.status is not None
            else None,
            "capabilities": sorted(runtime.gateway.capabilities),
            "messaging": runtime.messaging.diagnostics(),
        },
        TO_REDACT,
    )
