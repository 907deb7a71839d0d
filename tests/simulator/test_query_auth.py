"""Query-string credentials (AuthMode.QUERY) with small dialects of the tests' own."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

import aiohttp
from aiohttp import web
from aiohttp.test_utils import make_mocked_request
import pytest

from gsm_simulator import Authenticator, AuthMode, Simulator
from gsm_simulator.auth import query_credentials
from gsm_simulator.dialect import Dialect

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gsm_simulator.pytest_plugin import SimulatorFactory

GOOD = {"username": "root", "password": "secret"}
INVALID_USER = {"code": 1, "reason": "Invalid User"}


class CodeRefusalDialect(Dialect):
    """Credentials in the query string; a refusal is HTTP 200 with a code."""

    name: ClassVar[str] = "test_query_code"
    default_auth: ClassVar[AuthMode] = AuthMode.QUERY

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reasons: list[str] = []

    def routes(self) -> Iterable[web.AbstractRouteDef]:
        return (
            web.get("/status.html", self.status),
            web.post("/send.html", self.send),
        )

    async def status(self, request: web.Request) -> web.Response:
        del request
        return self.json_response({"code": 0, "ports": self.gateway.port_count})

    async def send(self, request: web.Request) -> web.Response:
        body, _ = json.JSONDecoder().raw_decode((await request.read()).decode())
        return self.json_response({"code": 200, "echo": body.get("text")})

    def refuse_credentials(self, reason: str) -> web.Response:
        self.reasons.append(reason)
        return self.json_response(INVALID_USER)


class PlainRefusalDialect(CodeRefusalDialect):
    """The same routes, refusing with the default (a bare 401)."""

    name: ClassVar[str] = "test_query_plain"

    def refuse_credentials(self, reason: str) -> web.Response:
        return Dialect.refuse_credentials(self, reason)


async def _get(
    session: aiohttp.ClientSession, sim: Simulator, path: str, **query: str
) -> tuple[int, Any, dict[str, str]]:
    async with session.get(sim.url + path, params=query) as response:
        text = await response.text()
        body = json.loads(text) if response.content_type.endswith("json") else text
        return response.status, body, dict(response.headers)


async def _post(
    session: aiohttp.ClientSession,
    sim: Simulator,
    path: str,
    data: bytes,
    **query: str,
) -> tuple[int, Any]:
    async with session.post(sim.url + path, params=query, data=data) as response:
        text = await response.text()
        body = json.loads(text) if response.content_type.endswith("json") else text
        return response.status, body


@pytest.fixture
async def coded(gsm_simulator_factory: SimulatorFactory) -> Simulator:
    """A simulator of :class:`CodeRefusalDialect` with the account root/secret."""
    return await gsm_simulator_factory(
        CodeRefusalDialect, ports=2, username="root", password="secret"
    )


async def test_query_credentials_in_the_query_string(
    coded: Simulator, session: aiohttp.ClientSession
) -> None:
    """The right pair in the query passes; wrong or missing: the dialect's answer."""
    assert coded.auth.mode is AuthMode.QUERY  # the dialect's default
    status, body, _ = await _get(session, coded, "/status.html", **GOOD)
    assert (status, body) == (200, {"code": 0, "ports": 2})
    wrong = {**GOOD, "password": "nope"}
    assert (await _get(session, coded, "/status.html", **wrong))[:2] == (
        200,
        INVALID_USER,
    )
    only_user = {"username": "root"}
    assert (await _get(session, coded, "/status.html", **only_user))[:2] == (
        200,
        INVALID_USER,
    )
    assert (await _get(session, coded, "/status.html"))[:2] == (200, INVALID_USER)
    dialect = coded.dialect
    assert isinstance(dialect, CodeRefusalDialect)
    assert dialect.reasons == [
        "wrong username or password",
        "wrong username or password",
        "no credentials",
    ]
    # Missing credentials are not counted as a failure, wrong ones are.
    assert coded.auth.failures == 2
    assert coded.auth.challenges == 0
    # The request log keeps what was sent, credentials included.
    assert coded.requests[0].query == GOOD


async def test_query_credentials_in_a_post_body(
    coded: Simulator, session: aiohttp.ClientSession
) -> None:
    """A POST may carry the pair in its JSON body, or split between query and body."""
    body = json.dumps({**GOOD, "text": "hi"}).encode()
    assert await _post(session, coded, "/send.html", body) == (
        200,
        {"code": 200, "echo": "hi"},
    )
    # Trailing bytes after the JSON object do not matter (first value counts).
    split = json.dumps({"password": "secret", "text": "split"}).encode() + b"}"
    status, _ = await _post(session, coded, "/send.html", split, username="root")
    assert status == 200
    # The query wins over the body for a key it has.
    mixed = json.dumps({**GOOD, "text": "x"}).encode()
    assert (await _post(session, coded, "/send.html", mixed, password="wrong")) == (
        200,
        INVALID_USER,
    )
    bad = json.dumps({"username": "root", "password": "nope", "text": "x"}).encode()
    assert await _post(session, coded, "/send.html", bad) == (200, INVALID_USER)
    # A body that is not a JSON object carries no credentials.
    for raw in (b"[1, 2]", b"not json", b""):
        assert await _post(session, coded, "/send.html", raw) == (200, INVALID_USER)
    # Non-string values are not credentials either.
    numeric = json.dumps({"username": "root", "password": 1234}).encode()
    assert await _post(session, coded, "/send.html", numeric) == (200, INVALID_USER)


async def test_query_credentials_default_refusal_is_a_bare_401(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Without an override the refusal is HTTP 401 without a challenge."""
    sim = await gsm_simulator_factory(PlainRefusalDialect, ports=1)
    status, body, headers = await _get(session, sim, "/status.html")
    assert status == 401
    assert "401 Unauthorized" in body
    assert "WWW-Authenticate" not in headers
    admin = {"username": "admin", "password": "admin"}
    assert (await _get(session, sim, "/status.html", **admin))[0] == 200


async def test_auth_mode_override_and_control_api(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """An explicit auth replaces the dialect's default; /sim/ never asks for credentials."""
    sim = await gsm_simulator_factory(CodeRefusalDialect, ports=1, auth="none")
    assert sim.auth.mode is AuthMode.NONE
    assert (await _get(session, sim, "/status.html"))[:2] == (
        200,
        {"code": 0, "ports": 1},
    )
    queried = await gsm_simulator_factory(CodeRefusalDialect, ports=1)
    async with session.get(f"{queried.url}/sim/api/state") as response:
        assert response.status == 200
        assert (await response.json())["dialect"] == CodeRefusalDialect.name
    # Basic auth on a query dialect: the header counts, the query does not.
    basic = await gsm_simulator_factory(CodeRefusalDialect, ports=1, auth="basic")
    assert (await _get(session, basic, "/status.html", **GOOD))[0] == 401


def test_query_credentials_helper() -> None:
    """GET ignores the body; POST reads a JSON object; the query comes first."""
    get = make_mocked_request("GET", "/x?username=a")
    assert query_credentials(get, b'{"password": "b"}') == ("a", None)
    post = make_mocked_request("POST", "/x?username=a")
    assert query_credentials(post, b'{"username": "z", "password": "b"}') == (
        "a",
        "b",
    )
    assert query_credentials(post) == ("a", None)
    auth = Authenticator(AuthMode.QUERY, "a", "b")
    refused = auth.check(post)
    assert refused is not None
    assert refused.status == 401
    assert auth.last_failure == "wrong username or password"
    assert auth.check(post, b'{"password": "b"}') is None
