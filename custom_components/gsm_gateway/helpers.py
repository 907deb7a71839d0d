"""Build a gateway client from config entry data."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import ConnectionConfig, GsmGateway, create_gateway
from .const import REQUEST_TIMEOUT


def connection_config(data: Mapping[str, Any]) -> ConnectionConfig:
    """Connection settings from entry data or a flow's input."""
    port = data.get(CONF_PORT)
    return ConnectionConfig(
        host=data[CONF_HOST],
        port=int(port) if port else None,
        use_https=data.get(CONF_SSL, False),
        verify_ssl=data.get(CONF_VERIFY_SSL, False),
        username=data.get(CONF_USERNAME, ""),
        password=data.get(CONF_PASSWORD, ""),
        request_timeout=REQUEST_TIMEOUT,
    )


def build_gateway(
    hass: HomeAssistant, data: Mapping[str, Any], family: str
) -> GsmGateway:
    """A client on Home Assistant's shared session."""
    config = connection_config(data)
    session = async_get_clientsession(hass, verify_ssl=config.verify_ssl)
    return create_gateway(family, session, config)
