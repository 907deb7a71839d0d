"""Dinstar gateways speaking the "new-version" HTTP API (1102 firmware and later).

Ports are numbered from 0. Replies are JSON objects with `error_code` and
`sn`, except `get_status`, which has neither. Key names drift between
firmware versions; both spellings are accepted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
import json
import logging
import math
from typing import Any, ClassVar

from .capabilities import Capability
from .exceptions import (
    GatewayArgumentError,
    GatewayCommandError,
    GatewayNotRecognizedError,
    GatewayResponseError,
)
from .gateway import GsmGateway
from .jsondata import parse_json, parse_push_json
from .models import (
    CallEvent,
    CallForwardMode,
    CallRecord,
    CallState,
    DeviceEvent,
    DeviceStatus,
    GatewayInfo,
    InboxCursor,
    InboxPage,
    IncomingSms,
    NetworkType,
    OutgoingSms,
    Port,
    PortCredits,
    Push,
    PushEvent,
    Registration,
    RegistrationChange,
    SendResult,
    SmsReport,
    SmsState,
    StkItem,
    StkView,
    UssdReply,
    UssdStatus,
)
from .sms import SmsEncoding
from .transport import AuthMode

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
_EMPTY_LONGEST = max(map(len, _EMPTY))
GPRS = {"attached": True, "detached": False}

CALL_FORWARD = {
    CallForwardMode.UNCONDITIONAL: "Unconditional",
    CallForwardMode.NO_REPLY: "NoReply",
    CallForwardMode.BUSY: "Busy",
    CallForwardMode.NOT_REACHABLE: "Not_Reachable",
    CallForwardMode.CANCEL_ALL: "CancelAll",
}
CALL_FORWARD_BY_WIRE = {wire.lower(): mode for mode, wire in CALL_FORWARD.items()}

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
STK_TEXT_LIMIT = 512

SMS_RESULT = {
    "SENDING": SmsState.SENDING,
    "SENT_OK": SmsState.SENT,
    "FAILED": SmsState.FAILED,
    "DELIVERED": SmsState.DELIVERED,
}
USSD_STATUS = {
    200: UssdStatus.SENT,
    486: UssdStatus.BUSY,
    503: UssdStatus.NOT_REGISTERED,
}

# Bounds on what a push may carry.
MAX_PORT = 31
MAX_SERIAL = 64
MAX_NUMBER = 32
MAX_TEXT = 5000
MAX_PUSH_ITEMS = 1000
MAX_DETAIL_KEYS = 24
MAX_DETAIL = 128


class DinstarGateway(GsmGateway):
    """A Dinstar UC2000 / DWG gateway."""

    family: ClassVar[str] = "dinstar"
    label: ClassVar[str] = "Dinstar (new-version HTTP API)"
    manufacturer: ClassVar[str] = "Dinstar"
    auth_mode: ClassVar[AuthMode] = AuthMode.CHALLENGE
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.SEND_SMS,
            Capability.SMS_REPORTS,
            Capability.RECEIVE_SMS,
            Capability.PUSH,
            Capability.USSD,
            Capability.POWER,
            Capability.RESET,
            Capability.SLOT_SWITCH,
            Capability.SIM_LOCK,
            Capability.SIM_BLOCK,
            Capability.CALL_FORWARD,
            Capability.CDR,
            Capability.STK,
            Capability.DEVICE_STATUS,
            Capability.SEND_QUEUE,
            Capability.TASK_STOP,
        }
    )
    max_recipients: ClassVar[int] = 128
    max_text_bytes: ClassVar[int] = 1500
    max_number_length: ClassVar[int] = 24
    max_ussd_bytes: ClassVar[int] = 60
    sim_slots: ClassVar[tuple[int, ...]] = (0, 1, 2, 3)

    async def _call(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None = None,
        body: Any = None,
    ) -> dict[str, Any]:
        """Request an endpoint; return its object when error_code is good."""
        raw = None if body is None else json.dumps(body).encode()
        payload = parse_json(
            await self._transport.request(method, path, params=params, body=raw)
        )
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
        serial = serial.strip()
        return GatewayInfo(
            unique_id=serial,
            serial=serial,
            family=self.family,
            manufacturer=self.manufacturer,
        )

    async def async_get_info(self) -> GatewayInfo:
        """Identify the gateway from one port-info request."""
        serial, ports = await self._port_info()
        return GatewayInfo(
            unique_id=serial,
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

    # Messaging.

    async def async_send_sms(
        self,
        text: str,
        recipients: Sequence[OutgoingSms],
        *,
        ports: Sequence[int] | None = None,
        encoding: SmsEncoding = SmsEncoding.UCS2,
        delivery_report: bool = True,
    ) -> SendResult:
        """Queue a send; each recipient's user_id is its message_id."""
        body: dict[str, Any] = {
            "text": text,
            "param": [
                {"number": sms.number, "user_id": sms.message_id} for sms in recipients
            ],
            "encoding": "gsm-7bit" if encoding is SmsEncoding.GSM7 else "unicode",
            "request_status_report": delivery_report,
        }
        if ports:
            body["port"] = list(ports)
        payload = await self._call("POST", "/api/send_sms", body=body)
        # Each recipient is followed by its user_id, which is its message_id.
        return SendResult(
            task_id=_to_int(payload.get("task_id")),
            queued=_to_int(payload.get("sms_in_queue")),
            handles={sms.message_id: str(sms.message_id) for sms in recipients},
        )

    async def async_get_sms_reports(self, handles: Sequence[str]) -> list[SmsReport]:
        """Sending results for those user ids."""
        user_ids = [int(handle) for handle in handles if handle.isdigit()]
        if not user_ids:
            return []
        payload = await self._call(
            "POST", "/api/query_sms_result", body={"user_id": user_ids}
        )
        return _reports(payload.get("result"), parse_sms_result)

    async def async_get_inbox(self, cursor: InboxCursor | None) -> InboxPage:
        """Everything above the last id seen; a restart of the ids is noticed.

        After a reboot (a `power_on` push) the gateway may number its inbox
        from 1 again: when nothing is above the mark then, one look at the
        whole inbox tells, and reading starts over from its start.
        """
        after = int((cursor or {}).get("after", 0))
        messages = await self.async_get_incoming_sms(after)
        if (cursor or {}).get("check_restart") and not messages:
            everything = await self.async_get_incoming_sms(0)
            if everything and _id(everything[-1]) < after:
                _LOGGER.info("The gateway restarted its message ids")
                after, messages = 0, everything
        if messages:
            after = max(after, _id(messages[-1]))
        return InboxPage(messages=tuple(messages), cursor={"after": after})

    def cursor_after_push(
        self, cursor: InboxCursor | None, push: Push
    ) -> InboxCursor | None:
        """A pushed SMS below the mark, or a reboot, may mean restarted ids."""
        after = int((cursor or {}).get("after", 0))
        for event in push.events:
            if isinstance(event, IncomingSms) and event.message_id is not None:
                if _id(event) <= after:
                    _LOGGER.info("The gateway restarted its message ids")
                    return {"after": 0}
            elif (
                isinstance(event, DeviceEvent)
                and event.details.get("status") == "power_on"
            ):
                return {**(cursor or {}), "check_restart": True}
        return cursor

    async def async_get_incoming_sms(self, after_id: int) -> list[IncomingSms]:
        """All received SMS (read or not) above the mark; none are marked read."""
        payload = await self._call(
            "GET",
            "/api/query_incoming_sms",
            {"flag": "all", "incoming_sms_id": str(max(after_id, 0))},
        )
        messages = payload.get("sms")
        if messages is None:
            return []
        if not isinstance(messages, list):
            raise GatewayResponseError("query_incoming_sms answered without sms")
        parsed = [
            sms
            for item in messages
            if (sms := parse_incoming_sms(item)) and sms.message_id is not None
        ]
        return sorted((sms for sms in parsed if _id(sms) > after_id), key=_id)

    async def async_send_ussd(self, port: int, code: str) -> UssdStatus:
        """Send a USSD code on one port."""
        payload = await self._call(
            "POST",
            "/api/send_ussd",
            body={"port": [port], "command": "send", "text": code},
        )
        for item in payload.get("result") or []:
            if isinstance(item, dict) and _to_int(item.get("port")) == port:
                return USSD_STATUS.get(
                    _to_int(item.get("status")) or 0, UssdStatus.FAILED
                )
        return UssdStatus.SENT

    async def async_get_ussd_reply(self, port: int) -> str | None:
        """The port's latest USSD reply; None while there is none."""
        payload = await self._call("GET", "/api/query_ussd_reply", {"port": str(port)})
        for item in payload.get("reply") or []:
            if isinstance(item, dict) and _to_int(item.get("port")) == port:
                return _to_str(item.get("text"), MAX_TEXT) or None
        return None

    def parse_push(self, body: bytes) -> Push:
        """Validate a push: sn plus exactly one known event key."""
        payload = parse_push_json(body)
        if not isinstance(payload, dict):
            raise GatewayResponseError("A push must be a JSON object")
        serial = payload.get("sn")
        if not isinstance(serial, str) or not 0 < len(serial) <= MAX_SERIAL:
            raise GatewayResponseError("A push must carry the gateway's sn")
        kinds = [key for key in payload if key in PUSH_PARSERS]
        if len(kinds) != 1:
            raise GatewayResponseError("A push must carry exactly one event")
        kind = kinds[0]
        items = payload[kind]
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list) or not 0 < len(items) <= MAX_PUSH_ITEMS:
            raise GatewayResponseError(f"The {kind} push has no usable entries")
        events = [PUSH_PARSERS[kind](kind, item) for item in items]
        if any(event is None for event in events):
            raise GatewayResponseError(f"The {kind} push has an invalid entry")
        return Push(identity=serial, events=tuple(e for e in events if e is not None))

    # Port control (set_port_info and friends).

    # Seconds the gateway needs to ask the network for its forwarding.
    call_forward_settle = 1.0

    async def _set_port_info(self, port: int, action: str, **params: str) -> None:
        await self._call(
            "GET",
            "/api/set_port_info",
            {"port": str(port), "action": action, **params},
        )

    async def async_set_port_power(self, port: int, on: bool) -> None:
        """Switch a port's module on or off."""
        await self._set_port_info(port, "power", param="on" if on else "off")

    async def async_reset_port(self, port: int) -> None:
        """Restart a port's module."""
        await self._set_port_info(port, "reset")

    async def async_switch_sim_slot(self, port: int, slot: int) -> None:
        """Make another SIM slot active (slots 0..3)."""
        await self._set_port_info(port, "slot", param=str(slot))

    async def async_set_sim_lock(self, port: int, pin: str, locked: bool) -> None:
        """Turn the SIM's PIN lock on or off."""
        await self._set_port_info(port, "lock" if locked else "unlock", param=pin)

    async def async_set_sim_blocked(self, port: int, blocked: bool) -> None:
        """Block or unblock a SIM."""
        await self._set_port_info(port, "block" if blocked else "unblock")

    async def async_set_call_forward(
        self, port: int, mode: CallForwardMode, number: str | None
    ) -> None:
        """Set (or cancel) call forwarding."""
        params = {"param": CALL_FORWARD[mode]}
        if number:
            params["number"] = number
        await self._set_port_info(port, "CallForward", **params)

    async def async_get_call_forward(self, port: int) -> dict[str, str]:
        """Ask the network, wait for the answer, then read it."""
        await self._set_port_info(port, "CheckCallForward")
        await asyncio.sleep(self.call_forward_settle)
        payload = await self._call(
            "GET",
            "/api/get_port_info",
            {"port": str(port), "info_type": "CallForward"},
        )
        result: dict[str, str] = {}
        for item in payload.get("info") or []:
            forwarding = item.get("CallForwarding") if isinstance(item, dict) else None
            if not isinstance(forwarding, dict) or _to_int(item.get("port")) != port:
                continue
            for wire, number in forwarding.items():
                mode = CALL_FORWARD_BY_WIRE.get(str(wire).lower())
                key = mode.value if mode else str(wire)[:32]
                result[key] = _to_str(number) or ""
        return result

    async def async_stop_sms_task(self, task_id: str) -> None:
        """Stop a bulk send (Dinstar task ids are numbers)."""
        if not task_id.strip().isdigit():
            raise GatewayArgumentError("task_id", task_id)
        await self._call("GET", "/api/stop_sms", {"task_id": task_id.strip()})

    async def async_get_cdr(
        self,
        ports: list[int] | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> list[CallRecord]:
        """Call detail records."""
        body: dict[str, Any] = {}
        if ports:
            body["port"] = ports
        if after:
            body["time_after"] = after.strftime(TIME_FORMAT)
        if before:
            body["time_before"] = before.strftime(TIME_FORMAT)
        payload = await self._call("POST", "/api/get_cdr", body=body)
        records = payload.get("cdr")
        if not isinstance(records, list):
            raise GatewayResponseError("get_cdr answered without cdr")
        return [record for item in records if (record := parse_cdr(item))]

    async def async_stk_view(self, port: int) -> StkView:
        """The SIM toolkit's current screen."""
        payload = await self._call("GET", "/GetSTKView", {"port": str(port)})
        return parse_stk_view(payload)

    async def async_stk_select(
        self,
        port: int,
        *,
        item: int | None = None,
        action: str | None = None,
        param: str | None = None,
    ) -> StkView:
        """One step in the SIM toolkit; return the screen that follows."""
        body: dict[str, Any] = {"port": port}
        if item is not None:
            body["item"] = item
        if action is not None:
            body["action"] = action
        if param is not None:
            body["param"] = param
        await self._transport.request("POST", "/STKGo", body=json.dumps(body).encode())
        return await self.async_stk_view(port)


def _id(sms: IncomingSms) -> int:
    """The id of a polled SMS (polls keep only SMS with one)."""
    return int(sms.message_id or 0)


def _reports(
    items: Any, parser: Callable[[str, Any], SmsReport | None]
) -> list[SmsReport]:
    if not isinstance(items, list):
        raise GatewayResponseError("The gateway answered without results")
    return [report for item in items if (report := parser("", item))]


def _valid_port(item: Any) -> int | None:
    if not isinstance(item, dict):
        return None
    port = _to_int(item.get("port"))
    return port if port is not None and 0 <= port <= MAX_PORT else None


def _number(value: Any) -> str | None:
    text = _to_str(value, MAX_NUMBER + 1)
    return text if text is not None and len(text) <= MAX_NUMBER else None


def parse_sms_result(_kind: str, item: Any) -> SmsReport | None:
    """A sending result (query_sms_result or the sms_result push)."""
    if (port := _valid_port(item)) is None:
        return None
    vendor_status = _to_str(item.get("status"))
    user_id = _to_int(item.get("user_id"))
    return SmsReport(
        handle=None if user_id is None else str(user_id),
        number=_number(item.get("number")),
        port=port,
        state=SMS_RESULT.get((vendor_status or "").upper()),
        reference=_to_int(item.get("ref_id")),
        segments=_to_int(item.get("count")),
        vendor_status=vendor_status,
        time=_to_str(item.get("time")),
    )


def parse_deliver_status(_kind: str, item: Any) -> SmsReport | None:
    """A delivery report: 0 delivered, 32-63 still trying, 64+ failed for good."""
    if (port := _valid_port(item)) is None:
        return None
    code = _to_int(item.get("status_code"))
    if code is None or not 0 <= code <= 255:
        return None
    state = (
        SmsState.DELIVERED
        if code < 32
        else SmsState.UNDELIVERED
        if code >= 64
        else None
    )
    return SmsReport(
        number=_number(item.get("number")),
        port=port,
        state=state,
        reference=_to_int(item.get("ref_id")),
        status_code=code,
        time=_to_str(item.get("time")),
    )


def parse_incoming_sms(item: Any) -> IncomingSms | None:
    """A received SMS (query_incoming_sms or the sms push; a push may lack the id)."""
    if (port := _valid_port(item)) is None:
        return None
    message_id = _to_int(item.get("incoming_sms_id"))
    sender = _number(item.get("number"))
    text = item.get("text")
    if (message_id is not None and message_id < 0) or sender is None:
        return None
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    timestamp = None
    if raw_time := _to_str(item.get("timestamp")):
        try:
            timestamp = datetime.fromisoformat(raw_time)
        except ValueError:
            timestamp = None
    slot = _to_int(item.get("slot"))
    return IncomingSms(
        message_id=message_id,
        port=port,
        sender=sender,
        text=text,
        slot=slot if slot is not None and 0 <= slot < SINGLE_SIM_SLOT else None,
        smsc=_number(item.get("smsc")),
        timestamp=timestamp,
    )


def _parse_ussd(_kind: str, item: Any) -> UssdReply | None:
    if (port := _valid_port(item)) is None:
        return None
    text = item.get("text")
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    return UssdReply(port=port, text=text)


def _parse_register(_kind: str, item: Any) -> RegistrationChange | None:
    """A SIM registering (`up`) or losing registration (`down`).

    A `down` without ICCID and IMSI (the device writes `><NULL>`) is a SIM
    taken out; with them, the SIM is there but off the network.
    """
    if (port := _valid_port(item)) is None:
        return None
    status = _to_str(item.get("status"))
    if status not in ("up", "down"):
        return None
    slot = _to_int(item.get("slot"))
    iccid = _to_str(item.get("iccid"))
    imsi = _to_str(item.get("imsi"))
    removed = status == "down" and iccid is None and imsi is None
    return RegistrationChange(
        port=port,
        registered=status == "up",
        registration=Registration.REGISTERED
        if status == "up"
        else Registration.NO_SIM
        if removed
        else Registration.NOT_REGISTERED,
        slot=slot if slot is not None and 0 <= slot < SINGLE_SIM_SLOT else None,
        imsi=imsi,
        iccid=iccid,
        phone_number=_to_str(item.get("number")),
        sim_removed=removed,
    )


def _details(
    item: dict[str, Any], skip: tuple[str, ...]
) -> dict[str, str | int | None]:
    """Bounded, flat copy of the vendor's fields for event data."""
    details: dict[str, str | int | None] = {}
    for key, value in list(item.items())[:MAX_DETAIL_KEYS]:
        if key in skip or not isinstance(key, str) or len(key) > 32:
            continue
        if isinstance(value, bool) or value is None:
            details[key] = None if value is None else int(value)
        elif isinstance(value, int):
            details[key] = value
        else:
            details[key] = _to_str(value, MAX_DETAIL)
    return details


def _parse_call(kind: str, item: Any) -> CallEvent | None:
    """A call record or a missed call; a missed call is about its number."""
    if (port := _valid_port(item)) is None:
        return None
    number = _number(item.get("number") or item.get("source_number"))
    if kind == "missed_call" and number is None:
        return None
    return CallEvent(
        kind=kind, port=port, number=number, details=_details(item, ("port",))
    )


def _parse_device(kind: str, item: Any) -> DeviceEvent | None:
    """The gateway's power state (`device`) or a port's exception."""
    if not isinstance(item, dict):
        return None
    if kind == "device":
        if _to_str(item.get("status")) is None:
            return None
        port = _valid_port(item) if "port" in item else None
    elif (port := _valid_port(item)) is None:
        return None
    return DeviceEvent(kind=kind, port=port, details=_details(item, ("port",)))


PUSH_PARSERS: dict[str, Callable[[str, Any], PushEvent | None]] = {
    "sms": lambda _kind, item: parse_incoming_sms(item),
    "sms_result": parse_sms_result,
    "sms_deliver_status": parse_deliver_status,
    "ussd": _parse_ussd,
    "register": _parse_register,
    "cdr": _parse_call,
    "missed_call": _parse_call,
    "device": _parse_device,
    "exception_info": _parse_device,
}


def parse_cdr(item: Any) -> CallRecord | None:
    """One call record; None without a port."""
    if not isinstance(item, dict) or (port := _to_int(item.get("port"))) is None:
        return None
    return CallRecord(
        port=port,
        start=_to_str(item.get("start_date")),
        answer=_to_str(item.get("answer_date")),
        duration=_to_int(item.get("duration")),
        source=_to_str(item.get("source_number")),
        destination=_to_str(item.get("destination_number")),
        direction=_to_str(item.get("direction")),
        codec=_to_str(item.get("codec")),
        hangup=_to_str(item.get("hangup")),
        cause=_to_int(item.get("gsm_code")),
    )


def parse_stk_view(payload: dict[str, Any]) -> StkView:
    """A SIM toolkit screen; items without an id are left out."""
    raw_items = payload.get("item")
    items = [
        StkItem(
            id=item_id, text=_to_str(entry.get("item_string"), STK_TEXT_LIMIT) or ""
        )
        for entry in (raw_items if isinstance(raw_items, list) else [])
        if isinstance(entry, dict)
        and (item_id := _to_int(entry.get("item_id"))) is not None
    ]
    return StkView(
        title=_to_str(payload.get("title"), STK_TEXT_LIMIT),
        text=_to_str(payload.get("text"), STK_TEXT_LIMIT),
        input_type=_to_int(payload.get("input_type")),
        frame_id=_to_int(payload.get("frame_id")),
        items=tuple(items),
    )


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
        gprs_attached=GPRS.get((gprs or "").lower()),
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


# The converters below run for every field of every port on every poll, so
# they test exact types (all JSON gives) rather than isinstance: about three
# times faster, and a bool (a subclass of int) falls out as "not a number".


_INT_FLOAT_LIMIT = 10**300


def _to_str(value: Any, limit: int = 64) -> str | None:
    kind = type(value)
    if kind is not str:
        return str(value)[:limit] if kind is int or kind is float else None
    text: str = value.strip()
    if len(text) <= _EMPTY_LONGEST and text.lower() in _EMPTY:
        return None
    return text[:limit]


def _to_float(value: Any) -> float | None:
    kind = type(value)
    if kind is float:
        return float(value)
    if kind is int:
        # An integer beyond a float's range is no reading of ours.
        return float(value) if -_INT_FLOAT_LIMIT < value < _INT_FLOAT_LIMIT else None
    if kind is str:
        try:
            return float(value)  # float() ignores surrounding whitespace
        except ValueError:
            return None
    return None


def _to_int(value: Any) -> int | None:
    number = _to_float(value)
    if number is None or not math.isfinite(number):
        return None
    return int(number)
