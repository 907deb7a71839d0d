"""Logbook lines for what a gateway reports: SMS, send outcomes, USSD, device events.

Each line is named after the device the event is about (the port's, or the
gateway's for the whole unit); the logbook shows it on that device's page,
as the events carry its `device_id`. The phrases are the integration's
translations, in Home Assistant's language, English where it has none.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

from homeassistant.components.logbook.const import (
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.components.logbook.models import LazyEventPartialState
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import async_get_cached_translations

from .const import (
    DOMAIN,
    EVENT_DEVICE,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
    EVENT_USSD_RECEIVED,
)

# How much of a text a logbook line shows.
SMS_TEXT_LIMIT: Final = 60
USSD_TEXT_LIMIT: Final = 160
ELLIPSIS: Final = "…"
FALLBACK_NAME: Final = "GSM Gateway"

# The phrase for a send's outcome, by status.
_STATUS_PHRASES: Final = {
    "sent": "logbook_sms_sent",
    "delivered": "logbook_sms_delivered",
    "failed": "logbook_sms_failed",
    "undelivered": "logbook_sms_undelivered",
}
# The phrase for the gateway's power, by the status its device event gives.
_POWER_PHRASES: Final = {
    "power_on": "logbook_power_on",
    "power_off": "logbook_power_off",
}

type Phrase = tuple[str, dict[str, str]]
type DescribeCallback = Callable[[LazyEventPartialState], dict[str, Any]]


def shorten(text: str, limit: int) -> str:
    """The text on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    return flat[:limit] + ELLIPSIS


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _sms_received(data: Mapping[str, Any]) -> Phrase:
    return "logbook_sms_received", {
        "sender": _text(data.get("sender")),
        "text": shorten(_text(data.get("text")), SMS_TEXT_LIMIT),
    }


def _sms_status(data: Mapping[str, Any]) -> Phrase:
    status = _text(data.get("status"))
    placeholders = {"to": _text(data.get("to"))}
    if (key := _STATUS_PHRASES.get(status)) is not None:
        return key, placeholders
    return "logbook_sms_status", {**placeholders, "status": status}


def _ussd_received(data: Mapping[str, Any]) -> Phrase:
    return "logbook_ussd_received", {
        "text": shorten(_text(data.get("text")), USSD_TEXT_LIMIT)
    }


def _device_event(data: Mapping[str, Any]) -> Phrase:
    kind = _text(data.get("type"))
    details = data.get("details")
    if not isinstance(details, Mapping):
        details = {}
    if kind == "device":
        status = _text(details.get("status"))
        if (key := _POWER_PHRASES.get(status)) is not None:
            return key, {}
        return "logbook_device_status", {"status": status}
    if kind == "exception_info":
        problem = _text(details.get("type"))
        if action := _text(details.get("action")):
            return "logbook_port_exception_action", {
                "problem": problem,
                "action": action,
            }
        return "logbook_port_exception", {"problem": problem}
    return "logbook_device_event", {"kind": kind}


_PHRASES: Final[dict[str, Callable[[Mapping[str, Any]], Phrase]]] = {
    EVENT_SMS_RECEIVED: _sms_received,
    EVENT_SMS_STATUS: _sms_status,
    EVENT_USSD_RECEIVED: _ussd_received,
    EVENT_DEVICE: _device_event,
}
# The icon of a line, by event type (a failed send gets its own).
_ICONS: Final = {
    EVENT_SMS_RECEIVED: "mdi:message-text",
    EVENT_SMS_STATUS: "mdi:message-check",
    EVENT_USSD_RECEIVED: "mdi:message-reply-text",
    EVENT_DEVICE: "mdi:router-network",
}
_FAILED_SEND_ICON: Final = "mdi:message-alert"


def _render(hass: HomeAssistant, key: str, placeholders: dict[str, str]) -> str:
    """A phrase in Home Assistant's language, else in English, filled in."""
    name = f"component.{DOMAIN}.exceptions.{key}.message"
    for language in dict.fromkeys((hass.config.language, "en")):
        phrase = async_get_cached_translations(hass, language, "exceptions", DOMAIN)
        if template := phrase.get(name):
            try:
                return template.format(**placeholders)
            except (KeyError, IndexError, ValueError):
                continue
    # Translations not loaded: the facts alone.
    return ": ".join(value for value in placeholders.values() if value) or key


def _name(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    """The name of the device the event is about, else of its gateway."""
    if (device_id := data.get("device_id")) and (
        device := dr.async_get(hass).async_get(str(device_id))
    ):
        return device.name_by_user or device.name or FALLBACK_NAME
    if (entry_id := data.get("entry_id")) and (
        entry := hass.config_entries.async_get_entry(str(entry_id))
    ):
        return entry.title
    return FALLBACK_NAME


def _describer(
    hass: HomeAssistant,
    phrase: Callable[[Mapping[str, Any]], Phrase],
    icon: str,
) -> DescribeCallback:
    @callback
    def describe(event: LazyEventPartialState) -> dict[str, Any]:
        data = event.data
        key, placeholders = phrase(data)
        failed = data.get("status") in ("failed", "undelivered")
        return {
            LOGBOOK_ENTRY_NAME: _name(hass, data),
            LOGBOOK_ENTRY_MESSAGE: _render(hass, key, placeholders),
            LOGBOOK_ENTRY_ICON: _FAILED_SEND_ICON if failed else icon,
        }

    return describe


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, DescribeCallback], None],
) -> None:
    """Tell the logbook how to show the gateway's events."""
    for event_type, phrase in _PHRASES.items():
        async_describe_event(
            DOMAIN, event_type, _describer(hass, phrase, _ICONS[event_type])
        )
