"""Per-dialect numbering with the control API, and the registry of dialect names."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import aiohttp
from aiohttp import web
import pytest

from gsm_simulator import DIALECTS, Simulator, register_dialect
from gsm_simulator.dialect import Dialect
from gsm_simulator.dialects import resolve_dialect

from .conftest import FAST, Control

if TYPE_CHECKING:
    from collections.abc import Iterable

    from gsm_simulator.pytest_plugin import SimulatorFactory


class OneBased(Dialect):
    """Ports and slots from 1; ``GET /port?port=N`` answers one port."""

    name: ClassVar[str] = "test_one_based"
    first_port: ClassVar[int] = 1
    first_slot: ClassVar[int] = 1
    port_label_format: ClassVar[str] = "SIM {number}"

    def routes(self) -> Iterable[web.AbstractRouteDef]:
        return (web.get("/port", self.get_port),)

    async def get_port(self, request: web.Request) -> web.Response:
        raw = request.query.get("port", "")
        index = self.port_index(int(raw)) if raw.isdigit() else None
        if index is None:
            return self.json_response({"error": "no such port"}, status=404)
        port = self.gateway.port(index)
        return self.json_response(
            {
                "port": self.port_number(index),
                "reg": port.registration.value,
                "slot": self.slot_number(port.active_slot),
            }
        )


class Renamed(OneBased):
    """Another class wanting the same name."""


async def test_one_based_dialect_and_control_api(
    gsm_simulator_factory: SimulatorFactory, session: aiohttp.ClientSession
) -> None:
    """/sim/api/ports/1 is the first port; the dialect's own route agrees."""
    sim = await gsm_simulator_factory(OneBased, ports=2, slots=2, **FAST)
    assert sim.dialect_name == OneBased.name
    control = Control(session, sim)
    first = await control.ok("GET", "/ports/1")
    assert (first["port"], first["label"], first["active_slot"]) == (1, "SIM 1", 1)
    card = sim.state.port(0).sim
    assert card is not None
    assert first["number"] == card.number
    for missing in (0, 3):
        status, answer = await control.call("GET", f"/ports/{missing}")
        assert status == 404
        assert answer == {"error": f"no port {missing} on this gateway"}
    changed = await control.ok("POST", "/ports/2", {"registration": "searching"})
    assert (changed["port"], changed["registration"]) == (2, "searching")
    assert sim.state.port(1).registration.value == "searching"
    async with session.get(f"{sim.url}/port", params={"port": "2"}) as response:
        assert await response.json() == {"port": 2, "reg": "searching", "slot": 1}
    async with session.get(f"{sim.url}/port", params={"port": "0"}) as response:
        assert response.status == 404
    assert await control.ok(
        "POST", "/sms", {"port": 2, "sender": "123", "text": "hi", "slot": 1}
    ) == {"message_id": 1}
    assert [(sms.port, sms.text) for sms in sim.state.inbox] == [(1, "hi")]
    status, answer = await control.call(
        "POST", "/sms", {"port": 1, "sender": "1", "text": "x", "slot": 2}
    )
    assert status == 400
    assert answer == {"error": "slot 2 is not in use (the port uses slot 1)"}
    state = await control.ok("GET", "/state")
    assert [port["port"] for port in state["ports"]] == [1, 2]


def test_register_dialect_by_name() -> None:
    """A registered dialect is found by name; a taken name is refused unless replaced."""
    assert OneBased.name not in DIALECTS
    try:
        register_dialect(OneBased)
        register_dialect(OneBased)  # the same class again: fine
        assert resolve_dialect(OneBased.name) is OneBased
        assert Simulator(OneBased.name, ports=1).dialect_name == OneBased.name
        with pytest.raises(ValueError, match="taken by OneBased"):
            register_dialect(Renamed)
        register_dialect(Renamed, replace=True)
        assert DIALECTS[OneBased.name] is Renamed
    finally:
        DIALECTS.pop(OneBased.name, None)
    assert resolve_dialect(Renamed) is Renamed
    with pytest.raises(ValueError, match="unknown dialect 'test_one_based'"):
        resolve_dialect(OneBased.name)
