"""What every part of the Synway dialect shares: identity, settings, state, answers."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from gsm_simulator.auth import AuthMode
from gsm_simulator.dialect import Dialect
from gsm_simulator.timeline import TimerGroup

from .filters import MessageFilter
from .inbox import InboxView
from .names import REALM, RESULT_ERROR, Reason
from .numbering import is_all, parse_ports
from .options import SynwayOptions
from .render import FORMAT, place_text, slot_text
from .sentbox import SentBox
from .tasks import TaskBook
from .ussd_log import UssdLog

if TYPE_CHECKING:
    from collections.abc import Mapping

    from aiohttp import web

    from gsm_simulator.gateway import SimGateway

    from .numbering import PortRef
    from .parsing import Fields


class SynwayBase(Dialect):
    """The Synway dialect's identity, options and state, and its answers.

    The event groups extend it; :class:`~.dialect.SynwayDialect` combines
    them.  Ports are numbered from the ``first_port`` option on the wire
    (and in the control API); slots A..D are 1..4 in the control API.
    """

    name: ClassVar[str] = "synway"
    default_realm: ClassVar[str] = REALM
    default_auth: ClassVar[AuthMode] = AuthMode.BASIC
    first_port: ClassVar[int] = 1
    """The default numbering; the ``first_port`` option decides."""
    first_slot: ClassVar[int] = 1
    port_label_format: ClassVar[str] = "Port {number}"

    options: SynwayOptions

    def __init__(self, gateway: SimGateway, **kwargs: Any) -> None:
        """Bind to ``gateway`` (see :class:`Dialect`) and set up the unit's stores."""
        super().__init__(gateway, **kwargs)
        self.tasks = TaskBook(
            gateway.outbox,
            TimerGroup(gateway.timeline),
            lambda: self.options.send_timeout,
        )
        self.inbox = InboxView(gateway)
        self.sent = SentBox()
        self.ussd_log = UssdLog()

    def configure(self, options: Mapping[str, Any]) -> None:
        """Take the options of :class:`~.options.SynwayOptions`."""
        self.options = SynwayOptions.from_mapping(options)

    # ------------------------------------------------------------- numbering
    def port_number(self, index: int) -> int:
        """The wire number of the model's port ``index`` (from the ``first_port`` option)."""
        return index + self.options.first_port

    def port_index(self, number: int) -> int | None:
        """The model's index of the wire's port ``number``; ``None``: no such port."""
        index = number - self.options.first_port
        return index if 0 <= index < self.gateway.port_count else None

    def place(self, port: int, slot: int, sim_number: str) -> str:
        """``PORT(SLOT)(SIMNUMBER)`` of the model's ``port`` and ``slot``."""
        letter = slot_text(slot, multi_sim=self.gateway.multi_sim)
        return place_text(self.port_number(port), letter, sim_number)

    # ------------------------------------------------------------ parameters
    def port_refs(
        self, fields: Fields, name: str = "port", *, slots: bool = False
    ) -> list[PortRef] | None:
        """The ports a parameter names; ``None`` when absent or ``-1`` (every port)."""
        items = fields.items(name, Reason.BAD_PORT)
        if items is None or is_all(items):
            return None
        return parse_ports(items, self.port_index, self.gateway.slot_count, slots=slots)

    def message_filter(self, fields: Fields, numbers: str = "num") -> MessageFilter:
        """``port`` (slots allowed), the ``numbers`` parameter, ``begintime``, ``endtime``."""
        refs = self.port_refs(fields, slots=True)
        wanted = fields.items(numbers, Reason.BAD_NUMBER)
        return MessageFilter(
            ports=None if refs is None else tuple(refs),
            numbers=None if wanted is None else frozenset(wanted),
            after=fields.time("begintime"),
            before=fields.time("endtime"),
        )

    # --------------------------------------------------------------- answers
    def reply(self, content: str) -> web.Response:
        """``{"result": "ok", "content": ...}`` (``ok`` spelt as the options say)."""
        return self.json_response(
            FORMAT.reply(content, result=self.options.result_case)
        )

    def refuse(self, reason: Reason) -> web.Response:
        """``{"result": "error", "content": <reason>}``."""
        return self.json_response(FORMAT.reply(reason.value, result=RESULT_ERROR))
