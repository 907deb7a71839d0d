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

from .api import Capability
from .const import CONF_BALANCE_CODE, DEFAULT_USSD_TIMEOUT
from .entity import GsmPortEntity, ShowsNoCoordinatorData, async_add_port_entities
from .helpers import run_command
from .runtime import GsmGatewayConfigEntry

PARALLEL_UPDATES = 1

RESET_MODULE = ButtonEntityDescription(
    key="reset_module",
    translation_key="reset_module",
    device_class=ButtonDeviceClass.RESTART,
    entity_category=EntityCategory.CONFIG,
)

CHECK_BALANCE = ButtonEntityDescription(
    key="check_balance", translation_key="check_balance"
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: GsmGatewayConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add reset and balance buttons for every port, as the family allows."""
    gateway = entry.runtime_data.gateway
    if gateway.supports(Capability.RESET):
        async_add_port_entities(
            entry, async_add_entities, (RESET_MODULE,), GsmResetModule
        )
    if gateway.supports(Capability.USSD) and entry.options.get(CONF_BALANCE_CODE):
        async_add_port_entities(
            entry, async_add_entities, (CHECK_BALANCE,), GsmCheckBalance
        )


class GsmResetModule(ShowsNoCoordinatorData, GsmPortEntity, ButtonEntity):
    """Restart a port's module."""

    async def async_press(self) -> None:
        """Reset the module and follow it while it registers again."""
        await run_command(self.coordinator.gateway.async_reset_port(self.port_number))
        self.coordinator.async_follow_up()


class GsmCheckBalance(ShowsNoCoordinatorData, GsmPortEntity, ButtonEntity):
    """Ask the operator for the SIM's balance now."""

    async def async_press(self) -> None:
        """Send the balance code; the balance sensor shows the answer."""
        await self.coordinator.config_entry.runtime_data.messaging.async_check_balance(
            self.port_number, DEFAULT_USSD_TIMEOUT
        )
