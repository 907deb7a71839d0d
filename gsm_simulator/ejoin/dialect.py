"""The Ejoin dialect: its route groups and event handling combined."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .commands import CommandRoutes
from .device import DeviceRoutes
from .events import EventRouting
from .receiving import ReceivingRoutes
from .sending import SendingRoutes
from .statistics import StatisticsRoutes
from .ussd import UssdRoutes

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gsm_simulator.gateway import SimGateway


class EjoinDialect(
    DeviceRoutes,
    CommandRoutes,
    SendingRoutes,
    ReceivingRoutes,
    StatisticsRoutes,
    UssdRoutes,
    EventRouting,
):
    """The Ejoin ("Skyline") multi-SIM gateway HTTP API."""

    def __init__(self, gateway: SimGateway, **kwargs: Any) -> None:
        """Bind to ``gateway`` and follow its events and port changes."""
        super().__init__(gateway, **kwargs)
        gateway.listeners.append(self.on_event)
        gateway.port_listeners.append(self.on_port_change)

    def routes(self) -> Iterable[web.AbstractRouteDef]:
        """The endpoints this dialect answers; anything else is a 404."""
        return (
            web.get("/goip_get_status.html", self.get_status),
            web.get("/goip_send_cmd.html", self.send_cmd),
            web.post("/goip_send_cmd.html", self.send_cmd),
            web.post("/goip_post_sms.html", self.post_sms),
            web.post("/goip_pause_sms.html", self.pause_sms),
            web.post("/goip_resume_sms.html", self.resume_sms),
            web.post("/goip_remove_sms.html", self.remove_sms),
            web.get("/goip_get_tasks.html", self.get_tasks),
            web.get("/goip_get_sms.html", self.get_sms),
            web.post("/goip_get_sms.html", self.get_sms),
            web.get("/goip_get_sms_stat.html", self.get_sms_stat),
            web.get("/goip_get_call_stat.html", self.get_call_stat),
            web.get("/goip_send_ussd.html", self.send_ussd),
            web.post("/goip_send_ussd.html", self.send_ussd),
        )
