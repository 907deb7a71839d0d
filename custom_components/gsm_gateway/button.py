"""Buttons: restart a port's module."""

from __future__ import annotations

from homeassistant.components.button import (  # type: ignore[attr-defined]
    ButtonDeviceClass,
    ButtonEntity,
    ButtonEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import GsmGatewayConfigEntry
from .entity import GsmPortEntity, async_add_port_entities
from .helpers import run_command

PARALLEL_UPDATES = 1

RESET_MODULE = ButtonEntityDescription(
    key="reset_module",
    translation_key="reset_module",
    device_class=ButtonDeviceClass.RESTART,
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a reset button for every port."""
    async_add_port_entities(entry, async_add_entities, (RESET_MODULE,), GsmResetModule)


class GsmResetModule(GsmPortEntity, ButtonEntity):
    """Restart a port's module."""

    async def async_press(self) -> None:
        """Reset the module and follow it while it registers again."""
        await run_command(self.coordinator.gateway.async_reset_port(self.port_number))
        self.coordinator.async_follow_up()
