"""Pushes of the simulated Dinstar: formats, types, lost and duplicated pushes."""

from __future__ import annotations

import asyncio
import logging
import socket
from typing import TYPE_CHECKING

import aiohttp
import pytest

from gsm_simulator import Pusher, PushReceiver, RegState, Simulator
from gsm_simulator.dinstar import PUSH_TYPES

from .conftest import FAST, JsonClient

if TYPE_CHECKING:
    from gsm_simulator.pytest_plugin import SimulatorFactory

TIMEOUT = 5


async def idle(sim: Simulator) -> None:
    """Wait (bounded) until sends and pushes are done."""
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_idle()


@pytest.fixture
async def pushing(
    gsm_simulator_factory: SimulatorFactory, push_receiver: PushReceiver
) -> Simulator:
    """A fast 8-port simulator pushing to the receiver."""
    return await gsm_simulator_factory(push_url=push_receiver.url, **FAST)


async def test_sms_push_and_headers(
    pushing: Simulator, push_receiver: PushReceiver
) -> None:
    """An incoming SMS is pushed like the spec shows, as plain JSON without auth."""
    sms = pushing.receive_sms(1, "6717", "test")
    await idle(pushing)
    (push,) = push_receiver.received
    assert push.path == "/push"
    assert push.headers["Content-Type"] == "application/json"
    assert "Authorization" not in push.headers
    assert push.json() == {
        "sn": pushing.serial,
        "sms": [
            {
                "incoming_sms_id": 1,
                "port": 1,
                "number": "6717",
                "smsc": sms.smsc,
                "timestamp": sms.timestamp.strftime("%Y-%m-%d %H:%M:%S"),
                "text": "test",
            }
        ],
    }
    assert push.body.startswith(b'{"sn":')
    record = pushing.pusher.history[0]
    assert (record.push_type, record.status, record.ok, record.attempt) == (
        "sms",
        200,
        True,
        1,
    )


async def test_send_pushes(pushing: Simulator, push_receiver: PushReceiver) -> None:
    """sms_result SENT_OK, sms_deliver_status, then sms_result DELIVERED."""
    async with aiohttp.ClientSession() as session:
        api = JsonClient(session, pushing)
        await api.post(
            "/api/send_sms",
            {"text": "x", "port": [1], "param": [{"number": "10086", "user_id": 7}]},
        )
    await idle(pushing)
    kinds = [
        next(key for key in body if key != "sn") for body in push_receiver.payloads()
    ]
    assert kinds == ["sms_result", "sms_deliver_status", "sms_result"]
    sent, report, delivered = push_receiver.payloads()
    assert sent["sms_result"][0]["status"] == "SENT_OK"
    assert sent["sms_result"][0]["user_id"] == 7
    assert delivered["sms_result"][0]["status"] == "DELIVERED"
    item = report["sms_deliver_status"][0]
    assert (item["port"], item["number"], item["status_code"]) == (1, "10086", 0)
    assert item["ref_id"] == sent["sms_result"][0]["ref_id"]


async def test_other_pushes(pushing: Simulator, push_receiver: PushReceiver) -> None:
    """ussd, register, cdr, missed_call, exception_info and device bodies."""
    pushing.set_ussd_reply("*1#", "Thank you!")
    pushing.state.ussd.send(1, "*1#")
    await idle(pushing)
    pushing.set_registration(0, RegState.SEARCHING)
    pushing.set_registration(0, RegState.REGISTERED)
    pushing.simulate_call(2, "6717", answered=True)
    pushing.simulate_call(2, "6718", answered=False)
    pushing.simulate_call(2, "6719", answered=False, direction="outgoing")
    pushing.exception_info(5, "call_fail", "reset")
    await idle(pushing)
    bodies = push_receiver.payloads()
    assert bodies[0] == {
        "sn": pushing.serial,
        "ussd": [{"port": 1, "text": "Thank you!"}],
    }
    sim_card = pushing.state.port(0).sim
    assert sim_card is not None
    assert bodies[1]["register"] == [
        {
            "port": 0,
            "iccid": sim_card.iccid,
            "imsi": sim_card.imsi,
            "number": sim_card.number,
            "status": "down",
            "sequence": 1,
        }
    ]
    assert bodies[2]["register"][0]["status"] == "up"
    assert bodies[2]["register"][0]["sequence"] == 2
    assert bodies[3]["cdr"][0]["source_number"] == "6717"
    assert bodies[4] == {
        "sn": pushing.serial,
        "missed_call": {
            "time": bodies[4]["missed_call"]["time"],
            "port": 2,
            "number": "6718",
        },
    }
    assert bodies[5] == {
        "sn": pushing.serial,
        "exception_info": {"port": 5, "type": "call_fail", "action": "reset"},
    }
    # The reset of port 5: down, then up again.
    assert [body["register"][0]["status"] for body in bodies[6:]] == ["down", "up"]
    assert len(bodies) == 8
    pushing.reboot(downtime=0.05)
    await idle(pushing)
    devices = push_receiver.payloads("device")
    assert [body["device"]["status"] for body in devices] == ["power_off", "power_on"]
    assert devices[0]["device"] == {
        "port_number": 8,
        "IP": "127.0.0.1",
        "MAC": pushing.state.mac,
        "status": "power_off",
    }
    assert len(push_receiver.payloads("register")) == 4 + 6


