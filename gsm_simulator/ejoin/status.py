"""What the Ejoin status pages show of a port's SIM slots (``dev-status`` items).

The ``st`` code of a slot comes from the shared model: no SIM 0; a SIM in a
slot that is not in use (or in a powered-off module) 1; searching 2;
registered 3, or 5 while the SIM's balance is 0 or less; not registered or
denied 6; a port locked through the API (blocked) 7; a SIM wanting its PUK
8 ("locked by operator"); an unknown state 11 ("card detected"); a SIM
wanting its PIN 12 ("user locked").  ``opr`` (``"MCCMNC name"``) is only
given while the SIM is on the network (3 or 5).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

from gsm_simulator.model import CSQ_UNKNOWN, RegState

from .names import PortState, state_text
from .numbering import port_label

if TYPE_CHECKING:
    from gsm_simulator.gateway import SimGateway
    from gsm_simulator.model import SimCard, SimPort

    from .options import EjoinOptions

_STATES: Final[dict[RegState, PortState]] = {
    RegState.REGISTERED: PortState.REGISTERED,
    RegState.SEARCHING: PortState.REGISTERING,
    RegState.NOT_REGISTERED: PortState.REGISTER_FAILED,
    RegState.DENIED: PortState.REGISTER_FAILED,
    RegState.NO_SIM: PortState.NO_SIM,
    RegState.PIN_REQUIRED: PortState.USER_LOCKED,
    RegState.PUK_REQUIRED: PortState.LOCKED_BY_OPERATOR,
    RegState.POWER_OFF: PortState.IDLE,
    RegState.UNKNOWN: PortState.CARD_DETECTED,
}
ON_NETWORK: Final = frozenset({PortState.REGISTERED, PortState.NO_BALANCE})
NO_LIMIT: Final = -1
"""The limit part of ``tot_dur`` & co. when the unit sets none."""


def slot_state(port: SimPort, slot: int) -> PortState:
    """The ``st`` code of ``port``'s SIM ``slot`` (0-based)."""
    sim = port.slots[slot]
    if sim is None:
        return PortState.NO_SIM
    if slot != port.active_slot:
        return PortState.IDLE
    if port.blocked:
        return PortState.LOCKED_BY_DEVICE
    state = _STATES[port.registration]
    if state is PortState.REGISTERED and sim.balance <= 0:
        return PortState.NO_BALANCE
    return state


def operator_text(sim: SimCard) -> str:
    """``"23415 Vodafone UK"``: the network code (from the IMSI) and name."""
    return f"{sim.imsi[:5]} {sim.operator}"


class StatusView:
    """Renders the ports of a gateway as the Ejoin status pages show them."""

    def __init__(self, gateway: SimGateway, options: EjoinOptions) -> None:
        """Show ``gateway``'s ports, numbered and spelt as ``options`` say."""
        self.gateway = gateway
        self.options = options

    def label(self, index: int, slot: int | None = None) -> str:
        """The wire name of port ``index`` with ``slot`` (default: its active slot)."""
        if slot is None:
            slot = self.gateway.port(index).active_slot
        return port_label(index, slot, self.options.slot_style)

    def fields(self, index: int, slot: int) -> dict[str, Any]:
        """``st`` (as a code), SIM identity, operator, balance and signal of a slot."""
        port = self.gateway.port(index)
        state = slot_state(port, slot)
        sim = port.slots[slot]
        active = slot == port.active_slot
        present = (
            sim
            if sim is not None
            and not (active and port.registration is RegState.POWER_OFF)
            else None
        )
        readable = sim if not active or port.sim_readable else None
        return {
            "st": state,
            "imei": port.imei,
            "iccid": present.iccid if present else "",
            "imsi": readable.imsi if readable else "",
            "sn": readable.number if readable else "",
            "opr": operator_text(sim)
            if sim is not None and state in ON_NETWORK
            else "",
            "bal": f"{sim.balance:.2f}" if sim is not None else "0.00",
            "sig": port.signal if active else CSQ_UNKNOWN,
        }

    def entry(self, index: int, slot: int, seq: int) -> dict[str, Any]:
        """One item of ``dev-status``'s ``status`` (the order of the spec's example)."""
        values = self.fields(index, slot)
        state: PortState = values["st"]
        used = (
            self._minutes(index)
            if slot == self.gateway.port(index).active_slot
            else (0, 0, 0)
        )
        return {
            "port": self.label(index, slot),
            "sim": "",
            "seq": seq,
            "st": state_text(state) if self.options.status_text else int(state),
            "imei": values["imei"],
            "iccid": values["iccid"],
            "imsi": values["imsi"],
            "sn": values["sn"],
            "opr": values["opr"],
            "bal": values["bal"],
            "sig": values["sig"],
            "tot_dur": f"{used[0]}/{NO_LIMIT}",
            "mon_dur": f"{used[1]}/{NO_LIMIT}",
            "day_dur": f"{used[2]}/{NO_LIMIT}",
        }

    def port_status(self, index: int, seq: int) -> dict[str, Any]:
        """The ``port-status`` push of port ``index``'s active slot (``st`` as text)."""
        slot = self.gateway.port(index).active_slot
        values = self.fields(index, slot)
        return {
            "type": "port-status",
            "port": self.label(index, slot),
            "seq": seq,
            "st": state_text(values["st"]),
            "bal": values["bal"],
            "opr": values["opr"],
            "sn": values["sn"],
            "imei": values["imei"],
            "imsi": values["imsi"],
            "iccid": values["iccid"],
            "sig": values["sig"],
        }

    def _minutes(self, index: int) -> tuple[int, int, int]:
        """Call minutes (each call rounded up) of port ``index``: in all, this month, today."""
        now = self.gateway.clock()
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        month = today.replace(day=1)
        totals = [0, 0, 0]
        for record in self.gateway.find_calls(ports=[index]):
            minutes = math.ceil(record.duration / 60)
            for position, start in enumerate((None, month, today)):
                if start is None or record.start >= start:
                    totals[position] += minutes
        return totals[0], totals[1], totals[2]
