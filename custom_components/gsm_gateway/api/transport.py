"""HTTP transport shared by every vendor module.

One place owns timeouts, TLS, authentication and the mapping of transport
failures to the client's exceptions.
"""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import aiohttp
from yarl import URL

from .exceptions import (
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayResponseError,
    GatewayTimeoutError,
)

DEFAULT_TIMEOUT = 10.0


class AuthMode(StrEnum):
    """How a vendor's API carries credentials."""

    CHALLENGE = "challenge"  # Digest or Basic, as the device's 401 asks
    BASIC = "basic"
    QUERY = "query"  # username/password query parameters
    NONE = "none"


@dataclass(frozen=True, slots=True, kw_only=True)
class ConnectionConfig:
    """Where a gateway is and how to log in."""

    host: str
    port: int | None = None
    use_https: bool = False
    verify_ssl: bool = True
    username: str = ""
    password: str = field(default="", repr=False)
    request_timeout: float = DEFAULT_TIMEOUT

    @property
    def base_url(self) -> URL:
        """The scheme, host and port every request starts from."""
        return URL.build(
            scheme="https" if self.use_https else "http",
            host=self.host,
            port=self.port,
        )


class HttpTransport:
    """Send requests to one gateway and return the raw body of good answers."""

    def __init__(
        self, session: aiohttp.ClientSession, config: ConnectionConfig, auth: AuthMode
    ) -> None:
        """Keep the injected session; it is never closed here."""
        self._session = session
        self._config = config
        self._auth = auth
        self._digest = aiohttp.DigestAuthMiddleware(config.username, config.password)
        self._use_basic = auth is AuthMode.BASIC
        token = f"{config.username}:{config.password}".encode()
        self._basic_header = f"Basic {base64.b64encode(token).decode('ascii')}"
        self.request_count = 0

    @property
    def config(self) -> ConnectionConfig:
        """The connection settings."""
        return self._config

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        body: bytes | None = None,
        content_type: str = "application/json",
        wait: float | None = None,
    ) -> bytes:
        """Send one request; return the body of a 2xx answer.

        `wait` replaces the configured timeout, for requests the device
        answers only once something happened (a USSD reply).
        """
        url = self._config.base_url.with_path(path)
        query = dict(params or {})
        if self._auth is AuthMode.QUERY:
            query["username"] = self._config.username
            query["password"] = self._config.password
        status, headers, payload = await self._send(
            method, url, query, body, content_type, wait=wait
        )
        if (
            status == 401
            and self._auth is AuthMode.CHALLENGE
            and not self._use_basic
            and headers.get("WWW-Authenticate", "").lower().startswith("basic")
        ):
            self._use_basic = True
            status, headers, payload = await self._send(
                method, url, query, body, content_type, wait=wait
            )
        if status == 401 and self._foreign_challenge(headers):
            # Another kind of API: this one never asks for that scheme.
            raise GatewayResponseError(
                f"{path} asks for an authentication this API does not use"
            )
        if status in (401, 403):
            raise GatewayAuthenticationError(
                f"The gateway refused the credentials for {path}"
            )
        if status >= 400:
            raise GatewayResponseError(f"The gateway answered HTTP {status} to {path}")
        return payload

    def _foreign_challenge(self, headers: Any) -> bool:
        """Whether a 401 asks for HTTP authentication this API does not use.

        Query-string APIs never challenge, and a Basic API does not ask for
        Digest: such a refusal comes from a device of another family.
        """
        challenge = headers.get("WWW-Authenticate", "").strip().lower()
        if not challenge:
            return False
        if self._auth is AuthMode.QUERY:
            return True
        return self._auth is AuthMode.BASIC and not challenge.startswith("basic")

    async def _send(
        self,
        method: str,
        url: URL,
        query: dict[str, str],
        body: bytes | None,
        content_type: str,
        *,
        wait: float | None = None,
    ) -> tuple[int, Any, bytes]:
        kwargs: dict[str, Any] = {}
        if not self._config.verify_ssl:
            kwargs["ssl"] = False
        if body is not None:
            kwargs["data"] = body
            kwargs["headers"] = {"Content-Type": content_type}
        if self._auth is AuthMode.CHALLENGE and not self._use_basic:
            kwargs["middlewares"] = (self._digest,)
        elif self._auth in (AuthMode.CHALLENGE, AuthMode.BASIC):
            kwargs.setdefault("headers", {})["Authorization"] = self._basic_header
        self.request_count += 1
        # The client's errors are raised outside the except blocks: a chained
        # TimeoutError's traceback would keep the request's frames (and the
        # refresh task behind them) alive for as long as the error is kept.
        failure: GatewayConnectionError
        limit = wait or self._config.request_timeout
        try:
            async with asyncio.timeout(limit):
                async with self._session.request(
                    method, url, params=query or None, allow_redirects=False, **kwargs
                ) as response:
                    payload = await response.read()
                    return response.status, response.headers, payload
        except TimeoutError:
            failure = GatewayTimeoutError(
                f"Timed out after {limit:g} s waiting for {url.path}"
            )
        except (aiohttp.ClientError, OSError) as err:
            failure = GatewayConnectionError(
                f"Could not talk to the gateway at {url.path}: {type(err).__name__}"
            )
        raise failure
