"""Ejoin sending: ``goip_post_sms``, task ids, status reports, delivery reports."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from gsm_simulator import PushReceiver

from .ejoin_support import pushes, settle, start_ejoin, wait_pushes

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.pytest_plugin import SimulatorFactory
    from gsm_simulator.server import Simulator

    from .ejoin_support import EjoinApi

SEND = "/goip_post_sms.html"


def statuses(answer: dict[str, Any]) -> list[tuple[Any, str]]:
    """(tid, status) of a task-status answer."""
    assert (answer["code"], answer["reason"], answer["type"]) == (
        200,
        "OK",
        "task-status",
    )
    return [(item["tid"], item["status"]) for item in answer["status"]]


async def started(
    factory: SimulatorFactory, session: aiohttp.ClientSession, **options: Any
) -> tuple[Simulator, EjoinApi]:
    return await start_ejoin(factory, session, ports=8, **options)


async def test_send_as_the_spec_example(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Spec 5.4.3: one task, one recipient, the answer word for word."""
    sim, api = await started(gsm_simulator_factory, session)
    body = {
        "type": "send-sms",
        "task_num": 1,
        "tasks": [{"tid": 1223, "to": "13686876620", "sms": "hello123"}],
        "sr_prd": 0.05,
    }
    assert await api.post(SEND, body) == {
        "code": 200,
        "reason": "OK",
        "type": "task-status",
        "status": [{"tid": 1223, "status": "0 OK"}],
    }
    await settle(sim)
    results = sim.state.outbox.results
    assert [(r.number, r.text, r.status.value) for r in results] == [
        ("13686876620", "hello123", "sent")
    ]


