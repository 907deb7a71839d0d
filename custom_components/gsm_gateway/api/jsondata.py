"""Decoding JSON from gateways: tolerant for replies, strict and bounded for pushes.

Real units have quirks (a stray brace after the object, trailing commas),
in replies and in pushes alike. Pushes also come from anyone who knows the
webhook URL, so they are held to strict UTF-8 as well. Every body is held to
limits on nesting and number size; whatever breaks a rule is a
`GatewayResponseError`, never another exception.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from .exceptions import GatewayResponseError

# Deepest nesting of arrays and objects a push may have. Real pushes nest
# two or three levels; the limit also keeps the decoder far from Python's
# recursion limit.
MAX_DEPTH = 8
# Integer literals up to 18 digits (a signed 64-bit value) are numbers.
# Longer ones, up to 32 digits, can only be identifiers a device wrote
# without quotes (an ICCID has 19 or 20): they are kept as text. Anything
# longer is refused, so no number can overflow a float later.
MAX_INT_DIGITS = 18
MAX_ID_DIGITS = 32


def _bounded_int(literal: str) -> int | str:
    digits = len(literal) - literal.startswith("-")
    if digits <= MAX_INT_DIGITS:
        return int(literal)
    if digits <= MAX_ID_DIGITS:
        return literal
    raise ValueError("integer out of range")


def _finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


# Unmatched brackets tolerated around the value (a stray brace or two).
MAX_UNMATCHED = 4
_ESCAPE = re.compile(r"\\.", re.DOTALL)
_STRING = re.compile(r'"[^"]*"')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_PAIR = re.compile(r"\[\]|\{\}")
_TRAILING_COMMA = re.compile(r",\s*[\]}]")
_STRING_OR_TRAILING_COMMA = re.compile(r'("(?:[^"\\]|\\.)*")|,(\s*[\]}])')

_DECODER = json.JSONDecoder(
    parse_int=_bounded_int, parse_float=_finite_float, parse_constant=_no_constant
)


def _nests_too_deep(text: str) -> bool:
    """Whether arrays and objects nest deeper than `MAX_DEPTH`, without decoding.

    Escapes, then strings, then everything but brackets are cut away (each a
    single regular-expression pass); then innermost pairs are removed, one
    level per pass. Pairs left after `MAX_DEPTH` passes mean deeper nesting;
    a long run of unmatched brackets (`[` 65,000 times) is refused as well,
    while the stray brace real units add is let through.
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", _ESCAPE.sub("", text)))
    for _ in range(MAX_DEPTH):
        reduced = _PAIR.sub("", brackets)
        if reduced == brackets:
            break
        brackets = reduced
    else:
        if _PAIR.search(brackets):
            return True
    return len(brackets) > MAX_UNMATCHED


def _decode_first(text: str) -> Any:
    """The first JSON value of `text`; ValueError or RecursionError otherwise."""
    return _DECODER.raw_decode(text)[0]


def parse_json(payload: bytes, *, strict_utf8: bool = False) -> Any:
    """Decode the first JSON value of a body, forgiving known device quirks.

    Real units add a stray brace after the object and leave trailing commas
    in arrays. Anything after the first complete value is ignored; trailing
    commas outside strings are dropped. Integers beyond 64 bits, non-finite
    numbers and nesting deeper than `MAX_DEPTH` are errors. With
    `strict_utf8` (pushes), a body that is not valid UTF-8 is an error too;
    otherwise bad bytes become U+FFFD.
    """
    try:
        text = payload.decode("utf-8", errors="strict" if strict_utf8 else "replace")
    except UnicodeDecodeError:
        raise GatewayResponseError("The body is not valid UTF-8") from None
    text = text.lstrip("\ufeff \t\r\n")
    if _nests_too_deep(text):
        raise GatewayResponseError("The JSON nests deeper than allowed")
    try:
        return _decode_first(text)
    except (ValueError, RecursionError):
        pass
    if not _TRAILING_COMMA.search(text):
        raise GatewayResponseError("The body is malformed JSON")
    try:
        return _decode_first(_drop_trailing_commas(text))
    except (ValueError, RecursionError):
        raise GatewayResponseError("The body is malformed JSON") from None


def parse_push_json(payload: bytes) -> Any:
    """Decode a pushed body: as `parse_json`, and strict about UTF-8."""
    return parse_json(payload, strict_utf8=True)


def _drop_trailing_commas(text: str) -> str:
    """Remove commas that directly precede a closing bracket, outside strings."""
    return _STRING_OR_TRAILING_COMMA.sub(_keep_string, text)


def _keep_string(match: re.Match[str]) -> str:
    return match.group(1) or match.group(2)
