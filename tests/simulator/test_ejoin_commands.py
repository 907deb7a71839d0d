"""Ejoin commands: ``goip_send_cmd.html``."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

import aiohttp
import pytest

from gsm_simulator.model import RegState

from .ejoin_support import settle, start_ejoin

if TYPE_CHECKING:
    from gsm_simulator.pytest_plugin import SimulatorFactory

OK = {"code": 0, "reason": "OK"}
INVALID_PORT = {"code": 2, "reason": "Invalid Port"}
UNREGISTERED = {"code": 5, "reason": "SIM Unregistered"}
SERVER_ERROR = {"code": 7, "reason": "Server Error"}
INVALID_CMD = {"code": 15, "reason": "Invalid CMD"}


async def test_switch_as_the_spec_example(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """``{"op": "switch", "ports": "2.02"}``: slot 2 in use, registered after the delay."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=2, slots=4)
    sim.state.insert_sim(1, slot=1)
    sim.state.insert_sim(0, slot=3)
    status, answer = await api.call(
        "POST",
        "/goip_send_cmd.html",
        {"type": "command", "op": "switch", "ports": "2.02"},
        credentials={"Username": "root", "password": "s3cret"},
    )
    assert (status, answer) == (200, OK)
    port = sim.state.port(1)
    assert (port.active_slot, port.registration) == (1, RegState.SEARCHING)
    await settle(sim)
    assert port.registration is RegState.REGISTERED
    assert await api.command(op="switch", ports="1D") == OK
    await settle(sim)
    assert sim.state.port(0).active_slot == 3
    for ports in ("2", "1.05", "1E", "3.01", ""):
        assert await api.command(op="switch", ports=ports) == INVALID_PORT, ports
    assert await api.command(op="switch") == INVALID_PORT


async def test_lock_unlock_reset_and_port_lists(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """lock/unlock block the ports' SIMs; reset restarts modules; all, * and ranges."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=8)
    state = sim.state
    assert await api.command(op="lock", ports="1A, 2.01, 5-6") == OK
    assert [port.blocked for port in state.ports] == [True, True] + [False] * 2 + [
        True
    ] * 2 + [False] * 2
    status = await api.get("/goip_get_status.html")
    assert status["status"][0]["st"] == 7
    assert await api.command(op="unlock", ports="*") == OK
    assert not any(port.blocked for port in state.ports)
    assert await api.command(op="lock", ports="all") == OK
    assert all(port.blocked for port in state.ports)
    assert await api.command(op="UNLOCK", ports=2) == OK
    assert not state.port(1).blocked
    assert await api.command(op="reset", ports="3") == OK
    assert state.port(2).registration is RegState.SEARCHING
    await settle(sim)
    assert state.port(2).registration is RegState.REGISTERED
    state.power(2, on=False)
    assert await api.command(op="reset", ports="3") == SERVER_ERROR
    for ports in ("9", "0", "3-2", "1-9", "x", "1,,2", True):
        assert await api.command(op="lock", ports=ports) == INVALID_PORT, ports


async def test_redial_save_and_unknown_commands(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """redial mode 0 registers again, mode 1 does not; only on registered SIMs."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=8)
    state = sim.state
    assert await api.command(op="redial", ports="1", mode=1) == OK
    assert state.port(0).registration is RegState.REGISTERED
    assert await api.command(op="redial", ports="1") == OK
    assert state.port(0).registration is RegState.SEARCHING
    await settle(sim)
    assert await api.command(op="redial", ports="2", mode="0") == OK
    assert state.port(1).registration is RegState.SEARCHING
    await settle(sim)
    assert await api.command(op="redial", ports="4") == UNREGISTERED  # no SIM
    assert await api.command(op="redial", ports="1", mode=2) == INVALID_CMD
    assert await api.command(op="save") == OK
    for body in ({"op": "fly"}, {}, {"op": 5}):
        assert await api.post("/goip_send_cmd.html", body) == INVALID_CMD
    assert await api.post("/goip_send_cmd.html", raw=b"{nope") == INVALID_CMD


async def test_multiple_commands_are_checked_first(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """op=multiple runs every command of ops, or none if one is bad."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=4, slots=2)
    state = sim.state
    state.insert_sim(1, slot=1)
    ops = [
        {"op": "lock", "ports": "1A"},
        {"op": "redial", "ports": "3", "mode": 1},
        {"Op": "switch", "Ports": "2B"},
    ]
    assert await api.command(op="multiple", ops=ops) == OK
    assert state.port(0).blocked
    assert state.port(1).active_slot == 1
    bad = [{"op": "unlock", "ports": "1"}, {"op": "save"}]
    assert await api.command(op="multiple", ops=bad) == INVALID_CMD
    assert state.port(0).blocked  # nothing was done
    assert (
        await api.command(op="multiple", ops=[{"op": "unlock", "ports": "7"}])
        == INVALID_PORT
    )
    for value in (None, [], "lock", [1]):
        assert await api.command(op="multiple", ops=value) == INVALID_CMD
    await settle(sim)


async def test_get_and_set_the_sms_url(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """get answers the settings asked for (all without names); set changes them."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=1)
    assert await api.command(op="get") == {
        **OK,
        "sms_url": "",
        "data_service_enable": 1,
    }
    assert await api.command(op="set", sms_url=" http://127.0.0.1:9/sms ") == OK
    assert await api.command(op="get", Sms_url="") == {
        **OK,
        "sms_url": "http://127.0.0.1:9/sms",
    }
    assert await api.command(op="set", data_service_enable="0") == OK
    assert await api.command(op="get", data_service_enable="") == {
        **OK,
        "data_service_enable": 0,
    }
    # The same as query parameters of a GET.
    answer = await api.get("/goip_send_cmd.html", op="get", sms_url="")
    assert answer == {**OK, "sms_url": "http://127.0.0.1:9/sms"}
    assert await api.get("/goip_send_cmd.html", op="set", sms_url="") == OK
    for body in ({}, {"sms_url": 5}, {"data_service_enable": 3}, {"port_rx_tx": "1"}):
        assert await api.command(op="set", **body) == INVALID_CMD, body
    dialect = sim.dialect
    assert getattr(dialect, "sms_url", None) == ""


async def test_reboot_takes_the_unit_down(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """reboot answers, then the unit is down for the downtime and comes back anew."""
    sim, api = await start_ejoin(
        gsm_simulator_factory,
        session,
        ports=2,
        dialect_options={"reboot_downtime": 0.3},
    )
    before = await api.get("/goip_get_sms.html")
    assert await api.command(op="reboot") == OK
    assert sim.offline
    assert sim.state.boot_count == 2
    with pytest.raises(aiohttp.ClientError):
        await api.call("GET", "/goip_get_sms.html")
    await asyncio.sleep(0.35)
    assert not sim.offline
    after = await api.get("/goip_get_sms.html")
    assert after["ssrc"] != before["ssrc"]
    await settle(sim)
