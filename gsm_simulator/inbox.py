"""The gateway's inbox: received messages with increasing ids and a read flag.

Ids start at 1 and keep counting when messages are deleted (as on the units);
only :meth:`Inbox.clear` with ``reset_ids`` starts them again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import InboxFilter, IncomingSms

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime


class Inbox:
    """Stored incoming messages, oldest first."""

    def __init__(self) -> None:
        """Start empty, the next id being 1."""
        self.messages: list[IncomingSms] = []
        self._next_id = 1

    def store(
        self, port: int, number: str, smsc: str, text: str, timestamp: datetime
    ) -> IncomingSms:
        """Keep a message received on ``port`` under the next id."""
        sms = IncomingSms(
            sms_id=self._next_id,
            port=port,
            number=number,
            smsc=smsc,
            timestamp=timestamp,
            text=text,
        )
        self._next_id += 1
        self.messages.append(sms)
        return sms

    def read(
        self,
        *,
        after_id: int = 0,
        which: InboxFilter | str = InboxFilter.UNREAD,
        ports: Iterable[int] | None = None,
        mark_read: bool = False,
    ) -> list[IncomingSms]:
        """Messages with an id above ``after_id`` (on ``ports``), optionally marked read."""
        wanted = InboxFilter(which)
        port_set = None if ports is None else set(ports)
        picked = [
            sms
            for sms in self.messages
            if sms.sms_id > after_id
            and (port_set is None or sms.port in port_set)
            and (wanted is InboxFilter.ALL or sms.read == (wanted is InboxFilter.READ))
        ]
        if mark_read:
            for sms in picked:
                sms.read = True
        return picked

    def counts(self) -> tuple[int, int]:
        """How many stored messages are (read, unread)."""
        read = sum(sms.read for sms in self.messages)
        return read, len(self.messages) - read

    def delete(self, sms_ids: Iterable[int]) -> int:
        """Delete the messages with these ids; how many were stored."""
        doomed = set(sms_ids)
        kept = [sms for sms in self.messages if sms.sms_id not in doomed]
        deleted = len(self.messages) - len(kept)
        self.messages[:] = kept
        return deleted

    def clear(self, *, reset_ids: bool = False) -> None:
        """Delete every stored message; ``reset_ids`` restarts the ids at 1."""
        self.messages.clear()
        if reset_ids:
            self._next_id = 1
