"""Notify: one entity per recipient, and the legacy notify.<entry title> service.

Recipients are the gateway entry's `recipient` subentries. Each one is a notify
entity on a device of its own (named after the recipient, connected via the
gateway), so `notify.send_message` texts the recipient's number. The legacy
service sends to any numbers given as targets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homeassistant.components.notify import NotifyEntity
from homeassistant.components.notify.const import ATTR_DATA, ATTR_TARGET
from homeassistant.components.notify.legacy import BaseNotificationService
from homeassistant.config_entries import ConfigSubentry
from homeassistant.const import CONF_PORT
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.device_registry import DeviceEntryType, DeviceInfo
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import ConfigType, DiscoveryInfoType

from .api import SmsEncoding
from .const import DOMAIN
from .entity import VIA_DEVICE_ID
from .messaging import GsmMessaging
from .recipient_flow import CONF_NUMBER, SUBENTRY_RECIPIENT
from .runtime import GsmGatewayConfigEntry

if TYPE_CHECKING:
    from homeassistant.components.notify.const import NotifyEntityFeature
else:
    # Older Home Assistant defines it in the component only; newer ones in
    # its constants (re-imported, not exported, by the component).
    from homeassistant.components.notify import NotifyEntityFeature

ATTR_PORT = "port"
ATTR_ENCODING = "encoding"

# Sends of several recipients go to the gateway one after another.
PARALLEL_UPDATES = 1


def recipient_device_identifier(identity: str, subentry_id: str) -> tuple[str, str]:
    """The device registry identifier of one recipient of a gateway."""
    return (DOMAIN, f"{identity}_recipient_{subentry_id}")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """One notify entity for each recipient, belonging to its subentry."""
    for subentry in entry.subentries.values():
        if subentry.subentry_type == SUBENTRY_RECIPIENT:
            async_add_entities(
                [GsmRecipientNotifyEntity(entry, subentry)],
                config_subentry_id=subentry.subentry_id,
            )


class GsmRecipientNotifyEntity(NotifyEntity):
    """Texts one recipient's number, from their port if they have one.

    A title becomes the first line of the SMS and the message follows on the
    next (joined by a line feed). The entity stays available while the
    gateway is unreachable: a send then fails with the same translated error
    as the `send_sms` action, where an unavailable entity would be skipped
    without a word.
    """

    _attr_has_entity_name = True
    _attr_translation_key = "sms"
    _attr_supported_features = NotifyEntityFeature.TITLE

    def __init__(self, entry: GsmGatewayConfigEntry, subentry: ConfigSubentry) -> None:
        """Serve one recipient of a loaded gateway."""
        runtime = entry.runtime_data
        identity = runtime.ports.identity
        self._messaging = runtime.messaging
        self.number: str = subentry.data[CONF_NUMBER]
        self.port: int | None = subentry.data.get(CONF_PORT)
        self._attr_unique_id = f"{identity}_recipient_{subentry.subentry_id}"
        info = DeviceInfo(
            identifiers={recipient_device_identifier(identity, subentry.subentry_id)},
            name=subentry.title,
            model="SMS recipient",
            entry_type=DeviceEntryType.SERVICE,
        )
        if VIA_DEVICE_ID:
            info["via_device_id"] = runtime.gateway_device_id
        else:  # pragma: no cover - Home Assistant before 2026.8
            info["via_device"] = (DOMAIN, identity)  # type: ignore[typeddict-unknown-key]
        self._attr_device_info = info

    async def async_send_message(self, message: str, title: str | None = None) -> None:
        """Send the SMS through the gateway's messaging, as `send_sms` does."""
        text = "\n".join(part for part in (title, message) if part and part.strip())
        await self._messaging.async_send(
            [self.number], text, ports=None if self.port is None else [self.port]
        )


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
