"""The Ejoin client: the `goip_*.html` requests of the HTTP API."""

from __future__ import annotations

from collections.abc import Sequence
import json
import time
from typing import Any, ClassVar

import aiohttp

from ..capabilities import Capability
from ..exceptions import (
    GatewayArgumentError,
    GatewayAuthenticationError,
    GatewayCommandError,
    GatewayNotRecognizedError,
    GatewayNotSupportedError,
    GatewayResponseError,
)
from ..gateway import GsmGateway
from ..jsondata import parse_json
from ..models import (
    DeviceStatus,
    GatewayInfo,
    IdentityKind,
    InboxCursor,
    InboxPage,
    IncomingSms,
    OutgoingSms,
    Port,
    PortStatistics,
    Push,
    SendResult,
    SmsReport,
    UssdAnswer,
    UssdStatus,
)
from ..sms import SmsEncoding
from ..transport import AuthMode, ConnectionConfig
from ..values import to_int, to_str
from .parsers import parse_dev_status, parse_sms_row, parse_statistics
from .push import parse_push
from .wire import INVALID_USER, OK_CODES, SLOT_LETTERS, TASK_DUPLICATED, port_slot

CODING = {SmsEncoding.AUTO: 0, SmsEncoding.UCS2: 1, SmsEncoding.GSM7: 2}
# A USSD reply takes the network up to about 20 s.
USSD_TIMEOUT = 30.0
# Task ids count tenths of a second from this moment (2026-01-01 UTC): new
# ones are larger than any a gateway saw before a restart or reload, and
# stay within a signed 32-bit integer for years.
_TID_EPOCH = 1767225600
_last_tid = 0


def next_tid() -> int:
    """A task id no earlier send (of this or a former run) used."""
    global _last_tid  # noqa: PLW0603 - one sequence for every client and reload
    _last_tid = max(_last_tid + 1, int((time.time() - _TID_EPOCH) * 10))
    return _last_tid


