"""Collected figures, the machine they came from, the table and the JSON file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
import json
import math
import os
from pathlib import Path
import platform
import statistics
from typing import Any

from benchmarks.families import FAMILIES, Bench, BenchFamily

METHOD = [
    "Method: the simulators and the push client run on a second event loop in"
    " their own thread; CPU = time.thread_time() of Home Assistant's loop thread.",
    "Method: asyncio debug off, root logger and aiohttp.access at WARNING, as in production;"
    " bulk send figures multiply fixed overheads by the time scale.",
    "Method: floor = the requests of one refresh (as the simulator recorded them)"
    " sent by a bare aiohttp session with the same authentication, each body"
    " json.loads'ed; timed interleaved with the refreshes.",
    "Method: inbox poll = messaging.async_poll_inbox() with the simulator's inbox filled"
    " through its model (no pushes); its floor replays a poll's request the same way;"
    " wall times include the simulator finding the messages, on its own thread.",
]

SCALE_SETUP_GOAL_S = 3.0
SCALE_MEMORY_GOAL_MIB = 50.0
FLOOR_GOAL = 1.5
"""Goals (reported beside the figures, never asserted)."""

INBOX_STORED = 1000
"""SMS stored on the gateway in the inbox benchmark (``test_inbox.py``)."""
INBOX_NEW = 3
"""SMS arriving before each poll of its "a few new" series."""

RESULTS: dict[str, Any] = {
    "families": {
        family.name: {
            "label": family.label,
            "dialect": family.dialect,
            "benchmarks": sorted(family.benchmarks),
            "capabilities": sorted(family.capabilities),
            "not_applicable": family.not_applicable(),
            "max_requests_per_refresh": family.max_requests_per_refresh,
            "gateways": {
                key: {"ports": shape.ports, "slots": shape.slots}
                for key, shape in family.shapes.items()
            },
            "bulk_send": {},
            "scale": {},
        }
        for family in FAMILIES
    },
    "notes": [],
}
"""Every figure: per family, per gateway shape (and the family-wide sections)."""


def record(family: BenchFamily, gateway: str, **figures: Any) -> None:
    """Keep figures of one gateway shape of a family."""
    RESULTS["families"][family.name]["gateways"][gateway].update(figures)


def record_section(family: BenchFamily, section: str, **figures: Any) -> None:
    """Keep figures of a family-wide section (``bulk_send``, ``scale``)."""
    RESULTS["families"][family.name][section].update(figures)


def percentile(values: Sequence[float], pct: float) -> float:
    """The ``pct`` percentile (nearest rank on sorted values, 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def median(values: Sequence[float]) -> float:
    """The median, NaN when empty."""
    return statistics.median(values) if values else float("nan")


# ------------------------------------------------------------------ machine


def machine() -> dict[str, Any]:
    """CPU, cores, memory and the software versions of this run."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    from aiohttp import __version__ as aiohttp_version  # noqa: PLC0415
    from homeassistant.const import __version__ as ha_version  # noqa: PLC0415

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "ram_bytes": ram,
        "python": platform.python_version(),
        "home_assistant": ha_version,
        "aiohttp": aiohttp_version,
        "platform": platform.platform(),
    }


# -------------------------------------------------------------------- table

type Cell = Callable[[dict[str, Any]], str]


def _num(value: Any, digits: int = 2) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return "n/a"
        return f"{value:,.{digits}f}"
    return str(value)


def _one(key: str, digits: int = 2) -> Cell:
    return lambda figures: _num(figures.get(key), digits)


def _two(first: str, second: str, digits: int = 2) -> Cell:
    return _several(first, second, digits=digits)


def _several(*keys: str, digits: int = 2) -> Cell:
    def cell(figures: dict[str, Any]) -> str:
        values = [figures.get(key) for key in keys]
        if all(value is None for value in values):
            return "n/a"
        return " / ".join(_num(value, digits) for value in values)

    return cell


def _times(value: Any) -> str:
    return "n/a" if value is None else f"{value:,.2f}x"


def _ratio(key: str) -> Cell:
    return lambda figures: _times(figures.get(key))


def _ratios(first: str, second: str) -> Cell:
    def cell(figures: dict[str, Any]) -> str:
        a, b = figures.get(first), figures.get(second)
        if a is None and b is None:
            return "n/a"
        return f"{_times(a)} / {_times(b)}"

    return cell


def _kib(key: str) -> Cell:
    def cell(figures: dict[str, Any]) -> str:
        value = figures.get(key)
        return "n/a" if value is None else f"{value / 1024:,.0f} KiB"

    return cell


def _mib(key: str) -> Cell:
    def cell(figures: dict[str, Any]) -> str:
        value = figures.get(key)
        return "n/a" if value is None else f"{value / 2**20:,.1f} MiB"

    return cell


def _cpu_per_minute(key: str) -> Cell:
    """Milliseconds of CPU per minute, and the share of one core that is."""

    def cell(figures: dict[str, Any]) -> str:
        value = figures.get(key)
        if value is None:
            return "n/a"
        return f"{value:,.1f} ({value / 60_000 * 100:.3f} % of a core)"

    return cell


_FLOOR_GOAL = f"goal <= {FLOOR_GOAL:g}x"

# Row texts and limits may name ``{change}`` (what the family's refresh
# benchmark changes on one port) and ``{requests_limit}`` (its limit of
# requests per refresh): see ``_words``.

ROWS: list[tuple[str, Cell | None, str]] = [
    ("1. Scheduled port refresh", None, ""),
    (
        "   authenticated requests per refresh (steady)",
        _one("requests_per_refresh", 0),
        "limit {requests_limit} (asserted)",
    ),
    (
        "   ... first refresh after setup",
        _one("requests_first_refresh", 0),
        "limit {requests_limit} (asserted)",
    ),
    (
        "   digest challenge round trips (steady / first)",
        _two("challenges_per_refresh", "challenges_first_refresh", 0),
        "",
    ),
    ("   paths (or events) requested", _one("request_paths"), ""),
    ("2. Refresh cost on HA's event loop", None, ""),
    (
        "   refresh wall time, median / p95 (ms)",
        _two("refresh_wall_ms_median", "refresh_wall_ms_p95", 3),
        "",
    ),
    (
        "   refresh CPU (loop thread), median / p95 (ms)",
        _two("refresh_cpu_ms_median", "refresh_cpu_ms_p95", 3),
        "",
    ),
    (
        "   floor (bare aiohttp + json.loads), wall median / p95 (ms)",
        _two("floor_wall_ms_median", "floor_wall_ms_p95", 3),
        "same requests, same auth",
    ),
    (
        "   floor CPU (loop thread), median / p95 (ms)",
        _two("floor_cpu_ms_median", "floor_cpu_ms_p95", 3),
        "",
    ),
    (
        "   refresh / floor, wall / CPU (medians)",
        _ratios("refresh_to_floor_wall", "refresh_to_floor_cpu"),
        _FLOOR_GOAL,
    ),
    ("   authentication (refresh and floor)", _one("auth"), ""),
    (
        "   json.loads of the same bodies, median (ms)",
        _one("json_loads_ms_median", 3),
        "",
    ),
    (
        "   integration's parse (json + ports), median (ms)",
        _one("parse_ms_median", 3),
        "",
    ),
    ("   refresh CPU / json.loads", _ratio("refresh_cpu_to_json_ratio"), ""),
    (
        "   response body (bytes) / refreshes timed",
        _two("body_bytes", "refreshes", 0),
        "",
    ),
    (
        "   state writes in unchanged refreshes",
        _one("state_writes_unchanged", 0),
        "limit 0",
    ),
    (
        "   one port's {change} changed: refresh CPU, median / p95 (ms)",
        _two("one_change_refresh_cpu_ms_median", "one_change_refresh_cpu_ms_p95", 3),
        "",
    ),
    (
        "   ... / floor, wall / CPU (medians)",
        _ratios("one_change_to_floor_wall", "one_change_to_floor_cpu"),
        _FLOOR_GOAL,
    ),
    (
        "   ... state writes per refresh (changed / unchanged)",
        _two("one_change_state_changed", "one_change_state_reported", 1),
        "changed only",
    ),
    (
        "   simulator drift: refresh CPU, median / p95 (ms)",
        _two("drift_refresh_cpu_ms_median", "drift_refresh_cpu_ms_p95", 3),
        "",
    ),
    (
        "   ... / floor, wall / CPU (medians)",
        _ratios("drift_to_floor_wall", "drift_to_floor_cpu"),
        _FLOOR_GOAL,
    ),
    (
        "   ... state writes per refresh (changed / unchanged)",
        _two("drift_state_changed", "drift_state_reported", 1),
        "changed only",
    ),
    ("   entities / devices of the entry", _two("entities", "devices", 0), ""),
    ("3. Push ingestion (webhook -> sms_received event)", None, ""),
    (
        "   latency one at a time, median / p99 (ms)",
        _two("push_latency_ms_median", "push_latency_ms_p99", 3),
        "",
    ),
    (
        "   do-nothing webhook, median / p99 (ms)",
        _two("null_latency_ms_median", "null_latency_ms_p99", 3),
        "",
    ),
    ("   latency ratio (median)", _ratio("push_latency_ratio"), ""),
    ("   sustained rate (SMS/s)", _one("push_rate_per_s", 0), ""),
    ("   do-nothing webhook rate (requests/s)", _one("null_rate_per_s", 0), ""),
    ("   rate ratio (do-nothing / integration)", _ratio("push_rate_ratio"), ""),
    (
        "   latency with 16 in flight, median / p99 (ms)",
        _two("push_loaded_latency_ms_median", "push_loaded_latency_ms_p99", 3),
        "",
    ),
    (
        "   pushes not answered 200 / events missing",
        _two("push_errors", "push_missing_events", 0),
        "0",
    ),
    ("4. Bulk send", None, ""),
    ("5. Setup", None, ""),
    ("   setup, gateway up, to loaded (s)", _one("setup_s", 3), ""),
    (
        "   setup returns, gateway hangs (timeout) (s)",
        _one("setup_down_timeout_s", 3),
        "limit 10 (request timeout)",
    ),
    ("   ... entry state then", _one("setup_down_timeout_state"), "setup_retry"),
    ("   setup returns, port closed (s)", _one("setup_down_refused_s", 3), "limit 10"),
    ("6. Memory held per gateway after setup", None, ""),
    ("   held by one entry (tracemalloc, after gc)", _kib("memory_bytes"), ""),
    ("7. Scale", None, ""),
    (
        f"8. Inbox poll with {INBOX_STORED:,} SMS stored (messaging.async_poll_inbox)",
        None,
        "",
    ),
    (
        "   all new (first poll after they arrived): wall / loop CPU (ms)",
        _two("inbox_first_wall_ms", "inbox_first_cpu_ms", 1),
        "",
    ),
    (
        "   ... requests / SMS read / events",
        _several(
            "inbox_first_requests", "inbox_first_read", "inbox_first_events", digits=0
        ),
        f"events {INBOX_STORED:,}",
    ),
    (
        "   none new since the cursor: wall, median / p95 (ms)",
        _two("inbox_none_new_wall_ms_median", "inbox_none_new_wall_ms_p95", 3),
        "",
    ),
    (
        "   ... loop CPU, median / p95 (ms)",
        _two("inbox_none_new_cpu_ms_median", "inbox_none_new_cpu_ms_p95", 3),
        "",
    ),
    (
        "   ... floor (same request, bare aiohttp + json.loads), wall / CPU (ms)",
        _two(
            "inbox_none_new_floor_wall_ms_median",
            "inbox_none_new_floor_cpu_ms_median",
            3,
        ),
        "medians",
    ),
    (
        "   ... poll / floor, wall / CPU (medians)",
        _ratios("inbox_none_new_to_floor_wall", "inbox_none_new_to_floor_cpu"),
        "",
    ),
    (
        "   ... requests / SMS read / events per poll",
        _several(
            "inbox_none_new_requests",
            "inbox_none_new_read",
            "inbox_none_new_events",
            digits=0,
        ),
        "events 0",
    ),
    (
        f"   {INBOX_NEW} new before each poll: wall, median / p95 (ms)",
        _two("inbox_few_new_wall_ms_median", "inbox_few_new_wall_ms_p95", 3),
        "",
    ),
    (
        "   ... loop CPU, median / p95 (ms)",
        _two("inbox_few_new_cpu_ms_median", "inbox_few_new_cpu_ms_p95", 3),
        "",
    ),
    (
        "   ... requests / SMS read / events per poll",
        _several(
            "inbox_few_new_requests",
            "inbox_few_new_read",
            "inbox_few_new_events",
            digits=0,
        ),
        f"events {INBOX_NEW}",
    ),
    (
        "   SMS stored, first poll / after the last",
        _two("inbox_stored", "inbox_stored_after", 0),
        "",
    ),
    ("   paths (or events) requested", _one("inbox_none_new_request_names"), ""),
]
"""Per-gateway rows; sections 4 and 7 are one gateway shape's (see below)."""

SCALE_ROWS: list[tuple[str, Cell, str]] = [
    (
        "   setup of all, concurrently as at start, to loaded (s)",
        _one("setup_s", 3),
        f"goal <= {SCALE_SETUP_GOAL_S:g} s",
    ),
    ("   ... until idle (s)", _one("setup_until_idle_s", 3), ""),
    ("   entries loaded", _one("entries_loaded", 0), "all"),
    (
        "   memory held by all entries (tracemalloc, after gc)",
        _mib("memory_bytes"),
        f"goal <= {SCALE_MEMORY_GOAL_MIB:g} MiB",
    ),
    ("   ... per gateway", _mib("memory_bytes_per_gateway"), ""),
    (
        "   loop CPU per minute of polling, nothing changed (ms)",
        _cpu_per_minute("loop_cpu_ms_per_min"),
        "every poll at its default interval",
    ),
    (
        "   ... simulator drift before every port poll (ms)",
        _cpu_per_minute("drift_loop_cpu_ms_per_min"),
        "",
    ),
    (
        "   process CPU per minute, nothing changed / drift (ms)",
        _two("process_cpu_ms_per_min", "drift_process_cpu_ms_per_min", 1),
        "includes the simulators",
    ),
    (
        "   requests per minute to all gateways (nothing changed)",
        _one("requests_per_min", 1),
        "",
    ),
    (
        "   state writes per minute, nothing changed / drift",
        _two("state_writes_per_min", "drift_state_writes_per_min", 1),
        "",
    ),
]
"""Section 7: one Home Assistant with many gateways of the family's scale shape."""


def _bulk_rows(family: BenchFamily) -> list[tuple[str, str, str]]:
    bulk = RESULTS["families"][family.name]["bulk_send"]
    runs = [run for run in bulk.values() if isinstance(run, dict)]
    if not runs:
        return [("   completion, scaled back (s)", "n/a", "")]
    lines: list[tuple[str, str, str]] = []
    for run in sorted(runs, key=lambda run: -run["scale"]):
        scale = f"   time scale 1/{run['scale']:g}:"
        lines += [
            (
                f"{scale} completion, scaled back (s)",
                _num(run.get("scaled_s"), 2),
                f"hardware bound {run['bound_s']:g}",
            ),
            (f"{scale} ratio to the bound", f"{run['ratio']:.3f}x", "limit 1"),
            (
                f"{scale} 'sent' events / calls returned after (s)",
                f"{run['sent_events']} / {_num(run.get('accepted_scaled_s'), 2)}",
                str(bulk.get("numbers", "")),
            ),
        ]
    return lines


SECTION_BENCH = {
    "1": Bench.REFRESH,
    "2": Bench.REFRESH,
    "3": Bench.PUSH,
    "4": Bench.BULK_SEND,
    "5": Bench.SETUP,
    "6": Bench.SETUP,
    "7": Bench.SCALE,
    "8": Bench.INBOX,
}
"""Which benchmark fills each section of :data:`ROWS`."""


def _section_title(family: BenchFamily, label: str) -> str:
    """Titles of the single-shape sections say what they run on."""
    if label.startswith("4.") and family.bulk_shape is not None:
        bulk = RESULTS["families"][family.name]["bulk_send"]
        ports = family.shape(family.bulk_shape).ports
        numbers = bulk.get("numbers")
        if numbers is None:
            return f"{label} on {ports} ports"
        return f"{label}: {numbers} SMS to {numbers} numbers, {ports} ports"
    if label.startswith("7.") and family.scale_shape is not None:
        shape = family.shape(family.scale_shape)
        return (
            f"{label}: {family.scale_gateways} gateways of {shape.title}"
            " in one Home Assistant"
        )
    return label


def _single_shape_section(
    family: BenchFamily, label: str
) -> tuple[str | None, list[tuple[str, str, str]]]:
    """The shape and rows of section 4 or 7 (no rows for the others)."""
    if label.startswith("4."):
        return family.bulk_shape, _bulk_rows(family)
    if label.startswith("7."):
        scale = RESULTS["families"][family.name]["scale"]
        return family.scale_shape, [
            (text, cell(scale), limit) for text, cell, limit in SCALE_ROWS
        ]
    return None, []


def _words(family: BenchFamily) -> dict[str, str]:
    """What the row texts and limits may name (``{change}``, ``{requests_limit}``)."""
    return {
        "change": family.one_change_name,
        "requests_limit": str(family.max_requests_per_refresh),
    }


def _family_block(family: BenchFamily, columns: int) -> list[list[str]]:
    """The family's rows: a header naming it, then every section that applies.

    A section the family lists but cannot take part in (its client lacks
    what the benchmark needs) shows every figure as "n/a (no push)" or the like.
    """
    gateways = RESULTS["families"][family.name]["gateways"]
    not_applicable = family.not_applicable()
    words = _words(family)
    keys = list(family.shapes)
    pad = [""] * (columns - len(keys))
    lines: list[list[str]] = [
        [
            f"{family.label} (family {family.name}, simulator dialect {family.dialect})",
            *(family.shape(key).title for key in keys),
            *pad,
            "limit / reference",
        ]
    ]
    applies = True
    missing: str | None = None
    for label, cell, limit in ROWS:
        text, reference = label.format_map(words), limit.format_map(words)
        if cell is not None:
            if missing is not None:
                lines.append([text, *(missing for _ in keys), *pad, reference])
            elif applies:
                figures = [cell(gateways[key]) for key in keys]
                lines.append([text, *figures, *pad, reference])
            continue
        bench = SECTION_BENCH[label.split(".", 1)[0]]
        applies = family.measures(bench)
        why = not_applicable.get(str(bench))
        missing = f"n/a ({why})" if why is not None else None
        if applies:
            title = _section_title(family, label)
        elif missing is not None:
            title = f"{label}: {missing}"
        else:
            title = f"{label}: not measured"
        lines.append([title, *([""] * columns), ""])
        shape, rows = _single_shape_section(family, label)
        if applies and shape is not None:
            lines += [
                [text, *(value if key == shape else "" for key in keys), *pad, ref]
                for text, value, ref in rows
            ]
    return lines


def render_table() -> str:
    """Every figure as plain-text tables, one per family, aligned with each other."""
    columns = max(len(family.shapes) for family in FAMILIES)
    blocks = [_family_block(family, columns) for family in FAMILIES]
    widths = [
        max(len(row[i]) for block in blocks for row in block)
        for i in range(columns + 2)
    ]
    out: list[str] = []
    for block in blocks:
        if out:
            out.append("")
        for index, row in enumerate(block):
            out.append(
                "  ".join(
                    cell.ljust(widths[i])
                    if i in (0, len(row) - 1)
                    else cell.rjust(widths[i])
                    for i, cell in enumerate(row)
                ).rstrip()
            )
            if index == 0:
                out.append("  ".join("-" * w for w in widths))
    info = RESULTS.get("machine") or {}
    ram = info.get("ram_bytes")
    parts = [
        f"Machine: {info.get('cpu', '?')}",
        f"{info.get('cores', '?')} cores ({info.get('usable_cores', '?')} usable)",
        f"{ram / 2**30:.1f} GiB RAM" if ram else "RAM unknown",
        f"Python {info.get('python', '?')}",
        f"Home Assistant {info.get('home_assistant', '?')}",
        f"aiohttp {info.get('aiohttp', '?')}",
    ]
    described = ", ".join(parts)
    footer = [described, *METHOD]
    footer.extend(f"Note: {note}" for note in RESULTS["notes"])
    return "\n".join([*out, "", *footer])


def write_json(path: Path) -> None:
    """Write every figure (and the machine) as JSON."""
    path.write_text(json.dumps(RESULTS, indent=2, sort_keys=True, default=str) + "\n")
