"""Legacy notify service per gateway: notify.<entry title>."""

from __future__ import annotations

from typing import Any

from homeassistant.components.notify.const import ATTR_DATA, ATTR_TARGET
from homeassistant.components.notify.legacy import BaseNotificationService
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from .api import SmsEncoding
from .const import DOMAIN
from .messaging import GsmMessaging
from .runtime import GsmGatewayConfigEntry

ATTR_PORT = "port"
ATTR_ENCODING = "encoding"


async def async_get_service(
    hass: HomeAssistant,
    config: ConfigType,
    discovery_info: DiscoveryInfoType | None = None,
) -> BaseNotificationService | None:
    """One service per gateway, set up when its entry loads."""
    if discovery_info is None:
        return None
    entry: GsmGatewayConfigEntry | None = hass.config_entries.async_get_entry(
        discovery_info["entry_id"]
    )
    if entry is None:
        return None
    return GsmNotificationService(entry.entry_id, entry.runtime_data.messaging)


class GsmNotificationService(BaseNotificationService):
    """Send the message as SMS to every target number."""

    def __init__(self, entry_id: str, messaging: GsmMessaging) -> None:
        """Serve one gateway; the service is removed when its entry unloads."""
        self.entry_id = entry_id
        self._messaging = messaging

    async def async_send_message(self, message: str = "", **kwargs: Any) -> None:
        """Send an SMS; `data` may give `port` (int or list) and `encoding`."""
        targets = kwargs.get(ATTR_TARGET) or []
        data = kwargs.get(ATTR_DATA) or {}
        ports = data.get(ATTR_PORT)
        if isinstance(ports, int):
            ports = [ports]
        try:
            encoding = SmsEncoding(data.get(ATTR_ENCODING, SmsEncoding.AUTO))
            ports = [int(port) for port in ports] if ports is not None else None
        except (TypeError, ValueError):
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="invalid_notify_data"
            ) from None
        await self._messaging.async_send(
            [str(target).strip() for target in targets],
            message,
            ports=ports,
            encoding=encoding,
        )
