"""Dinstar port control, USSD, CDR and SIM toolkit endpoints over HTTP."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from gsm_simulator import CallState, RegState

from .conftest import FAST, JsonClient

if TYPE_CHECKING:
    from gsm_simulator import Simulator
    from gsm_simulator.pytest_plugin import SimulatorFactory

SET = "/api/set_port_info"
INFO = "/api/get_port_info"
USSD = "/api/send_ussd"
REPLY = "/api/query_ussd_reply"
CDR = "/api/get_cdr"
VIEW = "/GetSTKView"
GO = "/STKGo"
FRAME = "/GetSTKCurrFrameIndex"
TIMEOUT = 5
SLOW_REGISTER = {**FAST, "register_delay": 0.3}
"""Slow enough to see SEARCHING_NETWORK before the port registers."""


async def idle(sim: Simulator) -> None:
    """Wait (bounded) until the simulator's background work is done."""
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_idle()


async def set_port(api: JsonClient, port: str, action: str, **extra: str) -> int:
    """GET set_port_info and return its error_code."""
    data = await api.get(SET, port=port, action=action, **extra)
    assert data["sn"] == api.sim.serial
    return int(data["error_code"])


async def reg(api: JsonClient, port: int) -> str:
    """The reg field of ``port``."""
    data = await api.get(INFO, port=str(port), info_type="reg")
    return str(data["info"][0]["reg"])


# ----------------------------------------------------------------- set_port_info
async def test_power_and_reset(gsm_simulator_factory: SimulatorFactory) -> None:
    """Power off at once; on and reset search first, then register."""
    sim = await gsm_simulator_factory(**SLOW_REGISTER)
    async with aiohttp.ClientSession() as session:
        await _power_and_reset(JsonClient(session, sim), sim)


async def _power_and_reset(api: JsonClient, fast_sim: Simulator) -> None:
    assert await set_port(api, "1", "power", param="off") == 200
    assert await reg(api, 1) == "POWER_OFF"
    assert await set_port(api, "1", "reset") == 500
    assert await set_port(api, "1", "Power", param="ON") == 200
    assert await reg(api, 1) == "SEARCHING_NETWORK"
    await idle(fast_sim)
    assert await reg(api, 1) == "REGISTER_OK"
    assert await set_port(api, "1", "reset") == 200
    assert await reg(api, 1) == "SEARCHING_NETWORK"
    await idle(fast_sim)
    assert await reg(api, 1) == "REGISTER_OK"
    assert await set_port(api, "1", "power", param="standby") == 400


@pytest.mark.parametrize(
    "params",
    [
        {"action": "reset"},
        {"port": "x", "action": "reset"},
        {"port": "32", "action": "reset"},
        {"port": "8", "action": "reset"},
        {"port": "0"},
        {"port": "0", "action": "explode"},
        {"port": "0", "action": "slot", "param": "1"},
        {"port": "0", "action": "imei", "param": "123"},
        {"port": "0", "action": "number", "param": "call me"},
        {"port": "0", "action": "lock", "param": "12"},
        {"port": "0", "action": "unlock", "param": ""},
        {"port": "0", "action": "CallForward", "param": "Sometimes", "number": "1"},
        {"port": "0", "action": "CallForward", "param": "Busy"},
    ],
)
async def test_set_port_info_bad_requests(
    api: JsonClient, params: dict[str, str]
) -> None:
    """Missing or bad port, action or parameter: 400."""
    data = await api.get(SET, **params)
    assert data == {"error_code": 400, "sn": api.sim.serial}


