"""The interface every vendor module implements, and the vendor registry."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import aiohttp

from .exceptions import GatewayNotRecognizedError, GatewayResponseError
from .models import DeviceStatus, GatewayInfo, Port
from .transport import AuthMode, ConnectionConfig, HttpTransport

GATEWAY_CLASSES: dict[str, type[GsmGateway]] = {}


class GsmGateway(ABC):
    """A multi-port GSM gateway, whatever its vendor.

    Subclasses declare their family (a short stable name, stored in config
    entries) and a label, and register themselves by being defined.
    """

    family: ClassVar[str]
    label: ClassVar[str]
    manufacturer: ClassVar[str]
    auth_mode: ClassVar[AuthMode]

    def __init_subclass__(cls, **kwargs: object) -> None:
        """Register a concrete vendor class under its family."""
        super().__init_subclass__(**kwargs)
        GATEWAY_CLASSES[cls.family] = cls

    def __init__(
        self, session: aiohttp.ClientSession, config: ConnectionConfig
    ) -> None:
        """Use the injected session; the caller owns it."""
        self._transport = HttpTransport(session, config, self.auth_mode)

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


def create_gateway(
    family: str, session: aiohttp.ClientSession, config: ConnectionConfig
) -> GsmGateway:
    """Build the client for a known API family."""
    return GATEWAY_CLASSES[family](session, config)


async def detect_gateway(
    session: aiohttp.ClientSession, config: ConnectionConfig
) -> tuple[GsmGateway, GatewayInfo]:
    """Find which API the device speaks by probing each family in turn.

    Authentication and connection failures end the search at once: they say
    the device is there and needs other settings, not that it is another kind.
    """
    for family in GATEWAY_CLASSES:
        gateway = create_gateway(family, session, config)
        try:
            info = await gateway.async_probe()
        except GatewayResponseError:
            continue
        return gateway, info
    raise GatewayNotRecognizedError("No supported gateway API answered at this address")
