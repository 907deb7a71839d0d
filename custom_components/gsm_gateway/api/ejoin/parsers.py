"""Ejoin's answers and pushes turned into the client's models."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, replace
from datetime import UTC, datetime
import re
from typing import Any

from ..exceptions import GatewayResponseError
from ..models import IncomingSms, Port, PortStatistics, SmsReport, SmsState
from ..values import to_float, to_int, to_str
from .wire import MAX_NUMBER, MAX_ROWS, MAX_TEXT, parse_port_slot, registration

_HEX = re.compile(r"[^0-9a-fA-F]")


def format_mac(value: Any) -> str | None:
    """A MAC address as `00:30:f1:00:6c:55`, whatever separators it came with."""
    text = to_str(value)
    if text is None:
        return None
    digits = _HEX.sub("", text).lower()
    if len(digits) != 12 or len(text) > 17:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def number_or_none(value: Any) -> str | None:
    """A phone number as the device wrote it, or None when too long or empty."""
    text = to_str(value, MAX_NUMBER + 1)
    return text if text is not None and len(text) <= MAX_NUMBER else None


def parse_port(item: Any) -> Port | None:
    """One entry of `status` (dev-status) or a port-status push."""
    if not isinstance(item, dict):
        return None
    where = parse_port_slot(item.get("port"))
    if where is None:
        return None
    number, slot = where
    signal = to_int(item.get("sig"))
    return Port(
        number=number,
        sim_slot=slot,
        registration=registration(item.get("st")),
        registration_raw=to_str(item.get("st")),
        signal_csq=signal if signal is not None and 0 <= signal <= 31 else None,
        imei=to_str(item.get("imei")),
        imsi=to_str(item.get("imsi")),
        iccid=to_str(item.get("iccid")),
        phone_number=to_str(item.get("sn")),
        operator=to_str(item.get("opr")),
        balance=to_float(item.get("bal")),
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceStatus:
    """What a dev-status says: the unit and its ports."""

    mac: str | None
    firmware: str | None
    slots: int
    ports: tuple[Port, ...]


def parse_dev_status(payload: Any) -> DeviceStatus:
    """A `dev-status` object (the status answer, or the periodic push)."""
    if not isinstance(payload, dict) or payload.get("type") != "dev-status":
        raise GatewayResponseError("The gateway answered without a dev-status")
    entries = payload.get("status")
    if not isinstance(entries, list) or len(entries) > MAX_ROWS:
        raise GatewayResponseError("The dev-status has no port list")
    # Firmware writes "max-slot" or "max-slots"; single-SIM units still
    # write the slot in the port ("1.01"): it means nothing there.
    slots = to_int(payload.get("max-slot", payload.get("max-slots"))) or 1
    ports: dict[int, Port] = {}
    for item in entries:
        if (port := parse_port(item)) is not None:
            if slots <= 1:
                port = replace(port, sim_slot=None)
            ports.setdefault(port.number, port)
    return DeviceStatus(
        mac=format_mac(payload.get("mac")),
        firmware=to_str(payload.get("ver")),
        slots=slots,
        ports=tuple(ports[number] for number in sorted(ports)),
    )


def _text(content: Any) -> str | None:
    """An SMS text: base64 of UTF-8."""
    if not isinstance(content, str) or len(content) > 4 * MAX_TEXT:
        return None
    try:
        text = base64.b64decode(content, validate=False).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return text if len(text) <= MAX_TEXT else None


def parse_sms_row(row: Any, message_id: int | None) -> IncomingSms | SmsReport | None:
    """`[report flag, port, unix time, sender, recipient, content]`.

    A flag of 1 is a delivery report: the sender is the SMSC, the recipient
    the number the SMS went to, the content `"code scts"` (0: delivered).
    """
    if not isinstance(row, list) or len(row) < 6:
        return None
    flag, where, stamp = to_int(row[0]), parse_port_slot(row[1]), to_int(row[2])
    if flag not in (0, 1) or where is None:
        return None
    port, slot = where
    moment = (
        datetime.fromtimestamp(stamp, UTC)
        if stamp is not None and 0 <= stamp < 2**32
        else None
    )
    if flag == 1:
        code = to_int(str(row[5]).strip().split(" ", 1)[0]) if row[5] else None
        number = number_or_none(row[4])
        if code is None or number is None:
            return None
        return SmsReport(
            number=number,
            port=port,
            state=SmsState.DELIVERED if code == 0 else SmsState.UNDELIVERED,
            status_code=code,
            vendor_status=to_str(row[5]),
        )
    sender, text = number_or_none(row[3]), _text(row[5])
    if sender is None or text is None:
        return None
    return IncomingSms(
        message_id=message_id,
        port=port,
        slot=slot,
        sender=sender,
        text=text,
        timestamp=moment,
    )


def parse_task_reports(item: Any) -> list[SmsReport] | None:
    """One entry of a status-report: each number's success or failure.

    A recipient's handle is `"tid:index"` (its place in the task's numbers).
    """
    if not isinstance(item, dict) or (tid := to_int(item.get("tid"))) is None:
        return None
    reports: list[SmsReport] = []
    for key, state in (("sdr", SmsState.SENT), ("fdr", SmsState.FAILED)):
        rows = item.get(key) or []
        if not isinstance(rows, list) or len(rows) > MAX_ROWS:
            return None
        for row in rows:
            if not isinstance(row, list) or len(row) < 3:
                return None
            index, where = to_int(row[0]), parse_port_slot(row[2])
            if index is None or index < 0:
                return None
            reason = to_str(row[4], 128) if len(row) > 4 else None
            reports.append(
                SmsReport(
                    handle=f"{tid}:{index}",
                    number=number_or_none(row[1]),
                    port=where[0] if where else None,
                    state=state,
                    vendor_status=reason,
                    status_code=to_int(reason.split(" ", 1)[0]) if reason else None,
                )
            )
    return reports


def parse_statistics(sms: Any, calls: Any) -> dict[int, PortStatistics]:
    """The SMS and call counters of every port's current SIM."""
    by_port: dict[int, dict[str, Any]] = {}
    for source, prefix in ((sms, "sms"), (calls, "call")):
        rows = source.get("stats") if isinstance(source, dict) else None
        if not isinstance(rows, list):
            raise GatewayResponseError(f"The {prefix} statistics have no stats")
        for row in rows[:MAX_ROWS]:
            if isinstance(row, dict) and (port := to_int(row.get("port"))) is not None:
                by_port.setdefault(port, {}).update(
                    {f"{prefix}_{key}": value for key, value in row.items()}
                )
    return {
        port: PortStatistics(
            sms_sent=to_int(values.get("sms_sent")),
            sms_sent_ok=to_int(values.get("sms_sent_ok")),
            sms_sent_failed=to_int(values.get("sms_sent_failed")),
            sms_failed_in_a_row=to_int(values.get("sms_con_failed")),
            sms_received=to_int(values.get("sms_received")),
            calls=to_int(values.get("call_calls")),
            calls_connected=to_int(values.get("call_connected")),
            asr=to_float(values.get("call_asr")),
            acd=to_float(values.get("call_acd")),
        )
        for port, values in sorted(by_port.items())
    }
