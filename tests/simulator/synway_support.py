"""Helpers of the Synway dialect's tests: a client with Basic credentials, waits."""

from __future__ import annotations

import asyncio
import base64
from datetime import UTC, datetime
import json
from typing import TYPE_CHECKING, Any

from .conftest import FAST

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.pytest_plugin import SimulatorFactory
    from gsm_simulator.server import Simulator

QUERY = "/API/QueryInfo"
TASK = "/API/TaskHandle"
USER, PASSWORD = "api", "s3cret"
SYNWAY_FAST: dict[str, Any] = {
    **FAST,
    "auth": "basic",
    "username": USER,
    "password": PASSWORD,
}
"""Basic credentials api/s3cret; background work in milliseconds."""
WAIT = 5.0
MOMENT = datetime(2015, 9, 11, 11, 11, 11, tzinfo=UTC)
"""A fixed time of the unit's clock (the spec's example: 20150911111111)."""


def basic(user: str = USER, password: str = PASSWORD) -> str:
    """An ``Authorization`` header value for HTTP Basic."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return f"Basic {token}"


class SynwayApi:
    """POSTs events to a Synway simulator with Basic credentials."""

    def __init__(self, session: aiohttp.ClientSession, sim: Simulator) -> None:
        self.session = session
        self.sim = sim

    async def call(
        self,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        authorization: str | None = None,
    ) -> tuple[int, Any]:
        """(HTTP status, decoded JSON or else the text) of one POST."""
        data = raw if raw is not None else json.dumps(body).encode()
        headers = {"Authorization": authorization or basic()}
        async with self.session.post(
            self.sim.url + path, data=data, headers=headers
        ) as response:
            text = await response.text()
            try:
                return response.status, json.loads(text)
            except ValueError:  # not JSON: an HTML refusal, a cut answer
                return response.status, text

    async def post(self, path: str, body: Any) -> dict[str, str]:
        """POST ``body`` as JSON; asserts HTTP 200; the JSON answer."""
        status, answer = await self.call(path, body)
        assert status == 200, answer
        assert isinstance(answer, dict)
        return answer

    async def query(self, event: str, **fields: Any) -> dict[str, str]:
        """A QueryInfo event; the whole answer."""
        return await self.post(QUERY, {"event": event, **fields})

    async def task(self, event: str, **fields: Any) -> dict[str, str]:
        """A TaskHandle event; the whole answer."""
        return await self.post(TASK, {"event": event, **fields})

    async def ok(self, path: str, event: str, **fields: Any) -> str:
        """The content of an ``ok`` answer (asserted)."""
        answer = await self.post(path, {"event": event, **fields})
        assert answer["result"] == "ok", answer
        return answer["content"]

    async def content(self, event: str, **fields: Any) -> str:
        """The content of an ``ok`` QueryInfo answer."""
        return await self.ok(QUERY, event, **fields)

    async def handle(self, event: str, **fields: Any) -> str:
        """The content of an ``ok`` TaskHandle answer."""
        return await self.ok(TASK, event, **fields)

    async def error(self, path: str, event: str, **fields: Any) -> str:
        """The reason of an ``error`` answer (asserted)."""
        answer = await self.post(path, {"event": event, **fields})
        assert answer["result"] == "error", answer
        return answer["content"]


async def start_synway(
    factory: SimulatorFactory, session: aiohttp.ClientSession, **options: Any
) -> tuple[Simulator, SynwayApi]:
    """A started Synway simulator (fast timings, api/s3cret) and its client."""
    sim = await factory("synway", **{**SYNWAY_FAST, **options})
    return sim, SynwayApi(session, sim)


def freeze(sim: Simulator, moment: datetime = MOMENT) -> None:
    """Stop the unit's clock at ``moment``."""
    sim.state.clock = lambda: moment


def rows(content: str) -> list[str]:
    """The rows after ``total:N`` (whose count is checked)."""
    head, _, rest = content.partition(";")
    items = [row + "|E" for row in rest.split("|E;")] if rest else []
    if items:
        items[-1] = items[-1].removesuffix("|E")
    assert head == f"total:{len(items)}", content
    return items


async def settle(sim: Simulator) -> None:
    """Wait (bounded) until no background work of ``sim`` is pending."""
    async with asyncio.timeout(WAIT):
        await sim.wait_idle()


async def until(check: Any) -> None:
    """Wait (bounded) until the async ``check()`` is true, polling as a client does."""
    async with asyncio.timeout(WAIT):
        while True:
            if await check():
                return
            await asyncio.sleep(0.01)
