"""Synway requests and answers: Basic auth, events and endpoints, options, faults."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from gsm_simulator import DIALECTS, Simulator, __main__ as cli
from gsm_simulator.synway import SynwayDialect, SynwayOptions

from .conftest import Control
from .synway_support import QUERY, TASK, basic, start_synway

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.pytest_plugin import SimulatorFactory


async def test_basic_auth_is_the_default(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """The API account passes; others get 401 with a Basic challenge."""
    sim, api = await start_synway(gsm_simulator_factory, session, ports=2, auth=None)
    assert sim.auth.mode == "basic"
    assert await api.content("getportinfo") == "total:2;portstate:0,0"
    for authorization in (basic(password="wrong"), basic(user="admin"), "Digest x=1"):
        status, _ = await api.call(
            QUERY, {"event": "getportinfo"}, authorization=authorization
        )
        assert status == 401
    async with session.post(sim.url + TASK, data=b"{}") as response:
        assert response.status == 401
        assert response.headers["WWW-Authenticate"] == 'Basic realm="Synway SMG"'
    assert sim.auth.failures == 3
    async with session.get(sim.url + QUERY, headers={"Authorization": basic()}) as got:
        assert got.status == 405


async def test_events_endpoints_and_bad_bodies(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Names and the event in any capitals; every refusal is HTTP 200 result error."""
    _, api = await start_synway(gsm_simulator_factory, session, ports=3)
    assert await api.post(QUERY, {"Event": "GetPortInfo"}) == {
        "result": "ok",
        "content": "total:3;portstate:0,0,0",
    }
    upper = await api.post(QUERY, {"EVENT": "getwirelessinfo", "TYPE": "porttype"})
    assert upper["content"] == "PortType:WCDMA"
    for raw, reason in (
        (b'{"event": ', "invalid json"),
        (b"[1, 2]", "invalid json"),
        (b"", "invalid json"),
        (b"{}", "no event"),
        (b'{"event": "  "}', "no event"),
        (b'{"event": ["getportinfo"]}', "no event"),
        (b'{"event": "reboot"}', "unknown event"),
        (b'{"event": "txsms"}', "wrong interface"),
    ):
        status, answer = await api.call(QUERY, raw=raw)
        assert (status, answer) == (200, {"result": "error", "content": reason}), raw
    assert await api.error(TASK, "getportinfo") == "wrong interface"
    assert await api.error(TASK, "deleteussd", port=True) == "invalid port"
    # trailing text after the object is ignored, as the units read the body
    status, answer = await api.call(QUERY, raw=b'{"event":"getportinfo"} }')
    assert (status, answer["result"]) == (200, "ok")


async def test_result_spelling_option(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """``result_case`` spells the success word (the spec's "oK"); errors stay "error"."""
    _, api = await start_synway(
        gsm_simulator_factory, session, ports=1, dialect_options={"result_case": "oK"}
    )
    assert await api.query("getportconnectstate") == {
        "result": "oK",
        "content": "total:1;ConnectState:1.",
    }
    assert (await api.query("nothing"))["result"] == "error"


def test_options_are_checked() -> None:
    """Every option is converted from text; bad ones are refused by name."""
    options = SynwayOptions.from_mapping(
        {
            "first_port": "0",
            "result_case": " OK ",
            "port_type": "LTE",
            "inbox_scts": "yes",
            "send_timeout": "2.5",
        }
    )
    assert options == SynwayOptions(
        first_port=0,
        result_case="OK",
        port_type="LTE",
        inbox_scts=True,
        send_timeout=2.5,
    )
    assert SynwayOptions.from_mapping({"inbox_scts": False}).inbox_scts is False
    for name, value, message in (
        ("first_port", "2", "first_port must be 0 or 1"),
        ("first_port", True, "first_port must be 0 or 1"),
        ("result_case", "okay", "spelling of 'ok'"),
        ("port_type", "W CDMA", "module type"),
        ("inbox_scts", "maybe", "true or false"),
        ("send_timeout", "-1", "seconds >= 0"),
        ("send_timeout", "soon", "seconds >= 0"),
        ("colour", "red", "unknown synway option"),
    ):
        with pytest.raises(ValueError, match=message):
            SynwayOptions.from_mapping({name: value})


def test_command_line_options() -> None:
    """``synway --dialect-option first_port=0`` reaches the dialect."""
    assert DIALECTS["synway"] is SynwayDialect
    args = cli.build_parser().parse_args(
        [
            "synway",
            "--dialect-option",
            "first_port=0",
            "--dialect-option",
            "inbox_scts=1",
        ]
    )
    sim = cli.simulator_from_args(args)
    assert sim.auth.mode == "basic"
    assert isinstance(sim.dialect, SynwayDialect)
    assert (sim.dialect.options.first_port, sim.dialect.options.inbox_scts) == (0, True)
    assert sim.dialect.port_number(0) == 0
    assert sim.dialect.port_index(8) is None
    with pytest.raises(ValueError, match="first_port must be 0 or 1"):
        Simulator("synway", dialect_options={"first_port": "7"})


async def test_faults_apply_to_the_api(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Injected faults and the gateway mode hit both endpoints, not the control API."""
    sim, api = await start_synway(gsm_simulator_factory, session, ports=2)
    sim.faults.status(500, path=QUERY)
    assert await api.call(QUERY, {"event": "getportinfo"}) == (500, "")
    sim.faults.malformed_json(path=TASK)
    status, cut = await api.call(TASK, {"event": "txussd", "port": "1", "ussd": "*1#"})
    assert status == 200
    assert isinstance(cut, str)
    assert cut.startswith('{"result":"ok"')
    control = Control(session, sim)
    await control.ok("POST", "/gateway", {"mode": "error"})
    assert (await api.call(TASK, {"event": "deleteussd", "port": "-1"}))[0] == 500
    await control.ok("POST", "/gateway", {"mode": "ok"})
    assert await api.handle("deleteussd", port="-1") == "total:1"
    assert len(sim.requests) == 4
