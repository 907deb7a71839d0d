"""Ejoin commands: ``goip_send_cmd.html`` (lock, switch, reset, reboot, get/set ...).

The body is ``{"type": "command", "op": ..., "ports": ...}`` (or the same
as query parameters); ``op`` ``multiple`` carries ``ops``, a list of
``{"op", "ports"}`` of lock, unlock, switch, reset and redial, all checked
before any is carried out.  Answers: ``{"code": 0, "reason": "OK"}``; ``get``
adds the settings asked for (``{"op": "get", "sms_url": ""}``: the SMS push
URL), ``set`` changes them (``{"op": "set", "sms_url": "http://..."}``).
Refusals: ``2 Invalid Port`` (a port list the unit cannot use), ``5 SIM
Unregistered`` (redial on a port off the network), ``7 Server Error`` (a
module that is powered off cannot be reset), ``15 Invalid CMD`` (anything
else).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from gsm_simulator.errors import RefusedError

from .base import EjoinBase
from .names import Code
from .numbering import PortListError, PortRef, parse_ports
from .parsing import RequestError, whole

if TYPE_CHECKING:
    from collections.abc import Callable

    from aiohttp import web

type Step = Callable[[], dict[str, Any]]
"""A checked command, ready to be carried out (answering extra fields)."""

PORT_OPS: Final = frozenset({"lock", "unlock", "switch", "reset", "redial"})
"""Commands on ports; also the ones ``multiple`` may carry."""
SETTINGS: Final = ("sms_url", "data_service_enable")
"""What ``get`` and ``set`` know."""
REDIAL_MODES: Final = frozenset({0, 1})
"""0: flight mode (the SIM registers again), 1: fast (it does not)."""


class CommandRoutes(EjoinBase):
    """``goip_send_cmd.html``."""

    async def send_cmd(self, request: web.Request) -> web.Response:
        """``POST`` (or ``GET``) ``/goip_send_cmd.html``: carry out one or more commands."""
        try:
            fields = await self.fields(request)
            step = self._plan(fields, nested=False)
            try:
                extra = step()
            except RefusedError as err:
                raise RequestError(Code.SERVER_ERROR, str(err)) from err
        except RequestError as err:
            return self.answer(err.code)
        return self.answer(Code.OK, **extra)

    def _plan(self, fields: dict[str, Any], *, nested: bool) -> Step:
        """Check one command; :class:`RequestError` if the unit would refuse it."""
        op = fields.get("op")
        op = op.strip().lower() if isinstance(op, str) else ""
        if op in PORT_OPS:
            return self._port_step(op, fields)
        if nested or op not in {"multiple", "save", "reboot", "get", "set"}:
            raise RequestError(Code.INVALID_CMD, f"unknown op {op!r}")
        match op:
            case "multiple":
                return self._multiple(fields.get("ops"))
            case "save":
                return dict
            case "reboot":
                return self._reboot_step
            case "get":
                return self._get_step(fields)
        return self._set_step(fields)

    def _multiple(self, ops: Any) -> Step:
        if (
            not isinstance(ops, list)
            or not ops
            or not all(isinstance(item, dict) for item in ops)
        ):
            raise RequestError(Code.INVALID_CMD, "ops must be a list of commands")
        steps = [
            self._plan({key.lower(): value for key, value in item.items()}, nested=True)
            for item in ops
        ]

        def run() -> dict[str, Any]:
            for step in steps:
                step()
            return {}

        return run

    def _refs(self, fields: dict[str, Any]) -> list[PortRef]:
        raw = fields.get("ports")
        if (
            not isinstance(raw, str | int)
            or isinstance(raw, bool)
            or str(raw).strip() == ""
        ):
            raise RequestError(Code.INVALID_PORT, "ports expected")
        try:
            return parse_ports(
                str(raw), self.gateway.port_count, self.gateway.slot_count
            )
        except PortListError as err:
            raise RequestError(Code.INVALID_PORT, str(err)) from err

    def _port_step(self, op: str, fields: dict[str, Any]) -> Step:
        refs = self._refs(fields)
        gateway = self.gateway
        if op == "switch" and any(ref.slot is None for ref in refs):
            raise RequestError(Code.INVALID_PORT, "switch needs a slot (2.02 or 2B)")
        mode = whole(fields.get("mode"), 0)
        if op == "redial" and mode not in REDIAL_MODES:
            raise RequestError(
                Code.INVALID_CMD, f"bad redial mode {fields.get('mode')!r}"
            )
        if op == "redial" and not all(
            gateway.port(ref.port).registered for ref in refs
        ):
            raise RequestError(Code.SIM_UNREGISTERED, "redial needs a registered SIM")

        def run() -> dict[str, Any]:
            for ref in refs:
                match op:
                    case "lock" | "unlock":
                        gateway.set_blocked(ref.port, blocked=op == "lock")
                    case "switch":
                        assert ref.slot is not None  # noqa: S101 - checked above
                        gateway.switch_slot(ref.port, ref.slot)
                    case "reset":
                        gateway.reset_port(ref.port)
                    case _ if mode == 0:  # redial in flight mode: register again
                        gateway.reset_port(ref.port)
            return {}

        return run

    def _reboot_step(self) -> dict[str, Any]:
        self.reboot_device(self.options.reboot_downtime)
        return {}

    def _get_step(self, fields: dict[str, Any]) -> Step:
        names = [name for name in SETTINGS if name in fields] or list(SETTINGS)
        return lambda: {name: self._setting(name) for name in names}

    def _setting(self, name: str) -> Any:
        return self.sms_url if name == "sms_url" else self.data_service

    def _set_step(self, fields: dict[str, Any]) -> Step:
        changes = {name: fields[name] for name in SETTINGS if name in fields}
        url = changes.get("sms_url", self.sms_url)
        enable = whole(changes.get("data_service_enable"), self.data_service)
        if not changes or not isinstance(url, str) or enable not in {0, 1}:
            raise RequestError(Code.INVALID_CMD, "nothing to set, or a bad value")

        def run() -> dict[str, Any]:
            self.sms_url = url.strip()
            self.data_service = enable
            return {}

        return run
