"""The floor under a port refresh: the same requests, bare ``aiohttp``, then ``json.loads``.

A refresh of the ports coordinator sends some requests to the gateway and
turns the answers into entity states. The floor is what no client can do
without: the same requests (recorded by the simulator during a scheduled
refresh) with the same authentication, sent by a plain
:class:`aiohttp.ClientSession` on the same loop, and each body decoded with
:func:`json.loads`. The ratio refresh / floor is what the integration adds.
"""

from __future__ import annotations

from collections.abc import Sequence
import json
import time
from typing import Self

import aiohttp

from gsm_simulator.auth import AuthMode
from gsm_simulator.server import RequestRecord, Simulator

_JSON = {"Content-Type": "application/json"}


class Floor:
    """Replays one refresh's requests against a simulator; open with ``async with``."""

    def __init__(self, sim: Simulator, requests: Sequence[RequestRecord]) -> None:
        """The simulator (its auth settings) and the requests of one refresh."""
        if not requests:
            msg = "a refresh without requests has no floor"
            raise ValueError(msg)
        self._sim = sim
        self.requests = tuple(requests)
        self._session: aiohttp.ClientSession | None = None
        self.bodies: list[bytes] = []

    async def __aenter__(self) -> Self:
        """Open the session (with the simulator's authentication), warm it up."""
        auth = self._sim.auth
        middlewares: tuple[aiohttp.DigestAuthMiddleware, ...] = ()
        basic = None
        if auth.mode is AuthMode.DIGEST:
            middlewares = (aiohttp.DigestAuthMiddleware(auth.username, auth.password),)
        elif auth.mode is AuthMode.BASIC:
            basic = aiohttp.BasicAuth(auth.username, auth.password)
        self._session = aiohttp.ClientSession(
            self._sim.url, auth=basic, middlewares=middlewares
        )
        # The first round trip pays the digest challenge and the connection.
        await self.once()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        """Close the session."""
        if self._session is not None:
            await self._session.close()

    async def once(self) -> None:
        """Every request of the refresh, each body decoded; the bodies kept."""
        session = self._session
        if session is None:
            msg = "the floor is not open"
            raise RuntimeError(msg)
        bodies = []
        for request in self.requests:
            async with session.request(
                request.method,
                request.path,
                params=request.query or None,
                data=request.body or None,
                headers=_JSON if request.body else None,
            ) as response:
                body = await response.read()
                if response.status != 200:
                    msg = f"{request.path} answered HTTP {response.status}"
                    raise RuntimeError(msg)
            json.loads(body)
            bodies.append(body)
        self.bodies = bodies

    async def timed(self) -> tuple[float, float]:
        """One round: wall and loop-thread CPU seconds."""
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        await self.once()
        return time.perf_counter() - start_wall, time.thread_time() - start_cpu
