"""Legacy notify service per gateway: notify.<entry title>."""

from __future__ import annotations

from typing import Any

from homeassistant.components.notify.const import ATTR_DATA, ATTR_TARGET
from homeassistant.components.notify.legacy import BaseNotificationService
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from .api import SmsEncoding
from .const import DOMAIN

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
    return GsmNotificationService(discovery_info["entry_id"])


class GsmNotificationService(BaseNotificationService):
    """Send the message as SMS to every target number."""

    def __init__(self, entry_id: str) -> None:
        """Serve the gateway of this entry."""
        self.entry_id = entry_id

    async def async_send_message(self, message: str = "", **kwargs: Any) -> None:
        """Send an SMS; `data` may give `port` (int or list) and `encoding`."""
        entry = self.hass.config_entries.async_get_entry(self.entry_id)
        if entry is None or entry.state is not ConfigEntryState.LOADED:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="gateway_not_loaded",
                translation_placeholders={"gateway": entry.title if entry else "-"},
            )
        targets = kwargs.get(ATTR_TARGET) or []
        if isinstance(targets, str):
            targets = [targets]
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
        await entry.runtime_data.messaging.async_send(
            [str(target).strip() for target in targets],
            message,
            ports=ports,
            encoding=encoding,
        )
