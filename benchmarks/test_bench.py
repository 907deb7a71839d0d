"""The benchmarks: each records figures (see ``report.ROWS``); none fails on speed.

Sanity checks that would make a figure meaningless (a push refused, an SMS
never reported) are recorded as figures too, not asserted.
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
from homeassistant.const import (
    CONF_PORT,
    CONF_WEBHOOK_ID,
    EVENT_STATE_CHANGED,
    EVENT_STATE_REPORTED,
)
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from benchmarks.peer import Peer, post_bodies
from benchmarks.profiling import profiled
from benchmarks.report import (
    BULK_GATEWAY,
    GATEWAYS,
    RESULTS,
    median,
    percentile,
    record,
)
from custom_components.gsm_gateway.api.dinstar import INFO_TYPES, parse_port
from custom_components.gsm_gateway.api.jsondata import parse_json
from custom_components.gsm_gateway.const import (
    DOMAIN,
    EVENT_SMS_RECEIVED,
    EVENT_SMS_STATUS,
)
from custom_components.gsm_gateway.coordinator import GsmPortsCoordinator
from gsm_simulator.server import Simulator
from tests.conftest import entry_data

SCHEDULED_REFRESHES = 8
TIMED_REFRESHES = {"8x1": 300, "32x4": 150}
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
BULK_PORTS = 32

_serials = iter(range(1, 10_000))


def _serial() -> str:
    return f"dc00-bench-{next(_serials):04d}"


async def start_gateway(peer: Peer, gateway: str, **options: Any) -> Simulator:
    """A simulator of the given shape (identical state, its own serial)."""
    return await peer.simulator(**GATEWAYS[gateway], serial=_serial(), **options)


def make_entry(
    hass: HomeAssistant, sim: Simulator, title: str, **data: Any
) -> MockConfigEntry:
    """An entry for the simulator, added to Home Assistant (not set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=sim.serial if not data else f"{sim.serial}-{title}",
        data=entry_data(sim, **data),
    )
    entry.add_to_hass(hass)
    return entry


