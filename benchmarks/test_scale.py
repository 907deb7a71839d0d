"""Section 7: many gateways of one family in one Home Assistant.

``family.scale_gateways`` simulators of ``family.scale_shape`` on 127.0.0.1,
one config entry each, set up together as at Home Assistant's start (the
integration's setup sets up every entry concurrently). Then the steady
state: every poll of every entry at its default interval, with time
advanced as the loop's timers see it.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
import gc
import time
import tracemalloc
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from benchmarks.families import Bench, BenchFamily, family_params
from benchmarks.harness import StateWrites, held_bytes, make_entry, start_gateway
from benchmarks.peer import Peer
from benchmarks.profiling import profiled
from benchmarks.report import RESULTS, record_section
from custom_components.gsm_gateway.const import (
    DEFAULT_INBOX_INTERVAL,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    MIN_STATUS_INTERVAL,
    STATISTICS_INTERVAL,
    STATUS_INTERVAL_FACTOR,
)
from gsm_simulator.server import Simulator

POLL_MINUTES = 10
"""Simulated minutes of polling measured (each variant)."""
WARMUP_MINUTES = 2
"""Simulated minutes of polling before measuring (first saves, caches)."""

PERIODS = (
    DEFAULT_SCAN_INTERVAL,
    DEFAULT_INBOX_INTERVAL,
    max(
        DEFAULT_SCAN_INTERVAL * STATUS_INTERVAL_FACTOR,
        int(MIN_STATUS_INTERVAL.total_seconds()),
    ),
)
"""The default intervals (s) of an entry's polls: ports, inbox and reports, status."""
STEP = min(PERIODS)


def _offset(step: int) -> float:
    """How far to advance time at ``step`` so that each poll falls due at its interval.

    Timers are due relative to the loop's real clock, which hardly moves
    between steps: advancing by the longest period the step's time is a
    multiple of fires exactly the polls due then (plus a second of slack for
    the coordinators' sub-second offsets; the test helper adds half a second).
    """
    now = step * STEP
    return max(period for period in PERIODS if now % period == 0) + 0.5


async def _start_gateways(peer: Peer, family: BenchFamily) -> list[Simulator]:
    shape = family.scale_shape
    if shape is None:
        msg = f"{family.name} has no scale_shape"
        raise ValueError(msg)
    return list(
        await asyncio.gather(
            *(start_gateway(peer, family, shape) for _ in range(family.scale_gateways))
        )
    )


async def _set_up_dependencies(hass: HomeAssistant) -> None:
    """What Home Assistant sets up before the integration: its dependencies."""
    for domain in ("http", "webhook"):
        if not await async_setup_component(hass, domain, {}):
            msg = f"{domain} did not set up"
            raise RuntimeError(msg)


async def _set_up_all(hass: HomeAssistant) -> None:
    """The integration's setup, which sets up every entry of it concurrently."""
    if not await async_setup_component(hass, DOMAIN, {}):
        msg = f"{DOMAIN} did not set up"
        raise RuntimeError(msg)


@pytest.mark.parametrize("family", family_params(Bench.SCALE))
async def test_scale_setup_and_polling(
    hass: HomeAssistant, peer: Peer, family: BenchFamily
) -> None:
    """Setup of all entries together; loop CPU per minute of steady polling."""
    sims = await _start_gateways(peer, family)
    await _set_up_dependencies(hass)
    entries = [
        make_entry(hass, family, sim, f"Scale {index + 1}")
        for index, sim in enumerate(sims)
    ]
    gc.collect()
    with profiled(f"scale_setup_{family.name}"):
        start = time.perf_counter()
        await _set_up_all(hass)
        loaded = time.perf_counter() - start
    await hass.async_block_till_done(wait_background_tasks=True)
    idle = time.perf_counter() - start
    record_section(
        family,
        "scale",
        gateways=len(sims),
        shape=family.scale_shape,
        setup_s=loaded,
        setup_until_idle_s=idle,
        entries_loaded=_loaded(entries),
    )
    if _loaded(entries) < len(entries):
        RESULTS["notes"].append(
            f"{family.name} scale: only {_loaded(entries)} of {len(entries)} entries loaded"
        )
        return

    step = 0

    async def poll(
        minutes: int, before_step: Callable[[], None] | None = None
    ) -> dict[str, Any]:
        nonlocal step
        await peer.run(_clear_requests, sims)
        writes = StateWrites(hass)
        steps = minutes * 60 // STEP
        gc.collect()
        start_thread, start_process = time.thread_time(), time.process_time()
        for _ in range(steps):
            if before_step is not None:
                await peer.run(before_step)
            step += 1
            async_fire_time_changed(
                hass, dt_util.utcnow() + timedelta(seconds=_offset(step))
            )
            await hass.async_block_till_done(wait_background_tasks=True)
        thread = time.thread_time() - start_thread
        process = time.process_time() - start_process
        writes.stop()
        paths = await peer.run(_count_requests, sims, family)
        return {
            "loop_cpu_ms_per_min": thread * 1000 / minutes,
            "process_cpu_ms_per_min": process * 1000 / minutes,
            "requests_per_min": paths.total() / minutes,
            "requests_per_min_by_path": {
                path: count / minutes for path, count in sorted(paths.items())
            },
            "state_writes_per_min": (writes.changed + writes.reported) / minutes,
        }

    def drift() -> None:
        for sim in sims:
            sim.tick()

    if entries[0].runtime_data.statistics is not None:
        RESULTS["notes"].append(
            f"{family.name} scale: the usage counters' poll (every"
            f" {STATISTICS_INTERVAL.total_seconds() / 60:g} min) is not in the"
            " polling figures (they advance time by the other polls' periods)"
        )
    await poll(WARMUP_MINUTES)
    with profiled(f"scale_polling_{family.name}"):
        still = await poll(POLL_MINUTES)
    drifting = await poll(POLL_MINUTES, drift)
    record_section(
        family,
        "scale",
        poll_minutes=POLL_MINUTES,
        poll_periods_s=list(PERIODS),
        **still,
        **{f"drift_{key}": value for key, value in drifting.items()},
        entries_loaded_after_polling=_loaded(entries),
    )


@pytest.mark.parametrize("family", family_params(Bench.SCALE))
async def test_scale_memory(
    hass: HomeAssistant, peer: Peer, family: BenchFamily
) -> None:
    """Memory held by all entries, set up together as at start (tracemalloc, after gc)."""
    sims = await _start_gateways(peer, family)
    await _set_up_dependencies(hass)
    entries = [
        make_entry(hass, family, sim, f"Scale {index + 1}")
        for index, sim in enumerate(sims)
    ]
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        await _set_up_all(hass)
        await hass.async_block_till_done(wait_background_tasks=True)
        # What the simulators log of the requests is the harness's, not the entries'.
        await peer.run(_clear_requests, sims)
        gc.collect()
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    held, top = held_bytes(before, after, leave_out=("*/gsm_simulator/*",))
    record_section(
        family,
        "scale",
        memory_bytes=held,
        memory_bytes_per_gateway=held / len(sims),
        memory_top_lines=top,
        memory_entries_loaded=_loaded(entries),
    )


def _loaded(entries: list[MockConfigEntry]) -> int:
    return sum(entry.state is ConfigEntryState.LOADED for entry in entries)


def _clear_requests(sims: list[Simulator]) -> None:
    for sim in sims:
        sim.clear_requests()


def _count_requests(sims: list[Simulator], family: BenchFamily) -> Counter[str]:
    return Counter(
        family.request_name(request) for sim in sims for request in sim.requests
    )
