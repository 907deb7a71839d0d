"""Time in the gateway model: its clock, its drift step and how long things take."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

STEP_SECONDS = 5
"""Gateway time one :meth:`SimGateway.tick <gsm_simulator.gateway.SimGateway.tick>` step stands for."""
STEPS_PER_HOUR = 3600 // STEP_SECONDS
STEPS_PER_DAY = 24 * STEPS_PER_HOUR


def utc_now() -> datetime:
    """The gateway's clock: now in UTC, whole seconds (the wire formats have no more)."""
    return datetime.now(UTC).replace(microsecond=0)


def as_utc(moment: datetime) -> datetime:
    """``moment`` in UTC (a naive one is taken as UTC), whole seconds."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(UTC).replace(microsecond=0)


@dataclass(slots=True)
class Timings:
    """How long things take, in (time-scaled) seconds."""

    send_time: float = 6.5
    """One SMS on one port (the spec's FAQ: 5-8 s on GSM)."""
    delivery_delay: float = 3.0
    """From a sent SMS to its status reports."""
    ussd_delay: float = 2.0
    """From a USSD request (or a call-forward check) to the network's answer."""
    register_delay: float = 10.0
    """A module searching the network before it registers (reset, power on, slot)."""
    stk_delay: float = 0.5
    """The SIM answering a toolkit action with its next frame."""

    def __post_init__(self) -> None:
        """Refuse negative durations."""
        for name in (
            "send_time",
            "delivery_delay",
            "ussd_delay",
            "register_delay",
            "stk_delay",
        ):
            if getattr(self, name) < 0:
                msg = f"{name} must not be negative"
                raise ValueError(msg)
