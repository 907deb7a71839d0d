"""Fixtures of the simulator's own tests (no Home Assistant needed)."""

from __future__ import annotations

import pytest

from gsm_simulator.pytest_plugin import (
    dinstar_simulator,
    enable_loopback_sockets,
    gsm_simulator_factory,
)

__all__ = ["dinstar_simulator", "gsm_simulator_factory", "loopback"]


@pytest.fixture
def loopback(request: pytest.FixtureRequest) -> None:
    """Allow sockets in a test that starts no simulator through the factory."""
    enable_loopback_sockets(request)
