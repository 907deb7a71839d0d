"""Dinstar wire names and limits: what the model's states and records are called.

The maps turn the vendor-neutral enums into the strings and codes of the
Dinstar API; the orders and info types follow the spec's ``get_port_info``.
"""

from __future__ import annotations

from typing import Final

from gsm_simulator.messaging import Encoding
from gsm_simulator.model import CallState, ForwardMode, InboxFilter, RegState
from gsm_simulator.records import CallDirection, SmsStatus
from gsm_simulator.stk import StkAction
from gsm_simulator.ussd import UssdStatus

SINGLE_SIM_SLOT: Final = 255
TIME_FORMAT: Final = "%Y-%m-%d %H:%M:%S"
MAX_SMS_NUMBERS: Final = 128
MAX_SMS_TEXT_BYTES: Final = 1500
MAX_QUERY_NUMBERS: Final = 32
MAX_NUMBER_BYTES: Final = 24
NULL_FIELD: Final = "<NULL>"
"""What register pushes say for an ICCID or IMSI that cannot be read."""

REG_NAMES: Final[dict[RegState, str]] = {
    RegState.REGISTERED: "REGISTER_OK",
    RegState.SEARCHING: "SEARCHING_NETWORK",
    RegState.NOT_REGISTERED: "UNREGISTER",
    RegState.DENIED: "UNREGISTER",
    RegState.NO_SIM: "NO_SIM",
    RegState.PIN_REQUIRED: "PIN_REQUIRE",
    RegState.PUK_REQUIRED: "PUK_REQUIRE",
    RegState.POWER_OFF: "POWER_OFF",
    RegState.UNKNOWN: "UNKNOWN",
}

CALL_NAMES: Final[dict[CallState, str]] = {
    CallState.IDLE: "Idle",
    CallState.PROCESSING: "Processing",
    CallState.RINGING: "Ringing",
    CallState.ACTIVE: "Active",
    CallState.ALERTING: "Alerting",
    CallState.WAITING: "Call Waiting",
    CallState.HOLDING: "Call holding",
    CallState.UNKNOWN: "Unknown",
}

SMS_STATUS_NAMES: Final[dict[SmsStatus, str]] = {
    SmsStatus.SENDING: "SENDING",
    SmsStatus.SENT: "SENT_OK",
    SmsStatus.FAILED: "FAILED",
    SmsStatus.DELIVERED: "DELIVERED",
}

DIRECTION_NAMES: Final[dict[CallDirection, str]] = {
    CallDirection.INCOMING: "gsm->ip",
    CallDirection.OUTGOING: "ip->gsm",
    CallDirection.CALLBACK: "callback",
}

USSD_STATUS_CODES: Final[dict[UssdStatus, int]] = {
    UssdStatus.SENT: 200,
    UssdStatus.BUSY: 486,
    UssdStatus.NOT_REGISTERED: 503,
}

ENCODINGS: Final[dict[str, Encoding]] = {
    "unicode": Encoding.UCS2,
    "gsm-7bit": Encoding.GSM7,
}

FLAGS: Final[dict[str, InboxFilter]] = {flag.value: flag for flag in InboxFilter}

FORWARD_MODES: Final[dict[str, ForwardMode | None]] = {
    **{mode.value.lower(): mode for mode in ForwardMode},
    "cancelall": None,
}

STK_ACTIONS: Final[dict[str, StkAction]] = {
    "ok": StkAction.OK,
    "cancel": StkAction.CANCEL,
    "candle": StkAction.CANCEL,  # the v1.0 spec's spelling
    "home": StkAction.HOME,
}

PUSH_TYPES: Final = (
    "sms",
    "sms_result",
    "sms_deliver_status",
    "ussd",
    "register",
    "cdr",
    "missed_call",
    "device",
    "exception_info",
)

# Answer keys in the order the spec's example lists them.
FIELD_ORDER: Final = (
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
    "remain_daily_call_time",
    "remain_hourly_call_time",
    "remain_daily_connected",
)
CALL_FORWARD_KEY: Final = "CallForwarding"
ANSWER_ORDER: Final = (*FIELD_ORDER, CALL_FORWARD_KEY)

# Request info_type names -> answer keys.  The documented request names and
# the spelling of the example answer are both accepted.
INFO_TYPES: Final[dict[str, str]] = {
    **{name: name for name in FIELD_ORDER},
    "remain_daily_calltime": "remain_daily_call_time",
    "remain_hourly_calltime": "remain_hourly_call_time",
    "remain_daily_connect": "remain_daily_connected",
    "callforward": CALL_FORWARD_KEY,
}
