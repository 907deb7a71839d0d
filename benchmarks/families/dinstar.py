"""Dinstar: ``api/dinstar/`` (new-version HTTP API) against the ``dinstar`` dialect."""

from __future__ import annotations

from collections.abc import Sequence
import json

from benchmarks.families.base import Bench, BenchFamily, Shape
from custom_components.gsm_gateway.api.dinstar import parse_port
from custom_components.gsm_gateway.api.jsondata import parse_json


def sms_push(serial: str, ports: int, message_id: int) -> bytes:
    """The body a Dinstar POSTs for one received SMS."""
    return json.dumps(
        {
            "sn": serial,
            "sms": [
                {
                    "incoming_sms_id": message_id,
                    "port": message_id % ports,
                    "number": "+447700900123",
                    "smsc": "+447785016005",
                    "timestamp": "2026-03-04 05:06:07",
                    "text": f"Benchmark message {message_id}: water level normal.",
                }
            ],
        }
    ).encode()


def parse_ports(bodies: Sequence[bytes]) -> object:
    """What the client does with the one get_port_info body: JSON, then each port."""
    (body,) = bodies
    return [parse_port(item) for item in parse_json(body)["info"]]


FAMILY = BenchFamily(
    name="dinstar",
    label="Dinstar",
    dialect="dinstar",
    shapes={
        "8x1": Shape(ports=8, slots=1, refreshes=300),
        "32x4": Shape(ports=32, slots=4, refreshes=150),
    },
    benchmarks=frozenset(Bench),
    serial_prefix="dc00-bench",
    sms_push=sms_push,
    parse_ports=parse_ports,
    bulk_shape="32x4",
    scale_shape="32x4",
)