async def test_identity_lock_block(api: JsonClient, fast_sim: Simulator) -> None:
    """imei, number, lock/unlock with PIN attempts, block/unblock."""
    assert await set_port(api, "0", "imei", param="358967042917201") == 200
    assert fast_sim.state.port(0).imei == "358967042917201"
    assert await set_port(api, "0", "number", param="+447700900999") == 200
    number = (await api.get(INFO, port="0", info_type="number"))["info"][0]["number"]
    assert number == "+447700900999"
    assert await set_port(api, "3", "number", param="123") == 500
    assert await set_port(api, "0", "lock", param="1234") == 200
    assert await set_port(api, "0", "reset") == 200
    await idle(fast_sim)
    assert await reg(api, 0) == "PIN_REQUIRE"
    assert await set_port(api, "0", "unlock", param="1234") == 200
    await idle(fast_sim)
    assert await reg(api, 0) == "REGISTER_OK"
    for _ in range(3):
        assert await set_port(api, "0", "lock", param="0000") == 500
    assert await reg(api, 0) == "PUK_REQUIRE"
    assert await set_port(api, "0", "unlock", param="1234") == 500
    assert await set_port(api, "2", "block") == 200
    send = {"text": "x", "port": [2], "param": [{"number": "1"}]}
    assert (await api.post("/api/send_sms", send))["error_code"] == 550
    assert await set_port(api, "2", "unblock") == 200
    assert (await api.post("/api/send_sms", send))["error_code"] == 202


async def test_slot_on_multi_sim(gsm_simulator_factory: SimulatorFactory) -> None:
    """A 4-slot unit switches slots (0..3); searching first; slot beyond the unit: 400."""
    sim = await gsm_simulator_factory(ports=2, slots=4, **SLOW_REGISTER)
    sim.state.insert_sim(0, slot=2)
    async with aiohttp.ClientSession() as session:
        api = JsonClient(session, sim)
        assert await set_port(api, "0", "slot", param="2") == 200
        info = (await api.get(INFO, port="0", info_type="slot,reg"))["info"][0]
        assert info == {"port": 0, "reg": "SEARCHING_NETWORK", "slot": 2}
        await idle(sim)
        assert await reg(api, 0) == "REGISTER_OK"
        assert await set_port(api, "0", "slot", param="4") == 400
        assert await set_port(api, "0", "slot", param="x") == 400


async def test_call_forward(api: JsonClient, fast_sim: Simulator) -> None:
    """Set, check, then read CallForwarding (only the modes set)."""
    assert (await api.get(INFO, port="0", info_type="CallForward"))["info"] == [
        {"port": 0}
    ]
    assert (
        await set_port(
            api, "0", "CallForward", param="Unconditional", number="15013828917"
        )
        == 200
    )
    assert (
        await set_port(api, "0", "CallForward", param="not_reachable", number="22")
        == 200
    )
    assert await set_port(api, "0", "CheckCallForward") == 200
    await idle(fast_sim)
    data = await api.get(INFO, port="0", info_type="CallForward")
    assert data == {
        "error_code": 200,
        "sn": fast_sim.serial,
        "info": [
            {
                "port": 0,
                "CallForwarding": {
                    "Unconditional": "15013828917",
                    "Not_Reachable": "22",
                },
            }
        ],
    }
    both = await api.get(INFO, port="0", info_type="reg,CallForward")
    assert list(both["info"][0]) == ["port", "reg", "CallForwarding"]
    assert await set_port(api, "0", "CallForward", param="CancelAll") == 200
    assert await set_port(api, "0", "checkcallforward") == 200
    await idle(fast_sim)
    data = await api.get(INFO, port="0", info_type="CallForward")
    assert data["info"] == [{"port": 0, "CallForwarding": {}}]
    assert await set_port(api, "3", "CheckCallForward") == 500
    assert await set_port(api, "3", "CallForward", param="Busy", number="1") == 500


