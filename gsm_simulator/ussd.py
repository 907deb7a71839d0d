"""USSD sessions: requests, the network's answers, and which codes answer what.

A request on a port that is free and registered is answered after
:attr:`Timings.ussd_delay` seconds with the text the reply book gives for
the code; the answer is then the port's last reply (until its next request)
and is emitted as a :class:`~gsm_simulator.records.UssdReply`.  A code whose
reply is ``None`` never gets an answer (the timeout case).  The network may
also send a message on its own (:meth:`UssdService.receive`), which arrives
the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Final

from .records import UssdReply
from .timeline import Timer, TimerGroup

if TYPE_CHECKING:
    from .context import GatewayContext
    from .model import SimPort

type ReplyFunction = Callable[[SimPort], str | None]
type Reply = str | ReplyFunction | None
"""A fixed text, a function of the port called when the answer is due
(returning ``None``: no answer after all), or ``None``: never answered."""

MAX_USSD_BYTES: Final = 60
CURRENCY: Final = "GBP"
BALANCE_CODES: Final = frozenset(
    {"*100#", "*101#", "*102#", "*111#", "*123#", "*124#", "*125#", "#100#"}
)
NUMBER_CODES: Final = frozenset({"*#100#", "*135#"})
UNKNOWN_CODE_TEXT: Final = "Unknown application"


class UssdStatus(StrEnum):
    """What a port does with a USSD request."""

    SENT = "sent"
    BUSY = "busy"
    """Sending an SMS, in a call, waiting for another answer, or made busy by a test."""
    NOT_REGISTERED = "not_registered"


def balance_text(port: SimPort) -> str | None:
    """The default answer of the balance codes: the SIM's credit and its validity."""
    sim = port.sim
    if sim is None:
        return None
    return (
        f"Your balance is {sim.balance:.2f} {CURRENCY}, "
        f"valid until {sim.valid_until:%d/%m/%Y}."
    )


def number_text(port: SimPort) -> str | None:
    """The default answer of the own-number codes."""
    sim = port.sim
    if sim is None:
        return None
    return f"Your number is {sim.number or 'not available'}."


class UssdService:
    """USSD state of every port plus the reply book."""

    def __init__(
        self, gateway: GatewayContext, *, sending: Callable[[int], bool]
    ) -> None:
        """Work on ``gateway``'s ports and timeline; ``sending(port)``: busy with an SMS."""
        self.gateway = gateway
        self._sending = sending
        self.replies: dict[str, Reply] = {}
        """Replies set by tests, overriding the defaults (code -> reply)."""
        self.busy_ports: set[int] = set()
        self.requests: list[tuple[int, str]] = []
        """Every accepted request as (port, code)."""
        self._last: dict[int, str] = {}
        self._pending: dict[int, Timer] = {}
        self._timers = TimerGroup(gateway.timeline)

    # ------------------------------------------------------------ reply book
    def set_reply(self, code: str, reply: Reply) -> None:
        """Answer ``code`` with ``reply`` from now on (``None``: never answer)."""
        self.replies[code] = reply

    def reply_to(self, code: str) -> Reply:
        """What the book says for ``code``: a test's reply, else the default."""
        if code in self.replies:
            return self.replies[code]
        if code in BALANCE_CODES:
            return balance_text
        if code in NUMBER_CODES:
            return number_text
        return UNKNOWN_CODE_TEXT

    def reply_for(self, code: str, port: SimPort) -> str | None:
        """The answer ``code`` gets on ``port`` now (``None``: no answer)."""
        reply = self.reply_to(code)
        if reply is None or isinstance(reply, str):
            return reply
        return reply(port)

    # -------------------------------------------------------------- requests
    def status(self, index: int) -> UssdStatus:
        """Whether port ``index`` could take a request now."""
        port = self.gateway.port_or_none(index)
        if port is None or not port.registered:
            return UssdStatus.NOT_REGISTERED
        if (
            index in self.busy_ports
            or index in self._pending
            or port.in_call
            or self._sending(index)
        ):
            return UssdStatus.BUSY
        return UssdStatus.SENT

    def send(self, index: int, code: str) -> UssdStatus:
        """Send ``code`` on port ``index``; the answer follows after the USSD delay."""
        status = self.status(index)
        if status is not UssdStatus.SENT:
            return status
        self.requests.append((index, code))
        self._last[index] = ""
        if self.reply_to(code) is not None:
            self._pending[index] = self._timers.call_later(
                self.gateway.timings.ussd_delay, partial(self._answer, index, code)
            )
        return status

    def cancel(self, index: int) -> UssdStatus:
        """End the session of port ``index`` (an awaited answer is dropped)."""
        port = self.gateway.port_or_none(index)
        if port is None or not port.registered:
            return UssdStatus.NOT_REGISTERED
        timer = self._pending.pop(index, None)
        if timer is not None:
            timer.cancel()
        return UssdStatus.SENT

    def _answer(self, index: int, code: str) -> None:
        del self._pending[index]
        port = self.gateway.port_or_none(index)
        if port is None or not port.registered:
            return  # the session died with the registration
        text = self.reply_for(code, port)
        if text is None:
            return
        self._last[index] = text
        self.gateway.emit(UssdReply(port=index, code=code, text=text))

    def receive(self, index: int, text: str) -> UssdReply:
        """The network sends ``text`` to port ``index`` unasked.

        It becomes the port's last reply and is emitted like an answer (with
        an empty code); a request waiting for its answer keeps waiting.
        """
        self.gateway.port(index)
        self._last[index] = text
        reply = UssdReply(port=index, code="", text=text)
        self.gateway.emit(reply)
        return reply

    def last_reply(self, index: int) -> str:
        """The last answer port ``index`` received since its last request (or ``""``)."""
        return self._last.get(index, "")

    def waiting(self, index: int) -> bool:
        """Whether port ``index`` waits for an answer."""
        return index in self._pending

    def reset(self) -> None:
        """A reboot: sessions and stored answers are lost (the reply book stays)."""
        self._timers.cancel_all()
        self._pending.clear()
        self._last.clear()
