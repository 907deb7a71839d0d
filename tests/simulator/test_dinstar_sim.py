"""The Dinstar simulator over real HTTP, driven by a plain aiohttp client."""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import TYPE_CHECKING, Any
import warnings

import aiohttp
import pytest

from gsm_simulator import RegState, Simulator
from gsm_simulator.core import luhn_valid
from gsm_simulator.dinstar import FIELD_ORDER

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from gsm_simulator.pytest_plugin import SimulatorFactory

PORT_INFO = "/api/get_port_info"
STATUS = "/api/get_status"
QUEUE = "/api/query_sms_in_queue"
ALL_TYPES = (
    "type,imei,imsi,iccid,smsc,number,reg,slot,callstate,signal,gprs,remain_credit,"
    "remain_monthly_credit,remain_daily_credit,remain_daily_calltime,remain_hourly_calltime,remain_daily_connect"
)
SHORT = aiohttp.ClientTimeout(total=0.5)


def basic_header(login: str, password: str) -> dict[str, str]:
    """Authorization header for Basic auth (aiohttp >= 3.14 deprecates BasicAuth)."""
    encode = getattr(aiohttp, "encode_basic_auth", None)
    if encode is not None:
        return {"Authorization": encode(login, password)}
    return {
        "Authorization": aiohttp.BasicAuth(login, password).encode()
    }  # pragma: no cover - aiohttp < 3.14


def digest_session(
    username: str = "admin",
    password: str = "admin",  # noqa: S107
    **kwargs: Any,
) -> aiohttp.ClientSession:
    """A session that answers digest challenges."""
    return aiohttp.ClientSession(
        middlewares=(aiohttp.DigestAuthMiddleware(username, password),), **kwargs
    )


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    """Digest client with the default account."""
    async with digest_session() as session:
        yield session


async def fetch(
    session: aiohttp.ClientSession, method: str, url: str, **kwargs: Any
) -> tuple[int, Any]:
    """Do a request and return (status, decoded JSON or None)."""
    async with session.request(method, url, **kwargs) as response:
        body = await response.read()
        return response.status, json.loads(
            body
        ) if body and response.content_type != "text/html" else None


async def port_info(
    session: aiohttp.ClientSession, sim: Simulator, **params: str
) -> Any:
    """GET get_port_info and return the decoded answer (asserting HTTP 200)."""
    status, data = await fetch(session, "GET", sim.url + PORT_INFO, params=params)
    assert status == 200
    return data


