"""Turning the values devices write into typed ones, for every family.

They run for every field of every port on every poll, so they test exact
types (all JSON gives) rather than isinstance: about three times faster, and
a bool (a subclass of int) falls out as "not a number".
"""

from __future__ import annotations

import math
from typing import Any

# What devices write for "nothing here".
_EMPTY = {"", "><null>", "null", "none"}
_EMPTY_LONGEST = max(map(len, _EMPTY))


def first_of(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The value of the first of `keys` the entry has (spellings drift)."""
    for key in keys:
        if key in item:
            return item[key]
    return None


# The converters below run for every field of every port on every poll, so
# they test exact types (all JSON gives) rather than isinstance: about three
# times faster, and a bool (a subclass of int) falls out as "not a number".


_INT_FLOAT_LIMIT = 10**300


def to_str(value: Any, limit: int = 64) -> str | None:
    """Text, trimmed and cut to `limit`; None for the device's empty markers."""
    kind = type(value)
    if kind is not str:
        return str(value)[:limit] if kind is int or kind is float else None
    text: str = value.strip()
    if len(text) <= _EMPTY_LONGEST and text.lower() in _EMPTY:
        return None
    return text[:limit]


def to_float(value: Any) -> float | None:
    """A number from a JSON number or numeric text; None otherwise."""
    kind = type(value)
    if kind is float:
        return float(value)
    if kind is int:
        # An integer beyond a float's range is no reading of ours.
        return float(value) if -_INT_FLOAT_LIMIT < value < _INT_FLOAT_LIMIT else None
    if kind is str:
        try:
            return float(value)  # float() ignores surrounding whitespace
        except ValueError:
            return None
    return None


def to_int(value: Any) -> int | None:
    """A whole number from a JSON number or numeric text; None otherwise."""
    number = to_float(value)
    if number is None or not math.isfinite(number):
        return None
    return int(number)
