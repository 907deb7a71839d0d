"""The push endpoint: the gateway POSTs events here."""

from __future__ import annotations

from aiohttp import hdrs, web
from homeassistant.components import webhook
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError

from .api import GatewayError
from .const import CONF_ALLOW_EXTERNAL, DOMAIN, LOGGER, MAX_PUSH_BYTES
from .runtime import GsmGatewayConfigEntry


def webhook_url(hass: HomeAssistant, webhook_id: str) -> str:
    """The full URL to enter in the gateway, or its path when no URL is known."""
    try:
        return webhook.async_generate_url(hass, webhook_id, prefer_external=False)
    except NoURLAvailableError:
        return webhook.async_generate_path(webhook_id)


async def _read_bounded(request: web.Request) -> bytes | None:
    """The body, or None when it is larger than any push can be."""
    if request.content_length is not None and request.content_length > MAX_PUSH_BYTES:
        return None
    body = bytearray()
    async for chunk in request.content.iter_chunked(16384):
        body += chunk
        if len(body) > MAX_PUSH_BYTES:
            return None
    return bytes(body)


@callback
def async_register_webhook(hass: HomeAssistant, entry: GsmGatewayConfigEntry) -> None:
    """Listen for this gateway's pushes until the entry unloads."""
    webhook_id: str = entry.data[CONF_WEBHOOK_ID]

    async def handle(
        hass: HomeAssistant, webhook_id: str, request: web.Request
    ) -> web.Response:
        try:
            body = await _read_bounded(request)
            if body is None:
                return web.Response(status=413)
            runtime = entry.runtime_data
            try:
                push = runtime.gateway.parse_push(body)
            except GatewayError as err:
                LOGGER.debug("Rejected a push: %s", err)
                return web.Response(status=400)
            if not runtime.gateway.push_belongs(push, runtime.ports.identity):
                LOGGER.debug("Rejected a push from another gateway")
                return web.Response(status=403)
            runtime.messaging.handle_push(push)
            return web.Response(status=200)
        except Exception:  # noqa: BLE001 - a push must never break the server
            # A fault of ours, not of the sender: log it, and answer as for a
            # push that could not be used, so the gateway does not retry it.
            LOGGER.exception("Unexpected error while handling a push")
            return web.Response(status=400)

    webhook.async_register(
        hass,
        DOMAIN,
        entry.title,
        webhook_id,
        handle,
        local_only=not entry.options.get(CONF_ALLOW_EXTERNAL, False),
        allowed_methods=[hdrs.METH_POST],
    )
    entry.async_on_unload(lambda: webhook.async_unregister(hass, webhook_id))


async def async_register_push_url(
    hass: HomeAssistant, entry: GsmGatewayConfigEntry
) -> None:
    """Tell a gateway that takes its push URL through the API where to push.

    A failure is logged, not fatal: polling still reports everything. The
    registration is withdrawn when the entry unloads.
    """
    gateway = entry.runtime_data.gateway
    url = webhook_url(hass, entry.data[CONF_WEBHOOK_ID])
    try:
        await gateway.async_register_push(url)
    except GatewayError as err:
        LOGGER.warning(
            "%s did not take the push URL; SMS arrive by polling: %s",
            entry.title,
            err,
        )
        return

    async def withdraw() -> None:
        try:
            await gateway.async_unregister_push()
        except GatewayError as err:
            LOGGER.debug("%s kept its push URL: %s", entry.title, err)

    entry.async_on_unload(withdraw)
