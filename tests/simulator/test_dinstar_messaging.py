"""Dinstar SMS endpoints over HTTP: send, results, delivery status, inbox, stop."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import aiohttp
import pytest

from .conftest import FAST, JsonClient

if TYPE_CHECKING:
    from gsm_simulator import Simulator
    from gsm_simulator.pytest_plugin import SimulatorFactory

SEND = "/api/send_sms"
RESULT = "/api/query_sms_result"
DELIVER = "/api/query_sms_deliver_status"
QUEUE = "/api/query_sms_in_queue"
INBOX = "/api/query_incoming_sms"
STOP = "/api/stop_sms"
TIMEOUT = 5


async def idle(sim: Simulator) -> None:
    """Wait (bounded) until the simulator's background work is done."""
    async with asyncio.timeout(TIMEOUT):
        await sim.wait_idle()


async def test_send_and_track(gsm_simulator_factory: SimulatorFactory) -> None:
    """202 with queue and task id; then SENT_OK, reports and DELIVERED."""
    sim = await gsm_simulator_factory(**{**FAST, "send_time": 0.2})
    async with aiohttp.ClientSession() as session:
        await _send_and_track(JsonClient(session, sim), sim)


async def _send_and_track(api: JsonClient, fast_sim: Simulator) -> None:
    answer = await api.post(
        SEND,
        {
            "text": "Hello #param#, code #param#",
            "port": [2, 3],
            "param": [
                {"number": "10086", "text_param": ["bj", "1"], "user_id": 1},
                {"number": "+447700900123", "text_param": ["ye"], "user_id": 2},
                {"number": "10010"},
            ],
        },
    )
    assert answer == {
        "error_code": 202,
        "sn": fast_sim.serial,
        "sms_in_queue": 3,
        "task_id": 1,
    }
    queue = await api.get(QUEUE)
    assert queue["in_queue"] == 3
    sent = fast_sim.state.outbox.results
    assert [result.text for result in sent] == ["Hello bj, code 1"]
    await idle(fast_sim)
    assert (await api.get(QUEUE))["in_queue"] == 0
    data = await api.post(RESULT, {})
    assert data["error_code"] == 200
    results = data["result"]
    assert [item["port"] for item in results] == [2, 2, 2]  # port 3 has no SIM
    first = results[0]
    assert list(first) == [
        "port",
        "user_id",
        "number",
        "time",
        "status",
        "count",
        "succ_count",
        "ref_id",
        "imsi",
    ]
    assert first["status"] == "DELIVERED"
    assert (first["count"], first["succ_count"]) == (1, 1)
    assert [item["ref_id"] for item in results] == [0, 1, 2]
    assert "user_id" not in results[2]
    assert [r.text for r in fast_sim.state.outbox.results][1:] == [
        "Hello ye, code #param#",
        "Hello #param#, code #param#",
    ]
    reports = (await api.post(DELIVER, {}))["result"]
    assert [item["ref_id"] for item in reports] == [0, 1, 2]
    assert list(reports[0]) == [
        "port",
        "number",
        "time",
        "ref_id",
        "status_code",
        "imsi",
    ]
    assert reports[0]["status_code"] == 0
    again = await api.post(SEND, {"text": "x", "param": [{"number": "1"}]})
    assert again["task_id"] == 2


async def test_send_without_report_and_encodings(
    api: JsonClient, fast_sim: Simulator
) -> None:
    """gsm-7bit counts septets, unicode UCS-2 units; no report: SENT_OK stays."""
    text = "a" * 100
    await api.post(
        SEND,
        {
            "text": text,
            "param": [{"number": "1", "user_id": 1}],
            "encoding": "gsm-7bit",
            "request_status_report": False,
        },
    )
    await api.post(SEND, {"text": text, "param": [{"number": "1", "user_id": 2}]})
    await idle(fast_sim)
    results = {item["user_id"]: item for item in (await api.post(RESULT, {}))["result"]}
    assert (results[1]["count"], results[1]["status"]) == (1, "SENT_OK")
    assert (results[2]["count"], results[2]["status"]) == (2, "DELIVERED")
    assert (await api.post(DELIVER, {"number": ["1"]}))["result"][0]["ref_id"] == (
        results[2]["ref_id"]
    )


