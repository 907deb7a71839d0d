"""Base entities: one for the gateway itself, one for each of its ports."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import Any

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .api import Port
from .const import DOMAIN
from .coordinator import (
    GsmGatewayCoordinator,
    GsmPortsCoordinator,
    GsmStatisticsCoordinator,
    GsmStatusCoordinator,
)
from .helpers import port_device_identifier
from .runtime import GsmGatewayConfigEntry

# Home Assistant 2026.8 links a child device by the parent's id.
VIA_DEVICE_ID = "via_device_id" in DeviceInfo.__annotations__


class WritesOnChange[CoordinatorT: GsmGatewayCoordinator[Any]](
    CoordinatorEntity[CoordinatorT]
):
    """Write the state only when what the entity shows changed.

    The coordinator tells every listener when any port changed; without this,
    one port's new signal value would rewrite every entity of the gateway.
    """

    _attr_has_entity_name = True
    _shown: object = None

    @abstractmethod
    def shown_value(self) -> object:
        """What the entity shows from the coordinator's data.

        Every entity must say: one that forgot would never be written when
        its value changed. Entities whose state comes from elsewhere use
        `ShowsNoCoordinatorData`.
        """

    def _changed(self, available: bool) -> bool:
        shown = (available, self.shown_value() if available else None)
        if shown == self._shown:
            return False
        self._shown = shown
        return True

    async def async_added_to_hass(self) -> None:
        """Start from what was written when the entity was added."""
        await super().async_added_to_hass()
        self._changed(self.available)

    @callback
    def _handle_coordinator_update(self) -> None:
        if self._changed(self.available):
            super()._handle_coordinator_update()


class ShowsNoCoordinatorData:
    """For entities whose state does not come from the coordinator's data.

    Buttons, the SMS event and the balance write their own state; from the
    coordinator they take only their availability.
    """

    def shown_value(self) -> object:
        """Nothing of the coordinator's data is shown."""
        return None


def port_device_info(
    coordinator: GsmGatewayCoordinator[Any], port_number: int
) -> DeviceInfo:
    """The device of one port, linked to the gateway's device."""
    identity = coordinator.identity
    info = DeviceInfo(
        identifiers={port_device_identifier(identity, port_number)},
        manufacturer=coordinator.gateway.manufacturer,
        model="SIM port",
        translation_key="port",
        translation_placeholders={
            "gateway": coordinator.config_entry.title,
            "port": coordinator.gateway.port_label(port_number),
        },
    )
    if VIA_DEVICE_ID:
        info["via_device_id"] = coordinator.config_entry.runtime_data.gateway_device_id
    else:  # pragma: no cover - Home Assistant before 2026.8
        info["via_device"] = (DOMAIN, identity)  # type: ignore[typeddict-unknown-key]
    return info


class GsmGatewayEntity(WritesOnChange[GsmStatusCoordinator]):
    """An entity of the gateway device."""

    def __init__(
        self, coordinator: GsmStatusCoordinator, description: EntityDescription
    ) -> None:
        """Attach the entity to the gateway device."""
        super().__init__(coordinator)
        self.entity_description = description
        serial = coordinator.identity
        self._attr_unique_id = f"{serial}_{description.key}"
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, serial)})


class PortDeviceEntity[CoordinatorT: GsmGatewayCoordinator[Any]](
    WritesOnChange[CoordinatorT]
):
    """An entity of one port's device, from a coordinator whose data is by port."""

    def __init__(
        self,
        coordinator: CoordinatorT,
        port_number: int,
        description: EntityDescription,
    ) -> None:
        """Attach the entity to its port's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self.port_number = port_number
        self._attr_unique_id = f"{coordinator.identity}_{port_number}_{description.key}"
        self._attr_device_info = port_device_info(coordinator, port_number)

    @property
    def available(self) -> bool:
        """Available while the gateway answers and still has this port."""
        return super().available and self.port_number in self.coordinator.data


class GsmPortEntity(PortDeviceEntity[GsmPortsCoordinator]):
    """An entity of one port's device, from the ports coordinator."""

    @property
    def port(self) -> Port:
        """The port's latest data (only read while available)."""
        return self.coordinator.data[self.port_number]


class GsmOptimisticPortEntity[ValueT](GsmPortEntity):
    """A port control that shows a command's result until the device reports.

    The next poll (soon: commands ask for follow-up refreshes) or a push
    replaces the optimistic value with the device's own.
    """

    _optimistic: ValueT | None = None

    @callback
    def _async_commanded(self, value: ValueT) -> None:
        self._optimistic = value
        self.async_write_ha_state()
        self.coordinator.async_follow_up()

    @callback
    def _handle_coordinator_update(self) -> None:
        if self._optimistic is not None:
            # Whatever the device says now replaces the optimistic value.
            self._optimistic = None
            self._shown = None
        super()._handle_coordinator_update()


def async_add_port_entities[DescT: EntityDescription](
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    descriptions: tuple[DescT, ...],
    factory: Callable[[GsmPortsCoordinator, int, DescT], GsmPortEntity],
    exists: Callable[[DescT, Port], bool] = lambda _desc, _port: True,
) -> None:
    """Add entities for every port now, and for ports that appear later."""
    coordinator = entry.runtime_data.ports
    known: set[int] = set()

    def add_new_ports() -> None:
        known.intersection_update(coordinator.data)
        new = set(coordinator.data) - known
        if not new:
            return
        known.update(new)
        async_add_entities(
            factory(coordinator, number, description)
            for number in sorted(new)
            for description in descriptions
            if exists(description, coordinator.data[number])
        )

    add_new_ports()
    entry.async_on_unload(coordinator.async_add_listener(add_new_ports))


class GsmPortStatisticsEntity(PortDeviceEntity[GsmStatisticsCoordinator]):
    """A counter of one port, read with the gateway's statistics."""
