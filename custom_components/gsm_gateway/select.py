"""Selects: the active SIM slot of multi-SIM ports."""

from __future__ import annotations

from homeassistant.components.select import SelectEntity, SelectEntityDescription
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .api import Capability
from .coordinator import GsmPortsCoordinator
from .entity import GsmOptimisticPortEntity, async_add_port_entities
from .helpers import run_command
from .runtime import GsmGatewayConfigEntry

PARALLEL_UPDATES = 1

# The options are the family's slots, as its devices label them.
ACTIVE_SLOT = SelectEntityDescription(
    key="active_slot",
    translation_key="active_slot",
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add a slot select for every multi-SIM port, where slots can be switched."""
    gateway = entry.runtime_data.gateway
    if not gateway.supports(Capability.SLOT_SWITCH) or not gateway.sim_slots:
        return
    async_add_port_entities(
        entry,
        async_add_entities,
        (ACTIVE_SLOT,),
        GsmActiveSlot,
        lambda _description, port: port.sim_slot is not None,
    )


class GsmActiveSlot(GsmOptimisticPortEntity[str], SelectEntity):
    """Which SIM slot a port uses, among the family's slots."""

    def __init__(
        self,
        coordinator: GsmPortsCoordinator,
        port_number: int,
        description: SelectEntityDescription,
    ) -> None:
        """Offer the family's slots, labelled as its devices label them."""
        super().__init__(coordinator, port_number, description)
        gateway = coordinator.gateway
        self._slots = {gateway.slot_label(slot): slot for slot in gateway.sim_slots}
        self._attr_options = list(self._slots)

    def shown_value(self) -> object:
        """The value a coordinator update may change."""
        return self.current_option

    @property
    def current_option(self) -> str | None:
        """The slot the port reports (or the one just chosen)."""
        if self._optimistic is not None:
            return self._optimistic
        slot = self.port.sim_slot
        return None if slot is None else self.coordinator.gateway.slot_label(slot)

    async def async_select_option(self, option: str) -> None:
        """Switch to another slot."""
        await run_command(
            self.coordinator.gateway.async_switch_sim_slot(
                self.port_number, self._slots[option]
            )
        )
        self._async_commanded(option)
