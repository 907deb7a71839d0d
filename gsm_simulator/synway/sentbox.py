"""The Synway outbox (``querysxsms``): the messages the unit has sent.

A message enters it once the network took it (sent; a failed one does
not), with the slot and SIM number its port used then, the time it was
sent and its source: 2 (API) for a ``txsms`` task of this dialect, 0 (web
page) for anything else the unit sent.  It stays until ``deletesms`` with
``smsbox`` ``s`` deletes it; reboots keep it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from datetime import datetime


@dataclass(frozen=True, slots=True, eq=False)
class SentSms:
    """One sent message, as the outbox shows it."""

    time: datetime
    port: int
    slot: int
    sim_number: str
    number: str
    source: int
    text: str


class SentBox:
    """The sent messages, oldest first."""

    def __init__(self) -> None:
        """Start empty."""
        self.messages: list[SentSms] = []

    def add(self, message: SentSms) -> None:
        """Keep a message the unit has just sent."""
        self.messages.append(message)

    def find(self, wanted: Callable[[SentSms], bool]) -> list[SentSms]:
        """The messages ``wanted`` accepts, by time (ties: in the order sent)."""
        return sorted(
            (message for message in self.messages if wanted(message)),
            key=lambda message: message.time,
        )

    def delete(self, doomed: Iterable[SentSms]) -> int:
        """Delete these messages; how many there were."""
        ids = {id(message) for message in doomed}
        kept = [message for message in self.messages if id(message) not in ids]
        deleted = len(self.messages) - len(kept)
        self.messages[:] = kept
        return deleted
