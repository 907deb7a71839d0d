"""What a loaded entry keeps, and the entry type that carries it."""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry

from .api import GsmGateway
from .coordinator import (
    GsmPortsCoordinator,
    GsmStatisticsCoordinator,
    GsmStatusCoordinator,
)
from .messaging import GsmMessaging


@dataclass(slots=True, kw_only=True)
class GsmGatewayRuntimeData:
    """What a loaded entry keeps."""

    gateway: GsmGateway
    gateway_device_id: str
    ports: GsmPortsCoordinator
    # None when the family reports neither its load nor its send queue.
    status: GsmStatusCoordinator | None
    messaging: GsmMessaging
    # None when the family keeps no counters.
    statistics: GsmStatisticsCoordinator | None = None


type GsmGatewayConfigEntry = ConfigEntry[GsmGatewayRuntimeData]
