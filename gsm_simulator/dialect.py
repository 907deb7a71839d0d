"""Base class of a vendor dialect: the HTTP face of a :class:`SimGateway`.

A dialect declares its routes and renders the shared model in the vendor's
wire format; the shared code offers it these extension points:

* **Numbering**: :attr:`Dialect.first_port`, :attr:`Dialect.first_slot` and
  :attr:`Dialect.port_label_format` map the model's 0-based ports and slots
  to the vendor's numbers; the control API (``/sim/api/ports/{port}``) and
  panel use them too.
* **Authentication**: :attr:`Dialect.default_auth` is the mode a simulator
  uses unless told otherwise.  With :attr:`AuthMode.QUERY
  <gsm_simulator.auth.AuthMode.QUERY>` the credentials are the ``username``
  and ``password`` query parameters (or, in a POST, the keys of its JSON
  body); a request without the right ones is answered by
  :meth:`Dialect.refuse_credentials`, which a dialect overrides to answer as
  its vendor does (an HTTP 200 with an error code, say).
* **Pushes**: :meth:`Dialect.render_push` turns a gateway event into pushes
  of the dialect's :attr:`Dialect.push_types` (sent as
  :attr:`Dialect.push_content_type`).  A vendor whose API lets the client
  register the push URL calls :meth:`Dialect.register_push` from that route;
  the simulator then also sends :meth:`Dialect.render_periodic_push` every
  registered period (:mod:`gsm_simulator.push_schedule`).
  A push that goes somewhere else than the simulator's push URL (a vendor
  whose requests name the URL of each kind of push) is sent with
  :meth:`Dialect.push`.
* **Replies**: :meth:`Dialect.json_response` writes compact JSON;
  :mod:`gsm_simulator.delimited` builds the delimited ``content`` strings
  some vendors put inside it.
* **Options**: a dialect with settings of its own (``Simulator(...,
  dialect_options={...})``, the CLI's ``--dialect-option NAME=VALUE``)
  overrides :meth:`Dialect.configure`; the base refuses every option.
  :mod:`gsm_simulator.dialect_options` reads them into the dialect's
  dataclass of defaults and has the converters the dialects share.
* **Device reboot**: a route that reboots the unit calls
  :meth:`Dialect.reboot_device` (the simulator's reboot: down for the
  downtime, digest nonces forgotten).

A simulator picks a dialect by name (:data:`gsm_simulator.dialects.DIALECTS`)
or is given the class itself.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
import json
from typing import TYPE_CHECKING, Any, ClassVar

from aiohttp import hdrs, web

from .auth import AuthMode, unauthorized

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from .gateway import SimGateway
    from .model import GatewayEvent
    from .push_schedule import PushSchedule


class Dialect(ABC):
    """Routes and wire format of one vendor's API over the shared gateway model."""

    name: ClassVar[str]
    """The name used to pick the dialect (``Simulator(dialect=...)``, the CLI)."""
    default_realm: ClassVar[str] = "Web Server"
    """Realm of the authentication challenge."""
    default_auth: ClassVar[AuthMode] = AuthMode.DIGEST
    """The authentication a simulator of this dialect uses unless told otherwise."""
    default_content_type: ClassVar[str] = "application/json"
    """Content-Type of the JSON answers unless the simulator overrides it."""
    push_types: ClassVar[tuple[str, ...]] = ()
    """The kinds of push this vendor sends (empty: the vendor does not push)."""
    push_content_type: ClassVar[str] = "application/json"
    """Content-Type of the pushes."""
    first_port: ClassVar[int] = 0
    """The vendor's number of the gateway's first port (0 or 1)."""
    first_slot: ClassVar[int] = 0
    """The vendor's number of a port's first SIM slot (0 or 1)."""
    port_label_format: ClassVar[str] = "Port {number}"
    """How the vendor's web interface names a port (``{number}``: its number)."""

    def __init__(
        self,
        gateway: SimGateway,
        *,
        content_type: str | None = None,
        pushes: PushSchedule | None = None,
        reboot: Callable[[float], None] | None = None,
        options: Mapping[str, Any] | None = None,
    ) -> None:
        """Bind the dialect to ``gateway`` (and the simulator's push schedule).

        ``reboot`` restarts the whole unit (the simulator's reboot; default:
        the gateway model's); ``options`` go to :meth:`configure`.
        """
        self.gateway = gateway
        self.content_type = content_type or self.default_content_type
        self.pushes = pushes
        self._reboot = reboot
        self.configure(dict(options or {}))

    def configure(self, options: Mapping[str, Any]) -> None:
        """Apply the dialect's ``options`` (name -> value; text from the CLI).

        The base takes none: any option is a :class:`ValueError`.
        """
        if options:
            msg = f"the {self.name} dialect has no options (got {', '.join(sorted(options))})"
            raise ValueError(msg)

    def reboot_device(self, downtime: float) -> None:
        """Reboot the unit, down for ``downtime`` seconds (for a route that reboots it)."""
        if self._reboot is not None:
            self._reboot(downtime)
        else:
            self.gateway.reboot(downtime)

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

    # --------------------------------------------------------------- answers
    def json_response(self, payload: Any, *, status: int = 200) -> web.Response:
        """Serialise ``payload`` compactly, as gateways do, with the configured Content-Type."""
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        return web.Response(
            status=status, body=body, headers={hdrs.CONTENT_TYPE: self.content_type}
        )

    def refuse_credentials(self, reason: str) -> web.Response:
        """The answer to wrong or missing query credentials (:attr:`AuthMode.QUERY`).

        ``reason`` says what was wrong.  Default: a bare HTTP 401; a vendor
        that answers with an error code in a normal reply overrides this.
        """
        del reason
        return unauthorized()

    # ---------------------------------------------------------------- pushes
    def render_push(self, event: GatewayEvent) -> list[tuple[str, dict[str, Any]]]:
        """The pushes (type, JSON body) ``event`` makes; none by default."""
        del event
        return []

    def render_periodic_push(self) -> list[tuple[str, dict[str, Any]]]:
        """The pushes (type, JSON body) sent every registered period; none by default."""
        return []

    def push(
        self, push_type: str, payload: dict[str, Any], url: str | None = None
    ) -> bool:
        """Send one push now, to ``url`` (default: the simulator's push URL).

        For pushes a dialect sends on its own (batched reports, pushes to a
        URL the client named); False when it is not sent (no URL, type
        disabled, no simulator serving the dialect).
        """
        if self.pushes is None:
            return False
        return self.pushes.pusher.submit(push_type, payload, url=url)

    def register_push(self, url: str | None, period: float = 0.0) -> None:
        """Send every push to ``url`` from now on, and the periodic ones every ``period`` s.

        For a route through which the client registers its push URL; ``0``
        stops the periodic pushes (events still go to ``url``), ``None``
        stops all.  :class:`RuntimeError` when no simulator serves the dialect.
        """
        if self.pushes is None:
            msg = "pushes can only be registered on a dialect a simulator serves"
            raise RuntimeError(msg)
        self.pushes.register(url, period)
