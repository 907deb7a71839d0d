"""The Synway dialect's settings (``Simulator(..., dialect_options={...})``).

From the command line they are ``--dialect-option NAME=VALUE`` (text,
converted here); from Python they may also be given typed::

    python -m gsm_simulator synway --dialect-option first_port=0 \
        --dialect-option result_case=oK --dialect-option inbox_scts=1
"""

from __future__ import annotations

from dataclasses import dataclass
import re
from typing import TYPE_CHECKING, Any, Final

from gsm_simulator.dialect_options import flag, options_from_mapping, seconds

from .names import RESULT_OK, SEND_TIMEOUT

if TYPE_CHECKING:
    from collections.abc import Mapping

    from gsm_simulator.dialect_options import Converter

_PORT_TYPE_RE: Final = re.compile(r"[A-Za-z0-9-]{1,16}")


@dataclass(frozen=True, slots=True)
class SynwayOptions:
    """How the simulated Synway unit behaves where units (or their firmware) differ."""

    first_port: int = 1
    """The number of the first port on the wire: 0 or 1."""
    result_case: str = RESULT_OK
    """How the unit spells ``result`` of a successful answer (``ok``, ``oK``, ``OK``)."""
    port_type: str = "WCDMA"
    """The unit's module type, as ``getwirelessinfo`` (``type`` porttype) names it."""
    inbox_scts: bool = False
    """Write the service centre time stamp before each text of ``queryrxsms``."""
    send_timeout: float = SEND_TIMEOUT
    """Seconds a ``txsms`` destination waits for a port able to send (then state 5)."""

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> SynwayOptions:
        """The defaults changed by ``options`` (:class:`ValueError` for a bad one)."""
        return options_from_mapping(cls(), "synway", _CONVERTERS, options)


def _first_port(name: str, value: Any) -> int:
    text = str(value).strip()
    if isinstance(value, bool) or text not in {"0", "1"}:
        msg = f"{name} must be 0 or 1, got {value!r}"
        raise ValueError(msg)
    return int(text)


def _result_case(name: str, value: Any) -> str:
    text = str(value).strip()
    if text.lower() != RESULT_OK:
        msg = f"{name} must be a spelling of 'ok' (ok, oK, Ok, OK), got {value!r}"
        raise ValueError(msg)
    return text


def _port_type(name: str, value: Any) -> str:
    text = str(value).strip()
    if not _PORT_TYPE_RE.fullmatch(text):
        msg = f"{name} must be a module type such as GSM, WCDMA or LTE, got {value!r}"
        raise ValueError(msg)
    return text


_CONVERTERS: Final[dict[str, Converter]] = {
    "first_port": _first_port,
    "result_case": _result_case,
    "port_type": _port_type,
    "inbox_scts": flag,
    "send_timeout": seconds,
}
