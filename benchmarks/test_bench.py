"""The benchmarks: each records figures (see ``report.ROWS``); none fails on speed.

Each runs for every family it applies to (``benchmarks/families``), the
per-gateway ones for every gateway shape of the family. Sanity checks that
would make a figure meaningless (a push refused, an SMS never reported) are
recorded as figures too, not asserted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
import gc
import json
import socket
import time
import tracemalloc
from typing import Any

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_PORT, CONF_WEBHOOK_ID
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from benchmarks.families import Bench, BenchFamily, family_params, gateway_params
from benchmarks.floor import Floor
from benchmarks.harness import (
    StateWrites,
    held_bytes,
    make_entry,
    ms,
    run_scheduled_refresh,
    set_up,
    set_up_integration,
    start_gateway,
    time_calls,
)
from benchmarks.peer import Peer, post_bodies
from benchmarks.profiling import profiled
from benchmarks.report import RESULTS, median, percentile, record, record_section
from custom_components.gsm_gateway.api import Capability
from custom_components.gsm_gateway.const import (
    DOMAIN,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
)
from custom_components.gsm_gateway.coordinator import GsmPortsCoordinator
from gsm_simulator.server import RequestRecord, Simulator

SCHEDULED_REFRESHES = 8
JSON_REPEATS = 300
CHANGED_REFRESHES = 40
LATENCY_PUSHES = 300
RATE_PUSHES = 2000
PUSH_ROUNDS = 3
RATE_CONCURRENCY = 16
WARMUP_PUSHES = 50
BULK_NUMBERS = 320
BULK_CHUNKS = (128, 128, 64)
SEND_TIME = 6.5
DELIVERY_DELAY = 3.0
BULK_SCALES = (100, 10)
SENT_STATUSES = frozenset({"sent", "delivered"})
"""What counts as sent in the bulk send: delivered implies sent."""


# --------------------------------------------------------- 1 and 2: refresh


@pytest.mark.parametrize(("family", "gateway"), gateway_params(Bench.REFRESH))
async def test_port_refresh(
    hass: HomeAssistant, peer: Peer, family: BenchFamily, gateway: str
) -> None:
    """Requests per scheduled refresh; loop time per refresh and its floor; state writes."""
    sim = await start_gateway(peer, family, gateway)
    entry = make_entry(hass, family, sim, "Bench")
    await set_up(hass, entry)
    coordinator = entry.runtime_data.ports
    record(
        family,
        gateway,
        entities=len(
            er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        ),
        devices=len(
            dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        ),
    )
    scheduled, requests = await _scheduled_requests(hass, sim, coordinator, family)
    record(family, gateway, **scheduled)
    # A count, not a speed: the one figure asserted (after it is recorded).
    limit = family.max_requests_per_refresh
    assert scheduled["requests_per_refresh"] <= limit, scheduled  # noqa: S101
    assert scheduled["requests_first_refresh"] <= limit, scheduled  # noqa: S101
    if not requests:
        RESULTS["notes"].append(
            f"{family.name} {gateway}: no refresh without a challenge, no floor"
        )
        return
    async with Floor(sim, requests) as floor:
        record(
            family,
            gateway,
            **await _unchanged_refreshes(
                hass, sim, coordinator, floor, family=family, gateway=gateway
            ),
        )
        await _changes(
            hass, peer, sim, coordinator, floor, family=family, gateway=gateway
        )


async def _changes(
    hass: HomeAssistant,
    peer: Peer,
    sim: Simulator,
    coordinator: GsmPortsCoordinator,
    floor: Floor,
    *,
    family: BenchFamily,
    gateway: str,
) -> None:
    """2. Refreshes after a change: one port's (the family's ``one_change``), or drift.

    Drift is what a poll of a live gateway sees. Every change is a refresh
    with listeners.
    """
    one_change = await peer.run(family.one_change, sim)

    def drift(_step: int) -> None:
        sim.tick()

    for name, mutate in (("one_change", one_change), ("drift", drift)):
        with profiled(f"refresh_{name}_{family.name}_{gateway}"):
            figures = await _changed_refreshes(hass, peer, coordinator, floor, mutate)
        record(
            family,
            gateway,
            **{f"{name}_{key}": value for key, value in figures.items()},
        )


async def _scheduled_requests(
    hass: HomeAssistant,
    sim: Simulator,
    coordinator: GsmPortsCoordinator,
    family: BenchFamily,
) -> tuple[dict[str, Any], list[RequestRecord]]:
    """1. Scheduled refreshes: every request the simulator saw, challenges apart.

    Also the requests of the last refresh without a challenge: the floor's.
    """
    authenticated: list[int] = []
    challenges: list[int] = []
    paths: set[str] = set()
    steady: list[RequestRecord] = []
    for _ in range(SCHEDULED_REFRESHES):
        sim.clear_requests()
        before = sim.auth.challenges
        await run_scheduled_refresh(hass, coordinator)
        challenged = sim.auth.challenges - before
        challenges.append(challenged)
        authenticated.append(len(sim.requests) - challenged)
        paths.update(family.request_name(request) for request in sim.requests)
        if not challenged:
            steady = list(sim.requests)
    figures = {
        "requests_first_refresh": authenticated[0],
        "requests_per_refresh": max(authenticated[1:]),
        "challenges_first_refresh": challenges[0],
        "challenges_per_refresh": max(challenges[1:]),
        "request_paths": ", ".join(sorted(paths)),
        "scheduled_refreshes": SCHEDULED_REFRESHES,
        "max_requests_per_refresh": family.max_requests_per_refresh,
        "auth": sim.auth.mode.value,
    }
    return figures, steady


async def _unchanged_refreshes(
    hass: HomeAssistant,
    sim: Simulator,
    coordinator: GsmPortsCoordinator,
    floor: Floor,
    *,
    family: BenchFamily,
    gateway: str,
) -> dict[str, Any]:
    """2. Refreshes on demand with nothing changed, each followed by its floor.

    Wall and loop-thread CPU time of both; the refreshes' requests are
    counted (the floor's are not).
    """
    refreshes = family.shape(gateway).refreshes
    writes = StateWrites(hass)
    wall: list[float] = []
    cpu: list[float] = []
    floor_wall: list[float] = []
    floor_cpu: list[float] = []
    requests_timed = 0
    gc.collect()
    with profiled(f"refresh_unchanged_{family.name}_{gateway}"):
        for _ in range(refreshes):
            sim.clear_requests()
            start_wall, start_cpu = time.perf_counter(), time.thread_time()
            await coordinator.async_refresh()
            cpu.append(time.thread_time() - start_cpu)
            wall.append(time.perf_counter() - start_wall)
            requests_timed += len(sim.requests)
            seconds, cpu_seconds = await floor.timed()
            floor_wall.append(seconds)
            floor_cpu.append(cpu_seconds)
        await hass.async_block_till_done()
    writes.stop()

    # The same response bodies, decoded alone and by the integration's parser.
    bodies = floor.bodies
    loads = time_calls(lambda: [json.loads(body) for body in bodies], JSON_REPEATS)
    parse = time_calls(lambda: family.parse_ports(bodies), JSON_REPEATS)
    wall_ms, cpu_ms, loads_ms = ms(wall), ms(cpu), ms(loads)
    floor_wall_ms, floor_cpu_ms = ms(floor_wall), ms(floor_cpu)
    return {
        "refreshes": refreshes,
        "refresh_requests_per_refresh": requests_timed / refreshes,
        "refresh_wall_ms_median": wall_ms[0],
        "refresh_wall_ms_p95": wall_ms[1],
        "refresh_cpu_ms_median": cpu_ms[0],
        "refresh_cpu_ms_p95": cpu_ms[1],
        "json_loads_ms_median": loads_ms[0],
        "parse_ms_median": median(parse) * 1000,
        "refresh_cpu_to_json_ratio": cpu_ms[0] / loads_ms[0],
        "floor_wall_ms_median": floor_wall_ms[0],
        "floor_wall_ms_p95": floor_wall_ms[1],
        "floor_cpu_ms_median": floor_cpu_ms[0],
        "floor_cpu_ms_p95": floor_cpu_ms[1],
        "refresh_to_floor_wall": wall_ms[0] / floor_wall_ms[0],
        "refresh_to_floor_cpu": cpu_ms[0] / floor_cpu_ms[0],
        "floor_requests": [
            f"{request.method} {family.request_name(request)}"
            for request in floor.requests
        ],
        "body_bytes": sum(len(body) for body in bodies),
        "state_writes_unchanged": writes.changed + writes.reported,
        "state_changed_unchanged": writes.changed,
        "state_reported_unchanged": writes.reported,
    }


async def _changed_refreshes(
    hass: HomeAssistant,
    peer: Peer,
    coordinator: GsmPortsCoordinator,
    floor: Floor,
    mutate: Callable[[int], None],
) -> dict[str, float]:
    """Refreshes each after a change on the simulator (then the floor): time, state writes."""
    writes = StateWrites(hass)
    wall: list[float] = []
    cpu: list[float] = []
    floor_wall: list[float] = []
    floor_cpu: list[float] = []
    for step in range(CHANGED_REFRESHES):
        await peer.run(mutate, step)
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        await coordinator.async_refresh()
        cpu.append(time.thread_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
        await hass.async_block_till_done()
        seconds, cpu_seconds = await floor.timed()
        floor_wall.append(seconds)
        floor_cpu.append(cpu_seconds)
    writes.stop()
    wall_ms, cpu_ms = ms(wall), ms(cpu)
    return {
        "refresh_wall_ms_median": wall_ms[0],
        "refresh_cpu_ms_median": cpu_ms[0],
        "refresh_cpu_ms_p95": cpu_ms[1],
        "floor_wall_ms_median": median(floor_wall) * 1000,
        "floor_cpu_ms_median": median(floor_cpu) * 1000,
        "to_floor_wall": median(wall) / median(floor_wall),
        "to_floor_cpu": median(cpu) / median(floor_cpu),
        "state_changed": writes.changed / CHANGED_REFRESHES,
        "state_reported": writes.reported / CHANGED_REFRESHES,
    }


# ------------------------------------------------------ 3: push ingestion


class Arrivals:
    """When each numbered push showed up on Home Assistant's side."""

    def __init__(self) -> None:
        """Nothing yet."""
        self.times: dict[int, float] = {}
        self.expected = 0
        self.done = asyncio.Event()

    def expect(self, count: int) -> None:
        """Start a run of ``count`` pushes."""
        self.times = {}
        self.expected = count
        self.done.clear()

    def arrived(self, seq: int) -> None:
        """Push ``seq`` arrived now."""
        self.times[seq] = time.perf_counter()
        if len(self.times) >= self.expected:
            self.done.set()


async def _push_run(
    peer: Peer,
    url: str,
    bodies: list[bytes],
    arrivals: Arrivals,
    concurrency: int,
) -> dict[str, Any]:
    arrivals.expect(len(bodies))
    run = await peer.call(post_bodies(url, bodies, concurrency))
    if len(arrivals.times) < len(bodies):
        try:
            async with asyncio.timeout(5):
                await arrivals.done.wait()
        except TimeoutError:
            pass
    latencies = [
        arrivals.times[seq] - sent
        for seq, sent in enumerate(run.sent)
        if seq in arrivals.times
    ]
    last = max(arrivals.times.values(), default=run.last_answered)
    return {
        "latencies": latencies,
        "rate": len(arrivals.times) / (last - run.first_sent),
        "errors": sum(1 for status in run.statuses if status != 200),
        "missing": len(bodies) - len(arrivals.times),
    }


def _merge(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Latency percentiles over every push of the runs; the median run's rate."""
    latencies = [value for run in runs for value in run["latencies"]]
    return {
        "latency_median_ms": median(latencies) * 1000,
        "latency_p99_ms": percentile(latencies, 99) * 1000,
        "rate": median([run["rate"] for run in runs]),
        "rates": [round(run["rate"]) for run in runs],
        "errors": sum(run["errors"] for run in runs),
        "missing": sum(run["missing"] for run in runs),
    }


@pytest.mark.parametrize(("family", "gateway"), gateway_params(Bench.PUSH))
async def test_push_ingestion(
    hass: HomeAssistant,
    peer: Peer,
    hass_client_no_auth: ClientSessionGenerator,
    family: BenchFamily,
    gateway: str,
) -> None:
    """Webhook POST to sms_received event, against a do-nothing webhook."""
    sms_push = family.sms_push
    if sms_push is None:
        msg = f"{family.name} pushes, but its benchmark family has no sms_push"
        raise ValueError(msg)
    sim = await start_gateway(peer, family, gateway)
    entry = make_entry(hass, family, sim, "Bench")
    await set_up(hass, entry)
    client = await hass_client_no_auth()
    sms_url = str(client.make_url(f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"))
    null_id = "bench-do-nothing"
    null_url = str(client.make_url(f"/api/webhook/{null_id}"))

    null_arrivals = Arrivals()
    sms_arrivals = Arrivals()

    async def do_nothing(
        _hass: HomeAssistant, _webhook_id: str, request: web.Request
    ) -> web.Response:
        null_arrivals.arrived(int(request.headers["X-Bench-Seq"]))
        return web.Response(status=200)

    webhook.async_register(
        hass, "bench", "Do nothing", null_id, do_nothing, allowed_methods=["POST"]
    )
    base = 1_000_000

    @callback
    def on_sms(event: Event) -> None:
        sms_arrivals.arrived(family.pushed_sequence(event.data) - base)

    unsub = hass.bus.async_listen(EVENT_SMS_RECEIVED, on_sms)
    ports = family.shape(gateway).ports

    def bodies(count: int) -> list[bytes]:
        nonlocal base
        base += 100_000
        return [sms_push(sim.serial, ports, base + seq) for seq in range(count)]

    # Warm both paths up; then rounds alternating between the two handlers,
    # one push at a time (latency), then many in flight (rate).
    await _push_run(peer, null_url, bodies(WARMUP_PUSHES), null_arrivals, 4)
    await _push_run(peer, sms_url, bodies(WARMUP_PUSHES), sms_arrivals, 4)
    runs: dict[str, list[dict[str, Any]]] = {
        "null_latency": [],
        "sms_latency": [],
        "null_rate": [],
        "sms_rate": [],
    }
    for _ in range(PUSH_ROUNDS):
        runs["null_latency"].append(
            await _push_run(peer, null_url, bodies(LATENCY_PUSHES), null_arrivals, 1)
        )
        runs["sms_latency"].append(
            await _push_run(peer, sms_url, bodies(LATENCY_PUSHES), sms_arrivals, 1)
        )
    for _ in range(PUSH_ROUNDS):
        with profiled(f"push_do_nothing_{family.name}_{gateway}"):
            runs["null_rate"].append(
                await _push_run(
                    peer, null_url, bodies(RATE_PUSHES), null_arrivals, RATE_CONCURRENCY
                )
            )
        with profiled(f"push_sms_{family.name}_{gateway}"):
            runs["sms_rate"].append(
                await _push_run(
                    peer, sms_url, bodies(RATE_PUSHES), sms_arrivals, RATE_CONCURRENCY
                )
            )
    null_latency = _merge(runs["null_latency"])
    sms_latency = _merge(runs["sms_latency"])
    null_rate = _merge(runs["null_rate"])
    sms_rate = _merge(runs["sms_rate"])
    unsub()
    webhook.async_unregister(hass, null_id)
    record(
        family,
        gateway,
        push_latency_ms_median=sms_latency["latency_median_ms"],
        push_latency_ms_p99=sms_latency["latency_p99_ms"],
        null_latency_ms_median=null_latency["latency_median_ms"],
        null_latency_ms_p99=null_latency["latency_p99_ms"],
        push_latency_ratio=sms_latency["latency_median_ms"]
        / null_latency["latency_median_ms"],
        push_rate_per_s=sms_rate["rate"],
        null_rate_per_s=null_rate["rate"],
        push_rate_ratio=null_rate["rate"] / sms_rate["rate"],
        push_loaded_latency_ms_median=sms_rate["latency_median_ms"],
        push_loaded_latency_ms_p99=sms_rate["latency_p99_ms"],
        null_loaded_latency_ms_median=null_rate["latency_median_ms"],
        push_errors=sms_latency["errors"] + sms_rate["errors"],
        push_missing_events=sms_latency["missing"] + sms_rate["missing"],
        push_rates=sms_rate["rates"],
        null_rates=null_rate["rates"],
        push_counts={
            "rounds": PUSH_ROUNDS,
            "latency": LATENCY_PUSHES,
            "rate": RATE_PUSHES,
        },
        push_concurrency=RATE_CONCURRENCY,
    )


# ----------------------------------------------------------- 4: bulk send


def _register_every_port(sim: Simulator) -> None:
    for port in sim.state.ports:
        if port.registered:
            continue
        if port.sim is None:
            sim.insert_sim(port.index)
        else:
            sim.set_registration(port.index, "registered")


@pytest.mark.parametrize("family", family_params(Bench.BULK_SEND))
async def test_bulk_send(
    hass: HomeAssistant,
    peer: Peer,
    hass_client_no_auth: ClientSessionGenerator,
    family: BenchFamily,
) -> None:
    """320 SMS through send_sms on every port; time scaled, scaled back."""
    sim, entry = await _bulk_gateway(hass, peer, hass_client_no_auth, family)
    ports = len(sim.state.ports)
    chunks = _bulk_chunks(entry.runtime_data.gateway.max_recipients)

    statuses: dict[int, list[tuple[str, int | None]]] = {}
    wanted: set[int] = set()
    # When each SMS was first reported sent, also before the call naming its id
    # has returned (a gateway may report its first SMS that soon). A delivery
    # report that overtakes the send report (a gateway that reports sends in
    # batches) says it was sent: the integration then fires no 'sent' after it.
    sent_at: dict[int, float] = {}
    all_sent = asyncio.Event()

    def sent() -> dict[int, float]:
        return {i: sent_at[i] for i in wanted if i in sent_at}

    @callback
    def on_status(event: Event) -> None:
        message_id = event.data["id"]
        statuses.setdefault(message_id, []).append(
            (event.data["status"], event.data["port"])
        )
        if event.data["status"] in SENT_STATUSES:
            sent_at.setdefault(message_id, time.perf_counter())
            if message_id in wanted and len(sent()) >= len(wanted):
                all_sent.set()

    unsub = hass.bus.async_listen(EVENT_SMS_STATUS, on_status)
    bound = BULK_NUMBERS * SEND_TIME / ports
    record_section(family, "bulk_send", numbers=BULK_NUMBERS, ports=ports, calls=chunks)
    for run, scale in enumerate(BULK_SCALES):
        timings = sim.timings
        await peer.run(setattr, timings, "send_time", SEND_TIME / scale)
        await peer.run(setattr, timings, "delivery_delay", DELIVERY_DELAY / scale)
        numbers = [f"+4477009{run}{index:04d}" for index in range(BULK_NUMBERS)]
        wanted.clear()
        sent_at.clear()
        all_sent.clear()
        start = time.perf_counter()
        offset = 0
        for size in chunks:
            result = await hass.services.async_call(
                DOMAIN,
                "send_sms",
                {"to": numbers[offset : offset + size], "message": "Bulk benchmark"},
                blocking=True,
                return_response=True,
            )
            wanted.update(result["ids"])
            offset += size
        accepted = time.perf_counter() - start
        if len(sent()) >= len(wanted):
            all_sent.set()
        try:
            async with asyncio.timeout(bound / scale * 3 + 10):
                await all_sent.wait()
        except TimeoutError:
            pass
        done = sent()
        elapsed = (max(done.values()) if done else time.perf_counter()) - start
        per_port: dict[int | None, int] = {}
        for message_id in done:
            port = next(
                p for status, p in statuses[message_id] if status in SENT_STATUSES
            )
            per_port[port] = per_port.get(port, 0) + 1
        runs = RESULTS["families"][family.name]["bulk_send"]
        runs[f"scale_{scale}"] = {
            "scale": scale,
            "send_time_s": SEND_TIME / scale,
            "elapsed_s": elapsed,
            "scaled_s": elapsed * scale,
            "bound_s": bound,
            "ratio": elapsed * scale / bound,
            "accepted_s": accepted,
            "accepted_scaled_s": accepted * scale,
            "sent_events": len(done),
            "failed_events": sum(
                1
                for message_id in wanted
                for status, _ in statuses.get(message_id, [])
                if status == "failed"
            ),
            "ports_used": len(per_port),
            "max_per_port": max(per_port.values(), default=0),
        }
        # Let delivery reports and pushes finish before the next run.
        await peer.call(_wait_idle(sim, 30))
        await hass.async_block_till_done()
    unsub()


def _bulk_chunks(limit: int) -> list[int]:
    """Numbers per send_sms call: BULK_CHUNKS, or at most ``limit`` where a gateway takes fewer."""
    if max(BULK_CHUNKS) <= limit:
        return list(BULK_CHUNKS)
    return [min(limit, BULK_NUMBERS - start) for start in range(0, BULK_NUMBERS, limit)]


async def _bulk_gateway(
    hass: HomeAssistant,
    peer: Peer,
    hass_client_no_auth: ClientSessionGenerator,
    family: BenchFamily,
) -> tuple[Simulator, MockConfigEntry]:
    """The family's bulk gateway, every port registered, pushing to its set-up entry."""
    gateway = family.bulk_shape
    if gateway is None:
        msg = f"{family.name} has no bulk_shape"
        raise ValueError(msg)
    sim = await start_gateway(
        peer,
        family,
        gateway,
        send_time=SEND_TIME / BULK_SCALES[0],
        delivery_delay=DELIVERY_DELAY / BULK_SCALES[0],
        push_types=None,  # every kind, whatever the family's simulators do otherwise
    )
    await peer.run(_register_every_port, sim)
    entry = make_entry(hass, family, sim, "Bench")
    await set_up(hass, entry)
    client = await hass_client_no_auth()
    url = str(client.make_url(f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"))
    if entry.runtime_data.gateway.supports(Capability.PUSH_REGISTRATION):
        # The entry gave the gateway a webhook address built from the test
        # instance's made-up one; with the test server's as the internal URL,
        # a reload gives it one that reaches Home Assistant.
        await hass.config.async_update(
            internal_url=str(client.make_url("/")).rstrip("/")
        )
        if not await hass.config_entries.async_reload(entry.entry_id):
            msg = f"reload of {entry.title} failed: {entry.state}"
            raise RuntimeError(msg)
        await hass.async_block_till_done(wait_background_tasks=True)
    await peer.run(setattr, sim, "push_url", url)
    return sim, entry


async def _wait_idle(sim: Simulator, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds):
            await sim.wait_idle()
    except TimeoutError:
        pass


# ----------------------------------------------------- 5 and 6: setup


@pytest.mark.parametrize(("family", "gateway"), gateway_params(Bench.SETUP))
async def test_setup_and_memory(
    hass: HomeAssistant, peer: Peer, family: BenchFamily, gateway: str
) -> None:
    """Setup time with the gateway up; memory a further entry holds."""
    first = await start_gateway(peer, family, gateway)
    second = await start_gateway(peer, family, gateway)
    # The integration and its dependencies (http, webhook) are set up at
    # Home Assistant's start, before any entry: not part of an entry's setup.
    await set_up_integration(hass)
    entry = make_entry(hass, family, first, "Bench one")
    gc.collect()
    with profiled(f"setup_{family.name}_{gateway}"):
        start = time.perf_counter()
        await hass.config_entries.async_setup(entry.entry_id)
        loaded = time.perf_counter() - start
    await hass.async_block_till_done(wait_background_tasks=True)
    idle = time.perf_counter() - start
    record(
        family,
        gateway,
        setup_s=loaded,
        setup_until_idle_s=idle,
        setup_state=entry.state.value,
    )

    further = make_entry(hass, family, second, "Bench two")
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        await set_up(hass, further)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    held, top = held_bytes(before, after)
    record(family, gateway, memory_bytes=held, memory_top_lines=top)


@pytest.mark.parametrize("family", family_params(Bench.SETUP))
async def test_setup_gateway_down(
    hass: HomeAssistant, peer: Peer, family: BenchFamily
) -> None:
    """How long setup takes to give up: a gateway that never answers, a closed port."""
    await set_up_integration(hass)
    hanging: dict[str, MockConfigEntry] = {}
    sims: dict[str, Simulator] = {}
    for gateway in family.shapes:
        sim = sims[gateway] = await start_gateway(peer, family, gateway)
        await peer.run(lambda sim=sim: sim.faults.add("timeout", count=None))
        hanging[gateway] = make_entry(hass, family, sim, f"Hanging {gateway}")

    async def timed(entry: MockConfigEntry) -> float:
        start = time.perf_counter()
        await hass.config_entries.async_setup(entry.entry_id)
        return time.perf_counter() - start

    # The hanging ones side by side (each waits out its own request timeout).
    durations = await asyncio.gather(*(timed(entry) for entry in hanging.values()))
    for gateway, seconds in zip(hanging, durations, strict=True):
        record(
            family,
            gateway,
            setup_down_timeout_s=seconds,
            setup_down_timeout_state=hanging[gateway].state.value,
        )
    for gateway, sim in sims.items():
        with socket.create_server(("127.0.0.1", 0)) as probe:
            closed = probe.getsockname()[1]
        entry = make_entry(
            hass, family, sim, f"Refused {gateway}", **{CONF_PORT: closed}
        )
        record(
            family,
            gateway,
            setup_down_refused_s=await timed(entry),
            setup_down_refused_state=entry.state.value,
        )
    if any(entry.state is ConfigEntryState.LOADED for entry in hanging.values()):
        RESULTS["notes"].append(
            f"{family.name}: an entry loaded although its gateway never answered"
        )
