"""Base class of a vendor dialect: the HTTP face of a :class:`SimGateway`."""

from __future__ import annotations

from abc import ABC, abstractmethod
import json
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import hdrs, web

if TYPE_CHECKING:
    from collections.abc import Iterable

    from .core import GatewayEvent, SimGateway


class Dialect(ABC):
    """Routes and wire format of one vendor's API over the shared gateway model."""

    name: ClassVar[str]
    """The name used to pick the dialect (``Simulator(dialect=...)``, the CLI)."""
    default_realm: ClassVar[str] = "Web Server"
    """Realm of the authentication challenge."""
    default_content_type: ClassVar[str] = "application/json"
    """Content-Type of the JSON answers unless the simulator overrides it."""
    push_types: ClassVar[tuple[str, ...]] = ()
    """The kinds of push this vendor sends (empty: the vendor does not push)."""
    first_port: ClassVar[int] = 0
    """The vendor's number of the gateway's first port (0 or 1)."""
    first_slot: ClassVar[int] = 0
    """The vendor's number of a port's first SIM slot (0 or 1)."""
    port_label_format: ClassVar[str] = "Port {number}"
    """How the vendor's web interface names a port (``{number}``: its number)."""

    def __init__(self, gateway: SimGateway, *, content_type: str | None = None) -> None:
        """Bind the dialect to ``gateway``."""
        self.gateway = gateway
        self.content_type = content_type or self.default_content_type

    # ------------------------------------------------------------- numbering
    def port_number(self, index: int) -> int:
        """The vendor's number of the model's port ``index`` (0-based)."""
        return index + self.first_port

    def port_index(self, number: int) -> int | None:
        """The model's index of the vendor's port ``number``; ``None``: no such port."""
        index = number - self.first_port
        return index if 0 <= index < self.gateway.port_count else None

    def port_label(self, index: int) -> str:
        """The name of the model's port ``index``, as the vendor shows it."""
        return self.port_label_format.format(number=self.port_number(index))

    def slot_number(self, index: int) -> int:
        """The vendor's number of the model's SIM slot ``index`` (0-based)."""
        return index + self.first_slot

    def slot_index(self, number: int) -> int | None:
        """The model's index of the vendor's slot ``number``; ``None``: no such slot."""
        index = number - self.first_slot
        return index if 0 <= index < self.gateway.slot_count else None

    @abstractmethod
    def routes(self) -> Iterable[web.AbstractRouteDef]:
        """The aiohttp routes of this dialect."""

    def json_response(self, payload: Any, *, status: int = 200) -> web.Response:
        """Serialise ``payload`` compactly, as gateways do, with the configured Content-Type."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return web.Response(
            status=status, body=body, headers={hdrs.CONTENT_TYPE: self.content_type}
        )

    def render_push(self, event: GatewayEvent) -> list[tuple[str, dict[str, Any]]]:
        """The pushes (type, JSON body) ``event`` makes; none by default."""
        del event
        return []
