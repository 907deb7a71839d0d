"""The control API under /sim/: state, ports, SMS, USSD, the page, bad input."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, ClassVar

import aiohttp
import pytest

from gsm_simulator import (
    DIALECTS,
    GatewayEvent,
    IncomingSms,
    RegisterChange,
    RegState,
    Simulator,
    UssdReply,
)
from gsm_simulator.control import PANEL_TITLE, REG_STATES_MARK
from gsm_simulator.dinstar import DinstarDialect

from .conftest import FAST, Control

if TYPE_CHECKING:
    from gsm_simulator.pytest_plugin import SimulatorFactory

PORT_KEYS = {
    "port",
    "label",
    "registration",
    "signal",
    "sim_present",
    "balance",
    "power",
    "active_slot",
    "number",
}


def collect(sim: Simulator) -> list[GatewayEvent]:
    """The gateway's events from now on."""
    events: list[GatewayEvent] = []
    sim.state.listeners.append(events.append)
    return events


async def test_state(control: Control) -> None:
    """The whole state: identity, every port in the dialect's numbering, mode, push."""
    sim = control.sim
    state = await control.ok("GET", "/state")
    assert state["dialect"] == "dinstar"
    assert state["serial"] == sim.serial
    assert state["gateway"] == {"mode": "ok", "seconds": None, "rebooting": False}
    assert state["push_url"] is None
    assert [port["port"] for port in state["ports"]] == list(range(8))
    first = state["ports"][0]
    assert set(first) == PORT_KEYS
    card = sim.state.port(0).sim
    assert card is not None
    assert first == {
        "port": 0,
        "label": "Port 0",
        "registration": "registered",
        "signal": sim.state.port(0).signal,
        "sim_present": True,
        "balance": card.balance,
        "power": True,
        "active_slot": 0,
        "number": card.number,
    }
    empty = state["ports"][3]
    assert (empty["registration"], empty["sim_present"]) == ("no_sim", False)
    assert (empty["balance"], empty["number"]) == (None, None)
    assert await control.ok("GET", "/ports/3") == empty


async def test_port_changes_go_through_the_model(control: Control) -> None:
    """Registration, signal, balance, SIM and power, each with its events."""
    sim = control.sim
    events = collect(sim)
    port = await control.ok("POST", "/ports/1", {"registration": "denied"})
    assert port["registration"] == "denied"
    assert [(e.port, e.up) for e in events if isinstance(e, RegisterChange)] == [
        (1, False)
    ]
    port = await control.ok("POST", "/ports/1", {"signal": 7, "balance": 0})
    assert (port["signal"], port["balance"]) == (7, 0.0)
    card = sim.state.port(1).sim
    assert card is not None
    assert card.balance == 0.0
    assert sim.state.ussd.reply_for("*100#", sim.state.port(1)) is not None
    assert "0.00" in str(sim.state.ussd.reply_for("*100#", sim.state.port(1)))
    assert (await control.ok("POST", "/ports/1", {"signal": 99}))["signal"] == 99
    events.clear()
    port = await control.ok("POST", "/ports/0", {"sim_present": False})
    assert (port["registration"], port["sim_present"]) == ("no_sim", False)
    assert [(e.port, e.up) for e in events if isinstance(e, RegisterChange)] == [
        (0, False)
    ]
    port = await control.ok("POST", "/ports/0", {"sim_present": True})
    assert (port["registration"], port["sim_present"]) == ("registered", True)
    assert port["number"] is not None
    # The same value again changes nothing.
    again = await control.ok("POST", "/ports/0", {"sim_present": True})
    assert again == port
    port = await control.ok("POST", "/ports/2", {"power": False})
    assert (port["power"], port["registration"]) == (False, "power_off")
    port = await control.ok("POST", "/ports/2", {"power": True})
    assert (port["power"], port["registration"]) == (True, "searching")
    await sim.wait_idle()
    assert (await control.ok("GET", "/ports/2"))["registration"] == "registered"
    # An empty port gets a SIM and a state that needs one in one request.
    port = await control.ok(
        "POST", "/ports/3", {"sim_present": True, "registration": "denied"}
    )
    assert (port["sim_present"], port["registration"]) == (True, "denied")
    # No change asked: the port as it is.
    assert await control.ok("POST", "/ports/3", {}) == port


async def test_sim_changes_while_powered_off(control: Control) -> None:
    """A module that is off stays off when its SIM is pulled or inserted."""
    await control.ok("POST", "/ports/0", {"power": False})
    port = await control.ok("POST", "/ports/0", {"sim_present": False})
    assert (port["registration"], port["sim_present"]) == ("power_off", False)
    assert (await control.ok("POST", "/ports/0", {"power": True}))[
        "registration"
    ] == "no_sim"
    await control.ok("POST", "/ports/0", {"power": False})
    port = await control.ok("POST", "/ports/0", {"sim_present": True})
    assert (port["registration"], port["sim_present"]) == ("power_off", True)
    await control.ok("POST", "/ports/0", {"power": True})
    await control.sim.wait_idle()
    assert (await control.ok("GET", "/ports/0"))["registration"] == "registered"