async def test_register_push_multi_sim(
    gsm_simulator_factory: SimulatorFactory, push_receiver: PushReceiver
) -> None:
    """A multi-SIM unit adds the slot; an unreadable SIM says <NULL>."""
    sim = await gsm_simulator_factory(
        ports=2, slots=4, push_url=push_receiver.url, **FAST
    )
    sim.set_registration(1, RegState.POWER_OFF)
    await idle(sim)
    (body,) = push_receiver.payloads("register")
    item = body["register"][0]
    assert (item["iccid"], item["imsi"], item["status"], item["slot"]) == (
        "<NULL>",
        "<NULL>",
        "down",
        0,
    )


async def test_push_types_and_url(
    pushing: Simulator, push_receiver: PushReceiver
) -> None:
    """Only enabled types are pushed; no URL, no push; unknown types are refused."""
    assert pushing.push_types == frozenset(PUSH_TYPES)
    assert pushing.push_url == push_receiver.url
    pushing.push_types = {"ussd"}
    pushing.receive_sms(0, "1", "not pushed")
    pushing.push_url = None
    pushing.set_ussd_reply("*1#", "also not pushed")
    pushing.state.ussd.send(0, "*1#")
    await idle(pushing)
    assert push_receiver.received == []
    with pytest.raises(ValueError, match="unknown push types: bogus"):
        pushing.push_types = {"bogus"}
    with pytest.raises(ValueError, match="push timeout"):
        Pusher(timeout=0)
    only = Simulator(push_types=["sms"])
    assert only.push_types == {"sms"}


async def test_lost_pushes_are_found_by_polling(
    pushing: Simulator, push_receiver: PushReceiver
) -> None:
    """A lost push is never sent; the inbox query still has the message."""
    fault = pushing.pusher.faults.lose(push_type="sms")
    pushing.receive_sms(0, "111", "lost")
    pushing.receive_sms(0, "222", "kept")
    await idle(pushing)
    assert [body["sms"][0]["text"] for body in push_receiver.payloads()] == ["kept"]
    assert pushing.pusher.history[0].lost
    assert fault.hits == 1
    assert pushing.pusher.faults.active == ()
    async with aiohttp.ClientSession() as session:
        data = await JsonClient(session, pushing).get(
            "/api/query_incoming_sms", flag="all"
        )
    assert [sms["text"] for sms in data["sms"]] == ["lost", "kept"]


async def test_duplicate_pushes(
    pushing: Simulator, push_receiver: PushReceiver
) -> None:
    """A duplicate fault re-pushes the same body; other types are untouched."""
    faults = pushing.pusher.faults
    faults.duplicate(push_type="sms", copies=2)
    faults.lose(push_type="ussd", count=None)
    pushing.receive_sms(0, "111", "twice")
    async with asyncio.timeout(TIMEOUT):
        await pushing.pusher.wait_idle()
    bodies = [push.body for push in push_receiver.received]
    assert len(bodies) == 3
    assert len(set(bodies)) == 1
    assert [record.attempt for record in pushing.pusher.history] == [1, 2, 3]
    assert len(faults.active) == 1
    faults.clear()
    assert faults.active == ()
    with pytest.raises(ValueError, match="copies"):
        faults.duplicate(copies=0)
    with pytest.raises(ValueError, match="count"):
        faults.lose(count=0)


