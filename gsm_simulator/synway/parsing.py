"""Reading Synway requests: the JSON body, its parameters in any capitals, their values.

The body is one JSON object (the first complete JSON value counts, as the
units read it).  Parameter names are matched without regard to case
(``Event``, ``PORT``); the values are strings on the wire, numbers are taken
too.  A value the unit cannot use raises :class:`ApiError`, which the
dialect answers with ``{"result": "error", "content": <reason>}``.
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
import re
from typing import TYPE_CHECKING, Any, Final

from .names import TIME_FORMAT, Reason

if TYPE_CHECKING:
    from collections.abc import Mapping

_TIME_RE: Final = re.compile(r"\d{14}")
_TRUE: Final = frozenset({"1", "true", "yes"})
_FALSE: Final = frozenset({"0", "false", "no"})


class ApiError(Exception):
    """A request the unit refuses; ``reason`` is the ``content`` of its answer."""

    def __init__(self, reason: Reason) -> None:
        """Refuse with ``reason``."""
        super().__init__(reason.value)
        self.reason = reason


def decode_body(raw: bytes) -> dict[str, Any]:
    """The JSON object at the start of ``raw``; :class:`ApiError` if there is none."""
    text = raw.decode("utf-8", errors="replace").strip()
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError as err:
        raise ApiError(Reason.BAD_JSON) from err
    if not isinstance(value, dict):
        raise ApiError(Reason.BAD_JSON)
    return value


def parse_time(text: str) -> datetime:
    """``YYYYMMDDhhmmss`` in the unit's clock (UTC); :class:`ApiError` if not one."""
    if not _TIME_RE.fullmatch(text):
        raise ApiError(Reason.BAD_TIME)
    try:
        moment = datetime.strptime(text, TIME_FORMAT)
    except ValueError as err:
        raise ApiError(Reason.BAD_TIME) from err
    return moment.replace(tzinfo=UTC)


class Fields:
    """The parameters of one request, by lower-cased name."""

    def __init__(self, body: Mapping[str, Any]) -> None:
        """Index ``body``'s keys without regard to case (a later spelling wins)."""
        self._values = {str(key).lower(): value for key, value in body.items()}

    def raw(self, name: str, reason: Reason = Reason.BAD_VALUE) -> str | None:
        """The value of ``name`` as given (text or a number); ``None`` if absent.

        Anything else (a list, an object, ``true``) is refused with ``reason``.
        """
        value = self._values.get(name)
        if value is None:
            return None
        if isinstance(value, str):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        raise ApiError(reason)

    def text(self, name: str, reason: Reason = Reason.BAD_VALUE) -> str | None:
        """The stripped value of ``name``; ``None`` if absent or blank."""
        value = self.raw(name, reason)
        if value is None or not value.strip():
            return None
        return value.strip()

    def items(self, name: str, reason: Reason = Reason.BAD_VALUE) -> list[str] | None:
        """The comma-separated items of ``name`` (blank ones dropped); ``None`` if none."""
        value = self.text(name, reason)
        if value is None:
            return None
        items = [item.strip() for item in value.split(",") if item.strip()]
        return items or None

    def time(self, name: str) -> datetime | None:
        """The time stamp ``name`` (``YYYYMMDDhhmmss``); ``None`` if absent."""
        value = self.text(name, Reason.BAD_TIME)
        return None if value is None else parse_time(value)

    def flag(self, name: str) -> bool:
        """Whether ``name`` is ``1`` (or true, yes); absent or ``0``: False."""
        value = self.text(name)
        if value is None:
            return False
        lowered = value.lower()
        if lowered not in _TRUE | _FALSE:
            raise ApiError(Reason.BAD_VALUE)
        return lowered in _TRUE

    def count(self, name: str, default: int) -> int:
        """A whole number >= 1 given as ``name``; absent: ``default``."""
        value = self.text(name)
        if value is None:
            return default
        if not value.isdigit() or int(value) < 1:
            raise ApiError(Reason.BAD_VALUE)
        return int(value)
