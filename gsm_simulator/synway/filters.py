"""Which messages a query or deletion names: ports (and slots), numbers, a time window.

Every filter is optional; the time bounds are inclusive, to the second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from gsm_simulator.messaging import in_window

from .numbering import covered

if TYPE_CHECKING:
    from datetime import datetime

    from .numbering import PortRef


@dataclass(frozen=True, slots=True)
class MessageFilter:
    """The messages of ``ports`` with ``numbers`` between ``after`` and ``before``."""

    ports: tuple[PortRef, ...] | None = None
    numbers: frozenset[str] | None = None
    after: datetime | None = None
    before: datetime | None = None

    def accepts(self, port: int, slot: int, number: str, moment: datetime) -> bool:
        """Whether a message of ``port``/``slot`` with ``number`` at ``moment`` is named."""
        return (
            covered(self.ports, port, slot)
            and (self.numbers is None or number in self.numbers)
            and in_window(moment, self.after, self.before)
        )


EVERYTHING = MessageFilter()
"""The filter naming every message."""
