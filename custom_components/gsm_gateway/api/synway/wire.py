"""Synway SMG's wire format: endpoints, codes, and how slots and times are written."""

from __future__ import annotations

from datetime import datetime

from ..models import CallState, NetworkType, Registration, SmsState

QUERY = "/API/QueryInfo"
TASK = "/API/TaskHandle"

# `portstate` of `getportinfo`. 1 (off-hook), 7 (pending) and 10 (interior)
# have no vendor-neutral name: they are `unknown` with the raw code kept.
CALL_STATES = {
    0: CallState.IDLE,
    2: CallState.RINGING,
    3: CallState.ACTIVE,
    4: CallState.DIALING,
    5: CallState.DIALING,
    6: CallState.DIALING,
    9: CallState.ALERTING,
    11: CallState.OUT_OF_SERVICE,
}

# `ConnectState` of `getportconnectstate`.
REGISTRATIONS = {
    0: Registration.NOT_REGISTERED,
    1: Registration.REGISTERED,
    2: Registration.SEARCHING,
    3: Registration.DENIED,
    4: Registration.UNKNOWN,
    5: Registration.ROAMING,
}

# `porttype` of `getwirelessinfo`, upper-cased.
NETWORK_TYPES = {
    "GSM": NetworkType.GSM,
    "2G": NetworkType.GSM,
    "CDMA": NetworkType.CDMA,
    "WCDMA": NetworkType.WCDMA,
    "UMTS": NetworkType.WCDMA,
    "3G": NetworkType.WCDMA,
    "LTE": NetworkType.LTE,
    "4G": NetworkType.LTE,
}

# Sending states of `querytxsms`: 0 none, 1 waiting, 2 sending, 3 sent,
# 4 failed, 5 timed out (no usable port).
SEND_STATES = {
    1: SmsState.SENDING,
    2: SmsState.SENDING,
    3: SmsState.SENT,
    4: SmsState.FAILED,
    5: SmsState.FAILED,
}

# `encoding` of `txsms`.
ENCODING_GSM7 = "0"
ENCODING_UCS2 = "8"
# What one `txsms` may carry.
MAX_NUMBERS_PER_TASK = 50
MAX_GSM7_CHARS = 600
MAX_UCS2_CHARS = 300
MAX_USSD_CHARS = 255

# The wireless information types `getwirelessinfo` answers.
WIRELESS_TYPES = ("porttype", "IMEI", "ICCID", "IMSI", "PhoneNo")

SLOT_LETTERS = "ABCD"
# "-1" stands for "none" in slots, SIM numbers and port lists.
NONE = "-1"

TIME_FORMAT = "%Y%m%d%H%M%S"


def slot_number(letter: str) -> int | None:
    """Slot `A`..`D` is 1..4; `-1` (a single-SIM port) is None."""
    if letter == NONE:
        return None
    index = SLOT_LETTERS.find(letter.upper())
    if index < 0 or len(letter) != 1:
        raise ValueError(f"no SIM slot {letter!r}")
    return index + 1


def slot_letter(slot: int | None) -> str:
    """How a slot is written (`-1` for a single-SIM port)."""
    return NONE if slot is None else SLOT_LETTERS[slot - 1]


def parse_time(value: str) -> datetime:
    """`YYYYMMDDhhmmss`, in the gateway's own clock (no zone)."""
    if len(value) != 14 or not value.isdigit():
        raise ValueError(f"not a time stamp: {value[:20]!r}")
    return datetime.strptime(value, TIME_FORMAT)


def format_time(moment: datetime) -> str:
    """A time as the gateway's requests write it."""
    return moment.strftime(TIME_FORMAT)
