"""The Synway USSD store (``rxussd``): one entry per port and request.

Every ``txussd`` leaves an entry on each port it named, with the port's
next order number (from 0, never reused), the time, the code and whether
the port sent it (1) or refused it (0: not registered, no SIM, module off,
busy).  The network's answer fills the entry of that port awaiting an
answer to that code; a message the network sends unasked is an entry of
its own with an empty code.  Entries stay until ``deleteussd`` (a reboot
keeps them; an answer due when the unit went down never comes).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Collection
    from datetime import datetime


@dataclass(slots=True, eq=False)
class UssdEntry:
    """One request (or unasked message) of one port."""

    port: int
    order: int
    time: datetime
    code: str
    sent: bool
    answer: str | None = None
    """The network's answer; ``None`` while there is none."""


class UssdLog:
    """The stored entries, oldest first."""

    def __init__(self) -> None:
        """Start empty; every port's first order number is 0."""
        self.entries: list[UssdEntry] = []
        self._next_order: dict[int, int] = {}

    def add(self, port: int, code: str, time: datetime, *, sent: bool) -> UssdEntry:
        """Store an entry of ``port`` under its next order number."""
        order = self._next_order.get(port, 0)
        self._next_order[port] = order + 1
        entry = UssdEntry(port=port, order=order, time=time, code=code, sent=sent)
        self.entries.append(entry)
        return entry

    def answer(self, port: int, code: str, text: str, time: datetime) -> None:
        """The network answered ``code`` on ``port`` (``""``: a message unasked)."""
        if not code:
            self.add(port, "", time, sent=True).answer = text
            return
        for entry in reversed(self.entries):
            if (
                entry.port == port
                and entry.sent
                and entry.answer is None
                and entry.code == code
            ):
                entry.answer = text
                return

    def find(self, wanted: Callable[[UssdEntry], bool]) -> list[UssdEntry]:
        """The entries ``wanted`` accepts, oldest first."""
        return [entry for entry in self.entries if wanted(entry)]

    def delete(
        self, ports: Collection[int] | None, orders: Collection[int] | None
    ) -> int:
        """Delete the entries of ``ports`` with ``orders`` (``None``: all); how many."""
        kept = [
            entry
            for entry in self.entries
            if not (
                (ports is None or entry.port in ports)
                and (orders is None or entry.order in orders)
            )
        ]
        deleted = len(self.entries) - len(kept)
        self.entries[:] = kept
        return deleted
