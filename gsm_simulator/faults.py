"""Injectable faults for the simulator's HTTP layer.

A fault applies to the next ``count`` matching requests (``count=None``: until
:meth:`FaultInjector.clear`).  Faults are consumed in the order they were
added; the first active one that matches a request wins.  By default a fault
hits only requests that passed authentication, so "the next request fails"
means the same thing whatever the auth mode; ``before_auth=True`` makes it hit
requests as they arrive, digest challenge round-trips included.

Besides these counted faults the gateway has a :class:`GatewayMode`: a
lasting state (down, slow, failing) set by :meth:`FaultInjector.set_mode`
until set back to ``ok``, as an operator would switch a unit off and on.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

DEFAULT_TIMEOUT = 3600.0
DEFAULT_SLOW_SECONDS = 8.0
"""How long every request waits in the ``slow`` gateway mode unless told."""


class FaultKind(StrEnum):
    """What a fault does to a request."""

    TIMEOUT = "timeout"
    """Never answer: hold the request (cancellable), then close the connection."""
    STATUS = "status"
    """Answer with ``status`` and an empty body."""
    MALFORMED_JSON = "malformed_json"
    """Answer 200 with ``body``, or with the real answer cut in half."""
    DROP = "drop"
    """Close the connection without an answer."""
    SLOW = "slow"
    """Wait ``seconds``, then answer normally."""


class GatewayMode(StrEnum):
    """How the whole gateway answers, until changed."""

    OK = "ok"
    """Normally."""
    DOWN = "down"
    """Not at all: every connection is closed without an answer."""
    SLOW = "slow"
    """After :attr:`FaultInjector.mode_seconds` seconds each."""
    ERROR = "error"
    """With HTTP 500 and an empty body."""


@dataclass(slots=True)
class Fault:
    """One injected fault and how many more requests it will hit."""

    kind: FaultKind
    remaining: int | None = 1
    status: int = 500
    seconds: float = 0.0
    body: bytes | None = None
    path: str | None = None
    before_auth: bool = False
    hits: int = 0

    @property
    def active(self) -> bool:
        """Whether the fault will still hit a request."""
        return self.remaining is None or self.remaining > 0

    def matches(self, path: str, *, before_auth: bool) -> bool:
        """Whether the fault applies to a request for ``path`` at this stage."""
        return (
            self.active
            and self.before_auth == before_auth
            and (self.path is None or self.path == path)
        )


class FaultInjector:
    """The set of pending faults plus the global per-request latency."""

    def __init__(self, delay: float = 0.0) -> None:
        """Start with no faults and ``delay`` seconds of latency per request."""
        if delay < 0:
            msg = "delay must not be negative"
            raise ValueError(msg)
        self.delay = delay
        self.mode = GatewayMode.OK
        self.mode_seconds = DEFAULT_SLOW_SECONDS
        """The wait of every request in the ``slow`` mode."""
        self._faults: list[Fault] = []

    def set_mode(self, mode: GatewayMode | str, seconds: float | None = None) -> None:
        """Make the gateway answer as ``mode`` says until set back to ``ok``.

        ``seconds`` is the wait of the ``slow`` mode (default
        :data:`DEFAULT_SLOW_SECONDS`); it is ignored by the others.
        """
        new_mode = GatewayMode(mode)
        wait = DEFAULT_SLOW_SECONDS if seconds is None else seconds
        if wait < 0:
            msg = "seconds must not be negative"
            raise ValueError(msg)
        self.mode = new_mode
        self.mode_seconds = wait

    @property
    def active(self) -> tuple[Fault, ...]:
        """The faults that will still hit requests, in order."""
        return tuple(fault for fault in self._faults if fault.active)

    def add(
        self,
        kind: FaultKind | str,
        *,
        count: int | None = 1,
        status: int = 500,
        seconds: float | None = None,
        body: bytes | None = None,
        path: str | None = None,
        before_auth: bool = False,
    ) -> Fault:
        """Add a fault of ``kind`` for the next ``count`` requests (None: until cleared).

        ``path`` limits it to one request path (e.g. ``/api/get_status``).
        ``seconds`` is the hold time of ``timeout`` (default one hour) and the
        delay of ``slow``.
        """
        fault_kind = FaultKind(kind)
        if count is not None and count < 1:
            msg = "count must be at least 1 (or None for until cleared)"
            raise ValueError(msg)
        if seconds is None:
            seconds = DEFAULT_TIMEOUT if fault_kind is FaultKind.TIMEOUT else 0.0
        if seconds < 0:
            msg = "seconds must not be negative"
            raise ValueError(msg)
        fault = Fault(
            kind=fault_kind,
            remaining=count,
            status=status,
            seconds=seconds,
            body=body,
            path=path,
            before_auth=before_auth,
        )
        self._faults.append(fault)
        return fault

    def timeout(
        self,
        *,
        count: int | None = 1,
        seconds: float = DEFAULT_TIMEOUT,
        path: str | None = None,
    ) -> Fault:
        """Never answer the next ``count`` requests (hold them ``seconds``, then hang up)."""
        return self.add(FaultKind.TIMEOUT, count=count, seconds=seconds, path=path)

    def status(
        self, code: int = 500, *, count: int | None = 1, path: str | None = None
    ) -> Fault:
        """Answer the next ``count`` requests with HTTP ``code`` and an empty body."""
        return self.add(FaultKind.STATUS, count=count, status=code, path=path)

    def malformed_json(
        self,
        *,
        count: int | None = 1,
        body: bytes | None = None,
        path: str | None = None,
    ) -> Fault:
        """Answer with ``body`` (default: the real answer truncated) and status 200."""
        return self.add(FaultKind.MALFORMED_JSON, count=count, body=body, path=path)

    def drop(
        self,
        *,
        count: int | None = 1,
        path: str | None = None,
        before_auth: bool = False,
    ) -> Fault:
        """Close the connection of the next ``count`` requests without answering."""
        return self.add(FaultKind.DROP, count=count, path=path, before_auth=before_auth)

    def slow(
        self, seconds: float, *, count: int | None = 1, path: str | None = None
    ) -> Fault:
        """Delay the next ``count`` answers by ``seconds``."""
        return self.add(FaultKind.SLOW, count=count, seconds=seconds, path=path)

    def clear(self) -> None:
        """Remove every fault (the global delay stays)."""
        self._faults.clear()

    def take(self, path: str, *, before_auth: bool) -> Fault | None:
        """Consume one hit of the first fault matching this request, if any."""
        for fault in self._faults:
            if fault.matches(path, before_auth=before_auth):
                fault.hits += 1
                if fault.remaining is not None:
                    fault.remaining -= 1
                self._faults = [f for f in self._faults if f.active]
                return fault
        return None
