"""Sending: checks before anything is sent, the rate limit, and following reports."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
import re
import time
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_call_later

from .api import (
    Capability,
    GatewayError,
    GsmGateway,
    OutgoingSms,
    SmsEncoding,
    SmsReport,
    SmsState,
    plan_sms,
)
from .const import (
    CONF_RATE_LIMIT,
    DEFAULT_RATE_LIMIT,
    DOMAIN,
    EVENT_SMS_STATUS,
    LOGGER,
    REPORT_GIVE_UP,
    REPORT_POLL_AFTER,
)
from .coordinator import GsmPortsCoordinator
from .helpers import (
    check_ports,
    check_ports_ready,
    find_port_device_id,
    normalize_number,
    run_command,
)

FINAL_STATES = {SmsState.FAILED, SmsState.DELIVERED, SmsState.UNDELIVERED}
NUMBER = re.compile(r"^\+?[0-9]+$")
HOUR = 3600.0
# Sends this recent are followed closely where results are not pushed.
FOLLOW_RECENT = 600.0


@dataclass(slots=True)
class Outstanding:
    """A sent SMS whose final state is not known yet."""

    number: str
    sent_at: float
    delivery_report: bool
    handle: str
    port: int | None = None
    reference: int | None = None
    reported: tuple[str, ...] = ()


def validation_error(key: str, **placeholders: str) -> ServiceValidationError:
    """A translated error for input that can never be sent."""
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


class Sender:
    """The outgoing SMS of one gateway."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        gateway: GsmGateway,
        ports: GsmPortsCoordinator,
        *,
        save: Callable[[], None],
    ) -> None:
        """Start with nothing outstanding; `restore` brings back what was stored."""
        self.hass = hass
        self.entry = entry
        self.gateway = gateway
        self.ports = ports
        self._save = save
        self._next_id = 1
        self._outstanding: dict[int, Outstanding] = {}
        self._by_handle: dict[str, int] = {}
        self._sent_times: deque[float] = deque()
        self._rate_issue_raised = False
        self._follow_up: CALLBACK_TYPE | None = None
        entry.async_on_unload(self._stop_following)

    def restore(self, data: dict[str, Any]) -> None:
        """Take the stored id counter and outstanding sends."""
        self._next_id = int(data.get("next_id", 1))
        self._outstanding = {
            int(key): Outstanding(
                number=str(value["number"]),
                sent_at=float(value["sent_at"]),
                delivery_report=bool(value["delivery_report"]),
                handle=str(value.get("handle", key)),
                port=value.get("port"),
                reference=value.get("reference"),
                reported=tuple(value.get("reported", ())),
            )
            for key, value in data.get("outstanding", {}).items()
        }
        self._by_handle = {item.handle: key for key, item in self._outstanding.items()}

    def to_store(self) -> dict[str, Any]:
        """What `restore` takes."""
        return {
            "next_id": self._next_id,
            "outstanding": {
                str(key): {
                    "number": item.number,
                    "sent_at": item.sent_at,
                    "delivery_report": item.delivery_report,
                    "handle": item.handle,
                    "port": item.port,
                    "reference": item.reference,
                    "reported": list(item.reported),
                }
                for key, item in self._outstanding.items()
            },
        }

    def diagnostics(self) -> dict[str, Any]:
        """Counters; no numbers, no texts."""
        return {
            "next_id": self._next_id,
            "outstanding_sends": len(self._outstanding),
            "sent_last_hour": len(self._sent_times),
        }

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
            raise validation_error("empty_message")
        if not to:
            raise validation_error("no_recipients")
        if len(to) > gateway.max_recipients:
            raise validation_error(
                "too_many_recipients", limit=str(gateway.max_recipients)
            )
        for number in to:
            if not NUMBER.match(number) or len(number) > gateway.max_number_length:
                raise validation_error(
                    "invalid_number",
                    number=number[:40],
                    limit=str(gateway.max_number_length),
                )
        if len(text.encode()) > gateway.max_text_bytes:
            raise validation_error(
                "message_too_long", limit=str(gateway.max_text_bytes)
            )
        check_ports(self.ports.data, ports or ())
        check_ports_ready(self.ports.data, ports or ())
        try:
            plan = plan_sms(text, encoding)
        except ValueError:
            raise validation_error("not_gsm7") from None
        limit = gateway.max_text_chars.get(plan.encoding)
        if limit is not None and len(text) > limit:
            raise validation_error("message_too_long_chars", limit=str(limit))
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
        self._save()
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
            handle = result.handles.get(sms.message_id, str(sms.message_id))
            self._outstanding[sms.message_id] = Outstanding(
                number=sms.number,
                sent_at=wall,
                delivery_report=delivery_report,
                handle=handle,
            )
            self._by_handle[handle] = sms.message_id
        self._save()
        self._follow_recent()
        return {
            "ids": [sms.message_id for sms in recipients],
            "messages": [
                {"id": sms.message_id, "to": sms.number} for sms in recipients
            ],
            "task_id": result.task_id,
            "encoding": chosen.value,
            "segments": segments,
        }

    def _find(self, report: SmsReport) -> int | None:
        """The send a report is about.

        By handle; else by the gateway's reference with number and port;
        else (delivery reports that carry only the number) the oldest send
        to that number through that port that waits for its delivery.
        """
        if report.handle is not None:
            return self._by_handle.get(report.handle)
        if report.reference is not None:
            return next(
                (
                    key
                    for key, item in self._outstanding.items()
                    if item.reference == report.reference
                    and item.number == report.number
                    and item.port == report.port
                ),
                None,
            )
        return next(
            (
                key
                for key, item in self._outstanding.items()
                if item.delivery_report
                and item.number == report.number
                and item.port in (None, report.port)
            ),
            None,
        )

    def _forget(self, message_id: int) -> None:
        item = self._outstanding.pop(message_id)
        self._by_handle.pop(item.handle, None)

    @callback
    def handle_report(self, report: SmsReport) -> None:
        """Fire a status event once per send and state; forget finished sends."""
        if report.state in (None, SmsState.SENDING):
            return
        if (message_id := self._find(report)) is None:
            return
        item = self._outstanding[message_id]
        if report.port is not None:
            item.port = report.port
        if report.reference is not None and report.handle is not None:
            item.reference = report.reference
        if report.state.value in item.reported:
            return
        item.reported = (*item.reported, report.state.value)
        self.hass.bus.async_fire(
            EVENT_SMS_STATUS,
            {
                "entry_id": self.entry.entry_id,
                "device_id": None
                if item.port is None
                else find_port_device_id(
                    self.hass, self.entry.entry_id, self.ports.identity, item.port
                ),
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
            self._forget(message_id)
        self._save()

    @callback
    def _stop_following(self) -> None:
        if self._follow_up is not None:
            self._follow_up()
            self._follow_up = None

    @callback
    def _follow_recent(self) -> None:
        """Ask again soon while recent sends of a family without pushes are open.

        Older sends are left to the regular message poll.
        """
        delay = self.gateway.report_poll_after
        if delay is None or self._follow_up is not None:
            return
        now = time.time()
        if not any(
            now - item.sent_at < FOLLOW_RECENT for item in self._outstanding.values()
        ):
            return

        async def poll(_now: Any) -> None:
            self._follow_up = None
            try:
                await self.async_poll_reports()
            except GatewayError as err:
                LOGGER.debug("Reading send results failed: %s", err)
            self._follow_recent()

        self._follow_up = async_call_later(self.hass, delay, poll)

    async def async_poll_reports(self) -> None:
        """Ask for the results of sends no push has settled."""
        now = time.time()
        for key in [
            k for k, v in self._outstanding.items() if now - v.sent_at > REPORT_GIVE_UP
        ]:
            self._forget(key)
        if not self.gateway.supports(Capability.SMS_REPORTS):
            return  # reports come by push or with the inbox
        after = self.gateway.report_poll_after or REPORT_POLL_AFTER
        due = [
            item.handle
            for item in self._outstanding.values()
            if now - item.sent_at >= after
        ]
        batch = self.gateway.max_report_batch
        for start in range(0, len(due), batch):
            for report in await self.gateway.async_get_sms_reports(
                due[start : start + batch]
            ):
                self.handle_report(report)
