"""Exceptions raised by the gateway client.

Messages never contain credentials: URLs are reduced to scheme, host and path
before they appear in a message.
"""

from __future__ import annotations


class GatewayError(Exception):
    """Base of every error raised by the client."""


class GatewayConnectionError(GatewayError):
    """The gateway could not be reached or the connection broke."""


class GatewayTimeoutError(GatewayConnectionError):
    """The gateway did not answer within the request timeout."""


class GatewayAuthenticationError(GatewayError):
    """The gateway refused the credentials."""


class GatewayResponseError(GatewayError):
    """The gateway answered something the client could not use."""


class GatewayNotRecognizedError(GatewayResponseError):
    """The device at this address does not speak the expected API."""


class GatewayCommandError(GatewayError):
    """The gateway understood a command but refused it."""

    def __init__(
        self, message: str, code: int | None = None, reason: str | None = None
    ) -> None:
        """Keep the vendor's code (and its reason, where it gives one)."""
        super().__init__(message)
        self.code = code
        self.reason = reason


class GatewayNotSupportedError(GatewayError):
    """The gateway's API has no such command."""

    def __init__(self, feature: str) -> None:
        """Name the missing feature."""
        super().__init__(f"This gateway does not support {feature}")
        self.feature = feature


class GatewayArgumentError(GatewayError):
    """A value given to a command is not one this family accepts."""

    def __init__(self, argument: str, value: str) -> None:
        """Name the argument; the value is kept short."""
        super().__init__(f"{value[:40]!r} is not a valid {argument} for this gateway")
        self.argument = argument
        self.value = value[:40]
