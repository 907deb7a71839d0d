"""The Dinstar dialect: its route groups and push rendering combined."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from .control import ControlRoutes
from .messaging import MessagingRoutes
from .push import PushRendering
from .status import StatusRoutes

if TYPE_CHECKING:
    from collections.abc import Iterable


class DinstarDialect(StatusRoutes, MessagingRoutes, ControlRoutes, PushRendering):
    """The Dinstar UC2000/DWG "new-version API"."""

    def routes(self) -> Iterable[web.AbstractRouteDef]:
        """The endpoints this dialect answers; anything else is a 404."""
        return (
            web.get("/api/get_port_info", self.get_port_info),
            web.post("/api/get_status", self.get_status),
            web.get("/api/query_sms_in_queue", self.query_sms_in_queue),
            web.post("/api/send_sms", self.send_sms),
            web.post("/api/query_sms_result", self.query_sms_result),
            web.post("/api/query_sms_deliver_status", self.query_sms_deliver_status),
            web.get("/api/query_incoming_sms", self.query_incoming_sms),
            web.post("/api/send_ussd", self.send_ussd),
            web.get("/api/query_ussd_reply", self.query_ussd_reply),
            web.get("/api/stop_sms", self.stop_sms),
            web.get("/api/set_port_info", self.set_port_info),
            web.post("/api/get_cdr", self.get_cdr),
            web.get("/GetSTKView", self.get_stk_view),
            web.post("/STKGo", self.stk_go),
            web.get("/GetSTKCurrFrameIndex", self.get_stk_frame_index),
        )
