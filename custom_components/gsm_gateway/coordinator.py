"""Coordinators: fetch from the gateway, map its errors, nothing more."""

from __future__ import annotations

from abc import abstractmethod
from dataclasses import dataclass
from datetime import timedelta

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryAuthFailed
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator, UpdateFailed

from .api import (
    DeviceStatus,
    GatewayAuthenticationError,
    GatewayError,
    GsmGateway,
    Port,
)
from .const import DOMAIN, LOGGER


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayStatus:
    """Slow-moving figures of the gateway itself."""

    device: DeviceStatus | None
    sms_queue: int | None


@dataclass(slots=True, kw_only=True)
class GsmGatewayRuntimeData:
    """What a loaded entry keeps."""

    gateway: GsmGateway
    gateway_device_id: str
    ports: GsmPortsCoordinator
    status: GsmStatusCoordinator


type GsmGatewayConfigEntry = ConfigEntry[GsmGatewayRuntimeData]


class GsmGatewayCoordinator[DataT](DataUpdateCoordinator[DataT]):
    """Shared error mapping for every poll of one gateway."""

    config_entry: GsmGatewayConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: GsmGatewayConfigEntry,
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
        self.serial: str = entry.unique_id or ""

    async def _async_update_data(self) -> DataT:
        try:
            return await self._async_fetch()
        except GatewayAuthenticationError as err:
            raise ConfigEntryAuthFailed(
                translation_domain=DOMAIN, translation_key="invalid_auth"
            ) from err
        except GatewayError as err:
            raise UpdateFailed(
                translation_domain=DOMAIN,
                translation_key="communication_error",
                translation_placeholders={"error": str(err)},
            ) from err

    @abstractmethod
    async def _async_fetch(self) -> DataT:
        """Fetch this coordinator's data from the gateway."""


class GsmPortsCoordinator(GsmGatewayCoordinator[dict[int, Port]]):
    """Every port's state, in one request per refresh."""

    async def _async_fetch(self) -> dict[int, Port]:
        return {port.number: port for port in await self.gateway.async_get_ports()}


class GsmStatusCoordinator(GsmGatewayCoordinator[GatewayStatus]):
    """Device load and the SMS queue, at a slower cadence."""

    async def _async_fetch(self) -> GatewayStatus:
        return GatewayStatus(
            device=await self.gateway.async_get_status(),
            sms_queue=await self.gateway.async_get_sms_queue(),
        )
