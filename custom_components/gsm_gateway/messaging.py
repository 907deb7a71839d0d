"""Messaging: send SMS, follow their reports, receive SMS once each, USSD.

One `GsmMessaging` serves one gateway. Pushes and polls both feed it; it
fires each received SMS and each status change exactly once, and keeps what
it needs for that (the inbox mark, ids seen above it, outstanding sends) in a
Home Assistant `Store`, so a restart loses nothing and repeats nothing.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
import hashlib
import re
import time
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .api import (
    CallEvent,
    DeviceEvent,
    GsmGateway,
    IncomingSms,
    OutgoingSms,
    Push,
    RegistrationChange,
    SmsEncoding,
    SmsReport,
    SmsState,
    UssdReply,
    UssdStatus,
    plan_sms,
)
from .const import (
    CONF_BALANCE_CODE,
    CONF_BALANCE_PATTERN,
    CONF_RATE_LIMIT,
    DEFAULT_BALANCE_PATTERN,
    DEFAULT_RATE_LIMIT,
    DOMAIN,
    EVENT_CALL,
    EVENT_DEVICE,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
    EVENT_USSD_RECEIVED,
    LOGGER,
    MAX_SEEN_IDS,
    REPORT_GIVE_UP,
    REPORT_POLL_AFTER,
    SIGNAL_BALANCE,
    SIGNAL_SMS,
    USSD_POLL_INTERVAL,
)
from .coordinator import GsmPortsCoordinator
from .helpers import (
    check_ports,
    check_ports_ready,
    normalize_number,
    port_device_identifier,
    run_command,
)

STORE_VERSION = 1
SAVE_DELAY = 1.0
FINAL_STATES = {SmsState.FAILED, SmsState.DELIVERED, SmsState.UNDELIVERED}
NUMBER = re.compile(r"^\+?[0-9]+$")
HOUR = 3600.0


@dataclass(slots=True)
class Outstanding:
    """A sent SMS whose final state is not known yet."""

    number: str
    sent_at: float
    delivery_report: bool
    port: int | None = None
    reference: int | None = None
    reported: tuple[str, ...] = ()


def _error(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _fingerprint(sms: IncomingSms) -> str:
    """What tells two SMS apart, even across a restart of the gateway's ids."""
    digest = hashlib.sha256(f"{sms.sender}\0{sms.text}".encode()).hexdigest()[:16]
    stamp = sms.timestamp.isoformat() if sms.timestamp else ""
    return f"{sms.message_id}/{sms.port}/{stamp}/{digest}"


def parse_balance(text: str, pattern: str) -> float | None:
    """The first amount the pattern finds in a USSD reply (its first group)."""
    match = re.search(pattern, text)
    if not match:
        return None
    raw = match.group(1) if match.groups() else match.group(0)
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        return None


