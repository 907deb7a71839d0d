"""Which gateway and port an action is for: its fields, or a port's device."""

from __future__ import annotations

from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
)
from homeassistant.exceptions import ServiceValidationError

from .const import DOMAIN
from .helpers import (
    PortDevice,
    port_of_device,
)
from .runtime import GsmGatewayConfigEntry
from .service_schemas import (
    ATTR_DEVICE_ID,
    ATTR_GATEWAY,
    ATTR_PORT,
    ONE_PORT,
)


def loaded_entry(hass: HomeAssistant, entry_id: str | None) -> GsmGatewayConfigEntry:
    """The gateway an action is for; optional when only one is set up."""
    if entry_id is None:
        loaded = [
            entry
            for entry in hass.config_entries.async_entries(DOMAIN)
            if entry.state is ConfigEntryState.LOADED
        ]
        if len(loaded) != 1:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="gateway_required"
            )
        return loaded[0]
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="gateway_not_found",
            translation_placeholders={"gateway": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="gateway_not_loaded",
            translation_placeholders={"gateway": entry.title},
        )
    return entry


def _devices_gateway(devices: list[PortDevice]) -> str:
    """The one gateway entry of the chosen port devices."""
    first = devices[0]
    for device in devices[1:]:
        if device.entry_id != first.entry_id:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="devices_on_several_gateways",
                translation_placeholders={"first": first.name, "other": device.name},
            )
    return first.entry_id


def _mismatch(
    key: str, devices: list[PortDevice], given: str
) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders={
            "device": ", ".join(device.name for device in devices),
            "port": ", ".join(str(device.port) for device in devices),
            "given": given,
        },
    )


def settle_target(
    hass: HomeAssistant, name: str, data: dict[str, Any]
) -> dict[str, Any]:
    """Turn chosen port devices into the gateway and port(s) they stand for.

    `gateway` and `port` may be given as well, but must then name the same
    gateway and the same port(s); an action on one port needs one of the two.
    """
    chosen = data.pop(ATTR_DEVICE_ID, None)
    if not chosen:
        if name in ONE_PORT and ATTR_PORT not in data:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="gateway_or_device_required",
            )
        return data
    ids: list[str] = [chosen] if isinstance(chosen, str) else chosen
    devices = [port_of_device(hass, device_id) for device_id in dict.fromkeys(ids)]
    entry_id = _devices_gateway(devices)
    given_gateway = data.get(ATTR_GATEWAY)
    if given_gateway is not None and given_gateway != entry_id:
        other = hass.config_entries.async_get_entry(given_gateway)
        raise _mismatch(
            "device_gateway_mismatch",
            devices,
            other.title if other is not None else given_gateway,
        )
    data[ATTR_GATEWAY] = entry_id
    ports = [device.port for device in devices]
    given_port = data.get(ATTR_PORT)
    if name in ONE_PORT:
        if given_port is not None and given_port != ports[0]:
            raise _mismatch("device_port_mismatch", devices, str(given_port))
        data[ATTR_PORT] = ports[0]
    else:
        if given_port and set(given_port) != set(ports):
            raise _mismatch(
                "device_port_mismatch",
                devices,
                ", ".join(str(port) for port in given_port),
            )
        data[ATTR_PORT] = ports
    return data