async def test_sms_lands_in_the_inbox(control: Control) -> None:
    """A panel SMS is stored with the next id, as receive_sms does."""
    sim = control.sim
    events = collect(sim)
    answer = await control.ok(
        "POST", "/sms", {"port": 2, "sender": "+447700900123", "text": "hi"}
    )
    assert answer == {"message_id": 1}
    answer = await control.ok(
        "POST", "/sms", {"port": 2, "sender": "6717", "text": "", "slot": 0}
    )
    assert answer == {"message_id": 2}
    first, second = sim.state.inbox
    assert (first.port, first.number, first.text) == (2, "+447700900123", "hi")
    assert (second.sms_id, second.text) == (2, "")
    assert [e.sms_id for e in events if isinstance(e, IncomingSms)] == [1, 2]
    inbox = await control.session.get(
        sim.url + "/api/query_incoming_sms", params={"flag": "all"}
    )
    assert [sms["text"] for sms in (await inbox.json())["sms"]] == ["hi", ""]


async def test_sms_slot_of_a_multi_sim_port(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """Only the SIM in use receives: another slot is refused."""
    sim = await gsm_simulator_factory(ports=2, slots=2, **FAST)
    control = Control(session, sim)
    sim.state.insert_sim(1, slot=1)
    sim.state.set_active_slot(1, 1)
    body = {"port": 1, "sender": "123", "text": "x"}
    assert await control.ok("POST", "/sms", {**body, "slot": 1}) == {"message_id": 1}
    status, answer = await control.call("POST", "/sms", {**body, "slot": 0})
    assert status == 400
    assert answer == {"error": "slot 0 is not in use (the port uses slot 1)"}
    assert (await control.ok("GET", "/ports/1"))["active_slot"] == 1


async def test_unsolicited_ussd(control: Control) -> None:
    """A USSD message arrives: an event, and the port's last reply."""
    sim = control.sim
    events = collect(sim)
    answer = await control.ok("POST", "/ussd", {"port": 4, "text": "Bonus: 5 GBP"})
    assert answer == {"port": 4, "text": "Bonus: 5 GBP"}
    assert events == [UssdReply(port=4, code="", text="Bonus: 5 GBP")]
    async with control.session.get(
        sim.url + "/api/query_ussd_reply", params={"port": "4"}
    ) as response:
        reply = await response.json()
    assert reply["reply"] == [{"port": 4, "text": "Bonus: 5 GBP"}]


async def test_page(control: Control) -> None:
    """The panel: one self-contained HTML page talking to /sim/api."""
    async with control.session.get(control.sim.url + "/sim/") as response:
        assert response.status == 200
        assert response.content_type == "text/html"
        page = await response.text()
    assert f"<title>{PANEL_TITLE}</title>" in page
    assert '"/sim/api"' in page
    assert "setInterval(refresh, 1000)" in page
    assert REG_STATES_MARK not in page
    assert json.dumps([state.value for state in RegState]) in page
    for route in ("/state", "/ports/", "/sms", "/ussd", "/gateway", "/reboot", "/push"):
        assert f'"{route}' in page
    # Nothing fetched from elsewhere.
    assert "src=" not in page
    assert "<link" not in page
    assert "http://" not in page
    assert "https://" not in page
    async with control.session.get(control.sim.url + "/sim") as response:
        assert response.status == 200
        assert response.url.path == "/sim/"
        assert response.history[0].status == 302


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        ("/ports/0", {"bogus": 1}, "unknown field(s) bogus"),
        ("/ports/0", [1], "the body must be a JSON object"),
        ("/ports/0", {"registration": "flying"}, "registration must be one of"),
        ("/ports/0", {"registration": 5}, "registration must be one of"),
        ("/ports/0", {"signal": 32}, "signal must be an integer 0..31 or 99"),
        ("/ports/0", {"signal": -1}, "signal must be"),
        ("/ports/0", {"signal": True}, "signal must be"),
        ("/ports/0", {"signal": 5.5}, "signal must be"),
        ("/ports/0", {"balance": "10"}, "balance must be a number"),
        ("/ports/0", {"balance": False}, "balance must be a number"),
        ("/ports/0", {"power": "on"}, "power must be true or false"),
        ("/ports/0", {"sim_present": 1}, "sim_present must be true or false"),
        ("/ports/x", {}, "port must be an integer, got 'x'"),
        ("/ports/3", {"balance": 5}, "that needs a SIM in the port"),
        ("/ports/3", {"registration": "registered"}, "that needs a SIM"),
        ("/ports/0", {"sim_present": False, "balance": 1}, "that needs a SIM"),
        ("/sms", {}, "port must be an integer, got None"),
        ("/sms", {"port": "0", "sender": "1", "text": "x"}, "port must be an integer"),
        ("/sms", {"port": True, "sender": "1", "text": "x"}, "port must be an integer"),
        ("/sms", {"port": 0, "sender": "", "text": "x"}, "sender must be a non-empty"),
        ("/sms", {"port": 0, "sender": "1", "text": 5}, "text must be a string"),
        ("/sms", {"port": 0, "sender": "1", "text": "x", "slot": 1}, "no slot 1"),
        ("/sms", {"port": 0, "sender": "1", "text": "x", "slot": "0"}, "no slot '0'"),
        ("/ussd", {"port": 0, "text": ""}, "text must be a non-empty string"),
        ("/ussd", {"port": 0, "text": "x", "code": "*1#"}, "unknown field(s) code"),
        ("/gateway", {"mode": "broken"}, "mode must be one of ok, down, slow, error"),
        ("/gateway", {}, "mode must be one of"),
        ("/gateway", {"mode": "slow", "seconds": -1}, "seconds must be a number"),
        ("/gateway", {"mode": "slow", "seconds": "8"}, "seconds must be a number"),
        ("/gateway", {"mode": "slow", "seconds": 1e9}, "from 0 to 3600"),
        ("/reboot", {"downtime": -1}, "downtime must be a number of seconds"),
    ],
)
async def test_bad_input(control: Control, path: str, body: Any, error: str) -> None:
    """Bad bodies and values: 400 with an error message, and nothing changed."""
    before = await control.ok("GET", "/state")
    status, answer = await control.call("POST", path, body)
    assert status == 400
    assert error in answer["error"]
    assert await control.ok("GET", "/state") == before
    assert control.sim.state.inbox == []


