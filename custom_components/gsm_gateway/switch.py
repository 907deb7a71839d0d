"""Switches: each port's module power."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchEntity, SwitchEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability, Registration
from .entity import GsmOptimisticPortEntity, async_add_port_entities
from .helpers import run_command
from .runtime import GsmGatewayConfigEntry

PARALLEL_UPDATES = 1

MODULE_POWER = SwitchEntityDescription(
    key="module_power",
    translation_key="module_power",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a power switch for every port, where the family can switch power."""
    if entry.runtime_data.gateway.supports(Capability.POWER):
        async_add_port_entities(
            entry, async_add_entities, (MODULE_POWER,), GsmModulePower
        )


class GsmModulePower(GsmOptimisticPortEntity[bool], SwitchEntity):
    """A port's module power."""

    def shown_value(self) -> object:
        """The value a coordinator update may change."""
        return self.is_on

    @property
    def is_on(self) -> bool:
        """On unless the module reports it is powered off."""
        if self._optimistic is not None:
            return self._optimistic
        return self.port.registration is not Registration.POWER_OFF

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Power the module on."""
        await self._async_set(on=True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Power the module off."""
        await self._async_set(on=False)

    async def _async_set(self, *, on: bool) -> None:
        await run_command(
            self.coordinator.gateway.async_set_port_power(self.port_number, on)
        )
        self._async_commanded(on)
