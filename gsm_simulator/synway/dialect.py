"""The Synway dialect: its two endpoints, the events each takes, the model's events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from .device import DeviceEvents
from .events import EventRouting
from .mailboxes import MailboxEvents
from .names import QUERY_PATH, TASK_PATH, Event, Reason
from .parsing import ApiError, Fields, decode_body
from .sending import SendingEvents
from .ussd import UssdEvents

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from gsm_simulator.gateway import SimGateway

    type EventHandler = Callable[[Fields], str]


class SynwayDialect(
    DeviceEvents, SendingEvents, MailboxEvents, UssdEvents, EventRouting
):
    """The Synway SMG wireless gateway HTTP API (``/API/QueryInfo``, ``/API/TaskHandle``)."""

    def __init__(self, gateway: SimGateway, **kwargs: Any) -> None:
        """Bind to ``gateway`` and follow its events and port changes."""
        super().__init__(gateway, **kwargs)
        gateway.listeners.append(self.on_event)
        gateway.port_listeners.append(self.on_port_change)
        self.handlers: dict[str, dict[str, EventHandler]] = {
            QUERY_PATH: {
                Event.GET_PORT_INFO: self.get_port_info,
                Event.GET_PORT_CONNECT_STATE: self.get_port_connect_state,
                Event.GET_WIRELESS_INFO: self.get_wireless_info,
                Event.QUERY_TX_SMS: self.query_tx_sms,
                Event.QUERY_RX_SMS: self.query_rx_sms,
                Event.QUERY_SX_SMS: self.query_sx_sms,
                Event.QUERY_TX_SMS_RPT: self.query_tx_sms_rpt,
                Event.RX_USSD: self.rx_ussd,
            },
            TASK_PATH: {
                Event.TX_SMS: self.tx_sms,
                Event.DELETE_SMS: self.delete_sms,
                Event.TX_USSD: self.tx_ussd,
                Event.DELETE_USSD: self.delete_ussd,
            },
        }
        """Endpoint -> event name -> what answers it."""

    def routes(self) -> Iterable[web.AbstractRouteDef]:
        """The two endpoints (POST only); anything else is a 404 (or 405)."""
        return (
            web.post(QUERY_PATH, self.query_info),
            web.post(TASK_PATH, self.task_handle),
        )

    async def query_info(self, request: web.Request) -> web.Response:
        """``POST /API/QueryInfo``: the query events."""
        return self.handle(QUERY_PATH, await request.read())

    async def task_handle(self, request: web.Request) -> web.Response:
        """``POST /API/TaskHandle``: the task events."""
        return self.handle(TASK_PATH, await request.read())

    def handle(self, path: str, body: bytes) -> web.Response:
        """Answer the event of ``body`` sent to ``path``.

        Errors: ``invalid json`` (not a JSON object), ``no event``,
        ``unknown event``, ``wrong interface`` (an event of the other
        endpoint), or the event's own reason.
        """
        try:
            content = self._dispatch(path, Fields(decode_body(body)))
        except ApiError as err:
            return self.refuse(err.reason)
        return self.reply(content)

    def _dispatch(self, path: str, fields: Fields) -> str:
        """The content answering ``fields``' event; :class:`ApiError` if refused."""
        event = (fields.text("event", Reason.NO_EVENT) or "").lower()
        if not event:
            raise ApiError(Reason.NO_EVENT)
        handler = self.handlers[path].get(event)
        if handler is None:
            known = any(event in events for events in self.handlers.values())
            raise ApiError(Reason.WRONG_INTERFACE if known else Reason.UNKNOWN_EVENT)
        return handler(fields)
