"""Ejoin wire names, codes and defaults (the "Skyline" HTTP API spec)."""

from __future__ import annotations

from enum import IntEnum
from typing import Final

PUSH_TYPES: Final = ("dev-status", "port-status", "recv-sms", "status-report")
"""The pushes: device and port status, received SMS, send status reports."""
CONTENT_TYPE: Final = "application/json;charset=utf-8"
"""Content-Type of the answers and pushes, as the spec asks."""
MAC_PREFIX: Final = "00-30-f1"
"""The vendor prefix of the units' MAC addresses (``00-30-f1-xx-xx-xx``)."""
FIRMWARE: Final = "532-604-924-041-100-000"
"""The ``ver`` of the spec's example."""
SLOT_LETTERS: Final = "ABCD"
"""Slot 1..4 written as a letter after the port (``1A``)."""

DEFAULT_PERIOD: Final = 60.0
"""``period`` of ``goip_get_status`` when a URL comes without one."""
MIN_PERIOD: Final = 60.0
"""The shortest status period the unit accepts (shorter ones are raised to it)."""
DEFAULT_EXPIRES: Final = 180
"""``expires`` of ``dev-status`` while no period is registered."""
SR_CNT: Final = 100
"""Send results a request's report cache holds before it is pushed."""
SR_PRD: Final = 30.0
"""Seconds a request's report cache is held at most."""
TASK_SR_CNT: Final = 10
"""Results of one task that make its request's cache be pushed."""
TASK_SR_PRD: Final = 60.0
"""Seconds one task's results are held at most (0: no limit of its own)."""
SMS_CNT: Final = 1
"""Received messages cached before the ``recv-sms`` push (1: each at once)."""
SMS_PRD: Final = 30.0
"""Seconds received messages are cached at most."""
TASK_PAGE: Final = 10
"""Tasks ``goip_get_tasks`` returns unless ``num`` says otherwise."""
TASK_LIMIT: Final = 128
"""Unfinished tasks the unit keeps; more are refused with code 16."""
USSD_TIMEOUT: Final = 20.0
"""Seconds ``goip_send_ussd`` waits for the network's answer."""
REBOOT_DOWNTIME: Final = 5.0
"""Seconds the unit is down after the ``reboot`` command."""
SIGNAL_THRESHOLD: Final = 5
"""CSQ steps the signal must move for a ``port-status`` push (0: never)."""
SEND_FAILED: Final = "21 Send Failed"
"""Progress reason of a message the network refused (``fdr`` item 4)."""
NETWORK_FAILURE: Final = "38 Network out of order"
"""Carrier reason of a message the network refused (``fdr`` item 5)."""


class Code(IntEnum):
    """The status codes of the spec's tables (task status, command answers)."""

    OK = 0
    INVALID_USER = 1
    INVALID_PORT = 2
    USSD_EXPECTED = 3
    PENDING_USSD = 4
    SIM_UNREGISTERED = 5
    TIMEOUT = 6
    SERVER_ERROR = 7
    SMS_EXPECTED = 8
    TO_EXPECTED = 9
    PENDING_TRANSACTION = 10
    TID_EXPECTED = 11
    FROM_EXPECTED = 12
    DUPLICATED_TASK_ID = 13
    UNAUTHORIZED = 14
    INVALID_CMD = 15
    TOO_MANY_TASK = 16


REASONS: Final[dict[Code, str]] = {
    Code.OK: "OK",
    Code.INVALID_USER: "Invalid User",
    Code.INVALID_PORT: "Invalid Port",
    Code.USSD_EXPECTED: "USSD Expected",
    Code.PENDING_USSD: "Pending USSD",
    Code.SIM_UNREGISTERED: "SIM Unregistered",
    Code.TIMEOUT: "Timeout",
    Code.SERVER_ERROR: "Server Error",
    Code.SMS_EXPECTED: "SMS expected",
    Code.TO_EXPECTED: "TO expected",
    Code.PENDING_TRANSACTION: "Pending Transaction",
    Code.TID_EXPECTED: "TID Expected",
    Code.FROM_EXPECTED: "FROM Expected",
    Code.DUPLICATED_TASK_ID: "Duplicated TaskId",
    Code.UNAUTHORIZED: "Unauthorized",
    Code.INVALID_CMD: "Invalid CMD",
    Code.TOO_MANY_TASK: "Too Many Task",
}


def code_text(code: Code) -> str:
    """``"13 Duplicated TaskId"``: a task status as the answers write it."""
    return f"{int(code)} {REASONS[code]}"


class PortState(IntEnum):
    """The ``st`` codes of a port's SIM (spec 3.1.4)."""

    NO_SIM = 0
    IDLE = 1
    REGISTERING = 2
    REGISTERED = 3
    NO_BALANCE = 5
    REGISTER_FAILED = 6
    LOCKED_BY_DEVICE = 7
    LOCKED_BY_OPERATOR = 8
    SIM_ERROR = 9
    CARD_DETECTED = 11
    USER_LOCKED = 12


STATE_TEXT: Final[dict[PortState, str]] = {
    PortState.NO_SIM: "No SIM",
    PortState.IDLE: "Idle SIM",
    PortState.REGISTERING: "Registering",
    PortState.REGISTERED: "OK",
    PortState.NO_BALANCE: "No Balance",
    PortState.REGISTER_FAILED: "Register Failed",
    PortState.LOCKED_BY_DEVICE: "Locked by Device",
    PortState.LOCKED_BY_OPERATOR: "Locked by Operator",
    PortState.SIM_ERROR: "SIM Error",
    PortState.CARD_DETECTED: "Card Detected",
    PortState.USER_LOCKED: "User Locked",
}


def state_text(state: PortState) -> str:
    """``"3 OK"``: a port state as ``port-status`` (and some firmware) writes it."""
    return f"{int(state)} {STATE_TEXT[state]}"
