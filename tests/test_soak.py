"""Fault soak: the gateway misbehaves for a long stretch of simulated time.

Time is simulated: the clock (Home Assistant's and the event loop's) moves in
one-second steps, so polls, timeouts, pushes and the simulator's own delays
all follow it. Random faults (timeouts, a 401 then success, HTTP 500,
malformed JSON, dropped connections, slow answers, a reboot) hit the gateway
while SMS keep arriving, pushed or not.

It asserts that no traceback reaches the log, entities are unavailable only
while the gateway fails and are back within one poll after it recovers,
every SMS is reported exactly once, and memory does not grow.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
import gc
import logging
import random
import tracemalloc
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
from homeassistant.const import CONF_WEBHOOK_ID, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import storage
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.gsm_gateway.const import DOMAIN, EVENT_SMS_RECEIVED
from gsm_simulator.server import Simulator

from .conftest import SimulatorFactory, entry_data

pytestmark = pytest.mark.soak

SCAN = 30  # seconds between port polls (the default)
SHORT_RUN = 20 * 60  # simulated seconds in CI
LONG_RUN = 6 * 3600
FAULTS = ("timeout", "auth", "status", "malformed_json", "drop", "slow", "reboot")
SIGNAL = "sensor.office_port_1_signal_strength"


async def step(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """One simulated second, with room for loopback I/O to progress."""
    freezer.tick(timedelta(seconds=1))
    async_fire_time_changed(hass)
    for _ in range(25):
        await asyncio.sleep(0)


def inject(sim: Simulator, kind: str, rng: random.Random) -> int:
    """Start a fault; return how many seconds it lasts."""
    seconds = rng.randint(20, 120)
    if kind == "timeout":
        sim.faults.add("timeout", count=None, seconds=60)
    elif kind == "auth":
        sim.faults.add("status", count=1, status=401, path="/api/get_port_info")
        seconds = SCAN + 1
    elif kind == "status":
        sim.faults.add("status", count=None, status=500)
    elif kind == "malformed_json":
        sim.faults.add("malformed_json", count=None)
    elif kind == "drop":
        sim.faults.add("drop", count=None)
    elif kind == "slow":
        sim.faults.add("slow", count=None, seconds=3)
    else:  # a reboot: offline for a while; its inbox (and ids) survive
        sim.reboot(downtime=seconds)
    return seconds


def receive(sim: Simulator, rng: random.Random, port: int, text: str) -> str:
    """An SMS arrives: pushed, not pushed, its push lost or sent twice."""
    if rng.random() < 0.1:
        sim.pusher.faults.lose(count=1, push_type="sms")
    elif rng.random() < 0.05:
        sim.pusher.faults.duplicate(count=1, push_type="sms")
    sim.receive_sms(port, "+447700900111", text, push=rng.random() < 0.7)
    return text


class TracebackCollector(logging.Handler):
    """Keeps the text of error records that carry a traceback, and no record."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.tracebacks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.tracebacks.append(self.format(record))


@contextmanager
def collect_tracebacks() -> Iterator[list[str]]:
    """Log only to a collector of tracebacks for a while.

    pytest's handlers keep every record, and an error's record holds its
    exception, whose frames hold whatever the failed call had in hand: over
    hours that would read as the integration's memory. Records below WARNING
    are not even made, which keeps a long run fast.
    """
    root = logging.getLogger()
    handlers = root.handlers[:]
    collector = TracebackCollector()
    root.handlers[:] = [collector]
    logging.disable(logging.INFO)
    try:
        yield collector.tracebacks
    finally:
        logging.disable(logging.NOTSET)
        root.handlers[:] = handlers


def package_memory() -> int:
    """Bytes allocated by the integration's own code and still held."""
    # The test storage is a mock that remembers every document written;
    # forget those calls, or the test's memory would be counted.
    storage.Store._async_write_data.reset_mock()  # type: ignore[attr-defined]
    gc.collect()
    snapshot = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(True, "*custom_components/gsm_gateway/*")]
    )
    return sum(stat.size for stat in snapshot.statistics("filename"))


@pytest.fixture
def soak_seconds(request: pytest.FixtureRequest) -> int:
    if (hours := request.config.getoption("--soak-hours")) is not None:
        # Whole minutes, so the run falls into sixths (the memory samples).
        return max(round(hours * 60), 6) * 60
    return LONG_RUN if request.config.getoption("--soak-long") else SHORT_RUN


