"""Dinstar "new API" dialect (spec v1.1).

Implemented endpoints:

* ``GET /api/get_port_info?port=0,1&info_type=imei,reg,...``
* ``POST /api/get_status`` (any body; the spec's own body ``[{"performance"}]``
  is not JSON) answering ``{"performance": {...}}`` without ``error_code``
* ``GET /api/query_sms_in_queue``

Ports are 0-based.  Like the spec's example, the answer uses the key names
``remain_daily_call_time``, ``remain_hourly_call_time`` and
``remain_daily_connected`` although the request names are
``remain_daily_calltime``, ``remain_hourly_calltime`` and ``remain_daily_connect``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Final

from aiohttp import web

from .core import MAX_PORTS, CallState, RegState, SimPort
from .dialect import Dialect

if TYPE_CHECKING:
    from collections.abc import Iterable

SINGLE_SIM_SLOT: Final = 255

REG_NAMES: Final[dict[RegState, str]] = {
    RegState.REGISTERED: "REGISTER_OK",
    RegState.SEARCHING: "SEARCHING_NETWORK",
    RegState.NOT_REGISTERED: "UNREGISTER",
    RegState.DENIED: "UNREGISTER",
    RegState.NO_SIM: "NO_SIM",
    RegState.PIN_REQUIRED: "PIN_REQUIRE",
    RegState.PUK_REQUIRED: "PUK_REQUIRE",
    RegState.POWER_OFF: "POWER_OFF",
    RegState.UNKNOWN: "UNKNOWN",
}

CALL_NAMES: Final[dict[CallState, str]] = {
    CallState.IDLE: "Idle",
    CallState.PROCESSING: "Processing",
    CallState.RINGING: "Ringing",
    CallState.ACTIVE: "Active",
    CallState.ALERTING: "Alerting",
    CallState.WAITING: "Call Waiting",
    CallState.HOLDING: "Call holding",
    CallState.UNKNOWN: "Unknown",
}

# Answer keys in the order the spec's example lists them.
FIELD_ORDER: Final = (
    "type",
    "imei",
    "imsi",
    "iccid",
    "smsc",
    "number",
    "reg",
    "slot",
    "callstate",
    "signal",
    "gprs",
    "remain_credit",
    "remain_monthly_credit",
    "remain_daily_credit",
    "remain_daily_call_time",
    "remain_hourly_call_time",
    "remain_daily_connected",
)

# Request info_type names -> answer keys.  The documented request names and
# the spelling of the example answer are both accepted.
INFO_TYPES: Final[dict[str, str]] = {
    **{name: name for name in FIELD_ORDER},
    "remain_daily_calltime": "remain_daily_call_time",
    "remain_hourly_calltime": "remain_hourly_call_time",
    "remain_daily_connect": "remain_daily_connected",
}


class BadRequestError(Exception):
    """A parameter the gateway would refuse with ``error_code`` 400."""


def parse_ports(raw: str) -> list[int]:
    """Parse ``"1,2,3"`` (brackets and blanks tolerated) into distinct port numbers."""
    ports: list[int] = []
    for piece in raw.strip().strip("[]").split(","):
        text = piece.strip()
        if not text.isdigit():
            msg = f"bad port {piece!r}"
            raise BadRequestError(msg)
        number = int(text)
        if number >= MAX_PORTS:
            msg = f"port {number} out of range"
            raise BadRequestError(msg)
        if number not in ports:
            ports.append(number)
    return ports


def parse_info_types(raw: str) -> list[str]:
    """Map a comma list of info types to answer keys, in the spec's order.

    Blanks and a stray trailing ``:`` (as in the spec's example) are
    tolerated, unknown names ignored; no known name at all is a bad request.
    """
    wanted = {
        INFO_TYPES[key]
        for piece in raw.split(",")
        if (key := piece.strip().rstrip(":").strip().lower()) in INFO_TYPES
    }
    if not wanted:
        msg = f"no known info_type in {raw!r}"
        raise BadRequestError(msg)
    return [key for key in FIELD_ORDER if key in wanted]


class DinstarDialect(Dialect):
    """The Dinstar UC2000/DWG "new-version API"."""

    name: ClassVar[str] = "dinstar"
    default_realm: ClassVar[str] = "Web Server"

    def routes(self) -> Iterable[web.AbstractRouteDef]:
        """The endpoints this dialect answers; anything else is a 404."""
        return (
            web.get("/api/get_port_info", self.get_port_info),
            web.post("/api/get_status", self.get_status),
            web.get("/api/query_sms_in_queue", self.query_sms_in_queue),
        )

    def _answer(self, error_code: int, **fields: Any) -> web.Response:
        return self.json_response(
            {"error_code": error_code, "sn": self.gateway.serial, **fields}
        )

    def port_values(self, port: SimPort) -> dict[str, Any]:
        """Every field of ``port`` under the answer key names."""
        sim = port.sim
        readable = sim if port.sim_readable else None
        present = sim if port.registration is not RegState.POWER_OFF else None
        credit = port.credit
        return {
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
            info.append({"port": number, **{key: values[key] for key in keys}})
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
        return self._answer(200, in_queue=self.gateway.sms_queue)
