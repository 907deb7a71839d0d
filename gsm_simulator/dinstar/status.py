"""Dinstar port and device status: ``get_port_info``, ``get_status``, the queue."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gsm_simulator.model import ForwardMode, RegState

from .base import DinstarBase
from .names import CALL_FORWARD_KEY, CALL_NAMES, REG_NAMES, SINGLE_SIM_SLOT
from .parsing import BadRequestError, parse_info_types, parse_ports

if TYPE_CHECKING:
    from aiohttp import web

    from gsm_simulator.model import SimPort


class StatusRoutes(DinstarBase):
    """Ports, performance counters and the send queue as the unit reports them."""

    def port_values(self, port: SimPort) -> dict[str, Any]:
        """Every field of ``port`` under the answer key names.

        ``CallForwarding`` is there only once a call-forward check has answered.
        """
        sim = port.sim
        readable = sim if port.sim_readable else None
        present = sim if port.registration is not RegState.POWER_OFF else None
        credit = port.credit
        values: dict[str, Any] = {
            "type": port.module_type.value,
            "imei": port.imei,
            "imsi": readable.imsi if readable else "",
            "iccid": present.iccid if present else "",
            "smsc": readable.smsc if readable else "",
            "number": readable.number if readable else "",
            "reg": REG_NAMES[port.registration],
            "slot": port.active_slot if self.gateway.multi_sim else SINGLE_SIM_SLOT,
            "callstate": CALL_NAMES[port.call_state],
            "signal": port.signal,
            "gprs": "attached" if port.gprs_attached else "detached",
            "remain_credit": f"{credit.remain_credit:.2f}",
            "remain_monthly_credit": f"{credit.remain_monthly_credit:.2f}",
            "remain_daily_credit": f"{credit.remain_daily_credit:.2f}",
            "remain_daily_call_time": str(credit.remain_daily_call_time),
            "remain_hourly_call_time": str(credit.remain_hourly_call_time),
            "remain_daily_connected": str(credit.remain_daily_connect),
        }
        if port.call_forward_report is not None:
            values[CALL_FORWARD_KEY] = {
                mode.value: port.call_forward_report[mode.value]
                for mode in ForwardMode
                if mode.value in port.call_forward_report
            }
        return values

    async def get_port_info(self, request: web.Request) -> web.Response:
        """``GET /api/get_port_info``: the requested info types of the requested ports."""
        try:
            keys = parse_info_types(request.query.get("info_type", ""))
            raw_ports = request.query.get("port", "").strip()
            numbers = (
                parse_ports(raw_ports)
                if raw_ports
                else list(range(self.gateway.port_count))
            )
        except BadRequestError:
            return self._answer(400)
        info: list[dict[str, Any]] = []
        for number in numbers:
            if number >= self.gateway.port_count:
                continue  # a valid port number this unit does not have
            values = self.port_values(self.gateway.ports[number])
            info.append(
                {"port": number, **{key: values[key] for key in keys if key in values}}
            )
        return self._answer(200, info=info)

    async def get_status(self, request: web.Request) -> web.Response:
        """``POST /api/get_status``: performance counters, all strings, no error_code."""
        perf = self.gateway.performance
        performance = {
            "cpu_used": perf.cpu_used,
            "flash_total": perf.flash_total,
            "flash_used": perf.flash_used,
            "memory_total": perf.memory_total,
            "memory_cached": perf.memory_cached,
            "memory_buffers": perf.memory_buffers,
            "memory_free": perf.memory_free,
            "memory_used": perf.memory_used,
        }
        return self.json_response(
            {"performance": {key: str(value) for key, value in performance.items()}}
        )

    async def query_sms_in_queue(self, request: web.Request) -> web.Response:
        """``GET /api/query_sms_in_queue``: number of messages waiting to be sent."""
        return self._answer(200, in_queue=self.gateway.queue_length)