# ------------------------------------------------------------------------- USSD
async def test_ussd(api: JsonClient, fast_sim: Simulator) -> None:
    """Per-port statuses, the answer after the delay, query and cancel."""
    fast_sim.set_port_busy(2)
    fast_sim.set_ussd_reply("*125#", "Thank you!")
    data = await api.post(USSD, {"port": [0, 2, 3, 7], "text": "*125#"})
    assert data == {
        "error_code": 202,
        "sn": fast_sim.serial,
        "result": [
            {"port": 0, "status": 200},
            {"port": 2, "status": 486},
            {"port": 3, "status": 503},
            {"port": 7, "status": 200},
        ],
    }
    await idle(fast_sim)
    data = await api.get(REPLY, port="0,2,7,9")
    assert data == {
        "error_code": 200,
        "sn": fast_sim.serial,
        "reply": [
            {"port": 0, "text": "Thank you!"},
            {"port": 2, "text": ""},
            {"port": 7, "text": "Thank you!"},
        ],
    }
    fast_sim.set_port_busy(2, busy=False)
    balance = await api.post(USSD, {"port": [2], "command": "send", "text": "*100#"})
    assert balance["result"] == [{"port": 2, "status": 200}]
    await idle(fast_sim)
    text = (await api.get(REPLY, port="2"))["reply"][0]["text"]
    assert text.startswith("Your balance is ")
    assert "valid until" in text
    # A code that never answers; cancel ends nothing and needs no text.
    fast_sim.set_ussd_reply("*999#", None)
    assert (await api.post(USSD, {"port": [2], "text": "*999#"}))["error_code"] == 202
    await idle(fast_sim)
    assert (await api.get(REPLY, port="2"))["reply"][0]["text"] == ""
    cancel = await api.post(USSD, {"port": [2, 3], "command": "cancel"})
    assert cancel["result"] == [{"port": 2, "status": 200}, {"port": 3, "status": 503}]


