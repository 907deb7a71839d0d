"""Ejoin port and slot numbers: ``1A`` / ``1.01`` labels and port lists.

Ports and slots are numbered from 1 on the wire (port 1 slot 1 is ``1.01``
or ``1A``) and from 0 in the model.  A port list is ``all`` or ``*``, or
comma-separated items: a port (``2``), a range of ports (``4-32``), or a
port with its slot in either spelling (``2B``, ``2.02``).
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import TYPE_CHECKING, Final

from .names import SLOT_LETTERS

if TYPE_CHECKING:
    from .options import SlotStyle

_ITEM_RE: Final = re.compile(r"(\d{1,3})(?:([A-Da-d])|\.(\d{1,2}))?")
_RANGE_RE: Final = re.compile(r"(\d{1,3})\s*-\s*(\d{1,3})")
_ALL: Final = frozenset({"all", "*"})


class PortListError(ValueError):
    """A port list the unit cannot read, or one naming a port or slot it lacks."""


@dataclass(frozen=True, slots=True)
class PortRef:
    """A port (0-based) and, if the item named one, its slot (0-based)."""

    port: int
    slot: int | None = None


def port_label(port: int, slot: int, style: SlotStyle) -> str:
    """The wire name of ``port`` and ``slot`` (0-based): ``1.01`` or ``1A``."""
    if style == "letter":
        return f"{port + 1}{SLOT_LETTERS[slot]}"
    return f"{port + 1}.{slot + 1:02d}"


def parse_ports(text: str, port_count: int, slot_count: int) -> list[PortRef]:
    """The ports (and slots) of a port list, in its order, each once."""
    raw = text.strip()
    if raw.lower() in _ALL:
        return [PortRef(index) for index in range(port_count)]
    refs: list[PortRef] = []
    for piece in raw.split(","):
        item = piece.strip()
        if (span := _RANGE_RE.fullmatch(item)) is not None:
            low, high = int(span[1]), int(span[2])
            if low > high:
                msg = f"empty port range {item!r}"
                raise PortListError(msg)
            refs.extend(
                PortRef(_port(number, port_count)) for number in range(low, high + 1)
            )
        elif (match := _ITEM_RE.fullmatch(item)) is not None:
            refs.append(_ref(match, port_count, slot_count))
        else:
            msg = f"bad port {item!r}"
            raise PortListError(msg)
    return list(dict.fromkeys(refs))


def parse_numbers(text: str, high: int) -> list[int]:
    """A list of plain numbers 1..``high`` (``all``, ``2``, ``1-2,4``) as 0-based indexes."""
    raw = text.strip()
    if raw.lower() in _ALL:
        return list(range(high))
    numbers: list[int] = []
    for piece in raw.split(","):
        item = piece.strip()
        span = _RANGE_RE.fullmatch(item)
        if span is not None:
            low, top = int(span[1]), int(span[2])
        elif item.isdigit():
            low = top = int(item)
        else:
            msg = f"bad number {item!r}"
            raise PortListError(msg)
        if not 1 <= low <= top <= high:
            msg = f"{item!r} is not within 1..{high}"
            raise PortListError(msg)
        numbers.extend(range(low - 1, top))
    return sorted(set(numbers))


def _port(number: int, port_count: int) -> int:
    if not 1 <= number <= port_count:
        msg = f"no port {number} (the unit has {port_count})"
        raise PortListError(msg)
    return number - 1


def _ref(match: re.Match[str], port_count: int, slot_count: int) -> PortRef:
    port = _port(int(match[1]), port_count)
    letter, digits = match[2], match[3]
    if letter is None and digits is None:
        return PortRef(port)
    slot = SLOT_LETTERS.index(letter.upper()) if letter else int(digits) - 1
    if not 0 <= slot < slot_count:
        msg = f"no slot {match[0]!r} (the unit has {slot_count} per port)"
        raise PortListError(msg)
    return PortRef(port, slot)