# --------------------------------------------------------------------- endpoints
async def test_port_info_all_ports_all_fields(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """Without ``port`` every port answers, with the example's key names and types."""
    data = await port_info(client, dinstar_simulator, info_type=ALL_TYPES)
    assert data["error_code"] == 200
    assert data["sn"] == dinstar_simulator.serial
    assert re.fullmatch(r"dc00-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}", data["sn"])
    info = data["info"]
    assert [entry["port"] for entry in info] == list(range(8))
    for entry in info:
        assert list(entry) == ["port", *FIELD_ORDER]
        assert "remain_daily_calltime" not in entry
        assert entry["slot"] == 255
        assert entry["type"] in {"GSM", "LTE"}
        assert luhn_valid(entry["imei"])
        assert isinstance(entry["signal"], int)
        assert 0 <= entry["signal"] <= 31
        assert entry["remain_credit"] == "1000.00"
        assert entry["remain_monthly_credit"] == "500.00"
        assert entry["remain_daily_credit"] == "300.00"
        assert entry["remain_daily_call_time"].isdigit()
        assert entry["remain_hourly_call_time"] == "10"
        assert entry["remain_daily_connected"] == "100"
        assert entry["callstate"] == "Idle"
    regs = [entry["reg"] for entry in info]
    assert regs.count("NO_SIM") == 1
    assert regs.count("SEARCHING_NETWORK") == 1
    assert regs.count("REGISTER_OK") == 6
    assert {entry["type"] for entry in info} == {"GSM", "LTE"}
    for entry in info:
        if entry["reg"] == "REGISTER_OK":
            assert 12 <= entry["signal"] <= 28
            assert entry["gprs"] == "attached"
            assert entry["imsi"].startswith("234")
            assert len(entry["imsi"]) == 15
            assert luhn_valid(entry["iccid"])
            assert entry["smsc"].startswith("+44")
            assert entry["number"] == "" or re.fullmatch(
                r"\+4479\d{8}", entry["number"]
            )
        if entry["reg"] == "NO_SIM":
            assert (entry["imsi"], entry["iccid"], entry["smsc"], entry["number"]) == (
                "",
                "",
                "",
                "",
            )
            assert entry["signal"] == 0
            assert entry["gprs"] == "detached"


async def test_port_info_selected_ports_and_types(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """Only the requested ports and info types, in the spec's order; duplicates collapse."""
    data = await port_info(
        client, dinstar_simulator, port="2, 1,2", info_type="signal, reg ,imei"
    )
    assert data["info"] == [
        {
            "port": 2,
            "imei": data["info"][0]["imei"],
            "reg": "REGISTER_OK",
            "signal": data["info"][0]["signal"],
        },
        {
            "port": 1,
            "imei": data["info"][1]["imei"],
            "reg": "REGISTER_OK",
            "signal": data["info"][1]["signal"],
        },
    ]
    # The spec's example: a stray ':' and the answer's own key spellings are accepted.
    data = await port_info(
        client,
        dinstar_simulator,
        port="[0]",
        info_type="remain_daily_credit:,remain_daily_call_time,CallForward",
    )
    assert data["info"] == [
        {"port": 0, "remain_daily_credit": "300.00", "remain_daily_call_time": "60"}
    ]
    # A valid port number the unit does not have is left out.
    data = await port_info(client, dinstar_simulator, port="7,9,31", info_type="reg")
    assert [entry["port"] for entry in data["info"]] == [7]


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"info_type": ""},
        {"info_type": "bogus,nothing"},
        {"info_type": "reg", "port": "a"},
        {"info_type": "reg", "port": "1,,2"},
        {"info_type": "reg", "port": "-1"},
        {"info_type": "reg", "port": "32"},
    ],
)
async def test_port_info_bad_parameters(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession, params: dict[str, str]
) -> None:
    """Bad parameters give error_code 400 (with HTTP 200, as the gateway does)."""
    data = await port_info(client, dinstar_simulator, **params)
    assert data == {"error_code": 400, "sn": dinstar_simulator.serial}


