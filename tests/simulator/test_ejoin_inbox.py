"""Ejoin receiving: ``recv-sms`` pushes, ``goip_get_sms``, the ssrc across reboots."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from .ejoin_support import pushes, settle, start_ejoin, wait_pushes

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.push import PushReceiver
    from gsm_simulator.pytest_plugin import SimulatorFactory

GET_SMS = "/goip_get_sms.html"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


async def test_received_sms_pushed_and_stored(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    push_receiver: PushReceiver,
) -> None:
    """A message arrives: a recv-sms row (base64 of UTF-8) pushed and kept under id 1."""
    sim, api = await start_ejoin(
        gsm_simulator_factory,
        session,
        ports=2,
        push_url=push_receiver.url,
        dialect_options={"slot_style": "letter"},
    )
    moment = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    sim.receive_sms(1, "+447700900123", "Grüße 😀", moment)
    (push,) = await wait_pushes(push_receiver, "recv-sms", 1)
    card = sim.state.port(1).sim
    assert card is not None
    row = [
        0,
        "2A",
        int(moment.timestamp()),
        "+447700900123",
        card.number,
        b64("Grüße 😀"),
    ]
    assert push == {"type": "recv-sms", "sms_num": 1, "sms": [row]}
    answer = await api.get(GET_SMS)
    assert list(answer) == ["code", "reason", "ssrc", "sms_num", "next_sms", "data"]
    assert (
        answer["code"],
        answer["reason"],
        answer["sms_num"],
        answer["next_sms"],
    ) == (
        0,
        "OK",
        1,
        2,
    )
    assert len(answer["ssrc"]) == 16
    int(answer["ssrc"], 16)
    assert answer["data"] == [row]
    # Stored without an event: shown as the port is now.
    sim.receive_sms(0, "100", "quiet", moment, push=False)
    quiet = (await api.get(GET_SMS, sms_id="2"))["data"]
    first = sim.state.port(0).sim
    assert first is not None
    assert quiet == [
        [0, "1A", int(moment.timestamp()), "100", first.number, b64("quiet")]
    ]


async def test_reading_from_an_id_and_deleting(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """sms_id, sms_num, next_sms and sms_del as in spec 7."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=1)
    for number in range(5):
        sim.receive_sms(0, f"10{number}", f"text {number}")
    page = await api.get(GET_SMS, sms_id="2", sms_num="2")
    assert (page["sms_num"], page["next_sms"]) == (2, 4)
    assert [row[3] for row in page["data"]] == ["101", "102"]
    rest = await api.get(GET_SMS, sms_id=str(page["next_sms"]))
    assert ([row[3] for row in rest["data"]], rest["next_sms"]) == (["103", "104"], 6)
    nothing = await api.get(GET_SMS, sms_id="6")
    assert (nothing["sms_num"], nothing["next_sms"], nothing["data"]) == (0, 6, [])
    deleted = await api.get(GET_SMS, sms_num="2", sms_del="1")
    assert [row[3] for row in deleted["data"]] == ["100", "101"]
    assert [sms.sms_id for sms in sim.state.inbox] == [3, 4, 5]
    posted = await api.post(GET_SMS, {"sms_id": 0, "sms_num": "1"})
    assert [row[3] for row in posted["data"]] == ["102"]
    invalid = {"code": 15, "reason": "Invalid CMD"}
    for query in (
        {"sms_id": "x"},
        {"sms_num": "-1"},
        {"sms_del": "2"},
        {"sms_id": "-3"},
    ):
        assert await api.get(GET_SMS, **query) == invalid
    assert await api.post(GET_SMS, raw=b"nope") == invalid


async def test_reboot_empties_the_inbox_with_a_new_ssrc(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """After a reboot the ids start at 1 again under another ssrc."""
    sim, api = await start_ejoin(gsm_simulator_factory, session, ports=1)
    sim.receive_sms(0, "1", "before")
    sim.receive_sms(0, "2", "before")
    before = await api.get(GET_SMS)
    assert before["next_sms"] == 3
    sim.reboot()
    after = await api.get(GET_SMS)
    assert after["ssrc"] != before["ssrc"]
    assert (after["sms_num"], after["next_sms"]) == (0, 1)
    sim.receive_sms(0, "3", "after")
    again = await api.get(GET_SMS)
    assert (again["ssrc"], again["next_sms"]) == (after["ssrc"], 2)
    assert again["data"][0][3] == "3"
    await settle(sim)


async def test_sms_url_and_cache_settings(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    push_receiver: PushReceiver,
) -> None:
    """The SMS URL from the options or a command; sms_cnt/sms_prd of a request cache rows."""
    sim, api = await start_ejoin(
        gsm_simulator_factory,
        session,
        ports=1,
        dialect_options={"sms_url": push_receiver.url},
    )
    assert (await api.command(op="get"))["sms_url"] == push_receiver.url
    await api.send(sms_cnt=2, sms_prd="0.2")
    sim.receive_sms(0, "1", "one")
    sim.receive_sms(0, "2", "two")
    sim.receive_sms(0, "3", "three")
    await settle(sim)
    assert [push["sms_num"] for push in pushes(push_receiver, "recv-sms")] == [2, 1]
    await api.send(sms_cnt=0, sms_prd=-1, sms_url="")  # bad values change nothing
    sim.receive_sms(0, "4", "four")
    sim.receive_sms(0, "5", "five")
    await settle(sim)
    assert len(pushes(push_receiver, "recv-sms")) == 2  # no URL any more
    await api.command(op="set", sms_url=push_receiver.url)
    sim.receive_sms(0, "6", "six")
    sim.receive_sms(0, "7", "seven")
    await settle(sim)
    assert [push["sms_num"] for push in pushes(push_receiver, "recv-sms")] == [2, 1, 2]
