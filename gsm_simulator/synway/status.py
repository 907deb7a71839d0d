"""What the Synway device queries show of a port, from the shared model.

* ``portstate`` (:func:`port_state`): a port off the network (no SIM,
  module off, searching, locked, refused) is 11 unavailable; otherwise its
  call state: idle 0, dialing 4, ringing 2, talking (also on hold) 3,
  ringback (alerting) 9, pending (call waiting) 7, unknown 11.
* ``ConnectState`` (:func:`connect_state`): registered 1, searching 2,
  denied 3, unknown 4; not registered, no SIM, PIN/PUK wanted or module off 0.
* ``getwirelessinfo`` (:func:`wireless_value`): the module's IMEI always;
  the ICCID of a SIM in the active slot while the module is on; its IMSI and
  own number while the module can read the SIM; ``""`` otherwise.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from gsm_simulator.model import CallState, RegState

from .names import ConnectState, PortState, WirelessType

if TYPE_CHECKING:
    from gsm_simulator.model import SimPort

_CALL_STATES: Final[dict[CallState, PortState]] = {
    CallState.IDLE: PortState.IDLE,
    CallState.PROCESSING: PortState.DIALING,
    CallState.RINGING: PortState.RINGING,
    CallState.ACTIVE: PortState.TALKING,
    CallState.ALERTING: PortState.RINGBACK,
    CallState.WAITING: PortState.PENDING,
    CallState.HOLDING: PortState.TALKING,
    CallState.UNKNOWN: PortState.UNAVAILABLE,
}
_CONNECT_STATES: Final[dict[RegState, ConnectState]] = {
    RegState.REGISTERED: ConnectState.CONNECTED,
    RegState.SEARCHING: ConnectState.CONNECTING,
    RegState.DENIED: ConnectState.REJECTED,
    RegState.UNKNOWN: ConnectState.UNKNOWN,
}


def port_state(port: SimPort) -> PortState:
    """``portstate`` of ``port``."""
    if not port.registered:
        return PortState.UNAVAILABLE
    return _CALL_STATES[port.call_state]


def connect_state(port: SimPort) -> ConnectState:
    """``ConnectState`` of ``port``."""
    return _CONNECT_STATES.get(port.registration, ConnectState.UNCONNECTED)


def wireless_value(port: SimPort, kind: WirelessType, port_type: str) -> str:
    """What ``getwirelessinfo`` of ``kind`` shows for ``port`` (``""``: nothing)."""
    sim = port.sim
    readable = sim if port.sim_readable else None
    match kind:
        case WirelessType.PORT_TYPE:
            return port_type
        case WirelessType.IMEI:
            return port.imei
        case WirelessType.ICCID:
            powered = port.registration is not RegState.POWER_OFF
            return sim.iccid if sim is not None and powered else ""
        case WirelessType.IMSI:
            return readable.imsi if readable is not None else ""
        case WirelessType.PHONE_NO:  # pragma: no branch - the enum is exhaustive
            return readable.number if readable is not None else ""
