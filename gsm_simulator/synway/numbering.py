"""Synway port numbers and port lists: ``1,2,3``, ``-1`` (every port), ``1.A,2.B``.

Ports are numbered from the ``first_port`` option (0 or 1) on the wire and
from 0 in the model; a port's SIM slots are the letters A..D (model slots
0..3).  A list item naming a port the unit lacks (or, where slots are
allowed, a slot it lacks) makes the whole list invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import TYPE_CHECKING, Final

from .names import ALL, SLOT_LETTERS, Reason
from .parsing import ApiError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

_ITEM_RE: Final = re.compile(r"(\d{1,3})(?:\.([A-Da-d]))?")


@dataclass(frozen=True, slots=True)
class PortRef:
    """A port (0-based) and, if the item named one, its slot (0-based)."""

    port: int
    slot: int | None = None

    def covers(self, port: int, slot: int) -> bool:
        """Whether a message of ``port`` and ``slot`` is one this item names."""
        return self.port == port and (self.slot is None or self.slot == slot)


def is_all(items: list[str] | None) -> bool:
    """Whether a list is the single item ``-1`` (every port)."""
    return items == [ALL]


def parse_ports(
    items: Iterable[str],
    index_of: Callable[[int], int | None],
    slot_count: int,
    *,
    slots: bool = False,
) -> list[PortRef]:
    """The ports of a list, in its order, each once.

    ``index_of`` maps a wire number to the model's index (``None``: no such
    port); with ``slots`` an item may name a slot (``1.A``).
    """
    refs: list[PortRef] = []
    for item in items:
        match = _ITEM_RE.fullmatch(item)
        if match is None or (match[2] is not None and not slots):
            raise ApiError(Reason.BAD_PORT)
        index = index_of(int(match[1]))
        if index is None:
            raise ApiError(Reason.BAD_PORT)
        slot = None if match[2] is None else SLOT_LETTERS.index(match[2].upper())
        if slot is not None and slot >= slot_count:
            raise ApiError(Reason.BAD_PORT)
        refs.append(PortRef(index, slot))
    return list(dict.fromkeys(refs))


def covered(refs: Iterable[PortRef] | None, port: int, slot: int) -> bool:
    """Whether ``port`` and ``slot`` are named by ``refs`` (``None``: every port)."""
    return refs is None or any(ref.covers(port, slot) for ref in refs)
