"""The discrete-event timeline that carries the gateway's background work."""

from __future__ import annotations

import pytest

from gsm_simulator.timeline import Timeline, TimerGroup


def test_manual_timeline_runs_in_order() -> None:
    """Timers run by due time, ties in scheduling order, as time is advanced."""
    timeline = Timeline.manual()
    assert timeline.is_manual
    ran: list[str] = []
    timeline.call_later(2, lambda: ran.append("b"))
    timeline.call_later(1, lambda: ran.append("a1"))
    timeline.call_later(1, lambda: ran.append("a2"))
    timeline.call_later(-5, lambda: ran.append("now"))
    assert timeline.pending == 4
    assert timeline.next_due() == 0
    assert timeline.run_due() == 1
    assert timeline.advance(1) == 2
    assert ran == ["now", "a1", "a2"]
    assert timeline.now() == 1
    assert timeline.advance(5) == 1
    assert ran[-1] == "b"
    assert timeline.pending == 0
    assert timeline.next_due() is None


def test_callbacks_can_schedule_more() -> None:
    """A callback's own zero-delay timers run within the same advance."""
    timeline = Timeline.manual()
    ran: list[float] = []

    def chain() -> None:
        ran.append(timeline.now())
        if len(ran) < 3:
            timeline.call_later(0.5, chain)

    timeline.call_later(1, chain)
    timeline.advance(10)
    assert ran == [1, 1.5, 2]


def test_cancel_and_change_hook() -> None:
    """Cancelled timers never run and stop counting; on_change sees every addition."""
    timeline = Timeline.manual()
    changes: list[int] = []
    timeline.on_change = lambda: changes.append(timeline.pending)
    ran: list[int] = []
    first = timeline.call_later(1, lambda: ran.append(1))
    second = timeline.call_later(2, lambda: ran.append(2))
    assert changes == [1, 2]
    first.cancel()
    first.cancel()  # idempotent
    assert timeline.pending == 1
    assert not first.pending
    assert timeline.next_due() == 2
    timeline.advance(3)
    assert ran == [2]
    second.cancel()  # already ran: no effect
    assert second.done
    assert timeline.pending == 0


def test_real_clock_timeline() -> None:
    """A clock-driven timeline runs what is due by its clock; it cannot be advanced."""
    now = [100.0]
    timeline = Timeline(lambda: now[0])
    assert not timeline.is_manual
    ran: list[int] = []
    timeline.call_later(5, lambda: ran.append(1))
    assert timeline.run_due() == 0
    now[0] = 105.0
    assert timeline.run_due() == 1
    assert ran == [1]
    with pytest.raises(RuntimeError, match="manual"):
        timeline.advance(1)


def test_timer_group() -> None:
    """A group counts its own pending timers and cancels them all."""
    timeline = Timeline.manual()
    group = TimerGroup(timeline)
    ran: list[int] = []
    group.call_later(1, lambda: ran.append(1))
    group.call_later(2, lambda: ran.append(2))
    timeline.call_later(3, lambda: ran.append(3))
    assert len(group) == 2
    timeline.advance(1)
    assert len(group) == 1
    group.cancel_all()
    assert len(group) == 0
    timeline.advance(5)
    assert ran == [1, 3]