def _many(count: int) -> list[dict[str, Any]]:
    return [{"number": str(1000 + index)} for index in range(count)]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (None, 400),
        (b"", 400),
        (b"not json", 400),
        (b"[1,2]", 400),
        ({"param": [{"number": "1"}]}, 400),
        ({"text": "x"}, 400),
        ({"text": "x", "param": []}, 400),
        ({"text": 5, "param": [{"number": "1"}]}, 400),
        ({"text": "x", "param": ["1"]}, 400),
        ({"text": "x", "param": [{"number": 10086}]}, 400),
        ({"text": "x", "param": [{"number": ""}]}, 400),
        ({"text": "x", "param": [{"number": "12 34"}]}, 400),
        ({"text": "x", "param": [{"number": "1" * 25}]}, 400),
        ({"text": "x", "param": [{"number": "1", "user_id": -1}]}, 400),
        ({"text": "x", "param": [{"number": "1", "user_id": "1"}]}, 400),
        ({"text": "x", "param": [{"number": "1", "user_id": True}]}, 400),
        ({"text": "x", "param": [{"number": "1", "text_param": "a"}]}, 400),
        ({"text": "x", "param": [{"number": "1", "text_param": [1]}]}, 400),
        ({"text": "x", "param": [{"number": "1"}], "port": [32]}, 400),
        ({"text": "x", "param": [{"number": "1"}], "port": "1"}, 400),
        ({"text": "x", "param": [{"number": "1"}], "encoding": "utf8"}, 400),
        ({"text": "x", "param": [{"number": "1"}], "encoding": ["unicode"]}, 400),
        ({"text": "x", "param": [{"number": "1"}], "request_status_report": 1}, 400),
        ({"text": "x", "param": _many(129)}, 413),
        ({"text": "é" * 751, "param": [{"number": "1"}]}, 413),
        ({"text": "x", "param": [{"number": "1"}], "port": [3, 6]}, 550),
        ({"text": "x", "param": [{"number": "1"}], "port": [20]}, 550),
    ],
)
async def test_send_refusals(
    api: JsonClient, fast_sim: Simulator, body: Any, code: int
) -> None:
    """Bad format 400, over the limits 413, no registered port among those asked 550."""
    raw = body if isinstance(body, bytes) else None
    if body is None:
        raw = b"   "
    answer = await api.post(SEND, body, raw=raw)
    assert answer == {"error_code": code, "sn": fast_sim.serial}
    assert fast_sim.state.outbox.pending == 0


async def test_send_limits_accepted(api: JsonClient) -> None:
    """Exactly 128 numbers and 1500 bytes are fine; the JSON may carry trailing junk."""
    answer = await api.post(SEND, {"text": "é" * 750, "param": _many(128)})
    assert answer["error_code"] == 202
    assert answer["sms_in_queue"] == 128
    trailing = b'{"text":"x","param":[{"number":"1"}]}}{'
    assert (await api.post(SEND, raw=trailing))["error_code"] == 202


async def test_sending_state_queue_and_stop(
    gsm_simulator_factory: SimulatorFactory,
) -> None:
    """While on the air a result says SENDING; stop_sms drops the waiting ones."""
    sim = await gsm_simulator_factory(**{**FAST, "send_time": 30})
    async with aiohttp.ClientSession() as session:
        api = JsonClient(session, sim)
        task = await api.post(SEND, {"text": "x", "port": [0], "param": _many(3)})
        results = (await api.post(RESULT, {}))["result"]
        assert [item["status"] for item in results] == ["SENDING"]
        assert (await api.get(QUEUE))["in_queue"] == 3
        stop = await api.get(STOP, task_id=str(task["task_id"]))
        assert stop == {"error_code": 200, "sn": sim.serial}
        assert (await api.get(QUEUE))["in_queue"] == 1
        assert (await api.get(STOP, task_id="99"))["error_code"] == 404
        assert (await api.get(STOP, task_id="x"))["error_code"] == 400
        assert (await api.get(STOP))["error_code"] == 400
        assert not sim.idle
    # Stopping the simulator leaves the timer waiting; a stopped one cannot finish.
    await sim.stop()
    with pytest.raises(RuntimeError, match="not running"):
        await sim.wait_idle()


