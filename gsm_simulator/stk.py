"""SIM Toolkit: a small operator menu per port, navigated one frame at a time.

The menu tree of every SIM::

    <operator name>            desktop, 3 items
    ├─ 1 Balance               display: "Your balance is 12.34 GBP"
    ├─ 2 Top-up                digits input: a 12-digit voucher code
    │     └─ (result)          display: accepted (+10.00) or invalid
    └─ 3 Services              select item, 2 items
          ├─ 1 My number       display
          └─ 2 Language        display

An action (choose an item, ok, cancel, home) takes effect after
:attr:`Timings.stk_delay` seconds, when the SIM has sent its next frame; each
new frame gets the next ``frame_id``.  While an action is in progress the
port refuses another.  ``ok`` on a display frame goes back to the menu,
``cancel`` goes back one level, ``home`` to the top.  A port whose SIM cannot
be read (none, PIN/PUK locked, powered off) or has no toolkit shows the
"locked" frame and refuses every action.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from functools import partial
from typing import TYPE_CHECKING, Final

from .errors import RefusedError
from .timeline import Timer, TimerGroup
from .ussd import CURRENCY

if TYPE_CHECKING:
    from collections.abc import Callable

    from .context import GatewayContext
    from .model import SimPort

VOUCHER_DIGITS: Final = 12
VOUCHER_VALUE: Final = 10.0


class StkInput(IntEnum):
    """What a frame expects from the user (the values of Dinstar's ``input_type``)."""

    DISPLAY = 0
    DESKTOP = 1
    SELECT = 2
    YES_NO = 3
    ONE_DIGIT = 4
    ONE_CHAR = 5
    DIGITS = 8
    DIGITS_HIDDEN = 9
    TEXT = 10
    TEXT_HIDDEN = 11
    LOCKED = 12


class StkAction(StrEnum):
    """The buttons of the toolkit."""

    OK = "ok"
    CANCEL = "cancel"
    HOME = "home"


MENU_INPUTS: Final = frozenset({StkInput.DESKTOP, StkInput.SELECT})


@dataclass(frozen=True, slots=True)
class StkView:
    """One frame as the user sees it; ``items`` only on menus."""

    title: str
    text: str
    input_type: StkInput
    frame_id: int
    items: tuple[tuple[int, str], ...] = ()


@dataclass(slots=True)
class StkSession:
    """Where one port's toolkit stands: a stack of frames, the top one shown."""

    iccid: str
    frame_id: int
    stack: list[str] = field(default_factory=lambda: ["main"])
    result_text: str = ""
    timer: Timer | None = None

    @property
    def busy(self) -> bool:
        """Whether an action is still in progress."""
        return self.timer is not None and self.timer.pending


# Menu frame -> (item id, label, target frame).
_MENUS: Final[dict[str, tuple[tuple[int, str, str], ...]]] = {
    "main": (
        (1, "Balance", "balance"),
        (2, "Top-up", "topup"),
        (3, "Services", "services"),
    ),
    "services": ((1, "My number", "number"), (2, "Language", "language")),
}


def _frame(key: str, port: SimPort, session: StkSession) -> tuple[str, str, StkInput]:
    """Title, text and input type of frame ``key`` for the SIM of ``port``."""
    sim = port.sim
    assert sim is not None  # noqa: S101 - only called for readable SIMs
    match key:
        case "main":
            return sim.operator, "", StkInput.DESKTOP
        case "services":
            return "Services", "", StkInput.SELECT
        case "balance":
            return (
                "Balance",
                f"Your balance is {sim.balance:.2f} {CURRENCY}",
                StkInput.DISPLAY,
            )
        case "topup":
            return (
                "Top-up",
                f"Enter the {VOUCHER_DIGITS}-digit voucher code",
                StkInput.DIGITS,
            )
        case "number":
            return (
                "My number",
                f"Your number is {sim.number or 'not available'}",
                StkInput.DISPLAY,
            )
        case "language":
            return "Language", "Language: English", StkInput.DISPLAY
        case _:  # "result"
            return "Top-up", session.result_text, StkInput.DISPLAY


class StkService:
    """The toolkit sessions of every port."""

    def __init__(self, gateway: GatewayContext) -> None:
        """Work on ``gateway``'s ports and timeline."""
        self.gateway = gateway
        self._sessions: dict[int, StkSession] = {}
        self._timers = TimerGroup(gateway.timeline)
        self._next_frame_id = 1

    def _new_frame_id(self) -> int:
        frame_id = self._next_frame_id
        self._next_frame_id += 1
        return frame_id

    def available(self, index: int) -> bool:
        """Whether the SIM of port ``index`` can be read and has a toolkit."""
        port = self.gateway.port_or_none(index)
        return (
            port is not None
            and port.sim_readable
            and port.sim is not None
            and port.sim.has_stk
        )

    def _session(self, index: int) -> StkSession:
        """The session of port ``index``; a new SIM starts at the top menu."""
        port = self.gateway.port(index)
        iccid = port.sim.iccid if port.sim is not None else ""
        session = self._sessions.get(index)
        if session is None or session.iccid != iccid:
            if session is not None and session.timer is not None:
                session.timer.cancel()
            session = StkSession(iccid=iccid, frame_id=self._new_frame_id())
            self._sessions[index] = session
        return session

    def view(self, index: int) -> StkView:
        """The frame port ``index`` shows now."""
        session = self._session(index)
        if not self.available(index):
            return StkView("", "", StkInput.LOCKED, session.frame_id)
        key = session.stack[-1]
        title, text, input_type = _frame(key, self.gateway.port(index), session)
        items = tuple((item_id, label) for item_id, label, _ in _MENUS.get(key, ()))
        return StkView(title, text, input_type, session.frame_id, items)

    def frame_id(self, index: int) -> int:
        """The id of the frame port ``index`` shows now."""
        return self._session(index).frame_id

    # ---------------------------------------------------------------- actions
    def _ready(self, index: int) -> tuple[StkSession, StkView]:
        view = self.view(index)
        session = self._session(index)
        if view.input_type is StkInput.LOCKED:
            msg = f"port {index} has no readable SIM toolkit"
            raise RefusedError(msg)
        if session.busy:
            msg = f"port {index} is still processing the previous action"
            raise RefusedError(msg)
        return session, view

    def select(self, index: int, item: int) -> None:
        """Choose ``item`` of the menu port ``index`` shows."""
        session, view = self._ready(index)
        if view.input_type not in MENU_INPUTS:
            msg = "the current frame is not a menu"
            raise RefusedError(msg)
        targets = {item_id: target for item_id, _, target in _MENUS[session.stack[-1]]}
        if item not in targets:
            msg = f"no item {item} in this menu"
            raise RefusedError(msg)
        self._later(session, partial(session.stack.append, targets[item]))

    def press(self, index: int, action: StkAction, param: str = "") -> None:
        """Press ``action``; ``ok`` on an input frame submits ``param``."""
        session, view = self._ready(index)
        if action is StkAction.HOME:
            self._later(session, partial(_go_home, session))
        elif action is StkAction.CANCEL or view.input_type is StkInput.DISPLAY:
            self._later(session, partial(_go_back, session))
        elif view.input_type is StkInput.DIGITS:
            self._later(session, partial(self._top_up, index, session, param))
        else:
            msg = "ok on a menu needs an item"
            raise RefusedError(msg)

    def _later(self, session: StkSession, change: Callable[[], None]) -> None:
        """Apply ``change`` when the SIM answers, as a new frame."""

        def apply() -> None:
            session.timer = None
            change()
            session.frame_id = self._new_frame_id()

        session.timer = self._timers.call_later(self.gateway.timings.stk_delay, apply)

    def _top_up(self, index: int, session: StkSession, code: str) -> None:
        sim = self.gateway.port(index).sim
        if (
            sim is not None
            and code.isascii()
            and code.isdigit()
            and len(code) == VOUCHER_DIGITS
        ):
            sim.balance = round(sim.balance + VOUCHER_VALUE, 2)
            session.result_text = (
                f"Voucher accepted. Your balance is {sim.balance:.2f} {CURRENCY}"
            )
        else:
            session.result_text = "Invalid voucher code"
        session.stack[-1] = "result"

    def reset(self) -> None:
        """A reboot: every toolkit starts again at its top menu."""
        self._timers.cancel_all()
        self._sessions.clear()


def _go_home(session: StkSession) -> None:
    del session.stack[1:]


def _go_back(session: StkSession) -> None:
    if len(session.stack) > 1:
        session.stack.pop()
