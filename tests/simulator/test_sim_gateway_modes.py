"""The control API and the device side: gateway modes, reboot, pushes, bypasses."""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

import aiohttp
import pytest

from gsm_simulator import FaultInjector, PushReceiver, Simulator
from gsm_simulator.control import is_control_path
from gsm_simulator.faults import DEFAULT_SLOW_SECONDS, GatewayMode

from .conftest import FAST, Control

if TYPE_CHECKING:
    from gsm_simulator.pytest_plugin import SimulatorFactory

TIMEOUT = 5
DEVICE_PATH = "/api/query_sms_in_queue"


async def device_status(control: Control) -> int:
    """HTTP status of a device request (raises when the connection is dropped)."""
    async with control.session.get(control.sim.url + DEVICE_PATH) as response:
        await response.read()
        return response.status


def test_control_paths() -> None:
    """Only /sim and what is under /sim/ belong to the control API."""
    assert is_control_path("/sim")
    assert is_control_path("/sim/")
    assert is_control_path("/sim/api/state")
    assert not is_control_path("/simulate")
    assert not is_control_path("/api/sim/")


def test_fault_injector_modes() -> None:
    """The mode lasts until changed; seconds count for slow only."""
    faults = FaultInjector()
    assert (faults.mode, faults.mode_seconds) == (GatewayMode.OK, DEFAULT_SLOW_SECONDS)
    faults.set_mode("slow", 2)
    assert (faults.mode, faults.mode_seconds) == (GatewayMode.SLOW, 2)
    faults.set_mode(GatewayMode.DOWN)
    assert (faults.mode, faults.mode_seconds) == (
        GatewayMode.DOWN,
        DEFAULT_SLOW_SECONDS,
    )
    with pytest.raises(ValueError, match="seconds"):
        faults.set_mode("slow", -1)
    with pytest.raises(ValueError, match="broken"):
        faults.set_mode("broken")
    assert faults.mode is GatewayMode.DOWN


async def test_down_gateway_keeps_the_panel(control: Control) -> None:
    """Down: device requests lose their connection; the control API answers."""
    answer = await control.ok("POST", "/gateway", {"mode": "down"})
    assert answer == {"mode": "down", "seconds": None, "rebooting": False}
    with pytest.raises(aiohttp.ClientError):
        await device_status(control)
    state = await control.ok("GET", "/state")
    assert state["gateway"]["mode"] == "down"
    assert control.sim.requests[-1].path == DEVICE_PATH
    await control.ok("POST", "/gateway", {"mode": "ok"})
    assert await device_status(control) == 200


async def test_error_gateway(control: Control) -> None:
    """Error: every device request answers 500 until set back to ok."""
    await control.ok("POST", "/gateway", {"mode": "error"})
    assert [await device_status(control) for _ in range(2)] == [500, 500]
    assert (await control.ok("GET", "/state"))["gateway"]["mode"] == "error"
    await control.ok("POST", "/gateway", {"mode": "ok"})
    assert await device_status(control) == 200


async def test_slow_gateway(control: Control) -> None:
    """Slow: each device request waits the seconds first; the panel does not."""
    answer = await control.ok("POST", "/gateway", {"mode": "slow", "seconds": 0.3})
    assert answer == {"mode": "slow", "seconds": 0.3, "rebooting": False}
    started = time.monotonic()
    assert await device_status(control) == 200
    assert time.monotonic() - started >= 0.3
    started = time.monotonic()
    await control.ok("GET", "/state")
    assert time.monotonic() - started < 0.3
    answer = await control.ok("POST", "/gateway", {"mode": "slow"})
    assert answer["seconds"] == DEFAULT_SLOW_SECONDS
    await control.ok("POST", "/gateway", {"mode": "ok"})
    started = time.monotonic()
    assert await device_status(control) == 200
    assert time.monotonic() - started < DEFAULT_SLOW_SECONDS


async def test_slow_request_released_at_stop(control: Control) -> None:
    """A request held by the slow mode is hung up when the simulator stops."""
    control.sim.faults.set_mode("slow", 60)
    request = asyncio.ensure_future(device_status(control))
    async with asyncio.timeout(TIMEOUT):
        await control.sim.wait_for_requests(1)
        await control.sim.stop()
        with pytest.raises(aiohttp.ClientError):
            await request


async def test_panel_skips_auth_faults_and_the_request_log(
    dinstar_simulator: Simulator, session: aiohttp.ClientSession
) -> None:
    """With digest auth, faults and latency, /sim/ still answers at once, unrecorded."""
    sim = dinstar_simulator
    control = Control(session, sim)
    sim.faults.status(503, count=None)
    sim.faults.drop(count=None, before_auth=True)
    sim.faults.delay = 30
    started = time.monotonic()
    state = await control.ok("GET", "/state")
    assert state["serial"] == sim.serial
    await control.ok("POST", "/ports/0", {"signal": 3})
    async with session.get(sim.url + "/sim/") as response:
        assert response.status == 200
    assert time.monotonic() - started < 5
    assert sim.requests == []
    assert len(sim.faults.active) == 2
    assert all(fault.hits == 0 for fault in sim.faults.active)
    sim.faults.clear()
    sim.faults.delay = 0
    async with session.get(sim.url + DEVICE_PATH) as response:
        assert response.status == 401
    assert [record.path for record in sim.requests] == [DEVICE_PATH]


