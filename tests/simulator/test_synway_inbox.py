"""Synway inbox and deletion: ``queryrxsms`` rows, windows, options, ``deletesms``."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from .conftest import Control
from .synway_support import MOMENT, QUERY, TASK, freeze, rows, settle, start_synway

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.pytest_plugin import SimulatorFactory
    from gsm_simulator.server import Simulator

SECOND = timedelta(seconds=1)
MIXED = "a:b;c|d.e\nline 2 — Привет 你好 😀 |E"
"""Every separator of the rows, a newline, other scripts."""


def fill_inbox(sim: Simulator) -> None:
    """Five messages; one arrives late with an older time stamp."""
    sim.state.set_number(0, "152555588888")
    sim.state.set_number(1, "")
    sim.receive_sms(0, "10086", "Hello world!", MOMENT)
    sim.receive_sms(1, "10086", MIXED, MOMENT + SECOND)
    sim.receive_sms(0, "10010", "same second", MOMENT + SECOND)
    sim.receive_sms(0, "10086", "late", MOMENT + 10 * SECOND)
    sim.receive_sms(1, "10000", "older", MOMENT - 5 * SECOND)


async def test_inbox_rows_order_and_windows(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Rows by time (same second: arrival order), texts verbatim, inclusive windows."""
    sim, api = await start_synway(gsm_simulator_factory, session, ports=2, slots=2)
    assert await api.content("queryrxsms") == "total:0"
    fill_inbox(sim)
    expected = [
        "20150911111106:2(A)(-1):10000:older|E",
        "20150911111111:1(A)(152555588888):10086:Hello world!|E",
        f"20150911111112:2(A)(-1):10086:{MIXED}|E",
        "20150911111112:1(A)(152555588888):10010:same second|E",
        "20150911111121:1(A)(152555588888):10086:late|E",
    ]
    content = await api.content("queryrxsms")
    assert content == "total:5;" + ";".join(expected)
    window = {"begintime": "20150911111112", "endtime": "20150911111112"}
    assert await api.content("queryrxsms", **window) == "total:2;" + ";".join(
        expected[2:4]
    )
    assert (
        rows(await api.content("queryrxsms", begintime="20150911111112"))
        == (expected[2:])
    )
    assert (
        rows(await api.content("queryrxsms", endtime="20150911111111"))
        == (expected[:2])
    )
    assert rows(await api.content("queryrxsms", num="10086")) == [
        expected[1],
        expected[2],
        expected[4],
    ]
    assert rows(await api.content("queryrxsms", port="2", num="10086,10000")) == (
        expected[:1] + expected[2:3]
    )
    assert await api.content("queryrxsms", port="1.B") == "total:0"
    card = sim.state.insert_sim(0, 1)
    card.number = "13800000000"
    sim.state.set_active_slot(0, 1)
    sim.receive_sms(0, "10086", "on slot B", MOMENT + 20 * SECOND)
    slot_b = "20150911111131:1(B)(13800000000):10086:on slot B|E"
    assert rows(await api.content("queryrxsms", port="1.B")) == [slot_b]
    assert len(rows(await api.content("queryrxsms", port="1.A"))) == 3
    assert await api.error(QUERY, "queryrxsms", begintime="2015-09-11") == (
        "invalid time"
    )


async def test_query_and_delete(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """``delete`` 1 removes what the query returned, from the shared inbox too."""
    sim, api = await start_synway(gsm_simulator_factory, session, ports=2)
    fill_inbox(sim)
    kept = await api.content("queryrxsms", num="10010", delete="0")
    taken = await api.content("queryrxsms", num="10010", Delete="1")
    assert (
        kept
        == taken
        == "total:1;20150911111112:1(-1)(152555588888):10010:same second|E"
    )
    assert await api.content("queryrxsms", num="10010") == "total:0"
    assert [sms.number for sms in sim.state.inbox] == [
        "10086",
        "10086",
        "10086",
        "10000",
    ]
    assert await api.error(QUERY, "queryrxsms", delete="maybe") == "invalid parameter"
    assert len(sim.state.inbox) == 4


async def test_scts_option_and_the_control_api(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """``inbox_scts`` adds the centre's time stamp; the panel's SMS show up."""
    sim, api = await start_synway(
        gsm_simulator_factory,
        session,
        ports=2,
        dialect_options={"inbox_scts": "1", "first_port": "0"},
    )
    freeze(sim)
    control = Control(session, sim)
    state = await control.ok("GET", "/state")
    assert (state["dialect"], state["ports"][0]["port"]) == ("synway", 0)
    async with session.get(f"{sim.url}/sim/") as panel:
        assert panel.status == 200
    answer = await control.ok(
        "POST", "/sms", {"port": 1, "sender": "10086", "text": "This is a test message"}
    )
    assert answer == {"message_id": 1}
    own = sim.state.port(1).sim
    assert own is not None
    own_number = own.number or "-1"
    assert await api.content("queryrxsms") == (
        f"total:1;20150911111111:1(-1)({own_number}):10086:"
        "20150911111111|:This is a test message|E"
    )


async def test_deletesms_filters_and_boxes(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Inbox ``r``, outbox ``s`` or both; the filters (``clear`` 1) or all (2)."""
    sim, api = await start_synway(gsm_simulator_factory, session, ports=2, slots=2)
    fill_inbox(sim)
    freeze(sim)
    await api.handle("txsms", num="10086,10087", port="1,2", smsinfo="out")
    await settle(sim)
    assert rows(await api.content("querysxsms")) == [
        "20150911111111:1(A)(152555588888):10086:2:out:|E",
        "20150911111111:2(A)(-1):10087:2:out:|E",
    ]
    window = {"begintime": "20150911111111", "endtime": "20150911111112"}
    assert (
        await api.handle(
            "deletesms", port="1,2", phonenum="10086", smsbox="r", clear="1", **window
        )
        == "total:2"
    )
    assert [sms.text for sms in sim.state.inbox] == ["same second", "late", "older"]
    assert (
        await api.handle("deletesms", port="1.B,2.A", smsbox="r", clear="1")
        == "total:1"
    )
    assert [sms.text for sms in sim.state.inbox] == ["same second", "late"]
    assert (
        await api.handle("deletesms", phonenum="10087", smsbox="s", clear="1")
        == "total:1"
    )
    assert rows(await api.content("querysxsms")) == [
        "20150911111111:1(A)(152555588888):10086:2:out:|E"
    ]
    assert (
        await api.handle("deletesms", phonenum="10086", smsbox="r, S", clear="1")
        == "total:2"
    )
    # clear 2 ignores the filters: the message left is on port 1
    assert await api.handle("DeleteSMS", PORT="2", SMSBOX="r", CLEAR="2") == "total:1"
    assert sim.state.inbox == []
    assert await api.content("querysxsms") == "total:0"
    for fields, reason in (
        ({"clear": "1"}, "invalid smsbox"),
        ({"smsbox": "x", "clear": "1"}, "invalid smsbox"),
        ({"smsbox": "1", "clear": "2"}, "invalid smsbox"),
        ({"smsbox": "r"}, "invalid clear"),
        ({"smsbox": "r", "clear": "3"}, "invalid clear"),
        ({"smsbox": "r", "clear": "1", "endtime": "yesterday"}, "invalid time"),
        ({"smsbox": "s", "clear": "1", "port": "3"}, "invalid port"),
    ):
        assert await api.error(TASK, "deletesms", **fields) == reason, fields
