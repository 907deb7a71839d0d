"""Fixtures of the benchmarks, the table at the end and the JSON file.

The tests' fixtures are reused (custom integrations enabled, entry data);
the simulators run on a :class:`~benchmarks.peer.Peer` loop instead of Home
Assistant's. Which families and gateways are measured: ``benchmarks/families``. ``testpaths`` does not matter: ``scripts/bench`` names this
folder.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
import logging
import os
from pathlib import Path
import time

import pytest

from benchmarks.peer import Peer
from benchmarks.profiling import PROFILE_DIR
from benchmarks.report import RESULTS, machine, render_table, write_json
from tests.conftest import auto_enable_custom_integrations  # noqa: F401

pytest_plugins = ["gsm_simulator.pytest_plugin"]

_STARTED = time.perf_counter()


def pytest_addoption(parser: pytest.Parser) -> None:
    """Where the JSON goes."""
    parser.addoption(
        "--bench-json",
        default=os.environ.get("BENCH_JSON"),
        help="where to write the figures as JSON (default: bench-results.json at the repository top)",
    )
    parser.addoption(
        "--bench-profile",
        default=None,
        metavar="DIR",
        help="cProfile the measured phases into DIR (distorts the figures)",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Turn profiling on when asked."""
    if folder := config.getoption("--bench-profile"):
        PROFILE_DIR.append(Path(folder))
        RESULTS["notes"].append(
            f"profiled run (cProfile into {folder}): the figures are distorted"
        )


@pytest.fixture(autouse=True)
async def enable_event_loop_debug() -> None:
    """Override the test plugin's fixture: asyncio debug mode would distort every figure."""
    asyncio.get_running_loop().set_debug(False)


@pytest.fixture(autouse=True)
def production_log_levels() -> Iterator[None]:
    """Log as Home Assistant does in production (not verbose): warnings and up.

    Its bootstrap sets the root logger and ``aiohttp.access`` to WARNING; the
    test plugin leaves both at INFO, which formats and captures a record per
    request and per entity registered.
    """
    loggers = [logging.getLogger(), logging.getLogger("aiohttp.access")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@pytest.fixture
async def peer(socket_enabled: None) -> AsyncIterator[Peer]:
    """The network side (simulators, push client) on its own loop and thread."""
    side = Peer()
    try:
        yield side
    finally:
        await side.aclose()


def _json_path(config: pytest.Config) -> Path:
    chosen = config.getoption("--bench-json")
    return Path(chosen) if chosen else config.rootpath / "bench-results.json"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Write the JSON file, whatever passed."""
    RESULTS["machine"] = machine()
    RESULTS["duration_s"] = round(time.perf_counter() - _STARTED, 1)
    RESULTS["exit_status"] = int(exitstatus)
    write_json(_json_path(session.config))


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, exitstatus: int, config: pytest.Config
) -> None:
    """Print the one table."""
    terminalreporter.write_line("")
    for line in render_table().splitlines():
        terminalreporter.write_line(line)
    terminalreporter.write_line(
        f"Figures as JSON: {_json_path(config)}; run took {RESULTS.get('duration_s', 0):.0f} s"
    )
