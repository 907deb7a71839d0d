"""Ejoin: ``api/ejoin/`` (the ``goip_*.html`` HTTP API) against the ``ejoin`` dialect.

The unit answers one status request with every port (``goip_get_status.html``),
authenticates with credentials in the query string, and is known by its MAC.
An SMS it pushes (``recv-sms``) carries no id: the Home Assistant event
names the message by its content, so the benchmark's sequence number travels
in the text.

At setup the integration registers its webhook with the unit, which from
then on pushes every port change (and its status every minute). The
simulators here push nothing, so that a refresh is timed alone (and Home
Assistant's test address, which the registration names, is never dialled);
only the bulk send, which needs the send reports, has them push.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
import json
import re
from typing import TYPE_CHECKING, Any

from benchmarks.families.base import Bench, BenchFamily, Shape
from custom_components.gsm_gateway.api.ejoin import parse_dev_status
from custom_components.gsm_gateway.api.ejoin.parsers import format_mac
from custom_components.gsm_gateway.api.jsondata import parse_json
from gsm_simulator.ejoin import EjoinDialect

if TYPE_CHECKING:
    from gsm_simulator.server import Simulator

PUSH_EPOCH = 1772600000
"""Unix time of the first pushed SMS (2026-03-04); each later one is a second on."""
_SEQUENCE = re.compile(r"Benchmark message (\d+):")


def sms_push(_serial: str, ports: int, message_id: int) -> bytes:
    """The body an Ejoin POSTs for one received SMS: every field new per message.

    A row is ``[report flag, port.slot, unix time, sender, recipient,
    base64 of the UTF-8 text]``; ports count from 1.
    """
    text = f"Benchmark message {message_id}: water level normal."
    return json.dumps(
        {
            "type": "recv-sms",
            "sms_num": 1,
            "sms": [
                [
                    0,
                    f"{message_id % ports + 1}.01",
                    PUSH_EPOCH + message_id,
                    f"+4477009{message_id % 100_000:05d}",
                    "+447700900999",
                    base64.b64encode(text.encode()).decode(),
                ]
            ],
        }
    ).encode()


def pushed_sequence(data: Mapping[str, Any]) -> int:
    """The number :func:`sms_push` wrote into the text of the event's SMS."""
    match = _SEQUENCE.match(str(data.get("text", "")))
    if match is None:
        msg = f"not a benchmark SMS: {data.get('text')!r}"
        raise ValueError(msg)
    return int(match.group(1))


def parse_ports(bodies: Sequence[bytes]) -> object:
    """What the client does with the one goip_get_status body: JSON, then dev-status."""
    (body,) = bodies
    return parse_dev_status(parse_json(body)).ports


def entry_unique_id(sim: Simulator) -> str:
    """The unit's MAC as the config flow stores it."""
    dialect = sim.dialect
    if not isinstance(dialect, EjoinDialect):
        msg = f"not an Ejoin simulator: {sim.dialect_name}"
        raise TypeError(msg)
    mac = format_mac(dialect.mac)
    if mac is None:
        msg = f"the simulator's MAC {dialect.mac!r} is not one"
        raise ValueError(msg)
    return mac


FAMILY = BenchFamily(
    name="ejoin",
    label="Ejoin",
    dialect="ejoin",
    shapes={
        "8x1": Shape(ports=8, slots=1, refreshes=300),
        "32x4": Shape(ports=32, slots=4, refreshes=150),
    },
    benchmarks=frozenset(Bench),
    serial_prefix="ej00-bench",
    sms_push=sms_push,
    parse_ports=parse_ports,
    pushed_sequence=pushed_sequence,
    unique_id=entry_unique_id,
    bulk_shape="32x4",
    scale_shape="32x4",
    simulator_options={"push_types": ()},
)