async def test_each_task_is_checked(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Refused tasks get their code; the others are accepted."""
    sim, api = await started(gsm_simulator_factory, session)
    text = "Grüße 😀"
    answer = await api.send(
        {"tid": 1, "to": "111,+222", "sms": "hi"},
        {"to": "1", "sms": "x"},
        {"tid": "abc", "to": "1", "sms": "x"},
        {"tid": 1, "to": "1", "sms": "x"},
        {"tid": 2, "sms": "x"},
        {"tid": 3, "to": "12a", "sms": "x"},
        {"tid": 4, "to": "1"},
        {"tid": 5, "to": "1", "sms": "%%%", "chs": "base64"},
        {"tid": 6, "to": "1", "sms": "x", "chs": "latin1"},
        {"tid": 7, "to": "1", "sms": "x", "from": "9"},
        {"tid": 8, "to": "1", "sms": "x", "from": "4"},  # the port without SIM
        {
            "tid": "9",
            "to": ["333", "444"],
            "sms": base64.b64encode(text.encode()).decode(),
            "chs": "base64",
        },
        {"tid": 10, "to": "555", "sms": "x", "from": 2, "coding": 1},
        {"tid": 11, "to": "666", "sms": "y", "from": "1.01", "coding": "2"},
        {"tid": 12, "to": "777", "sms": "z", "from": "1.02"},
        "not a task",
        sr_prd=0.05,
    )
    assert statuses(answer) == [
        (1, "0 OK"),
        (None, "11 TID Expected"),
        ("abc", "11 TID Expected"),
        (1, "13 Duplicated TaskId"),
        (2, "9 TO expected"),
        (3, "9 TO expected"),
        (4, "8 SMS expected"),
        (5, "8 SMS expected"),
        (6, "8 SMS expected"),
        (7, "2 Invalid Port"),
        (8, "5 SIM Unregistered"),
        ("9", "0 OK"),
        (10, "0 OK"),
        (11, "0 OK"),
        (12, "2 Invalid Port"),  # a single-SIM unit has no slot 2
        (None, "11 TID Expected"),
    ]
    await settle(sim)
    sent = {(r.number, r.text, r.port) for r in sim.state.outbox.results}
    assert {(number, text) for number, text, _ in sent} == {
        ("111", "hi"),
        ("+222", "hi"),
        ("333", text),
        ("444", text),
        ("555", "x"),
        ("666", "y"),
    }
    assert ("555", "x", 1) in sent
    assert ("666", "y", 0) in sent
    tasks = sim.state.outbox.tasks
    assert [message.encoding.value for task in tasks.values() for message in task.messages] == [
        "gsm7", "gsm7", "ucs2", "ucs2", "ucs2", "gsm7",
    ]  # fmt: skip
    for bad in ({"tasks": "none"}, {}):
        assert await api.post(SEND, bad) == {"code": 15, "reason": "Invalid CMD"}
    assert await api.post(SEND, raw=b"[1]") == {"code": 15, "reason": "Invalid CMD"}


async def test_task_ids_never_repeat(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """A tid accepted once is refused ever after, across reboots; refused ones stay free."""
    sim, api = await started(gsm_simulator_factory, session)
    assert statuses(await api.send({"tid": 5, "to": "1", "sms": "a"})) == [(5, "0 OK")]
    assert statuses(await api.send({"tid": 6, "to": "1", "sms": "a", "from": "4"})) == [
        (6, "5 SIM Unregistered")
    ]
    sim.reboot()
    await settle(sim)
    assert statuses(
        await api.send(
            {"tid": 5, "to": "1", "sms": "a"}, {"tid": 6, "to": "1", "sms": "a"}
        )
    ) == [(5, "13 Duplicated TaskId"), (6, "0 OK")]


async def test_slot_spelling_and_multiple_ports(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """from takes ranges, lists and a SIM slot in either spelling; the ports share recipients."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=4, slots=2)
    answer = await api.send(
        {"tid": 1, "to": "1,2,3,4", "sms": "a", "from": "1-3"},
        {"tid": 2, "to": "5,6", "sms": "b", "from": "2, 3"},
        {"tid": 3, "to": "7", "sms": "c", "from": "1A"},
        {"tid": 4, "to": "8", "sms": "d", "from": "2B"},  # slot 2 is not in use
        sr_prd=0.05,
    )
    assert statuses(answer) == [
        (1, "0 OK"),
        (2, "0 OK"),
        (3, "0 OK"),
        (4, "5 SIM Unregistered"),
    ]
    await settle(sim)
    by_number = {r.number: r.port for r in sim.state.outbox.results}
    assert {by_number[number] for number in "1234"} == {0, 1, 2}
    assert {by_number["5"], by_number["6"]} == {1, 2}
    assert by_number["7"] == 0
    assert len(by_number) == 7


async def test_status_reports_by_count_and_period(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    push_receiver: PushReceiver,
) -> None:
    """sr_cnt results push at once; otherwise sr_prd after the first; one report per request."""
    sim, api = await started(gsm_simulator_factory, session, push_url=push_receiver.url)
    await api.send(
        {"tid": 1, "to": "11,12,13", "sms": "a", "sdr": 1, "fdr": 0},
        sr_cnt=3,
        sr_prd=60,
    )
    reports = await wait_pushes(push_receiver, "status-report", 1)
    assert (
        push_receiver.received[-1].headers["Content-Type"]
        == "application/json;charset=utf-8"
    )
    report = reports[0]
    assert (report["rpt_num"], len(report["rpts"])) == (1, 1)
    item = report["rpts"][0]
    assert list(item) == ["tid", "sending", "sent", "failed", "unsent", "sdr"]
    assert (
        item["tid"],
        item["sending"],
        item["sent"],
        item["failed"],
        item["unsent"],
    ) == (1, 0, 3, 0, 0)
    labels = {
        result.number: f"{result.port + 1}.01" for result in sim.state.outbox.results
    }
    assert sorted(item["sdr"]) == sorted(
        [index, number, labels[number], entry[3]]
        for index, number, entry in zip(
            range(3), ("11", "12", "13"), sorted(item["sdr"]), strict=True
        )
    )
    assert all(isinstance(entry[3], int) for entry in item["sdr"])
    # Two tasks of one request, reported together once sr_prd is over.
    await api.send(
        {"tid": 2, "to": "21", "sms": "b"},
        {"tid": 3, "to": "31", "sms": "c", "sr_prd": 0},
        sr_prd="0.3",
    )
    reports = await wait_pushes(push_receiver, "status-report", 2)
    assert [(rpt["tid"], rpt["sent"], rpt["fdr"]) for rpt in reports[1]["rpts"]] == [
        (2, 1, []),
        (3, 1, []),
    ]
    assert "sdr" not in reports[1]["rpts"][0]
    # A task's own sr_cnt reports each of its results at once.
    await api.send(
        {"tid": 4, "to": "41,42", "sms": "d", "sr_cnt": 1, "sdr": "1"}, sr_prd=60
    )
    reports = await wait_pushes(push_receiver, "status-report", 4)
    assert [len(report["rpts"][0]["sdr"]) for report in reports[2:]] == [1, 1]
    assert sorted(report["rpts"][0]["sent"] for report in reports[2:]) == [1, 2]
    await settle(sim)


async def test_failures_are_reported_in_fdr(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    push_receiver: PushReceiver,
) -> None:
    """A send the network refuses, and one whose port fell off the network."""
    sim, api = await started(gsm_simulator_factory, session, push_url=push_receiver.url)
    sim.fail_sms(number="13")
    await api.send({"tid": 1, "to": "11,13", "sms": "a", "from": "1", "sr_cnt": 2})
    report = (await wait_pushes(push_receiver, "status-report", 1))[0]["rpts"][0]
    assert (report["sent"], report["failed"]) == (1, 1)
    (failure,) = report["fdr"]
    assert failure[:3] == [1, "13", "1.01"]
    assert failure[4:] == ["21 Send Failed", "38 Network out of order"]
    sim.timings.send_time = 0.3
    await api.send({"tid": 2, "to": "21", "sms": "b", "from": "2", "sr_cnt": 1})
    sim.set_registration(1, "denied")
    report = (await wait_pushes(push_receiver, "status-report", 2))[1]["rpts"][0]
    assert report["fdr"][0][4:] == ["5 SIM Unregistered", ""]
    # A configured sr_url wins over the push URL, a request's sr_url over both.
    async with PushReceiver() as other, PushReceiver() as third:
        sim.timings.send_time = 0.01
        await api.post("/goip_send_cmd.html", {"type": "command", "op": "save"})
        dialect: Any = sim.dialect
        dialect.options = type(dialect.options).from_mapping({"sr_url": other.url})
        await api.send({"tid": 3, "to": "31", "sms": "c", "sr_cnt": 1})
        await api.send(
            {"tid": 4, "to": "41", "sms": "d", "sr_cnt": 1}, sr_url=third.url
        )
        await settle(sim)
        assert [rpt["rpts"][0]["tid"] for rpt in pushes(other, "status-report")] == [3]
        assert [rpt["rpts"][0]["tid"] for rpt in pushes(third, "status-report")] == [4]
