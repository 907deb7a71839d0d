"""Dinstar's wire format: names, codes, bounds, and turning its values into ours."""

from __future__ import annotations

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
