"""Ejoin task control (pause, resume, remove), the queue query, delivery reports."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from .ejoin_support import pushes, settle, start_ejoin, wait_pushes

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.push import PushReceiver
    from gsm_simulator.pytest_plugin import SimulatorFactory
    from gsm_simulator.server import Simulator

TASKS = "/goip_get_tasks.html"
OK_TEXT = "0 OK"


def sent_numbers(sim: Simulator) -> list[str]:
    """Numbers of the messages that went out, in order."""
    return [r.number for r in sim.state.outbox.results if r.status.value != "sending"]


async def test_pause_resume_remove_and_the_queue(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Paused tasks wait, removed ones never go; goip_get_tasks lists a port's queue."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=8, send_time=0.3)
    answer = await api.send(
        {"tid": 1, "to": "1", "sms": "a", "from": "1"},
        {"tid": 2, "to": "2,3", "sms": "b", "from": "1"},
        {"tid": 3, "to": "4", "sms": "c", "from": "1", "chs": "utf8", "coding": 2},
        sr_prd=0.05,
    )
    assert [item["status"] for item in answer["status"]] == [OK_TEXT] * 3
    queue = await api.get(TASKS, port="1", pos="0", has_content="1")
    assert queue == {
        "code": 200,
        "reason": "OK",
        "total_num": 2,
        "task_num": 2,
        "tasks": [
            {"tid": 2, "state": 0, "from": "1", "to": "2,3", "chs": "utf8", "coding": 0, "sms": "b"},
            {"tid": 3, "state": 0, "from": "1", "to": "4", "chs": "utf8", "coding": 2, "sms": "c"},
        ],
    }  # fmt: skip
    assert await api.post("/goip_pause_sms.html", {"tids": [2, 99, "x"]}) == {
        "code": 200,
        "reason": "OK",
        "results": [
            {"tid": 2, "status": OK_TEXT},
            {"tid": 99, "status": "11 TID Expected"},
            {"tid": "x", "status": "11 TID Expected"},
        ],
    }
    page = await api.get(TASKS, Port="1", Pos="1", Num="1")
    assert (page["total_num"], page["task_num"]) == (2, 1)
    assert page["tasks"][0]["tid"] == 3
    assert "sms" not in page["tasks"][0]
    first = (await api.get(TASKS, port="1"))["tasks"][0]
    assert (first["tid"], first["state"]) == (2, 1)
    removed = await api.post("/goip_remove_sms.html", {"tids": "3"})
    assert removed["results"] == [{"tid": 3, "status": OK_TEXT}]
    await settle(sim)  # nothing more to do: tid 2 is paused, tid 3 removed
    assert sent_numbers(sim) == ["1"]
    assert (await api.get(TASKS, port="1"))["total_num"] == 1
    sim.timings.send_time = 0.01
    assert await api.post("/goip_resume_sms.html") == {"code": 200, "reason": "OK"}
    await settle(sim)
    assert sorted(sent_numbers(sim)) == ["1", "2", "3"]
    again = await api.post("/goip_remove_sms.html", {"tids": [3]})
    assert again["results"] == [{"tid": 3, "status": "11 TID Expected"}]
    assert await api.post("/goip_pause_sms.html", {}) == {"code": 200, "reason": "OK"}
    assert await api.post("/goip_remove_sms.html") == {"code": 200, "reason": "OK"}
    invalid = {"code": 15, "reason": "Invalid CMD"}
    assert await api.post("/goip_pause_sms.html", raw=b"[") == invalid
    assert await api.post("/goip_resume_sms.html", {"tids": 5}) == invalid
    for query in ({}, {"port": "9"}, {"port": "x"}):
        assert await api.get(TASKS, **query) == {"code": 2, "reason": "Invalid Port"}
    for query in ({"pos": "-1"}, {"num": "x"}, {"has_content": "yes"}):
        assert await api.get(TASKS, port="1", **query) == invalid


async def test_too_many_tasks(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Beyond the task_limit option unfinished tasks are refused with code 16."""
    sim, api = await start_ejoin(
        gsm_simulator_factory,
        session,
        ports=2,
        send_time=0.2,
        dialect_options={"task_limit": "1"},
    )
    answer = await api.send(
        {"tid": 1, "to": "1", "sms": "a"},
        {"tid": 2, "to": "2", "sms": "b"},
        sr_prd=0.05,
    )
    assert [item["status"] for item in answer["status"]] == [
        OK_TEXT,
        "16 Too Many Task",
    ]
    await settle(sim)
    answer = await api.send({"tid": 2, "to": "2", "sms": "b"}, sr_prd=0.05)
    assert answer["status"] == [{"tid": 2, "status": OK_TEXT}]
    await settle(sim)


async def test_delivery_reports_as_recv_sms_rows(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    push_receiver: PushReceiver,
) -> None:
    """dr=1: one report row per message (flag 1, from the SMSC), pushed and stored."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=2)
    sim.fail_delivery(number="22", status_code=64)
    long_text = "x" * 200  # two segments, one report row
    await api.send(
        {"tid": 1, "to": "11", "sms": long_text, "dr": 1, "from": "1"},
        {"tid": 2, "to": "22", "sms": "b", "dr": "1", "from": "1"},
        {"tid": 3, "to": "33", "sms": "c", "from": "1"},
        sms_url=push_receiver.url,
        sr_prd=0.05,
    )
    await wait_pushes(push_receiver, "recv-sms", 2)
    await settle(sim)
    rows = [row for push in pushes(push_receiver, "recv-sms") for row in push["sms"]]
    card = sim.state.port(0).sim
    assert card is not None
    assert [(row[0], row[1], row[3], row[4]) for row in rows] == [
        (1, "1.01", card.smsc, "11"),
        (1, "1.01", card.smsc, "22"),
    ]
    assert re.fullmatch(r"0 \d\d/\d\d/\d\d,\d\d:\d\d:\d\d\+00", rows[0][5])
    assert rows[1][5].startswith("64 ")
    stored = await api.get("/goip_get_sms.html")
    assert stored["data"] == rows
    assert len(sim.state.outbox.reports) == 3  # per segment in the shared model
    dialect: Any = sim.dialect
    assert dialect.sms_url == push_receiver.url
