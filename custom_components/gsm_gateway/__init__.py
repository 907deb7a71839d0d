"""The GSM Gateway integration: multi-port SIM gateways in Home Assistant."""

from __future__ import annotations

from datetime import datetime, timedelta

from homeassistant.components import webhook
from homeassistant.components.notify.legacy import NOTIFY_SERVICES
from homeassistant.const import CONF_NAME, CONF_SCAN_INTERVAL, CONF_WEBHOOK_ID, Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    discovery,
    issue_registry as ir,
)
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.typing import ConfigType

from .api import Capability, GatewayError, IdentityKind, Registration
from .const import (
    CONF_API_FAMILY,
    CONF_BALANCE_CODE,
    CONF_BALANCE_INTERVAL,
    CONF_INBOX_INTERVAL,
    DEFAULT_BALANCE_INTERVAL,
    DEFAULT_INBOX_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DEFAULT_USSD_TIMEOUT,
    DOMAIN,
    LOGGER,
    MIN_STATUS_INTERVAL,
    STATISTICS_INTERVAL,
    STATUS_INTERVAL_FACTOR,
)
from .coordinator import (
    GsmPortsCoordinator,
    GsmStatisticsCoordinator,
    GsmStatusCoordinator,
)
from .helpers import build_gateway, port_device_identifier
from .messaging import GsmMessaging
from .notify import recipient_device_identifier
from .push import async_register_push_url, async_register_webhook
from .runtime import GsmGatewayConfigEntry, GsmGatewayRuntimeData
from .services import async_setup_services

PLATFORMS = [
    Platform.BINARY_SENSOR,
    Platform.BUTTON,
    Platform.EVENT,
    Platform.NOTIFY,
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
    status: GsmStatusCoordinator | None = None
    if gateway.supports(Capability.DEVICE_STATUS) or gateway.supports(
        Capability.SEND_QUEUE
    ):
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

    statistics: GsmStatisticsCoordinator | None = None
    if gateway.supports(Capability.STATISTICS):
        statistics = GsmStatisticsCoordinator(
            hass, entry, gateway, name="statistics", update_interval=STATISTICS_INTERVAL
        )
        # Counters are secondary: failing here holds up nothing.
        await statistics.async_refresh()

    device_registry = dr.async_get(hass)
    identity = ports.identity
    gateway_device = device_registry.async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, identity)},
        manufacturer=gateway.manufacturer,
        model=f"{len(ports.data)}-port GSM gateway",
        name=entry.title,
        serial_number=identity
        if gateway.identity_kind is IdentityKind.SERIAL
        else None,
        connections={(dr.CONNECTION_NETWORK_MAC, identity)}
        if gateway.identity_kind is IdentityKind.MAC
        else None,
        configuration_url=str(gateway.config.base_url),
        sw_version=gateway.firmware,
    )
    if CONF_WEBHOOK_ID not in entry.data:
        hass.config_entries.async_update_entry(
            entry, data={**entry.data, CONF_WEBHOOK_ID: webhook.async_generate_id()}
        )
    messaging = GsmMessaging(hass, entry, gateway, ports)
    await messaging.async_load()
    entry.runtime_data = GsmGatewayRuntimeData(
        gateway=gateway,
        gateway_device_id=gateway_device.id,
        ports=ports,
        status=status,
        messaging=messaging,
        statistics=statistics,
    )
    # A fresh start: the rate limit's repair issue is raised again if needed.
    ir.async_delete_issue(hass, DOMAIN, f"rate_limit_{entry.entry_id}")

    @callback
    def remove_vanished_ports() -> None:
        current = {port_device_identifier(identity, number) for number in ports.data}
        for device in dr.async_entries_for_config_entry(
            device_registry, entry.entry_id
        ):
            port_ids = {
                i for i in device.identifiers if i[1].startswith(f"{identity}_port_")
            }
            if port_ids and not port_ids & current:
                device_registry.async_update_device(
                    device.id, remove_config_entry_id=entry.entry_id
                )

    remove_vanished_ports()
    entry.async_on_unload(ports.async_add_listener(remove_vanished_ports))
    entry.async_on_unload(entry.add_update_listener(_async_options_updated))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    if gateway.supports(Capability.PUSH):
        async_register_webhook(hass, entry)
        if gateway.supports(Capability.PUSH_REGISTRATION):
            await async_register_push_url(hass, entry)
    if gateway.supports(Capability.SEND_SMS):
        hass.async_create_task(
            discovery.async_load_platform(
                hass,
                Platform.NOTIFY,
                DOMAIN,
                {CONF_NAME: entry.title, "entry_id": entry.entry_id},
                {},
            )
        )
    _async_schedule_polls(hass, entry)
    entry.async_on_unload(messaging.async_save)
    return True


