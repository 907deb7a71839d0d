"""The control API and panel of a running simulator, under ``/sim/``.

What an operator (or a script) does to a unit by hand: a port loses the
network, a SIM is pulled or runs out of credit, an SMS or a USSD message
arrives, the whole gateway fails.  Every change goes through the shared
model (:class:`~gsm_simulator.gateway.SimGateway`), so it has the effects a
real event has (register pushes, the inbox, the USSD reply) in every dialect.

Endpoints, JSON in and out (a bad body or value: 400 ``{"error": ...}``; a
port the gateway does not have: 404):

* ``GET /sim/``: the control panel page (:data:`PANEL_FILE`)
* ``GET /sim/api/state``: dialect, serial, ports, gateway mode, push URL
* ``GET /sim/api/ports/{port}``: one port as in the state
* ``POST /sim/api/ports/{port}``: any of ``registration``, ``signal``,
  ``sim_present``, ``balance``, ``power``; answers the port's new state
* ``POST /sim/api/sms``: ``port``, ``sender``, ``text``, optional ``slot``;
  answers ``{"message_id": n}``
* ``POST /sim/api/ussd``: ``port``, ``text``: the network's message, unasked
* ``POST /sim/api/gateway``: ``mode`` ok/down/slow/error, optional
  ``seconds`` (slow); lasts until set back to ok
* ``POST /sim/api/reboot``: optional ``downtime`` seconds (default 5)
* ``PUT /sim/api/push``: ``url`` (``null``: no pushes), optional ``types``

Ports and slots are numbered as the dialect numbers them
(:meth:`~gsm_simulator.dialect.Dialect.port_number`).  These requests skip
the device's authentication, faults, delay and gateway mode, and are not in
:attr:`Simulator.requests <gsm_simulator.server.Simulator.requests>`.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
import json
from typing import TYPE_CHECKING, Any, Final, Protocol

from aiohttp import web

from .control_input import (
    PORT_FIELDS,
    ControlError,
    PortChange,
    bad_request,
    integer_text,
    is_int,
    mode_field,
    push_url_field,
    read_body,
    seconds_field,
    text_field,
    types_field,
)
from .errors import RefusedError
from .faults import DEFAULT_SLOW_SECONDS, GatewayMode
from .model import RegState, needs_sim

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable

    from .dialect import Dialect
    from .faults import FaultInjector
    from .gateway import SimGateway
    from .model import IncomingSms

    type Action = Callable[[web.Request], Awaitable[dict[str, Any]]]
    type Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

PREFIX: Final = "/sim/"
API: Final = "/sim/api"
PANEL_FILE: Final = "panel.html"
"""The panel page, shipped next to this module."""
PANEL_TITLE: Final = "GSM gateway simulator"
REG_STATES_MARK: Final = "__REGISTRATION_STATES__"
"""Replaced in the page by the list of registration states."""
DEFAULT_DOWNTIME: Final = 5.0


def is_control_path(path: str) -> bool:
    """Whether a request for ``path`` belongs to the control API or panel."""
    return path == PREFIX.rstrip("/") or path.startswith(PREFIX)


@cache
def panel_page() -> str:
    """The panel's HTML, with the registration states filled in."""
    template = resources.files(__package__).joinpath(PANEL_FILE).read_text("utf-8")
    states = json.dumps([state.value for state in RegState])
    return template.replace(REG_STATES_MARK, states)


class Controlled(Protocol):
    """What the control API uses of a :class:`~gsm_simulator.server.Simulator`."""

    state: SimGateway
    dialect: Dialect
    dialect_name: str
    faults: FaultInjector
    push_url: str | None

    @property
    def serial(self) -> str:
        """The gateway's serial number."""

    @property
    def offline(self) -> bool:
        """Whether the gateway is down for a reboot."""

    @property
    def push_types(self) -> frozenset[str]:
        """The push types sent."""

    @push_types.setter
    def push_types(self, push_types: Iterable[str]) -> None:
        """Choose the push types sent."""

    def receive_sms(self, port: int, sender: str, text: str) -> IncomingSms:
        """A message arrives on ``port`` (0-based): inbox, then push."""

    def reboot(self, downtime: float) -> None:
        """The gateway restarts, down for ``downtime`` seconds."""