async def test_reboot(control: Control) -> None:
    """Reboot: down for the downtime (device side only), then back."""
    sim = control.sim
    answer = await control.ok("POST", "/reboot", {"downtime": 0.3})
    assert answer == {
        "downtime": 0.3,
        "gateway": {"mode": "ok", "seconds": None, "rebooting": True},
    }
    with pytest.raises(aiohttp.ClientError):
        await device_status(control)
    assert (await control.ok("GET", "/state"))["gateway"]["rebooting"] is True
    await asyncio.sleep(0.35)
    assert not sim.offline
    assert await device_status(control) == 200
    assert (await control.ok("POST", "/reboot", {"downtime": 0}))["downtime"] == 0.0
    assert sim.state.boot_count == 3


async def test_offline_before_start() -> None:
    """A simulator that is not running is not rebooting."""
    assert not Simulator().offline


async def test_control_catches_up_the_drift(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """The panel shows a drifting gateway moving, without device requests."""
    sim = await gsm_simulator_factory(drift_interval=0.05, **FAST)
    await asyncio.sleep(0.2)
    await Control(session, sim).ok("GET", "/state")
    assert sim.state.steps >= 3
    assert sim.requests == []


async def test_panel_sms_is_pushed(
    gsm_simulator_factory: SimulatorFactory,
    push_receiver: PushReceiver,
    session: aiohttp.ClientSession,
) -> None:
    """An SMS sent from the panel is pushed as the dialect pushes SMS."""
    sim = await gsm_simulator_factory(push_url=push_receiver.url, **FAST)
    control = Control(session, sim)
    answer = await control.ok(
        "POST", "/sms", {"port": 5, "sender": "+447700900123", "text": "hello"}
    )
    async with asyncio.timeout(TIMEOUT):
        (push,) = await push_receiver.wait_for(1, "sms")
    (sms,) = push["sms"]
    assert push["sn"] == sim.serial
    assert (sms["incoming_sms_id"], sms["port"], sms["number"], sms["text"]) == (
        answer["message_id"],
        5,
        "+447700900123",
        "hello",
    )
    await control.ok("POST", "/ussd", {"port": 5, "text": "Top-up done"})
    await control.ok("POST", "/ports/5", {"sim_present": False})
    async with asyncio.timeout(TIMEOUT):
        (ussd,) = await push_receiver.wait_for(1, "ussd")
        (register,) = await push_receiver.wait_for(1, "register")
    assert ussd["ussd"] == [{"port": 5, "text": "Top-up done"}]
    assert register["register"][0]["status"] == "down"
    assert register["register"][0]["port"] == 5


async def test_push_target_at_runtime(
    control: Control, push_receiver: PushReceiver
) -> None:
    """PUT /push sets the URL (and types) while running; null stops pushing."""
    sim = control.sim
    assert (await control.ok("GET", "/state"))["push_url"] is None
    answer = await control.ok(
        "PUT", "/push", {"url": push_receiver.url, "types": ["sms", "ussd"]}
    )
    assert answer == {"push_url": push_receiver.url, "push_types": ["sms", "ussd"]}
    assert (await control.ok("GET", "/state"))["push_url"] == push_receiver.url
    await control.ok("POST", "/ports/1", {"registration": "denied"})  # not pushed
    await control.ok("POST", "/sms", {"port": 1, "sender": "1", "text": "a"})
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_idle()
    assert [
        next(k for k in body if k != "sn") for body in push_receiver.payloads()
    ] == ["sms"]
    answer = await control.ok("PUT", "/push", {"url": None})
    assert answer["push_url"] is None
    assert sim.push_url is None
    await control.ok("POST", "/sms", {"port": 1, "sender": "1", "text": "b"})
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_idle()
    assert len(push_receiver.received) == 1


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "url is required (null: no pushes)"),
        ({"url": "ftp://127.0.0.1/x"}, "url must be an http or https URL, or null"),
        ({"url": "http://"}, "url must be an http"),
        ({"url": "http://[::1"}, "url must be an http"),
        ({"url": 5}, "url must be an http"),
        ({"url": None, "types": "sms"}, "types must be a list of push type names"),
        ({"url": None, "types": [1]}, "types must be a list"),
        ({"url": "http://127.0.0.1:9/", "types": ["fax"]}, "unknown push types: fax"),
    ],
)
async def test_bad_push_target(control: Control, body: object, error: str) -> None:
    """A bad push URL or type list: 400, nothing changed."""
    types = control.sim.push_types
    status, answer = await control.call("PUT", "/push", body)
    assert status == 400
    assert error in answer["error"]
    assert control.sim.push_url is None
    assert control.sim.push_types == types
