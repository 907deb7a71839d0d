"""Checking what the control API (:mod:`gsm_simulator.control`) is sent.

Every check raises :class:`ControlError` with the HTTP status and the
message of the answer: 400 for a bad body or value.
"""

from __future__ import annotations

from dataclasses import dataclass
import json
import math
import re
from typing import TYPE_CHECKING, Any, Final, Self, TypeIs

from yarl import URL

from .faults import GatewayMode
from .model import CSQ_MAX, CSQ_UNKNOWN, RegState

if TYPE_CHECKING:
    from collections.abc import Collection

    from aiohttp import web

MAX_SECONDS: Final = 3600.0
"""The longest slow-mode wait or reboot downtime accepted."""
PORT_FIELDS: Final = ("registration", "signal", "sim_present", "balance", "power")
_INTEGER_RE: Final = re.compile(r"-?[0-9]+")
_REG_STATES: Final = frozenset(state.value for state in RegState)
_MODES: Final = frozenset(mode.value for mode in GatewayMode)


class ControlError(Exception):
    """A request the control API refuses with HTTP ``status``."""

    def __init__(self, status: int, message: str) -> None:
        """Refuse with ``status`` and ``message`` (the answer's ``error``)."""
        super().__init__(message)
        self.status = status


def bad_request(message: str) -> ControlError:
    """A 400 refusal saying ``message``."""
    return ControlError(400, message)


def is_int(value: Any) -> TypeIs[int]:
    """Whether ``value`` is a JSON integer (``true`` is not)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: Any) -> TypeIs[int | float]:
    """Whether ``value`` is a finite JSON number."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
    )


async def read_body(request: web.Request, allowed: Collection[str]) -> dict[str, Any]:
    """The request's JSON object (an empty body is ``{}``), only ``allowed`` keys."""
    raw = await request.read()
    if not raw.strip():
        return {}
    try:
        body = json.loads(raw)
    except ValueError as err:
        msg = "the body is not JSON"
        raise bad_request(msg) from err
    if not isinstance(body, dict):
        msg = "the body must be a JSON object"
        raise bad_request(msg)
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        msg = f"unknown field(s) {', '.join(unknown)} (known: {', '.join(allowed)})"
        raise bad_request(msg)
    return body


def text_field(body: dict[str, Any], name: str, *, empty: bool = False) -> str:
    """The string ``body[name]`` (required; non-empty unless ``empty``)."""
    value = body.get(name)
    if not isinstance(value, str) or not (value or empty):
        msg = f"{name} must be a{'' if empty else ' non-empty'} string"
        raise bad_request(msg)
    return value


def seconds_field(body: dict[str, Any], name: str, default: float) -> float:
    """``body[name]`` as seconds, 0..:data:`MAX_SECONDS` (absent: ``default``)."""
    value = body.get(name)
    if value is None:
        return default
    if not is_number(value) or not 0 <= value <= MAX_SECONDS:
        msg = f"{name} must be a number of seconds from 0 to {MAX_SECONDS:g}"
        raise bad_request(msg)
    return float(value)


def optional_bool(body: dict[str, Any], name: str) -> bool | None:
    """``body[name]`` if it is a boolean, ``None`` if absent."""
    value = body.get(name)
    if value is not None and not isinstance(value, bool):
        msg = f"{name} must be true or false"
        raise bad_request(msg)
    return value


def push_url_field(value: Any) -> str | None:
    """A push URL: ``None`` or an absolute http(s) URL."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            url = URL(value)
        except ValueError:
            url = None
        if url is not None and url.scheme in {"http", "https"} and url.host:
            return value
    msg = "url must be an http or https URL, or null"
    raise bad_request(msg)


@dataclass(frozen=True, slots=True)
class PortChange:
    """The checked body of ``POST /sim/api/ports/{port}`` (``None``: unchanged)."""

    registration: RegState | None = None
    signal: int | None = None
    sim_present: bool | None = None
    balance: float | None = None
    power: bool | None = None

    @classmethod
    def parse(cls, body: dict[str, Any]) -> Self:
        """Check the types and ranges of ``body``'s values (400 otherwise)."""
        registration = body.get("registration")
        if registration is not None and (
            not isinstance(registration, str) or registration not in _REG_STATES
        ):
            msg = f"registration must be one of {', '.join(RegState)}"
            raise bad_request(msg)
        signal = body.get("signal")
        if signal is not None and not (
            is_int(signal) and (0 <= signal <= CSQ_MAX or signal == CSQ_UNKNOWN)
        ):
            msg = f"signal must be an integer 0..{CSQ_MAX} or {CSQ_UNKNOWN}"
            raise bad_request(msg)
        balance = body.get("balance")
        if balance is not None and not is_number(balance):
            msg = "balance must be a number"
            raise bad_request(msg)
        return cls(
            registration=None if registration is None else RegState(registration),
            signal=signal,
            sim_present=optional_bool(body, "sim_present"),
            balance=None if balance is None else float(balance),
            power=optional_bool(body, "power"),
        )


def integer_text(raw: str, name: str) -> int:
    """A decimal integer given as text (a URL's path), e.g. ``"-1"``."""
    if not _INTEGER_RE.fullmatch(raw):
        msg = f"{name} must be an integer, got {raw!r}"
        raise bad_request(msg)
    return int(raw)


def mode_field(body: dict[str, Any]) -> GatewayMode:
    """The required gateway ``mode``."""
    mode = body.get("mode")
    if not isinstance(mode, str) or mode not in _MODES:
        msg = f"mode must be one of {', '.join(GatewayMode)}"
        raise bad_request(msg)
    return GatewayMode(mode)


def types_field(body: dict[str, Any]) -> list[str] | None:
    """The optional list of push ``types`` (names are checked by the pusher)."""
    types = body.get("types")
    if types is not None and not (
        isinstance(types, list) and all(isinstance(name, str) for name in types)
    ):
        msg = "types must be a list of push type names"
        raise bad_request(msg)
    return types