@callback
def _async_schedule_polls(hass: HomeAssistant, entry: GsmGatewayConfigEntry) -> None:
    """Poll the inbox and open reports now and regularly; balances if asked."""
    messaging = entry.runtime_data.messaging
    gateway = entry.runtime_data.gateway
    receives = gateway.supports(Capability.RECEIVE_SMS)
    sends = gateway.supports(Capability.SEND_SMS)

    failing = False

    async def poll_messages(_now: datetime | None = None) -> None:
        nonlocal failing
        try:
            if receives:
                await messaging.async_poll_inbox()
            if sends:
                await messaging.async_poll_reports()
        except GatewayError as err:
            if not failing:
                LOGGER.warning("Reading messages of %s failed: %s", entry.title, err)
            failing = True
            return
        if failing:
            LOGGER.info("Reading messages of %s works again", entry.title)
        failing = False

    entry.async_create_background_task(
        hass, poll_messages(), f"{DOMAIN} inbox {entry.entry_id}"
    )
    entry.async_on_unload(
        async_track_time_interval(
            hass,
            poll_messages,
            timedelta(
                seconds=entry.options.get(CONF_INBOX_INTERVAL, DEFAULT_INBOX_INTERVAL)
            ),
            name=f"{DOMAIN} inbox",
        )
    )
    hours = entry.options.get(CONF_BALANCE_INTERVAL, DEFAULT_BALANCE_INTERVAL)
    if (
        not hours
        or not entry.options.get(CONF_BALANCE_CODE)
        or not gateway.supports(Capability.USSD)
    ):
        return

    async def check_balances(_now: datetime) -> None:
        for port, data in entry.runtime_data.ports.data.items():
            if data.registration is not Registration.REGISTERED:
                continue
            try:
                await messaging.async_check_balance(port, DEFAULT_USSD_TIMEOUT)
            except HomeAssistantError as err:
                LOGGER.warning("Balance check of port %s failed: %s", port, err)

    entry.async_on_unload(
        async_track_time_interval(
            hass, check_balances, timedelta(hours=hours), name=f"{DOMAIN} balance"
        )
    )


async def _async_options_updated(
    hass: HomeAssistant, entry: GsmGatewayConfigEntry
) -> None:
    """Apply new options, or recipients added, changed or removed."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: GsmGatewayConfigEntry) -> bool:
    """Unload the platforms; the shared HTTP session stays Home Assistant's."""
    await _async_unload_notify(hass, entry)
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def _async_unload_notify(
    hass: HomeAssistant, entry: GsmGatewayConfigEntry
) -> None:
    """Remove this gateway's notify service (others stay)."""
    services = hass.data.get(NOTIFY_SERVICES, {}).get(DOMAIN, [])
    for service in [
        s for s in services if getattr(s, "entry_id", None) == entry.entry_id
    ]:
        await service.async_unregister_services()
        services.remove(service)


async def async_remove_config_entry_device(
    hass: HomeAssistant, entry: GsmGatewayConfigEntry, device: dr.DeviceEntry
) -> bool:
    """Let users delete a port device only once the gateway no longer has it.

    A recipient's device goes with its recipient (deleted on the entry's page).
    """
    serial = entry.runtime_data.ports.identity
    data = entry.runtime_data.ports.data
    if (DOMAIN, serial) in device.identifiers or any(
        recipient_device_identifier(serial, subentry_id) in device.identifiers
        for subentry_id in entry.subentries
    ):
        return False
    return not any(
        port_device_identifier(serial, number) in device.identifiers for number in data
    )
