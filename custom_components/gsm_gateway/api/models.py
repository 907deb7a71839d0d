"""Vendor-neutral models of a GSM gateway and its ports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Registration(StrEnum):
    """Network registration of a port's SIM, normalised across vendors."""

    REGISTERED = "registered"
    SEARCHING = "searching"
    NOT_REGISTERED = "not_registered"
    DENIED = "denied"
    NO_SIM = "no_sim"
    PIN_REQUIRED = "pin_required"
    PUK_REQUIRED = "puk_required"
    POWER_OFF = "power_off"
    LOCKED = "locked"  # the SIM is locked by the device, the operator or the user
    ROAMING = "roaming"
    UNKNOWN = "unknown"


class CallState(StrEnum):
    """What a port's voice channel is doing."""

    IDLE = "idle"
    DIALING = "dialing"
    RINGING = "ringing"
    ACTIVE = "active"
    ALERTING = "alerting"
    CALL_WAITING = "call_waiting"
    ON_HOLD = "on_hold"
    # The port's channel is out of service (Home Assistant reserves the
    # state name "unavailable" for entities it cannot read).
    OUT_OF_SERVICE = "out_of_service"
    UNKNOWN = "unknown"


class NetworkType(StrEnum):
    """Radio technology of a port's module."""

    GSM = "gsm"
    CDMA = "cdma"
    WCDMA = "wcdma"
    LTE = "lte"
    UNKNOWN = "unknown"


CSQ_UNKNOWN = 99
# States in which a port's signal reading means nothing.
_NO_RADIO = frozenset({Registration.POWER_OFF, Registration.NO_SIM})


def csq_to_dbm(csq: int | None) -> int | None:
    """Convert a CSQ reading (0..31) to dBm; None when it is unknown."""
    if csq is None or not 0 <= csq <= 31:
        return None
    return -113 + 2 * csq


@dataclass(frozen=True, slots=True, kw_only=True)
class PortCredits:
    """Usage limits the gateway itself keeps per port (not the SIM's balance)."""

    remaining_credit: float | None = None
    remaining_monthly_credit: float | None = None
    remaining_daily_credit: float | None = None
    remaining_daily_call_time: int | None = None
    remaining_hourly_call_time: int | None = None
    remaining_daily_connections: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Port:
    """One SIM port (module) of a gateway.

    `number` is the port's number as the device itself writes it.
    """

    number: int
    network_type: NetworkType = NetworkType.UNKNOWN
    imei: str | None = None
    imsi: str | None = None
    iccid: str | None = None
    phone_number: str | None = None
    smsc: str | None = None
    registration: Registration = Registration.UNKNOWN
    registration_raw: str | None = None
    call_state: CallState = CallState.UNKNOWN
    call_state_raw: str | None = None
    signal_csq: int | None = None
    gprs_attached: bool | None = None
    sim_slot: int | None = None
    operator: str | None = None
    # The SIM's balance as the gateway itself reads it (families that do).
    balance: float | None = None
    credits: PortCredits = field(default_factory=PortCredits)

    @property
    def signal_dbm(self) -> int | None:
        """Signal strength in dBm; unknown while no module or SIM can measure it.

        Gateways report 0 (the lowest CSQ) for a powered-off module or an
        empty port, which would read as -113 dBm.
        """
        if self.registration in _NO_RADIO:
            return None
        return csq_to_dbm(self.signal_csq)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceStatus:
    """Load figures of the gateway itself."""

    cpu_usage: float | None = None
    memory_total: int | None = None
    memory_used: int | None = None
    flash_total: int | None = None
    flash_used: int | None = None

    @property
    def memory_usage(self) -> float | None:
        """Used memory in percent."""
        return _percent(self.memory_used, self.memory_total)

    @property
    def flash_usage(self) -> float | None:
        """Used flash in percent."""
        return _percent(self.flash_used, self.flash_total)


def _percent(used: int | None, total: int | None) -> float | None:
    if used is None or not total:
        return None
    return round(100 * used / total, 1)


class IdentityKind(StrEnum):
    """What a family's unique id is."""

    SERIAL = "serial"  # the unit's serial number
    MAC = "mac"  # the unit's MAC address, as format_mac writes it
    DERIVED = "derived"  # built by the family from what the API offers


@dataclass(frozen=True, slots=True, kw_only=True)
class GatewayInfo:
    """Identity of a gateway.

    `unique_id` is the most stable identity the family can offer (a serial
    number, a MAC address, or something the family documents); it ties the
    config entry, its devices and its pushes to the unit.
    """

    unique_id: str
    family: str
    serial: str | None = None
    mac: str | None = None
    manufacturer: str
    model: str | None = None
    firmware: str | None = None
    port_count: int | None = None
    multi_sim: bool = False
    # Every identity the unit is known by (for a family whose unique id is
    # derived from parts that can be swapped, such as module IMEIs); a unit
    # sharing any of them with a configured one is that one.
    identities: frozenset[str] = frozenset()


