"""The Dinstar client: the requests of the new-version HTTP API."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
import json
import logging
from typing import Any, ClassVar

from ..capabilities import Capability
from ..exceptions import (
    GatewayArgumentError,
    GatewayCommandError,
    GatewayNotRecognizedError,
    GatewayResponseError,
)
from ..gateway import GsmGateway
from ..jsondata import parse_json
from ..models import (
    CallForwardMode,
    CallRecord,
    DeviceEvent,
    DeviceStatus,
    GatewayInfo,
    InboxCursor,
    InboxPage,
    IncomingSms,
    OutgoingSms,
    Port,
    Push,
    SendResult,
    SmsReport,
    StkView,
    UssdAnswer,
    UssdStatus,
)
from ..sms import SmsEncoding
from ..transport import AuthMode
from ..values import to_float, to_int, to_str
from .parsers import (
    parse_cdr,
    parse_incoming_sms,
    parse_port,
    parse_sms_result,
    parse_stk_view,
    reports_of,
    sms_id,
)
from .push import parse_push
from .wire import (
    CALL_FORWARD,
    CALL_FORWARD_BY_WIRE,
    INFO_TYPES,
    MAX_TEXT,
    TIME_FORMAT,
    USSD_STATUS,
)

_LOGGER = logging.getLogger(__name__)


class DinstarGateway(GsmGateway):
    """A Dinstar UC2000 / DWG gateway."""

    family: ClassVar[str] = "dinstar"
    label: ClassVar[str] = "Dinstar (new-version HTTP API)"
    manufacturer: ClassVar[str] = "Dinstar"
    auth_mode: ClassVar[AuthMode] = AuthMode.CHALLENGE
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.SEND_SMS,
            Capability.SIGNAL,
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
            Capability.CALL_STATE,
            Capability.NETWORK_INFO,
            Capability.PACKET_DATA,
            Capability.CREDIT_COUNTERS,
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
                f"{path} answered error code {code}", to_int(code)
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
            cpu_usage=to_float(perf.get("cpu_used")),
            memory_total=to_int(perf.get("memory_total")),
            memory_used=to_int(perf.get("memory_used")),
            flash_total=to_int(perf.get("flash_total")),
            flash_used=to_int(perf.get("flash_used")),
        )

    async def async_get_sms_queue(self) -> int:
        """SMS waiting in the gateway's send queue."""
        payload = await self._call("GET", "/api/query_sms_in_queue")
        count = to_int(payload.get("in_queue"))
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
            task_id=to_int(payload.get("task_id")),
            queued=to_int(payload.get("sms_in_queue")),
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
        return reports_of(payload.get("result"), parse_sms_result)

    async def async_get_inbox(
        self, cursor: InboxCursor | None, *, consume: bool = False
    ) -> InboxPage:
        """Everything above the last id seen; a restart of the ids is noticed.

        After a reboot (a `power_on` push) the gateway may number its inbox
        from 1 again: when nothing is above the mark then, one look at the
        whole inbox tells, and reading starts over from its start.
        """
        after = int((cursor or {}).get("after", 0))
        messages = await self.async_get_incoming_sms(after)
        if (cursor or {}).get("check_restart") and not messages:
            everything = await self.async_get_incoming_sms(0)
            if everything and sms_id(everything[-1]) < after:
                _LOGGER.info("The gateway restarted its message ids")
                after, messages = 0, everything
        if messages:
            after = max(after, sms_id(messages[-1]))
        return InboxPage(messages=tuple(messages), cursor={"after": after})

    def cursor_after_push(
        self, cursor: InboxCursor | None, push: Push
    ) -> InboxCursor | None:
        """A pushed SMS below the mark, or a reboot, may mean restarted ids."""
        after = int((cursor or {}).get("after", 0))
        for event in push.events:
            if isinstance(event, IncomingSms) and event.message_id is not None:
                if sms_id(event) <= after:
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
        return sorted((sms for sms in parsed if sms_id(sms) > after_id), key=sms_id)

    async def async_send_ussd(self, port: int, code: str) -> UssdAnswer:
        """Send a USSD code on one port; the reply is pushed or polled later."""
        payload = await self._call(
            "POST",
            "/api/send_ussd",
            body={"port": [port], "command": "send", "text": code},
        )
        for item in payload.get("result") or []:
            if isinstance(item, dict) and to_int(item.get("port")) == port:
                return UssdAnswer(
                    status=USSD_STATUS.get(
                        to_int(item.get("status")) or 0, UssdStatus.FAILED
                    )
                )
        return UssdAnswer(status=UssdStatus.SENT)

    async def async_get_ussd_reply(self, port: int) -> str | None:
        """The port's latest USSD reply; None while there is none."""
        payload = await self._call("GET", "/api/query_ussd_reply", {"port": str(port)})
        for item in payload.get("reply") or []:
            if isinstance(item, dict) and to_int(item.get("port")) == port:
                return to_str(item.get("text"), MAX_TEXT) or None
        return None

    def parse_push(self, body: bytes) -> Push:
        """Validate a push: sn plus exactly one known event key."""
        return parse_push(body)

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
            if not isinstance(forwarding, dict) or to_int(item.get("port")) != port:
                continue
            for wire, number in forwarding.items():
                mode = CALL_FORWARD_BY_WIRE.get(str(wire).lower())
                key = mode.value if mode else str(wire)[:32]
                result[key] = to_str(number) or ""
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
