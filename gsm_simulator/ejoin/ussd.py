"""Ejoin USSD: ``goip_send_ussd.html``, answered when the network's reply arrives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gsm_simulator.ussd import UssdStatus

from .base import EjoinBase
from .names import Code
from .numbering import PortListError, parse_ports
from .parsing import RequestError

if TYPE_CHECKING:
    from aiohttp import web


class UssdRoutes(EjoinBase):
    """USSD requests that wait for their answer."""

    async def send_ussd(self, request: web.Request) -> web.Response:
        """``GET /goip_send_ussd.html?port=1A&ussd=*100%23``: the reply in ``resp``.

        ``{"code": 0, "reason": "OK", "resp": "..."}`` once the network
        answered; ``6 Timeout`` when it did not within the ``ussd_timeout``
        option; ``3 USSD Expected``, ``2 Invalid Port``, ``5 SIM
        Unregistered`` (no SIM on the network in that port, or not that
        slot's), ``4 Pending USSD`` (the port is busy).
        """
        try:
            fields = await self.fields(request)
        except RequestError as err:
            return self.answer(err.code)
        code = fields.get("ussd")
        if not isinstance(code, str) or not code.strip():
            return self.answer(Code.USSD_EXPECTED)
        code = code.strip()
        gateway = self.gateway
        try:
            refs = parse_ports(
                str(fields.get("port", "")), gateway.port_count, gateway.slot_count
            )
        except PortListError:
            refs = []
        if len(refs) != 1:
            return self.answer(Code.INVALID_PORT)
        ref = refs[0]
        if ref.slot is not None and ref.slot != gateway.port(ref.port).active_slot:
            return self.answer(Code.SIM_UNREGISTERED)
        match gateway.ussd.send(ref.port, code):
            case UssdStatus.NOT_REGISTERED:
                return self.answer(Code.SIM_UNREGISTERED)
            case UssdStatus.BUSY:
                return self.answer(Code.PENDING_USSD)
        text = await self.ussd_waiters.wait(ref.port, code, self.options.ussd_timeout)
        if text is None:
            gateway.ussd.cancel(ref.port)
            return self.answer(Code.TIMEOUT)
        return self.answer(Code.OK, resp=text)
