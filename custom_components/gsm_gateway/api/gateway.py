"""The interface every family module implements."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from datetime import datetime
from typing import ClassVar

import aiohttp

from .capabilities import Capability
from .exceptions import GatewayNotSupportedError
from .models import (
    CallForwardMode,
    CallRecord,
    DeviceStatus,
    GatewayInfo,
    IdentityKind,
    InboxCursor,
    InboxPage,
    OutgoingSms,
    Port,
    PortStatistics,
    Push,
    SendResult,
    SmsBox,
    SmsReport,
    StkView,
    UssdAnswer,
)
from .sms import SmsEncoding
from .transport import AuthMode, ConnectionConfig, HttpTransport


class GsmGateway(ABC):
    """A multi-port GSM gateway, whatever its vendor.

    Subclasses declare their family (a short stable name, stored in config
    entries), a label, and what they can do (`capabilities`); `families`
    lists them.
    """

    family: ClassVar[str]
    label: ClassVar[str]
    manufacturer: ClassVar[str]
    auth_mode: ClassVar[AuthMode]
    capabilities: ClassVar[frozenset[Capability]] = frozenset()
    identity_kind: ClassVar[IdentityKind] = IdentityKind.SERIAL
    # What one send may carry.
    max_recipients: ClassVar[int] = 1
    max_text_bytes: ClassVar[int] = 140
    # Characters one send may carry, by encoding (where the API counts so).
    max_text_chars: ClassVar[dict[SmsEncoding, int]] = {}
    max_number_length: ClassVar[int] = 15
    max_ussd_bytes: ClassVar[int] = 60
    # Sends whose reports one request may ask for.
    max_report_batch: ClassVar[int] = 32
    # Seconds after which a family without pushed results asks for them,
    # then again as often while recent sends are open (None: the results
    # are pushed, and polled only as a late fallback).
    report_poll_after: ClassVar[float | None] = None
    # SIM slots of a multi-SIM port, as the device numbers them.
    sim_slots: ClassVar[tuple[int, ...]] = ()

    @classmethod
    def supports(cls, capability: Capability) -> bool:
        """Whether this family's API offers `capability`."""
        return capability in cls.capabilities

    def __init__(
        self, session: aiohttp.ClientSession, config: ConnectionConfig
    ) -> None:
        """Use the injected session; the caller owns it."""
        self._transport = HttpTransport(session, config, self.auth_mode)

    # The firmware the unit reported last, where the API tells it.
    firmware: str | None = None

    def port_label(self, number: int) -> str:
        """How the device's own interface names a port (for device names)."""
        return str(number)

    def slot_label(self, slot: int) -> str:
        """How the device's own interface names a SIM slot."""
        return str(slot)

    @property
    def config(self) -> ConnectionConfig:
        """The connection settings."""
        return self._transport.config

    @property
    def request_count(self) -> int:
        """HTTP requests sent so far, retries and challenges included."""
        return self._transport.request_count

    @abstractmethod
    async def async_probe(self) -> GatewayInfo:
        """Check cheaply that the device speaks this API; identify it.

        Raises GatewayNotRecognizedError when it does not.
        """

    @abstractmethod
    async def async_get_info(self) -> GatewayInfo:
        """Identify the gateway fully (serial, ports, SIM slots)."""

    @abstractmethod
    async def async_get_ports(self) -> list[Port]:
        """Everything known about every port, in one request where possible."""

    @abstractmethod
    async def async_get_status(self) -> DeviceStatus:
        """Load figures of the gateway."""

    @abstractmethod
    async def async_get_sms_queue(self) -> int:
        """Number of SMS waiting to be sent."""

    # Messaging. A vendor that lacks a feature keeps the default, which says so.

    async def async_send_sms(
        self,
        text: str,
        recipients: Sequence[OutgoingSms],
        *,
        ports: Sequence[int] | None = None,
        encoding: SmsEncoding = SmsEncoding.UCS2,
        delivery_report: bool = True,
    ) -> SendResult:
        """Queue one text to several numbers; reports carry each message_id."""
        raise GatewayNotSupportedError("send_sms")

    async def async_get_sms_reports(self, handles: Sequence[str]) -> list[SmsReport]:
        """Results of earlier sends, for those handles (see `SendResult`)."""
        raise GatewayNotSupportedError("sms_reports")

    async def async_get_inbox(
        self, cursor: InboxCursor | None, *, consume: bool = False
    ) -> InboxPage:
        """What arrived since `cursor` (None: from the start), oldest first.

        The cursor is the family's own (persisted by the caller between
        runs); so is noticing that the device restarted its numbering.
        With `consume`, a family that can delete what it returns from the
        device (`DELETE_SMS`) does so.
        """
        raise GatewayNotSupportedError("receive_sms")

    def cursor_after_push(
        self, cursor: InboxCursor | None, push: Push
    ) -> InboxCursor | None:
        """The inbox cursor once `push` is known (a reboot, an SMS below it)."""
        return cursor

    def push_belongs(self, push: Push, unique_id: str) -> bool:
        """Whether a push comes from the unit with this unique id."""
        return push.identity is None or push.identity == unique_id

    async def async_register_push(self, url: str) -> None:
        """Tell the device to push its events to `url`."""
        raise GatewayNotSupportedError("push_registration")

    async def async_unregister_push(self) -> None:
        """Tell the device to stop pushing."""
        raise GatewayNotSupportedError("push_registration")

    async def async_send_ussd(self, port: int, code: str) -> UssdAnswer:
        """Send a USSD request on a port (with the reply, where the API gives it)."""
        raise GatewayNotSupportedError("ussd")

    async def async_get_ussd_reply(self, port: int) -> str | None:
        """The latest USSD reply of a port, if any."""
        raise GatewayNotSupportedError("ussd")

    def parse_push(self, body: bytes) -> Push:
        """Validate a pushed body and turn it into events.

        Raises GatewayResponseError for anything malformed.
        """
        raise GatewayNotSupportedError("push")

    # Port control. A vendor that lacks a command keeps the default, which
    # says so; callers check ports and slots before calling.

    async def async_set_port_power(self, port: int, on: bool) -> None:
        """Switch a port's module on or off."""
        raise GatewayNotSupportedError("power")

    async def async_reset_port(self, port: int) -> None:
        """Restart a port's module."""
        raise GatewayNotSupportedError("reset")

    async def async_switch_sim_slot(self, port: int, slot: int) -> None:
        """Make another SIM slot of a multi-SIM port active."""
        raise GatewayNotSupportedError("switch_sim_slot")

    async def async_set_sim_lock(self, port: int, pin: str, locked: bool) -> None:
        """Turn the SIM's PIN lock on or off."""
        raise GatewayNotSupportedError("sim_lock")

    async def async_set_sim_blocked(self, port: int, blocked: bool) -> None:
        """Block or unblock a SIM on the gateway."""
        raise GatewayNotSupportedError("sim_block")

    async def async_set_call_forward(
        self, port: int, mode: CallForwardMode, number: str | None
    ) -> None:
        """Set (or cancel) call forwarding on a port's SIM."""
        raise GatewayNotSupportedError("call_forward")

    async def async_get_call_forward(self, port: int) -> dict[str, str]:
        """The forwarding the network has for a port's SIM, by mode."""
        raise GatewayNotSupportedError("call_forward")

    async def async_pause_sms_task(self, task_id: str) -> None:
        """Hold a bulk send the gateway has not finished."""
        raise GatewayNotSupportedError("pause_sms_task")

    async def async_resume_sms_task(self, task_id: str) -> None:
        """Go on with a held bulk send."""
        raise GatewayNotSupportedError("resume_sms_task")

    async def async_reboot(self) -> None:
        """Restart the whole gateway."""
        raise GatewayNotSupportedError("reboot")

    async def async_redial(self, port: int, *, fast: bool) -> None:
        """Make a port's SIM register again (fast: without leaving the network)."""
        raise GatewayNotSupportedError("redial")

    async def async_get_statistics(self) -> dict[int, PortStatistics]:
        """The counters of every port's active SIM, by port."""
        raise GatewayNotSupportedError("statistics")

    async def async_stop_sms_task(self, task_id: str) -> None:
        """Stop a bulk send the gateway is working through."""
        raise GatewayNotSupportedError("stop_sms_task")

    async def async_get_cdr(
        self,
        ports: list[int] | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> list[CallRecord]:
        """Call detail records, optionally for some ports and a time range."""
        raise GatewayNotSupportedError("cdr")

    async def async_delete_sms(
        self,
        box: SmsBox,
        *,
        ports: Sequence[int] | None = None,
        number: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        everything: bool = False,
    ) -> int:
        """Delete SMS from the device's stores; how many went.

        Without `everything`, only those matching every filter given (ports,
        the other party's number, a time range in the device's clock).
        """
        raise GatewayNotSupportedError("delete_sms")

    async def async_stk_view(self, port: int) -> StkView:
        """The SIM toolkit's current screen on a port."""
        raise GatewayNotSupportedError("stk")

    async def async_stk_select(
        self,
        port: int,
        *,
        item: int | None = None,
        action: str | None = None,
        param: str | None = None,
    ) -> StkView:
        """Choose an item or answer the SIM toolkit; return the next screen."""
        raise GatewayNotSupportedError("stk")
