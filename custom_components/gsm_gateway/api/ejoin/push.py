"""Ejoin's pushes, told apart by their `type`: status, ports, SMS and reports."""

from __future__ import annotations

from typing import Any

from ..exceptions import GatewayResponseError
from ..jsondata import parse_push_json
from ..models import PortUpdate, Push, PushEvent
from .parsers import parse_dev_status, parse_port, parse_sms_row, parse_task_reports
from .wire import MAX_ROWS


def _port_status(payload: dict[str, Any]) -> list[PushEvent]:
    # The spec's example writes the code as `status`, its table as `st`.
    item = {**payload, "st": payload.get("st", payload.get("status"))}
    port = parse_port(item)
    if port is None:
        raise GatewayResponseError("The port-status push names no port")
    return [PortUpdate(port=port)]


def _rows(payload: dict[str, Any], key: str) -> list[Any]:
    rows = payload.get(key)
    if not isinstance(rows, list) or not 0 < len(rows) <= MAX_ROWS:
        raise GatewayResponseError(f"The push has no usable {key}")
    return rows


def _recv_sms(payload: dict[str, Any]) -> list[PushEvent]:
    events: list[PushEvent] = []
    for row in _rows(payload, "sms"):
        if (event := parse_sms_row(row, None)) is None:
            raise GatewayResponseError("The recv-sms push has an invalid row")
        events.append(event)
    return events


def _status_report(payload: dict[str, Any]) -> list[PushEvent]:
    events: list[PushEvent] = []
    for item in _rows(payload, "rpts"):
        if (reports := parse_task_reports(item)) is None:
            raise GatewayResponseError("The status-report push has an invalid entry")
        events.extend(reports)
    return events


def parse_push(body: bytes) -> Push:
    """Validate a push of an Ejoin gateway and turn it into events."""
    payload = parse_push_json(body)
    if not isinstance(payload, dict):
        raise GatewayResponseError("A push must be a JSON object")
    kind = payload.get("type")
    if kind == "dev-status":
        status = parse_dev_status(payload)
        return Push(
            identity=status.mac,
            events=tuple(PortUpdate(port=port) for port in status.ports),
        )
    handlers = {
        "port-status": _port_status,
        "recv-sms": _recv_sms,
        "status-report": _status_report,
    }
    if not isinstance(kind, str) or kind not in handlers:
        raise GatewayResponseError("Not an Ejoin push")
    return Push(identity=None, events=tuple(handlers[kind](payload)))
