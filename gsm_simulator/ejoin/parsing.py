"""Reading Ejoin requests: JSON bodies, parameters in any capitals, numbers.

The spec's parameter names come in several spellings (``Username``,
``Has_content``, ``Pos``), so names are matched without regard to case.  A
POST's parameters may be in its JSON body (the first complete JSON value
counts) as well as in its query string; the body wins.
"""

from __future__ import annotations

import json
import math
from typing import TYPE_CHECKING, Any, TypeIs

from .names import Code

if TYPE_CHECKING:
    from collections.abc import Mapping


class RequestError(Exception):
    """A request the unit refuses with ``code`` (a :class:`Code`)."""

    def __init__(self, code: Code, detail: str = "") -> None:
        """Refuse with ``code``; ``detail`` says why (not on the wire)."""
        super().__init__(detail or code.name)
        self.code = code


def decode_body(raw: bytes) -> dict[str, Any]:
    """The JSON object at the start of ``raw`` (empty: ``{}``); else :class:`RequestError`."""
    text = raw.decode("utf-8", errors="replace").strip()
    if not text:
        return {}
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError as err:
        raise RequestError(Code.INVALID_CMD, "the body is not JSON") from err
    if not isinstance(value, dict):
        raise RequestError(Code.INVALID_CMD, "the body is not a JSON object")
    return value


def lookup(fields: Mapping[str, Any], name: str) -> Any:
    """``fields[name]``, matching the name without regard to case; ``None`` if absent."""
    if name in fields:
        return fields[name]
    wanted = name.lower()
    return next((value for key, value in fields.items() if key.lower() == wanted), None)


def is_int(value: Any) -> TypeIs[int]:
    """Whether ``value`` is a JSON integer (``true`` is not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def whole(value: Any, default: int | None = None) -> int | None:
    """An integer given as a number or as digits; absent: ``default``; else ``None``."""
    if value is None or value == "":
        return default
    if is_int(value):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def seconds(value: Any, default: float) -> float | None:
    """A number of seconds >= 0 (number or text); absent: ``default``; else ``None``."""
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None
