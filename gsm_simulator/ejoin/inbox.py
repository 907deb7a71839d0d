"""Received messages as Ejoin rows, the ``recv-sms`` cache and delivery reports.

A row is ``[flag, port, unix time, sender, recipient, content]``: flag 0 for
a message (content: base64 of its UTF-8 text, recipient: the SIM's number),
1 for a delivery report (sender: the SMSC, recipient: the number the message
went to, content ``"code scts"``, code 0 for delivered).  Rows are stored in
the shared inbox (ids from 1) and pushed through a cache of ``sms_cnt`` rows
or ``sms_prd`` seconds.  The unit keeps its inbox in memory only: a reboot
empties it, its ids start again at 1 and its ``ssrc`` changes.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
import hashlib
from typing import TYPE_CHECKING, Any

from .caching import PushCache
from .names import SMS_CNT, SMS_PRD

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from gsm_simulator.gateway import SimGateway
    from gsm_simulator.model import IncomingSms
    from gsm_simulator.records import DeliveryReport, SmsResult
    from gsm_simulator.timeline import TimerGroup

    from .status import StatusView

type Row = list[Any]


@dataclass(frozen=True, slots=True)
class RowInfo:
    """What a row shows beyond the shared inbox entry, fixed when it arrived."""

    flag: int
    port: str
    sender: str
    recipient: str


def scts(moment: datetime) -> str:
    """A service centre time stamp as delivery reports write it: ``yy/MM/dd,hh:mm:ss+00``."""
    return f"{moment:%y/%m/%d,%H:%M:%S}+00"


class InboxRows:
    """The rows of the shared inbox, their pushes, and the reports awaited."""

    def __init__(
        self,
        gateway: SimGateway,
        view: StatusView,
        timers: TimerGroup,
        send: Callable[[list[Row]], None],
    ) -> None:
        """Rows of ``gateway``'s inbox; pushes (through a cache on ``timers``) go to ``send``."""
        self.gateway = gateway
        self.view = view
        self.timers = timers
        self.cache: PushCache[Row] = PushCache(
            timers, send, limit=SMS_CNT, period=SMS_PRD
        )
        self._info: dict[int, RowInfo] = {}
        self._awaited: dict[tuple[int, int], RowInfo] = {}

    @property
    def ssrc(self) -> str:
        """16 hex digits naming this run of the unit (new after every reboot)."""
        seed = f"{self.gateway.serial}/{self.gateway.boot_count}".encode()
        return hashlib.sha256(seed).hexdigest()[:16]

    def row(self, sms: IncomingSms) -> Row:
        """The row of an inbox entry."""
        info = self._info.get(sms.sms_id)
        moment = int(sms.timestamp.timestamp())
        if info is None:  # stored without an event: shown as the port is now
            sim = self.gateway.port(sms.port).sim
            info = RowInfo(
                0, self.view.label(sms.port), sms.number, sim.number if sim else ""
            )
        if info.flag:
            return [1, info.port, moment, info.sender, info.recipient, sms.text]
        content = base64.b64encode(sms.text.encode()).decode()
        return [0, info.port, moment, info.sender, info.recipient, content]

    def on_sms(self, sms: IncomingSms) -> None:
        """A message arrived (already in the inbox): remember how it came, push it."""
        sim = self.gateway.port(sms.port).sim
        recipient = sim.number if sim is not None else ""
        self._info[sms.sms_id] = RowInfo(
            0, self.view.label(sms.port), sms.number, recipient
        )
        self.cache.add(self.row(sms))

    def expect_report(self, result: SmsResult, port: str) -> None:
        """``result`` was sent asking for a delivery report: await it."""
        sim = self.gateway.port(result.port).sim
        smsc = sim.smsc if sim is not None else ""
        self._awaited[result.port, result.ref_id] = RowInfo(
            1, port, smsc, result.number
        )

    def on_report(self, report: DeliveryReport) -> None:
        """A status report arrived; the first segment's makes the message's report row."""
        info = self._awaited.get((report.port, report.ref_id))
        if info is None or info.recipient != report.number:
            return
        del self._awaited[report.port, report.ref_id]
        text = f"{report.status_code} {scts(report.time)}"
        sms = self.gateway.inbox_store.store(
            report.port, info.recipient, info.sender, text, self.gateway.clock()
        )
        self._info[sms.sms_id] = info
        self.cache.add(self.row(sms))

    def read(self, first: int, count: int, *, delete: bool) -> tuple[list[Row], int]:
        """Rows from id ``first`` on (``count``, 0: all), and the id to ask for next."""
        picked = [sms for sms in self.gateway.inbox if sms.sms_id >= first]
        if count:
            picked = picked[:count]
        if delete:
            self.gateway.inbox_store.delete(sms.sms_id for sms in picked)
        following = picked[-1].sms_id + 1 if picked else first
        return [self.row(sms) for sms in picked], following

    def restart(self) -> None:
        """A reboot: the inbox, the cache and the awaited reports are lost."""
        self.cache.drop()
        self._info.clear()
        self._awaited.clear()
        self.gateway.clear_inbox(reset_ids=True)
