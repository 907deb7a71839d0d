"""Optional cProfile of benchmark phases (``scripts/bench -- --bench-profile DIR``).

Since Python 3.12 cProfile sees every thread, so the network side (simulator,
push client) shows up too. Profiled runs distort every figure: use them to
find causes, not numbers.
"""

from __future__ import annotations

from collections.abc import Iterator
import contextlib
import cProfile
import io
from pathlib import Path
import pstats

PROFILE_DIR: list[Path] = []
"""Set by the conftest when ``--bench-profile`` is given."""


@contextlib.contextmanager
def profiled(name: str) -> Iterator[None]:
    """Profile the block into ``DIR/name.pstats`` and ``DIR/name.txt`` when asked."""
    if not PROFILE_DIR:
        yield
        return
    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        folder = PROFILE_DIR[0]
        folder.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(folder / f"{name}.pstats")
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).strip_dirs()
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)
        (folder / f"{name}.txt").write_text(text.getvalue())