async def set_up(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Set up the entry and let its background work (first inbox poll) finish."""
    if not await hass.config_entries.async_setup(entry.entry_id):
        msg = f"setup of {entry.title} failed: {entry.state}"
        raise RuntimeError(msg)
    await hass.async_block_till_done(wait_background_tasks=True)


async def set_up_integration(hass: HomeAssistant) -> None:
    """The integration and its dependencies, as at Home Assistant's start."""
    if not await async_setup_component(hass, DOMAIN, {}):
        msg = f"{DOMAIN} did not set up"
        raise RuntimeError(msg)


class StateWrites:
    """Counts state writes: changed states, and writes of an unchanged state."""

    def __init__(self, hass: HomeAssistant) -> None:
        """Listen from now on."""
        self.changed = 0
        self.reported = 0
        self._unsubs = [
            hass.bus.async_listen(EVENT_STATE_CHANGED, self._on_changed),
            hass.bus.async_listen(
                EVENT_STATE_REPORTED, self._on_reported, event_filter=_any_event
            ),
        ]

    @callback
    def _on_changed(self, _event: Event) -> None:
        self.changed += 1

    @callback
    def _on_reported(self, _event: Event) -> None:
        self.reported += 1

    def stop(self) -> None:
        """Stop counting."""
        for unsub in self._unsubs:
            unsub()


@callback
def _any_event(_data: Any) -> bool:
    return True


async def run_scheduled_refresh(
    hass: HomeAssistant, coordinator: GsmPortsCoordinator
) -> None:
    """Run the coordinator's next scheduled refresh now, as its timer would."""
    cancel = coordinator._unsub_refresh  # noqa: SLF001 - the scheduled timer
    handle = getattr(cancel, "__self__", None)
    if not isinstance(handle, asyncio.TimerHandle):
        msg = "the ports coordinator has no scheduled refresh"
        raise TypeError(msg)
    handle._run()  # noqa: SLF001 - what the loop does when the timer falls due
    handle.cancel()
    await hass.async_block_till_done(wait_background_tasks=True)


def _ms(values: list[float]) -> tuple[float, float]:
    return median(values) * 1000, percentile(values, 95) * 1000


def _time_calls(func: Callable[[], Any], repeats: int) -> list[float]:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


# --------------------------------------------------------- 1 and 2: refresh


@pytest.mark.parametrize("gateway", list(GATEWAYS))
async def test_port_refresh(hass: HomeAssistant, peer: Peer, gateway: str) -> None:
    """Requests per scheduled refresh; loop time per refresh; state writes."""
    sim = await start_gateway(peer, gateway)
    entry = make_entry(hass, sim, "Bench")
    await set_up(hass, entry)
    coordinator = entry.runtime_data.ports
    record(
        gateway,
        entities=len(
            er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        ),
        devices=len(
            dr.async_entries_for_config_entry(dr.async_get(hass), entry.entry_id)
        ),
    )
    record(gateway, **await _scheduled_requests(hass, sim, coordinator))
    record(gateway, **await _unchanged_refreshes(hass, sim, coordinator, gateway))

    # Something changed: one port's signal, or the simulator's drift (a
    # poll of a live gateway). Every change is a refresh with listeners.
    port = next(p.index for p in sim.state.ports if p.registered)
    csq = 10 if sim.state.ports[port].signal != 10 else 12

    def one_signal(step: int) -> None:
        sim.set_signal(port, csq + step % 2)

    def drift(_step: int) -> None:
        sim.tick()

    for name, mutate in (("one_change", one_signal), ("drift", drift)):
        with profiled(f"refresh_{name}_{gateway}"):
            figures = await _changed_refreshes(hass, peer, coordinator, mutate)
        record(gateway, **{f"{name}_{key}": value for key, value in figures.items()})


async def _scheduled_requests(
    hass: HomeAssistant, sim: Simulator, coordinator: GsmPortsCoordinator
) -> dict[str, Any]:
    """1. Scheduled refreshes: every request the simulator saw, challenges apart."""
    authenticated: list[int] = []
    challenges: list[int] = []
    paths: set[str] = set()
    for _ in range(SCHEDULED_REFRESHES):
        sim.clear_requests()
        before = sim.auth.challenges
        await run_scheduled_refresh(hass, coordinator)
        challenged = sim.auth.challenges - before
        challenges.append(challenged)
        authenticated.append(len(sim.requests) - challenged)
        paths.update(request.path for request in sim.requests)
    return {
        "requests_first_refresh": authenticated[0],
        "requests_per_refresh": max(authenticated[1:]),
        "challenges_first_refresh": challenges[0],
        "challenges_per_refresh": max(challenges[1:]),
        "request_paths": ", ".join(sorted(paths)),
        "scheduled_refreshes": SCHEDULED_REFRESHES,
    }


async def _unchanged_refreshes(
    hass: HomeAssistant,
    sim: Simulator,
    coordinator: GsmPortsCoordinator,
    gateway: str,
) -> dict[str, Any]:
    """2. Refreshes on demand with nothing changed: wall and loop-thread CPU time."""
    refreshes = TIMED_REFRESHES[gateway]
    writes = StateWrites(hass)
    sim.clear_requests()
    wall: list[float] = []
    cpu: list[float] = []
    gc.collect()
    with profiled(f"refresh_unchanged_{gateway}"):
        for _ in range(refreshes):
            start_wall, start_cpu = time.perf_counter(), time.thread_time()
            await coordinator.async_refresh()
            cpu.append(time.thread_time() - start_cpu)
            wall.append(time.perf_counter() - start_wall)
        await hass.async_block_till_done()
    writes.stop()
    requests_timed = len(sim.requests)

    # The same response body, decoded alone and by the integration's parser.
    body = await coordinator.gateway._transport.request(  # noqa: SLF001
        "GET", "/api/get_port_info", params={"info_type": ",".join(INFO_TYPES)}
    )
    loads = _time_calls(lambda: json.loads(body), JSON_REPEATS)
    parse = _time_calls(
        lambda: [parse_port(item) for item in parse_json(body)["info"]], JSON_REPEATS
    )
    wall_ms, cpu_ms, loads_ms = _ms(wall), _ms(cpu), _ms(loads)
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
        "body_bytes": len(body),
        "state_writes_unchanged": writes.changed + writes.reported,
        "state_changed_unchanged": writes.changed,
        "state_reported_unchanged": writes.reported,
    }


