"""Synway device queries: port state, base station connection, wireless identities."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from gsm_simulator.model import CallState

from .conftest import Control
from .synway_support import QUERY, start_synway

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.pytest_plugin import SimulatorFactory


async def test_port_states_follow_calls_and_registration(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Call states map to the spec's codes; a port off the network is 11."""
    sim, api = await start_synway(gsm_simulator_factory, session, ports=8)
    # the generated unit: port 4 (index 3) has no SIM, port 7 (index 6) searches
    assert await api.content("getportinfo") == "total:8;portstate:0,0,0,11,0,0,11,0"
    for index, state in enumerate(
        (
            CallState.PROCESSING,
            CallState.RINGING,
            CallState.ACTIVE,
            CallState.ALERTING,
            CallState.WAITING,
            CallState.HOLDING,
        )
    ):
        sim.state.set_call_state([0, 1, 2, 4, 5, 7][index], state)
    assert await api.content("getportinfo") == "total:8;portstate:4,2,3,11,9,7,11,3"
    sim.state.set_call_state(0, CallState.UNKNOWN)
    sim.state.power(1, on=False)
    assert (await api.content("getportinfo")).startswith("total:8;portstate:11,11,3,")


async def test_connect_states_follow_registration(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Registered 1, searching 2, denied 3, unknown 4, the rest 0; a final dot."""
    sim, api = await start_synway(gsm_simulator_factory, session, ports=8)
    content = await api.content("getportconnectstate")
    assert content == "total:8;ConnectState:1,1,1,0,1,1,2,1."
    control = Control(session, sim)
    await control.ok("POST", "/ports/1", {"registration": "denied"})
    await control.ok("POST", "/ports/2", {"registration": "unknown"})
    await control.ok("POST", "/ports/3", {"registration": "not_registered"})
    await control.ok("POST", "/ports/5", {"power": False})
    await control.ok("POST", "/ports/6", {"registration": "pin_required"})
    content = await api.content("getportconnectstate")
    assert content == "total:8;ConnectState:3,4,0,0,0,0,2,1."


async def test_wireless_info(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Each type, per port, in the order asked; empty where there is nothing."""
    sim, api = await start_synway(
        gsm_simulator_factory, session, ports=4, dialect_options={"port_type": "LTE"}
    )
    ports = sim.state.ports
    assert await api.content("getwirelessinfo", type="porttype") == "PortType:LTE"
    assert (
        await api.content("getwirelessinfo", type="PortType", port="2,1")
        == "2:LTE.1:LTE."
    )
    imeis = "".join(f"{number}:{ports[number - 1].imei}." for number in (1, 2, 3, 4))
    assert await api.content("getwirelessinfo", type="IMEI") == imeis
    first, second = ports[0].sim, ports[1].sim
    assert first is not None
    assert second is not None
    iccid = await api.content("getwirelessinfo", type="iccid", port="2,4, 1")
    assert iccid == f"2:{second.iccid}.4:.1:{first.iccid}."
    sim.state.set_number(0, "15255558888")
    sim.state.set_registration(1, "pin_required")  # the SIM cannot be read
    assert (
        await api.content("getwirelessinfo", type="PhoneNo", port="1,2")
        == "1:15255558888.2:."
    )
    assert (
        await api.content("getwirelessinfo", type="IMSI", port="1,2")
        == f"1:{first.imsi}.2:."
    )
    sim.state.power(0, on=False)
    assert await api.content("getwirelessinfo", type="ICCID", port="1") == "1:."
    assert await api.content("getwirelessinfo", type="IMEI", port="1") == (
        f"1:{ports[0].imei}."
    )
    for fields, reason in (
        ({}, "invalid type"),
        ({"type": "MSISDN"}, "invalid type"),
        ({"type": "IMEI", "port": "5"}, "invalid port"),
        ({"type": "IMEI", "port": "0"}, "invalid port"),
        ({"type": "IMEI", "port": "1.A"}, "invalid port"),
        ({"type": "IMEI", "port": "one"}, "invalid port"),
    ):
        assert await api.error(QUERY, "getwirelessinfo", **fields) == reason, fields


@pytest.mark.parametrize("first_port", [0, 1])
async def test_numbering_option(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    first_port: int,
) -> None:
    """Ports are numbered from ``first_port`` on the wire and in the control API."""
    sim, api = await start_synway(
        gsm_simulator_factory,
        session,
        ports=3,
        dialect_options={"first_port": str(first_port)},
    )
    numbers = [first_port, first_port + 1, first_port + 2]
    content = await api.content("getwirelessinfo", type="IMEI")
    assert content == "".join(
        f"{number}:{port.imei}."
        for number, port in zip(numbers, sim.state.ports, strict=True)
    )
    control = Control(session, sim)
    state = await control.ok("GET", "/state")
    assert [port["port"] for port in state["ports"]] == numbers
    assert state["ports"][0]["label"] == f"Port {first_port}"
    await control.ok("POST", f"/ports/{first_port + 2}", {"registration": "denied"})
    assert (await api.content("getportconnectstate")).endswith(":1,1,3.")
    assert (
        await api.error(QUERY, "getwirelessinfo", type="IMEI", port=str(first_port + 3))
        == "invalid port"
    )
