"""Registration rules: how ports join and leave the network, and what changes it.

One :class:`Registrar` per gateway.  Joining or leaving the network is a
:class:`~gsm_simulator.records.RegisterChange` event (with the port's next
register sequence); leaving it detaches GPRS and ends any call; ``no_sim``
and ``power_off`` also drop the signal to 0.  A module that starts (reset,
power on, another slot) searches first and reaches its state after
:attr:`Timings.register_delay <gsm_simulator.timings.Timings.register_delay>`
seconds; after a reboot a drift step count may bring it back sooner.

The operations take the port itself; the gateway looks the port up by index.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import RefusedError
from .model import (
    CSQ_UNKNOWN,
    NETWORK_STATES,
    PIN_ATTEMPTS,
    CallState,
    RegState,
    SimCard,
    SimPort,
    check_range,
    needs_sim,
)
from .records import RegisterChange

if TYPE_CHECKING:
    from .context import GatewayContext


def boot_state(sim: SimCard) -> RegState:
    """Where a module with ``sim`` ends up once it has started."""
    if sim.pin_attempts <= 0:
        return RegState.PUK_REQUIRED
    if sim.pin_enabled:
        return RegState.PIN_REQUIRED
    return RegState.REGISTERED


class Registrar:
    """The registration state machine of every port of one gateway."""

    def __init__(self, gateway: GatewayContext) -> None:
        """Work on ``gateway``'s ports, timeline and listeners."""
        self.gateway = gateway

    # ------------------------------------------------------------ transitions
    def apply(self, port: SimPort, state: RegState, *, emit: bool = True) -> None:
        """Put ``port`` in ``state`` now; joining or leaving the network is an event.

        With ``emit``, any change of state is also told to the port listeners.
        """
        was_up = port.registered
        changed = port.registration is not state
        port.registration = state
        port.pending_registration = None
        port.pending_steps = 0
        if port.pending_timer is not None:
            port.pending_timer.cancel()
            port.pending_timer = None
        if emit and was_up != port.registered:
            self.announce(port)
        if state is RegState.REGISTERED:
            port.gprs_attached = True
            if port.signal in {0, CSQ_UNKNOWN}:
                port.signal = port.base_signal
        else:
            port.gprs_attached = False
            port.call_state = CallState.IDLE
            port.call_steps_left = 0
            if state in {RegState.NO_SIM, RegState.POWER_OFF}:
                port.signal = 0
        if emit and changed:
            self.gateway.port_changed(port.index)

    def announce(self, port: SimPort) -> None:
        """Emit the :class:`RegisterChange` of ``port``'s current state."""
        port.register_sequence += 1
        sim = port.sim
        readable = sim if port.sim_readable else None
        self.gateway.emit(
            RegisterChange(
                port=port.index,
                up=port.registered,
                iccid=readable.iccid if readable else "",
                imsi=readable.imsi if readable else "",
                number=sim.number if sim else "",
                sequence=port.register_sequence,
                slot=port.active_slot,
            )
        )

    def start(
        self,
        port: SimPort,
        target: RegState,
        *,
        delay: float | None = None,
        steps: int | None = None,
        emit: bool = True,
    ) -> None:
        """Make ``port`` search the network and reach ``target`` later.

        It gets there after ``delay`` seconds (default: the register delay)
        or, if ``steps`` is given, after that many drift steps if sooner.
        """
        self.apply(port, RegState.SEARCHING, emit=emit)
        if target is RegState.SEARCHING:
            return
        port.pending_registration = target
        port.pending_steps = steps
        wait = self.gateway.timings.register_delay if delay is None else delay
        port.pending_timer = self.gateway.timeline.call_later(
            wait, lambda: self._complete(port)
        )

    def _complete(self, port: SimPort) -> None:
        port.pending_timer = None
        if port.pending_registration is not None and port in self.gateway.ports:
            self.apply(port, port.pending_registration)

    def step(self, port: SimPort) -> bool:
        """One drift step; whether ``port`` is still on its way to a pending state."""
        if port.pending_registration is None:
            return False
        if port.pending_steps is not None:
            port.pending_steps -= 1
            if port.pending_steps <= 0:
                self.apply(port, port.pending_registration)
        return True

    def boot(self, port: SimPort) -> None:
        """Start the module of ``port``: no SIM at once, else search and register."""
        if port.sim is None:
            self.apply(port, RegState.NO_SIM)
        else:
            self.start(port, boot_state(port.sim))

    def restart(self, downtime: float) -> None:
        """A reboot: ports that were on the network come back (silently leaving it).

        Each returns to its state after one to three drift steps or
        ``downtime`` plus the register delay, whichever comes first; ports
        without SIM, locked or powered off stay as they are.
        """
        gateway = self.gateway
        for port in gateway.ports:
            previous = port.registration
            if previous not in NETWORK_STATES:
                continue
            self.start(
                port,
                previous,
                delay=downtime + gateway.timings.register_delay,
                steps=None
                if previous is RegState.SEARCHING
                else gateway.rng.randint(1, 3),
                emit=False,
            )

    # ------------------------------------------------------------- operations
    def slot_index(self, port: SimPort, slot: int | None) -> int:
        """``slot``, or the active slot for ``None``; :class:`ValueError` if absent."""
        slot_index = port.active_slot if slot is None else slot
        check_range("slot", slot_index, 0, self.gateway.slot_count - 1)
        return slot_index

    def force(self, port: SimPort, state: RegState) -> None:
        """Force ``state`` (a SIM state needs a SIM: :class:`ValueError`)."""
        if needs_sim(state) and port.sim is None:
            msg = f"port {port.index} has no SIM in slot {port.active_slot}"
            raise ValueError(msg)
        self.apply(port, state)

    def power(self, port: SimPort, *, on: bool) -> None:
        """Switch the module off (at once) or on (it then registers)."""
        if not on:
            if port.registration is not RegState.POWER_OFF:
                self.apply(port, RegState.POWER_OFF)
        elif port.registration is RegState.POWER_OFF:
            self.boot(port)

    def reset(self, port: SimPort) -> None:
        """Restart the module; a powered-off one cannot be (:class:`RefusedError`)."""
        if port.registration is RegState.POWER_OFF:
            msg = f"port {port.index} is powered off"
            raise RefusedError(msg)
        self.boot(port)

    def switch_slot(self, port: SimPort, slot: int) -> None:
        """Use SIM ``slot``; the module restarts and registers after the delay."""
        check_range("slot", slot, 0, self.gateway.slot_count - 1)
        if slot == port.active_slot:
            return
        if port.registration is RegState.POWER_OFF:
            port.active_slot = slot
            return
        if port.sim is not None:
            self.apply(port, RegState.SEARCHING)
        port.active_slot = slot
        self.boot(port)

    def set_active_slot(self, port: SimPort, slot: int) -> None:
        """Use SIM ``slot`` at once: registered if a SIM is there."""
        check_range("slot", slot, 0, self.gateway.slot_count - 1)
        if slot != port.active_slot and port.registered:
            self.apply(port, RegState.SEARCHING)  # the old SIM leaves
        port.active_slot = slot
        self.apply(
            port, RegState.REGISTERED if port.sim is not None else RegState.NO_SIM
        )

    def set_pin_lock(self, port: SimPort, pin: str, *, enabled: bool) -> None:
        """Turn the SIM's PIN lock on or off, proving ``pin``.

        A wrong PIN is refused and uses up an attempt; after the third the
        SIM wants its PUK.  The right PIN also unlocks a SIM that asks for it.
        """
        sim = port.sim
        if sim is None or port.registration in {RegState.POWER_OFF, RegState.NO_SIM}:
            msg = f"no SIM to talk to on port {port.index}"
            raise RefusedError(msg)
        if port.registration is RegState.PUK_REQUIRED or sim.pin_attempts <= 0:
            msg = f"the SIM of port {port.index} wants its PUK"
            raise RefusedError(msg)
        if pin != sim.pin:
            sim.pin_attempts -= 1
            if sim.pin_attempts <= 0:
                self.apply(port, RegState.PUK_REQUIRED)
            msg = f"wrong PIN, {sim.pin_attempts} attempts left"
            raise RefusedError(msg)
        sim.pin_attempts = PIN_ATTEMPTS
        sim.pin_enabled = enabled
        if port.registration is RegState.PIN_REQUIRED:
            self.start(port, RegState.REGISTERED)

    def remove_sim(self, port: SimPort, slot: int | None) -> None:
        """Take the SIM out of ``slot`` (default: the active one).

        The port then has no SIM, unless its module is off: it finds out when
        switched on.
        """
        slot_index = self.slot_index(port, slot)
        port.slots[slot_index] = None
        if (
            slot_index == port.active_slot
            and port.registration is not RegState.POWER_OFF
        ):
            self.apply(port, RegState.NO_SIM)

    def insert_sim(self, port: SimPort, slot: int | None, card: SimCard) -> None:
        """Put ``card`` into ``slot`` (default: the active one).

        A SIM inserted into the active slot registers at once (a module that
        is off registers it once switched on).
        """
        slot_index = self.slot_index(port, slot)
        port.slots[slot_index] = card
        if (
            slot_index == port.active_slot
            and port.registration is not RegState.POWER_OFF
        ):
            if port.registered:  # another SIM replaced: it leaves first
                self.apply(port, RegState.SEARCHING)
            self.apply(port, RegState.REGISTERED)