async def _changed_refreshes(
    hass: HomeAssistant,
    peer: Peer,
    coordinator: GsmPortsCoordinator,
    mutate: Callable[[int], None],
) -> dict[str, float]:
    """Refreshes each after a change on the simulator: CPU time and state writes."""
    writes = StateWrites(hass)
    wall: list[float] = []
    cpu: list[float] = []
    for step in range(CHANGED_REFRESHES):
        await peer.run(mutate, step)
        start_wall, start_cpu = time.perf_counter(), time.thread_time()
        await coordinator.async_refresh()
        cpu.append(time.thread_time() - start_cpu)
        wall.append(time.perf_counter() - start_wall)
        await hass.async_block_till_done()
    writes.stop()
    wall_ms, cpu_ms = _ms(wall), _ms(cpu)
    return {
        "refresh_wall_ms_median": wall_ms[0],
        "refresh_cpu_ms_median": cpu_ms[0],
        "refresh_cpu_ms_p95": cpu_ms[1],
        "state_changed": writes.changed / CHANGED_REFRESHES,
        "state_reported": writes.reported / CHANGED_REFRESHES,
    }


# ------------------------------------------------------ 3: push ingestion


def _sms_push(serial: str, ports: int) -> Callable[[int], bytes]:
    def body(message_id: int) -> bytes:
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

    return body


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


@pytest.mark.parametrize("gateway", list(GATEWAYS))
async def test_push_ingestion(
    hass: HomeAssistant,
    peer: Peer,
    hass_client_no_auth: ClientSessionGenerator,
    gateway: str,
) -> None:
    """Webhook POST to sms_received event, against a do-nothing webhook."""
    sim = await start_gateway(peer, gateway)
    entry = make_entry(hass, sim, "Bench")
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
        sms_arrivals.arrived(event.data["message_id"] - base)

    unsub = hass.bus.async_listen(EVENT_SMS_RECEIVED, on_sms)
    make_body = _sms_push(sim.serial, GATEWAYS[gateway]["ports"])

    def bodies(count: int) -> list[bytes]:
        nonlocal base
        base += 100_000
        return [make_body(base + seq) for seq in range(count)]

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
        with profiled(f"push_do_nothing_{gateway}"):
            runs["null_rate"].append(
                await _push_run(
                    peer, null_url, bodies(RATE_PUSHES), null_arrivals, RATE_CONCURRENCY
                )
            )
        with profiled(f"push_sms_{gateway}"):
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


