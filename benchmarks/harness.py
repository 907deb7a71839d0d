"""What every benchmark uses: simulated gateways, entries, state-write counting, timing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
import itertools
import time
import tracemalloc
from typing import Any

from homeassistant.const import EVENT_STATE_CHANGED, EVENT_STATE_REPORTED
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry

from benchmarks.families import BenchFamily
from benchmarks.peer import Peer
from benchmarks.report import median, percentile
from custom_components.gsm_gateway.const import CONF_API_FAMILY, DOMAIN
from custom_components.gsm_gateway.coordinator import GsmPortsCoordinator
from gsm_simulator.server import Simulator
from tests.conftest import entry_data

_serials = itertools.count(1)

HARNESS_FILES = ("*/logging/__init__.py", "*/_pytest/*", "<frozen *>")
"""What only the test harness keeps (captured output and logs): left out of memory figures."""


async def start_gateway(
    peer: Peer, family: BenchFamily, shape: str, **options: Any
) -> Simulator:
    """A simulator of the family's dialect and shape (identical state, its own identity)."""
    number = next(_serials)
    sim = await peer.simulator(
        family.dialect,
        **family.shape(shape).options(),
        serial=f"{family.serial_prefix}-{number:04d}",
        **{**family.simulator_options, **options},
    )
    await peer.run(family.make_unique, sim, number)
    return sim


def make_entry(
    hass: HomeAssistant, family: BenchFamily, sim: Simulator, title: str, **data: Any
) -> MockConfigEntry:
    """An entry of the family for the simulator, added to Home Assistant (not set up)."""
    entry = MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=family.unique_id(sim) if not data else f"{sim.serial}-{title}",
        data=entry_data(sim, **{CONF_API_FAMILY: family.name, **data}),
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
    def _on_changed(self, _event: Event[Any]) -> None:
        self.changed += 1

    @callback
    def _on_reported(self, _event: Event[Any]) -> None:
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


def ms(values: list[float]) -> tuple[float, float]:
    """Median and p95 of durations in seconds, as milliseconds."""
    return median(values) * 1000, percentile(values, 95) * 1000


def time_calls(func: Callable[[], Any], repeats: int) -> list[float]:
    """Durations of ``repeats`` calls of ``func``."""
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return samples


def held_bytes(
    before: tracemalloc.Snapshot,
    after: tracemalloc.Snapshot,
    leave_out: Iterable[str] = (),
) -> tuple[int, list[dict[str, Any]]]:
    """Bytes held in ``after`` over ``before``, and the lines holding most.

    The harness's own files (:data:`HARNESS_FILES`) and ``leave_out``
    (filename patterns) are left out.
    """
    excluded = [
        tracemalloc.Filter(inclusive=False, filename_pattern=pattern)
        for pattern in (*HARNESS_FILES, *leave_out)
    ]
    before, after = before.filter_traces(excluded), after.filter_traces(excluded)
    held = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    top = [
        {
            "where": f"{stat.traceback[0].filename}:{stat.traceback[0].lineno}",
            "bytes": stat.size_diff,
        }
        for stat in after.compare_to(before, "lineno")[:8]
    ]
    return held, top