async def test_port_info_follows_state_changes(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """Test hooks show up in the next answer."""
    sim = dinstar_simulator
    sim.set_registration(0, RegState.PIN_REQUIRED)
    sim.set_registration(1, "power_off")
    sim.set_signal(2, 99)
    sim.set_signal(7, 17)
    sim.remove_sim(4)
    sim.state.set_registration(5, RegState.DENIED)
    sim.state.set_call_state(7, "ringing")
    info = (
        await port_info(client, sim, info_type="reg,signal,imsi,iccid,gprs,callstate")
    )["info"]
    assert info[0]["reg"] == "PIN_REQUIRE"
    assert info[0]["imsi"] == ""
    assert info[0]["iccid"] != ""
    assert info[1] == {
        "port": 1,
        "reg": "POWER_OFF",
        "signal": 0,
        "imsi": "",
        "iccid": "",
        "gprs": "detached",
        "callstate": "Idle",
    }
    assert info[2]["signal"] == 99
    assert info[7]["signal"] == 17
    assert info[4]["reg"] == "NO_SIM"
    assert info[5]["reg"] == "UNREGISTER"
    assert info[7]["callstate"] == "Ringing"
    sim.insert_sim(4)
    sim.set_registration(1, "registered")
    info = (await port_info(client, sim, port="1,4", info_type="reg,gprs,imsi"))["info"]
    assert [entry["reg"] for entry in info] == ["REGISTER_OK", "REGISTER_OK"]
    assert all(entry["gprs"] == "attached" and entry["imsi"] for entry in info)


async def test_port_info_multi_sim(
    gsm_simulator_factory: SimulatorFactory, client: aiohttp.ClientSession
) -> None:
    """A 4-slot unit reports the active slot 0..3 instead of 255."""
    sim = await gsm_simulator_factory(ports=4, slots=4)
    sim.state.insert_sim(1, slot=3)
    sim.state.set_active_slot(1, 3)
    sim.state.remove_sim(2, slot=2)
    sim.state.set_active_slot(2, 2)
    info = (await port_info(client, sim, info_type="slot,reg"))["info"]
    assert [entry["slot"] for entry in info] == [0, 3, 2, 0]
    assert [entry["reg"] for entry in info] == [
        "REGISTER_OK",
        "REGISTER_OK",
        "NO_SIM",
        "NO_SIM",
    ]


async def test_get_status(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """The spec's invalid-JSON body is accepted; the answer has no error_code, only strings."""
    for body in (b'[{"performance"}]', b"", b"garbage"):
        status, data = await fetch(
            client, "POST", dinstar_simulator.url + STATUS, data=body
        )
        assert status == 200
        assert list(data) == ["performance"]
        perf = data["performance"]
        assert list(perf) == [
            "cpu_used",
            "flash_total",
            "flash_used",
            "memory_total",
            "memory_cached",
            "memory_buffers",
            "memory_free",
            "memory_used",
        ]
        assert all(
            isinstance(value, str) and value.isdigit() for value in perf.values()
        )
        assert int(perf["memory_free"]) + int(perf["memory_used"]) == int(
            perf["memory_total"]
        )
    assert dinstar_simulator.requests[-1].body == b"garbage"


async def test_query_sms_in_queue(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """The queue count follows the model; each step sends one message."""
    url = dinstar_simulator.url + QUEUE
    assert await fetch(client, "GET", url) == (
        200,
        {"error_code": 200, "sn": dinstar_simulator.serial, "in_queue": 0},
    )
    dinstar_simulator.state.queue_sms(3)
    dinstar_simulator.tick()
    assert (await fetch(client, "GET", url))[1]["in_queue"] == 2


async def test_unknown_path_and_method(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """Unknown paths are 404 (after authentication), wrong methods 405."""
    async with client.get(dinstar_simulator.url + "/api/send_nothing") as response:
        assert response.status == 404
    async with client.get(dinstar_simulator.url + STATUS) as response:
        assert response.status == 405
    async with (
        aiohttp.ClientSession() as anonymous,
        anonymous.get(dinstar_simulator.url + "/nope") as response,
    ):
        assert response.status == 401


async def test_content_type_option(gsm_simulator_factory: SimulatorFactory) -> None:
    """Real units sometimes label JSON as text/html."""
    sim = await gsm_simulator_factory(auth="none", content_type="text/html")
    async with (
        aiohttp.ClientSession() as session,
        session.get(sim.url + QUEUE) as response,
    ):
        assert response.headers["Content-Type"] == "text/html"
        assert (await response.json(content_type=None))["error_code"] == 200
    default = await gsm_simulator_factory(auth="none")
    async with (
        aiohttp.ClientSession() as session,
        session.get(default.url + QUEUE) as response,
    ):
        assert response.headers["Content-Type"] == "application/json"


# -------------------------------------------------------------------------- auth
async def test_digest_success_and_request_log(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """One challenge round-trip, then the client authenticates preemptively."""
    await port_info(client, dinstar_simulator, info_type="reg")
    await port_info(client, dinstar_simulator, info_type="imei", port="1")
    log = dinstar_simulator.requests
    assert [(record.method, record.path) for record in log] == [("GET", PORT_INFO)] * 3
    assert log[2].query == {"info_type": "imei", "port": "1"}
    method, path, query, body = log[0]
    assert (method, path, query, body) == ("GET", PORT_INFO, {"info_type": "reg"}, b"")
    assert dinstar_simulator.auth.challenges == 1
    assert dinstar_simulator.auth.failures == 0
    dinstar_simulator.clear_requests()
    assert dinstar_simulator.requests == []


async def test_digest_challenge_format(dinstar_simulator: Simulator) -> None:
    """An anonymous request gets a 401 with an RFC 7616 challenge."""
    async with (
        aiohttp.ClientSession() as session,
        session.get(dinstar_simulator.url + QUEUE) as response,
    ):
        assert response.status == 401
        challenge = response.headers["WWW-Authenticate"]
    assert challenge.startswith("Digest ")
    assert 'realm="Web Server"' in challenge
    assert 'qop="auth"' in challenge
    assert re.search(r'nonce="[0-9a-f]{32}"', challenge)
    assert re.search(r'opaque="[0-9a-f]{32}"', challenge)
    assert "algorithm=MD5" in challenge


async def test_digest_wrong_password(dinstar_simulator: Simulator) -> None:
    """Bad credentials get another 401 with a fresh challenge."""
    async with (
        digest_session("admin", "wrong") as session,
        session.get(dinstar_simulator.url + QUEUE) as response,
    ):
        assert response.status == 401
        assert response.headers["WWW-Authenticate"].startswith("Digest ")
    assert dinstar_simulator.auth.failures == 1
    assert dinstar_simulator.auth.last_failure == "wrong username or password"
    async with (
        digest_session("root", "admin") as session,
        session.get(dinstar_simulator.url + QUEUE) as response,
    ):
        assert response.status == 401


async def _challenge_nonce(session: aiohttp.ClientSession, url: str) -> tuple[str, str]:
    async with session.get(url) as response:
        header = response.headers["WWW-Authenticate"]
    nonce = re.search(r'nonce="([^"]+)"', header)
    opaque = re.search(r'opaque="([^"]+)"', header)
    assert nonce
    assert opaque
    return nonce.group(1), opaque.group(1)


def _digest_header(
    sim: Simulator, nonce: str, opaque: str, nc: str = "00000001", /, **overrides: str
) -> str:
    fields = {
        "username": "admin",
        "realm": "Web Server",
        "nonce": nonce,
        "uri": QUEUE,
        "qop": "auth",
        "nc": nc,
        "cnonce": "0a4f113b",
        "opaque": opaque,
        "algorithm": "MD5",
    }
    fields["response"] = sim.auth.expected_response(
        method="GET", uri=fields["uri"], nonce=nonce, nc=nc, cnonce=fields["cnonce"]
    )
    fields.update(overrides)
    unquoted = {"qop", "nc", "algorithm"}
    return "Digest " + ", ".join(
        f"{key}={value}" if key in unquoted else f'{key}="{value}"'
        for key, value in fields.items()
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"realm": "other"}, "wrong realm"),
        ({"opaque": "x"}, "wrong opaque"),
        ({"qop": "auth-int"}, "unsupported qop auth-int"),
        ({"nc": "1"}, "malformed nc"),
        ({"algorithm": "SHA-256"}, "unexpected algorithm SHA-256"),
        ({"uri": "/api/get_status"}, "uri does not match the request"),
        ({"cnonce": ""}, "digest fields missing: cnonce"),
        ({"response": "0" * 32}, "wrong username or password"),
        ({"nonce": "feedface"}, "wrong username or password"),
    ],
)
async def test_digest_rejections(
    dinstar_simulator: Simulator, overrides: dict[str, str], reason: str
) -> None:
    """Each part of the digest response is verified."""
    url = dinstar_simulator.url + QUEUE
    async with aiohttp.ClientSession() as session:
        nonce, opaque = await _challenge_nonce(session, url)
        header = _digest_header(dinstar_simulator, nonce, opaque, **overrides)
        async with session.get(url, headers={"Authorization": header}) as response:
            assert response.status == 401
    assert dinstar_simulator.auth.last_failure == reason


async def test_digest_manual_nc_replay_and_stale(dinstar_simulator: Simulator) -> None:
    """A correct hand-made response works once per nc; an unknown nonce is 'stale'."""
    sim = dinstar_simulator
    url = sim.url + QUEUE
    async with aiohttp.ClientSession() as session:
        nonce, opaque = await _challenge_nonce(session, url)
        header = _digest_header(sim, nonce, opaque)
        async with session.get(url, headers={"Authorization": header}) as response:
            assert response.status == 200
        # Absolute-URI form of the target, next nc: accepted.
        absolute = _digest_header(sim, nonce, opaque, "00000002")
        absolute = absolute.replace(f'uri="{QUEUE}"', f'uri="{url}"')
        expected = sim.auth.expected_response(
            method="GET", uri=url, nonce=nonce, nc="00000002", cnonce="0a4f113b"
        )
        absolute = re.sub(r'response="[0-9a-f]+"', f'response="{expected}"', absolute)
        async with session.get(url, headers={"Authorization": absolute}) as response:
            assert response.status == 200
        async with session.get(url, headers={"Authorization": header}) as response:
            assert response.status == 401
        assert sim.auth.last_failure == "nonce count replayed"
        sim.auth.reset()
        header = _digest_header(sim, nonce, sim.auth.opaque, "00000003")
        async with session.get(url, headers={"Authorization": header}) as response:
            assert response.status == 401
            assert "stale=true" in response.headers["WWW-Authenticate"]
        assert sim.auth.last_failure == "unknown or expired nonce"
        async with session.get(
            url, headers={"Authorization": "Basic YWRtaW46YWRtaW4="}
        ) as response:
            assert response.status == 401
        assert sim.auth.last_failure == "unexpected scheme Basic"


async def test_digest_client_recovers_after_reboot(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """After a reboot old nonces are void; the client re-authenticates transparently."""
    await port_info(client, dinstar_simulator, info_type="reg")
    dinstar_simulator.reboot()
    data = await port_info(client, dinstar_simulator, info_type="reg")
    assert data["info"][0]["reg"] == "SEARCHING_NETWORK"
    dinstar_simulator.tick(3)
    data = await port_info(client, dinstar_simulator, info_type="reg")
    assert data["info"][0]["reg"] == "REGISTER_OK"


async def test_basic_auth(gsm_simulator_factory: SimulatorFactory) -> None:
    """Basic mode: right and wrong credentials, challenge, digest refused."""
    sim = await gsm_simulator_factory(auth="basic", username="api", password="s3cret")
    url = sim.url + QUEUE
    async with aiohttp.ClientSession() as session:
        async with session.get(url, headers=basic_header("api", "s3cret")) as response:
            assert response.status == 200
            assert (await response.json())["in_queue"] == 0
        with warnings.catch_warnings():  # the classic API, deprecated in aiohttp 3.14
            warnings.simplefilter("ignore", DeprecationWarning)
            async with session.get(
                url, auth=aiohttp.BasicAuth("api", "s3cret")
            ) as response:
                assert response.status == 200
        async with session.get(url, headers=basic_header("api", "nope")) as response:
            assert response.status == 401
            assert response.headers["WWW-Authenticate"] == 'Basic realm="Web Server"'
        assert sim.auth.last_failure == "wrong username or password"
        async with session.get(url) as response:
            assert response.status == 401
        for header, reason in (
            ("Basic !!!", "undecodable basic credentials"),
            ("Basic YXBp", "basic credentials without a colon"),
            ("Digest username=api", "unexpected scheme Digest"),
        ):
            async with session.get(url, headers={"Authorization": header}) as response:
                assert response.status == 401
            assert sim.auth.last_failure == reason
    async with digest_session("api", "s3cret") as session, session.get(url) as response:
        assert response.status == 401


async def test_no_auth(gsm_simulator_factory: SimulatorFactory) -> None:
    """Mode none answers anyone."""
    sim = await gsm_simulator_factory(auth="none")
    async with (
        aiohttp.ClientSession() as session,
        session.get(sim.url + QUEUE) as response,
    ):
        assert response.status == 200
    assert sim.auth.challenges == 0


async def test_custom_realm(gsm_simulator_factory: SimulatorFactory) -> None:
    """The realm is configurable and the aiohttp client follows it."""
    sim = await gsm_simulator_factory(realm="Dinstar UC2000")
    async with digest_session() as session, session.get(sim.url + QUEUE) as response:
        assert response.status == 200


# ------------------------------------------------------------------------ faults
async def test_fault_status(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """Status faults answer with an empty body, then normal service resumes."""
    dinstar_simulator.faults.status(500)
    dinstar_simulator.faults.status(401)
    for expected in (500, 401, 200):
        async with client.get(dinstar_simulator.url + QUEUE) as response:
            assert response.status == expected
            body = await response.read()
            assert (body == b"") is (expected != 200)
    assert dinstar_simulator.faults.active == ()


async def test_fault_malformed_json(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """Malformed answers: truncated real answer by default, or a given body."""
    sim = dinstar_simulator
    sim.faults.malformed_json()
    sim.faults.malformed_json(body=b"<html>oops")
    async with client.get(sim.url + QUEUE) as response:
        assert response.status == 200
        assert response.content_type == "application/json"
        text = await response.text()
        assert text.startswith('{"error_code":200')
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)
    async with client.get(sim.url + QUEUE) as response:
        assert await response.read() == b"<html>oops"
    sim.faults.malformed_json(path="/missing")
    async with client.get(sim.url + "/missing") as response:
        assert response.status == 404


async def test_fault_drop(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """A dropped connection surfaces as ServerDisconnectedError (even after aiohttp's retry)."""
    sim = dinstar_simulator
    await port_info(client, sim, info_type="reg")
    sim.faults.drop(count=2)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await fetch(client, "GET", sim.url + QUEUE)
    assert (await fetch(client, "GET", sim.url + QUEUE))[0] == 200
    # before_auth: even the digest probe of a fresh client is dropped.
    sim.faults.drop(before_auth=True)
    async with digest_session() as fresh:
        with pytest.raises(aiohttp.ServerDisconnectedError):
            await fetch(fresh, "POST", sim.url + STATUS, data=b"")


async def test_fault_timeout(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """A timeout fault never answers; the client times out; then service resumes."""
    sim = dinstar_simulator
    sim.faults.timeout()
    with pytest.raises(TimeoutError):
        await fetch(client, "GET", sim.url + QUEUE, timeout=SHORT)
    assert (await fetch(client, "GET", sim.url + QUEUE))[0] == 200
    # A short hold ends with a hang-up, not an answer.
    # (count=None: aiohttp retries once on a reused connection.)
    sim.faults.timeout(seconds=0.05, count=None)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await fetch(client, "GET", sim.url + QUEUE)
    sim.faults.clear()


async def test_fault_timeout_released_by_stop(
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    """Stopping the simulator releases a held request at once."""
    sim = await gsm_simulator_factory(auth="none")
    sim.faults.timeout(count=None)
    async with aiohttp.ClientSession() as session:
        pending = asyncio.ensure_future(fetch(session, "GET", sim.url + QUEUE))
        await asyncio.wait_for(sim.wait_for_requests(1), 5)
        started = time.monotonic()
        await sim.stop()
        assert time.monotonic() - started < 2
        with pytest.raises(aiohttp.ClientError):
            await pending
    assert not sim.running
    await sim.stop()  # idempotent


async def test_fault_slow_and_delay(gsm_simulator_factory: SimulatorFactory) -> None:
    """Slow faults and the global delay hold the answer, which still arrives."""
    sim = await gsm_simulator_factory(auth="none", delay=0.05)
    sim.faults.slow(0.2, path=QUEUE)
    async with aiohttp.ClientSession() as session:
        started = time.monotonic()
        status, _ = await fetch(session, "POST", sim.url + STATUS)
        assert status == 200
        assert time.monotonic() - started >= 0.05
        started = time.monotonic()
        status, data = await fetch(session, "GET", sim.url + QUEUE)
        assert status == 200
        assert data["in_queue"] == 0
        assert time.monotonic() - started >= 0.25
        sim.faults.slow(5)
        pending = asyncio.ensure_future(fetch(session, "GET", sim.url + QUEUE))
        await asyncio.wait_for(sim.wait_for_requests(3), 5)
        await asyncio.sleep(0.2)  # past the global delay, into the slow fault
        await sim.stop()
        with pytest.raises(aiohttp.ClientError):
            await pending


async def test_fault_delay_released_by_stop(
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    """A long global delay does not hold up stop()."""
    sim = await gsm_simulator_factory(auth="none", delay=30)
    async with aiohttp.ClientSession() as session:
        pending = asyncio.ensure_future(fetch(session, "GET", sim.url + QUEUE))
        await asyncio.wait_for(sim.wait_for_requests(1), 5)
        await sim.stop()
        with pytest.raises(aiohttp.ClientError):
            await pending


async def test_fault_until_cleared_and_path_filter(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """count=None lasts until clear(); a path filter spares other paths."""
    sim = dinstar_simulator
    fault = sim.faults.status(503, count=None, path=STATUS)
    for _ in range(3):
        assert (await fetch(client, "POST", sim.url + STATUS))[0] == 503
    assert (await fetch(client, "GET", sim.url + QUEUE))[0] == 200
    assert fault.hits == 3
    assert sim.faults.active == (fault,)
    sim.faults.clear()
    assert (await fetch(client, "POST", sim.url + STATUS))[0] == 200


async def test_fault_before_auth_hits_challenge(dinstar_simulator: Simulator) -> None:
    """By default faults skip the digest probe; before_auth ones do not."""
    sim = dinstar_simulator
    sim.faults.add("status", status=500, before_auth=True)
    async with digest_session() as session:
        assert (await fetch(session, "GET", sim.url + QUEUE))[0] == 500
        sim.faults.status(502)
        assert (await fetch(session, "GET", sim.url + QUEUE))[0] == 502
        # The first probe was faulted; then a 401 probe and the faulted authorised request.
        assert len(sim.requests) == 3


# ----------------------------------------------------------------- gateway shape
async def test_port_count_change(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """Ports disappear and appear; old ports keep their identity."""
    sim = dinstar_simulator
    before = (await port_info(client, sim, info_type="imei"))["info"]
    sim.set_port_count(4)
    assert [
        entry["port"]
        for entry in (await port_info(client, sim, info_type="imei"))["info"]
    ] == [0, 1, 2, 3]
    sim.set_port_count(16)
    after = (await port_info(client, sim, info_type="imei,reg"))["info"]
    assert len(after) == 16
    assert [entry["imei"] for entry in after[:4]] == [
        entry["imei"] for entry in before[:4]
    ]
    assert after[11]["reg"] == "NO_SIM"
    with pytest.raises(ValueError, match="ports"):
        sim.set_port_count(33)


async def test_seed_determinism(
    gsm_simulator_factory: SimulatorFactory, client: aiohttp.ClientSession
) -> None:
    """Same seed, same data, also after drifting; another seed differs."""
    first = await gsm_simulator_factory(seed=42, auth="none")
    second = await gsm_simulator_factory(seed=42, auth="none")
    other = await gsm_simulator_factory(seed=43, auth="none")
    assert first.serial == second.serial != other.serial
    answers = [
        await port_info(client, sim, info_type=ALL_TYPES)
        for sim in (first, second, other)
    ]
    assert answers[0] == answers[1]
    assert answers[0]["info"] != answers[2]["info"]
    for sim in (first, second):
        sim.tick(50)
    status = [await fetch(client, "POST", sim.url + STATUS) for sim in (first, second)]
    assert status[0] == status[1]
    assert await port_info(client, first, info_type=ALL_TYPES) == await port_info(
        client, second, info_type=ALL_TYPES
    )


async def test_serial_option(
    gsm_simulator_factory: SimulatorFactory, client: aiohttp.ClientSession
) -> None:
    """A given serial is used as sn."""
    sim = await gsm_simulator_factory(serial="da00-0030-1901-2817", auth="none")
    assert (await fetch(client, "GET", sim.url + QUEUE))[1][
        "sn"
    ] == "da00-0030-1901-2817"


async def test_wall_clock_drift(gsm_simulator_factory: SimulatorFactory) -> None:
    """With drift_interval the state moves on its own, caught up at each request."""
    sim = await gsm_simulator_factory(auth="none", drift_interval=0.01)
    async with aiohttp.ClientSession() as session:
        await asyncio.sleep(0.1)
        await fetch(session, "GET", sim.url + QUEUE)
    assert sim.state.steps >= 5


async def test_reboot_downtime(
    dinstar_simulator: Simulator, client: aiohttp.ClientSession
) -> None:
    """During the reboot downtime every connection is dropped."""
    sim = dinstar_simulator
    await port_info(client, sim, info_type="reg")
    sim.reboot(downtime=0.2)
    with pytest.raises(aiohttp.ServerDisconnectedError):
        await fetch(client, "GET", sim.url + QUEUE)
    await asyncio.sleep(0.25)
    assert (await fetch(client, "GET", sim.url + QUEUE))[0] == 200
    assert sim.state.boot_count == 2


def running(sim: Simulator) -> bool:
    """sim.running, hidden from mypy's narrowing."""
    return sim.running


async def test_lifecycle(loopback: None) -> None:
    """Start/stop rules, url, context manager, option checks."""
    sim = Simulator(auth="none")
    with pytest.raises(RuntimeError, match="not started"):
        _ = sim.url
    async with sim:
        assert running(sim)
        assert sim.url == f"http://127.0.0.1:{sim.port}"
        with pytest.raises(RuntimeError, match="already started"):
            await sim.start()
        busy = Simulator(port=sim.port)
        with pytest.raises(OSError, match="address"):
            await busy.start()
        assert not running(busy)
    assert not running(sim)
    with pytest.raises(ValueError, match="unknown dialect"):
        Simulator("nokia")
    with pytest.raises(ValueError, match="drift_interval"):
        Simulator(drift_interval=0)
    with pytest.raises(ValueError, match="slots"):
        Simulator(slots=5)


async def test_ipv6_loopback(loopback: None) -> None:
    """An IPv6 host is bracketed in the URL."""
    sim = Simulator(host="::1", auth="none")
    try:
        await sim.start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        assert sim.url == f"http://[::1]:{sim.port}"
    finally:
        await sim.stop()