class ControlApi:
    """The ``/sim/`` routes of one :class:`~gsm_simulator.server.Simulator`."""

    def __init__(self, simulator: Controlled) -> None:
        """Control ``simulator``."""
        self.simulator = simulator

    @property
    def gateway(self) -> SimGateway:
        """The simulator's gateway model."""
        return self.simulator.state

    def routes(self) -> list[web.RouteDef]:
        """The aiohttp routes of the panel and the API."""
        return [
            web.get(PREFIX.rstrip("/"), self.redirect),
            web.get(PREFIX, self.panel),
            web.get(f"{API}/state", self._json(self.state)),
            web.get(API + "/ports/{port}", self._json(self.get_port)),
            web.post(API + "/ports/{port}", self._json(self.update_port)),
            web.post(f"{API}/sms", self._json(self.sms)),
            web.post(f"{API}/ussd", self._json(self.ussd)),
            web.post(f"{API}/gateway", self._json(self.set_gateway)),
            web.post(f"{API}/reboot", self._json(self.reboot)),
            web.put(f"{API}/push", self._json(self.set_push)),
        ]

    @staticmethod
    def _json(action: Action) -> Handler:
        """A handler answering ``action``'s result as JSON, and refusals as errors."""

        async def handler(request: web.Request) -> web.StreamResponse:
            try:
                payload = await action(request)
            except ControlError as err:
                return web.json_response({"error": str(err)}, status=err.status)
            except (ValueError, RefusedError) as err:  # the model refused
                return web.json_response({"error": str(err)}, status=400)
            return web.json_response(payload)

        return handler

    # ------------------------------------------------------------------ page
    async def redirect(self, request: web.Request) -> web.StreamResponse:
        """``GET /sim``: to the panel."""
        del request
        raise web.HTTPFound(PREFIX)

    async def panel(self, request: web.Request) -> web.StreamResponse:
        """``GET /sim/``: the control panel."""
        del request
        return web.Response(text=panel_page(), content_type="text/html")

    # ----------------------------------------------------------------- state
    def port_index(self, number: Any) -> int:
        """The model's index of the dialect's port ``number`` (400, or 404 if absent)."""
        if not is_int(number):
            msg = f"port must be an integer, got {number!r}"
            raise bad_request(msg)
        index = self.simulator.dialect.port_index(number)
        if index is None:
            msg = f"no port {number} on this gateway"
            raise ControlError(404, msg)
        return index

    def _path_port(self, request: web.Request) -> int:
        return self.port_index(integer_text(request.match_info["port"], "port"))

    def port_state(self, index: int) -> dict[str, Any]:
        """Port ``index`` (0-based) as the API shows it."""
        port = self.gateway.port(index)
        sim = port.sim
        dialect = self.simulator.dialect
        return {
            "port": dialect.port_number(index),
            "label": dialect.port_label(index),
            "registration": port.registration.value,
            "signal": port.signal,
            "sim_present": sim is not None,
            "balance": sim.balance if sim is not None else None,
            "power": port.registration is not RegState.POWER_OFF,
            "active_slot": dialect.slot_number(port.active_slot),
            "number": sim.number if sim is not None else None,
        }

    def gateway_state(self) -> dict[str, Any]:
        """The gateway mode: ``mode``, ``seconds`` (slow only), ``rebooting``."""
        faults = self.simulator.faults
        slow = faults.mode is GatewayMode.SLOW
        return {
            "mode": faults.mode.value,
            "seconds": faults.mode_seconds if slow else None,
            "rebooting": self.simulator.offline,
        }

    async def state(self, request: web.Request) -> dict[str, Any]:
        """``GET /sim/api/state``: everything the panel shows."""
        del request
        return {
            "dialect": self.simulator.dialect_name,
            "serial": self.simulator.serial,
            "ports": [
                self.port_state(index) for index in range(len(self.gateway.ports))
            ],
            "gateway": self.gateway_state(),
            "push_url": self.simulator.push_url,
        }

    # ----------------------------------------------------------------- ports
    async def get_port(self, request: web.Request) -> dict[str, Any]:
        """``GET /sim/api/ports/{port}``: one port."""
        return self.port_state(self._path_port(request))

    async def update_port(self, request: web.Request) -> dict[str, Any]:
        """``POST /sim/api/ports/{port}``: power, SIM, registration, signal, balance.

        Applied in that order, so that ``{"sim_present": true, "registration":
        "denied"}`` works on an empty port.  Values are checked first: a
        refused request changes nothing.
        """
        index = self._path_port(request)
        change = PortChange.parse(await read_body(request, PORT_FIELDS))
        gateway = self.gateway
        has_sim = gateway.port(index).sim is not None
        will_have_sim = has_sim if change.sim_present is None else change.sim_present
        if not will_have_sim and (
            change.balance is not None
            or (change.registration is not None and needs_sim(change.registration))
        ):
            msg = "that needs a SIM in the port"
            raise bad_request(msg)
        if change.power is not None:
            gateway.power(index, on=change.power)
        if change.sim_present is not None and change.sim_present != has_sim:
            if change.sim_present:
                gateway.insert_sim(index)
            else:
                gateway.remove_sim(index)
        if change.registration is not None:
            gateway.set_registration(index, change.registration)
        if change.signal is not None:
            gateway.set_signal(index, change.signal)
        if change.balance is not None:
            gateway.set_balance(index, change.balance)
        return self.port_state(index)

    # --------------------------------------------------------------- network
    async def sms(self, request: web.Request) -> dict[str, Any]:
        """``POST /sim/api/sms``: a message arrives (inbox, then push)."""
        body = await read_body(request, ("port", "sender", "text", "slot"))
        index = self.port_index(body.get("port"))
        sender = text_field(body, "sender")
        text = text_field(body, "text", empty=True)
        slot = body.get("slot")
        if slot is not None:
            dialect = self.simulator.dialect
            slot_index = dialect.slot_index(slot) if is_int(slot) else None
            if slot_index is None:
                msg = f"no slot {slot!r} on this gateway"
                raise bad_request(msg)
            active = self.gateway.port(index).active_slot
            if slot_index != active:
                msg = f"slot {slot} is not in use (the port uses slot {dialect.slot_number(active)})"
                raise bad_request(msg)
        sms = self.simulator.receive_sms(index, sender, text)
        return {"message_id": sms.sms_id}

    async def ussd(self, request: web.Request) -> dict[str, Any]:
        """``POST /sim/api/ussd``: the network sends a USSD message unasked."""
        body = await read_body(request, ("port", "text"))
        index = self.port_index(body.get("port"))
        reply = self.gateway.ussd.receive(index, text_field(body, "text"))
        return {"port": self.simulator.dialect.port_number(index), "text": reply.text}

    # --------------------------------------------------------------- gateway
    async def set_gateway(self, request: web.Request) -> dict[str, Any]:
        """``POST /sim/api/gateway``: the lasting gateway mode."""
        body = await read_body(request, ("mode", "seconds"))
        mode = mode_field(body)
        seconds = seconds_field(body, "seconds", DEFAULT_SLOW_SECONDS)
        self.simulator.faults.set_mode(mode, seconds)
        return self.gateway_state()

    async def reboot(self, request: web.Request) -> dict[str, Any]:
        """``POST /sim/api/reboot``: the gateway restarts, down for ``downtime`` s."""
        body = await read_body(request, ("downtime",))
        downtime = seconds_field(body, "downtime", DEFAULT_DOWNTIME)
        self.simulator.reboot(downtime)
        return {"downtime": downtime, "gateway": self.gateway_state()}

    async def set_push(self, request: web.Request) -> dict[str, Any]:
        """``PUT /sim/api/push``: where pushes go (and which types)."""
        body = await read_body(request, ("url", "types"))
        if "url" not in body:
            msg = "url is required (null: no pushes)"
            raise bad_request(msg)
        url = push_url_field(body["url"])
        types = types_field(body)
        if types is not None:
            self.simulator.push_types = types
        self.simulator.push_url = url
        return {
            "push_url": self.simulator.push_url,
            "push_types": sorted(self.simulator.push_types),
        }
