"""Device triggers of a gateway's ports: SMS, USSD, failed sends, the network.

Every trigger belongs to one port's device. SMS, USSD replies and failed
sends come from the integration's events, matched on the port's device id;
the run variables carry the event (`trigger.event.data.sender`, `.text`,
`.port`, `.timestamp` ...) as an event trigger's do. The registration
triggers follow the port's registration sensor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
import inspect
from typing import Any, Final

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_EVENT_DATA,
    CONF_PLATFORM,
    CONF_TYPE,
    STATE_UNAVAILABLE,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Context,
    Event,
    EventStateChangedData,
    HassJob,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    selector,
)
from homeassistant.helpers.event import async_track_state_change_event
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .api import SmsState
from .const import DOMAIN, EVENT_SMS_RECEIVED, EVENT_SMS_STATUS, EVENT_USSD_RECEIVED
from .helpers import (
    REGISTERED_STATES,
    device_port_number,
    normalize_number,
    registration_entity_id,
    vol,
)

TRIGGER_SMS_RECEIVED: Final = "sms_received"
TRIGGER_USSD_RECEIVED: Final = "ussd_received"
TRIGGER_REGISTRATION_LOST: Final = "registration_lost"
TRIGGER_REGISTRATION_RESTORED: Final = "registration_restored"
TRIGGER_SMS_FAILED: Final = "sms_failed"
TRIGGER_TYPES: Final = (
    TRIGGER_SMS_RECEIVED,
    TRIGGER_USSD_RECEIVED,
    TRIGGER_REGISTRATION_LOST,
    TRIGGER_REGISTRATION_RESTORED,
    TRIGGER_SMS_FAILED,
)

CONF_SENDER: Final = "sender"
CONF_TEXT_CONTAINS: Final = "text_contains"
_SMS_FILTERS = (CONF_SENDER, CONF_TEXT_CONTAINS)

# Outcomes of a send that count as failed.
FAILED_STATES: Final = (SmsState.FAILED.value, SmsState.UNDELIVERED.value)


def _filters_only_for_sms(config: dict[str, Any]) -> dict[str, Any]:
    """Sender and text filters belong to the received SMS trigger alone."""
    if config[CONF_TYPE] != TRIGGER_SMS_RECEIVED and any(
        key in config for key in _SMS_FILTERS
    ):
        raise vol.Invalid(f"sender and text_contains need type {TRIGGER_SMS_RECEIVED}")
    return config


TRIGGER_SCHEMA = vol.All(
    DEVICE_TRIGGER_BASE_SCHEMA.extend(
        {
            vol.Required(CONF_TYPE): vol.In(TRIGGER_TYPES),
            vol.Optional(CONF_SENDER): cv.string,
            vol.Optional(CONF_TEXT_CONTAINS): cv.string,
        }
    ),
    _filters_only_for_sms,
)

_SMS_EXTRA_FIELDS = vol.Schema(
    {
        vol.Optional(CONF_SENDER): selector.TextSelector(),
        vol.Optional(CONF_TEXT_CONTAINS): selector.TextSelector(),
    }
)


def _is_port_device(hass: HomeAssistant, device_id: str) -> bool:
    device = dr.async_get(hass).async_get(device_id)
    return device is not None and device_port_number(device.identifiers) is not None


async def async_get_triggers(
    hass: HomeAssistant, device_id: str
) -> list[dict[str, Any]]:
    """The triggers of a port's device; the gateway's own device has none."""
    if not _is_port_device(hass, device_id):
        return []
    return [
        {
            CONF_PLATFORM: "device",
            CONF_DOMAIN: DOMAIN,
            CONF_DEVICE_ID: device_id,
            CONF_TYPE: trigger_type,
        }
        for trigger_type in TRIGGER_TYPES
    ]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, Any]:
    """A received SMS can be narrowed to a sender and to words in its text."""
    if config[CONF_TYPE] == TRIGGER_SMS_RECEIVED:
        return {"extra_fields": _SMS_EXTRA_FIELDS}
    return {}


def _comparable_sender(sender: str) -> str:
    """A sender as compared: no spacing or punctuation, any letter case."""
    return normalize_number(sender).casefold()


def _sms_matcher(config: ConfigType) -> Callable[[Mapping[str, Any]], bool] | None:
    """What a received SMS must satisfy for the trigger; None when anything does."""
    sender = _comparable_sender(config.get(CONF_SENDER) or "")
    words = (config.get(CONF_TEXT_CONTAINS) or "").casefold()
    if not sender and not words:
        return None

    def matches(data: Mapping[str, Any]) -> bool:
        if sender and _comparable_sender(str(data.get("sender") or "")) != sender:
            return False
        return not words or words in str(data.get("text") or "").casefold()

    return matches


def _only_when(
    action: TriggerActionType, matches: Callable[[Mapping[str, Any]], bool]
) -> TriggerActionType:
    """Run the automation's action only for events the filter accepts."""

    async def run(run_variables: dict[str, Any], context: Context | None = None) -> Any:
        if not matches(run_variables["trigger"]["event"].data):
            return None
        result = action(run_variables, context)
        if inspect.isawaitable(result):
            return await result
        return result

    return run