async def test_ussd_busy_while_sending(
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    """A port sending an SMS answers 486."""
    sim = await gsm_simulator_factory(**{**FAST, "send_time": 30})
    sim.state.set_call_state(1, CallState.ACTIVE)
    async with aiohttp.ClientSession() as session:
        api = JsonClient(session, sim)
        await api.post(
            "/api/send_sms", {"text": "x", "port": [0], "param": [{"number": "1"}]}
        )
        data = await api.post(USSD, {"port": [0, 1], "text": "*100#"})
        assert [item["status"] for item in data["result"]] == [486, 486]


@pytest.mark.parametrize(
    "body",
    [
        {"text": "*100#"},
        {"port": [], "text": "*100#"},
        {"port": [0]},
        {"port": [0], "text": ""},
        {"port": [0], "text": "*" * 61},
        {"port": [0], "text": 100},
        {"port": [0], "text": "*100#", "command": "stop"},
        {"port": [0], "text": "*100#", "command": ["send"]},
        {"port": [40], "text": "*100#"},
        {"port": "0", "text": "*100#"},
    ],
)
async def test_ussd_bad_requests(api: JsonClient, body: dict[str, Any]) -> None:
    """Missing ports or text, over 60 bytes, unknown command: 400."""
    assert (await api.post(USSD, body))["error_code"] == 400


async def test_ussd_reply_bad_requests(api: JsonClient) -> None:
    """query_ussd_reply needs a port list."""
    assert (await api.get(REPLY))["error_code"] == 400
    assert (await api.get(REPLY, port="a"))["error_code"] == 400
    assert (await api.post(USSD, raw=b"nope"))["error_code"] == 400


# -------------------------------------------------------------------------- CDR
async def test_get_cdr(api: JsonClient, fast_sim: Simulator) -> None:
    """Answered and missed calls, by port and start time."""
    start = datetime(2015, 7, 21, 16, 35, 20, tzinfo=UTC)
    fast_sim.simulate_call(
        2, "1010", direction="outgoing", duration=3, ring_time=11, start=start
    )
    fast_sim.simulate_call(4, "+447700900002", answered=False, push=False)
    data = await api.post(CDR, {"port": [2, 3]})
    assert data == {
        "error_code": 200,
        "sn": fast_sim.serial,
        "cdr": [
            {
                "port": 2,
                "start_date": "2015-07-21 16:35:20",
                "answer_date": "2015-07-21 16:35:31",
                "duration": 3,
                "source_number": "1000",
                "destination_number": "1010",
                "direction": "ip->gsm",
                "ip": "192.0.2.10",
                "codec": "G.711U",
                "hangup": "called",
                "gsm_code": 16,
                "bcch": "",
            }
        ],
    }
    everything = (await api.post(CDR, raw=b""))["cdr"]
    assert [(item["port"], item["answer_date"]) for item in everything][1] == (4, "")
    assert everything[1]["direction"] == "gsm->ip"
    recent = await api.post(CDR, {"time_after": "2020-01-01 00:00:00"})
    assert [item["port"] for item in recent["cdr"]] == [4]
    old = await api.post(CDR, {"time_before": "2020-01-01 00:00:00"})
    assert [item["port"] for item in old["cdr"]] == [2]
    for bad in ({"port": [99]}, {"time_after": "now"}):
        assert (await api.post(CDR, bad))["error_code"] == 400


# -------------------------------------------------------------------------- STK
async def test_stk(api: JsonClient, fast_sim: Simulator) -> None:
    """The menu tree over GetSTKView / STKGo / GetSTKCurrFrameIndex."""
    sim_card = fast_sim.state.port(0).sim
    assert sim_card is not None
    main = await api.get(VIEW, port="0")
    assert main == {
        "title": sim_card.operator,
        "text": "",
        "item": [
            {"item_id": 1, "item_string": "Balance"},
            {"item_id": 2, "item_string": "Top-up"},
            {"item_id": 3, "item_string": "Services"},
        ],
        "input_type": "1",
        "frame_id": main["frame_id"],
    }
    frame = (await api.get(FRAME, port="0"))["frame_id"]
    assert frame == main["frame_id"]
    assert await api.post(GO, {"port": 0, "item": 2}) == {"error_code": 200}
    assert await api.post(GO, {"port": 0, "item": 2}) == {"error_code": 500}  # busy
    await idle(fast_sim)
    assert (await api.get(FRAME, port="0"))["frame_id"] == frame + 1
    topup = await api.get(VIEW, port="0")
    assert (topup["input_type"], "item" in topup) == ("8", False)
    assert await api.post(GO, {"port": 0, "action": "ok", "param": 123456789012}) == {
        "error_code": 200
    }
    await idle(fast_sim)
    result = await api.get(VIEW, port="0")
    assert result["input_type"] == "0"
    assert result["text"].startswith("Voucher accepted")
    assert await api.post(GO, {"port": 0, "action": "OK"}) == {"error_code": 200}
    await idle(fast_sim)
    assert (await api.get(VIEW, port="0"))["input_type"] == "1"
    await api.post(GO, {"port": 0, "item": 3})
    await idle(fast_sim)
    services = await api.get(VIEW, port="0")
    assert services["input_type"] == "2"
    assert len(services["item"]) == 2
    await api.post(GO, {"port": 0, "action": "candle"})  # the v1.0 spelling
    await idle(fast_sim)
    assert (await api.get(VIEW, port="0"))["input_type"] == "1"
    await api.post(GO, {"port": 0, "item": 3})
    await idle(fast_sim)
    await api.post(GO, {"port": 0, "action": "home", "item": 1})
    await idle(fast_sim)
    assert (await api.get(VIEW, port="0"))["input_type"] == "1"
    assert await api.post(GO, {"port": 0, "item": 7}) == {"error_code": 500}
    assert await api.post(GO, {"port": 0, "action": "ok"}) == {"error_code": 500}


async def test_stk_locked_and_bad_requests(
    api: JsonClient, fast_sim: Simulator
) -> None:
    """A port without SIM shows input_type 12; bad ports and bodies are 400."""
    locked = await api.get(VIEW, port="3")
    assert (locked["input_type"], locked["title"], "item" in locked) == (
        "12",
        "",
        False,
    )
    assert await api.post(GO, {"port": 3, "action": "home"}) == {"error_code": 500}
    fast_sim.set_registration(1, RegState.POWER_OFF)
    assert (await api.get(VIEW, port="1"))["input_type"] == "12"
    for params in ({}, {"port": "x"}, {"port": "8"}):
        assert await api.get(VIEW, **params) == {"error_code": 400}
        assert await api.get(FRAME, **params) == {"error_code": 400}
    for body in (
        {"item": 1},
        {"port": "0", "item": 1},
        {"port": 8, "item": 1},
        {"port": 0},
        {"port": 0, "action": "back"},
        {"port": 0, "action": 1},
        {"port": 0, "item": "1"},
        {"port": 0, "action": "ok", "param": ["1"]},
        {"port": 0, "action": "ok", "param": True},
    ):
        assert await api.post(GO, body) == {"error_code": 400}, body
    assert await api.post(GO, raw=b"") == {"error_code": 400}
