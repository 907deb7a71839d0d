"""Synway SMG: ``api/synway/`` (JSON posted to ``/API/QueryInfo``) against the ``synway`` dialect.

A port refresh is two queries, ``getportinfo`` (call states) and
``getportconnectstate`` (registrations); the modules' identities
(``getwirelessinfo``, one request per kind) are read at setup and then
hourly, so not in a scheduled refresh. Every query is a POST to the same
path: the figures name it by its event. Authentication is HTTP Basic.

Nothing is pushed (the client has no ``Capability.PUSH``): the push
benchmark reports "n/a (no push)", and SMS arrive by the inbox poll
(``queryrxsms`` from a time watermark), which the inbox benchmark times.
The unit reports no signal strength: the refresh's "one change" is a port's
call state. A unit is known by its first module's IMEI, which the seed
makes the same in every simulator: each gets IMEIs of its own. The bulk send is not run: its send results are polled (every
5 s for recent sends, each delivery receipt a request of its own), so the
benchmark's scaled-time bound does not apply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from benchmarks.families.base import Bench, BenchFamily, Shape, json_event_request
from custom_components.gsm_gateway.api import CallState, Registration
from custom_components.gsm_gateway.api.jsondata import parse_json
from custom_components.gsm_gateway.api.synway.parsers import (
    parse_counted_list,
    reply_content,
)
from custom_components.gsm_gateway.api.synway.wire import CALL_STATES, REGISTRATIONS
from gsm_simulator.identity import luhn_check_digit
from gsm_simulator.model import CallState as SimCallState

if TYPE_CHECKING:
    from gsm_simulator.server import Simulator


def parse_ports(bodies: Sequence[bytes]) -> object:
    """What the client does with the two bodies: JSON, content, the two lists, each port."""
    calls_body, links_body = bodies
    calls = parse_counted_list(
        reply_content(parse_json(calls_body), "getportinfo"),
        "portstate",
        "getportinfo",
    )
    links = parse_counted_list(
        reply_content(parse_json(links_body), "getportconnectstate"),
        "ConnectState",
        "getportconnectstate",
    )
    return [
        (
            CALL_STATES.get(call, CallState.UNKNOWN),
            REGISTRATIONS.get(link, Registration.UNKNOWN),
        )
        for call, link in zip(calls, links, strict=True)
    ]


def first_imei(sim: Simulator) -> str:
    """The first port's module IMEI: the unique id the config flow stores."""
    return sim.state.ports[0].imei


def own_imeis(sim: Simulator, number: int) -> None:
    """Module IMEIs of this simulator's own: its number and the port in the serial digits.

    The type allocation code (the first eight digits) stays; a valid check
    digit follows.
    """
    for port in sim.state.ports:
        body = f"{port.imei[:8]}{number % 1000:03d}{port.index:03d}"
        port.imei = body + luhn_check_digit(body)


def call_state_change(sim: Simulator) -> Callable[[int], None]:
    """The first registered port in a call at even steps, idle at odd ones."""
    port = next(p for p in sim.state.ports if p.registered)

    def change(step: int) -> None:
        port.call_state = SimCallState.IDLE if step % 2 else SimCallState.ACTIVE

    return change


FAMILY = BenchFamily(
    name="synway",
    label="Synway SMG",
    dialect="synway",
    shapes={
        "8x1": Shape(ports=8, slots=1, refreshes=300),
        "32x1": Shape(ports=32, slots=1, refreshes=150),
    },
    # Every one but the bulk send; the push benchmark is n/a (no push).
    benchmarks=frozenset(Bench) - {Bench.BULK_SEND},
    serial_prefix="sw00-bench",
    parse_ports=parse_ports,
    unique_id=first_imei,
    make_unique=own_imeis,
    scale_shape="32x1",
    max_requests_per_refresh=2,
    request_name=json_event_request,
    one_change=call_state_change,
    one_change_name="call state",
)
