"""Dinstar's wire format: names, codes, bounds, and turning its values into ours."""

from __future__ import annotations

import math
from typing import Any

from ..models import (
    CallForwardMode,
    CallState,
    NetworkType,
    Registration,
    SmsState,
    UssdStatus,
)

INFO_TYPES = (
    "type",
    "imei",
    "imsi",
    "iccid",
    "smsc",
    "number",
    "reg",
    "slot",
    "callstate",
    "signal",
    "gprs",
    "remain_credit",
    "remain_monthly_credit",
    "remain_daily_credit",
    "remain_daily_calltime",
    "remain_hourly_calltime",
    "remain_daily_connect",
)

SINGLE_SIM_SLOT = 255

REGISTRATION = {
    "REGISTER_OK": Registration.REGISTERED,
    "SEARCHING_NETWORK": Registration.SEARCHING,
    "UNREGISTER": Registration.NOT_REGISTERED,
    "REGISTER_DENIED": Registration.DENIED,
    "DENIED": Registration.DENIED,
    "NO_SIM": Registration.NO_SIM,
    "PIN_REQUIRE": Registration.PIN_REQUIRED,
    "PIN_REQUIRED": Registration.PIN_REQUIRED,
    "PUK_REQUIRE": Registration.PUK_REQUIRED,
    "PUK_REQUIRED": Registration.PUK_REQUIRED,
    "POWER_OFF": Registration.POWER_OFF,
}

CALL_STATE = {
    "idle": CallState.IDLE,
    "processing": CallState.DIALING,
    "ringing": CallState.RINGING,
    "active": CallState.ACTIVE,
    "alerting": CallState.ALERTING,
    "call waiting": CallState.CALL_WAITING,
    "call holding": CallState.ON_HOLD,
}

NETWORK_TYPE = {
    "GSM": NetworkType.GSM,
    "CDMA": NetworkType.CDMA,
    "WCDMA": NetworkType.WCDMA,
    "LTE": NetworkType.LTE,
}

# Our name -> the spellings seen on devices, newest first.
CREDIT_KEYS: dict[str, tuple[str, ...]] = {
    "remaining_credit": ("remain_credit",),
    "remaining_monthly_credit": ("remain_monthly_credit",),
    "remaining_daily_credit": ("remain_daily_credit",),
    "remaining_daily_call_time": ("remain_daily_call_time", "remain_daily_calltime"),
    "remaining_hourly_call_time": ("remain_hourly_call_time", "remain_hourly_calltime"),
    "remaining_daily_connections": ("remain_daily_connected", "remain_daily_connect"),
}

_EMPTY = {"", "><null>", "null", "none"}
_EMPTY_LONGEST = max(map(len, _EMPTY))
GPRS = {"attached": True, "detached": False}

CALL_FORWARD = {
    CallForwardMode.UNCONDITIONAL: "Unconditional",
    CallForwardMode.NO_REPLY: "NoReply",
    CallForwardMode.BUSY: "Busy",
    CallForwardMode.NOT_REACHABLE: "Not_Reachable",
    CallForwardMode.CANCEL_ALL: "CancelAll",
}
CALL_FORWARD_BY_WIRE = {wire.lower(): mode for mode, wire in CALL_FORWARD.items()}

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
STK_TEXT_LIMIT = 512

SMS_RESULT = {
    "SENDING": SmsState.SENDING,
    "SENT_OK": SmsState.SENT,
    "FAILED": SmsState.FAILED,
    "DELIVERED": SmsState.DELIVERED,
}
USSD_STATUS = {
    200: UssdStatus.SENT,
    486: UssdStatus.BUSY,
    503: UssdStatus.NOT_REGISTERED,
}

# Bounds on what a push may carry.
MAX_PORT = 31
MAX_SERIAL = 64
MAX_NUMBER = 32
MAX_TEXT = 5000
MAX_PUSH_ITEMS = 1000
MAX_DETAIL_KEYS = 24
MAX_DETAIL = 128


def first_of(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The value of the first of `keys` the entry has (spellings drift)."""
    for key in keys:
        if key in item:
            return item[key]
    return None


# The converters below run for every field of every port on every poll, so
# they test exact types (all JSON gives) rather than isinstance: about three
# times faster, and a bool (a subclass of int) falls out as "not a number".


_INT_FLOAT_LIMIT = 10**300


def to_str(value: Any, limit: int = 64) -> str | None:
    """Text, trimmed and cut to `limit`; None for the device's empty markers."""
    kind = type(value)
    if kind is not str:
        return str(value)[:limit] if kind is int or kind is float else None
    text: str = value.strip()
    if len(text) <= _EMPTY_LONGEST and text.lower() in _EMPTY:
        return None
    return text[:limit]


def to_float(value: Any) -> float | None:
    """A number from a JSON number or numeric text; None otherwise."""
    kind = type(value)
    if kind is float:
        return float(value)
    if kind is int:
        # An integer beyond a float's range is no reading of ours.
        return float(value) if -_INT_FLOAT_LIMIT < value < _INT_FLOAT_LIMIT else None
    if kind is str:
        try:
            return float(value)  # float() ignores surrounding whitespace
        except ValueError:
            return None
    return None


def to_int(value: Any) -> int | None:
    """A whole number from a JSON number or numeric text; None otherwise."""
    number = to_float(value)
    if number is None or not math.isfinite(number):
        return None
    return int(number)
