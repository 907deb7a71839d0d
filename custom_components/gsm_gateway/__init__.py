"""The GSM Gateway integration: multi-port SIM gateways in Home Assistant."""

from __future__ import annotations

from datetime import timedelta

from homeassistant.const import CONF_SCAN_INTERVAL, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.typing import ConfigType

from .const import (
    CONF_API_FAMILY,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    MIN_STATUS_INTERVAL,
    STATUS_INTERVAL_FACTOR,
)
from .coordinator import (
    GsmGatewayConfigEntry,
    GsmGatewayRuntimeData,
    GsmPortsCoordinator,
    GsmStatusCoordinator,
)
from .entity import port_device_identifier
from .helpers import build_gateway
from .services import async_setup_services

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.SELECT,
    Platform.SENSOR,
    Platform.SWITCH,
]
CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, which serve every gateway."""
    async_setup_services(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: GsmGatewayConfigEntry) -> bool:
    """Fetch the ports once (failing means not ready), then set up platforms."""
    gateway = build_gateway(hass, entry.data, entry.data[CONF_API_FAMILY])
    interval = timedelta(
        seconds=entry.options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL)
    )
    ports = GsmPortsCoordinator(
        hass, entry, gateway, name="ports", update_interval=interval
    )
    await ports.async_config_entry_first_refresh()
    status = GsmStatusCoordinator(
        hass,
        entry,
        gateway,
        name="status",
        update_interval=max(interval * STATUS_INTERVAL_FACTOR, MIN_STATUS_INTERVAL),
    )
    # The gateway's load figures are secondary: their failure must not
    # hold up the ports, so this refresh may fail and retry on schedule.
    await status.async_refresh()

    device_registry = dr.async_get(hass)
    gateway_device = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, ports.serial)},
        manufacturer=gateway.manufacturer,
        model=f"{len(ports.data)}-port GSM gateway",
        name=entry.title,
        serial_number=ports.serial,
        configuration_url=str(gateway.config.base_url),
    )
    entry.runtime_data = GsmGatewayRuntimeData(
        gateway=gateway,
        gateway_device_id=gateway_device.id,
        ports=ports,
        status=status,
    )

    @callback
    def remove_vanished_ports() -> None:
        current = {
            port_device_identifier(ports.serial, number) for number in ports.data
        }
        for device in dr.async_entries_for_config_entry(
            device_registry, entry.entry_id
        ):
            port_ids = {
                i
                for i in device.identifiers
                if i[1].startswith(f"{ports.serial}_port_")
            }
            if port_ids and not port_ids & current:
                device_registry.async_update_device(
                    device.id, remove_config_entry_id=entry.entry_id
                )

    remove_vanished_ports()
    entry.async_on_unload(ports.async_add_listener(remove_vanished_ports))
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_options_updated(
    hass: HomeAssistant, entry: GsmGatewayConfigEntry
) -> None:
    """Apply a new polling interval."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: GsmGatewayConfigEntry) -> bool:
    """Unload the platforms; the shared HTTP session stays Home Assistant's."""
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: GsmGatewayConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let users delete a port device only once the gateway no longer has it."""
    serial = entry.runtime_data.ports.serial
    data = entry.runtime_data.ports.data
    if (DOMAIN, serial) in device.identifiers:
        return False
    return not any(
        port_device_identifier(serial, number) in device.identifiers for number in data
    )
