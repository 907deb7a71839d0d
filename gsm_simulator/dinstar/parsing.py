"""Reading Dinstar requests: port lists, times, numbers, JSON bodies.

A value the gateway would refuse raises :class:`BadRequestError`
(``error_code`` 400) or :class:`TooLargeError` (413).
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
import re
from typing import Any, Final, TypeIs

from gsm_simulator.model import MAX_PORTS

from .names import (
    ANSWER_ORDER,
    INFO_TYPES,
    MAX_NUMBER_BYTES,
    MAX_QUERY_NUMBERS,
    TIME_FORMAT,
)

_NUMBER_RE: Final = re.compile(r"\+?[0-9*#]+")
PIN_RE: Final = re.compile(r"[0-9]{4,8}")
"""A PIN the lock and unlock actions take."""
_PARAM_MARK: Final = "#param#"


class BadRequestError(Exception):
    """A parameter the gateway would refuse with ``error_code`` 400."""


class TooLargeError(Exception):
    """A request over the gateway's limits: ``error_code`` 413."""


def parse_ports(raw: str) -> list[int]:
    """Parse ``"1,2,3"`` (brackets and blanks tolerated) into distinct port numbers."""
    ports: list[int] = []
    for piece in raw.strip().strip("[]").split(","):
        text = piece.strip()
        if not text.isdigit():
            msg = f"bad port {piece!r}"
            raise BadRequestError(msg)
        number = int(text)
        if number >= MAX_PORTS:
            msg = f"port {number} out of range"
            raise BadRequestError(msg)
        if number not in ports:
            ports.append(number)
    return ports


def parse_info_types(raw: str) -> list[str]:
    """Map a comma list of info types to answer keys, in the spec's order.

    Blanks and a stray trailing ``:`` (as in the spec's example) are
    tolerated, unknown names ignored; no known name at all is a bad request.
    """
    wanted = {
        INFO_TYPES[key]
        for piece in raw.split(",")
        if (key := piece.strip().rstrip(":").strip().lower()) in INFO_TYPES
    }
    if not wanted:
        msg = f"no known info_type in {raw!r}"
        raise BadRequestError(msg)
    return [key for key in ANSWER_ORDER if key in wanted]


def format_time(moment: datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS`` on the gateway's clock (UTC)."""
    return moment.astimezone(UTC).strftime(TIME_FORMAT)


def parse_time(value: Any) -> datetime | None:
    """A ``time_after``/``time_before`` value (absent: ``None``)."""
    if value is None:
        return None
    if not isinstance(value, str):
        msg = f"bad time {value!r}"
        raise BadRequestError(msg)
    try:
        return datetime.strptime(value.strip(), TIME_FORMAT).replace(tzinfo=UTC)
    except ValueError as err:
        msg = f"bad time {value!r}"
        raise BadRequestError(msg) from err


def is_int(value: Any) -> TypeIs[int]:
    """Whether ``value`` is a JSON integer (``true`` is not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def parse_int_list(
    value: Any, *, high: int | None = None, name: str = "value"
) -> list[int] | None:
    """A JSON array of integers from 0 (to ``high``); absent: ``None``."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        is_int(item) and item >= 0 and (high is None or item <= high) for item in value
    ):
        msg = f"bad {name} list {value!r}"
        raise BadRequestError(msg)
    return list(dict.fromkeys(value))


def parse_port_list(value: Any) -> list[int] | None:
    """A JSON array of port numbers 0..31; absent: ``None``."""
    return parse_int_list(value, high=MAX_PORTS - 1, name="port")


def valid_number(value: Any) -> bool:
    """Whether ``value`` is a phone number the gateway takes (at most 24 bytes)."""
    return (
        isinstance(value, str)
        and 0 < len(value.encode()) <= MAX_NUMBER_BYTES
        and _NUMBER_RE.fullmatch(value) is not None
    )


def parse_numbers(value: Any) -> list[str] | None:
    """The ``number`` filter of the query endpoints (413 beyond 32)."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(
        isinstance(item, str) and len(item.encode()) <= MAX_NUMBER_BYTES
        for item in value
    ):
        msg = f"bad number list {value!r}"
        raise BadRequestError(msg)
    if len(value) > MAX_QUERY_NUMBERS:
        msg = f"{len(value)} numbers, at most {MAX_QUERY_NUMBERS}"
        raise TooLargeError(msg)
    return value


def decode_body(body: bytes, *, required: bool) -> dict[str, Any]:
    """The JSON object of a request body (the first complete value counts).

    An empty body is an empty object unless ``required``.
    """
    text = body.decode("utf-8", errors="replace").strip()
    if not text:
        if required:
            msg = "empty body"
            raise BadRequestError(msg)
        return {}
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError as err:
        msg = "body is not JSON"
        raise BadRequestError(msg) from err
    if not isinstance(value, dict):
        msg = "body is not a JSON object"
        raise BadRequestError(msg)
    return value


def fill_params(text: str, params: list[str]) -> str:
    """Replace each ``#param#`` of ``text`` by the next of ``params`` (extra marks stay)."""
    pieces = text.split(_PARAM_MARK)
    out = [pieces[0]]
    for index, piece in enumerate(pieces[1:]):
        out.append(params[index] if index < len(params) else _PARAM_MARK)
        out.append(piece)
    return "".join(out)


def single_port(raw: str | None) -> int:
    """One port number 0..31 from a query parameter."""
    text = (raw or "").strip()
    if not text.isdigit() or int(text) >= MAX_PORTS:
        msg = f"bad port {raw!r}"
        raise BadRequestError(msg)
    return int(text)
