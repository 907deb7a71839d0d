"""What every part of the Dinstar dialect shares: its identity and answer shape."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from gsm_simulator.dialect import Dialect

from .names import PUSH_TYPES
from .parsing import BadRequestError, single_port

if TYPE_CHECKING:
    from aiohttp import web


class DinstarBase(Dialect):
    """The Dinstar dialect's name, realm and pushes, and its ``error_code`` answers.

    The route groups (:mod:`.status`, :mod:`.messaging`, :mod:`.control`) and
    the push rendering (:mod:`.push`) extend it; :class:`~.dialect.DinstarDialect`
    combines them.
    """

    name: ClassVar[str] = "dinstar"
    default_realm: ClassVar[str] = "Web Server"
    push_types: ClassVar[tuple[str, ...]] = PUSH_TYPES

    def _answer(self, error_code: int, **fields: Any) -> web.Response:
        return self.json_response(
            {"error_code": error_code, "sn": self.gateway.serial, **fields}
        )

    def _present_port(self, raw: str | None) -> int:
        """One port number of this unit (400 otherwise)."""
        number = single_port(raw)
        if number >= self.gateway.port_count:
            msg = f"no port {number} on this unit"
            raise BadRequestError(msg)
        return number