async def test_bodies_that_are_not_json(control: Control) -> None:
    """Not JSON at all: 400; an empty body counts as no fields."""
    status, answer = await control.call("POST", "/ports/0", raw=b"{not json")
    assert (status, answer) == (400, {"error": "the body is not JSON"})
    status, answer = await control.call("POST", "/sms", raw=b"\xff\xfe")
    assert (status, answer) == (400, {"error": "the body is not JSON"})
    status, answer = await control.call("POST", "/reboot", raw=b"  ")
    assert (status, answer["downtime"]) == (200, 5.0)


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/ports/8", None),
        ("GET", "/ports/-1", None),
        ("POST", "/ports/99", {"signal": 3}),
        ("POST", "/sms", {"port": 8, "sender": "1", "text": "x"}),
        ("POST", "/ussd", {"port": 42, "text": "x"}),
    ],
)
async def test_unknown_port(
    control: Control, method: str, path: str, body: Any
) -> None:
    """A port the gateway does not have: 404."""
    status, answer = await control.call(method, path, body)
    assert status == 404
    assert answer["error"].startswith("no port ")
    assert control.sim.state.inbox == []


class OneBasedDialect(DinstarDialect):
    """A Dinstar numbering its ports and slots from 1, as some vendors do."""

    name: ClassVar[str] = "one_based"
    first_port: ClassVar[int] = 1
    first_slot: ClassVar[int] = 1
    port_label_format: ClassVar[str] = "GSM {number}"


async def test_numbering_comes_from_the_dialect(
    gsm_simulator_factory: SimulatorFactory,
    session: aiohttp.ClientSession,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ports and slots in the API follow the dialect's first numbers and labels."""
    monkeypatch.setitem(DIALECTS, OneBasedDialect.name, OneBasedDialect)
    sim = await gsm_simulator_factory(OneBasedDialect.name, ports=2, slots=2, **FAST)
    control = Control(session, sim)
    state = await control.ok("GET", "/state")
    assert [(p["port"], p["label"]) for p in state["ports"]] == [
        (1, "GSM 1"),
        (2, "GSM 2"),
    ]
    assert state["ports"][0]["active_slot"] == 1
    assert (await control.call("GET", "/ports/0"))[0] == 404
    assert (await control.ok("POST", "/ports/2", {"signal": 9}))["port"] == 2
    assert sim.state.port(1).signal == 9
    body = {"port": 1, "sender": "1", "text": "x", "slot": 1}
    assert await control.ok("POST", "/sms", body) == {"message_id": 1}
    assert sim.state.inbox[0].port == 0
    assert (await control.call("POST", "/sms", {**body, "slot": 0}))[0] == 400
    answer = await control.ok("POST", "/ussd", {"port": 2, "text": "hello"})
    assert answer == {"port": 2, "text": "hello"}
    assert sim.state.ussd.last_reply(1) == "hello"
