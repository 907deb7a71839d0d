"""Synway device queries: ``getportinfo``, ``getportconnectstate``, ``getwirelessinfo``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import SynwayBase
from .names import Reason, WirelessType
from .parsing import ApiError
from .render import FORMAT, port_list, port_values
from .status import connect_state, port_state, wireless_value

if TYPE_CHECKING:
    from .parsing import Fields


class DeviceEvents(SynwayBase):
    """The state of the ports and the identities of their modules and SIMs."""

    def get_port_info(self, fields: Fields) -> str:
        """``total:8;portstate:0,0,...``: every port's call state."""
        del fields
        states = [int(port_state(port)) for port in self.gateway.ports]
        return port_list("portstate", states)

    def get_port_connect_state(self, fields: Fields) -> str:
        """``total:8;ConnectState:1,1,....``: every port's base station connection."""
        del fields
        states = [int(connect_state(port)) for port in self.gateway.ports]
        return port_list("ConnectState", states, end=True)

    def get_wireless_info(self, fields: Fields) -> str:
        """``PortType:WCDMA`` or ``2:<value>.3:<value>.`` for ``type`` and ``port``.

        ``type`` porttype without ``port`` names the unit's module type (the
        ``port_type`` option); otherwise every port named (default: all)
        gets its value, empty when it has none.
        """
        raw = fields.text("type", Reason.BAD_TYPE)
        try:
            kind = WirelessType((raw or "").lower())
        except ValueError as err:
            raise ApiError(Reason.BAD_TYPE) from err
        refs = self.port_refs(fields)
        port_type = self.options.port_type
        if refs is None and kind is WirelessType.PORT_TYPE:
            return FORMAT.pair("PortType", port_type)
        indexes = (
            range(self.gateway.port_count)
            if refs is None
            else [ref.port for ref in refs]
        )
        return port_values(
            (
                self.port_number(index),
                wireless_value(self.gateway.port(index), kind, port_type),
            )
            for index in indexes
        )
