"""The client library against the simulator and against quirky payloads."""

from __future__ import annotations

import aiohttp
import pytest

from custom_components.gsm_gateway.api import (
    CallState,
    ConnectionConfig,
    GatewayAuthenticationError,
    GatewayCommandError,
    GatewayConnectionError,
    GatewayNotRecognizedError,
    GatewayResponseError,
    GatewayTimeoutError,
    NetworkType,
    Registration,
    create_gateway,
    csq_to_dbm,
    detect_gateway,
)
from custom_components.gsm_gateway.api.dinstar import parse_port
from custom_components.gsm_gateway.api.jsondata import (
    MAX_DEPTH,
    parse_json,
    parse_push_json,
)
from custom_components.gsm_gateway.api.models import DeviceStatus
from custom_components.gsm_gateway.api.transport import AuthMode, HttpTransport
from gsm_simulator.server import Simulator

from .conftest import SimulatorFactory

SECRET = "s3cret-Pa55"


def config(sim: Simulator, **overrides: object) -> ConnectionConfig:
    values: dict[str, object] = {
        "host": "127.0.0.1",
        "port": sim.port,
        "username": "admin",
        "password": "admin",
        "request_timeout": 2.0,
    } | overrides
    return ConnectionConfig(**values)  # type: ignore[arg-type]


@pytest.fixture
async def session() -> aiohttp.ClientSession:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b'{"a":1}}', {"a": 1}),  # stray brace after the object
        (b'{"a":1}{', {"a": 1}),
        (b'\xef\xbb\xbf {"a":[1,2,]}', {"a": [1, 2]}),  # BOM, trailing comma
        (b'{"a":[{"b":"x,]"},]}', {"a": [{"b": "x,]"}]}),  # comma in a string kept
        (b'{"a":"q\\"x",}', {"a": 'q"x'}),
        (b"[1 ,\n ]", [1]),
    ],
)
def test_parse_json_tolerates_device_quirks(body: bytes, expected: object) -> None:
    assert parse_json(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"<html>",
        b'{"a":',
        b"{,,}",
        b"[" * 65000,  # the decoder's own recursion limit
        b"[" * 5000 + b"]" * 5000,
        b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1),
        b'{"port": 1' + b"0" * 309 + b"}",  # beyond any float
        b'{"port": 1' + b"0" * 40 + b"}",
        b'{"a": NaN}',
        b'{"a": -Infinity}',
        b'{"a": 1e999}',
    ],
)
def test_parse_json_rejects_garbage(body: bytes) -> None:
    with pytest.raises(GatewayResponseError):
        parse_json(body)
    with pytest.raises(GatewayResponseError):
        parse_push_json(body)


def test_parse_json_bounds_numbers_and_depth() -> None:
    """64-bit integers stay numbers; longer digit runs (an unquoted ICCID) stay text."""
    assert parse_json(b'{"a": -999999999999999999}') == {"a": -999999999999999999}
    assert parse_json(b'{"iccid": 89860114840400428150}') == {
        "iccid": "89860114840400428150"
    }
    nested = b"[" * MAX_DEPTH + b"]" * MAX_DEPTH
    assert parse_json(nested) == parse_push_json(nested)


def test_push_json_is_strict_about_utf8() -> None:
    """Replies tolerate bad bytes; pushes refuse them rather than carry U+FFFD."""
    body = b'{"text": "caf\xe9"}'
    assert parse_json(body) == {"text": "caf\ufffd"}
    with pytest.raises(GatewayResponseError, match="UTF-8"):
        parse_push_json(body)
    assert parse_push_json('{"text": "café"}'.encode()) == {"text": "café"}


