"""What the push tests share: the events a push can fire, and capturing them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from homeassistant.core import Event, HomeAssistant
from pytest_homeassistant_custom_component.common import async_capture_events

from custom_components.gsm_gateway.const import (
    EVENT_CALL,
    EVENT_DEVICE,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
    EVENT_USSD_RECEIVED,
)

ALL_EVENTS = (
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
    EVENT_USSD_RECEIVED,
    EVENT_CALL,
    EVENT_DEVICE,
)

# POST a body (bytes, text, or a dict sent as JSON) to the entry's webhook.
type Poster = Callable[[bytes | str | dict[str, Any]], Awaitable[int]]


def capture_all(hass: HomeAssistant) -> dict[str, list[Event]]:
    """Every event a push can fire, captured by name."""
    return {name: async_capture_events(hass, name) for name in ALL_EVENTS}
