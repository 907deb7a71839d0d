"""The Ejoin dialect over a gateway on a manual timeline, without a server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gsm_simulator import SimGateway, Timings
from gsm_simulator.dialect import Dialect
from gsm_simulator.ejoin import EjoinDialect
from gsm_simulator.ejoin.numbering import (
    PortRef,
    parse_numbers,
    parse_ports,
    port_label,
)
from gsm_simulator.ejoin.parsing import seconds, whole
from gsm_simulator.ejoin.tasks import ReportSettings, SendTask
from gsm_simulator.messaging import Encoding

if TYPE_CHECKING:
    import pytest

type Pushed = list[tuple[str, dict[str, Any], str | None]]


def make(
    monkeypatch: pytest.MonkeyPatch, ports: int = 8, slots: int = 1, **options: Any
) -> tuple[SimGateway, EjoinDialect, Pushed]:
    """A gateway (1 s per send), its Ejoin dialect, and the pushes it would send."""
    gateway = SimGateway(
        ports=ports, slots=slots, timings=Timings(send_time=1, register_delay=1)
    )
    dialect = EjoinDialect(gateway, options=options)
    pushed: Pushed = []

    def push(push_type: str, payload: dict[str, Any], url: str | None = None) -> bool:
        pushed.append((push_type, payload, url))
        return True

    monkeypatch.setattr(dialect, "push", push)
    return gateway, dialect, pushed


def test_hooks_without_a_simulator() -> None:
    """Served by no simulator: pushes go nowhere, a reboot is the model's."""
    gateway = SimGateway(ports=2)
    dialect = EjoinDialect(gateway)
    assert dialect.push("dev-status", {}) is False
    dialect.reboot_device(0)
    assert gateway.boot_count == 2
    assert isinstance(dialect, Dialect)


def test_a_port_that_went_away_while_sending(monkeypatch: pytest.MonkeyPatch) -> None:
    """The unit shrank under a message on the air: it fails, nothing breaks."""
    gateway, dialect, pushed = make(monkeypatch)
    gateway.outbox.submit([("123", "x", 0)], ports=[5])
    gateway.set_port_count(4)
    gateway.timeline.advance(1)
    assert [result.status.value for result in gateway.outbox.results] == ["failed"]
    assert pushed == []
    assert 5 not in dialect.watch.sequence


def test_a_task_removed_while_on_the_air(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its message still ends and is reported; nothing of it is unsent any more."""
    gateway, dialect, pushed = make(monkeypatch)
    book = dialect.tasks
    job = gateway.outbox.submit(
        [("1", "a", 0), ("2", "b", 1)], ports=[0], encoding=Encoding.GSM7
    )
    task = SendTask(
        tid=7,
        job=job,
        source="1",
        recipients=["1", "2"],
        content="a",
        charset="utf8",
        coding=0,
        sdr=False,
        fdr=True,
        delivery_report=False,
        report_count=1,
        report_period=0,
        cache=book.new_cache(
            ReportSettings(url="http://127.0.0.1:9/r", count=5, period=9)
        ),
    )
    book.add(task)
    assert book.find(7) is task
    assert book.counts(task) == (1, 1)
    book.remove(task)
    assert book.find(7) is None
    assert task.finished
    gateway.timeline.advance(5)
    reports = [
        (payload, url) for kind, payload, url in pushed if kind == "status-report"
    ]
    assert reports == [
        (
            {
                "type": "status-report",
                "rpt_num": 1,
                "rpts": [
                    {
                        "tid": 7,
                        "sending": 0,
                        "sent": 1,
                        "failed": 0,
                        "unsent": 0,
                        "fdr": [],
                    }
                ],
            },
            "http://127.0.0.1:9/r",
        )
    ]
    assert [result.number for result in gateway.outbox.results] == ["1"]


def test_outbox_pause_of_unknown_tasks() -> None:
    """Pausing or resuming a task the outbox does not know: False."""
    gateway = SimGateway(ports=1)
    assert gateway.outbox.pause(9) is False
    assert gateway.outbox.resume(9) is False


def test_numbering_and_parsing_helpers() -> None:
    """Labels, port lists and numbers as the requests write them."""
    assert port_label(0, 0, "dotted") == "1.01"
    assert port_label(31, 3, "letter") == "32D"
    assert parse_ports("1a, 2.2, 3-4, 1A", 4, 4) == [
        PortRef(0, 0),
        PortRef(1, 1),
        PortRef(2),
        PortRef(3),
    ]
    assert parse_numbers(" ALL ", 3) == [0, 1, 2]
    assert parse_numbers("3, 1-2", 4) == [0, 1, 2]
    assert whole(" 12 ") == 12
    assert whole(True) is None
    assert whole(None, 4) == 4
    assert seconds([1], 3.0) is None
    assert seconds("inf", 3.0) is None
    assert seconds(0.5, 3.0) == 0.5


def test_a_full_size_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    """32 ports of 4 slots: 128 items with all_sims, up to 32.04 (or 32D)."""
    _, dialect, _ = make(monkeypatch, ports=32, slots=4)
    status = dialect.dev_status(all_sims=True)
    assert (status["max-ports"], status["max-slot"], len(status["status"])) == (
        32,
        4,
        128,
    )
    assert status["status"][-1]["port"] == "32.04"
    _, lettered, _ = make(monkeypatch, ports=32, slots=4, slot_style="letter")
    assert lettered.dev_status(all_sims=True)["status"][-1]["port"] == "32D"
    refs = parse_ports("32D, 32.04, 1-32", 32, 4)  # the same SIM spelt twice: once
    assert (refs[:2], len(refs)) == ([PortRef(31, 3), PortRef(0)], 33)
