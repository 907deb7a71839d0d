"""Fail when any measured module is covered less than a threshold."""

from __future__ import annotations

import json
from pathlib import Path
import sys


def main(report: str, threshold: str) -> int:
    """Print the modules under the threshold; exit 1 if there are any."""
    limit = float(threshold)
    files = json.loads(Path(report).read_text(encoding="utf-8"))["files"]
    low = {
        name: data["summary"]["percent_covered"]
        for name, data in files.items()
        if data["summary"]["percent_covered"] < limit
    }
    for name, percent in sorted(low.items()):
        print(f"{name}: {percent:.1f}% < {limit:g}%")
    print(f"coverage: {len(files)} modules measured, {len(low)} under {limit:g}%")
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
