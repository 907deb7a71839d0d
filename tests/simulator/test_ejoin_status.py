"""Ejoin status: ``goip_get_status`` as in spec 5.4.1, its pushes, port-status on change."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gsm_simulator.ejoin import PortState

from .conftest import Control
from .ejoin_support import pushes, settle, start_ejoin, wait_pushes

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.push import PushReceiver
    from gsm_simulator.pytest_plugin import SimulatorFactory

STATUS = "/goip_get_status.html"
DEV_KEYS = [
    "type",
    "seq",
    "expires",
    "mac",
    "ip",
    "ver",
    "max-ports",
    "max-slot",
    "status",
]
ENTRY_KEYS = [
    "port", "sim", "seq", "st", "imei", "iccid", "imsi", "sn", "opr", "bal", "sig",
    "tot_dur", "mon_dur", "day_dur",
]  # fmt: skip
PORT_KEYS = [
    "type",
    "port",
    "seq",
    "st",
    "bal",
    "opr",
    "sn",
    "imei",
    "imsi",
    "iccid",
    "sig",
]


async def test_dev_status_as_the_spec_example(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Keys in the example's order, one item per port's SIM in use, seq counting up."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=8)
    answer = await api.get(STATUS)
    assert list(answer) == DEV_KEYS
    assert answer["type"] == "dev-status"
    assert (answer["seq"], answer["expires"], answer["ip"]) == (1, 180, "127.0.0.1")
    assert re.fullmatch(r"00-30-f1(-[0-9a-f]{2}){3}", answer["mac"])
    assert answer["ver"] == "532-604-924-041-100-000"
    assert (answer["max-ports"], answer["max-slot"]) == (8, 1)
    first = answer["status"][0]
    assert list(first) == ENTRY_KEYS
    port = sim.state.port(0)
    card = port.sim
    assert card is not None
    assert first == {
        "port": "1.01",
        "sim": "",
        "seq": 0,
        "st": 3,
        "imei": port.imei,
        "iccid": card.iccid,
        "imsi": card.imsi,
        "sn": card.number,
        "opr": f"{card.imsi[:5]} {card.operator}",
        "bal": f"{card.balance:.2f}",
        "sig": port.signal,
        "tot_dur": "0/-1",
        "mon_dur": "0/-1",
        "day_dur": "0/-1",
    }
    # Port 4 has no SIM, port 7 keeps searching.
    assert [item["st"] for item in answer["status"]] == [3, 3, 3, 0, 3, 3, 2, 3]
    assert [item["port"] for item in answer["status"]][3] == "4.01"
    empty = answer["status"][3]
    assert (empty["iccid"], empty["imsi"], empty["opr"], empty["bal"]) == (
        "",
        "",
        "",
        "0.00",
    )
    assert empty["sig"] == 0
    assert answer["status"][6]["opr"] == ""
    # Answered calls count in minutes, each rounded up.
    sim.simulate_call(0, "+447700900001", duration=61)
    sim.simulate_call(0, "+447700900002", answered=False)
    again = await api.get(STATUS)
    assert again["seq"] == 2
    assert again["status"][0]["tot_dur"] == "2/-1"
    assert again["status"][0]["mon_dur"] == "2/-1"
    assert again["status"][0]["day_dur"] == "2/-1"


async def test_st_codes_of_the_shared_states(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Every registration state, balance and lock as its st code."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=1)
    state = sim.state

    async def st() -> int:
        return int((await api.get(STATUS))["status"][0]["st"])

    assert await st() == PortState.REGISTERED
    for registration, code in (
        ("searching", 2),
        ("not_registered", 6),
        ("denied", 6),
        ("pin_required", 12),
        ("puk_required", 8),
        ("unknown", 11),
        ("power_off", 1),
        ("registered", 3),
    ):
        state.set_registration(0, registration)
        assert await st() == code, registration
    state.set_balance(0, 0)
    assert await st() == 5
    status = await api.get(STATUS)
    assert status["status"][0]["opr"] != ""  # still on the network
    state.set_blocked(0, blocked=True)
    assert await st() == 7
    state.set_blocked(0, blocked=False)
    state.remove_sim(0)
    assert await st() == 0
    state.insert_sim(0)
    state.set_registration(0, "no_sim")  # forced while a SIM sits there
    assert await st() == 0


async def test_all_sims_letters_and_text_codes(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """all_sims=1 lists every slot; options spell slots as letters and st as text."""
    sim, api = await start_ejoin(
        gsm_simulator_factory,
        session,
        ports=2,
        slots=4,
        dialect_options={"slot_style": "letter", "status_text": "yes"},
    )
    state = sim.state
    state.insert_sim(0, slot=1)
    state.remove_sim(0, slot=2)
    answer = await api.get(STATUS, all_sims="1")
    assert answer["max-slot"] == 4
    labels = [item["port"] for item in answer["status"]]
    assert labels == ["1A", "1B", "1C", "1D", "2A", "2B", "2C", "2D"]
    first, idle, empty = answer["status"][:3]
    assert (first["st"], idle["st"], empty["st"]) == ("3 OK", "1 Idle SIM", "0 No SIM")
    card = state.port(0).slots[1]
    assert card is not None
    assert (idle["iccid"], idle["imsi"], idle["sn"]) == (
        card.iccid,
        card.imsi,
        card.number,
    )
    assert (idle["opr"], idle["sig"], idle["tot_dur"]) == ("", 99, "0/-1")
    assert idle["bal"] == f"{card.balance:.2f}"
    assert (
        len((await api.get(STATUS))["status"]) == 2
    )  # without all_sims: the active SIMs
    state.power(1, on=False)
    off = (await api.get(STATUS))["status"][1]
    assert (off["st"], off["iccid"], off["imsi"]) == ("1 Idle SIM", "", "")


async def test_registered_url_gets_dev_status_every_period(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    push_receiver: PushReceiver,
) -> None:
    """url + period register the periodic push; 0 stops it; the URL stays."""
    sim, api = await start_ejoin(
        gsm_simulator_factory, session, ports=2, dialect_options={"min_period": 0.05}
    )
    answer = await api.get(STATUS, url=push_receiver.url, period="0.01", all_sims="1")
    assert answer["expires"] == 0.05  # raised to the minimum
    assert sim.push_url == push_receiver.url
    found = await wait_pushes(push_receiver, "dev-status", 2)
    assert [push["seq"] for push in found[:2]] == [2, 3]
    assert list(found[0]) == DEV_KEYS
    assert len(found[0]["status"]) == 2  # all_sims of the registration (1 slot each)
    assert push_receiver.received[0].headers["Content-Type"] == (
        "application/json;charset=utf-8"
    )
    stopped = await api.get(STATUS, period="0")
    assert stopped["expires"] == 180
    assert not sim.push_schedule.active
    assert sim.push_url == push_receiver.url  # events still go there
    again = await api.get(STATUS, period="0.2")
    assert again["expires"] == 0.2
    assert sim.push_schedule.active
    for bad in ({"period": "soon"}, {"period": "-5"}, {"all_sims": "2"}):
        assert await api.get(STATUS, **bad) == {"code": 15, "reason": "Invalid CMD"}


async def test_default_and_minimum_period(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    push_receiver: PushReceiver,
) -> None:
    """Without a period a URL gets 60 s; a shorter period is raised to 60 s."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=1)
    assert (await api.get(STATUS, url=push_receiver.url))["expires"] == 60
    assert sim.push_schedule.period == 60
    assert (await api.get(STATUS, Url=push_receiver.url, Period="5"))["expires"] == 60
    assert (await api.get(STATUS, period="120"))["expires"] == 120
    assert sim.push_url == push_receiver.url


