"""Selects: the active SIM slot of multi-SIM ports."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability
from .entity import GsmOptimisticPortEntity, async_add_port_entities
from .helpers import run_command
from .runtime import GsmGatewayConfigEntry

PARALLEL_UPDATES = 1

# Slots as the gateway numbers them (Dinstar: 0 to 3).
SLOTS = ["0", "1", "2", "3"]

ACTIVE_SLOT = SelectEntityDescription(
    key="active_slot",
    translation_key="active_slot",
    entity_category=EntityCategory.CONFIG,
    options=SLOTS,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a slot select for every multi-SIM port, where slots can be switched."""
    if not entry.runtime_data.gateway.supports(Capability.SLOT_SWITCH):
        return
    async_add_port_entities(
        entry,
        async_add_entities,
        (ACTIVE_SLOT,),
        GsmActiveSlot,
        lambda _description, port: port.sim_slot is not None,
    )


class GsmActiveSlot(GsmOptimisticPortEntity[str], SelectEntity):
    """Which SIM slot a port uses."""

    def shown_value(self) -> object:
        """The value a coordinator update may change."""
        return self.current_option

    @property
    def current_option(self) -> str | None:
        """The slot the port reports (or the one just chosen)."""
        if self._optimistic is not None:
            return self._optimistic
        slot = self.port.sim_slot
        return None if slot is None else str(slot)

    async def async_select_option(self, option: str) -> None:
        """Switch to another slot."""
        await run_command(
            self.coordinator.gateway.async_switch_sim_slot(
                self.port_number, int(option)
            )
        )
        self._async_commanded(option)
