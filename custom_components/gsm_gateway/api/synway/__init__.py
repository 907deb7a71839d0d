"""Synway SMG wireless gateways (JSON posted to `/API/QueryInfo` and `/API/TaskHandle`).

Replies carry delimited text in `content` (`parsers.py`); ports are numbered
as the unit writes them, SIM slots A..D are 1..4. Nothing is pushed.
"""

from .client import SynwayGateway
from .parsers import (
    parse_counted_list,
    parse_inbox,
    parse_outbox,
    parse_port_values,
    parse_tasks,
    parse_ussd,
)

__all__ = [
    "SynwayGateway",
    "parse_counted_list",
    "parse_inbox",
    "parse_outbox",
    "parse_port_values",
    "parse_tasks",
    "parse_ussd",
]
