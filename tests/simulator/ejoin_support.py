"""Helpers of the Ejoin dialect's tests: a client with query credentials, push waits."""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

from .conftest import FAST

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.push import PushReceiver
    from gsm_simulator.pytest_plugin import SimulatorFactory
    from gsm_simulator.server import Simulator

CREDENTIALS = {"username": "root", "password": "s3cret"}
EJOIN_FAST: dict[str, Any] = {
    **FAST,
    "auth": "query",
    "username": CREDENTIALS["username"],
    "password": CREDENTIALS["password"],
}
"""Query credentials root/s3cret; background work in milliseconds."""
WAIT = 5.0


class EjoinApi:
    """Calls an Ejoin simulator with the credentials in the query string."""

    def __init__(self, session: aiohttp.ClientSession, sim: Simulator) -> None:
        self.session = session
        self.sim = sim

    async def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        credentials: dict[str, str] | None = None,
        **params: str,
    ) -> tuple[int, Any]:
        """(HTTP status, decoded JSON or else the text) of one request."""
        query = {**(CREDENTIALS if credentials is None else credentials), **params}
        data = raw if raw is not None else None if body is None else json.dumps(body)
        async with self.session.request(
            method, self.sim.url + path, params=query, data=data
        ) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:  # not JSON: an HTML refusal, a malformed answer
                return response.status, text

    async def get(self, path: str, **params: str) -> Any:
        """GET with credentials; asserts HTTP 200; the JSON answer."""
        status, answer = await self.call("GET", path, **params)
        assert status == 200, answer
        return answer

    async def post(self, path: str, body: Any = None, **params: str) -> Any:
        """POST ``body`` as JSON with credentials; asserts HTTP 200; the JSON answer."""
        status, answer = await self.call("POST", path, body, **params)
        assert status == 200, answer
        return answer

    async def command(self, **body: Any) -> Any:
        """``goip_send_cmd.html`` with ``{"type": "command", **body}``."""
        return await self.post("/goip_send_cmd.html", {"type": "command", **body})

    async def send(self, *tasks: dict[str, Any], **fields: Any) -> Any:
        """``goip_post_sms.html`` with these tasks (and request fields)."""
        body = {"type": "send-sms", "task_num": len(tasks), "tasks": list(tasks)}
        return await self.post("/goip_post_sms.html", {**body, **fields})


async def start_ejoin(
    factory: SimulatorFactory, session: aiohttp.ClientSession, **options: Any
) -> tuple[Simulator, EjoinApi]:
    """A started Ejoin simulator (fast timings, root/s3cret) and its client."""
    sim = await factory("ejoin", **{**EJOIN_FAST, **options})
    return sim, EjoinApi(session, sim)


def pushes(receiver: PushReceiver, push_type: str) -> list[dict[str, Any]]:
    """The pushes of ``push_type`` (their ``type``) the receiver got so far."""
    return [
        body
        for body in receiver.payloads()
        if isinstance(body, dict) and body.get("type") == push_type
    ]


async def wait_pushes(
    receiver: PushReceiver, push_type: str, count: int
) -> list[dict[str, Any]]:
    """Wait (bounded) until ``count`` pushes of ``push_type`` arrived."""
    async with asyncio.timeout(WAIT):
        while len(found := pushes(receiver, push_type)) < count:
            await receiver.wait_for(len(receiver.received) + 1)
    return found


async def settle(sim: Simulator) -> None:
    """Wait (bounded) until no background work of ``sim`` is pending."""
    async with asyncio.timeout(WAIT):
        await sim.wait_idle()
