"""Dinstar gateways speaking the "new-version" HTTP API (1102 firmware and later).

Ports are numbered from 0. Replies are JSON objects with `error_code` and
`sn`, except `get_status`, which has neither. Key names drift between
firmware versions; both spellings are accepted.
"""

from __future__ import annotations

import logging
import math
from typing import Any, ClassVar

from .exceptions import (
    GatewayCommandError,
    GatewayNotRecognizedError,
    GatewayResponseError,
)
from .gateway import GsmGateway
from .models import (
    CallState,
    DeviceStatus,
    GatewayInfo,
    NetworkType,
    Port,
    PortCredits,
    Registration,
)
from .transport import AuthMode, parse_json

_LOGGER = logging.getLogger(__name__)

INFO_TYPES = (
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
    "remain_daily_calltime",
    "remain_hourly_calltime",
    "remain_daily_connect",
)

SINGLE_SIM_SLOT = 255

REGISTRATION = {
    "REGISTER_OK": Registration.REGISTERED,
    "SEARCHING_NETWORK": Registration.SEARCHING,
    "UNREGISTER": Registration.NOT_REGISTERED,
    "REGISTER_DENIED": Registration.DENIED,
    "DENIED": Registration.DENIED,
    "NO_SIM": Registration.NO_SIM,
    "PIN_REQUIRE": Registration.PIN_REQUIRED,
    "PIN_REQUIRED": Registration.PIN_REQUIRED,
    "PUK_REQUIRE": Registration.PUK_REQUIRED,
    "PUK_REQUIRED": Registration.PUK_REQUIRED,
    "POWER_OFF": Registration.POWER_OFF,
}

CALL_STATE = {
    "idle": CallState.IDLE,
    "processing": CallState.DIALING,
    "ringing": CallState.RINGING,
    "active": CallState.ACTIVE,
    "alerting": CallState.ALERTING,
    "call waiting": CallState.CALL_WAITING,
    "call holding": CallState.ON_HOLD,
}

NETWORK_TYPE = {
    "GSM": NetworkType.GSM,
    "CDMA": NetworkType.CDMA,
    "WCDMA": NetworkType.WCDMA,
    "LTE": NetworkType.LTE,
}

# Our name -> the spellings seen on devices, newest first.
CREDIT_KEYS: dict[str, tuple[str, ...]] = {
    "remaining_credit": ("remain_credit",),
    "remaining_monthly_credit": ("remain_monthly_credit",),
    "remaining_daily_credit": ("remain_daily_credit",),
    "remaining_daily_call_time": ("remain_daily_call_time", "remain_daily_calltime"),
    "remaining_hourly_call_time": ("remain_hourly_call_time", "remain_hourly_calltime"),
    "remaining_daily_connections": ("remain_daily_connected", "remain_daily_connect"),
}

_EMPTY = {"", "><null>", "null", "none"}


