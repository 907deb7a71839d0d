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

GATEWAYS: dict[str, dict[str, int]] = {
    "8x1": {"ports": 8, "slots": 1},
    "32x4": {"ports": 32, "slots": 4},
}
"""The simulated gateways every figure is taken for: ports x SIM slots."""

METHOD = [
    "Method: the simulators and the push client run on a second event loop in"
    " their own thread; CPU = time.thread_time() of Home Assistant's loop thread.",
    "Method: asyncio debug off and aiohttp.access at WARNING, as in production;"
    " bulk send figures multiply fixed overheads by the time scale.",
]

BULK_GATEWAY = "32x4"
"""The gateway the bulk send runs on."""

RESULTS: dict[str, Any] = {
    "gateways": {name: {} for name in GATEWAYS},
    "bulk_send": {},
    "notes": [],
}


def record(gateway: str, **figures: Any) -> None:
    """Keep figures of one gateway."""
    RESULTS["gateways"][gateway].update(figures)


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


def _get(gateway: str, key: str) -> Any:
    return RESULTS["gateways"][gateway].get(key)


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


def _pair(gateway: str, first: str, second: str, digits: int = 2) -> str:
    a, b = _get(gateway, first), _get(gateway, second)
    if a is None and b is None:
        return "n/a"
    return f"{_num(a, digits)} / {_num(b, digits)}"


def _one(key: str, digits: int = 2, suffix: str = "") -> Callable[[str], str]:
    def cell(gateway: str) -> str:
        value = _get(gateway, key)
        text = _num(value, digits)
        return text + suffix if value is not None else text

    return cell


def _two(first: str, second: str, digits: int = 2) -> Callable[[str], str]:
    return lambda gateway: _pair(gateway, first, second, digits)


def _ratio(key: str) -> Callable[[str], str]:
    def cell(gateway: str) -> str:
        value = _get(gateway, key)
        return "n/a" if value is None else f"{value:,.2f}x"

    return cell


def _kib(key: str) -> Callable[[str], str]:
    def cell(gateway: str) -> str:
        value = _get(gateway, key)
        return "n/a" if value is None else f"{value / 1024:,.0f} KiB"

    return cell


ROWS: list[tuple[str, Callable[[str], str] | None, str]] = [
    ("1. Scheduled port refresh", None, ""),
    (
        "   authenticated requests per refresh (steady)",
        _one("requests_per_refresh", 0),
        "limit 1",
    ),
    (
        "   ... first refresh after setup",
        _one("requests_first_refresh", 0),
        "limit 1",
    ),
    (
        "   digest challenge round trips (steady / first)",
        _two("challenges_per_refresh", "challenges_first_refresh", 0),
        "",
    ),
    ("   paths requested", _one("request_paths"), ""),
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
        "   json.loads of the same body, median (ms)",
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
        "   one signal changed: refresh CPU, median / p95 (ms)",
        _two("one_change_refresh_cpu_ms_median", "one_change_refresh_cpu_ms_p95", 3),
        "",
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
]


def _bulk_rows() -> list[list[str]]:
    """Section 4: the 32-port gateway only (other columns stay empty)."""

    def row(label: str, value: str, limit: str) -> list[str]:
        cells = [value if name == BULK_GATEWAY else "" for name in GATEWAYS]
        return [label, *cells, limit]

    lines = [row("4. Bulk send: 320 SMS to 320 numbers, 32 ports", "", "")]
    bulk = RESULTS["bulk_send"]
    if not bulk:
        lines.append(row("   completion, scaled back (s)", "n/a", "limit 65"))
    for key in sorted(bulk, key=lambda key: -bulk[key]["scale"]):
        run = bulk[key]
        scale = f"   time scale 1/{run['scale']:g}:"
        lines += [
            row(
                f"{scale} completion, scaled back (s)",
                _num(run.get("scaled_s"), 2),
                f"hardware bound {run['bound_s']:g}",
            ),
            row(f"{scale} ratio to the bound", f"{run['ratio']:.3f}x", "limit 1"),
            row(
                f"{scale} 'sent' events / calls returned after (s)",
                f"{run['sent_events']} / {_num(run.get('accepted_scaled_s'), 2)}",
                "320",
            ),
        ]
    return lines


def render_table() -> str:
    """Every figure as one aligned plain-text table."""
    names = list(GATEWAYS)
    header = [
        "figure",
        *(f"{GATEWAYS[n]['ports']} ports x {GATEWAYS[n]['slots']}" for n in names),
        "limit / reference",
    ]
    lines: list[list[str]] = [header]
    for label, cell, limit in ROWS:
        if label.startswith("5."):
            lines.extend(_bulk_rows())
        if cell is None:
            lines.append([label, *([""] * len(names)), ""])
            continue
        lines.append([label, *(cell(n) for n in names), limit])
    widths = [max(len(row[i]) for row in lines) for i in range(len(header))]
    out = []
    for index, row in enumerate(lines):
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