async def test_port_status_on_every_change(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    push_receiver: PushReceiver,
) -> None:
    """Registration, SIM out and in, balance, lock and a big signal move push port-status."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=4)
    await api.get(STATUS, url=push_receiver.url, period="0")
    state = sim.state
    state.set_registration(0, "denied")
    found = await wait_pushes(push_receiver, "port-status", 1)
    assert list(found[0]) == PORT_KEYS
    port = state.port(0)
    card = port.sim
    assert card is not None
    assert found[0] == {
        "type": "port-status",
        "port": "1.01",
        "seq": 1,
        "st": "6 Register Failed",
        "bal": f"{card.balance:.2f}",
        "opr": "",
        "sn": card.number,
        "imei": port.imei,
        "imsi": card.imsi,
        "iccid": card.iccid,
        "sig": port.signal,
    }
    state.set_registration(0, "denied")  # no change: no push
    state.remove_sim(1)
    state.insert_sim(1)
    state.set_balance(2, 0)
    state.set_blocked(2, blocked=True)
    state.set_signal(
        0, port.signal + 1 if port.signal < 31 else 30
    )  # below the threshold
    state.set_signal(1, 2)
    await settle(sim)
    found = pushes(push_receiver, "port-status")
    assert [(push["port"], push["seq"], push["st"]) for push in found] == [
        ("1.01", 1, "6 Register Failed"),
        ("2.01", 1, "0 No SIM"),
        ("2.01", 2, "3 OK"),
        ("3.01", 1, "5 No Balance"),
        ("3.01", 2, "7 Locked by Device"),
        ("2.01", 3, "3 OK"),
    ]
    assert found[1]["sig"] == 0
    assert found[-1]["sig"] == 2
    status = await api.get(STATUS)
    assert [item["seq"] for item in status["status"]] == [1, 3, 2, 0]


async def test_control_api_speaks_ejoin_numbering(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    push_receiver: PushReceiver,
) -> None:
    """/sim/api/ports/1 is the first port; an SMS sent there is pushed from 1.01."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=2)
    await api.get(STATUS, url=push_receiver.url, period="0")
    control = Control(session, sim)
    first = await control.ok("GET", "/ports/1")
    assert (first["port"], first["label"], first["active_slot"]) == (1, "Port 1", 1)
    status, _ = await control.call("GET", "/ports/0")
    assert status == 404
    state = await control.ok("GET", "/state")
    assert (state["dialect"], [port["port"] for port in state["ports"]]) == (
        "ejoin",
        [1, 2],
    )
    assert await control.ok(
        "POST", "/sms", {"port": 2, "sender": "555", "text": "hi"}
    ) == {"message_id": 1}
    changed = await control.ok("POST", "/ports/1", {"registration": "searching"})
    assert changed["registration"] == "searching"
    received = await wait_pushes(push_receiver, "recv-sms", 1)
    assert received[0]["sms"][0][:2] == [0, "2.01"]
    statuses = await wait_pushes(push_receiver, "port-status", 1)
    assert (statuses[0]["port"], statuses[0]["st"]) == ("1.01", "2 Registering")
