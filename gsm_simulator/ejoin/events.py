"""What the Ejoin unit does with the gateway's events and port changes.

Received messages are stored rows and pushed (``recv-sms``); a message that
ended is a result for its task's status report, counted in the statistics,
and, sent with ``dr``, awaits its delivery report (a ``recv-sms`` row of
flag 1); a USSD answer goes to the request waiting for it; a call record is
counted.  Any change the model reports on a port (and a sent message, which
uses up credit) may make a ``port-status`` push.  A reboot (the ``power_off`` event) loses the tasks,
the caches, the inbox (ids from 1, a new ``ssrc``) and the sequence numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gsm_simulator.model import IncomingSms
from gsm_simulator.records import (
    CallRecord,
    DeliveryReport,
    DeviceEvent,
    DevicePower,
    SmsResult,
    SmsStatus,
    UssdReply,
)

from .base import EjoinBase
from .counters import RECEIVED, SENT_FAILED, SENT_OK
from .names import NETWORK_FAILURE, SEND_FAILED, Code, code_text
from .numbering import port_label

if TYPE_CHECKING:
    from gsm_simulator.model import GatewayEvent

_UNREGISTERED = (code_text(Code.SIM_UNREGISTERED), "")


class EventRouting(EjoinBase):
    """The gateway's listener and port listener for this dialect."""

    def on_event(self, event: GatewayEvent) -> None:
        """Handle one gateway event (see the module's description)."""
        match event:
            case DeviceEvent(status=DevicePower.POWER_OFF):
                self.restart_state()
            case IncomingSms():
                self.stats.count_sms(event.port, RECEIVED, event.timestamp)
                self.inbox.on_sms(event)
            case SmsResult(status=SmsStatus.SENT | SmsStatus.FAILED):
                self._on_result(event)
                self.on_port_change(event.port)  # a sent message used up credit
            case DeliveryReport():
                self.inbox.on_report(event)
            case UssdReply():
                self.ussd_waiters.answer(event)
            case CallRecord():
                self.stats.count_call(event)

    def on_port_change(self, index: int) -> None:
        """Port ``index`` may show something else now: push its status if so."""
        payload = self.watch.check(index)
        if payload is not None:
            self.push("port-status", payload)

    def _on_result(self, result: SmsResult) -> None:
        port = self.gateway.port_or_none(result.port)
        if port is None:  # the port is gone (the unit shrank): its slot is unknown
            label = port_label(result.port, 0, self.options.slot_style)
            reason = _UNREGISTERED
        else:
            label = self.view.label(result.port)
            sent = result.status is SmsStatus.SENT
            self.stats.count_sms(
                result.port, SENT_OK if sent else SENT_FAILED, result.time
            )
            reason = (
                (SEND_FAILED, NETWORK_FAILURE) if port.registered else _UNREGISTERED
            )
        task = self.tasks.on_result(result, label, reason)
        if (
            task is not None
            and task.delivery_report
            and result.status is SmsStatus.SENT
        ):
            self.inbox.expect_report(result, label)

    def restart_state(self) -> None:
        """The unit goes down: what it kept in memory is lost."""
        self.tasks.restart()
        self.inbox.restart()
        self.watch.restart()
        self.status_seq = 0
