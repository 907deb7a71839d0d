"""What the benchmarks know of an API family: :class:`BenchFamily` and its parts.

See :mod:`benchmarks.families` for how a family is added.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
import json
from typing import TYPE_CHECKING, Any

from custom_components.gsm_gateway.api import FAMILIES as CLIENT_FAMILIES, Capability

if TYPE_CHECKING:
    from gsm_simulator.server import RequestRecord, Simulator


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
    INBOX = "inbox"
    """One inbox poll (``messaging.async_poll_inbox``) with 1,000 SMS stored."""


NEEDS: Mapping[Bench, Capability] = {Bench.PUSH: Capability.PUSH}
"""What a benchmark needs the family's client to offer (its ``capabilities``).

A family that lists the benchmark but lacks the capability is not measured:
its figures are reported as "n/a (no <capability>)", never left out silently.
"""


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


def request_path(request: RequestRecord) -> str:
    """A request as the figures name it: its path."""
    return request.path


def json_event_request(request: RequestRecord) -> str:
    """A request that names its call in its JSON body: the ``event`` (else the path)."""
    try:
        event = json.loads(request.body).get("event")
    except (ValueError, AttributeError):
        event = None
    return event if isinstance(event, str) else request.path


def same_hardware(_sim: Simulator, _number: int) -> None:
    """Leave the simulator as its seed made it (its serial is its own already)."""


def signal_change(sim: Simulator) -> Callable[[int], None]:
    """One port's signal, changed at every step (the first registered port)."""
    port = next(p.index for p in sim.state.ports if p.registered)
    csq = 10 if sim.state.ports[port].signal != 10 else 12

    def change(step: int) -> None:
        sim.set_signal(port, csq + step % 2)

    return change


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
    parse_ports: Callable[[Sequence[bytes]], object]
    """The integration's parse of the bodies one port refresh receives."""
    sms_push: Callable[[str, int, int], bytes] | None = None
    """``(serial, ports, message_id)`` -> the body of a gateway's incoming-SMS push.

    Only for a family whose client has :attr:`Capability.PUSH`.
    """
    pushed_sequence: Callable[[Mapping[str, Any]], int] = event_message_id
    """The ``message_id`` given to :attr:`sms_push`, read back from the event's data."""
    unique_id: Callable[[Simulator], str] = simulator_serial
    """The unique id of a config entry for the simulator (what the config flow stores)."""
    make_unique: Callable[[Simulator, int], None] = same_hardware
    """``(sim, number)``: make the started simulator's identity its own.

    Every simulator has the same seed, so the same data; its serial (and
    the MAC derived from it) differ. A family known by something else (a
    module's IMEI) changes that here, or two entries would be one gateway.
    """
    bulk_shape: str | None = None
    """The shape the bulk send runs on (every port of it sends)."""
    scale_shape: str | None = None
    """The shape of the gateways of the scale benchmark."""
    scale_gateways: int = 10
    """How many gateways the scale benchmark sets up together."""
    simulator_options: Mapping[str, Any] = field(default_factory=dict)
    """Further keyword arguments of every simulator of the family."""
    max_requests_per_refresh: int = 1
    """Authenticated requests a scheduled port refresh may send (asserted)."""
    request_name: Callable[[RequestRecord], str] = request_path
    """How the figures name a request the simulator recorded."""
    one_change: Callable[[Simulator], Callable[[int], None]] = signal_change
    """The refresh benchmark's "one change": ``(sim)`` -> ``change(step)``."""
    one_change_name: str = "signal"
    """What :attr:`one_change` changes on one port, as the table says it."""

    def shape(self, key: str) -> Shape:
        """The shape of that key."""
        return self.shapes[key]

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What the family's client offers (the integration's own declaration)."""
        return CLIENT_FAMILIES[self.name].capabilities

    def lacks(self, bench: Bench) -> Capability | None:
        """The capability ``bench`` needs that the family's client lacks, if any."""
        needed = NEEDS.get(bench)
        return (
            needed if needed is not None and needed not in self.capabilities else None
        )

    def measures(self, bench: Bench) -> bool:
        """Whether ``bench`` runs for the family: listed, and nothing it needs lacking."""
        return bench in self.benchmarks and self.lacks(bench) is None

    def not_applicable(self) -> dict[str, str]:
        """Benchmarks listed but not run for want of a capability -> why ("no push")."""
        return {
            str(bench): f"no {missing.value.replace('_', ' ')}"
            for bench in sorted(self.benchmarks)
            if (missing := self.lacks(bench)) is not None
        }
