"""Synway mailboxes: ``queryrxsms`` (inbox), ``querysxsms`` (outbox), ``deletesms``.

Queries take ``port`` (``1,2``; ``1.A`` for one slot), ``num`` (the sender,
or the destination of a sent message), ``begintime`` and ``endtime``
(``YYYYMMDDhhmmss``, both inclusive); every filter is optional.  Inbox rows
are ``TIME:PORT(SLOT)(SIMNUMBER):SENDER:TEXT|E`` (with the ``inbox_scts``
option ``...:SENDER:SCTS|:TEXT|E``), outbox rows
``TIME:PORT(SLOT)(SIMNUMBER):DEST:SOURCE:TEXT:|E``, after ``total:N``.
``queryrxsms`` with ``delete`` 1 deletes the messages it returns.

``deletesms`` deletes from the boxes of ``smsbox`` (``r`` inbox, ``s``
outbox, ``r,s`` both) the messages matching ``port``, ``phonenum``,
``begintime`` and ``endtime`` (``clear`` 1) or all of them (``clear`` 2),
and answers ``total:<deleted>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from .base import SynwayBase
from .filters import EVERYTHING
from .names import Reason
from .parsing import ApiError
from .render import counted, inbox_row, outbox_row, total

if TYPE_CHECKING:
    from gsm_simulator.model import IncomingSms

    from .filters import MessageFilter
    from .parsing import Fields
    from .sentbox import SentSms

_BOXES: Final = frozenset({"r", "s"})
_MATCHING: Final = "1"
_EVERYTHING: Final = "2"


class MailboxEvents(SynwayBase):
    """The stored received and sent messages: listing and deleting."""

    def _received(self, wanted: MessageFilter) -> list[IncomingSms]:
        def accepts(sms: IncomingSms) -> bool:
            slot = self.inbox.arrival(sms).slot
            return wanted.accepts(sms.port, slot, sms.number, sms.timestamp)

        return self.inbox.find(accepts)

    def _sent(self, wanted: MessageFilter) -> list[SentSms]:
        return self.sent.find(
            lambda sms: wanted.accepts(sms.port, sms.slot, sms.number, sms.time)
        )

    def _inbox_row(self, sms: IncomingSms) -> str:
        arrival = self.inbox.arrival(sms)
        scts = sms.timestamp if self.options.inbox_scts else None
        where = self.place(sms.port, arrival.slot, arrival.sim_number)
        return inbox_row(sms.timestamp, where, sms.number, sms.text, scts)

    def query_rx_sms(self, fields: Fields) -> str:
        """``queryrxsms``: the inbox's messages the filters name (deleted with ``delete``)."""
        found = self._received(self.message_filter(fields))
        delete = fields.flag("delete")
        rows = [self._inbox_row(sms) for sms in found]
        if delete:
            self.inbox.delete(found)
        return counted(rows)

    def query_sx_sms(self, fields: Fields) -> str:
        """``querysxsms``: the outbox's messages the filters name."""
        rows = [
            outbox_row(
                sms.time,
                self.place(sms.port, sms.slot, sms.sim_number),
                sms.number,
                sms.source,
                sms.text,
            )
            for sms in self._sent(self.message_filter(fields))
        ]
        return counted(rows)

    def delete_sms(self, fields: Fields) -> str:
        """``deletesms``: delete from the named boxes; ``total:<deleted>``."""
        boxes = fields.items("smsbox", Reason.BAD_BOX)
        names = {box.lower() for box in boxes or ()}
        if not names or not names <= _BOXES:
            raise ApiError(Reason.BAD_BOX)
        clear = fields.text("clear", Reason.BAD_CLEAR)
        if clear not in {_MATCHING, _EVERYTHING}:
            raise ApiError(Reason.BAD_CLEAR)
        wanted = self.message_filter(fields, "phonenum")
        if clear == _EVERYTHING:
            wanted = EVERYTHING
        deleted = 0
        if "r" in names:
            deleted += self.inbox.delete(self._received(wanted))
        if "s" in names:
            deleted += self.sent.delete(self._sent(wanted))
        return total(deleted)
