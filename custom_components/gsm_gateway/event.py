"""Event entities: the SMS each port receives."""

from __future__ import annotations

from typing import Any

from homeassistant.components.event import EventEntity, EventEntityDescription
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_connect
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability
from .const import SIGNAL_SMS
from .entity import GsmPortEntity, ShowsNoCoordinatorData, async_add_port_entities
from .runtime import GsmGatewayConfigEntry

PARALLEL_UPDATES = 0

SMS = EventEntityDescription(key="sms", translation_key="sms", event_types=["received"])
# Event data kept on the entity (the bus event carries all of it).
ATTRIBUTES = ("sender", "text", "timestamp", "slot", "message_id")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add an SMS event entity for every port, where SMS can be received."""
    if entry.runtime_data.gateway.supports(Capability.RECEIVE_SMS):
        async_add_port_entities(entry, async_add_entities, (SMS,), GsmSmsEvent)


class GsmSmsEvent(ShowsNoCoordinatorData, GsmPortEntity, EventEntity):
    """The last SMS a port received."""

    async def async_added_to_hass(self) -> None:
        """Listen for SMS on this port."""
        await super().async_added_to_hass()
        self.async_on_remove(
            async_dispatcher_connect(
                self.hass,
                SIGNAL_SMS.format(
                    self.coordinator.config_entry.entry_id, self.port_number
                ),
                self._async_sms,
            )
        )

    @callback
    def _async_sms(self, data: dict[str, Any]) -> None:
        self._trigger_event("received", {key: data[key] for key in ATTRIBUTES})
        self.async_write_ha_state()