async def test_failure_hooks(api: JsonClient, fast_sim: Simulator) -> None:
    """fail_sms makes sends FAILED; fail_delivery gives error reports."""
    rule = fast_sim.fail_sms(number="666")
    fast_sim.fail_delivery(port=1, status_code=65)
    await api.post(
        SEND,
        {
            "text": "x",
            "port": [0, 1],
            "param": [{"number": "666", "user_id": 1}, {"number": "777", "user_id": 2}],
        },
    )
    await idle(fast_sim)
    results = {item["user_id"]: item for item in (await api.post(RESULT, {}))["result"]}
    assert (results[1]["status"], results[1]["succ_count"]) == ("FAILED", 0)
    assert results[2]["status"] == "SENT_OK"
    reports = (await api.post(DELIVER, {}))["result"]
    assert [(item["number"], item["status_code"]) for item in reports] == [("777", 65)]
    assert rule.hits == 1


async def test_query_filters(api: JsonClient, fast_sim: Simulator) -> None:
    """number, port, user_id and time filters; limits and bad values."""
    await api.post(
        SEND,
        {
            "text": "x",
            "param": [
                {"number": "111", "user_id": 1},
                {"number": "222", "user_id": 2},
                {"number": "111", "user_id": 3},
            ],
        },
    )
    await idle(fast_sim)

    async def users(body: dict[str, Any]) -> list[int]:
        data = await api.post(RESULT, body)
        assert data["error_code"] == 200
        return [item["user_id"] for item in data["result"]]

    assert await users({"number": ["111"]}) == [1, 3]
    assert await users({"port": [1, 2]}) == [2, 3]
    assert await users({"user_id": [2, 3], "number": ["111"]}) == [3]
    assert await users({"time_after": "2000-01-01 00:00:00"}) == [1, 2, 3]
    assert await users({"time_before": "2000-01-01 00:00:00"}) == []
    stamp = (await api.post(RESULT, {}))["result"][0]["time"]
    assert await users({"time_after": stamp, "time_before": stamp}) == [1, 2, 3]
    assert (await api.post(RESULT, raw=b""))["error_code"] == 200
    too_many = {"number": [str(index) for index in range(33)]}
    for path in (RESULT, DELIVER):
        assert (await api.post(path, too_many))["error_code"] == 413
        for bad in (
            {"number": "111"},
            {"number": [111]},
            {"number": ["1" * 25]},
            {"port": [-1]},
            {"time_after": "yesterday"},
            {"time_before": 20240101},
        ):
            assert (await api.post(path, bad))["error_code"] == 400, bad
        assert (await api.post(path, raw=b"{oops"))["error_code"] == 400
    assert (await api.post(RESULT, {"user_id": ["1"]}))["error_code"] == 400
    reports = (
        await api.post(
            DELIVER, {"number": ["222"], "time_after": "2000-01-01 00:00:00"}
        )
    )["result"]
    assert [item["port"] for item in reports] == [1]


async def test_incoming_sms(api: JsonClient, fast_sim: Simulator) -> None:
    """Ids above incoming_sms_id; unread marks read; read/unread counts; ports."""
    first = fast_sim.receive_sms(1, "6717", "test", push=False)
    fast_sim.receive_sms(2, "+447700900123", "Привет 😀", push=False)
    data = await api.get(INBOX, flag="all")
    assert data == {
        "error_code": 200,
        "sn": fast_sim.serial,
        "sms": [
            {
                "incoming_sms_id": 1,
                "port": 1,
                "number": "6717",
                "smsc": first.smsc,
                "timestamp": first.timestamp.strftime("%Y-%m-%d %H:%M:%S"),
                "text": "test",
            },
            {
                "incoming_sms_id": 2,
                "port": 2,
                "number": "+447700900123",
                "smsc": data["sms"][1]["smsc"],
                "timestamp": data["sms"][1]["timestamp"],
                "text": "Привет 😀",
            },
        ],
        "read": 0,
        "unread": 2,
    }
    unread = await api.get(INBOX, port="2")
    assert [sms["incoming_sms_id"] for sms in unread["sms"]] == [2]
    assert (unread["read"], unread["unread"]) == (1, 1)
    default = await api.get(INBOX)
    assert [sms["incoming_sms_id"] for sms in default["sms"]] == [1]
    assert (default["read"], default["unread"]) == (2, 0)
    assert (await api.get(INBOX))["sms"] == []
    read = await api.get(INBOX, flag="read", incoming_sms_id="1")
    assert [sms["incoming_sms_id"] for sms in read["sms"]] == [2]
    assert (await api.get(INBOX, flag="ALL", incoming_sms_id=""))["sms"] != []
    for params in (
        {"flag": "new"},
        {"incoming_sms_id": "-1"},
        {"incoming_sms_id": "a"},
        {"port": "x"},
    ):
        assert (await api.get(INBOX, **params))["error_code"] == 400
