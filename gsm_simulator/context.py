"""What the gateway's services see of the gateway.

The services (:mod:`~gsm_simulator.registration`, :mod:`~gsm_simulator.calls`,
:mod:`~gsm_simulator.messaging`, :mod:`~gsm_simulator.ussd`,
:mod:`~gsm_simulator.stk`) are handed the gateway when it builds them and
know it only through :class:`GatewayContext`: its ports, clock, timeline,
timings, random source and listeners.  So they depend on the model, not on
:class:`~gsm_simulator.gateway.SimGateway`, and the gateway module can import
them without an import circle.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from collections.abc import Callable
    from datetime import datetime
    import random

    from .model import GatewayEvent, SimPort
    from .timeline import Timeline
    from .timings import Timings


@runtime_checkable
class GatewayContext(Protocol):
    """The part of a gateway its services use (ports are 0-based)."""

    rng: random.Random
    slot_count: int
    clock: Callable[[], datetime]
    timings: Timings
    timeline: Timeline
    ports: list[SimPort]

    @property
    def port_count(self) -> int:
        """Number of ports currently present."""

    def port(self, index: int) -> SimPort:
        """Port ``index`` or :class:`IndexError`."""

    def port_or_none(self, index: int) -> SimPort | None:
        """Port ``index``, or ``None`` if there is no such port."""

    def emit(self, event: GatewayEvent) -> None:
        """Hand ``event`` to the gateway's listeners."""

    def port_changed(self, index: int) -> None:
        """Tell the port listeners that what port ``index`` shows may have changed."""
