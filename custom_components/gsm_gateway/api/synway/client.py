"""The Synway SMG client: JSON posted to `/API/QueryInfo` and `/API/TaskHandle`."""

from __future__ import annotations

from collections.abc import Sequence
import contextlib
from dataclasses import replace
from datetime import datetime, timedelta
import json
import time
from typing import ClassVar

import aiohttp

from ..capabilities import Capability
from ..exceptions import (
    GatewayCommandError,
    GatewayNotRecognizedError,
    GatewayNotSupportedError,
    GatewayResponseError,
)
from ..gateway import GsmGateway
from ..jsondata import parse_json
from ..models import (
    CallState,
    DeviceStatus,
    GatewayInfo,
    IdentityKind,
    InboxCursor,
    InboxPage,
    IncomingSms,
    NetworkType,
    OutgoingSms,
    Port,
    Registration,
    SendResult,
    SmsBox,
    SmsReport,
    SmsState,
    UssdAnswer,
    UssdStatus,
)
from ..sms import SmsEncoding
from ..transport import AuthMode, ConnectionConfig
from .parsers import (
    InboxRow,
    parse_counted_list,
    parse_inbox,
    parse_port_results,
    parse_port_values,
    parse_task_id,
    parse_tasks,
    parse_total,
    parse_unit_value,
    parse_ussd,
    reply_content,
)
from .wire import (
    CALL_STATES,
    ENCODING_GSM7,
    ENCODING_UCS2,
    MAX_GSM7_CHARS,
    MAX_NUMBERS_PER_TASK,
    MAX_UCS2_CHARS,
    MAX_USSD_CHARS,
    NETWORK_TYPES,
    NONE,
    QUERY,
    REGISTRATIONS,
    SEND_STATES,
    TASK,
    WIRELESS_TYPES,
    format_time,
    parse_time,
    slot_letter,
)

# Module identities change only when a module is swapped: read them hourly.
IDENTITY_MAX_AGE = 3600.0
# The inbox is read from this long before the newest message seen, so that
# messages stamped in the same second (or late, by a second) are not missed;
# those already reported are recognised by the caller.
INBOX_OVERLAP = timedelta(seconds=1)
# A delivery receipt is asked for this long after a send was sent.
RECEIPT_WINDOW = 24 * 3600.0


