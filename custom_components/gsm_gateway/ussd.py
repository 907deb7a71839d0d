"""USSD: one request at a time per port, its reply by push or by polling, and balances."""

from __future__ import annotations

import asyncio
import re
import time

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.dispatcher import async_dispatcher_send

from .api import GatewayError, GatewayTimeoutError, GsmGateway, UssdReply, UssdStatus
from .const import (
    CONF_BALANCE_CODE,
    CONF_BALANCE_PATTERN,
    DEFAULT_BALANCE_PATTERN,
    DOMAIN,
    EVENT_USSD_RECEIVED,
    SIGNAL_BALANCE,
    USSD_POLL_INTERVAL,
)
from .coordinator import GsmPortsCoordinator
from .helpers import (
    check_ports_ready,
    find_port_device_id,
    run_command,
    translated_error,
)
from .sending import validation_error


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


class UssdSessions:
    """USSD requests of one gateway and the balances read from them."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry,
        gateway: GsmGateway,
        ports: GsmPortsCoordinator,
    ) -> None:
        """No request is waiting yet."""
        self.hass = hass
        self.entry = entry
        self.gateway = gateway
        self.ports = ports
        self._waiters: dict[int, asyncio.Future[str]] = {}
        # Per port: a reply read by polling, which a late push may repeat.
        self._polled: dict[int, str] = {}
        self.balances: dict[int, float] = {}

    def waiting_ports(self) -> list[int]:
        """Ports with a request waiting for its reply."""
        return sorted(self._waiters)

    @callback
    def handle_reply(self, reply: UssdReply) -> None:
        """A reply arrived: hand it to its request, and fire the event."""
        if self._polled.pop(reply.port, None) == reply.text:
            return
        waiter = self._waiters.get(reply.port)
        if waiter and not waiter.done():
            waiter.set_result(reply.text)
        self.hass.bus.async_fire(
            EVENT_USSD_RECEIVED,
            {
                "entry_id": self.entry.entry_id,
                "device_id": find_port_device_id(
                    self.hass, self.entry.entry_id, self.ports.identity, reply.port
                ),
                "port": reply.port,
                "text": reply.text,
            },
        )

    async def async_ussd(self, port: int, code: str, timeout_s: float) -> str:
        """Send a USSD code and wait for the reply (push, or polled)."""
        if len(code.encode()) > self.gateway.max_ussd_bytes or not code.strip():
            raise validation_error(
                "invalid_ussd", limit=str(self.gateway.max_ussd_bytes)
            )
        check_ports_ready(self.ports.data, (port,))
        if port in self._waiters and not self._waiters[port].done():
            raise HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="ussd_busy",
                translation_placeholders={"port": str(port)},
            )
        # A new request: a reply read by an earlier one is no longer news.
        self._polled.pop(port, None)
        before = await run_command(self.gateway.async_get_ussd_reply(port))
        waiter: asyncio.Future[str] = self.hass.loop.create_future()
        self._waiters[port] = waiter
        try:
            try:
                answer = await self.gateway.async_send_ussd(port, code)
            except GatewayTimeoutError:
                # A gateway that answers with the reply gave none in time.
                raise self._timeout(port, timeout_s) from None
            except GatewayError as err:
                raise translated_error(err) from err
            if answer.status is not UssdStatus.SENT:
                raise HomeAssistantError(
                    translation_domain=DOMAIN,
                    translation_key=f"ussd_{answer.status.value}",
                    translation_placeholders={"port": str(port)},
                )
            if answer.reply is not None:
                # The gateway answered with the network's reply itself.
                self.handle_reply(UssdReply(port=port, text=answer.reply))
                reply = answer.reply
            else:
                reply = await self._async_wait(port, waiter, before, timeout_s)
        finally:
            self._waiters.pop(port, None)
        return reply

    async def _async_wait(
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
            if waiter.done():
                # The reply was pushed (and reported) while polling.
                return waiter.result()
            if polled and polled != before:
                self.handle_reply(UssdReply(port=port, text=polled))
                # The same reply may still come by push: it is no news then.
                self._polled[port] = polled
                return polled
        raise self._timeout(port, timeout_s)

    @staticmethod
    def _timeout(port: int, timeout_s: float) -> HomeAssistantError:
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="ussd_timeout",
            translation_placeholders={"port": str(port), "timeout": f"{timeout_s:g}"},
        )

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