def test_parse_port_normalises_and_accepts_both_key_spellings() -> None:
    port = parse_port(
        {
            "port": "3",
            "type": "lte",
            "imei": 358967042917201,
            "imsi": "><NULL>",
            "iccid": " 8986 ",
            "number": "",
            "reg": "PIN_REQUIRE",
            "callstate": "Call holding",
            "signal": 99,
            "gprs": "attached",
            "slot": 2,
            "remain_credit": "12.50",
            "remain_daily_calltime": "7",
            "remain_daily_connect": 4,
            "remain_hourly_call_time": "bad",
        }
    )
    assert port is not None
    assert port.number == 3
    assert port.network_type is NetworkType.LTE
    assert port.imei == "358967042917201"
    assert port.imsi is None
    assert port.iccid == "8986"
    assert port.phone_number is None
    assert port.registration is Registration.PIN_REQUIRED
    assert port.registration_raw == "PIN_REQUIRE"
    assert port.call_state is CallState.ON_HOLD
    assert port.signal_csq is None
    assert port.signal_dbm is None
    assert port.gprs_attached is True
    assert port.sim_slot == 2
    assert port.credits.remaining_credit == 12.5
    assert port.credits.remaining_daily_call_time == 7
    assert port.credits.remaining_daily_connections == 4
    assert port.credits.remaining_hourly_call_time is None


@pytest.mark.parametrize(
    "item", [None, [], {"type": "GSM"}, {"port": -1}, {"port": True}, {"port": "x"}]
)
def test_parse_port_without_number(item: object) -> None:
    assert parse_port(item) is None


def test_parse_port_unknown_values_map_to_unknown() -> None:
    port = parse_port(
        {
            "port": 0,
            "type": "5G",
            "reg": "WEIRD",
            "callstate": 5,
            "gprs": None,
            "slot": 255,
            "signal": float("nan"),
            "imsi": ["x"],
        }
    )
    assert port is not None
    assert port.network_type is NetworkType.UNKNOWN
    assert port.registration is Registration.UNKNOWN
    assert port.registration_raw == "WEIRD"
    assert port.call_state is CallState.UNKNOWN
    assert port.gprs_attached is None
    assert port.sim_slot is None
    assert port.signal_csq is None
    assert port.imsi is None


@pytest.mark.parametrize(
    ("raw", "text", "number"),
    [
        ("  861234 ", "861234", 861234.0),
        (" NULL ", None, None),
        ("><null>", None, None),
        ("", None, None),
        (True, None, None),
        (False, None, None),
        (12, "12", 12.0),
        (12.5, "12.5", 12.5),
        (" 7.25 ", "7.25", 7.25),
        ("abc", "abc", None),
        ({"a": 1}, None, None),
        ("9" * 80, "9" * 64, float("9" * 80)),
    ],
)
def test_parse_port_converts_values(
    raw: object, text: str | None, number: float | None
) -> None:
    port = parse_port({"port": 1, "imei": raw, "remain_credit": raw})
    assert port is not None
    assert port.imei == text
    assert port.credits.remaining_credit == number


def test_csq_and_percentages() -> None:
    assert csq_to_dbm(0) == -113
    assert csq_to_dbm(31) == -51
    assert csq_to_dbm(32) is None
    assert DeviceStatus(memory_used=1, memory_total=0).memory_usage is None
    assert DeviceStatus(flash_used=1, flash_total=4).flash_usage == 25.0