class DinstarGateway(GsmGateway):
    """A Dinstar UC2000 / DWG gateway."""

    family: ClassVar[str] = "dinstar"
    label: ClassVar[str] = "Dinstar (new-version HTTP API)"
    manufacturer: ClassVar[str] = "Dinstar"
    auth_mode: ClassVar[AuthMode] = AuthMode.CHALLENGE

    async def _call(
        self, method: str, path: str, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Request an `/api/` endpoint; return its object when error_code is good."""
        payload = parse_json(await self._transport.request(method, path, params=params))
        if not isinstance(payload, dict):
            raise GatewayResponseError(f"{path} did not answer a JSON object")
        code = payload.get("error_code", payload.get("error code"))
        if code is not None and code not in (200, 202):
            raise GatewayCommandError(
                f"{path} answered error code {code}", _to_int(code)
            )
        return payload

    async def async_probe(self) -> GatewayInfo:
        """A Dinstar answers its queue endpoint with its serial number."""
        try:
            payload = await self._call("GET", "/api/query_sms_in_queue")
        except (GatewayResponseError, GatewayCommandError) as err:
            raise GatewayNotRecognizedError("Not a Dinstar gateway") from err
        serial = payload.get("sn")
        if not isinstance(serial, str) or not serial.strip():
            raise GatewayNotRecognizedError("Not a Dinstar gateway")
        return GatewayInfo(
            serial=serial.strip(), family=self.family, manufacturer=self.manufacturer
        )

    async def async_get_info(self) -> GatewayInfo:
        """Identify the gateway from one port-info request."""
        serial, ports = await self._port_info()
        return GatewayInfo(
            serial=serial,
            family=self.family,
            manufacturer=self.manufacturer,
            port_count=len(ports),
            multi_sim=any(port.sim_slot is not None for port in ports),
        )

    async def async_get_ports(self) -> list[Port]:
        """All info types for all ports in one request."""
        return (await self._port_info())[1]

    async def _port_info(self) -> tuple[str, list[Port]]:
        payload = await self._call(
            "GET", "/api/get_port_info", {"info_type": ",".join(INFO_TYPES)}
        )
        serial = payload.get("sn")
        info = payload.get("info")
        if (
            not isinstance(serial, str)
            or not serial.strip()
            or not isinstance(info, list)
        ):
            raise GatewayResponseError("get_port_info answered without sn or info")
        ports: dict[int, Port] = {}
        for item in info:
            port = parse_port(item)
            if port is None:
                _LOGGER.debug("Ignoring a port entry without a valid number")
                continue
            ports[port.number] = port
        return serial.strip(), [ports[number] for number in sorted(ports)]

    async def async_get_status(self) -> DeviceStatus:
        """CPU, memory and flash figures."""
        body = await self._transport.request(
            "POST", "/api/get_status", body=b'[{"performance"}]'
        )
        payload = parse_json(body)
        perf = payload.get("performance") if isinstance(payload, dict) else None
        if not isinstance(perf, dict):
            raise GatewayResponseError("get_status answered without performance")
        return DeviceStatus(
            cpu_usage=_to_float(perf.get("cpu_used")),
            memory_total=_to_int(perf.get("memory_total")),
            memory_used=_to_int(perf.get("memory_used")),
            flash_total=_to_int(perf.get("flash_total")),
            flash_used=_to_int(perf.get("flash_used")),
        )

    async def async_get_sms_queue(self) -> int:
        """SMS waiting in the gateway's send queue."""
        payload = await self._call("GET", "/api/query_sms_in_queue")
        count = _to_int(payload.get("in_queue"))
        if count is None:
            raise GatewayResponseError("query_sms_in_queue answered without in_queue")
        return count


def parse_port(item: Any) -> Port | None:
    """Build a port from one `info` entry; None when it has no usable number."""
    if not isinstance(item, dict):
        return None
    number = _to_int(item.get("port"))
    if number is None or number < 0:
        return None
    reg_raw = _to_str(item.get("reg"))
    call_raw = _to_str(item.get("callstate"))
    type_raw = _to_str(item.get("type"))
    signal = _to_int(item.get("signal"))
    slot = _to_int(item.get("slot"))
    gprs = _to_str(item.get("gprs"))
    return Port(
        number=number,
        network_type=NETWORK_TYPE.get((type_raw or "").upper(), NetworkType.UNKNOWN),
        imei=_to_str(item.get("imei")),
        imsi=_to_str(item.get("imsi")),
        iccid=_to_str(item.get("iccid")),
        phone_number=_to_str(item.get("number")),
        smsc=_to_str(item.get("smsc")),
        registration=REGISTRATION.get((reg_raw or "").upper(), Registration.UNKNOWN),
        registration_raw=reg_raw,
        call_state=CALL_STATE.get((call_raw or "").lower(), CallState.UNKNOWN),
        call_state_raw=call_raw,
        signal_csq=signal if signal is not None and 0 <= signal <= 31 else None,
        gprs_attached={"attached": True, "detached": False}.get((gprs or "").lower()),
        sim_slot=slot if slot is not None and 0 <= slot < SINGLE_SIM_SLOT else None,
        credits=PortCredits(
            remaining_credit=_to_float(_first(item, CREDIT_KEYS["remaining_credit"])),
            remaining_monthly_credit=_to_float(
                _first(item, CREDIT_KEYS["remaining_monthly_credit"])
            ),
            remaining_daily_credit=_to_float(
                _first(item, CREDIT_KEYS["remaining_daily_credit"])
            ),
            remaining_daily_call_time=_to_int(
                _first(item, CREDIT_KEYS["remaining_daily_call_time"])
            ),
            remaining_hourly_call_time=_to_int(
                _first(item, CREDIT_KEYS["remaining_hourly_call_time"])
            ),
            remaining_daily_connections=_to_int(
                _first(item, CREDIT_KEYS["remaining_daily_connections"])
            ),
        ),
    )


def _first(item: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        if key in item:
            return item[key]
    return None


def _to_str(value: Any) -> str | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        value = str(value)
    if not isinstance(value, str):
        return None
    value = value.strip()
    return None if value.lower() in _EMPTY else value[:64]


def _to_float(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _to_int(value: Any) -> int | None:
    number = _to_float(value)
    if number is None or not math.isfinite(number):
        return None
    return int(number)
