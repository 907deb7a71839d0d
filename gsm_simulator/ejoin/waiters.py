"""USSD requests that wait for the network's answer (``goip_send_ussd``)."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gsm_simulator.records import UssdReply


class UssdWaiters:
    """Requests waiting per port for the answer to their code."""

    def __init__(self) -> None:
        """None waiting."""
        self._waiting: defaultdict[int, list[tuple[str, asyncio.Future[str]]]] = (
            defaultdict(list)
        )

    async def wait(self, port: int, code: str, limit: float) -> str | None:
        """The answer to ``code`` on ``port``, or ``None`` after ``limit`` seconds."""
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        entry = (code, future)
        self._waiting[port].append(entry)
        try:
            async with asyncio.timeout(limit):
                return await future
        except TimeoutError:
            return None
        finally:
            self._waiting[port].remove(entry)

    def answer(self, reply: UssdReply) -> None:
        """The network answered: the requests of that port and code get the text."""
        for code, future in self._waiting.get(reply.port, ()):
            if code == reply.code and not future.done():
                future.set_result(reply.text)
