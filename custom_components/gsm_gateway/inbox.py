"""Receiving: each SMS reported once, whether pushed, polled, or both.

The family owns the inbox cursor (where the next look starts, and how a
device restart is noticed); this keeps it between runs and drops duplicates.
A message is known by its content (port, time, sender and text); its id,
where the gateway gives one, tells apart two messages of the same content.
One arrival with an id and one without are the same message.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import hashlib
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.dispatcher import async_dispatcher_send
from homeassistant.util import dt as dt_util

from .api import GsmGateway, InboxCursor, IncomingSms, Push, SmsReport
from .const import (
    CONF_DELETE_REPORTED,
    EVENT_SMS_RECEIVED,
    MAX_SEEN_IDS,
    SIGNAL_SMS,
)
from .coordinator import GsmPortsCoordinator
from .helpers import find_port_device_id


def content_key(sms: IncomingSms) -> str:
    """What tells two SMS apart when neither has an id."""
    digest = hashlib.sha256(f"{sms.sender}\0{sms.text}".encode()).hexdigest()[:16]
    stamp = sms.timestamp.isoformat() if sms.timestamp else ""
    return f"{sms.port}/{stamp}/{digest}"


class Inbox:
    """The received SMS of one gateway."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        gateway: GsmGateway,
        ports: GsmPortsCoordinator,
        *,
        on_report: Callable[[SmsReport], None],
        save: Callable[[], None],
    ) -> None:
        """Start empty; `restore` brings back what was stored."""
        self.hass = hass
        self.entry = entry
        self.gateway = gateway
        self.ports = ports
        self.cursor: InboxCursor | None = None
        # Content key -> ids seen with that content (None: an arrival without).
        self._seen: dict[str, list[str | None]] = {}
        self._lock = asyncio.Lock()
        self._on_report = on_report
        self._save = save

    def restore(self, data: dict[str, Any]) -> None:
        """Take the stored cursor and remembered messages."""
        cursor = data.get("inbox_cursor")
        self.cursor = dict(cursor) if isinstance(cursor, dict) else None
        self._seen = {}
        for key, message_id in data.get("seen", []):
            self._seen.setdefault(str(key), []).append(message_id)

    def to_store(self) -> dict[str, Any]:
        """What `restore` takes."""
        return {
            "inbox_cursor": dict(self.cursor) if self.cursor is not None else None,
            "seen": [
                [key, message_id]
                for key, ids in self._seen.items()
                for message_id in ids
            ],
        }

    def diagnostics(self) -> dict[str, Any]:
        """Counters; no numbers, no texts."""
        return {
            "inbox_cursor": dict(self.cursor) if self.cursor is not None else None,
            "remembered_sms": sum(len(ids) for ids in self._seen.values()),
        }

    def _is_known(self, sms: IncomingSms) -> bool:
        """Whether the message was reported already (nothing is remembered)."""
        ids = self._seen.get(content_key(sms))
        if ids is None:
            return False
        message_id = None if sms.message_id is None else str(sms.message_id)
        return message_id is None or message_id in ids or None in ids

    def _is_new(self, sms: IncomingSms) -> bool:
        """Remember the message; whether it was unknown."""
        key = content_key(sms)
        message_id = None if sms.message_id is None else str(sms.message_id)
        ids = self._seen.get(key)
        if ids is None:
            self._seen[key] = [message_id]
            while len(self._seen) > MAX_SEEN_IDS:
                del self._seen[next(iter(self._seen))]
            return True
        if message_id is None or message_id in ids:
            return False
        if None in ids:
            # The same message came first without its id: it has one now.
            ids[ids.index(None)] = message_id
            return False
        ids.append(message_id)
        return True

    @callback
    def handle(self, sms: IncomingSms) -> None:
        """Fire one event per message, however often and however it arrives."""
        if not self._is_new(sms):
            return
        timestamp = None
        if (moment := sms.timestamp) is not None:
            # Gateways' clocks have no zone: take it as Home Assistant's.
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=dt_util.get_default_time_zone())
            timestamp = moment.isoformat()
        data = {
            "entry_id": self.entry.entry_id,
            "device_id": find_port_device_id(
                self.hass, self.entry.entry_id, self.ports.identity, sms.port
            ),
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
        self._save()

    @callback
    def note_push(self, push: Push) -> None:
        """Let the family move its cursor for what a push says (a reboot ...).

        The family sees the push without the SMS already reported: a gateway
        pushing a message again is no news about its numbering.
        """
        news = Push(
            identity=push.identity,
            events=tuple(
                event
                for event in push.events
                if not (isinstance(event, IncomingSms) and self._is_known(event))
            ),
        )
        cursor = self.gateway.cursor_after_push(self.cursor, news)
        if cursor != self.cursor:
            self.cursor = None if cursor is None else dict(cursor)
            self._save()

    async def async_poll(self) -> int:
        """Look at the inbox from the cursor; report what no push did."""
        async with self._lock:
            page = await self.gateway.async_get_inbox(
                self.cursor,
                consume=bool(self.entry.options.get(CONF_DELETE_REPORTED, False)),
            )
            for sms in page.messages:
                self.handle(sms)
            for report in page.reports:
                self._on_report(report)
            if page.cursor != self.cursor:
                self.cursor = dict(page.cursor)
                self._save()
            return len(page.messages)