async def test_timeout_repush(
    gsm_simulator_factory: SimulatorFactory, push_receiver: PushReceiver
) -> None:
    """A receiver slower than the push timeout gets the push twice."""
    # The timeout leaves a loaded machine ample time to read each request
    # before the simulator gives up on it (0.1 s did not, once in a while).
    sim = await gsm_simulator_factory(
        push_url=push_receiver.url, push_timeout=1.0, **FAST
    )
    push_receiver.delay = 5.0
    sim.receive_sms(0, "1", "slow")
    await idle(sim)
    assert len(push_receiver.received) == 2
    assert [record.error for record in sim.pusher.history] == ["timeout", "timeout"]
    sim.pusher.retry_on_timeout = False
    sim.receive_sms(0, "1", "once")
    await idle(sim)
    assert len(push_receiver.received) == 3
    assert [record.error for record in sim.pusher.history][2:] == ["timeout"]


async def test_unreachable_receiver_never_raises(
    gsm_simulator_factory: SimulatorFactory, push_receiver: PushReceiver
) -> None:
    """Refused connections, bad URLs and error statuses are only logged."""
    # A port bound but not listening refuses connections, and no other server
    # (another test run on the machine) can take it meanwhile, as it could
    # take the port of a receiver that was stopped.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/push"
        sim = await gsm_simulator_factory(push_url=url, **FAST)
        sim.receive_sms(0, "1", "nobody listens")
        await idle(sim)
    sim.push_url = "not a url"
    sim.receive_sms(0, "1", "bad url")
    await idle(sim)
    errors = [record.error for record in sim.pusher.history]
    assert all(errors)
    assert not any(record.ok for record in sim.pusher.history)
    async with PushReceiver() as failing:
        failing.status = 500
        sim.push_url = failing.url
        sim.receive_sms(0, "1", "refused")
        await idle(sim)
        assert sim.pusher.history[-1].status == 500
        assert not sim.pusher.history[-1].ok
        assert await failing.wait_for(1, "sms")


async def test_pushes_need_a_running_simulator(loopback: None) -> None:
    """Before start and after stop nothing is pushed; stop drops queued pushes."""
    async with PushReceiver() as receiver:
        sim = Simulator(push_url=receiver.url, **FAST)
        sim.receive_sms(0, "1", "before start")
        assert not sim.pusher.running
        await sim.start()
        await sim.pusher.start()  # idempotent
        receiver.delay = 1
        sim.receive_sms(0, "1", "in flight")
        sim.receive_sms(0, "1", "queued")
        await asyncio.wait_for(receiver.wait_for(1), TIMEOUT)
        await sim.stop()
        assert sim.pusher.idle
        await sim.pusher.wait_idle()  # stopped: nothing to wait for
        assert len(receiver.received) == 1
        sim.receive_sms(0, "1", "after stop")
        assert not sim.pusher.running


async def test_receiver_lifecycle(loopback: None) -> None:
    """The receiver's URL exists only once started."""
    receiver = PushReceiver(path="/hook")
    with pytest.raises(RuntimeError, match="not started"):
        _ = receiver.url
    async with receiver:
        assert receiver.url.endswith("/hook")
        async with aiohttp.ClientSession() as session:
            await session.post(receiver.url, data=b"[1]")
        assert receiver.payloads() == [[1]]
        assert receiver.payloads("sms") == []
    await receiver.stop()  # idempotent


async def test_background_error_is_logged(
    fast_sim: Simulator, caplog: pytest.LogCaptureFixture
) -> None:
    """A failing timer callback is logged and the driver goes on."""

    def broken() -> None:
        msg = "boom"
        raise RuntimeError(msg)

    ran: list[int] = []
    fast_sim.state.timeline.call_later(0, broken)
    fast_sim.state.timeline.call_later(0.01, lambda: ran.append(1))
    with caplog.at_level(logging.ERROR):
        await idle(fast_sim)
    assert ran == [1]
    assert "background work failed" in caplog.text


def test_options_reach_the_model() -> None:
    """Timings and push options are kept; bad timings are refused."""
    sim = Simulator(
        send_time=1, delivery_delay=2, ussd_delay=3, register_delay=4, stk_delay=5
    )
    assert (
        sim.timings.send_time,
        sim.timings.delivery_delay,
        sim.timings.ussd_delay,
        sim.timings.register_delay,
        sim.timings.stk_delay,
    ) == (1, 2, 3, 4, 5)
    assert sim.push_url is None
    assert sim.idle
    assert sim.pusher.timeout == 5.0
    with pytest.raises(ValueError, match="ussd_delay"):
        Simulator(ussd_delay=-1)
