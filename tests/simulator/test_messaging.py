"""Outgoing SMS in the vendor-neutral model: segments, queues, results, reports."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from gsm_simulator import (
    DeliveryReport,
    Encoding,
    NoPortError,
    RegState,
    SimGateway,
    SmsResult,
    SmsStatus,
    Timings,
    segment_count,
)
from gsm_simulator.core import GatewayEvent
from gsm_simulator.messaging import SMS_COST, char_units, in_window, is_gsm7

SEND = 6.5


@pytest.mark.parametrize(
    ("text", "encoding", "segments"),
    [
        ("", Encoding.GSM7, 1),
        ("a" * 160, Encoding.GSM7, 1),
        ("a" * 161, Encoding.GSM7, 2),
        ("a" * 306, Encoding.GSM7, 2),
        ("a" * 307, Encoding.GSM7, 3),
        ("€" * 80, Encoding.GSM7, 1),
        ("€" * 81, Encoding.GSM7, 2),
        # 152 septets, then an escape pair that may not straddle two parts.
        ("a" * 152 + "[" + "a" * 10, Encoding.GSM7, 2),
        ("a" * 152 + "[" + "a" * 152, Encoding.GSM7, 3),  # 306 septets
        ("ж" * 70, Encoding.UCS2, 1),
        ("ж" * 71, Encoding.UCS2, 2),
        ("ж" * 134, Encoding.UCS2, 2),
        ("ж" * 135, Encoding.UCS2, 3),
        ("😀" * 35, Encoding.UCS2, 1),
        ("😀" * 36, Encoding.UCS2, 2),
        ("ж" * 66 + "😀", Encoding.UCS2, 1),
        ("ж" * 66 + "😀" + "ж" * 4, Encoding.UCS2, 2),
        ("hello", Encoding.UCS2, 1),
    ],
)
def test_segment_count(text: str, encoding: Encoding, segments: int) -> None:
    """GSM-7 160/153 with two-septet extension characters; UCS-2 70/67 with surrogates."""
    assert segment_count(text, encoding) == segments


def test_alphabet() -> None:
    """Characters outside the GSM tables count one septet (sent as '?')."""
    assert is_gsm7("Hello @£$ {€}")
    assert not is_gsm7("Привет")
    assert char_units("a€ж", Encoding.GSM7) == [1, 2, 1]
    assert char_units("a😀", Encoding.UCS2) == [1, 2]


def test_in_window_is_inclusive() -> None:
    """Both bounds include the moment itself."""
    moment = datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert in_window(moment, moment, moment)
    assert in_window(moment, None, None)
    assert not in_window(moment, moment + timedelta(seconds=1), None)
    assert not in_window(moment, None, moment - timedelta(seconds=1))


def make_gateway(**timings: float) -> tuple[SimGateway, list[GatewayEvent]]:
    """An 8-port gateway with a manual timeline and its event log."""
    gateway = SimGateway(ports=8, timings=Timings(**timings))
    events: list[GatewayEvent] = []
    gateway.listeners.append(events.append)
    return gateway, events


def results_of(events: list[GatewayEvent]) -> list[tuple[int, str]]:
    """(port, status) of every result event."""
    return [
        (event.port, event.status.value)
        for event in events
        if isinstance(event, SmsResult)
    ]


def test_round_robin_and_one_message_per_port() -> None:
    """Messages spread over registered ports; each port sends one at a time."""
    gateway, events = make_gateway()
    outbox = gateway.outbox
    assert outbox.usable_ports() == [0, 1, 2, 4, 5, 7]
    task = outbox.submit([(f"10{i}", "hi", i) for i in range(8)])
    assert task.task_id == 1
    assert [message.port for message in task.messages] == [0, 1, 2, 4, 5, 7, 0, 1]
    assert outbox.pending == 8
    assert gateway.queue_length == 8
    assert outbox.is_sending(0)
    assert outbox.queued(0) == 1
    assert [result.status for result in outbox.results] == [SmsStatus.SENDING] * 6
    gateway.timeline.advance(SEND)
    assert outbox.pending == 2
    assert results_of(events) == [(p, "sent") for p in (0, 1, 2, 4, 5, 7)]
    gateway.timeline.advance(SEND)
    assert outbox.pending == 0
    # The next task continues the rotation, limited to the requested ports.
    second = outbox.submit([("1", "a", None), ("2", "b", None)], ports=[7, 2, 3])
    assert second.task_id == 2
    assert [message.port for message in second.messages] == [2, 7]


def test_no_usable_port() -> None:
    """Unregistered, blocked or absent ports cannot take messages."""
    gateway, _ = make_gateway()
    with pytest.raises(NoPortError):
        gateway.outbox.submit([("1", "x", None)], ports=[3, 6, 20])
    gateway.set_blocked(0, blocked=True)
    with pytest.raises(NoPortError):
        gateway.outbox.submit([("1", "x", None)], ports=[0])
    gateway.set_blocked(0, blocked=False)
    assert gateway.outbox.submit([("1", "x", None)], ports=[0]).messages[0].port == 0


def test_results_reports_and_delivery() -> None:
    """Sent, then one report per segment, then delivered; refs follow the segments."""
    gateway, events = make_gateway(delivery_delay=2)
    port = gateway.port(0)
    port.next_ref = 254
    sim = port.sim
    assert sim is not None
    balance = sim.balance
    gateway.outbox.submit(
        [("+4479000", "a" * 400, 5)], ports=[0], encoding=Encoding.GSM7
    )
    result = gateway.outbox.results[0]
    assert (result.count, result.succ_count, result.ref_id) == (3, 0, 254)
    assert result.status is SmsStatus.SENDING
    gateway.timeline.advance(SEND)
    assert result.status is SmsStatus.SENT
    assert result.succ_count == 3
    assert result.imsi == sim.imsi
    assert result.text == "a" * 400
    assert port.next_ref == 1
    assert sim.balance == round(balance - 3 * SMS_COST, 2)
    gateway.timeline.advance(2)
    reports = [event for event in events if isinstance(event, DeliveryReport)]
    assert [report.ref_id for report in reports] == [254, 255, 0]
    assert {report.status_code for report in reports} == {0}
    assert result.status is SmsStatus.DELIVERED
    assert results_of(events) == [(0, "sent"), (0, "delivered")]
    assert gateway.outbox.reports == reports


def test_without_status_report() -> None:
    """No report requested: the result stays sent and nothing is scheduled."""
    gateway, _ = make_gateway()
    gateway.outbox.submit([("1", "x", None)], status_report=False)
    gateway.timeline.advance(SEND)
    assert gateway.outbox.results[0].status is SmsStatus.SENT
    assert gateway.timeline.pending == 0
    assert gateway.outbox.reports == []


def test_failure_rules() -> None:
    """Send and delivery failures by number, port and count."""
    gateway, _ = make_gateway(delivery_delay=1)
    outbox = gateway.outbox
    by_number = gateway.outbox.fail_sends(number="666")
    by_port = outbox.fail_sends(port=1, count=None)
    not_delivered = outbox.fail_deliveries(number="777", status_code=65)
    outbox.submit(
        [("666", "x", 1), ("666", "x", 2), ("777", "x", 3), ("1", "x", 4)],
        ports=[0, 1],
    )
    gateway.timeline.advance(SEND * 3)
    statuses = {
        result.user_id: (result.status, result.succ_count) for result in outbox.results
    }
    assert statuses == {
        1: (SmsStatus.FAILED, 0),  # number rule
        2: (SmsStatus.FAILED, 0),  # port 1 rule
        3: (SmsStatus.SENT, 1),  # report says 65
        4: (SmsStatus.FAILED, 0),  # port 1 rule, until cleared
    }
    assert [report.status_code for report in outbox.reports] == [65]
    assert (by_number.hits, by_port.hits, not_delivered.hits) == (1, 2, 1)
    assert not by_number.active
    outbox.clear_failures()
    outbox.submit([("666", "x", 5)], ports=[1])
    gateway.timeline.advance(SEND + 1)
    assert outbox.results[-1].status is SmsStatus.DELIVERED
    with pytest.raises(ValueError, match="count"):
        outbox.fail_sends(count=0)
    with pytest.raises(ValueError, match="status_code"):
        outbox.fail_deliveries(status_code=0)


def test_port_down_fails_its_messages() -> None:
    """A port that leaves the network fails the message on the air and its queue."""
    gateway, events = make_gateway()
    outbox = gateway.outbox
    outbox.submit([(str(i), "x", i) for i in range(3)], ports=[0])
    gateway.timeline.advance(1)
    gateway.set_registration(0, RegState.SEARCHING)
    gateway.timeline.advance(SEND)
    # The one on the air fails at its end; the waiting ones at once, one after the other.
    assert results_of(events) == [(0, "failed")] * 3
    assert outbox.pending == 0


def test_stop_task() -> None:
    """Stopping drops waiting messages; the one on the air finishes."""
    gateway, _ = make_gateway()
    outbox = gateway.outbox
    first = outbox.submit([(str(i), "x", i) for i in range(3)], ports=[0])
    second = outbox.submit([("9", "x", 9)], ports=[0])
    assert outbox.stop(first.task_id)
    assert first.stopped
    assert not outbox.stop(99)
    assert outbox.pending == 2
    gateway.timeline.advance(SEND * 2)
    assert [result.user_id for result in outbox.results] == [0, 9]
    assert second.messages[0].port == 0


def test_reset_and_drop_ports() -> None:
    """A reboot loses queues and tasks; removed ports lose their queue."""
    gateway, events = make_gateway()
    outbox = gateway.outbox
    outbox.submit([(str(i), "x", i) for i in range(4)], ports=[0, 1])
    outbox.reset()
    assert outbox.pending == 0
    assert outbox.tasks == {}
    assert [result.status for result in outbox.results] == [SmsStatus.FAILED] * 2
    assert results_of(events) == []
    assert outbox.submit([("1", "x", None)]).task_id == 1
    gateway.timeline.advance(SEND)
    outbox.submit([(str(i), "x", i) for i in range(3)], ports=[7])
    gateway.set_port_count(4)
    assert outbox.pending == 1
    gateway.timeline.advance(SEND)
    assert outbox.results[-1].status is SmsStatus.FAILED  # its port is gone


def test_find_results_and_reports() -> None:
    """Filters combine; a list matches any of its values; times are inclusive."""
    clock = [datetime(2024, 1, 1, 10, tzinfo=UTC)]
    gateway = SimGateway(ports=8, clock=lambda: clock[0])
    outbox = gateway.outbox
    outbox.submit([("111", "x", 1), ("222", "x", 2)], ports=[0, 1])
    gateway.timeline.advance(SEND)
    clock[0] = datetime(2024, 1, 1, 11, tzinfo=UTC)
    outbox.submit([("111", "x", 3)], ports=[2])
    gateway.timeline.advance(SEND + 3)
    find = outbox.find_results
    assert [r.user_id for r in find()] == [1, 2, 3]
    assert [r.user_id for r in find(numbers=["111"])] == [1, 3]
    assert [r.user_id for r in find(ports=[1, 2])] == [2, 3]
    assert [r.user_id for r in find(user_ids=[2, 9])] == [2]
    assert [r.user_id for r in find(after=clock[0])] == [3]
    assert [r.user_id for r in find(before=clock[0] - timedelta(minutes=1))] == [1, 2]
    assert [r.user_id for r in find(numbers=["111"], ports=[0])] == [1]
    reports = outbox.find_reports
    assert len(reports()) == 3
    assert [r.port for r in reports(numbers=["111"], after=clock[0])] == [2]
    assert [r.number for r in reports(ports=[1], before=clock[0])] == ["222"]
