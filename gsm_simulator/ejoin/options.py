"""The Ejoin dialect's settings (``Simulator(..., dialect_options={...})``).

Every option has a default; from the command line
(``--dialect-option NAME=VALUE``) the values come as text and are converted
here, from Python they may also be given typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final, Literal

from gsm_simulator.dialect_options import flag, options_from_mapping, seconds

from .names import (
    FIRMWARE,
    MIN_PERIOD,
    REBOOT_DOWNTIME,
    SIGNAL_THRESHOLD,
    TASK_LIMIT,
    USSD_TIMEOUT,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from gsm_simulator.dialect_options import Converter

type SlotStyle = Literal["dotted", "letter"]
type Refusal = Literal["code", "401"]


@dataclass(frozen=True, slots=True)
class EjoinOptions:
    """How the simulated Ejoin unit behaves where units differ."""

    slot_style: SlotStyle = "dotted"
    """How the unit writes a port's SIM slot: ``dotted`` ``1.02`` or ``letter`` ``1B``
    (requests may use either)."""
    refusal: Refusal = "code"
    """Wrong or missing credentials: ``code`` (HTTP 200 ``{"code": 1, "reason":
    "Invalid User"}``) or ``401`` (a bare HTTP 401)."""
    status_text: bool = False
    """Write ``st`` of ``dev-status`` as ``"3 OK"`` (some firmware) instead of ``3``."""
    min_period: float = MIN_PERIOD
    """The shortest status push period; a shorter one is raised to it."""
    task_limit: int = TASK_LIMIT
    """Unfinished send tasks kept; more are refused (``16 Too Many Task``)."""
    ussd_timeout: float = USSD_TIMEOUT
    """Seconds ``goip_send_ussd`` waits for the answer (then code 6)."""
    reboot_downtime: float = REBOOT_DOWNTIME
    """Seconds the unit is down after the ``reboot`` command."""
    signal_threshold: int = SIGNAL_THRESHOLD
    """CSQ steps the signal must move for a ``port-status`` push (0: never)."""
    sms_url: str = ""
    """Where received SMS are pushed ("": the simulator's push URL); the API can change it."""
    sr_url: str = ""
    """Where send reports go unless a request names one ("": the push URL)."""
    firmware: str = FIRMWARE
    """The ``ver`` of ``dev-status``."""

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> EjoinOptions:
        """The defaults changed by ``options`` (:class:`ValueError` for a bad one)."""
        return options_from_mapping(cls(), "ejoin", _CONVERTERS, options)


def _choice(*allowed: str) -> Callable[[str, Any], str]:
    def convert(name: str, value: Any) -> str:
        text = str(value).strip().lower()
        if text not in allowed:
            msg = f"{name} must be one of {', '.join(allowed)}, got {value!r}"
            raise ValueError(msg)
        return text

    return convert


def _count(name: str, value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdigit():
        msg = f"{name} must be a whole number >= 0, got {value!r}"
        raise ValueError(msg)
    return int(text)


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        msg = f"{name} must be text, got {value!r}"
        raise ValueError(msg)  # noqa: TRY004 - a bad option value, like the others
    return value.strip()


_CONVERTERS: Final[dict[str, Converter]] = {
    "slot_style": _choice("dotted", "letter"),
    "refusal": _choice("code", "401"),
    "status_text": flag,
    "min_period": seconds,
    "task_limit": _count,
    "ussd_timeout": seconds,
    "reboot_downtime": seconds,
    "signal_threshold": _count,
    "sms_url": _text,
    "sr_url": _text,
    "firmware": _text,
}