class SmsBox(StrEnum):
    """Which of the device's SMS stores a deletion empties."""

    INBOX = "inbox"
    OUTBOX = "outbox"
    BOTH = "both"


class CallForwardMode(StrEnum):
    """When calls to a port's SIM are forwarded."""

    UNCONDITIONAL = "unconditional"
    NO_REPLY = "no_reply"
    BUSY = "busy"
    NOT_REACHABLE = "not_reachable"
    CANCEL_ALL = "cancel_all"


@dataclass(frozen=True, slots=True, kw_only=True)
class CallRecord:
    """One call detail record."""

    port: int
    start: str | None = None
    answer: str | None = None
    duration: int | None = None
    source: str | None = None
    destination: str | None = None
    direction: str | None = None
    codec: str | None = None
    hangup: str | None = None
    cause: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class StkItem:
    """One entry of a SIM toolkit menu."""

    id: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class StkView:
    """What the SIM toolkit shows on a port."""

    title: str | None = None
    text: str | None = None
    input_type: int | None = None
    frame_id: int | None = None
    items: tuple[StkItem, ...] = ()


class SmsState(StrEnum):
    """Where an outgoing SMS stands."""

    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    DELIVERED = "delivered"
    UNDELIVERED = "undelivered"


@dataclass(frozen=True, slots=True, kw_only=True)
class OutgoingSms:
    """One recipient of a send, with the id its reports will carry."""

    message_id: int
    number: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SendResult:
    """What the gateway said when it took a send.

    `handles` maps each recipient's `message_id` to what the family follows
    that message by (a user id, a task id and number, ...); reports carry the
    handle. A recipient missing there is followed by its `message_id` as text.
    """

    task_id: int | str | None = None
    queued: int | None = None
    handles: Mapping[int, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class SmsReport:
    """A sending result or a delivery report of an outgoing SMS.

    `handle` is set when the vendor echoes the send's handle; delivery
    reports of some vendors carry only `reference` (with number and port).
    """

    handle: str | None = None
    number: str | None = None
    port: int | None = None
    state: SmsState | None = None
    reference: int | None = None
    segments: int | None = None
    vendor_status: str | None = None
    status_code: int | None = None
    time: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class IncomingSms:
    """An SMS received on a port.

    `message_id` is the gateway's id of the message where it gives one (a
    push may not).
    """

    message_id: int | str | None
    port: int
    sender: str
    text: str
    slot: int | None = None
    smsc: str | None = None
    timestamp: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PortStatistics:
    """Counters a gateway keeps for the SIM in a port's active slot."""

    sms_sent: int | None = None
    sms_sent_ok: int | None = None
    sms_sent_failed: int | None = None
    sms_failed_in_a_row: int | None = None
    sms_received: int | None = None
    calls: int | None = None
    calls_connected: int | None = None
    asr: float | None = None
    acd: float | None = None


class UssdStatus(StrEnum):
    """What the gateway did with a USSD request on one port."""

    SENT = "sent"
    BUSY = "busy"
    NOT_REGISTERED = "not_registered"
    FAILED = "failed"


@dataclass(frozen=True, slots=True, kw_only=True)
class UssdAnswer:
    """What the gateway said to a USSD request.

    Families whose API answers with the network's reply give it in `reply`;
    the others give None, and the reply comes later (pushed or polled).
    """

    status: UssdStatus
    reply: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class UssdReply:
    """The network's answer to a USSD request."""

    port: int
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RegistrationChange:
    """A port's SIM registered or lost registration.

    `registration` is the port's new state as far as the push tells it;
    the identity fields are None when the push does not carry them, and
    `sim_removed` says the push reports no SIM at all.
    """

    port: int
    registered: bool
    registration: Registration
    slot: int | None = None
    imsi: str | None = None
    iccid: str | None = None
    phone_number: str | None = None
    sim_removed: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class CallEvent:
    """A call detail record or a missed call."""

    kind: str  # "cdr" or "missed_call"
    port: int
    number: str | None = None
    details: dict[str, str | int | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeviceEvent:
    """Something the gateway says about itself (power, exceptions)."""

    kind: str  # "device" or "exception_info"
    port: int | None = None
    details: dict[str, str | int | None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class PortUpdate:
    """A push carrying a port's full state."""

    port: Port


type PushEvent = (
    IncomingSms
    | SmsReport
    | UssdReply
    | RegistrationChange
    | PortUpdate
    | CallEvent
    | DeviceEvent
)

# A family's position in its inbox: JSON-compatible, opaque to everyone else.
type InboxCursor = Mapping[str, Any]


@dataclass(frozen=True, slots=True, kw_only=True)
class InboxPage:
    """What one look at the inbox found, and where the next look starts."""

    messages: tuple[IncomingSms, ...]
    reports: tuple[SmsReport, ...] = ()
    cursor: InboxCursor


@dataclass(frozen=True, slots=True, kw_only=True)
class Push:
    """A validated push from a gateway.

    `identity` is the unit's identity as the push states it (None when the
    family's pushes carry none); it must match the entry's unique id.
    """

    identity: str | None
    events: tuple[PushEvent, ...]
