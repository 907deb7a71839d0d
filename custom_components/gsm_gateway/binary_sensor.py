"""Binary sensors: per-port packet data attachment."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (  # type: ignore[attr-defined]
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability, Port
from .entity import GsmPortEntity, async_add_port_entities
from .runtime import GsmGatewayConfigEntry

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class GsmPortBinarySensorDescription(BinarySensorEntityDescription):
    """A per-port binary sensor."""

    value_fn: Callable[[Port], bool | None]


PORT_BINARY_SENSORS: tuple[GsmPortBinarySensorDescription, ...] = (
    GsmPortBinarySensorDescription(
        key="gprs",
        translation_key="gprs",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda port: port.gprs_attached,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add every port's binary sensors, where the family reports packet data."""
    if entry.runtime_data.gateway.supports(Capability.PACKET_DATA):
        async_add_port_entities(
            entry, async_add_entities, PORT_BINARY_SENSORS, GsmPortBinarySensor
        )


class GsmPortBinarySensor(GsmPortEntity, BinarySensorEntity):
    """A binary sensor of one port."""

    def shown_value(self) -> object:
        """The value a coordinator update may change."""
        return self.is_on

    entity_description: GsmPortBinarySensorDescription

    @property
    def is_on(self) -> bool | None:
        """The port's current value."""
        return self.entity_description.value_fn(self.port)
