"""Synway USSD: ``txussd`` per port, the answers in ``rxussd``, ``deleteussd``."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from .conftest import Control
from .synway_support import MOMENT, QUERY, TASK, freeze, rows, settle, start_synway

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.pytest_plugin import SimulatorFactory


async def test_requests_and_answers(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """1 sent / 0 refused per port; `` NULL`` until the network's answer arrives."""
    sim, api = await start_synway(
        gsm_simulator_factory, session, ports=4, ussd_delay=0.3
    )
    freeze(sim)
    sim.state.set_balance(0, 10.0)
    assert await api.content("rxussd") == "total:0"
    assert await api.handle("txussd", port="1,2,4", ussd="*100#") == "1:1;2:1;4:0"
    assert await api.handle("txussd", PORT="1", USSD="*101#") == "1:0"  # busy
    waiting = [
        "1|0|20150911111111|*100#|1| NULL|E",
        "2|0|20150911111111|*100#|1| NULL|E",
        "4|0|20150911111111|*100#|0| NULL|E",
        "1|1|20150911111111|*101#|0| NULL|E",
    ]
    assert rows(await api.content("rxussd")) == waiting
    await settle(sim)
    answered = rows(await api.content("rxussd", port="1"))
    first = sim.state.port(0).sim
    assert first is not None
    assert answered == [
        "1|0|20150911111111|*100#|1| Your balance is 10.00 GBP, valid until "
        f"{first.valid_until:%d/%m/%Y}.|E",
        waiting[3],
    ]
    freeze(sim, MOMENT + timedelta(minutes=1))
    sim.set_ussd_reply("*555#", "Menu:\n1 data|2 voice")
    sim.set_ussd_reply("*999#", None)
    assert await api.handle("txussd", port="1,2", ussd="*555#") == "1:1;2:1"
    sim.state.ussd.busy_ports.add(2)
    assert await api.handle("txussd", port="3", ussd="*999#") == "3:0"
    sim.state.ussd.busy_ports.clear()
    await settle(sim)
    assert await api.handle("txussd", port="3", ussd="*999#") == "3:1"
    await settle(sim)
    later = {"begintime": "20150911111211", "endtime": "20150911111211"}
    assert rows(await api.content("rxussd", **later)) == [
        "1|2|20150911111211|*555#|1| Menu:\n1 data|2 voice|E",
        "2|1|20150911111211|*555#|1| Menu:\n1 data|2 voice|E",
        "3|0|20150911111211|*999#|0| NULL|E",
        "3|1|20150911111211|*999#|1| NULL|E",
    ]
    assert len(rows(await api.content("rxussd", endtime="20150911111111"))) == 4
    control = Control(session, sim)
    await control.ok("POST", "/ussd", {"port": 2, "text": "Network says hi"})
    assert rows(await api.content("rxussd", port="2", begintime="20150911111211")) == [
        "2|1|20150911111211|*555#|1| Menu:\n1 data|2 voice|E",
        "2|2|20150911111211||1| Network says hi|E",
    ]
    assert await api.handle("txussd", port="1", ussd="#" * 255) == "1:1"
    for fields, reason in (
        ({"ussd": "*100#"}, "invalid port"),
        ({"port": "5", "ussd": "*100#"}, "invalid port"),
        ({"port": "1"}, "no ussd"),
        ({"port": "1", "ussd": "  "}, "no ussd"),
        ({"port": "1", "ussd": "#" * 256}, "ussd too long"),
    ):
        assert await api.error(TASK, "txussd", **fields) == reason, fields
    assert await api.error(QUERY, "rxussd", port="1", begintime="x") == "invalid time"
    await settle(sim)


async def test_delete_entries(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """By port and order number, a whole port, or everything; orders are not reused."""
    sim, api = await start_synway(
        gsm_simulator_factory,
        session,
        ports=3,
        dialect_options={"first_port": "0"},
    )
    sim.set_ussd_reply("*1#", None)  # no answer: the ports stay free
    for _ in range(3):
        assert await api.handle("txussd", port="0,1,2", ussd="*1#") == "0:1;1:1;2:1"
    assert await api.handle("deleteussd", port="0", num="0,2,7") == "total:2"
    assert [
        line.split("|")[:2] for line in rows(await api.content("rxussd", port="0"))
    ] == [["0", "1"]]
    assert await api.handle("deleteussd", port="1", num="-1") == "total:3"
    assert await api.handle("deleteussd", Port="2") == "total:3"
    assert await api.handle("txussd", port="0", ussd="*1#") == "0:1"
    assert rows(await api.content("rxussd"))[-1].startswith("0|3|")
    assert await api.handle("deleteussd", port="-1", num="1") == "total:2"
    assert await api.content("rxussd") == "total:0"
    for fields, reason in (
        ({}, "invalid port"),
        ({"port": "3"}, "invalid port"),
        ({"port": "0", "num": "x"}, "invalid parameter"),
    ):
        assert await api.error(TASK, "deleteussd", **fields) == reason, fields
    await settle(sim)