class GsmMessaging:
    """Messaging state and logic of one gateway."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        gateway: GsmGateway,
        ports: GsmPortsCoordinator,
    ) -> None:
        """Prepare; `async_load` reads the stored state."""
        self.hass = hass
        self.entry = entry
        self.gateway = gateway
        self.ports = ports
        self._store: Store[dict[str, Any]] = Store(
            hass, STORE_VERSION, f"{DOMAIN}.{entry.entry_id}"
        )
        self.inbox_mark = 0
        # Fingerprints of recently reported SMS, oldest first.
        self._seen: dict[str, None] = {}
        self._next_id = 1
        self._outstanding: dict[int, Outstanding] = {}
        self._sent_times: deque[float] = deque()
        self._rate_issue_raised = False
        self._ussd_waiters: dict[int, asyncio.Future[str]] = {}
        self._inbox_lock = asyncio.Lock()
        self._check_restart = False
        self.balances: dict[int, float] = {}

    # ------------------------------------------------------------ storage

    async def async_load(self) -> None:
        """Read the stored state of earlier runs."""
        data = await self._store.async_load() or {}
        self.inbox_mark = int(data.get("inbox_mark", 0))
        self._seen = dict.fromkeys(str(i) for i in data.get("seen", []))
        self._next_id = int(data.get("next_id", 1))
        self._outstanding = {
            int(key): Outstanding(
                number=str(value["number"]),
                sent_at=float(value["sent_at"]),
                delivery_report=bool(value["delivery_report"]),
                port=value.get("port"),
                reference=value.get("reference"),
                reported=tuple(value.get("reported", ())),
            )
            for key, value in data.get("outstanding", {}).items()
        }

    def _data_to_save(self) -> dict[str, Any]:
        return {
            "inbox_mark": self.inbox_mark,
            "seen": list(self._seen),
            "next_id": self._next_id,
            "outstanding": {
                str(key): {
                    "number": item.number,
                    "sent_at": item.sent_at,
                    "delivery_report": item.delivery_report,
                    "port": item.port,
                    "reference": item.reference,
                    "reported": list(item.reported),
                }
                for key, item in self._outstanding.items()
            },
        }

    @callback
    def _schedule_save(self) -> None:
        self._store.async_delay_save(self._data_to_save, SAVE_DELAY)

    async def async_save(self) -> None:
        """Write the state now (at unload)."""
        await self._store.async_save(self._data_to_save())

    def diagnostics(self) -> dict[str, Any]:
        """Counters for troubleshooting; no numbers, no texts."""
        return {
            "inbox_mark": self.inbox_mark,
            "remembered_sms": len(self._seen),
            "next_id": self._next_id,
            "outstanding_sends": len(self._outstanding),
            "sent_last_hour": len(self._sent_times),
            "ussd_waiting_ports": sorted(self._ussd_waiters),
        }

    # ------------------------------------------------------------ sending

    def plan(
        self,
        to: Sequence[str],
        text: str,
        ports: Sequence[int] | None,
        encoding: SmsEncoding,
    ) -> tuple[SmsEncoding, int]:
        """Check a send against the gateway's limits; nothing is sent."""
        gateway = self.gateway
        if not text.strip():
            raise _error("empty_message")
        if not to:
            raise _error("no_recipients")
        if len(to) > gateway.max_recipients:
            raise _error("too_many_recipients", limit=str(gateway.max_recipients))
        for number in to:
            if not NUMBER.match(number) or len(number) > gateway.max_number_length:
                raise _error(
                    "invalid_number",
                    number=number[:40],
                    limit=str(gateway.max_number_length),
                )
        if len(text.encode()) > gateway.max_text_bytes:
            raise _error("message_too_long", limit=str(gateway.max_text_bytes))
        check_ports(self.ports.data, ports or ())
        check_ports_ready(self.ports.data, ports or ())
        try:
            plan = plan_sms(text, encoding)
        except ValueError:
            raise _error("not_gsm7") from None
        return plan.encoding, plan.segments

    def _check_rate(self, count: int) -> None:
        limit = int(self.entry.options.get(CONF_RATE_LIMIT, DEFAULT_RATE_LIMIT))
        if not limit:
            return
        now = time.monotonic()
        while self._sent_times and now - self._sent_times[0] > HOUR:
            self._sent_times.popleft()
        if len(self._sent_times) + count <= limit:
            return
        if not self._rate_issue_raised:
            self._rate_issue_raised = True
            ir.async_create_issue(
                self.hass,
                DOMAIN,
                f"rate_limit_{self.entry.entry_id}",
                is_fixable=False,
                severity=ir.IssueSeverity.WARNING,
                translation_key="rate_limited",
                translation_placeholders={
                    "gateway": self.entry.title,
                    "limit": str(limit),
                },
            )
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="rate_limited",
            translation_placeholders={"limit": str(limit)},
        )

    async def async_send(
        self,
        to: Sequence[str],
        text: str,
        *,
        ports: Sequence[int] | None = None,
        encoding: SmsEncoding = SmsEncoding.AUTO,
        delivery_report: bool = True,
    ) -> dict[str, Any]:
        """Validate, then hand one text for several numbers to the gateway."""
        to = [normalize_number(number) for number in to]
        chosen, segments = self.plan(to, text, ports, encoding)
        self._check_rate(len(to))
        recipients = [
            OutgoingSms(message_id=self._next_id + index, number=number)
            for index, number in enumerate(to)
        ]
        # Ids are spent before the request: a retried action never reuses one.
        self._next_id += len(recipients)
        self._schedule_save()
        result = await run_command(
            self.gateway.async_send_sms(
                text,
                recipients,
                ports=ports,
                encoding=chosen,
                delivery_report=delivery_report,
            )
        )
        now = time.monotonic()
        self._sent_times.extend([now] * len(recipients))
        wall = time.time()
        for sms in recipients:
            self._outstanding[sms.message_id] = Outstanding(
                number=sms.number, sent_at=wall, delivery_report=delivery_report
            )
        self._schedule_save()
        return {
            "ids": [sms.message_id for sms in recipients],
            "messages": [
                {"id": sms.message_id, "to": sms.number} for sms in recipients
            ],
            "task_id": result.task_id,
            "encoding": chosen.value,
            "segments": segments,
        }

    @callback
    def _handle_report(self, report: SmsReport) -> None:
        """Fire a status event once per id and state; forget finished sends."""
        message_id = report.message_id
        if message_id is None and report.reference is not None:
            message_id = next(
                (
                    key
                    for key, item in self._outstanding.items()
                    if item.reference == report.reference
                    and item.number == report.number
                    and item.port == report.port
                ),
                None,
            )
        if message_id is None or report.state in (None, SmsState.SENDING):
            return
        if (item := self._outstanding.get(message_id)) is None:
            return
        if report.port is not None:
            item.port = report.port
        if report.reference is not None and report.message_id is not None:
            item.reference = report.reference
        if report.state.value in item.reported:
            return
        item.reported = (*item.reported, report.state.value)
        self.hass.bus.async_fire(
            EVENT_SMS_STATUS,
            {
                "entry_id": self.entry.entry_id,
                "id": message_id,
                "to": item.number,
                "port": item.port,
                "status": report.state.value,
                "vendor_status": report.vendor_status,
                "status_code": report.status_code,
            },
        )
        if report.state in FINAL_STATES or (
            report.state is SmsState.SENT and not item.delivery_report
        ):
            del self._outstanding[message_id]
        self._schedule_save()

    async def async_poll_reports(self) -> None:
        """Ask for the results of sends no push has settled."""
        now = time.time()
        for key in [
            k for k, v in self._outstanding.items() if now - v.sent_at > REPORT_GIVE_UP
        ]:
            del self._outstanding[key]
        due = [
            key
            for key, item in self._outstanding.items()
            if now - item.sent_at >= REPORT_POLL_AFTER
        ]
        if not due:
            return
        for start in range(0, len(due), 32):
            for report in await self.gateway.async_get_sms_reports(
                due[start : start + 32]
            ):
                self._handle_report(report)

    # ------------------------------------------------------------ receiving

    def _port_device_id(self, port: int) -> str | None:
        identifier = port_device_identifier(self.ports.serial, port)
        registry = dr.async_get(self.hass)
        for device in dr.async_entries_for_config_entry(registry, self.entry.entry_id):
            if identifier in device.identifiers:
                return device.id
        return None

    @callback
    def _handle_sms(self, sms: IncomingSms, *, pushed: bool = False) -> None:
        """Fire one event per message, however often and however it arrives."""
        fingerprint = _fingerprint(sms)
        if fingerprint in self._seen:
            return
        if pushed and sms.message_id <= self.inbox_mark:
            # A new message below the mark: the gateway restarted its ids.
            # Poll from the start again; what was reported stays known.
            LOGGER.info("%s restarted its message ids", self.entry.title)
            self.inbox_mark = 0
        self._seen[fingerprint] = None
        while len(self._seen) > MAX_SEEN_IDS:
            del self._seen[next(iter(self._seen))]
        timestamp = None
        if (moment := sms.timestamp) is not None:
            # The gateway's clock has no zone: take it as Home Assistant's.
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt_util.get_default_time_zone())
            timestamp = moment.isoformat()
        data = {
            "entry_id": self.entry.entry_id,
            "device_id": self._port_device_id(sms.port),
            "port": sms.port,
            "slot": sms.slot,
            "sender": sms.sender,
            "text": sms.text,
            "timestamp": timestamp,
            "smsc": sms.smsc,
            "message_id": sms.message_id,
        }
        self.hass.bus.async_fire(EVENT_SMS_RECEIVED, data)
        async_dispatcher_send(
            self.hass, SIGNAL_SMS.format(self.entry.entry_id, sms.port), data
        )
        self._schedule_save()

    async def async_poll_inbox(self) -> int:
        """Fetch what arrived above the mark; report what no push did."""
        async with self._inbox_lock:
            messages = await self.gateway.async_get_incoming_sms(self.inbox_mark)
            if self._check_restart and not messages:
                # The gateway rebooted and nothing is above the mark: did
                # its ids start again? One look at the whole inbox tells.
                everything = await self.gateway.async_get_incoming_sms(0)
                if everything and everything[-1].message_id < self.inbox_mark:
                    LOGGER.info("%s restarted its message ids", self.entry.title)
                    self.inbox_mark = 0
                    messages = everything
            self._check_restart = False
            for sms in messages:
                self._handle_sms(sms)
            if messages:
                self.inbox_mark = max(self.inbox_mark, messages[-1].message_id)
                self._schedule_save()
            return len(messages)

    @callback
    def _handle_ussd(self, reply: UssdReply) -> None:
        waiter = self._ussd_waiters.get(reply.port)
        if waiter and not waiter.done():
            waiter.set_result(reply.text)
        self.hass.bus.async_fire(
            EVENT_USSD_RECEIVED,
            {
                "entry_id": self.entry.entry_id,
                "device_id": self._port_device_id(reply.port),
                "port": reply.port,
                "text": reply.text,
            },
        )

    @callback
    def handle_push(self, push: Push) -> None:
        """Turn a validated push into events and updates."""
        for event in push.events:
            if isinstance(event, IncomingSms):
                self._handle_sms(event, pushed=True)
            elif isinstance(event, SmsReport):
                self._handle_report(event)
            elif isinstance(event, UssdReply):
                self._handle_ussd(event)
            elif isinstance(event, RegistrationChange):
                self.ports.async_apply_registration(event)
            elif isinstance(event, CallEvent):
                self.hass.bus.async_fire(
                    EVENT_CALL,
                    {
                        "entry_id": self.entry.entry_id,
                        "device_id": self._port_device_id(event.port),
                        "port": event.port,
                        "type": event.kind,
                        "number": event.number,
                        "details": event.details,
                    },
                )
            elif isinstance(event, DeviceEvent):
                if event.kind == "device" and event.details.get("status") == "power_on":
                    self._check_restart = True
                self.hass.bus.async_fire(
                    EVENT_DEVICE,
                    {
                        "entry_id": self.entry.entry_id,
                        "type": event.kind,
                        "port": event.port,
                        "details": event.details,
                    },
                )

    # ------------------------------------------------------------ USSD

    async def async_ussd(self, port: int, code: str, timeout_s: float) -> str:
        """Send a USSD code and wait for the reply (push, or polled)."""
        if len(code.encode()) > self.gateway.max_ussd_bytes or not code.strip():
            raise _error("invalid_ussd", limit=str(self.gateway.max_ussd_bytes))
        check_ports_ready(self.ports.data, (port,))
        if port in self._ussd_waiters and not self._ussd_waiters[port].done():
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="ussd_busy",
                translation_placeholders={"port": str(port)},
            )
        before = await run_command(self.gateway.async_get_ussd_reply(port))
        waiter: asyncio.Future[str] = self.hass.loop.create_future()
        self._ussd_waiters[port] = waiter
        try:
            status = await run_command(self.gateway.async_send_ussd(port, code))
            if status is not UssdStatus.SENT:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key=f"ussd_{status.value}",
                    translation_placeholders={"port": str(port)},
                )
            reply = await self._async_wait_ussd(port, waiter, before, timeout_s)
        finally:
            self._ussd_waiters.pop(port, None)
        return reply

    async def _async_wait_ussd(
        self,
        port: int,
        waiter: asyncio.Future[str],
        before: str | None,
        timeout_s: float,
    ) -> str:
        deadline = time.monotonic() + timeout_s
        while (left := deadline - time.monotonic()) > 0:
            try:
                return await asyncio.wait_for(
                    asyncio.shield(waiter), min(USSD_POLL_INTERVAL, left)
                )
            except TimeoutError:
                pass
            polled = await run_command(self.gateway.async_get_ussd_reply(port))
            if polled and polled != before:
                return polled
        raise HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="ussd_timeout",
            translation_placeholders={"port": str(port), "timeout": f"{timeout_s:g}"},
        )

    # ------------------------------------------------------------ balance

    async def async_check_balance(self, port: int, timeout_s: float) -> float:
        """Send the balance code on a port; keep and return the amount found."""
        # Balance entities and checks exist only while a code is set.
        code = self.entry.options[CONF_BALANCE_CODE]
        reply = await self.async_ussd(port, code, timeout_s)
        pattern = (
            self.entry.options.get(CONF_BALANCE_PATTERN) or DEFAULT_BALANCE_PATTERN
        )
        amount = parse_balance(reply, pattern)
        if amount is None:
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="balance_not_found",
                translation_placeholders={"port": str(port), "reply": reply[:160]},
            )
        self.balances[port] = amount
        async_dispatcher_send(
            self.hass, SIGNAL_BALANCE.format(self.entry.entry_id), port
        )
        return amount