class SynwayGateway(GsmGateway):
    """A Synway SMG wireless gateway (SMG4008, SMG4016, SMG4032 ...).

    The API has no serial number: the unit is known by its modules' IMEIs,
    the first port's one being the unique id (`GatewayInfo.identities` has
    them all). Ports are numbered as the unit writes them in its replies.
    Nothing is pushed: the inbox, send results and USSD replies are polled.
    """

    family: ClassVar[str] = "synway"
    label: ClassVar[str] = "Synway SMG"
    manufacturer: ClassVar[str] = "Synway"
    auth_mode: ClassVar[AuthMode] = AuthMode.BASIC
    identity_kind: ClassVar[IdentityKind] = IdentityKind.DERIVED
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {
            Capability.SEND_SMS,
            Capability.SMS_REPORTS,
            Capability.RECEIVE_SMS,
            Capability.USSD,
            Capability.CALL_STATE,
            Capability.NETWORK_INFO,
            Capability.DELETE_SMS,
        }
    )
    # More numbers than one task takes are sent as several tasks.
    max_recipients: ClassVar[int] = 10 * MAX_NUMBERS_PER_TASK
    max_text_bytes: ClassVar[int] = 4 * MAX_GSM7_CHARS
    max_text_chars: ClassVar[dict[SmsEncoding, int]] = {
        SmsEncoding.GSM7: MAX_GSM7_CHARS,
        SmsEncoding.UCS2: MAX_UCS2_CHARS,
    }
    max_number_length: ClassVar[int] = 32
    max_ussd_bytes: ClassVar[int] = MAX_USSD_CHARS
    max_report_batch: ClassVar[int] = 100
    report_poll_after: ClassVar[float | None] = 5.0
    sim_slots: ClassVar[tuple[int, ...]] = (1, 2, 3, 4)

    def __init__(
        self, session: aiohttp.ClientSession, config: ConnectionConfig
    ) -> None:
        """Nothing read from the unit yet."""
        super().__init__(session, config)
        # Port numbers as the unit writes them, in port order.
        self._numbers: list[int] = []
        self._identity: dict[str, dict[int, str | None]] = {}
        self._network: dict[int, NetworkType] = {}
        self._identity_read_at: float | None = None
        # Per port: the highest USSD order number seen before a request.
        self._ussd_floor: dict[int, int] = {}

    async def _post(self, path: str, event: str, **params: str) -> str:
        """Post one event; the reply's content, a refusal raised."""
        body = json.dumps({"event": event, **params}).encode()
        payload = parse_json(await self._transport.request("POST", path, body=body))
        return reply_content(payload, event)

    # Identity and ports.

    async def async_probe(self) -> GatewayInfo:
        """An SMG answers `getportinfo` with `total:N;portstate:...`."""
        try:
            states = parse_counted_list(
                await self._post(QUERY, "getportinfo"), "portstate", "getportinfo"
            )
        except (GatewayResponseError, GatewayCommandError) as err:
            raise GatewayNotRecognizedError("Not a Synway SMG gateway") from err
        return await self._info(len(states))

    async def async_get_info(self) -> GatewayInfo:
        """Identify the unit by its modules' IMEIs."""
        return await self.async_probe()

    async def _info(self, count: int) -> GatewayInfo:
        await self._refresh_identity()
        imeis = self._identity.get("IMEI", {})
        # In port order: the first port's module IMEI is the unique id.
        known = [imei for number in self._numbers if (imei := imeis.get(number))]
        if not known:
            raise GatewayResponseError("getwirelessinfo named no module IMEI")
        return GatewayInfo(
            unique_id=known[0],
            family=self.family,
            manufacturer=self.manufacturer,
            model=f"SMG ({count} ports)",
            port_count=count,
            multi_sim=False,
            identities=frozenset(known),
        )

    async def _refresh_identity(self) -> None:
        """Read the identity unless it was read within the last hour."""
        if (
            self._identity_read_at is None
            or time.monotonic() - self._identity_read_at > IDENTITY_MAX_AGE
        ):
            await self._read_identity()

    async def _read_identity(self) -> None:
        """Every port's IMEI, ICCID, IMSI, number and radio type."""
        identity: dict[str, dict[int, str | None]] = {}
        unit_type: str | None = None
        for kind in WIRELESS_TYPES:
            content = await self._post(QUERY, "getwirelessinfo", type=kind)
            event = f"getwirelessinfo {kind}"
            if kind == "porttype" and (
                unit_type := parse_unit_value(content, "PortType", event)
            ):
                continue
            identity[kind] = parse_port_values(content, event)
        numbers = sorted(identity.get("IMEI", {}))
        if numbers:
            self._numbers = numbers
        types = identity.get("porttype", {})
        self._network = {
            number: NETWORK_TYPES.get(
                (types.get(number) or unit_type or "").upper(), NetworkType.UNKNOWN
            )
            for number in self._numbers
        }
        self._identity = identity
        self._identity_read_at = time.monotonic()

    async def async_get_ports(self) -> list[Port]:
        """Call states and registrations: two requests (identity hourly)."""
        await self._refresh_identity()
        calls = parse_counted_list(
            await self._post(QUERY, "getportinfo"), "portstate", "getportinfo"
        )
        links = parse_counted_list(
            await self._post(QUERY, "getportconnectstate"),
            "ConnectState",
            "getportconnectstate",
        )
        if len(calls) != len(links):
            raise GatewayResponseError(
                "getportinfo and getportconnectstate count different ports"
            )
        if len(self._numbers) != len(calls):
            # A unit that named fewer modules than it has ports: read again.
            await self._read_identity()
            if len(self._numbers) != len(calls):
                raise GatewayResponseError(
                    f"getwirelessinfo named {len(self._numbers)} ports of {len(calls)}"
                )
        ident = self._identity
        return [
            Port(
                number=number,
                network_type=self._network.get(number, NetworkType.UNKNOWN),
                imei=ident.get("IMEI", {}).get(number),
                iccid=ident.get("ICCID", {}).get(number),
                imsi=ident.get("IMSI", {}).get(number),
                phone_number=ident.get("PhoneNo", {}).get(number),
                registration=REGISTRATIONS.get(link, Registration.UNKNOWN),
                registration_raw=str(link),
                call_state=CALL_STATES.get(call, CallState.UNKNOWN),
                call_state_raw=str(call),
            )
            for number, call, link in zip(self._numbers, calls, links, strict=True)
        ]

    async def async_get_status(self) -> DeviceStatus:
        """The API reports no load figures."""
        raise GatewayNotSupportedError("device_status")

    async def async_get_sms_queue(self) -> int:
        """The API reports no send queue."""
        raise GatewayNotSupportedError("send_queue")

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
        """One `txsms` task per 50 numbers; each number followed by task and place."""
        port_list = ",".join(str(port) for port in ports) if ports else NONE
        coding = ENCODING_GSM7 if encoding is SmsEncoding.GSM7 else ENCODING_UCS2
        handles: dict[int, str] = {}
        task_ids: list[int] = []
        for start in range(0, len(recipients), MAX_NUMBERS_PER_TASK):
            batch = recipients[start : start + MAX_NUMBERS_PER_TASK]
            content = await self._post(
                TASK,
                "txsms",
                num=",".join(sms.number for sms in batch),
                port=port_list,
                encoding=coding,
                smsinfo=text,
            )
            task_id = parse_task_id(content, "txsms")
            task_ids.append(task_id)
            seen: dict[str, int] = {}
            receipt = "r" if delivery_report else "-"
            for sms in batch:
                # The same number twice in a task: told apart by occurrence.
                occurrence = seen[sms.number] = seen.get(sms.number, -1) + 1
                handles[sms.message_id] = (
                    f"{task_id}:{sms.number}:{occurrence}:{receipt}"
                )
        return SendResult(
            task_id=task_ids[0] if len(task_ids) == 1 else ",".join(map(str, task_ids)),
            handles=handles,
        )

    async def async_get_sms_reports(self, handles: Sequence[str]) -> list[SmsReport]:
        """Task states (`querytxsms`), then receipts (`querytxsmsrpt`) of sent ones."""
        # (task, number, occurrence) -> the handle, and whether a receipt is wanted.
        wanted: dict[tuple[int, str, int], tuple[str, bool]] = {}
        for handle in handles:
            tid, number, place, receipt = ([*handle.split(":"), "", "", ""])[:4]
            if tid.isdigit() and place.isdigit():
                wanted[int(tid), number, int(place)] = (handle, receipt == "r")
        if not wanted:
            return []
        tasks = sorted({key[0] for key in wanted})
        content = await self._post(
            QUERY, "querytxsms", taskid=",".join(map(str, tasks))
        )
        reports: list[SmsReport] = []
        for task in parse_tasks(content, "querytxsms"):
            seen: dict[str, int] = {}
            for item in task.items:
                occurrence = seen[item.number] = seen.get(item.number, -1) + 1
                found = wanted.get((task.task_id, item.number, occurrence))
                if found is None:
                    continue
                handle, wants_receipt = found
                state = SEND_STATES.get(item.state)
                report = SmsReport(
                    handle=handle,
                    number=item.number,
                    port=item.port if item.port >= 0 else None,
                    state=state,
                    vendor_status=str(item.state),
                    status_code=item.state,
                )
                reports.append(report)
                if (
                    state is SmsState.SENT
                    and wants_receipt
                    and await self._delivered(item.port, item.number)
                ):
                    reports.append(replace(report, state=SmsState.DELIVERED))
        return reports

    async def _delivered(self, port: int, number: str) -> bool:
        """Whether the receipt of the last SMS from `port` to `number` came."""
        try:
            content = await self._post(
                QUERY, "querytxsmsrpt", port=str(port), num=number
            )
        except GatewayCommandError:
            return False  # no receipt (yet)
        return content.strip().upper() == "OK"

    # Receiving: no push, the inbox is read from a time watermark.

    async def async_get_inbox(
        self, cursor: InboxCursor | None, *, consume: bool = False
    ) -> InboxPage:
        """What arrived from the cursor's time on (the gateway's clock)."""
        params: dict[str, str] = {}
        after = (cursor or {}).get("after")
        if isinstance(after, str):
            with contextlib.suppress(ValueError):
                params["begintime"] = format_time(parse_time(after) - INBOX_OVERLAP)
        if consume:
            params["delete"] = "1"
        rows = parse_inbox(await self._post(QUERY, "queryrxsms", **params))
        newest = after if isinstance(after, str) else None
        messages: list[IncomingSms] = []
        # Rows of the same content in the same second are told apart by
        # their occurrence, which the next read (from that second) repeats.
        occurrences: dict[tuple[str, int, str, str], int] = {}
        for row in rows:
            stamp = format_time(row.time)
            key = (stamp, row.port, row.sender, row.text)
            occurrence = occurrences[key] = occurrences.get(key, -1) + 1
            messages.append(self._incoming(row, f"{stamp}-{occurrence}"))
            if newest is None or stamp > newest:
                newest = stamp
        return InboxPage(
            messages=tuple(messages),
            cursor={"after": newest} if newest else {},
        )

    @staticmethod
    def _incoming(row: InboxRow, message_id: str) -> IncomingSms:
        return IncomingSms(
            message_id=message_id,
            port=row.port,
            slot=row.slot,
            sender=row.sender,
            text=row.text,
            timestamp=row.time,
        )

    async def async_delete_sms(
        self,
        box: SmsBox,
        *,
        ports: Sequence[int] | None = None,
        number: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        everything: bool = False,
    ) -> int:
        """`deletesms`: the inbox (`r`), the outbox (`s`) or both."""
        params = {
            "smsbox": {SmsBox.INBOX: "r", SmsBox.OUTBOX: "s", SmsBox.BOTH: "r,s"}[box],
            "clear": "2" if everything else "1",
        }
        if not everything:
            if ports:
                params["port"] = ",".join(str(port) for port in ports)
            if number:
                params["phonenum"] = number
            if start is not None:
                params["begintime"] = format_time(start)
            if end is not None:
                params["endtime"] = format_time(end)
        content = await self._post(TASK, "deletesms", **params)
        total, _rest = parse_total(content, "deletesms")
        return total

    # USSD: the request's reply is read from the device's USSD store.

    async def async_send_ussd(self, port: int, code: str) -> UssdAnswer:
        """`txussd` on one port; the reply comes later (`rxussd`)."""
        if port not in self._ussd_floor:
            await self.async_get_ussd_reply(port)
        content = await self._post(TASK, "txussd", port=str(port), ussd=code)
        results = parse_port_results(content, "txussd")
        if not results.get(port, False):
            return UssdAnswer(status=UssdStatus.FAILED)
        return UssdAnswer(status=UssdStatus.SENT)

    async def async_get_ussd_reply(self, port: int) -> str | None:
        """A reply newer than any seen before; the store is pruned once read."""
        rows = [
            row
            for row in parse_ussd(await self._post(QUERY, "rxussd", port=str(port)))
            if row.port == port
        ]
        floor = self._ussd_floor.get(port)
        if floor is None:
            # The first look: whatever is stored is old.
            self._ussd_floor[port] = max((row.order for row in rows), default=-1)
            return None
        answered = [row for row in rows if row.order > floor and row.reply is not None]
        if not answered:
            return None
        latest = max(answered, key=lambda row: row.order)
        self._ussd_floor[port] = latest.order
        done = [str(row.order) for row in rows if row.order <= latest.order]
        # Should the store keep them, the floor still hides them.
        with contextlib.suppress(GatewayCommandError):
            await self._post(TASK, "deleteussd", port=str(port), num=",".join(done))
        return latest.reply

    def slot_label(self, slot: int) -> str:
        """Slots are lettered A..D."""
        return slot_letter(slot)
