"""Detection probes every family and reports the most specific outcome."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from typing import ClassVar

import aiohttp
import pytest

from custom_components.gsm_gateway.api import (
    FAMILIES,
    ConnectionConfig,
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayNotRecognizedError,
    GatewayResponseError,
    GatewayTimeoutError,
    GsmGateway,
    detect_gateway,
)
from custom_components.gsm_gateway.api.dinstar import DinstarGateway
from custom_components.gsm_gateway.api.models import GatewayInfo
from gsm_simulator.server import Simulator


class _Probe(DinstarGateway):
    """A family whose probe fails as told, without a request."""

    family: ClassVar[str] = "probe"
    failure: ClassVar[type[Exception]]
    probes: ClassVar[list[str]] = []

    async def async_probe(self) -> GatewayInfo:
        type(self).probes.append(self.family)
        raise self.failure("probe failed")


def _family(name: str, failure: type[Exception]) -> type[GsmGateway]:
    return type(name, (_Probe,), {"family": name, "failure": failure})


@pytest.fixture
async def session() -> AsyncGenerator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client_session:
        yield client_session


def _config(sim: Simulator) -> ConnectionConfig:
    return ConnectionConfig(
        host="127.0.0.1", port=sim.port, username="admin", password="admin"
    )


@pytest.mark.parametrize("refusing_first", [True, False])
async def test_a_401_elsewhere_does_not_hide_the_family_that_answers(
    socket_enabled: None,
    simulator: Simulator,
    session: aiohttp.ClientSession,
    refusing_first: bool,
) -> None:
    """One family's probe gets 401 (a path another vendor protects); Dinstar answers."""
    refusing = _family("refusing", GatewayAuthenticationError)
    order = (refusing, DinstarGateway) if refusing_first else (DinstarGateway, refusing)
    _Probe.probes.clear()
    gateway, info = await detect_gateway(
        session, _config(simulator), {cls.family: cls for cls in order}
    )
    assert gateway.family == "dinstar"
    assert info.serial == simulator.serial
    assert _Probe.probes == (["refusing"] if refusing_first else [])


@pytest.mark.parametrize(
    ("failures", "expected"),
    [
        (
            (GatewayResponseError, GatewayAuthenticationError),
            GatewayAuthenticationError,
        ),
        ((GatewayAuthenticationError, GatewayTimeoutError), GatewayAuthenticationError),
        ((GatewayTimeoutError, GatewayResponseError), GatewayTimeoutError),
        ((GatewayResponseError, GatewayResponseError), GatewayNotRecognizedError),
    ],
)
async def test_most_specific_failure_wins(
    session: aiohttp.ClientSession,
    failures: tuple[type[Exception], ...],
    expected: type[Exception],
) -> None:
    """Recognised > wrong credentials > cannot connect > not a gateway."""
    families = {
        f"f{index}": _family(f"f{index}", failure)
        for index, failure in enumerate(failures)
    }
    _Probe.probes.clear()
    with pytest.raises(expected):
        await detect_gateway(session, ConnectionConfig(host="127.0.0.1"), families)
    assert _Probe.probes == list(families)  # every family was asked


async def test_a_refused_connection_ends_the_search(
    session: aiohttp.ClientSession,
) -> None:
    """Nothing listens there: no other family would get further."""
    families = {
        "down": _family("down", GatewayConnectionError),
        "later": _family("later", GatewayAuthenticationError),
    }
    _Probe.probes.clear()
    with pytest.raises(GatewayConnectionError):
        await detect_gateway(session, ConnectionConfig(host="127.0.0.1"), families)
    assert _Probe.probes == ["down"]


def test_families_are_listed_explicitly() -> None:
    """Every family declares its name, label and capabilities."""
    assert list(FAMILIES) == ["dinstar", "ejoin", "synway"]
    for family, cls in FAMILIES.items():
        assert cls.family == family
        assert cls.label
        assert cls.capabilities