@pytest.fixture
def soak_seed(request: pytest.FixtureRequest) -> int:
    seed: int = request.config.getoption("--soak-seed")
    return seed


async def test_fault_soak(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: ClientSessionGenerator,
    socket_enabled: None,
    gsm_simulator_factory: SimulatorFactory,
    soak_seconds: int,
    soak_seed: int,
) -> None:
    rng = random.Random(soak_seed)
    sim = await gsm_simulator_factory(
        dialect="dinstar", ports=8, register_delay=5.0, ussd_delay=1.0
    )
    entry = MockConfigEntry(
        domain=DOMAIN, title="Office", unique_id=sim.serial, data=entry_data(sim)
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()
    sim.push_url = str(client.make_url(f"/api/webhook/{entry.data[CONF_WEBHOOK_ID]}"))
    # Count by number: keeping the events would keep memory the integration
    # allocated, and the memory check would measure the test.
    counts: Counter[int] = Counter()

    @callback
    def count(event: Event) -> None:
        counts[int(event.data["text"].removeprefix("soak "))] += 1

    hass.bus.async_listen(EVENT_SMS_RECEIVED, count)
    port = next(
        p.index for p in sim.state.ports if p.registration.value == "registered"
    )

    sent: list[str] = []
    fault_until = -1
    healthy_since = 0
    unavailable_when_healthy: list[int] = []
    memory: list[int] = []
    faults: Counter[str] = Counter()
    # Each step moves the loop's clock a whole second inside one callback;
    # asyncio's debug mode would report every step as a slow callback.
    hass.loop.slow_callback_duration = 2
    tracemalloc.start()
    with (
        collect_tracebacks() as tracebacks,
        # A small memory for duplicates, so the run reaches its steady state.
        patch("custom_components.gsm_gateway.inbox.MAX_SEEN_IDS", 200),
    ):
        for second in range(soak_seconds):
            if second == fault_until:
                sim.faults.clear()
                healthy_since = second
            # A new fault only after a healthy poll: two refusals in a row
            # are a changed password, and rightly ask the user (not a fault).
            if (
                fault_until < second
                and second - healthy_since > SCAN + 5
                and rng.random() < 1 / 240
            ):
                kind = rng.choice(FAULTS)
                faults[kind] += 1
                fault_until = second + inject(sim, kind, rng)
            if rng.random() < 1 / 20:
                sent.append(receive(sim, rng, port, f"soak {len(sent)}"))
            await step(hass, freezer)
            # A full poll after the last fault ended, entities must be back.
            if (
                fault_until < second
                and second - healthy_since > SCAN + 15
                and hass.states.get(SIGNAL).state == STATE_UNAVAILABLE
            ):
                unavailable_when_healthy.append(second)
            # From a third of the run on (a warm start), every sixth of it.
            if second >= soak_seconds // 3 and (
                second % (soak_seconds // 6) == 0 or second == soak_seconds - 1
            ):
                memory.append(package_memory())
        # Drain: no faults, a few inbox polls.
        sim.faults.clear()
        for _ in range(200):
            await step(hass, freezer)
        tracemalloc.stop()
        await hass.async_block_till_done()

    # Shown by `scripts/bench --soak`.
    print(  # noqa: T201
        f"\nsoak: {soak_seconds // 60} simulated minutes, seed {soak_seed}, faults "
        f"{dict(sorted(faults.items()))}, {len(sent)} SMS, integration memory "
        f"(bytes, from a third of the run, every sixth) {memory}"
    )
    assert tracebacks == []
    assert unavailable_when_healthy == []
    assert len(sent) > soak_seconds // 40
    assert [n for n in range(len(sent)) if counts[n] != 1] == []
    assert set(counts) == set(range(len(sent)))
    assert len(memory) == 5
    assert max(memory) - memory[0] < 64 * 1024, memory
    assert hass.config_entries.flow.async_progress() == []


def test_collector_keeps_tracebacks_only() -> None:
    logger = logging.getLogger("custom_components.gsm_gateway")
    handlers = logging.getLogger().handlers[:]
    with collect_tracebacks() as tracebacks:
        logger.info("not even made")
        logger.error("no traceback")
        try:
            raise RuntimeError("boom")  # noqa: TRY301
        except RuntimeError:
            logger.exception("failed")
    assert len(tracebacks) == 1
    assert "RuntimeError: boom" in tracebacks[0]
    assert logging.getLogger().handlers == handlers  # pytest's are back
    assert logging.root.manager.disable == logging.NOTSET
