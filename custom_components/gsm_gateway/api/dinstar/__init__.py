"""Dinstar gateways speaking the "new-version" HTTP API (1102 firmware and later).

Ports are numbered from 0. Replies are JSON objects with `error_code` and
`sn`, except `get_status`, which has neither. Key names drift between
firmware versions; both spellings are accepted.
"""

from .client import DinstarGateway
from .parsers import parse_incoming_sms, parse_port
from .push import parse_push
from .wire import INFO_TYPES

__all__ = [
    "INFO_TYPES",
    "DinstarGateway",
    "parse_incoming_sms",
    "parse_port",
    "parse_push",
]