async def _async_attach_event(
    hass: HomeAssistant,
    event_type: str,
    event_data: dict[str, Any],
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Listen for one of the integration's events, as an event trigger does."""
    config = event_trigger.TRIGGER_SCHEMA(
        {
            CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: event_type,
            CONF_EVENT_DATA: event_data,
        }
    )
    return await event_trigger.async_attach_trigger(
        hass, config, action, trigger_info, platform_type="device"
    )


@callback
def _async_attach_registration(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Follow the port's registration sensor: on or off a network.

    Unavailable (the gateway out of reach) is no news about the network:
    it is skipped, and the next real state is compared with the last one
    seen before it.
    """
    device_id: str = config[CONF_DEVICE_ID]
    trigger_type: str = config[CONF_TYPE]
    entity_id = registration_entity_id(hass, device_id)
    if entity_id is None:
        raise InvalidDeviceAutomationConfig(
            f"Device {device_id} has no registration sensor"
        )
    wants_lost = trigger_type == TRIGGER_REGISTRATION_LOST
    current = hass.states.get(entity_id)
    last: str | None = (
        current.state
        if current is not None and current.state != STATE_UNAVAILABLE
        else None
    )
    job = HassJob(action, f"{DOMAIN} {trigger_type} trigger {trigger_info}")
    trigger_data = trigger_info["trigger_data"]

    @callback
    def changed(event: Event[EventStateChangedData]) -> None:
        nonlocal last
        new_state = event.data["new_state"]
        if new_state is None or new_state.state == STATE_UNAVAILABLE:
            return
        before, last = last, new_state.state
        if before is None:
            return
        was_on = before in REGISTERED_STATES
        is_on = new_state.state in REGISTERED_STATES
        if was_on == is_on or wants_lost != was_on:
            return
        hass.async_run_hass_job(
            job,
            {
                "trigger": {
                    **trigger_data,
                    "platform": "device",
                    "domain": DOMAIN,
                    "device_id": device_id,
                    "type": trigger_type,
                    "entity_id": entity_id,
                    "from_state": event.data["old_state"],
                    "to_state": new_state,
                    "description": f"{trigger_type} on {entity_id}",
                }
            },
            event.context,
        )

    return async_track_state_change_event(hass, [entity_id], changed)


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Start listening for the configured trigger."""
    trigger_type: str = config[CONF_TYPE]
    device_id: str = config[CONF_DEVICE_ID]
    if trigger_type in (TRIGGER_REGISTRATION_LOST, TRIGGER_REGISTRATION_RESTORED):
        return _async_attach_registration(hass, config, action, trigger_info)
    if trigger_type == TRIGGER_SMS_FAILED:
        removers = [
            await _async_attach_event(
                hass,
                EVENT_SMS_STATUS,
                {"device_id": device_id, "status": status},
                action,
                trigger_info,
            )
            for status in FAILED_STATES
        ]

        @callback
        def remove_all() -> None:
            for remove in removers:
                remove()

        return remove_all
    if trigger_type == TRIGGER_USSD_RECEIVED:
        return await _async_attach_event(
            hass, EVENT_USSD_RECEIVED, {"device_id": device_id}, action, trigger_info
        )
    if (matches := _sms_matcher(config)) is not None:
        action = _only_when(action, matches)
    return await _async_attach_event(
        hass, EVENT_SMS_RECEIVED, {"device_id": device_id}, action, trigger_info
    )
