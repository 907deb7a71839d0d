"""What the Synway unit does with the gateway's events and port changes.

Nothing is pushed (the API has no pushes).  A received message records the
slot and SIM it reached; a message that ended updates its task and, if
sent, enters the outbox; a USSD answer (or a message the network sends
unasked) fills the USSD store; a port that changes may let waiting
destinations be sent; a reboot (the ``power_off`` event) loses the tasks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gsm_simulator.model import IncomingSms
from gsm_simulator.records import (
    DeviceEvent,
    DevicePower,
    SmsResult,
    SmsStatus,
    UssdReply,
)

from .base import SynwayBase
from .names import Source
from .sentbox import SentSms

if TYPE_CHECKING:
    from gsm_simulator.model import GatewayEvent


class EventRouting(SynwayBase):
    """The gateway's listener and port listener for this dialect."""

    def on_event(self, event: GatewayEvent) -> None:
        """Handle one gateway event (see the module's description)."""
        match event:
            case DeviceEvent(status=DevicePower.POWER_OFF):
                self.tasks.restart()
            case IncomingSms():
                self.inbox.on_sms(event)
            case SmsResult():
                self._on_result(event)
            case UssdReply():
                self.ussd_log.answer(
                    event.port, event.code, event.text, self.gateway.clock()
                )

    def on_port_change(self, index: int) -> None:
        """Port ``index`` may be able to send now: waiting destinations try again."""
        del index
        self.tasks.port_changed()

    def _on_result(self, result: SmsResult) -> None:
        self.tasks.on_result(result)
        if result.status is not SmsStatus.SENT:
            return
        port = self.gateway.port_or_none(result.port)
        sim = port.sim if port is not None else None
        source = Source.API if self.tasks.owns(result.task_id) else Source.WEB
        self.sent.add(
            SentSms(
                time=result.time,
                port=result.port,
                slot=port.active_slot if port is not None else 0,
                sim_number=sim.number if sim is not None else "",
                number=result.number,
                source=int(source),
                text=result.text,
            )
        )
