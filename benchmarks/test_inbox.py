"""Section 8: one inbox poll when the gateway stores 1,000 SMS.

The integration's inbox path (``entry.runtime_data.messaging.async_poll_inbox``:
the family's ``async_get_inbox`` from the entry's cursor, each SMS reported
once) against a simulator whose inbox holds :data:`STORED` messages, filled
through the gateway model (no pushes). Each family reads from its own
cursor: Dinstar above the last id, Ejoin from the next index, Synway
(``queryrxsms``) from a time watermark (with a second of overlap). Three
cases:

* the first poll after the 1,000 arrived (the cursor of an empty inbox):
  all new, one event each;
* polls with none new since the cursor (the steady state);
* polls each after :data:`NEW` more arrived (stamped after the rest), so
  the inbox grows by ``POLLS * NEW`` over the series.

Wall and loop-thread CPU time of the poll; the requests the simulator saw,
the SMS the family read and the events fired per poll. The polls with none
new are each followed by their floor (``floor.py``: the same request, bare
``aiohttp``, same authentication, then ``json.loads``): the wall time of
both includes the simulator finding the messages to answer, on the other
thread, which the floor shows.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
import gc
import time
from typing import Any

from homeassistant.core import Event, HomeAssistant, callback
import pytest

from benchmarks.families import Bench, BenchFamily, gateway_params
from benchmarks.floor import Floor
from benchmarks.harness import make_entry, ms, set_up, start_gateway
from benchmarks.peer import Peer
from benchmarks.profiling import profiled
from benchmarks.report import INBOX_NEW as NEW, INBOX_STORED as STORED, record
from custom_components.gsm_gateway.const import EVENT_SMS_RECEIVED
from custom_components.gsm_gateway.messaging import GsmMessaging
from gsm_simulator.server import RequestRecord, Simulator

POLLS = 20
"""Polls timed in each series."""


class _Stamps:
    """Arrival times: the stored SMS a second apart, each later one a second on."""

    def __init__(self) -> None:
        self.next = datetime.now(UTC).replace(microsecond=0) - timedelta(
            seconds=STORED + 60
        )
        self.count = 0

    def take(self) -> tuple[datetime, int]:
        stamp, index = self.next, self.count
        self.next += timedelta(seconds=1)
        self.count += 1
        return stamp, index


def _arrive(sim: Simulator, stamps: _Stamps, count: int) -> None:
    """``count`` SMS arrive (stored, not pushed), spread over the ports."""
    ports = len(sim.state.ports)
    for _ in range(count):
        stamp, index = stamps.take()
        sim.receive_sms(
            index % ports,
            f"+4477009{index % 100_000:05d}",
            f"Stored message {index}: meter reading {index * 7} kWh.",
            stamp,
            push=False,
        )


def _stored(sim: Simulator) -> int:
    return len(sim.state.inbox)


async def _series(
    hass: HomeAssistant,
    sim: Simulator,
    messaging: GsmMessaging,
    *,
    family: BenchFamily,
    events: list[int],
    before: Callable[[], Awaitable[None]],
    polls: int,
    floor: Floor | None = None,
) -> dict[str, Any]:
    """``polls`` polls, each after ``before()`` (and followed by ``floor``)."""
    wall: list[float] = []
    cpu: list[float] = []
    floor_wall: list[float] = []
    floor_cpu: list[float] = []
    requests: list[int] = []
    read: list[int] = []
    fired: list[int] = []
    names: set[str] = set()
    # What an earlier poll left to save is not this series' cost.
    await messaging.async_save()
    await hass.async_block_till_done()
    gc.collect()
    for _ in range(polls):
        await before()
        sim.clear_requests()
        events[0] = 0
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        count = await messaging.async_poll_inbox()
        cpu.append(time.thread_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
        await hass.async_block_till_done()
        requests.append(len(sim.requests))
        names.update(family.request_name(request) for request in sim.requests)
        read.append(count)
        fired.append(events[0])
        if floor is not None:
            seconds, cpu_seconds = await floor.timed()
            floor_wall.append(seconds)
            floor_cpu.append(cpu_seconds)
    wall_ms, cpu_ms = ms(wall), ms(cpu)
    floors: dict[str, Any] = {}
    if floor is not None:
        (floor_wall_ms, _), (floor_cpu_ms, _) = ms(floor_wall), ms(floor_cpu)
        floors = {
            "floor_wall_ms_median": floor_wall_ms,
            "floor_cpu_ms_median": floor_cpu_ms,
            "to_floor_wall": wall_ms[0] / floor_wall_ms,
            "to_floor_cpu": cpu_ms[0] / floor_cpu_ms,
        }
    return {
        "wall_ms_median": wall_ms[0],
        "wall_ms_p95": wall_ms[1],
        "cpu_ms_median": cpu_ms[0],
        "cpu_ms_p95": cpu_ms[1],
        "requests": max(requests),
        "request_names": ", ".join(sorted(names)),
        "read": max(read),
        "events": max(fired),
        "events_total": sum(fired),
        "polls": polls,
        **floors,
    }


async def _steady_requests(
    hass: HomeAssistant, sim: Simulator, messaging: GsmMessaging
) -> list[RequestRecord]:
    """The requests of a poll with none new and no digest challenge."""
    requests: list[RequestRecord] = []
    for _ in range(3):
        sim.clear_requests()
        before = sim.auth.challenges
        await messaging.async_poll_inbox()
        await hass.async_block_till_done()
        requests = list(sim.requests)
        if sim.auth.challenges == before:
            break
    return requests


@pytest.mark.parametrize(("family", "gateway"), gateway_params(Bench.INBOX))
async def test_inbox_poll(
    hass: HomeAssistant, peer: Peer, family: BenchFamily, gateway: str
) -> None:
    """One inbox poll with 1,000 SMS stored: all new, none new, a few new."""
    sim = await start_gateway(peer, family, gateway)
    entry = make_entry(hass, family, sim, "Bench")
    await set_up(hass, entry)  # its first inbox poll finds the inbox empty
    messaging: GsmMessaging = entry.runtime_data.messaging
    events = [0]

    @callback
    def on_sms(_event: Event) -> None:
        events[0] += 1

    unsub = hass.bus.async_listen(EVENT_SMS_RECEIVED, on_sms)
    stamps = _Stamps()
    await peer.run(_arrive, sim, stamps, STORED)

    async def nothing() -> None:
        return None

    async def a_few() -> None:
        await peer.run(_arrive, sim, stamps, NEW)

    with profiled(f"inbox_first_{family.name}_{gateway}"):
        first = await _series(
            hass, sim, messaging, family=family, events=events, before=nothing, polls=1
        )
    stored = await peer.run(_stored, sim)
    requests = await _steady_requests(hass, sim, messaging)
    async with Floor(sim, requests) as floor:
        with profiled(f"inbox_none_new_{family.name}_{gateway}"):
            none_new = await _series(
                hass,
                sim,
                messaging,
                family=family,
                events=events,
                before=nothing,
                polls=POLLS,
                floor=floor,
            )
    with profiled(f"inbox_few_new_{family.name}_{gateway}"):
        few_new = await _series(
            hass,
            sim,
            messaging,
            family=family,
            events=events,
            before=a_few,
            polls=POLLS,
        )
    unsub()
    record(
        family,
        gateway,
        inbox_stored=stored,
        inbox_stored_after=await peer.run(_stored, sim),
        inbox_new_per_poll=NEW,
        inbox_first_wall_ms=first["wall_ms_median"],
        inbox_first_cpu_ms=first["cpu_ms_median"],
        inbox_first_requests=first["requests"],
        inbox_first_read=first["read"],
        inbox_first_events=first["events"],
        **{f"inbox_none_new_{key}": value for key, value in none_new.items()},
        **{f"inbox_few_new_{key}": value for key, value in few_new.items()},
    )