class EjoinGateway(GsmGateway):
    """An Ejoin multi-SIM gateway (the `goip_*.html` HTTP API)."""

    family: ClassVar[str] = "ejoin"
    label: ClassVar[str] = "Ejoin (goip HTTP API)"
    manufacturer: ClassVar[str] = "Ejoin"
    auth_mode: ClassVar[AuthMode] = AuthMode.QUERY
    identity_kind: ClassVar[IdentityKind] = IdentityKind.MAC
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.SEND_SMS,
            Capability.SIGNAL,
            Capability.RECEIVE_SMS,
            Capability.PUSH,
            Capability.PUSH_REGISTRATION,
            Capability.USSD,
            Capability.RESET,
            Capability.SLOT_SWITCH,
            Capability.SIM_BLOCK,
            Capability.STATISTICS,
            Capability.TASK_STOP,
            Capability.TASK_PAUSE,
            Capability.BALANCE,
            Capability.OPERATOR,
            Capability.REBOOT,
            Capability.REDIAL,
        }
    )
    max_recipients: ClassVar[int] = 100
    max_text_bytes: ClassVar[int] = 1600
    max_number_length: ClassVar[int] = 24
    max_ussd_bytes: ClassVar[int] = 60
    sim_slots: ClassVar[tuple[int, ...]] = (1, 2, 3, 4)

    def __init__(
        self, session: aiohttp.ClientSession, config: ConnectionConfig
    ) -> None:
        """No push URL, slot or USSD reply known yet."""
        super().__init__(session, config)
        self._push_url: str | None = None
        # Per port: the active slot (for USSD's "1A") and the last USSD reply.
        self._active_slots: dict[int, int | None] = {}
        self._ussd_replies: dict[int, str] = {}

    async def _call(
        self,
        method: str,
        path: str,
        params: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
        *,
        wait: float | None = None,
    ) -> dict[str, Any]:
        """Request an endpoint; refused credentials are an authentication error."""
        raw = None if body is None else json.dumps(body).encode()
        payload = parse_json(
            await self._transport.request(
                method, path, params=params, body=raw, wait=wait
            )
        )
        if not isinstance(payload, dict):
            raise GatewayResponseError(f"{path} did not answer a JSON object")
        if to_int(payload.get("code", payload.get("status"))) == INVALID_USER:
            raise GatewayAuthenticationError(
                f"The gateway refused the credentials for {path}"
            )
        return payload

    @staticmethod
    def _check(payload: dict[str, Any], path: str) -> None:
        code = to_int(payload.get("code"))
        if code is not None and code not in OK_CODES:
            reason = to_str(payload.get("reason"), 128)
            raise GatewayCommandError(f"{path} answered code {code}", code, reason)

    async def _status(self, params: dict[str, str] | None = None) -> Any:
        payload = await self._call("GET", "/goip_get_status.html", params)
        status = parse_dev_status(payload)
        self.firmware = status.firmware
        self._active_slots = {port.number: port.sim_slot for port in status.ports}
        return status

    async def async_probe(self) -> GatewayInfo:
        """An Ejoin answers its status page with a dev-status object."""
        try:
            status = await self._status()
        except (GatewayResponseError, GatewayCommandError) as err:
            raise GatewayNotRecognizedError("Not an Ejoin gateway") from err
        if status.mac is None:
            raise GatewayNotRecognizedError("Not an Ejoin gateway")
        return GatewayInfo(
            unique_id=status.mac,
            mac=status.mac,
            family=self.family,
            manufacturer=self.manufacturer,
            firmware=status.firmware,
            port_count=len(status.ports),
            multi_sim=status.slots > 1,
        )

    async def async_get_info(self) -> GatewayInfo:
        """Identify the gateway (its MAC) from one status request."""
        return await self.async_probe()

    async def async_get_ports(self) -> list[Port]:
        """Every port's active SIM, in one status request."""
        return list((await self._status()).ports)

    async def async_get_status(self) -> DeviceStatus:
        """Ejoin reports no load figures."""
        raise GatewayNotSupportedError("device_status")

    async def async_get_sms_queue(self) -> int:
        """Ejoin reports no send queue."""
        raise GatewayNotSupportedError("send_queue")

    # Pushes.

    async def async_register_push(self, url: str) -> None:
        """Have the unit push its status here; sends name it for SMS and reports."""
        await self._call("GET", "/goip_get_status.html", {"url": url, "period": "60"})
        self._push_url = url

    async def async_unregister_push(self) -> None:
        """Stop the periodic status pushes."""
        self._push_url = None
        await self._call("GET", "/goip_get_status.html", {"period": "0"})

    def parse_push(self, body: bytes) -> Push:
        """A dev-status, port-status, recv-sms or status-report push."""
        return parse_push(body)

    # Sending.

    async def async_send_sms(
        self,
        text: str,
        recipients: Sequence[OutgoingSms],
        *,
        ports: Sequence[int] | None = None,
        encoding: SmsEncoding = SmsEncoding.UCS2,
        delivery_report: bool = True,
    ) -> SendResult:
        """One task for every number; each number is followed as `tid:index`."""
        task: dict[str, Any] = {
            "to": ",".join(sms.number for sms in recipients),
            "sms": text,
            "coding": CODING[encoding],
            "sdr": 1,
            "fdr": 1,
            "dr": 1 if delivery_report else 0,
        }
        if ports:
            task["from"] = ",".join(str(port) for port in ports)
        body: dict[str, Any] = {"type": "send-sms", "task_num": 1}
        if self._push_url:
            body["sms_url"] = body["sr_url"] = self._push_url
        for _attempt in range(2):
            tid = next_tid()
            body["tasks"] = [{"tid": tid, **task}]
            payload = await self._call("POST", "/goip_post_sms.html", body=body)
            self._check(payload, "goip_post_sms")
            code, reason = self._task_status(payload.get("status"), tid)
            if code != TASK_DUPLICATED:
                break
        if code != 0:
            raise GatewayCommandError("The gateway refused the task", code, reason)
        return SendResult(
            task_id=tid,
            handles={
                sms.message_id: f"{tid}:{index}" for index, sms in enumerate(recipients)
            },
        )

    @staticmethod
    def _task_status(items: Any, tid: int) -> tuple[int | None, str | None]:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and to_int(item.get("tid")) == tid:
                status = to_str(item.get("status"), 128)
                head = (status or "").split(" ", 1)[0]
                return (int(head) if head.isdigit() else None), status
        return None, None

    async def _tasks(self, path: str, task_id: str) -> None:
        if not task_id.strip().isdigit():
            raise GatewayArgumentError("task_id", task_id)
        tid = int(task_id)
        payload = await self._call("POST", path, body={"tids": [tid]})
        self._check(payload, path)
        code, reason = self._task_status(payload.get("results"), tid)
        if code not in (None, 0):
            raise GatewayCommandError(f"{path} refused the task", code, reason)

    async def async_stop_sms_task(self, task_id: str) -> None:
        """Remove a task's numbers that are still waiting."""
        await self._tasks("/goip_remove_sms.html", task_id)

    async def async_pause_sms_task(self, task_id: str) -> None:
        """Hold a task's numbers that are still waiting."""
        await self._tasks("/goip_pause_sms.html", task_id)

    async def async_resume_sms_task(self, task_id: str) -> None:
        """Go on with a held task."""
        await self._tasks("/goip_resume_sms.html", task_id)

    # Receiving.

    async def async_get_inbox(
        self, cursor: InboxCursor | None, *, consume: bool = False
    ) -> InboxPage:
        """Everything from the cursor's SMS id; after a reboot (new ssrc), from 1."""
        ssrc = to_str((cursor or {}).get("ssrc"))
        start = int((cursor or {}).get("next", 1)) if ssrc else 1
        payload = await self._inbox(start)
        if ssrc and to_str(payload.get("ssrc")) != ssrc and start > 1:
            start = 1
            payload = await self._inbox(start)
        rows = payload.get("data") or []
        if not isinstance(rows, list):
            raise GatewayResponseError("goip_get_sms answered without data")
        following = to_int(payload.get("next_sms"))
        first = following - len(rows) if following is not None else start
        messages: list[IncomingSms] = []
        reports: list[SmsReport] = []
        for offset, row in enumerate(rows):
            event = parse_sms_row(row, first + offset)
            if isinstance(event, IncomingSms):
                messages.append(event)
            elif isinstance(event, SmsReport):
                reports.append(event)
        return InboxPage(
            messages=tuple(messages),
            reports=tuple(reports),
            cursor={
                "ssrc": to_str(payload.get("ssrc")) or "",
                "next": following if following is not None else start + len(rows),
            },
        )

    async def _inbox(self, start: int) -> dict[str, Any]:
        payload = await self._call(
            "GET", "/goip_get_sms.html", {"sms_id": str(start), "sms_num": "0"}
        )
        self._check(payload, "goip_get_sms")
        return payload

    # USSD: the answer carries the network's reply.

    def _port_name(self, port: int) -> str:
        slot = self._active_slots.get(port)
        return f"{port}{SLOT_LETTERS[slot - 1]}" if slot else str(port)

    async def async_send_ussd(self, port: int, code: str) -> UssdAnswer:
        """Send a USSD code and wait for the network's reply."""
        payload = await self._call(
            "GET",
            "/goip_send_ussd.html",
            {"port": self._port_name(port), "ussd": code},
            wait=USSD_TIMEOUT,
        )
        self._check(payload, "goip_send_ussd")
        reply = to_str(payload.get("resp"), 1000)
        if reply is None:
            return UssdAnswer(status=UssdStatus.FAILED)
        self._ussd_replies[port] = reply
        return UssdAnswer(status=UssdStatus.SENT, reply=reply)

    async def async_get_ussd_reply(self, port: int) -> str | None:
        """The last reply the gateway gave on a port (kept here, no request)."""
        return self._ussd_replies.get(port)

    # Port and device commands.

    async def _command(self, op: str, ports: str | None = None, **extra: Any) -> None:
        body: dict[str, Any] = {"type": "command", "op": op, **extra}
        if ports is not None:
            body["ports"] = ports
        payload = await self._call("POST", "/goip_send_cmd.html", body=body)
        self._check(payload, f"goip_send_cmd {op}")

    async def async_reset_port(self, port: int) -> None:
        """Restart a port's module."""
        await self._command("reset", str(port))

    async def async_switch_sim_slot(self, port: int, slot: int) -> None:
        """Make another SIM slot of a port active."""
        await self._command("switch", port_slot(port, slot))

    async def async_set_sim_blocked(self, port: int, blocked: bool) -> None:
        """Lock (take out of use) or unlock a port's SIM."""
        await self._command("lock" if blocked else "unlock", str(port))

    async def async_reboot(self) -> None:
        """Restart the gateway."""
        await self._command("reboot")

    async def async_redial(self, port: int, *, fast: bool) -> None:
        """Register a port's SIM again: flight mode (0) or fast (1)."""
        await self._command("redial", str(port), mode=1 if fast else 0)

    # Statistics.

    async def async_get_statistics(self) -> dict[int, PortStatistics]:
        """Cumulative SMS and call counters of every port's current SIM."""
        params = {"ports": "all", "type": "3"}
        sms = await self._call("GET", "/goip_get_sms_stat.html", params)
        self._check(sms, "goip_get_sms_stat")
        calls = await self._call("GET", "/goip_get_call_stat.html", params)
        self._check(calls, "goip_get_call_stat")
        return parse_statistics(sms, calls)
