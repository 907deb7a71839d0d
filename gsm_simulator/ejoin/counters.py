"""SMS and call statistics per port and SIM slot (``goip_get_sms_stat``, ``goip_get_call_stat``).

Counted from what the simulated unit did: every message received, every
message that ended (sent or failed) under the slot in use at that moment;
calls from the shared call records (the slot in use when the record came).
``unsent`` and ``sending`` are the port's queue now.  A window (``type``) of
0 is the last hour, 1 the last two hours, 2 today (UTC), 3 everything.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
import math
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from gsm_simulator.gateway import SimGateway
    from gsm_simulator.records import CallRecord

WINDOWS: Final = (0, 1, 2, 3)
RECEIVED: Final = "received"
SENT_OK: Final = "sent_ok"
SENT_FAILED: Final = "sent_failed"


def window_start(kind: int, now: datetime) -> datetime | None:
    """Where window ``kind`` starts (``None``: at the beginning)."""
    if kind == 0:
        return now - timedelta(hours=1)
    if kind == 1:
        return now - timedelta(hours=2)
    if kind == 2:
        return now.replace(hour=0, minute=0, second=0, microsecond=0)
    return None


class Statistics:
    """What each port and slot received, sent and called."""

    def __init__(self, gateway: SimGateway) -> None:
        """Count for ``gateway``."""
        self.gateway = gateway
        self._sms: defaultdict[tuple[int, int], list[tuple[datetime, str]]] = (
            defaultdict(list)
        )
        self._call_slots: dict[CallRecord, int] = {}

    # --------------------------------------------------------------- counting
    def count_sms(self, port: int, kind: str, moment: datetime) -> None:
        """A message of ``kind`` (received, sent_ok, sent_failed) on ``port``'s slot in use."""
        slot = self.gateway.port(port).active_slot
        self._sms[port, slot].append((moment, kind))

    def count_call(self, record: CallRecord) -> None:
        """A call record came: it belongs to the slot in use now."""
        self._call_slots[record] = self.gateway.port(record.port).active_slot

    # -------------------------------------------------------------- rendering
    def sms(self, port: int, slot: int, since: datetime | None) -> dict[str, Any]:
        """The SMS statistics of ``port``'s ``slot`` (0-based) since ``since``."""
        kinds = [
            kind
            for moment, kind in self._sms[port, slot]
            if since is None or moment >= since
        ]
        results = [kind for kind in kinds if kind != RECEIVED]
        streak = 0
        for kind in reversed(results):
            if kind != SENT_FAILED:
                break
            streak += 1
        active = self.gateway.port(port).active_slot == slot
        outbox = self.gateway.outbox
        return {
            "port": port + 1,
            "slot": slot + 1,
            "received": kinds.count(RECEIVED),
            "sent": len(results),
            "sent_ok": results.count(SENT_OK),
            "sent_failed": results.count(SENT_FAILED),
            "con_failed": streak,
            "unsent": outbox.queued(port) if active else 0,
            "sending": int(active and outbox.is_sending(port)),
        }

    def calls(self, port: int, slot: int, since: datetime | None) -> dict[str, Any]:
        """The call statistics of ``port``'s ``slot`` (0-based) since ``since``."""
        active = self.gateway.port(port).active_slot
        records = [
            record
            for record in self.gateway.find_calls(ports=[port], after=since)
            if self._call_slots.get(record, active) == slot
        ]
        answered = [record for record in records if record.answered]
        seconds = sum(record.duration for record in answered)
        total = len(records)
        return {
            "port": port + 1,
            "slot": slot + 1,
            "calls": total,
            "alerted": total,
            "connected": len(answered),
            "con_failed": total - len(answered),
            "nc": f"{len(answered)}/{total}",
            "pdd": 0,
            "acd": seconds // len(answered) if answered else 0,
            "asr": len(answered) * 100 // total if total else 0,
            "tcd": sum(math.ceil(record.duration / 60) for record in answered),
            "act_tcd": seconds,
        }
