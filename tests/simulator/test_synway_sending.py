"""Synway sending: ``txsms`` tasks, their progress, limits, receipts and the outbox."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from gsm_simulator.messaging import Encoding
from gsm_simulator.synway import SynwayDialect

from .conftest import Control
from .synway_support import (
    MOMENT,
    QUERY,
    TASK,
    freeze,
    rows,
    settle,
    start_synway,
    until,
)

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.pytest_plugin import SimulatorFactory

    from .synway_support import SynwayApi


async def test_tasks_progress_from_wait_to_success(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Each number is a message of the model; waiting, sending, then successful."""
    sim, api = await start_synway(
        gsm_simulator_factory, session, ports=4, send_time=0.3
    )
    first = await api.post(
        TASK,
        {
            "Event": "txsms",
            "UserID": "3",
            "NUM": "10086,10087, 10088",
            "port": "1,2,3",
            "Encoding": "0",
            "SmsInfo": "hello world!",
        },
    )
    assert first == {"result": "ok", "content": "taskid:0"}
    assert await api.handle("txsms", num="10089,10090", port=1, smsinfo="again") == (
        "taskid:1"
    )
    assert await api.content("querytxsms", taskid="0,1") == (
        "[taskid:0:3:3;1:10086:2;2:10087:2;3:10088:2],[taskid:1:2;1:10089:1;1:10090:1]"
    )
    assert [
        (task.task_id, len(task.messages)) for task in sim.state.outbox.tasks.values()
    ] == [
        (1, 3),
        (2, 2),
    ]
    await settle(sim)
    assert await api.content("querytxsms", taskid="1,0,1") == (
        "[taskid:1:2;1:10089:3;1:10090:3],[taskid:0:3:3;1:10086:3;2:10087:3;3:10088:3]"
    )
    assert await api.content("querytxsms", taskid="0", num="10086", port="1") == (
        "[taskid:0:1:3;1:10086:3]"
    )
    assert await api.content(
        "querytxsms", taskid="0", port="2,3", num="10087,10088"
    ) == ("[taskid:0:2:3;2:10087:3;3:10088:3]")
    assert await api.content("querytxsms", taskid="0", num="99") == "[taskid:0:0:3]"
    assert [(r.number, r.text, r.status) for r in sim.state.outbox.results][:3] == [
        ("10086", "hello world!", "delivered"),
        ("10087", "hello world!", "delivered"),
        ("10088", "hello world!", "delivered"),
    ]
    assert await api.content("querytxsms", taskid="0,7") == (
        "[taskid:0:3:3;1:10086:3;2:10087:3;3:10088:3]"
    )
    for fields in ({}, {"taskid": "x"}, {"taskid": "1,-2"}, {"taskid": " "}):
        assert await api.error(QUERY, "querytxsms", **fields) == "invalid taskid"
    assert await api.error(QUERY, "querytxsms", taskid="7") == "no such task"
    sim.reboot(0)
    assert await api.error(QUERY, "querytxsms", taskid="0") == "no such task"
    assert await api.handle("txsms", num="1", smsinfo="after the reboot") == "taskid:0"
    await settle(sim)


