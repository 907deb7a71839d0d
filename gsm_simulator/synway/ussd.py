"""Synway USSD: ``txussd``, ``rxussd`` and ``deleteussd`` over the USSD store.

``txussd`` sends ``ussd`` (at most 255 characters) on every port of
``port`` and answers per port ``1`` (sent) or ``0`` (refused: not
registered, no SIM, module off, or busy with a call, an SMS or another
USSD request): ``1:0;2:1;3:1``.  The network's answer arrives after the
USSD delay (:mod:`gsm_simulator.ussd`).  ``rxussd`` lists the stored entries
of ``port`` (default: all) between ``begintime`` and ``endtime``
(inclusive) as ``PORT|ORDER|TIME|CONTENT|SENDRESULT| RECVRESULT|E``, the
answer `` NULL`` while none has arrived.  ``deleteussd`` deletes the
entries of ``port`` (``-1``: every entry, ``num`` ignored) with the order
numbers of ``num`` (absent or ``-1``: all of them): ``total:<deleted>``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gsm_simulator.messaging import in_window
from gsm_simulator.ussd import UssdStatus

from .base import SynwayBase
from .names import MAX_USSD, Reason
from .numbering import is_all
from .parsing import ApiError
from .render import counted, per_port, total, ussd_row

if TYPE_CHECKING:
    from .parsing import Fields
    from .ussd_log import UssdEntry


class UssdEvents(SynwayBase):
    """USSD requests and the store of their answers."""

    def _ports(self, fields: Fields) -> list[int]:
        """The ports of a required ``port`` list (``-1``: every port)."""
        if fields.items("port", Reason.BAD_PORT) is None:
            raise ApiError(Reason.BAD_PORT)
        refs = self.port_refs(fields)
        if refs is None:
            return list(range(self.gateway.port_count))
        return [ref.port for ref in refs]

    def tx_ussd(self, fields: Fields) -> str:
        """``txussd``: send on each port; ``<port>:<1 sent, 0 refused>;...``."""
        ports = self._ports(fields)
        code = fields.text("ussd", Reason.NO_USSD)
        if code is None:
            raise ApiError(Reason.NO_USSD)
        if len(code) > MAX_USSD:
            raise ApiError(Reason.USSD_TOO_LONG)
        now = self.gateway.clock()
        answers: list[tuple[int, int]] = []
        for port in ports:
            sent = self.gateway.ussd.send(port, code) is UssdStatus.SENT
            self.ussd_log.add(port, code, now, sent=sent)
            answers.append((self.port_number(port), int(sent)))
        return per_port(answers)

    def rx_ussd(self, fields: Fields) -> str:
        """``rxussd``: ``total:N;<port>|<order>|<time>|<code>|<sent>| <answer>|E;...``."""
        refs = self.port_refs(fields)
        ports = None if refs is None else {ref.port for ref in refs}
        after, before = fields.time("begintime"), fields.time("endtime")

        def wanted(entry: UssdEntry) -> bool:
            return (ports is None or entry.port in ports) and in_window(
                entry.time, after, before
            )

        rows = [
            ussd_row(self.port_number(entry.port), entry)
            for entry in self.ussd_log.find(wanted)
        ]
        return counted(rows)

    def delete_ussd(self, fields: Fields) -> str:
        """``deleteussd``: ``total:<deleted>``."""
        every_port = is_all(fields.items("port", Reason.BAD_PORT))
        ports = self._ports(fields)
        orders = fields.items("num", Reason.BAD_VALUE)
        if every_port or orders is None or is_all(orders):
            numbers = None
        elif all(order.isdigit() for order in orders):
            numbers = {int(order) for order in orders}
        else:
            raise ApiError(Reason.BAD_VALUE)
        return total(self.ussd_log.delete(None if every_port else set(ports), numbers))
