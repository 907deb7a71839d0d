"""Ejoin multi-SIM gateways (the `goip_*.html` HTTP API).

Ports are numbered from 1 and SIM slots from 1 (`A`/`.01`); credentials
travel in the query string, so no URL of a request is ever logged.
"""

from .client import EjoinGateway
from .parsers import parse_dev_status, parse_sms_row, parse_statistics
from .push import parse_push
from .wire import parse_port_slot

__all__ = [
    "EjoinGateway",
    "parse_dev_status",
    "parse_port_slot",
    "parse_push",
    "parse_sms_row",
    "parse_statistics",
]
