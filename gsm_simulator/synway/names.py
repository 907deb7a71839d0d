"""Synway SMG wire names, codes, limits and the short error reasons of the answers."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Final

QUERY_PATH: Final = "/API/QueryInfo"
"""The endpoint of the queries (port state, messages, results)."""
TASK_PATH: Final = "/API/TaskHandle"
"""The endpoint of the tasks (sending, deleting)."""
REALM: Final = "Synway SMG"
"""Realm of the Basic challenge of the API account."""

RESULT_OK: Final = "ok"
RESULT_ERROR: Final = "error"
SLOT_LETTERS: Final = "ABCD"
"""Slots 0..3 of a port, as the unit writes them (``1(A)``, ``1.A``)."""
SINGLE_SLOT: Final = "-1"
"""The slot of a port that holds one SIM only, and an unknown SIM number."""
ALL: Final = "-1"
"""A ``port`` (or ``num`` of ``deleteussd``) meaning every one."""
REPORT_OK: Final = "OK"
"""``querytxsmsrpt``'s content when the receipt says delivered."""

MAX_NUMBERS: Final = 50
"""Destination numbers one ``txsms`` may carry."""
MAX_GSM7: Final = 600
"""Longest 7-bit ``smsinfo``, in septets (an extension character takes two)."""
MAX_UCS2: Final = 300
"""Longest UCS-2 ``smsinfo``, in UTF-16 code units."""
MAX_USSD: Final = 255
"""Longest ``ussd`` of ``txussd``, in characters."""
SEND_TIMEOUT: Final = 60.0
"""Seconds a destination waits for a port able to send before it times out."""
TIME_FORMAT: Final = "%Y%m%d%H%M%S"
"""Time stamps on the wire: ``YYYYMMDDhhmmss`` in the unit's clock."""


class Event(StrEnum):
    """The ``event`` values the unit knows."""

    GET_PORT_INFO = "getportinfo"
    GET_PORT_CONNECT_STATE = "getportconnectstate"
    GET_WIRELESS_INFO = "getwirelessinfo"
    QUERY_TX_SMS = "querytxsms"
    QUERY_RX_SMS = "queryrxsms"
    QUERY_SX_SMS = "querysxsms"
    QUERY_TX_SMS_RPT = "querytxsmsrpt"
    RX_USSD = "rxussd"
    TX_SMS = "txsms"
    DELETE_SMS = "deletesms"
    TX_USSD = "txussd"
    DELETE_USSD = "deleteussd"


class PortState(IntEnum):
    """Call state of a port (``getportinfo``'s ``portstate``)."""

    IDLE = 0
    OFF_HOOK = 1
    RINGING = 2
    TALKING = 3
    DIALING = 4
    PENDING = 7
    RINGBACK = 9
    INTERIOR = 10
    UNAVAILABLE = 11


class ConnectState(IntEnum):
    """A port's connection to the base station (``getportconnectstate``)."""

    UNCONNECTED = 0
    CONNECTED = 1
    CONNECTING = 2
    REJECTED = 3
    UNKNOWN = 4
    ROAMING = 5


class SendState(IntEnum):
    """Where one destination of a ``txsms`` task stands (``querytxsms``)."""

    NONE = 0
    WAIT = 1
    SENDING = 2
    SUCCESS = 3
    FAILED = 4
    TIMEOUT = 5


class Source(IntEnum):
    """Who made a message of the outbox (``querysxsms``)."""

    WEB = 0
    EMAIL = 1
    API = 2
    SYSTEM = 3


class WirelessType(StrEnum):
    """The ``type`` of ``getwirelessinfo`` (matched without regard to case)."""

    PORT_TYPE = "porttype"
    ICCID = "iccid"
    IMEI = "imei"
    IMSI = "imsi"
    PHONE_NO = "phoneno"


class Reason(StrEnum):
    """The ``content`` of an ``error`` answer."""

    BAD_JSON = "invalid json"
    NO_EVENT = "no event"
    UNKNOWN_EVENT = "unknown event"
    WRONG_INTERFACE = "wrong interface"
    BAD_VALUE = "invalid parameter"
    BAD_PORT = "invalid port"
    BAD_NUMBER = "invalid num"
    TOO_MANY_NUMBERS = "too many numbers"
    BAD_ENCODING = "invalid encoding"
    NO_TEXT = "no smsinfo"
    TEXT_TOO_LONG = "smsinfo too long"
    BAD_TYPE = "invalid type"
    BAD_TIME = "invalid time"
    BAD_TASK_ID = "invalid taskid"
    NO_TASK = "no such task"
    BAD_BOX = "invalid smsbox"
    BAD_CLEAR = "invalid clear"
    NO_USSD = "no ussd"
    USSD_TOO_LONG = "ussd too long"
    NO_SMS = "no sms"
    NO_REPORT = "no report"
    UNDELIVERED = "undelivered"
