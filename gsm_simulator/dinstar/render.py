"""Dinstar renderings of the model's records, shared by query answers and pushes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .names import DIRECTION_NAMES, SMS_STATUS_NAMES
from .parsing import format_time

if TYPE_CHECKING:
    from gsm_simulator.model import IncomingSms
    from gsm_simulator.records import CallRecord, DeliveryReport, SmsResult


def render_result(result: SmsResult) -> dict[str, Any]:
    """A send result as the query answers and pushes show it."""
    item: dict[str, Any] = {"port": result.port}
    if result.user_id is not None:
        item["user_id"] = result.user_id
    item.update(
        number=result.number,
        time=format_time(result.time),
        status=SMS_STATUS_NAMES[result.status],
        count=result.count,
        succ_count=result.succ_count,
        ref_id=result.ref_id,
        imsi=result.imsi,
    )
    return item


def render_report(report: DeliveryReport) -> dict[str, Any]:
    """A delivery report as the query answers and pushes show it."""
    return {
        "port": report.port,
        "number": report.number,
        "time": format_time(report.time),
        "ref_id": report.ref_id,
        "status_code": report.status_code,
        "imsi": report.imsi,
    }


def render_incoming(sms: IncomingSms) -> dict[str, Any]:
    """A received message as the inbox query and the push show it."""
    return {
        "incoming_sms_id": sms.sms_id,
        "port": sms.port,
        "number": sms.number,
        "smsc": sms.smsc,
        "timestamp": format_time(sms.timestamp),
        "text": sms.text,
    }


def render_cdr(record: CallRecord) -> dict[str, Any]:
    """A call record as ``get_cdr`` and the ``cdr`` push show it."""
    return {
        "port": record.port,
        "start_date": format_time(record.start),
        "answer_date": format_time(record.answer) if record.answer else "",
        "duration": record.duration,
        "source_number": record.source_number,
        "destination_number": record.destination_number,
        "direction": DIRECTION_NAMES[record.direction],
        "ip": record.ip,
        "codec": record.codec,
        "hangup": record.hangup.value,
        "gsm_code": record.gsm_code,
        "bcch": record.bcch,
    }
