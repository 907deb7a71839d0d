"""What every part of the Ejoin dialect shares: identity, settings, state, answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import hdrs

from gsm_simulator.auth import AuthMode, unauthorized
from gsm_simulator.dialect import Dialect
from gsm_simulator.timeline import TimerGroup

from .counters import Statistics
from .inbox import InboxRows, Row
from .names import CONTENT_TYPE, PUSH_TYPES, REASONS, Code
from .options import EjoinOptions
from .parsing import decode_body
from .status import StatusView
from .tasks import TaskBook
from .waiters import UssdWaiters
from .watch import PortWatch

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiohttp import web

    from gsm_simulator.gateway import SimGateway


class EjoinBase(Dialect):
    """The Ejoin dialect's identity, options and state, and its ``code`` answers.

    The route groups extend it; :class:`~.dialect.EjoinDialect` combines
    them.  State the API changes: the SMS push URL (``sms_url``), the data
    service switch, the ``seq`` of ``dev-status`` and whether its periodic
    pushes list every SIM slot.
    """

    name: ClassVar[str] = "ejoin"
    default_realm: ClassVar[str] = "Ejoin"
    default_auth: ClassVar[AuthMode] = AuthMode.QUERY
    default_content_type: ClassVar[str] = CONTENT_TYPE
    push_types: ClassVar[tuple[str, ...]] = PUSH_TYPES
    push_content_type: ClassVar[str] = CONTENT_TYPE
    first_port: ClassVar[int] = 1
    first_slot: ClassVar[int] = 1
    port_label_format: ClassVar[str] = "Port {number}"

    options: EjoinOptions

    def __init__(self, gateway: SimGateway, **kwargs: Any) -> None:
        """Bind to ``gateway`` (see :class:`Dialect`) and set up the unit's state."""
        super().__init__(gateway, **kwargs)
        self.view = StatusView(gateway, self.options)
        self.watch = PortWatch(self.view)
        self.tasks = TaskBook(
            gateway.outbox, TimerGroup(gateway.timeline), self.send_report
        )
        self.inbox = InboxRows(
            gateway, self.view, TimerGroup(gateway.timeline), self.send_rows
        )
        self.stats = Statistics(gateway)
        self.ussd_waiters = UssdWaiters()
        self.sms_url = self.options.sms_url
        """Where received messages are pushed ("": the simulator's push URL)."""
        self.data_service = 1
        self.status_seq = 0
        self.all_sims = False
        """Whether the periodic ``dev-status`` lists every slot (``all_sims=1``)."""

    def configure(self, options: Mapping[str, Any]) -> None:
        """Take the options of :class:`~.options.EjoinOptions`."""
        self.options = EjoinOptions.from_mapping(options)

    # --------------------------------------------------------------- answers
    def answer(self, code: Code, **fields: Any) -> web.Response:
        """``{"code": n, "reason": "...", ...}`` (the ``code`` 0 family of answers)."""
        return self.json_response(
            {"code": int(code), "reason": REASONS[code], **fields}
        )

    def answer_ok(self, **fields: Any) -> web.Response:
        """``{"code": 200, "reason": "OK", ...}`` (the ``code`` 200 family of answers)."""
        return self.json_response({"code": 200, "reason": "OK", **fields})

    def refuse_credentials(self, reason: str) -> web.Response:
        """Wrong or missing credentials: ``code`` 1 "Invalid User", or HTTP 401."""
        del reason
        if self.options.refusal == "401":
            return unauthorized()
        return self.answer(Code.INVALID_USER)

    @staticmethod
    async def fields(request: web.Request) -> dict[str, Any]:
        """The request's parameters, names lower-cased: the query, then a POST's JSON body.

        :class:`~.parsing.RequestError` for a body that is not a JSON object.
        """
        found = {key.lower(): value for key, value in request.query.items()}
        if request.method == hdrs.METH_POST:
            body = decode_body(await request.read())
            found.update((key.lower(), value) for key, value in body.items())
        return found

    # ---------------------------------------------------------------- pushes
    def send_report(self, url: str | None, payload: dict[str, Any]) -> None:
        """Push a ``status-report`` to ``url``, the configured ``sr_url``, or the push URL."""
        self.push("status-report", payload, url or self.options.sr_url or None)

    def send_rows(self, rows: list[Row]) -> None:
        """Push received rows as ``recv-sms`` to the SMS URL (or the push URL)."""
        payload = {"type": "recv-sms", "sms_num": len(rows), "sms": rows}
        self.push("recv-sms", payload, self.sms_url or None)
