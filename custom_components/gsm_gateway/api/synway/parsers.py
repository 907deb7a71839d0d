"""Reading the delimited `content` strings of Synway SMG replies.

Every reply is JSON `{"result": "ok"|"error", "content": "..."}` whose
content is text in one of a few formats:

- counted lists: `total:8;portstate:0,0,...` (sometimes ending in `.`);
- port values: `2:8986...470.3:8986...471.` or, for one value of the whole
  unit, `PortType:WCDMA`;
- rows ending in `|E`: the inbox (`TIME:PORT(SLOT)(SIM):SENDER:TEXT|E`), the
  outbox (`TIME:PORT(SLOT)(SIM):TO:SOURCE:TEXT:|E`) and USSD
  (`PORT|ORDER|TIME|CODE|SENT| REPLY|E`), joined by `;` after `total:N`;
- tasks: `[taskid:0:2:3;1:10086:2;2:10087:3],[taskid:1:1;3:10088:2]`;
- per-port results: `1:0;2:1;3:1`.

A message text may hold anything, `:`, `;`, `|`, `|E` and newlines
included, so a row is read from its known fields at the left to a `|E` that
ends the content or is followed by the next row's fields; when a text makes
that ambiguous, the count in `total:N` decides. A content none of this
reads raises `GatewayResponseError` naming the event: no message is ever
dropped or made up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
import re
from typing import Any

from ..exceptions import GatewayCommandError, GatewayResponseError
from .wire import NONE, parse_time, slot_number

# Bounds on what one reply may hold.
MAX_ROWS = 5000
MAX_CONTENT = 4 * 1024 * 1024

_TOTAL = re.compile(r"\s*total\s*:\s*(\d{1,6})\s*(?:;|\.|$)", re.IGNORECASE)
_LIST = re.compile(r"\s*([A-Za-z]+)\s*:\s*([-\d,\s]*?)\s*\.?\s*$")
_PAIR = re.compile(r"\s*(-?\d{1,4})\s*:([^.]*)(?:\.|$)")
_UNIT_VALUE = re.compile(r"\s*([A-Za-z]+)\s*:\s*([^.;]*?)\s*\.?\s*$")
_INBOX_HEAD = re.compile(
    r"\s*(\d{14}):(-?\d{1,4})\((-1|[A-Da-d])\)\(([^()]*)\):([^:]*):(?:(\d{14})\|:)?"
)
_OUTBOX_HEAD = re.compile(
    r"\s*(\d{14}):(-?\d{1,4})\((-1|[A-Da-d])\)\(([^()]*)\):([^:]*):(\d{1,2}):"
)
_USSD_HEAD = re.compile(r"\s*(-?\d{1,4})\|(\d{1,9})\|(\d{14})\|([^|]*)\|([01])\|")
_TASK = re.compile(r"\s*\[([^\[\]]*)\]\s*(?:,|$)")
_TASK_HEAD = re.compile(
    r"\s*taskid\s*:\s*(\d{1,12})\s*:\s*(\d{1,4})(?:\s*:\s*([^;]*))?"
)
_TASK_ITEM = re.compile(r"\s*(-?\d{1,4})\s*:\s*([^:;]*?)\s*:\s*(\d{1,2})\s*")
_TASK_ID = re.compile(r"\s*taskid\s*:\s*(\d{1,12})\s*\.?\s*$", re.IGNORECASE)
_RESULT = re.compile(r"\s*(-?\d{1,4})\s*:\s*([01])\s*")
_END = "|E"


def reply_content(payload: Any, event: str) -> str:
    """The content of a successful reply; a refusal is a command error."""
    if not isinstance(payload, dict):
        raise GatewayResponseError(f"{event} did not answer a JSON object")
    result = payload.get("result")
    content = payload.get("content")
    if not isinstance(result, str):
        raise GatewayResponseError(f"{event} answered without a result")
    if result.strip().lower() != "ok":
        reason = content.strip()[:128] if isinstance(content, str) else None
        raise GatewayCommandError(f"{event} was refused", None, reason)
    if not isinstance(content, str):
        raise GatewayResponseError(f"{event} answered without content")
    if len(content) > MAX_CONTENT:
        raise GatewayResponseError(f"{event} answered more than it may")
    return content


def _unreadable(event: str, what: str) -> GatewayResponseError:
    return GatewayResponseError(f"Could not read the {event} answer: {what}")


def parse_total(content: str, event: str) -> tuple[int, str]:
    """`total:N` and what follows its `;`."""
    match = _TOTAL.match(content)
    if match is None:
        raise _unreadable(event, "no total")
    return int(match.group(1)), content[match.end() :]


def parse_counted_list(content: str, key: str, event: str) -> list[int]:
    """`total:8;portstate:0,0,...`: one code per port, in port order."""
    total, rest = parse_total(content, event)
    match = _LIST.match(rest)
    if match is None or match.group(1).lower() != key.lower():
        raise _unreadable(event, f"no {key} list")
    raw = match.group(2).strip().strip(",")
    values = [item.strip() for item in raw.split(",")] if raw else []
    try:
        codes = [int(value) for value in values]
    except ValueError:
        raise _unreadable(event, f"a {key} that is not a number") from None
    if len(codes) != total:
        raise _unreadable(event, f"{len(codes)} {key} values for {total} ports")
    return codes


def parse_port_values(content: str, event: str) -> dict[int, str | None]:
    """`2:8986...470.3:8986...471.`: a value by port number (None: empty)."""
    values: dict[int, str | None] = {}
    position = 0
    text = content.strip()
    while position < len(text):
        match = _PAIR.match(text, position)
        if match is None or match.end() == position:
            raise _unreadable(event, "not a list of port values")
        value = match.group(2).strip()
        values[int(match.group(1))] = None if value in ("", NONE) else value
        position = match.end()
        while position < len(text) and text[position] in " \r\n\t":
            position += 1
    return values


def parse_unit_value(content: str, key: str, event: str) -> str | None:
    """`PortType:WCDMA`: one value for the whole unit; None when absent."""
    match = _UNIT_VALUE.match(content)
    if match is None or match.group(1).lower() != key.lower():
        return None
    return match.group(2) or None


def parse_task_id(content: str, event: str) -> int:
    """`taskid:7`: the id of a send task."""
    match = _TASK_ID.match(content)
    if match is None:
        raise _unreadable(event, "no task id")
    return int(match.group(1))


def parse_port_results(content: str, event: str) -> dict[int, bool]:
    """`1:0;2:1;3:1`: whether each port took the request."""
    results: dict[int, bool] = {}
    for part in content.strip().rstrip(".").split(";"):
        if not part.strip():
            continue
        match = _RESULT.fullmatch(part)
        if match is None:
            raise _unreadable(event, "not a list of port results")
        results[int(match.group(1))] = match.group(2) == "1"
    return results


@dataclass(frozen=True, slots=True, kw_only=True)
class TaskItem:
    """One number of a send task: the port it went through and its state."""

    port: int
    number: str
    state: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Task:
    """A send task as `querytxsms` reports it."""

    task_id: int
    count: int
    user_id: str | None
    items: tuple[TaskItem, ...]


def parse_tasks(content: str, event: str) -> list[Task]:
    """`[taskid:0:2:3;1:10086:2;...],[taskid:1:1;3:10088:2]`."""
    tasks: list[Task] = []
    text = content.strip()
    position = 0
    while position < len(text):
        match = _TASK.match(text, position)
        if match is None or match.end() == position:
            raise _unreadable(event, "not a list of tasks")
        head, *items = match.group(1).split(";")
        head_match = _TASK_HEAD.fullmatch(head)
        if head_match is None:
            raise _unreadable(event, "a task without its id")
        parsed: list[TaskItem] = []
        for item in items:
            if not item.strip():
                continue
            item_match = _TASK_ITEM.fullmatch(item)
            if item_match is None:
                raise _unreadable(event, "a task number that is not port:number:state")
            parsed.append(
                TaskItem(
                    port=int(item_match.group(1)),
                    number=item_match.group(2),
                    state=int(item_match.group(3)),
                )
            )
        user = (head_match.group(3) or "").strip()
        tasks.append(
            Task(
                task_id=int(head_match.group(1)),
                count=int(head_match.group(2)),
                user_id=user or None,
                items=tuple(parsed),
            )
        )
        position = match.end()
    return tasks


# Rows ending in `|E`.


def _rows(
    content: str, event: str, head: re.Pattern[str], end: str
) -> Iterator[tuple[re.Match[str], str]]:
    """Each row's head match and the text between it and its end marker.

    A row ends at `end` where the content ends, or where `;` and another
    row's head follow. A text holding such a sequence itself makes more
    places look like ends than `total:N` counts: then the first ones are
    taken, so the texts stay whole up to the count.
    """
    total, rest = parse_total(content, event)
    if total > MAX_ROWS:
        raise _unreadable(event, f"more than {MAX_ROWS} rows")
    if total == 0:
        if rest.strip():
            raise _unreadable(event, "rows after total:0")
        return
    # Each place a row may end: (where its marker starts, where the next
    # row starts, or -1 at the end of the content).
    ends: list[tuple[int, int]] = []
    search = 0
    while (found := rest.find(end, search)) >= 0:
        after = found + len(end)
        tail = rest[after:].lstrip(" \r\n\t")
        if not tail:
            ends.append((found, -1))
            break
        if tail.startswith(";"):
            following = len(rest) - len(tail) + 1
            if head.match(rest, following):
                ends.append((found, following))
        search = found + 1
    if not ends or ends[-1][1] != -1 or len(ends) < total:
        raise _unreadable(event, f"could not find the {total} rows it counts")
    chosen = [*ends[: total - 1], ends[-1]]
    start = 0
    for stop, following in chosen:
        match = head.match(rest, start)
        if match is None or match.end() > stop:
            raise _unreadable(event, "a row without its fields")
        yield match, rest[match.end() : stop]
        start = following


def _row_values(
    content: str,
    event: str,
    head: re.Pattern[str],
    end: str,
    build: Callable[[re.Match[str], str], Any],
) -> list[Any]:
    rows: list[Any] = []
    for match, text in _rows(content, event, head, end):
        try:
            rows.append(build(match, text))
        except ValueError as err:
            raise _unreadable(event, str(err)) from None
    return rows


@dataclass(frozen=True, slots=True, kw_only=True)
class InboxRow:
    """A received SMS as the inbox lists it (times in the gateway's clock)."""

    time: datetime
    port: int
    slot: int | None
    sim_number: str | None
    sender: str
    text: str
    smsc_time: datetime | None = None


def _inbox_row(match: re.Match[str], text: str) -> InboxRow:
    sim = match.group(4).strip()
    return InboxRow(
        time=parse_time(match.group(1)),
        port=int(match.group(2)),
        slot=slot_number(match.group(3)),
        sim_number=None if sim in ("", NONE) else sim,
        sender=match.group(5).strip(),
        text=text,
        smsc_time=parse_time(match.group(6)) if match.group(6) else None,
    )


def parse_inbox(content: str, event: str = "queryrxsms") -> list[InboxRow]:
    """`total:N;TIME:PORT(SLOT)(SIM):SENDER:TEXT|E;...`, in the device's order."""
    rows: list[InboxRow] = _row_values(content, event, _INBOX_HEAD, _END, _inbox_row)
    return rows


@dataclass(frozen=True, slots=True, kw_only=True)
class OutboxRow:
    """A sent SMS as the outbox lists it; `source` 0 web, 1 e-mail, 2 API, 3 system."""

    time: datetime
    port: int
    slot: int | None
    sim_number: str | None
    number: str
    source: int
    text: str


def _outbox_row(match: re.Match[str], text: str) -> OutboxRow:
    sim = match.group(4).strip()
    return OutboxRow(
        time=parse_time(match.group(1)),
        port=int(match.group(2)),
        slot=slot_number(match.group(3)),
        sim_number=None if sim in ("", NONE) else sim,
        number=match.group(5).strip(),
        source=int(match.group(6)),
        text=text,
    )


def parse_outbox(content: str, event: str = "querysxsms") -> list[OutboxRow]:
    """`total:N;TIME:PORT(SLOT)(SIM):TO:SOURCE:TEXT:|E;...`."""
    rows: list[OutboxRow] = _row_values(
        content, event, _OUTBOX_HEAD, ":" + _END, _outbox_row
    )
    return rows


@dataclass(frozen=True, slots=True, kw_only=True)
class UssdRow:
    """A USSD request in the device's store and its reply (None: none yet)."""

    port: int
    order: int
    time: datetime
    code: str
    sent: bool
    reply: str | None


def _ussd_row(match: re.Match[str], text: str) -> UssdRow:
    # The reply follows a space; `NULL` means none has come.
    reply = text[1:] if text.startswith(" ") else text
    return UssdRow(
        port=int(match.group(1)),
        order=int(match.group(2)),
        time=parse_time(match.group(3)),
        code=match.group(4),
        sent=match.group(5) == "1",
        reply=None if reply.strip().upper() == "NULL" else reply,
    )


def parse_ussd(content: str, event: str = "rxussd") -> list[UssdRow]:
    """`total:N;PORT|ORDER|TIME|CODE|SENT| REPLY|E;...`."""
    rows: list[UssdRow] = _row_values(content, event, _USSD_HEAD, _END, _ussd_row)
    return rows
