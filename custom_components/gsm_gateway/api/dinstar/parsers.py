"""Dinstar's answers turned into the client's models."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..exceptions import (
    GatewayResponseError,
)
from ..models import (
    CallRecord,
    CallState,
    IncomingSms,
    NetworkType,
    Port,
    PortCredits,
    Registration,
    SmsReport,
    SmsState,
    StkItem,
    StkView,
)
from ..values import first_of, to_float, to_int, to_str
from .wire import (
    CALL_STATE,
    CREDIT_KEYS,
    GPRS,
    MAX_NUMBER,
    MAX_PORT,
    MAX_TEXT,
    NETWORK_TYPE,
    REGISTRATION,
    SINGLE_SIM_SLOT,
    SMS_RESULT,
    STK_TEXT_LIMIT,
)


def sms_id(sms: IncomingSms) -> int:
    """The id of a polled SMS (polls keep only SMS with one)."""
    return int(sms.message_id or 0)


def reports_of(
    items: Any, parser: Callable[[str, Any], SmsReport | None]
) -> list[SmsReport]:
    """The reports in a result list; anything but a list is an error."""
    if not isinstance(items, list):
        raise GatewayResponseError("The gateway answered without results")
    return [report for item in items if (report := parser("", item))]


def valid_port(item: Any) -> int | None:
    """The port of an entry, when it is one a Dinstar can have."""
    if not isinstance(item, dict):
        return None
    port = to_int(item.get("port"))
    return port if port is not None and 0 <= port <= MAX_PORT else None


def number_or_none(value: Any) -> str | None:
    """A phone number as the device wrote it, or None when too long or empty."""
    text = to_str(value, MAX_NUMBER + 1)
    return text if text is not None and len(text) <= MAX_NUMBER else None


def parse_sms_result(_kind: str, item: Any) -> SmsReport | None:
    """A sending result (query_sms_result or the sms_result push)."""
    if (port := valid_port(item)) is None:
        return None
    vendor_status = to_str(item.get("status"))
    user_id = to_int(item.get("user_id"))
    return SmsReport(
        handle=None if user_id is None else str(user_id),
        number=number_or_none(item.get("number")),
        port=port,
        state=SMS_RESULT.get((vendor_status or "").upper()),
        reference=to_int(item.get("ref_id")),
        segments=to_int(item.get("count")),
        vendor_status=vendor_status,
        time=to_str(item.get("time")),
    )


def parse_deliver_status(_kind: str, item: Any) -> SmsReport | None:
    """A delivery report: 0 delivered, 32-63 still trying, 64+ failed for good."""
    if (port := valid_port(item)) is None:
        return None
    code = to_int(item.get("status_code"))
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
        number=number_or_none(item.get("number")),
        port=port,
        state=state,
        reference=to_int(item.get("ref_id")),
        status_code=code,
        time=to_str(item.get("time")),
    )


def parse_incoming_sms(item: Any) -> IncomingSms | None:
    """A received SMS (query_incoming_sms or the sms push; a push may lack the id)."""
    if (port := valid_port(item)) is None:
        return None
    message_id = to_int(item.get("incoming_sms_id"))
    sender = number_or_none(item.get("number"))
    text = item.get("text")
    if (message_id is not None and message_id < 0) or sender is None:
        return None
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return None
    timestamp = None
    if raw_time := to_str(item.get("timestamp")):
        try:
            timestamp = datetime.fromisoformat(raw_time)
        except ValueError:
            timestamp = None
    slot = to_int(item.get("slot"))
    return IncomingSms(
        message_id=message_id,
        port=port,
        sender=sender,
        text=text,
        slot=slot if slot is not None and 0 <= slot < SINGLE_SIM_SLOT else None,
        smsc=number_or_none(item.get("smsc")),
        timestamp=timestamp,
    )


def parse_cdr(item: Any) -> CallRecord | None:
    """One call record; None without a port."""
    if not isinstance(item, dict) or (port := to_int(item.get("port"))) is None:
        return None
    return CallRecord(
        port=port,
        start=to_str(item.get("start_date")),
        answer=to_str(item.get("answer_date")),
        duration=to_int(item.get("duration")),
        source=to_str(item.get("source_number")),
        destination=to_str(item.get("destination_number")),
        direction=to_str(item.get("direction")),
        codec=to_str(item.get("codec")),
        hangup=to_str(item.get("hangup")),
        cause=to_int(item.get("gsm_code")),
    )


def parse_stk_view(payload: dict[str, Any]) -> StkView:
    """A SIM toolkit screen; items without an id are left out."""
    raw_items = payload.get("item")
    items = [
        StkItem(id=item_id, text=to_str(entry.get("item_string"), STK_TEXT_LIMIT) or "")
        for entry in (raw_items if isinstance(raw_items, list) else [])
        if isinstance(entry, dict)
        and (item_id := to_int(entry.get("item_id"))) is not None
    ]
    return StkView(
        title=to_str(payload.get("title"), STK_TEXT_LIMIT),
        text=to_str(payload.get("text"), STK_TEXT_LIMIT),
        input_type=to_int(payload.get("input_type")),
        frame_id=to_int(payload.get("frame_id")),
        items=tuple(items),
    )


def parse_port(item: Any) -> Port | None:
    """Build a port from one `info` entry; None when it has no usable number."""
    if not isinstance(item, dict):
        return None
    number = to_int(item.get("port"))
    if number is None or number < 0:
        return None
    reg_raw = to_str(item.get("reg"))
    call_raw = to_str(item.get("callstate"))
    type_raw = to_str(item.get("type"))
    signal = to_int(item.get("signal"))
    slot = to_int(item.get("slot"))
    gprs = to_str(item.get("gprs"))
    return Port(
        number=number,
        network_type=NETWORK_TYPE.get((type_raw or "").upper(), NetworkType.UNKNOWN),
        imei=to_str(item.get("imei")),
        imsi=to_str(item.get("imsi")),
        iccid=to_str(item.get("iccid")),
        phone_number=to_str(item.get("number")),
        smsc=to_str(item.get("smsc")),
        registration=REGISTRATION.get((reg_raw or "").upper(), Registration.UNKNOWN),
        registration_raw=reg_raw,
        call_state=CALL_STATE.get((call_raw or "").lower(), CallState.UNKNOWN),
        call_state_raw=call_raw,
        signal_csq=signal if signal is not None and 0 <= signal <= 31 else None,
        gprs_attached=GPRS.get((gprs or "").lower()),
        sim_slot=slot if slot is not None and 0 <= slot < SINGLE_SIM_SLOT else None,
        credits=PortCredits(
            remaining_credit=to_float(first_of(item, CREDIT_KEYS["remaining_credit"])),
            remaining_monthly_credit=to_float(
                first_of(item, CREDIT_KEYS["remaining_monthly_credit"])
            ),
            remaining_daily_credit=to_float(
                first_of(item, CREDIT_KEYS["remaining_daily_credit"])
            ),
            remaining_daily_call_time=to_int(
                first_of(item, CREDIT_KEYS["remaining_daily_call_time"])
            ),
            remaining_hourly_call_time=to_int(
                first_of(item, CREDIT_KEYS["remaining_hourly_call_time"])
            ),
            remaining_daily_connections=to_int(
                first_of(item, CREDIT_KEYS["remaining_daily_connections"])
            ),
        ),
    )
