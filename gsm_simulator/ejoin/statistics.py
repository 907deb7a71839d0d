"""Ejoin statistics: ``goip_get_sms_stat.html`` and ``goip_get_call_stat.html``.

``?ports=all|2|1-2,4&slots=all|2|1-2,4&type=0..3`` (defaults: every port,
the slot in use, the last hour) answer ``{"code": 200, "reason": "OK",
"count": n, "stats": [{"port": 1, "slot": 1, ...}]}``; a bad port or slot
list: ``2 Invalid Port``, a bad ``type``: ``15 Invalid CMD``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .base import EjoinBase
from .counters import WINDOWS, window_start
from .names import Code
from .numbering import PortListError, parse_numbers
from .parsing import lookup, whole

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime

    from aiohttp import web

type Render = Callable[[int, int, datetime | None], dict[str, Any]]


class StatisticsRoutes(EjoinBase):
    """SMS and call counters per port and slot."""

    async def get_sms_stat(self, request: web.Request) -> web.Response:
        """``GET /goip_get_sms_stat.html``: received, sent, failed, queued."""
        return self._stats(request, self.stats.sms)

    async def get_call_stat(self, request: web.Request) -> web.Response:
        """``GET /goip_get_call_stat.html``: calls, answers, durations."""
        return self._stats(request, self.stats.calls)

    def _stats(self, request: web.Request, render: Render) -> web.Response:
        query = request.query
        gateway = self.gateway
        kind = whole(lookup(query, "type"), 0)
        if kind not in WINDOWS:
            return self.answer(Code.INVALID_CMD)
        raw_slots = str(lookup(query, "slots") or "").strip()
        try:
            ports = parse_numbers(
                str(lookup(query, "ports") or "all"), gateway.port_count
            )
            slots = parse_numbers(raw_slots, gateway.slot_count) if raw_slots else None
        except PortListError:
            return self.answer(Code.INVALID_PORT)
        since = window_start(kind, gateway.clock())
        stats = [
            render(port, slot, since)
            for port in ports
            for slot in (
                slots if slots is not None else [gateway.port(port).active_slot]
            )
        ]
        return self.answer_ok(count=len(stats), stats=stats)
