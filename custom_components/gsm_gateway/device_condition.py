"""Device conditions of a gateway's ports: on a network, or not.

A port is registered while its registration sensor says `registered` or
`roaming`, and not registered while it reports any other state. While the
sensor is unavailable (the gateway out of reach) neither condition holds:
nothing is known about the network then.
"""

from __future__ import annotations

from typing import Any, Final

from homeassistant.const import (
    CONF_CONDITION,
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_TYPE,
    STATE_UNAVAILABLE,
)
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import config_validation as cv, device_registry as dr
from homeassistant.helpers.condition import ConditionCheckerType
from homeassistant.helpers.typing import ConfigType, TemplateVarsType

from .const import DOMAIN
from .helpers import REGISTERED_STATES, device_port_number, registration_entity_id, vol

CONDITION_IS_REGISTERED: Final = "is_registered"
CONDITION_IS_NOT_REGISTERED: Final = "is_not_registered"
CONDITION_TYPES: Final = (CONDITION_IS_REGISTERED, CONDITION_IS_NOT_REGISTERED)

CONDITION_SCHEMA = cv.DEVICE_CONDITION_BASE_SCHEMA.extend(
    {vol.Required(CONF_TYPE): vol.In(CONDITION_TYPES)}
)


async def async_get_conditions(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, Any]]:
    """The conditions of a port's device; the gateway's own device has none."""
    device = dr.async_get(hass).async_get(device_id)
    if device is None or device_port_number(device.identifiers) is None:
        return []
    return [
        {
            CONF_CONDITION: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: condition_type,
        }
        for condition_type in CONDITION_TYPES
    ]


@callback
def async_condition_from_config(
    hass: HomeAssistant, config: ConfigType
) -> ConditionCheckerType:
    """A check of the port's registration, read when the condition is tested.

    The sensor is looked up at every test, so a renamed entity is followed.
    """
    device_id: str = config[CONF_DEVICE_ID]
    wants_registered = config[CONF_TYPE] == CONDITION_IS_REGISTERED

    def test(hass: HomeAssistant, variables: TemplateVarsType = None) -> bool:
        entity_id = registration_entity_id(hass, device_id)
        state = hass.states.get(entity_id) if entity_id is not None else None
        if state is None or state.state == STATE_UNAVAILABLE:
            return False
        registered = state.state in REGISTERED_STATES
        return registered if wants_registered else not registered

    return test
