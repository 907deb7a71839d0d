"""Port lookup and the per-port operations of a gateway, by 0-based index.

:class:`PortOperations` is the part of
:class:`~gsm_simulator.gateway.SimGateway` that finds a port by its index and
hands it to the rule that applies: registration
(:class:`~gsm_simulator.registration.Registrar`), call forwarding
(:class:`~gsm_simulator.calls.Calls`), or a plain change of the port or its
SIM.  An index the gateway does not have raises :class:`IndexError`.

After an operation that may change what a status page shows of the port
(state, SIM, slot, signal, credit, block) the :attr:`PortOperations.port_listeners`
are told its index; they compare for themselves (a dialect pushing a port's
status on every change does).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from .errors import RefusedError
from .model import CSQ_MAX, CSQ_UNKNOWN, CallState, RegState, check_range

if TYPE_CHECKING:
    from collections.abc import Callable

    from .calls import Calls
    from .identity import HardwareFactory
    from .model import ForwardMode, SimCard, SimPort
    from .registration import Registrar


class PortOperations:
    """Ports by index, and what can be done to one."""

    ports: list[SimPort]
    registrar: Registrar
    voice: Calls
    factory: HardwareFactory
    port_listeners: list[Callable[[int], None]]
    """Called with a port's index after anything it shows may have changed."""

    def port_changed(self, index: int) -> None:
        """Tell the port listeners that what port ``index`` shows may have changed."""
        for listener in list(self.port_listeners):
            listener(index)

    @property
    def port_count(self) -> int:
        """Number of ports currently present."""
        return len(self.ports)

    def port(self, index: int) -> SimPort:
        """Return port ``index`` (0-based) or raise :class:`IndexError`."""
        if not 0 <= index < len(self.ports):
            msg = f"no port {index} (gateway has {len(self.ports)})"
            raise IndexError(msg)
        return self.ports[index]

    def port_or_none(self, index: int) -> SimPort | None:
        """Return port ``index``, or ``None`` if the gateway has no such port."""
        return self.ports[index] if 0 <= index < len(self.ports) else None

    # ------------------------------------------------------------ port state
    def set_registration(self, index: int, state: RegState | str) -> None:
        """Force the registration state of port ``index``.

        Every state but ``no_sim``, ``power_off`` and ``unknown`` needs a SIM
        in the active slot (:class:`ValueError` otherwise).  Leaving the registered
        state detaches GPRS and ends any call; ``no_sim`` and ``power_off`` also
        drop the signal to 0.
        """
        port = self.port(index)
        self.registrar.force(port, RegState(state))
        self.port_changed(index)

    def set_signal(self, index: int, csq: int) -> None:
        """Set the signal of port ``index`` (CSQ 0..31, or 99 for unknown)."""
        if csq != CSQ_UNKNOWN:
            check_range("csq", csq, 0, CSQ_MAX)
        port = self.port(index)
        port.signal = csq
        if csq != CSQ_UNKNOWN:
            port.base_signal = csq
        self.port_changed(index)

    def set_call_state(self, index: int, state: CallState | str) -> None:
        """Set the call state of port ``index``; the drift leaves it alone until idle."""
        port = self.port(index)
        port.call_state = CallState(state)
        port.call_steps_left = 0

    def remove_sim(self, index: int, slot: int | None = None) -> None:
        """Take the SIM out of ``slot`` (default: the active slot) of port ``index``.

        The port then has no SIM, unless its module is off: it finds out when
        switched on.
        """
        self.registrar.remove_sim(self.port(index), slot)
        self.port_changed(index)

    def insert_sim(
        self, index: int, slot: int | None = None, card: SimCard | None = None
    ) -> SimCard:
        """Put a SIM (generated when ``card`` is omitted) into a slot of port ``index``.

        A SIM inserted into the active slot registers at once (a module that
        is off registers it once switched on).
        """
        port = self.port(index)
        slot_index = self.registrar.slot_index(port, slot)
        new_card = card if card is not None else self.factory.sim()
        self.registrar.insert_sim(port, slot_index, new_card)
        self.port_changed(index)
        return new_card

    def set_balance(self, index: int, amount: float) -> None:
        """Set the prepaid credit of the SIM in port ``index``'s active slot.

        What the balance codes answer and the toolkit shows from then on;
        :class:`ValueError` without a SIM or for a non-finite amount.
        """
        sim = self.port(index).sim
        if sim is None:
            msg = f"port {index} has no SIM"
            raise ValueError(msg)
        if not math.isfinite(amount):
            msg = f"balance must be a finite number, got {amount!r}"
            raise ValueError(msg)
        sim.balance = round(float(amount), 2)
        self.port_changed(index)

    def set_active_slot(self, index: int, slot: int) -> None:
        """Switch port ``index`` to SIM ``slot``; it registers if a SIM is there."""
        self.registrar.set_active_slot(self.port(index), slot)
        self.port_changed(index)

    # ------------------------------------------------------------ port control
    def power(self, index: int, *, on: bool) -> None:
        """Switch the module of port ``index`` off (at once) or on (it then registers)."""
        self.registrar.power(self.port(index), on=on)
        self.port_changed(index)

    def reset_port(self, index: int) -> None:
        """Restart the module of port ``index``: it searches, then registers again.

        A SIM with its PIN lock on comes back wanting the PIN; a powered-off
        module cannot be reset (:class:`RefusedError`).
        """
        self.registrar.reset(self.port(index))
        self.port_changed(index)

    def switch_slot(self, index: int, slot: int) -> None:
        """Make port ``index`` use SIM ``slot``; it registers after the register delay."""
        self.registrar.switch_slot(self.port(index), slot)
        self.port_changed(index)

    def set_pin_lock(self, index: int, pin: str, *, enabled: bool) -> None:
        """Turn the PIN lock of port ``index``'s SIM on or off, proving ``pin``.

        A wrong PIN is refused and uses up an attempt; after the third the
        SIM wants its PUK.  The right PIN also unlocks a SIM that asks for it.
        """
        self.registrar.set_pin_lock(self.port(index), pin, enabled=enabled)
        self.port_changed(index)

    def set_imei(self, index: int, imei: str) -> None:
        """Give the module of port ``index`` another IMEI (15 digits)."""
        if len(imei) != 15 or not (imei.isascii() and imei.isdigit()):
            msg = f"an IMEI has 15 digits, got {imei!r}"
            raise ValueError(msg)
        self.port(index).imei = imei
        self.port_changed(index)

    def set_number(self, index: int, number: str) -> None:
        """Store ``number`` as the own number of port ``index``'s SIM."""
        port = self.port(index)
        if port.sim is None or not port.sim_readable:
            msg = f"no readable SIM on port {index}"
            raise RefusedError(msg)
        port.sim.number = number
        self.port_changed(index)

    def set_blocked(self, index: int, *, blocked: bool) -> None:
        """Keep port ``index`` out of (or back in) the choice of sending ports."""
        self.port(index).blocked = blocked
        self.port_changed(index)

    def set_call_forward(
        self, index: int, mode: ForwardMode | str | None, number: str = ""
    ) -> None:
        """Forward calls of port ``index`` under ``mode`` to ``number``; ``None`` cancels all.

        The network stores it: the port must be registered.
        """
        self.voice.set_forward(self.port(index), mode, number)

    def check_call_forward(self, index: int) -> None:
        """Ask the network what port ``index`` forwards; the answer comes after the USSD delay."""
        self.voice.check_forward(self.port(index))
