"""Dinstar's pushes: one known event key, validated and bounded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..exceptions import (
    GatewayResponseError,
)
from ..jsondata import parse_push_json
from ..models import (
    CallEvent,
    DeviceEvent,
    Push,
    PushEvent,
    Registration,
    RegistrationChange,
    UssdReply,
)
from ..values import to_int, to_str
from .parsers import (
    number_or_none,
    parse_deliver_status,
    parse_incoming_sms,
    parse_sms_result,
    valid_port,
)
from .wire import (
    MAX_DETAIL,
    MAX_DETAIL_KEYS,
    MAX_PUSH_ITEMS,
    MAX_SERIAL,
    MAX_TEXT,
    SINGLE_SIM_SLOT,
)


def _parse_ussd(_kind: str, item: Any) -> UssdReply | None:
    if (port := valid_port(item)) is None:
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
    if (port := valid_port(item)) is None:
        return None
    status = to_str(item.get("status"))
    if status not in ("up", "down"):
        return None
    slot = to_int(item.get("slot"))
    iccid = to_str(item.get("iccid"))
    imsi = to_str(item.get("imsi"))
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
        phone_number=to_str(item.get("number")),
        sim_removed=removed,
    )


def details_of(
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
            details[key] = to_str(value, MAX_DETAIL)
    return details


def _parse_call(kind: str, item: Any) -> CallEvent | None:
    """A call record or a missed call; a missed call is about its number."""
    if (port := valid_port(item)) is None:
        return None
    number = number_or_none(item.get("number") or item.get("source_number"))
    if kind == "missed_call" and number is None:
        return None
    return CallEvent(
        kind=kind, port=port, number=number, details=details_of(item, ("port",))
    )


def _parse_device(kind: str, item: Any) -> DeviceEvent | None:
    """The gateway's power state (`device`) or a port's exception."""
    if not isinstance(item, dict):
        return None
    if kind == "device":
        if to_str(item.get("status")) is None:
            return None
        port = valid_port(item) if "port" in item else None
    elif (port := valid_port(item)) is None:
        return None
    return DeviceEvent(kind=kind, port=port, details=details_of(item, ("port",)))


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


def parse_push(body: bytes) -> Push:
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
