"""Messaging of one gateway: its parts, their storage, and routing pushes to them.

`Sender` sends and follows reports, `Inbox` reports each received SMS once,
`UssdSessions` runs USSD requests and balance checks. This class builds them,
keeps their state in one `MessagingStore` so a restart loses nothing and
repeats nothing, and hands each pushed event to the part it is for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback

from .api import (
    CallEvent,
    DeviceEvent,
    GsmGateway,
    IncomingSms,
    PortUpdate,
    Push,
    RegistrationChange,
    SmsEncoding,
    SmsReport,
    UssdReply,
)
from .const import EVENT_CALL, EVENT_DEVICE
from .coordinator import GsmPortsCoordinator
from .helpers import find_gateway_device_id, find_port_device_id
from .inbox import Inbox
from .sending import Sender
from .store import SAVE_DELAY, MessagingStore
from .ussd import UssdSessions


class GsmMessaging:
    """Sending, receiving and USSD of one gateway."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        gateway: GsmGateway,
        ports: GsmPortsCoordinator,
    ) -> None:
        """Build the parts; `async_load` brings back their stored state."""
        self.hass = hass
        self.entry = entry
        self.ports = ports
        self._store = MessagingStore(hass, entry.entry_id)
        self.sender = Sender(hass, entry, gateway, ports, save=self._schedule_save)
        self.inbox = Inbox(
            hass,
            entry,
            gateway,
            ports,
            on_report=self.sender.handle_report,
            save=self._schedule_save,
        )
        self.ussd = UssdSessions(hass, entry, gateway, ports)

    # ------------------------------------------------------------ storage

    async def async_load(self) -> None:
        """Read the stored state of earlier runs (upgraded if older)."""
        data = await self._store.async_load() or {}
        self.inbox.restore(data)
        self.sender.restore(data)

    def _data_to_save(self) -> dict[str, Any]:
        return {**self.inbox.to_store(), **self.sender.to_store()}

    @callback
    def _schedule_save(self) -> None:
        self._store.async_delay_save(self._data_to_save, SAVE_DELAY)

    async def async_save(self) -> None:
        """Write the state now (at unload)."""
        await self._store.async_save(self._data_to_save())

    def diagnostics(self) -> dict[str, Any]:
        """Counters for troubleshooting; no numbers, no texts."""
        return {
            **self.inbox.diagnostics(),
            **self.sender.diagnostics(),
            "ussd_waiting_ports": self.ussd.waiting_ports(),
        }

    # ------------------------------------------------------------ the parts' work

    async def async_send(
        self,
        to: Sequence[str],
        text: str,
        *,
        ports: Sequence[int] | None = None,
        encoding: SmsEncoding = SmsEncoding.AUTO,
        delivery_report: bool = True,
    ) -> dict[str, Any]:
        """Send one text to several numbers (see `Sender.async_send`)."""
        return await self.sender.async_send(
            to, text, ports=ports, encoding=encoding, delivery_report=delivery_report
        )

    async def async_poll_reports(self) -> None:
        """Ask for the results of sends no push has settled."""
        await self.sender.async_poll_reports()

    async def async_poll_inbox(self) -> int:
        """Look at the inbox; report what no push did."""
        return await self.inbox.async_poll()

    async def async_ussd(self, port: int, code: str, timeout_s: float) -> str:
        """Send a USSD code and wait for the reply."""
        return await self.ussd.async_ussd(port, code, timeout_s)

    async def async_check_balance(self, port: int, timeout_s: float) -> float:
        """Read a port's balance with the balance code."""
        return await self.ussd.async_check_balance(port, timeout_s)

    @property
    def balances(self) -> dict[int, float]:
        """The last balance read on each port."""
        return self.ussd.balances

    # ------------------------------------------------------------ pushes

    @callback
    def handle_push(self, push: Push) -> None:
        """Turn a validated push into events and updates."""
        self.inbox.note_push(push)
        for event in push.events:
            if isinstance(event, IncomingSms):
                self.inbox.handle(event)
            elif isinstance(event, SmsReport):
                self.sender.handle_report(event)
            elif isinstance(event, UssdReply):
                self.ussd.handle_reply(event)
            elif isinstance(event, RegistrationChange):
                self.ports.async_apply_registration(event)
            elif isinstance(event, PortUpdate):
                self.ports.async_apply_port(event.port)
            elif isinstance(event, CallEvent):
                self._fire(
                    EVENT_CALL,
                    event.port,
                    type=event.kind,
                    number=event.number,
                    details=event.details,
                )
            elif isinstance(event, DeviceEvent):  # pragma: no branch - all kinds
                self.hass.bus.async_fire(
                    EVENT_DEVICE,
                    {
                        "entry_id": self.entry.entry_id,
                        # The port's device; the gateway's for the whole unit.
                        "device_id": find_gateway_device_id(
                            self.hass, self.ports.identity
                        )
                        if event.port is None
                        else find_port_device_id(
                            self.hass,
                            self.entry.entry_id,
                            self.ports.identity,
                            event.port,
                        ),
                        "type": event.kind,
                        "port": event.port,
                        "details": event.details,
                    },
                )

    def _fire(self, event_type: str, port: int, **data: Any) -> None:
        self.hass.bus.async_fire(
            event_type,
            {
                "entry_id": self.entry.entry_id,
                "device_id": find_port_device_id(
                    self.hass, self.entry.entry_id, self.ports.identity, port
                ),
                "port": port,
                **data,
            },
        )
