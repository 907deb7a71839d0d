"""Dinstar pushes: ``{"sn": ..., "<type>": ...}`` for each gateway event."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gsm_simulator.model import IncomingSms
from gsm_simulator.records import (
    CallDirection,
    CallRecord,
    DeliveryReport,
    DeviceEvent,
    ExceptionEvent,
    RegisterChange,
    SmsResult,
    SmsStatus,
    UssdReply,
)

from .base import DinstarBase
from .names import NULL_FIELD
from .parsing import format_time
from .render import render_cdr, render_incoming, render_report, render_result

if TYPE_CHECKING:
    from gsm_simulator.model import GatewayEvent


class PushRendering(DinstarBase):
    """The pushes of the gateway's events."""

    def render_push(self, event: GatewayEvent) -> list[tuple[str, dict[str, Any]]]:
        """The Dinstar pushes of ``event``: ``sn`` plus one typed member."""
        sn = self.gateway.serial
        match event:
            case IncomingSms():
                return [("sms", {"sn": sn, "sms": [render_incoming(event)]})]
            case SmsResult() if event.status is not SmsStatus.SENDING:
                return [
                    (
                        "sms_result",
                        {"sn": sn, "sms_result": [render_result(event)]},
                    )
                ]
            case DeliveryReport():
                return [
                    (
                        "sms_deliver_status",
                        {"sn": sn, "sms_deliver_status": [render_report(event)]},
                    )
                ]
            case UssdReply():
                return [
                    (
                        "ussd",
                        {"sn": sn, "ussd": [{"port": event.port, "text": event.text}]},
                    )
                ]
            case RegisterChange():
                return [("register", {"sn": sn, "register": [self._register(event)]})]
            case CallRecord() if event.answered:
                return [("cdr", {"sn": sn, "cdr": [render_cdr(event)]})]
            case CallRecord() if event.direction is CallDirection.INCOMING:
                missed = {
                    "time": format_time(event.start),
                    "port": event.port,
                    "number": event.source_number,
                }
                return [("missed_call", {"sn": sn, "missed_call": missed})]
            case DeviceEvent():
                device = {
                    "port_number": event.port_count,
                    "IP": event.ip,
                    "MAC": event.mac,
                    "status": event.status.value,
                }
                return [("device", {"sn": sn, "device": device})]
            case ExceptionEvent():
                info = {"port": event.port, "type": event.kind, "action": event.action}
                return [("exception_info", {"sn": sn, "exception_info": info})]
        return []

    def _register(self, event: RegisterChange) -> dict[str, Any]:
        item: dict[str, Any] = {
            "port": event.port,
            "iccid": event.iccid or NULL_FIELD,
            "imsi": event.imsi or NULL_FIELD,
            "number": event.number,
            "status": "up" if event.up else "down",
            "sequence": event.sequence,
        }
        if self.gateway.multi_sim:
            item["slot"] = event.slot
        return item
