"""The drift of a running gateway: signal, performance counters, usage limits.

One call per :data:`~gsm_simulator.timings.STEP_SECONDS` step of gateway
time; the gateway's :meth:`~gsm_simulator.gateway.SimGateway.tick` runs them
(and the calls of :mod:`~gsm_simulator.calls`) in a fixed order, so a seed
gives the same drift every time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .model import CSQ_MAX, CSQ_UNKNOWN

if TYPE_CHECKING:
    from collections.abc import Iterable
    import random

    from .model import Performance, SimPort


def step_signal(port: SimPort, rng: random.Random) -> None:
    """The signal of a registered ``port`` wanders within 4 of its base."""
    if port.signal == CSQ_UNKNOWN:
        return
    low, high = max(0, port.base_signal - 4), min(CSQ_MAX, port.base_signal + 4)
    port.signal = min(high, max(low, port.signal + rng.choice((-1, 0, 0, 1))))


def step_performance(perf: Performance, rng: random.Random) -> None:
    """Cpu, memory and flash use move a little, within plausible bounds."""
    perf.cpu_used = min(95, max(3, perf.cpu_used + rng.randint(-5, 5)))
    low, high = perf.memory_total * 35 // 100, perf.memory_total * 70 // 100
    perf.memory_used = min(high, max(low, perf.memory_used + rng.randint(-400, 400)))
    perf.memory_cached = min(
        perf.memory_used, max(0, perf.memory_cached + rng.randint(-150, 150))
    )
    perf.flash_used = min(
        perf.flash_total,
        max(0, perf.flash_used + rng.choice((-4, 0, 0, 0, 4))),
    )


def refill_credit(ports: Iterable[SimPort], *, daily: bool) -> None:
    """The gateway's hourly (and daily) usage limits start over."""
    for port in ports:
        credit, limits = port.credit, port.credit_limits
        credit.remain_hourly_call_time = limits.remain_hourly_call_time
        if daily:
            credit.remain_daily_call_time = limits.remain_daily_call_time
            credit.remain_daily_connect = limits.remain_daily_connect
            credit.remain_daily_credit = limits.remain_daily_credit
