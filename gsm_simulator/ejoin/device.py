"""Ejoin device status: ``goip_get_status.html``, the ``dev-status`` pushes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gsm_simulator.identity import mac_address

from .base import EjoinBase
from .names import DEFAULT_EXPIRES, DEFAULT_PERIOD, MAC_PREFIX, Code
from .parsing import lookup, seconds, whole

if TYPE_CHECKING:
    from aiohttp import web


class DeviceRoutes(EjoinBase):
    """The device's status, and where and how often it is pushed."""

    @property
    def mac(self) -> str:
        """``00-30-f1-xx-xx-xx``, derived from the serial."""
        return mac_address(self.gateway.serial, MAC_PREFIX).lower()

    def dev_status(self, *, all_sims: bool) -> dict[str, Any]:
        """A ``dev-status`` object (the next ``seq``): every port's SIM in use, or every slot."""
        self.status_seq += 1
        period = self.pushes.period if self.pushes is not None else 0.0
        expires = period if period > 0 else DEFAULT_EXPIRES
        gateway = self.gateway
        status = [
            self.view.entry(index, slot, self.watch.sequence.get(index, 0))
            for index, port in enumerate(gateway.ports)
            for slot in (range(gateway.slot_count) if all_sims else [port.active_slot])
        ]
        return {
            "type": "dev-status",
            "seq": self.status_seq,
            "expires": int(expires) if float(expires).is_integer() else expires,
            "mac": self.mac,
            "ip": gateway.ip_address,
            "ver": self.options.firmware,
            "max-ports": gateway.port_count,
            "max-slot": gateway.slot_count,
            "status": status,
        }

    async def get_status(self, request: web.Request) -> web.Response:
        """``GET /goip_get_status.html[?url=...&period=N&all_sims=1]``: ``dev-status``.

        With ``url`` (or ``period``) the URL is registered: ``dev-status`` is
        pushed there every ``period`` seconds (default 60, at least the
        ``min_period`` option; 0 stops it) and ``port-status`` on every port
        change.  Without ``url`` the URL registered before stays.
        """
        query = request.query
        url = lookup(query, "url") or None
        raw_period = lookup(query, "period")
        all_sims = whole(lookup(query, "all_sims"), 0)
        if all_sims not in {0, 1}:
            return self.answer(Code.INVALID_CMD)
        if url is not None or raw_period is not None:
            period = seconds(raw_period, DEFAULT_PERIOD)
            if period is None:
                return self.answer(Code.INVALID_CMD)
            if period > 0:
                period = max(period, self.options.min_period)
            current = self.pushes.url if self.pushes is not None else None
            self.register_push(url or current, period)
            self.all_sims = bool(all_sims)
        return self.json_response(self.dev_status(all_sims=bool(all_sims)))

    def render_periodic_push(self) -> list[tuple[str, dict[str, Any]]]:
        """Every registered period: ``dev-status``."""
        return [("dev-status", self.dev_status(all_sims=self.all_sims))]