async def test_digest_gateway_end_to_end(
    socket_enabled: None, simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    gateway, probe = await detect_gateway(session, config(simulator))
    assert gateway.family == "dinstar"
    assert probe.serial == simulator.serial
    info = await gateway.async_get_info()
    assert info.port_count == 8
    assert info.multi_sim is False
    ports = await gateway.async_get_ports()
    assert [port.number for port in ports] == list(range(8))
    status = await gateway.async_get_status()
    assert status.cpu_usage == simulator.state.performance.cpu_used
    simulator.state.queue_sms(3)
    assert await gateway.async_get_sms_queue() == simulator.state.sms_queue
    # One poll of the ports is one authenticated request.
    simulator.clear_requests()
    await gateway.async_get_ports()
    assert [r.path for r in simulator.requests][-1] == "/api/get_port_info"
    assert len(simulator.requests) <= 2


async def test_basic_gateway_and_wrong_password(
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
) -> None:
    sim = await gsm_simulator_factory(dialect="dinstar", ports=2, auth="basic")
    gateway = create_gateway("dinstar", session, config(sim))
    assert len(await gateway.async_get_ports()) == 2
    wrong = create_gateway("dinstar", session, config(sim, password=SECRET))
    with pytest.raises(GatewayAuthenticationError) as err:
        await wrong.async_get_ports()
    assert SECRET not in str(err.value)


async def test_query_credentials_never_in_errors(
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
) -> None:
    """Vendors that take credentials as query parameters (Ejoin)."""
    sim = await gsm_simulator_factory(dialect="dinstar", ports=1, auth="none")
    transport = HttpTransport(session, config(sim, password=SECRET), AuthMode.QUERY)
    await transport.request("GET", "/api/query_sms_in_queue", params={"x": "1"})
    assert sim.requests[-1].query == {"x": "1", "username": "admin", "password": SECRET}
    sim.faults.add("status", count=1, status=500)
    with pytest.raises(GatewayResponseError) as err:
        await transport.request("GET", "/api/query_sms_in_queue")
    assert SECRET not in str(err.value)
    plain = HttpTransport(session, config(sim), AuthMode.NONE)
    assert b"in_queue" in await plain.request("GET", "/api/query_sms_in_queue")


@pytest.mark.parametrize(
    ("fault", "kwargs", "error"),
    [
        ("timeout", {"seconds": 5}, GatewayTimeoutError),
        ("drop", {"count": None}, GatewayConnectionError),
        ("status", {"status": 500}, GatewayResponseError),
        ("malformed_json", {}, GatewayResponseError),
        ("malformed_json", {"body": b"[1,2]"}, GatewayResponseError),
        ("malformed_json", {"body": b'{"sn":"x"}'}, GatewayResponseError),
        ("malformed_json", {"body": b'{"error_code":500}'}, GatewayCommandError),
    ],
)
async def test_port_query_failures(
    socket_enabled: None,
    simulator: Simulator,
    session: aiohttp.ClientSession,
    fault: str,
    kwargs: dict[str, object],
    error: type[Exception],
) -> None:
    gateway = create_gateway("dinstar", session, config(simulator, request_timeout=0.3))
    simulator.faults.add(fault, **kwargs)  # type: ignore[arg-type]
    with pytest.raises(error):
        await gateway.async_get_ports()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/get_status", b'{"cpu_used":"1"}'),
        ("/api/query_sms_in_queue", b'{"error_code":200,"sn":"x"}'),
    ],
)
async def test_status_and_queue_without_data(
    socket_enabled: None,
    simulator: Simulator,
    session: aiohttp.ClientSession,
    path: str,
    body: bytes,
) -> None:
    gateway = create_gateway("dinstar", session, config(simulator))
    simulator.faults.add("malformed_json", body=body, path=path)
    call = (
        gateway.async_get_status
        if path.endswith("get_status")
        else gateway.async_get_sms_queue
    )
    with pytest.raises(GatewayResponseError):
        await call()


async def test_detect_nothing_recognised(
    socket_enabled: None, simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    simulator.faults.add("malformed_json", body=b'{"error_code":200,"sn":""}')
    with pytest.raises(GatewayNotRecognizedError):
        await detect_gateway(session, config(simulator))


async def test_unreachable(
    session: aiohttp.ClientSession, socket_enabled: None
) -> None:
    gateway = create_gateway(
        "dinstar",
        session,
        ConnectionConfig(host="127.0.0.1", port=1, password=SECRET, use_https=True),
    )
    assert str(gateway.config.base_url) == "https://127.0.0.1:1"
    assert SECRET not in repr(gateway.config)
    with pytest.raises(GatewayConnectionError) as err:
        await gateway.async_get_ports()
    assert SECRET not in str(err.value)


async def test_port_entries_without_number_are_skipped(
    socket_enabled: None, simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    gateway = create_gateway("dinstar", session, config(simulator))
    simulator.faults.add(
        "malformed_json",
        body=b'{"error_code":200,"sn":"x","info":[{"type":"GSM"},{"port":1},]}',
    )
    ports = await gateway.async_get_ports()
    assert [port.number for port in ports] == [1]
    assert ports[0].registration is Registration.UNKNOWN
