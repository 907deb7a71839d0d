"""Delimited ``content`` strings in JSON replies, and a small dialect answering with them."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
import json
from typing import TYPE_CHECKING, Any, ClassVar

import aiohttp
from aiohttp import web

from gsm_simulator.auth import AuthMode
from gsm_simulator.delimited import DelimitedText
from gsm_simulator.dialect import Dialect

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gsm_simulator.pytest_plugin import SimulatorFactory

SECTIONS = DelimitedText(end=".")
ROWS = DelimitedText()
INBOX = DelimitedText(field_sep=":")
ICCIDS = DelimitedText(section_sep=".", end=".")


def test_sections_lists_and_final_dot() -> None:
    """``total:n;key:v,v,...`` with or without the trailing dot."""
    states = [0, 1, 1, 0]
    assert ROWS.content(ROWS.pair("total", 4), ROWS.pair("portstate", states)) == (
        "total:4;portstate:0,1,1,0"
    )
    assert SECTIONS.content(
        SECTIONS.pair("total", 2), SECTIONS.pair("ConnectState", (1, 0))
    ) == ("total:2;ConnectState:1,0.")
    assert ICCIDS.content(
        ICCIDS.pair(2, "89860058111551226470"), ICCIDS.pair(3, "89860058111551226471")
    ) == ("2:89860058111551226470.3:89860058111551226471.")
    assert ROWS.values([]) == ""


def test_rows_and_counts() -> None:
    """Rows end with ``|E``; ``None`` is NULL, booleans 1/0; the count comes first."""
    row = ROWS.row(2, 0, "20160721132505", 99, True, None)
    assert row == "2|0|20160721132505|99|1|NULL|E"
    assert ROWS.row(False) == "0|E"
    assert ROWS.counted([row]) == "total:1;" + row
    assert ROWS.counted([]) == "total:0"
    assert ROWS.counted([], key="count") == "count:0"
    # Text is not escaped: separators inside a field stay as they are.
    assert INBOX.row("20150911111111", "1(A)(-1)", "10086", "a:b;c") == (
        "20150911111111:1(A)(-1):10086:a:b;c|E"
    )
    custom = DelimitedText(null="-", true="Y", false="N", row_end="#")
    assert custom.row(None, True, False) == "-|Y|N#"


def test_reply_object() -> None:
    """The JSON object around the content."""
    assert DelimitedText.reply("total:0") == {"result": "ok", "content": "total:0"}
    assert ROWS.reply("no such port", result="error") == {
        "result": "error",
        "content": "no such port",
    }


class DelimitedDialect(Dialect):
    """``POST /API/QueryInfo`` with an ``event``; Basic auth; delimited content."""

    name: ClassVar[str] = "test_delimited"
    default_auth: ClassVar[AuthMode] = AuthMode.BASIC

    def routes(self) -> Iterable[web.AbstractRouteDef]:
        return (web.post("/API/QueryInfo", self.query_info),)

    async def query_info(self, request: web.Request) -> web.Response:
        body: dict[str, Any] = json.loads(await request.read())
        match body.get("event"):
            case "getportinfo":
                states = [0 if port.registered else 1 for port in self.gateway.ports]
                content = SECTIONS.content(
                    SECTIONS.pair("total", len(states)),
                    SECTIONS.pair("portstate", states),
                )
            case "queryrxsms":
                content = INBOX.counted(
                    [
                        INBOX.row(
                            f"{sms.timestamp:%Y%m%d%H%M%S}",
                            f"{sms.port + 1}(A)({sms.number or -1})",
                            sms.number,
                            sms.text,
                        )
                        for sms in self.gateway.read_inbox(which="all")
                    ]
                )
            case _:
                return self.json_response(ROWS.reply("unknown event", result="error"))
        return self.json_response(ROWS.reply(content))


async def test_dialect_renders_delimited_content(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Port states and inbox rows come out as the vendor writes them."""
    sim = await gsm_simulator_factory(DelimitedDialect, ports=2, auth=None)
    assert sim.auth.mode is AuthMode.BASIC
    sim.set_registration(1, "searching")
    moment = datetime(2015, 9, 11, 11, 11, 11, tzinfo=UTC)
    sim.receive_sms(0, "10086", "Hello: world; again", moment)
    auth = {"Authorization": "Basic " + base64.b64encode(b"admin:admin").decode()}
    url = f"{sim.url}/API/QueryInfo"

    async def ask(event: str) -> Any:
        body = json.dumps({"event": event})
        async with session.post(url, data=body, headers=auth) as response:
            assert response.status == 200
            return await response.json()

    assert await ask("getportinfo") == {
        "result": "ok",
        "content": "total:2;portstate:0,1.",
    }
    assert await ask("queryrxsms") == {
        "result": "ok",
        "content": "total:1;20150911111111:1(A)(10086):10086:Hello: world; again|E",
    }
    assert await ask("nothing") == {"result": "error", "content": "unknown event"}
    async with session.post(url, data="{}") as response:
        assert response.status == 401
