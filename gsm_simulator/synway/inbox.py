"""The Synway inbox (``queryrxsms``): the shared inbox, with the slot and SIM of each.

A message shows the slot its port used and the SIM's own number when it
arrived (a message stored without an event shows the port as it is now).
Messages are listed by time, those of the same second in the order they
arrived.  Deleting (``queryrxsms`` with ``delete``, ``deletesms``) removes
them from the shared inbox; reboots keep them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from gsm_simulator.gateway import SimGateway
    from gsm_simulator.model import IncomingSms


@dataclass(frozen=True, slots=True)
class Arrival:
    """The slot (0-based) and SIM number of a port when a message reached it."""

    slot: int
    sim_number: str


class InboxView:
    """The gateway's inbox as the Synway unit lists it."""

    def __init__(self, gateway: SimGateway) -> None:
        """Show ``gateway``'s inbox."""
        self.gateway = gateway
        self._arrivals: dict[int, Arrival] = {}

    def _now(self, port: int) -> Arrival:
        found = self.gateway.port_or_none(port)
        if found is None:
            return Arrival(0, "")
        sim = found.sim
        return Arrival(found.active_slot, sim.number if sim is not None else "")

    def on_sms(self, sms: IncomingSms) -> None:
        """A message arrived: remember its port's slot and SIM number."""
        self._arrivals[sms.sms_id] = self._now(sms.port)

    def arrival(self, sms: IncomingSms) -> Arrival:
        """The slot and SIM number ``sms`` arrived on."""
        found = self._arrivals.get(sms.sms_id)
        return found if found is not None else self._now(sms.port)

    def find(self, wanted: Callable[[IncomingSms], bool]) -> list[IncomingSms]:
        """The messages ``wanted`` accepts, by time (ties: in the order they arrived)."""
        return sorted(
            (sms for sms in self.gateway.inbox if wanted(sms)),
            key=lambda sms: sms.timestamp,
        )

    def delete(self, doomed: Iterable[IncomingSms]) -> int:
        """Delete these messages from the inbox; how many there were."""
        ids = [sms.sms_id for sms in doomed]
        for sms_id in ids:
            self._arrivals.pop(sms_id, None)
        return self.gateway.inbox_store.delete(ids)