async def test_failed_and_timed_out_destinations(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """A port that leaves the network fails its messages; no port at all times out."""
    sim, api = await start_synway(
        gsm_simulator_factory,
        session,
        ports=2,
        send_time=0.3,
        dialect_options={"send_timeout": "0.5"},
    )
    control = Control(session, sim)
    assert await api.handle("txsms", num="10086,10087", port="1", smsinfo="x") == (
        "taskid:0"
    )
    await control.ok("POST", "/ports/1", {"registration": "not_registered"})
    await settle(sim)
    assert await api.content("querytxsms", taskid="0") == (
        "[taskid:0:2;1:10086:4;1:10087:4]"
    )
    # no port can send: the numbers wait, then time out
    assert await api.handle("txsms", num="10088", port="1", smsinfo="y") == "taskid:1"
    assert await api.content("querytxsms", taskid="1") == "[taskid:1:1;-1:10088:1]"
    assert await api.content("querytxsms", taskid="1", port="1") == "[taskid:1:0]"
    await settle(sim)
    assert await api.content("querytxsms", taskid="1") == "[taskid:1:1;-1:10088:5]"
    # a port that comes back in time takes the waiting numbers
    await control.ok("POST", "/ports/2", {"power": False})
    assert await api.handle("txsms", num="10089", smsinfo="z") == "taskid:2"
    await control.ok("POST", "/ports/2", {"power": True})
    await settle(sim)
    assert await api.content("querytxsms", taskid="2") == "[taskid:2:1;2:10089:3]"
    assert await api.content("querytxsms", taskid="1") == "[taskid:1:1;-1:10088:5]"


async def test_txsms_limits(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """50 numbers, 600 septets of 7-bit and 300 units of UCS-2 at most."""
    sim, api = await start_synway(gsm_simulator_factory, session, ports=2)
    fifty = ",".join(str(10000 + n) for n in range(50))
    assert await api.handle("txsms", num=fifty, smsinfo="hi") == "taskid:0"
    assert await api.handle("txsms", num="1", encoding="0", smsinfo="a" * 600) == (
        "taskid:1"
    )
    assert await api.handle("txsms", num="+2", encoding=8, smsinfo="你" * 300) == (
        "taskid:2"
    )
    dialect = sim.dialect
    assert isinstance(dialect, SynwayDialect)
    encodings = [task.encoding for task in dialect.tasks.tasks.values()]
    assert encodings == [Encoding.GSM7, Encoding.GSM7, Encoding.UCS2]
    for fields, reason in (
        ({"num": fifty + ",10050", "smsinfo": "hi"}, "too many numbers"),
        ({"smsinfo": "hi"}, "invalid num"),
        ({"num": " , ", "smsinfo": "hi"}, "invalid num"),
        ({"num": "100a", "smsinfo": "hi"}, "invalid num"),
        ({"num": "1", "encoding": "0", "smsinfo": "a" * 601}, "smsinfo too long"),
        ({"num": "1", "smsinfo": "a" * 599 + "|"}, "smsinfo too long"),
        ({"num": "1", "encoding": "8", "smsinfo": "你" * 301}, "smsinfo too long"),
        (
            {"num": "1", "encoding": "8", "smsinfo": "你" * 299 + "😀"},
            "smsinfo too long",
        ),
        ({"num": "1", "encoding": "7", "smsinfo": "hi"}, "invalid encoding"),
        ({"num": "1", "encoding": [8], "smsinfo": "hi"}, "invalid encoding"),
        ({"num": "1"}, "no smsinfo"),
        ({"num": "1", "smsinfo": ""}, "no smsinfo"),
        ({"num": "1", "smsinfo": ["hi"]}, "no smsinfo"),
        ({"num": "1", "port": "3", "smsinfo": "hi"}, "invalid port"),
        ({"num": "1", "port": "1,x", "smsinfo": "hi"}, "invalid port"),
    ):
        assert await api.error(TASK, "txsms", **fields) == reason, fields
    assert len(dialect.tasks.tasks) == 3
    await settle(sim)


async def _wait_state(api: SynwayApi, task: int, expected: str) -> None:
    async def done() -> bool:
        return await api.content("querytxsms", taskid=str(task)) == expected

    await until(done)


async def test_delivery_receipts(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """``OK`` once the receipt arrived; ``no report`` before; ``undelivered`` if refused."""
    sim, api = await start_synway(
        gsm_simulator_factory, session, ports=2, delivery_delay=0.4
    )
    receipt = {"port": "1", "num": "10086"}
    assert await api.error(QUERY, "querytxsmsrpt", **receipt) == "no sms"
    await api.handle("txsms", num="10086", port="1", smsinfo="a")
    await _wait_state(api, 0, "[taskid:0:1;1:10086:3]")
    assert await api.error(QUERY, "querytxsmsrpt", **receipt) == "no report"
    await settle(sim)
    assert await api.post(
        QUERY, {"EVENT": "querytxsmsrpt", "Port": 1, "Num": "10086"}
    ) == {
        "result": "ok",
        "content": "OK",
    }
    sim.fail_delivery(number="10087")
    await api.handle("txsms", num="10087", port="1", smsinfo="b")
    await settle(sim)
    refused = {"port": "1", "num": "10087"}
    assert await api.error(QUERY, "querytxsmsrpt", **refused) == "undelivered"
    await api.handle("txsms", num="10087", port="1", smsinfo="c")
    await settle(sim)
    assert await api.content("querytxsmsrpt", **refused) == "OK"
    assert await api.error(QUERY, "querytxsmsrpt", **refused, rptnum="2") == (
        "undelivered"
    )
    assert await api.error(QUERY, "querytxsmsrpt", port="2", num="10087") == "no sms"
    for fields, reason in (
        ({"num": "10086"}, "invalid port"),
        ({"port": "1,2", "num": "10086"}, "invalid port"),
        ({"port": "-1", "num": "10086"}, "invalid port"),
        ({"port": "1"}, "invalid num"),
        ({"port": "1", "num": "10086,10087"}, "invalid num"),
        ({**receipt, "rptnum": "0"}, "invalid parameter"),
        ({**receipt, "rptnum": "x"}, "invalid parameter"),
    ):
        assert await api.error(QUERY, "querytxsmsrpt", **fields) == reason, fields


async def test_outbox_rows_and_filters(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Sent messages by time, with slot, SIM number, destination and source."""
    sim, api = await start_synway(gsm_simulator_factory, session, ports=2, slots=2)
    freeze(sim)
    sim.state.set_number(0, "15255558888")
    sim.state.set_number(1, "")
    await api.handle("txsms", num="10086", port="1", smsinfo="Hello: a;b|c.")
    await settle(sim)
    freeze(sim, MOMENT + timedelta(seconds=1))
    sim.state.outbox.submit([("10087", "from the web page", None)], ports=[1])
    sim.fail_sms(number="10088")
    await api.handle("txsms", num="10088", port="2", smsinfo="lost")
    await settle(sim)
    everything = rows(await api.content("querysxsms"))
    assert everything == [
        "20150911111111:1(A)(15255558888):10086:2:Hello: a;b|c.:|E",
        "20150911111112:2(A)(-1):10087:0:from the web page:|E",
    ]
    assert rows(await api.content("querysxsms", port="2")) == everything[1:]
    assert (
        rows(await api.content("querysxsms", port="1.A", num="10086")) == everything[:1]
    )
    assert await api.content("querysxsms", port="1.B") == "total:0"
    assert (
        rows(
            await api.content(
                "querysxsms", begintime="20150911111112", endtime="20150911111112"
            )
        )
        == everything[1:]
    )
    assert (
        rows(await api.content("querysxsms", endtime="20150911111111"))
        == everything[:1]
    )
    assert await api.content("querysxsms", begintime="20150911111113") == "total:0"
    for fields in ({"begintime": "2015091111111"}, {"endtime": "20151311111111"}):
        assert await api.error(QUERY, "querysxsms", **fields) == "invalid time"
    for port in ("1.E", "1.C", "3"):  # no such slot letter, slot, port
        assert await api.error(QUERY, "querysxsms", port=port) == "invalid port"
    assert await api.error(QUERY, "querysxsms", num=["1"]) == "invalid num"
