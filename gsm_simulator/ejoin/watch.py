"""Which port changes make a ``port-status`` push.

The unit pushes a port's status whenever what it shows changes: its state
(registration, SIM in or out, lock), the slot in use, the SIM's identity,
operator or balance; the signal counts once it moved by at least the
``signal_threshold``.  :class:`PortWatch` keeps what each port showed last
and, when told a port may have changed, renders the push if it did, with the
port's next ``seq``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .status import StatusView


class PortWatch:
    """What every port showed at its last ``port-status``, and its sequence number."""

    def __init__(self, view: StatusView) -> None:
        """Watch the ports ``view`` renders, starting from how they are now."""
        self.view = view
        self.sequence: dict[int, int] = {}
        """Per port: the ``seq`` of its last ``port-status`` (0: none since boot)."""
        self._shown: dict[int, tuple[Any, ...]] = {}
        self._signal: dict[int, int] = {}
        for index in range(view.gateway.port_count):
            self._remember(index)

    def _snapshot(self, index: int) -> tuple[Any, ...]:
        port = self.view.gateway.port(index)
        values = self.view.fields(index, port.active_slot)
        values.pop("sig")
        return (port.active_slot, *values.values())

    def _remember(self, index: int) -> tuple[Any, ...]:
        snapshot = self._snapshot(index)
        self._shown[index] = snapshot
        self._signal[index] = self.view.gateway.port(index).signal
        return snapshot

    def check(self, index: int) -> dict[str, Any] | None:
        """The ``port-status`` push of port ``index`` if it changed; else ``None``."""
        gateway = self.view.gateway
        if gateway.port_or_none(index) is None:
            self._shown.pop(index, None)
            return None
        threshold = self.view.options.signal_threshold
        signal = gateway.port(index).signal
        moved = (
            threshold > 0 and abs(signal - self._signal.get(index, signal)) >= threshold
        )
        if self._shown.get(index) == self._snapshot(index) and not moved:
            return None
        self._remember(index)
        self.sequence[index] = self.sequence.get(index, 0) + 1
        return self.view.port_status(index, self.sequence[index])

    def restart(self) -> None:
        """A reboot: the sequence numbers start again."""
        self.sequence.clear()
