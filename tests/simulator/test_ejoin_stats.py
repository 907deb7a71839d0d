"""Ejoin statistics: ``goip_get_sms_stat`` and ``goip_get_call_stat``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from .ejoin_support import settle, start_ejoin

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.pytest_plugin import SimulatorFactory

SMS_STAT = "/goip_get_sms_stat.html"
CALL_STAT = "/goip_get_call_stat.html"
SMS_KEYS = [
    "port", "slot", "received", "sent", "sent_ok", "sent_failed", "con_failed", "unsent",
    "sending",
]  # fmt: skip
CALL_KEYS = [
    "port", "slot", "calls", "alerted", "connected", "con_failed", "nc", "pdd", "acd",
    "asr", "tcd", "act_tcd",
]  # fmt: skip


async def test_sms_statistics_count_what_happened(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Received, sent, failed and the failure streak per port and slot."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=3, slots=2)
    sim.fail_sms(number="13", count=None)
    await api.send(
        {"tid": 1, "to": "11,12,13,14", "sms": "a", "from": "1"},
        {"tid": 2, "to": "13", "sms": "b", "from": "1"},
        sr_prd=0.05,
    )
    sim.receive_sms(0, "99", "hi")
    sim.receive_sms(1, "98", "hi")
    await settle(sim)
    answer = await api.get(SMS_STAT, ports="1-2", type="3")
    assert (answer["code"], answer["reason"], answer["count"]) == (200, "OK", 2)
    first, second = answer["stats"]
    assert list(first) == SMS_KEYS
    assert first == {
        "port": 1,
        "slot": 1,
        "received": 1,
        "sent": 5,
        "sent_ok": 3,
        "sent_failed": 2,
        "con_failed": 1,
        "unsent": 0,
        "sending": 0,
    }
    assert (second["received"], second["sent"]) == (1, 0)
    everything = await api.get(SMS_STAT, slots="all")
    assert [(item["port"], item["slot"]) for item in everything["stats"]] == [
        (1, 1), (1, 2), (2, 1), (2, 2), (3, 1), (3, 2),
    ]  # fmt: skip
    assert everything["stats"][0]["sent"] == 5  # within the last hour
    assert (await api.get(SMS_STAT, ports="1", slots="2"))["stats"][0]["sent"] == 0
    for kind in ("0", "1", "2"):
        assert (await api.get(SMS_STAT, ports="1", type=kind))["stats"][0][
            "received"
        ] == 1
    # Queued and on the air.
    sim.timings.send_time = 0.3
    await api.send({"tid": 3, "to": "21,22", "sms": "c", "from": "3"}, sr_prd=0.05)
    busy = (await api.get(SMS_STAT, ports="3"))["stats"][0]
    assert (busy["sending"], busy["unsent"]) == (1, 1)
    await settle(sim)
    for query in ({"ports": "4"}, {"ports": "x"}, {"slots": "3"}, {"ports": "2-1"}):
        assert await api.get(SMS_STAT, **query) == {"code": 2, "reason": "Invalid Port"}
    assert await api.get(SMS_STAT, type="4") == {"code": 15, "reason": "Invalid CMD"}


async def test_call_statistics_from_the_call_records(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Calls, answers, ratios and durations, in windows."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=2)
    sim.simulate_call(0, "+447700900001", duration=90)
    sim.simulate_call(0, "+447700900002", duration=30, direction="outgoing")
    sim.simulate_call(0, "+447700900003", answered=False)
    old = datetime.now(UTC) - timedelta(days=40)
    sim.simulate_call(0, "+447700900004", duration=10, start=old)
    answer = await api.get(CALL_STAT, ports="all")
    assert answer["count"] == 2
    first, second = answer["stats"]
    assert list(first) == CALL_KEYS
    assert first == {
        "port": 1,
        "slot": 1,
        "calls": 3,
        "alerted": 3,
        "connected": 2,
        "con_failed": 1,
        "nc": "2/3",
        "pdd": 0,
        "acd": 60,
        "asr": 66,
        "tcd": 3,
        "act_tcd": 120,
    }
    assert (second["calls"], second["nc"], second["acd"], second["asr"]) == (
        0,
        "0/0",
        0,
        0,
    )
    total = (await api.get(CALL_STAT, ports="1", type="3"))["stats"][0]
    assert (total["calls"], total["act_tcd"]) == (4, 130)
