"""Coordinators: fetch from the gateway, map its errors, nothing more."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.event import async_call_later
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    Capability,
    DeviceStatus,
    GatewayAuthenticationError,
    GatewayError,
    GsmGateway,
    Port,
    PortStatistics,
    RegistrationChange,
)
from .const import AUTH_FAILURES_BEFORE_REAUTH, DOMAIN, FOLLOW_UP_DELAYS, LOGGER


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayStatus:
    """Slow-moving figures of the gateway itself."""

    device: DeviceStatus | None
    sms_queue: int | None


class GsmGatewayCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Shared error mapping for every poll of one gateway."""

    config_entry: ConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        gateway: GsmGateway,
        *,
        name: str,
        update_interval: timedelta,
    ) -> None:
        """Poll one gateway; unchanged data notifies nobody."""
        super().__init__(
            hass,
            LOGGER,
            config_entry=entry,
            name=f"{entry.title} {name}",
            update_interval=update_interval,
            always_update=False,
        )
        self.gateway = gateway
        # What the family identifies the unit by (serial, MAC, ...).
        self.identity: str = entry.unique_id or ""
        self._auth_failures = 0

    async def _async_update_data(self) -> DataT:
        try:
            data = await self._async_fetch()
        except GatewayAuthenticationError as err:
            # Gateways answer 401 for a moment while their web server
            # restarts. Ask the user only when it happens twice in a row
            # (or at setup): reauthentication stops the polling.
            self._auth_failures += 1
            if self.data is None or self._auth_failures >= AUTH_FAILURES_BEFORE_REAUTH:
                raise ConfigEntryAuthFailed(
                    translation_domain=DOMAIN, translation_key="invalid_auth"
                ) from err
            raise UpdateFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except GatewayError as err:
            # Any other answer breaks a run of refusals.
            self._auth_failures = 0
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err
        self._auth_failures = 0
        return data

    @abstractmethod
    async def _async_fetch(self) -> DataT:
        """Fetch this coordinator's data from the gateway."""


class GsmPortsCoordinator(GsmGatewayCoordinator[dict[int, Port]]):
    """Every port's state, in one request per refresh."""

    _follow_ups: list[CALLBACK_TYPE]

    async def _async_fetch(self) -> dict[int, Port]:
        return {port.number: port for port in await self.gateway.async_get_ports()}

    @callback
    def async_follow_up(self) -> None:
        """Refresh now and a few times soon after a command changed a port.

        A module that was powered on or reset takes seconds to register;
        waiting for the next scheduled poll would show a stale state.
        """
        self.async_cancel_follow_ups()
        self._follow_ups = [
            async_call_later(self.hass, delay, self._async_follow_up_refresh)
            for delay in FOLLOW_UP_DELAYS
        ]

    @callback
    def async_apply_registration(self, change: RegistrationChange) -> None:
        """Show a pushed registration change at once, then confirm it by a poll.

        A push that follows another within the refresh cooldown (a SIM
        swapped: down, then up) would otherwise show only seconds later.
        """
        port = self.data.get(change.port) if self.data else None
        if port is not None:
            updated = replace(
                port,
                registration=change.registration,
                registration_raw=None,
                sim_slot=change.slot if change.slot is not None else port.sim_slot,
                imsi=None if change.sim_removed else change.imsi or port.imsi,
                iccid=None if change.sim_removed else change.iccid or port.iccid,
                phone_number=None
                if change.sim_removed
                else change.phone_number or port.phone_number,
            )
            # Not async_set_updated_data: that would also reset the refresh
            # cooldown, and a burst of pushes (a reboot) would poll once each.
            self.data = {**self.data, change.port: updated}
            self.async_update_listeners()
        self.hass.async_create_task(self.async_request_refresh(), eager_start=True)

    @callback
    def async_apply_port(self, port: Port) -> None:
        """Show a pushed full port state at once (no poll needed)."""
        if self.data is None or port.number not in self.data:
            return
        self.data = {**self.data, port.number: port}
        self.async_update_listeners()

    async def _async_follow_up_refresh(self, _now: datetime) -> None:
        await self.async_refresh()

    @callback
    def async_cancel_follow_ups(self) -> None:
        """Forget planned follow-up refreshes."""
        for cancel in getattr(self, "_follow_ups", ()):
            cancel()
        self._follow_ups = []

    async def async_shutdown(self) -> None:
        """Stop polling, follow-ups included."""
        self.async_cancel_follow_ups()
        await super().async_shutdown()


class GsmStatisticsCoordinator(GsmGatewayCoordinator[dict[int, PortStatistics]]):
    """The gateway's counters per port, read every few minutes."""

    async def _async_fetch(self) -> dict[int, PortStatistics]:
        return await self.gateway.async_get_statistics()


class GsmStatusCoordinator(GsmGatewayCoordinator[GatewayStatus]):
    """Device load and the SMS queue, at a slower cadence."""

    async def _async_fetch(self) -> GatewayStatus:
        gateway = self.gateway
        return GatewayStatus(
            device=await gateway.async_get_status()
            if gateway.supports(Capability.DEVICE_STATUS)
            else None,
            sms_queue=await gateway.async_get_sms_queue()
            if gateway.supports(Capability.SEND_QUEUE)
            else None,
        )
