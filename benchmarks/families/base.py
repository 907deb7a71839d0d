"""What the benchmarks know of an API family: :class:`BenchFamily` and its parts.

See :mod:`benchmarks.families` for how a family is added.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gsm_simulator.server import Simulator


class Bench(StrEnum):
    """The benchmarks a family can take part in."""

    REFRESH = "refresh"
    """Scheduled port refresh: requests, loop cost, floor reference, state writes."""
    PUSH = "push"
    """Push ingestion: webhook POST to the sms_received event."""
    BULK_SEND = "bulk_send"
    """320 SMS through send_sms on every port of :attr:`BenchFamily.bulk_shape`."""
    SETUP = "setup"
    """Setup time and memory per entry; setup with the gateway down."""
    SCALE = "scale"
    """Many gateways of :attr:`BenchFamily.scale_shape` in one Home Assistant."""


@dataclass(frozen=True, slots=True)
class Shape:
    """A simulated gateway: ports x SIM slots, and how long its refresh is timed."""

    ports: int
    slots: int
    refreshes: int = 150
    """Refreshes timed back to back (nothing changed) in the refresh benchmark."""

    @property
    def title(self) -> str:
        """Column title of the table."""
        return f"{self.ports} ports x {self.slots}"

    def options(self) -> dict[str, int]:
        """Keyword arguments of the simulator."""
        return {"ports": self.ports, "slots": self.slots}


def event_message_id(data: Mapping[str, Any]) -> int:
    """The id of the SMS a ``gsm_gateway_sms_received`` event reports."""
    return int(data["message_id"])


def simulator_serial(sim: Simulator) -> str:
    """The simulated gateway's serial number."""
    return sim.serial


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchFamily:
    """One API family as the benchmarks see it."""

    name: str
    """The entry's API family (``CONF_API_FAMILY``); the key in the JSON file."""
    label: str
    """How the table names the family."""
    dialect: str
    """The simulator dialect (``Simulator(dialect, ...)``)."""
    shapes: Mapping[str, Shape]
    """The gateways every per-gateway figure is taken for, by key (e.g. ``"32x4"``)."""
    benchmarks: frozenset[Bench]
    """Which benchmarks apply."""
    serial_prefix: str
    """Serial numbers of the simulated gateways: ``<prefix>-0001`` and on."""
    sms_push: Callable[[str, int, int], bytes]
    """``(serial, ports, message_id)`` -> the body of a gateway's incoming-SMS push."""
    parse_ports: Callable[[Sequence[bytes]], object]
    """The integration's parse of the bodies one port refresh receives."""
    pushed_sequence: Callable[[Mapping[str, Any]], int] = event_message_id
    """The ``message_id`` given to :attr:`sms_push`, read back from the event's data."""
    unique_id: Callable[[Simulator], str] = simulator_serial
    """The unique id of a config entry for the simulator (what the config flow stores)."""
    bulk_shape: str | None = None
    """The shape the bulk send runs on (every port of it sends)."""
    scale_shape: str | None = None
    """The shape of the gateways of the scale benchmark."""
    scale_gateways: int = 10
    """How many gateways the scale benchmark sets up together."""
    simulator_options: Mapping[str, Any] = field(default_factory=dict)
    """Further keyword arguments of every simulator of the family."""

    def shape(self, key: str) -> Shape:
        """The shape of that key."""
        return self.shapes[key]