async def test_bulk_send(
    hass: HomeAssistant, peer: Peer, hass_client_no_auth: ClientSessionGenerator
) -> None:
    """320 SMS through send_sms on 32 ports; time scaled, scaled back."""
    gateway = BULK_GATEWAY
    sim = await start_gateway(
        peer,
        gateway,
        send_time=SEND_TIME / BULK_SCALES[0],
        delivery_delay=DELIVERY_DELAY / BULK_SCALES[0],
    )
    await peer.run(_register_every_port, sim)
    entry = make_entry(hass, sim, "Bench")
    await set_up(hass, entry)
    client = await hass_client_no_auth()
    url = str(client.make_url(f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"))
    await peer.run(setattr, sim, "push_url", url)

    statuses: dict[int, list[tuple[str, int | None]]] = {}
    wanted: set[int] = set()
    sent: dict[int, float] = {}
    all_sent = asyncio.Event()

    @callback
    def on_status(event: Event) -> None:
        message_id = event.data["id"]
        statuses.setdefault(message_id, []).append(
            (event.data["status"], event.data["port"])
        )
        if event.data["status"] == "sent" and message_id in wanted:
            sent[message_id] = time.perf_counter()
            if len(sent) >= len(wanted):
                all_sent.set()

    unsub = hass.bus.async_listen(EVENT_SMS_STATUS, on_status)
    bound = BULK_NUMBERS * SEND_TIME / BULK_PORTS
    for run, scale in enumerate(BULK_SCALES):
        timings = sim.timings
        await peer.run(setattr, timings, "send_time", SEND_TIME / scale)
        await peer.run(setattr, timings, "delivery_delay", DELIVERY_DELAY / scale)
        numbers = [f"+4477009{run}{index:04d}" for index in range(BULK_NUMBERS)]
        wanted.clear()
        sent.clear()
        all_sent.clear()
        start = time.perf_counter()
        offset = 0
        for size in BULK_CHUNKS:
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
        if len(sent) >= len(wanted):
            all_sent.set()
        try:
            async with asyncio.timeout(bound / scale * 3 + 10):
                await all_sent.wait()
        except TimeoutError:
            pass
        elapsed = (max(sent.values()) if sent else time.perf_counter()) - start
        per_port: dict[int | None, int] = {}
        for message_id in wanted:
            for status, port in statuses.get(message_id, []):
                if status == "sent":
                    per_port[port] = per_port.get(port, 0) + 1
        RESULTS["bulk_send"][f"scale_{scale}"] = {
            "scale": scale,
            "send_time_s": SEND_TIME / scale,
            "elapsed_s": elapsed,
            "scaled_s": elapsed * scale,
            "bound_s": bound,
            "ratio": elapsed * scale / bound,
            "accepted_s": accepted,
            "accepted_scaled_s": accepted * scale,
            "sent_events": len(sent),
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


async def _wait_idle(sim: Simulator, seconds: float) -> None:
    try:
        async with asyncio.timeout(seconds):
            await sim.wait_idle()
    except TimeoutError:
        pass


# ----------------------------------------------------- 5 and 6: setup


@pytest.mark.parametrize("gateway", list(GATEWAYS))
async def test_setup_and_memory(hass: HomeAssistant, peer: Peer, gateway: str) -> None:
    """Setup time with the gateway up; memory a further entry holds."""
    first = await start_gateway(peer, gateway)
    second = await start_gateway(peer, gateway)
    # The integration and its dependencies (http, webhook) are set up at
    # Home Assistant's start, before any entry: not part of an entry's setup.
    await set_up_integration(hass)
    entry = make_entry(hass, first, "Bench one")
    gc.collect()
    with profiled(f"setup_{gateway}"):
        start = time.perf_counter()
        await hass.config_entries.async_setup(entry.entry_id)
        loaded = time.perf_counter() - start
    await hass.async_block_till_done(wait_background_tasks=True)
    idle = time.perf_counter() - start
    record(
        gateway,
        setup_s=loaded,
        setup_until_idle_s=idle,
        setup_state=entry.state.value,
    )

    further = make_entry(hass, second, "Bench two")
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        await set_up(hass, further)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    # Leave out what only the test harness keeps: captured output and logs.
    harness = [
        tracemalloc.Filter(inclusive=False, filename_pattern=pattern)
        for pattern in ("*/logging/__init__.py", "*/_pytest/*", "<frozen *>")
    ]
    before, after = before.filter_traces(harness), after.filter_traces(harness)
    by_file = after.compare_to(before, "filename")
    held = sum(stat.size_diff for stat in by_file)
    top = [
        {
            "where": f"{stat.traceback[0].filename}:{stat.traceback[0].lineno}",
            "bytes": stat.size_diff,
        }
        for stat in after.compare_to(before, "lineno")[:8]
    ]
    record(gateway, memory_bytes=held, memory_top_lines=top)


async def test_setup_gateway_down(hass: HomeAssistant, peer: Peer) -> None:
    """How long setup takes to give up: a gateway that never answers, a closed port."""
    await set_up_integration(hass)
    hanging: dict[str, MockConfigEntry] = {}
    sims: dict[str, Simulator] = {}
    for gateway in GATEWAYS:
        sim = sims[gateway] = await start_gateway(peer, gateway)
        await peer.run(lambda sim=sim: sim.faults.add("timeout", count=None))
        hanging[gateway] = make_entry(hass, sim, f"Hanging {gateway}")

    async def timed(entry: MockConfigEntry) -> float:
        start = time.perf_counter()
        await hass.config_entries.async_setup(entry.entry_id)
        return time.perf_counter() - start

    # The hanging ones side by side (each waits out its own request timeout).
    durations = await asyncio.gather(*(timed(entry) for entry in hanging.values()))
    for gateway, seconds in zip(hanging, durations, strict=True):
        record(
            gateway,
            setup_down_timeout_s=seconds,
            setup_down_timeout_state=hanging[gateway].state.value,
        )
    for gateway, sim in sims.items():
        with socket.create_server(("127.0.0.1", 0)) as probe:
            closed = probe.getsockname()[1]
        entry = make_entry(hass, sim, f"Refused {gateway}", **{CONF_PORT: closed})
        record(
            gateway,
            setup_down_refused_s=await timed(entry),
            setup_down_refused_state=entry.state.value,
        )
    if any(entry.state is ConfigEntryState.LOADED for entry in hanging.values()):
        RESULTS["notes"].append("an entry loaded although its gateway never answered")
