"""Ejoin USSD: ``goip_send_ussd`` answers with the network's reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .ejoin_support import settle, start_ejoin

if TYPE_CHECKING:
    import aiohttp

    from gsm_simulator.pytest_plugin import SimulatorFactory

USSD = "/goip_send_ussd.html"


async def test_ussd_reply_and_refusals(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """The balance code answers with the SIM's balance after the USSD delay."""
    sim, api = await start_ejoin(
        gsm_simulator_factory, session, ports=8, slots=2, ussd_delay=0.05
    )
    sim.state.set_balance(0, 12.5)
    answer = await api.get(USSD, port="1A", ussd="*100#")
    assert list(answer) == ["code", "reason", "resp"]
    assert (answer["code"], answer["reason"]) == (0, "OK")
    assert "12.50" in answer["resp"]
    sim.set_ussd_reply("*555#", "Menu: 1 data 2 voice")
    posted = await api.post(USSD, {"port": "2.01", "ussd": "*555#"})
    assert posted == {"code": 0, "reason": "OK", "resp": "Menu: 1 data 2 voice"}
    assert (await api.get(USSD, port="3", ussd="*#100#"))["resp"].startswith(
        "Your number"
    )
    for query, code in (
        ({"port": "1"}, 3),
        ({"port": "1", "ussd": " "}, 3),
        ({"port": "9", "ussd": "*100#"}, 2),
        ({"port": "1,2", "ussd": "*100#"}, 2),
        ({"ussd": "*100#"}, 2),
        ({"port": "4", "ussd": "*100#"}, 5),  # no SIM
        ({"port": "1B", "ussd": "*100#"}, 5),  # not the slot in use
    ):
        assert (await api.get(USSD, **query))["code"] == code, query
    sim.set_port_busy(0)
    assert await api.get(USSD, port="1", ussd="*100#") == {
        "code": 4,
        "reason": "Pending USSD",
    }
    sim.set_port_busy(0, busy=False)
    assert await api.post(USSD, raw=b"[") == {"code": 15, "reason": "Invalid CMD"}


async def test_ussd_timeout(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """No answer within the ussd_timeout option: code 6; the port is free again."""
    sim, api = await start_ejoin(
        gsm_simulator_factory, session, ports=1, dialect_options={"ussd_timeout": 0.2}
    )
    sim.set_ussd_reply("*999#", None)
    assert await api.get(USSD, port="1", ussd="*999#") == {
        "code": 6,
        "reason": "Timeout",
    }
    assert not sim.state.ussd.waiting(0)
    sim.state.timings.ussd_delay = 0.5
    assert await api.get(USSD, port="1", ussd="*100#") == {
        "code": 6,
        "reason": "Timeout",
    }
    sim.state.timings.ussd_delay = 0.01
    assert (await api.get(USSD, port="1", ussd="*100#"))["code"] == 0
    await settle(sim)
