"""The delimited ``content`` strings of the Synway answers.

Examples of what is built here (the spec's own)::

    total:8;portstate:0,0,0,0,0,0,0,0
    total:8;ConnectState:1,1,1,1,0,0,0,0.
    2:89860058111551226470.3:89860058111551226471.
    [taskid:0:2:3;1:10086:2;2:10087:3],[taskid:1:1;3:10088:2]
    total:1;20150911111111:1(A)(152555588888):10086:Hello world!|E
    total:1;20150911111111:1(-1)(15255558888):10086:2:Hello world!:|E
    total:1;2|0|20160721132505|*100#|1| NULL|E
    1:0;2:1;3:1

Texts are written as they are: they may contain every separator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gsm_simulator.delimited import DelimitedText

from .names import SINGLE_SLOT, SLOT_LETTERS, TIME_FORMAT

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from datetime import datetime

    from .ussd_log import UssdEntry

FORMAT: Final = DelimitedText()
"""Sections and rows split by ``;``, lists by ``,``, pairs by ``:``, rows end ``|E``."""
CONNECT_FORMAT: Final = DelimitedText(end=".")
"""``getportconnectstate`` ends with a ``.``."""
PAIR_END: Final = "."
"""After each ``port:value`` pair of ``getwirelessinfo``."""
TASK_SEP: Final = ","
"""Between the tasks of ``querytxsms``."""


def stamp(moment: datetime) -> str:
    """``YYYYMMDDhhmmss`` (the unit's clock)."""
    return moment.strftime(TIME_FORMAT)


def slot_text(slot: int, *, multi_sim: bool) -> str:
    """A slot as the unit writes it: ``A``..``D``, or ``-1`` on a single-SIM unit."""
    return SLOT_LETTERS[slot] if multi_sim else SINGLE_SLOT


def place_text(number: int, slot: str, sim_number: str) -> str:
    """``PORT(SLOT)(SIMNUMBER)``, the SIM number ``-1`` when unknown."""
    return f"{number}({slot})({sim_number or SINGLE_SLOT})"


def port_list(key: str, values: Sequence[int], *, end: bool = False) -> str:
    """``total:N;<key>:v,v,...`` (``.`` at the end with ``end``)."""
    fmt = CONNECT_FORMAT if end else FORMAT
    return fmt.content(fmt.pair("total", len(values)), fmt.pair(key, list(values)))


def port_values(pairs: Iterable[tuple[int, str]]) -> str:
    """``port:value.`` for every pair, run together (``2:8986...0.3:8986...1.``)."""
    return "".join(FORMAT.pair(number, value) + PAIR_END for number, value in pairs)


def task_text(
    task_id: int, user_id: str | None, rows: Sequence[tuple[int, str, int]]
) -> str:
    """``[taskid:<id>:<count>[:<userid>];<port>:<number>:<state>;...]``."""
    head = FORMAT.pair("taskid", task_id) + FORMAT.pair_sep + str(len(rows))
    if user_id:
        head += FORMAT.pair_sep + user_id
    items = [FORMAT.pair_sep.join(str(value) for value in row) for row in rows]
    return "[" + FORMAT.content(head, *items) + "]"


def task_list(rendered: Iterable[str]) -> str:
    """Tasks of ``querytxsms`` joined by ``,``."""
    return TASK_SEP.join(rendered)


def inbox_row(
    moment: datetime, where: str, sender: str, text: str, scts: datetime | None
) -> str:
    """``TIME:PORT(SLOT)(SIM):SENDER:[SCTS|:]TEXT|E``."""
    head = FORMAT.pair_sep.join((stamp(moment), where, sender))
    if scts is not None:
        head += FORMAT.pair_sep + stamp(scts) + FORMAT.field_sep
    return head + FORMAT.pair_sep + text + FORMAT.row_end


def outbox_row(
    moment: datetime, where: str, number: str, source: int, text: str
) -> str:
    """``TIME:PORT(SLOT)(SIM):DEST:SOURCE:TEXT:|E``."""
    fields = (stamp(moment), where, number, str(source), text, "")
    return FORMAT.pair_sep.join(fields) + FORMAT.row_end


def ussd_row(number: int, entry: UssdEntry) -> str:
    """``PORT|ORDER|TIME|CONTENT|SENDRESULT| RECVRESULT|E`` (`` NULL``: no answer yet)."""
    answer = " " + FORMAT.value(entry.answer)
    return FORMAT.row(
        number, entry.order, stamp(entry.time), entry.code, entry.sent, answer
    )


def counted(rows: Sequence[str]) -> str:
    """``total:N`` and the rows, split by ``;``."""
    return FORMAT.counted(rows)


def total(count: int) -> str:
    """``total:N`` alone (how many were deleted)."""
    return FORMAT.pair("total", count)


def per_port(pairs: Iterable[tuple[int, int]]) -> str:
    """``port:value`` pairs split by ``;`` (``txussd``'s ``1:0;2:1``)."""
    return FORMAT.content(*(FORMAT.pair(number, value) for number, value in pairs))
