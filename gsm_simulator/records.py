"""Vendor-neutral records the gateway keeps, which are also its events.

Whenever the model produces one of these (a send result, a delivery report,
a USSD answer ...) it hands it to the gateway's listeners; the simulator lets
the dialect render it as a push.  Ports are 0-based, times are aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime


class SmsStatus(StrEnum):
    """Where an outgoing message stands."""

    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DELIVERED = "delivered"


@dataclass(slots=True)
class SmsResult:
    """The outcome of one outgoing message (one destination number)."""

    task_id: int
    port: int
    number: str
    user_id: int | None
    time: datetime
    """When the gateway started sending it."""
    status: SmsStatus
    count: int
    """Number of segments."""
    succ_count: int
    ref_id: int
    """Message reference of the first segment (0..255, the others follow)."""
    imsi: str
    text: str


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """A status report of one segment (``status_code`` 0: received by the peer)."""

    port: int
    number: str
    time: datetime
    """When the message was sent, as the report is matched to it."""
    ref_id: int
    status_code: int
    imsi: str


@dataclass(frozen=True, slots=True)
class UssdReply:
    """The network's answer to a USSD request."""

    port: int
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class RegisterChange:
    """A port joined (``up``) or left the network."""

    port: int
    up: bool
    iccid: str
    """``""`` when the SIM cannot be read (removed, powered off)."""
    imsi: str
    number: str
    sequence: int
    """Per-port counter of these events, from 1."""
    slot: int


class CallDirection(StrEnum):
    """Who called whom, seen from the gateway."""

    INCOMING = "incoming"
    """From the mobile network to the VoIP side."""
    OUTGOING = "outgoing"
    """From the VoIP side to the mobile network."""
    CALLBACK = "callback"


class HangupParty(StrEnum):
    """Who ended a call."""

    CALLED = "called"
    CALLING = "calling"
    GATEWAY = "gateway"


@dataclass(frozen=True, slots=True)
class CallRecord:
    """A call detail record; a call without ``answer`` time was not answered."""

    port: int
    start: datetime
    answer: datetime | None
    duration: int
    """Seconds of conversation (0 when not answered)."""
    source_number: str
    destination_number: str
    direction: CallDirection
    ip: str
    codec: str
    hangup: HangupParty
    gsm_code: int
    """GSM cause of the release (16: normal clearing, 19: no answer)."""
    bcch: str = ""

    @property
    def answered(self) -> bool:
        """Whether somebody picked up."""
        return self.answer is not None


class DevicePower(StrEnum):
    """What a device event reports."""

    POWER_OFF = "power_off"
    POWER_ON = "power_on"


@dataclass(frozen=True, slots=True)
class DeviceEvent:
    """The gateway goes down or has come up."""

    status: DevicePower
    port_count: int
    ip: str
    mac: str


@dataclass(frozen=True, slots=True)
class ExceptionEvent:
    """The gateway noticed a problem on a port and acted on it."""

    port: int
    kind: str
    """E.g. ``call_fail``, ``sms_fail``, ``no_signal``."""
    action: str
    """What the gateway did, e.g. ``reset``."""
