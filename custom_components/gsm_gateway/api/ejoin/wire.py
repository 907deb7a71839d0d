"""Ejoin's wire format: how ports and slots are written, and what the codes mean."""

from __future__ import annotations

import re
from typing import Any

from ..models import Registration
from ..values import to_int

# "2B", "2.02", "2": a port, and perhaps a slot (A..D or .01...04).
_PORT_SLOT = re.compile(r"^\s*(\d{1,3})(?:([A-Da-d])|\.(\d{1,2}))?\s*$")
SLOT_LETTERS = "ABCD"
MAX_PORT = 64
MAX_SLOT = 4

# `st` of a port: the status code, perhaps followed by text ("3 OK").
REGISTRATION = {
    0: Registration.NO_SIM,
    2: Registration.SEARCHING,
    3: Registration.REGISTERED,
    6: Registration.DENIED,
    7: Registration.LOCKED,
    8: Registration.LOCKED,
    12: Registration.LOCKED,
}

# Answers whose `code` means success (endpoints differ: 0 on some, 200 on others).
OK_CODES = (0, 200)
INVALID_USER = 1
# Task status codes (`"13 Duplicated TaskId"`).
TASK_OK = 0
TASK_DUPLICATED = 13

# Bounds on what a push may carry.
MAX_TEXT = 5000
MAX_NUMBER = 32
MAX_ROWS = 1000


def parse_port_slot(value: Any) -> tuple[int, int | None] | None:
    """Port and slot from `"2B"`, `"2.02"` or `"2"`; None when it is neither."""
    text = (
        value if isinstance(value, str) else str(value) if type(value) is int else None
    )
    if text is None or not (match := _PORT_SLOT.match(text)):
        return None
    port = int(match.group(1))
    letter, dotted = match.group(2), match.group(3)
    slot = (
        SLOT_LETTERS.index(letter.upper()) + 1
        if letter
        else int(dotted)
        if dotted
        else None
    )
    if not 1 <= port <= MAX_PORT or (slot is not None and not 1 <= slot <= MAX_SLOT):
        return None
    return port, slot


def port_slot(port: int, slot: int | None = None) -> str:
    """A port (and slot) written the device's way: `"2"` or `"2.02"`."""
    return str(port) if slot is None else f"{port}.{slot:02d}"


def status_code(value: Any) -> int | None:
    """The number of a status written as `3`, `"3"` or `"3 OK"`."""
    if type(value) is str:
        head = value.strip().split(" ", 1)[0]
        return to_int(head) if head.isdigit() else None
    return to_int(value)


def registration(value: Any) -> Registration:
    """The registration a port's `st` stands for; unknown codes are unknown."""
    code = status_code(value)
    return (
        REGISTRATION.get(code, Registration.UNKNOWN)
        if code is not None
        else (Registration.UNKNOWN)
    )
