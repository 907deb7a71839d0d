"""Voice calls: call records, the calls the drift makes, call forwarding.

A call that ends uses up the port's call limits (one minute, one connection,
:data:`CALL_COST` of credit).  Call forwarding is what the network stores for
the SIM; a check answers after the USSD delay (the port's
``call_forward_report``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Final

from .errors import RefusedError
from .model import CallState, ForwardMode, SimCard, SimPort
from .records import CallDirection, CallRecord, HangupParty
from .timeline import TimerGroup
from .timings import as_utc

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from .context import GatewayContext

CALL_COST = 0.1
"""Credit one simulated call uses up."""
SIP_PEER_IP: Final = "192.0.2.10"
"""The VoIP peer of simulated calls (a documentation address, never contacted)."""


def charge_call(port: SimPort) -> None:
    """A call of ``port`` ended: it uses up one minute, one connection and credit."""
    credit = port.credit
    credit.remain_daily_call_time = max(0, credit.remain_daily_call_time - 1)
    credit.remain_hourly_call_time = max(0, credit.remain_hourly_call_time - 1)
    credit.remain_daily_connect = max(0, credit.remain_daily_connect - 1)
    for name in ("remain_credit", "remain_monthly_credit", "remain_daily_credit"):
        setattr(credit, name, max(0.0, round(getattr(credit, name) - CALL_COST, 2)))


def registered_sim(port: SimPort) -> SimCard:
    """The SIM of a registered ``port`` (:class:`RefusedError` otherwise)."""
    if not port.registered or port.sim is None:
        msg = f"port {port.index} is not registered"
        raise RefusedError(msg)
    return port.sim


class Calls:
    """The call records of a gateway and the calls of its ports."""

    def __init__(self, gateway: GatewayContext) -> None:
        """Work on ``gateway``'s clock, random source, timeline and listeners."""
        self.gateway = gateway
        self.records: list[CallRecord] = []
        self._timers = TimerGroup(gateway.timeline)

    def simulate(
        self,
        port: SimPort,
        number: str,
        *,
        answered: bool,
        direction: CallDirection | str,
        duration: int,
        ring_time: int,
        start: datetime | None,
        push: bool,
    ) -> CallRecord:
        """Record a finished call of ``port`` with ``number`` (the mobile party).

        See :meth:`SimGateway.simulate_call <gsm_simulator.gateway.SimGateway.simulate_call>`.
        """
        if not port.registered:
            msg = f"port {port.index} is not registered: no call can reach it"
            raise ValueError(msg)
        way = CallDirection(direction)
        talk = duration if answered else 0
        begin = (
            as_utc(start)
            if start is not None
            else self.gateway.clock() - timedelta(seconds=ring_time + talk)
        )
        own = port.sim.number if port.sim is not None else ""
        incoming = way is CallDirection.INCOMING
        record = CallRecord(
            port=port.index,
            start=begin,
            answer=begin + timedelta(seconds=ring_time) if answered else None,
            duration=talk,
            source_number=number if incoming else "1000",
            destination_number=own if incoming else number,
            direction=way,
            ip="" if incoming else SIP_PEER_IP,
            codec="G.711U" if answered else "",
            hangup=HangupParty.CALLED if answered else HangupParty.CALLING,
            gsm_code=16 if answered else 19,
        )
        if answered:
            charge_call(port)
        self.records.append(record)
        if push:
            self.gateway.emit(record)
        return record

    def find(
        self,
        *,
        ports: Iterable[int] | None = None,
        after: datetime | None = None,
        before: datetime | None = None,
    ) -> list[CallRecord]:
        """Call records (by start time, inclusive bounds) of ``ports``."""
        port_set = None if ports is None else set(ports)
        return [
            record
            for record in self.records
            if (port_set is None or record.port in port_set)
            and (after is None or record.start >= after)
            and (before is None or record.start <= before)
        ]

    def step(self, port: SimPort) -> None:
        """One drift step of a registered ``port``: a call may start or end."""
        credit = port.credit
        if port.call_steps_left:
            port.call_steps_left -= 1
            if not port.call_steps_left:
                port.call_state = CallState.IDLE
                charge_call(port)
            return
        rng = self.gateway.rng
        if (
            port.call_state is CallState.IDLE
            and credit.remain_daily_connect > 0
            and credit.remain_hourly_call_time > 0
            and credit.remain_daily_call_time > 0
            and rng.random() < 0.01
        ):
            port.call_state = CallState.ACTIVE
            port.call_steps_left = rng.randint(2, 8)

    # ---------------------------------------------------------- forwarding
    @staticmethod
    def set_forward(port: SimPort, mode: ForwardMode | str | None, number: str) -> None:
        """Forward calls under ``mode`` to ``number``; ``None`` cancels all.

        The network stores it: the port must be registered.
        """
        sim = registered_sim(port)
        if mode is None:
            sim.call_forwarding.clear()
            return
        if not number:
            msg = "call forwarding needs a number"
            raise ValueError(msg)
        sim.call_forwarding[ForwardMode(mode).value] = number

    def check_forward(self, port: SimPort) -> None:
        """Ask the network what ``port`` forwards; the answer comes after the USSD delay."""
        sim = registered_sim(port)

        def answer() -> None:
            if port.registered and port.sim is sim:
                port.call_forward_report = dict(sim.call_forwarding)

        self._timers.call_later(self.gateway.timings.ussd_delay, answer)

    def reset(self) -> None:
        """A reboot: pending checks and their results are lost (records stay)."""
        self._timers.cancel_all()
        for port in self.gateway.ports:
            port.call_forward_report = None
