"""The known gateway families, and finding which one a device speaks."""

from __future__ import annotations

from collections.abc import Mapping

import aiohttp

from .dinstar import DinstarGateway
from .ejoin import EjoinGateway
from .exceptions import (
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayError,
    GatewayNotRecognizedError,
    GatewayResponseError,
    GatewayTimeoutError,
)
from .gateway import GsmGateway
from .models import GatewayInfo
from .synway import SynwayGateway
from .transport import ConnectionConfig

# Every family, in the order detection probes them. A new family is one
# module and one entry here.
FAMILIES: Mapping[str, type[GsmGateway]] = {
    cls.family: cls for cls in (DinstarGateway, EjoinGateway, SynwayGateway)
}


def create_gateway(
    family: str, session: aiohttp.ClientSession, config: ConnectionConfig
) -> GsmGateway:
    """Build the client for a known API family."""
    return FAMILIES[family](session, config)


async def detect_gateway(
    session: aiohttp.ClientSession,
    config: ConnectionConfig,
    families: Mapping[str, type[GsmGateway]] | None = None,
) -> tuple[GsmGateway, GatewayInfo]:
    """Find which API the device speaks by probing every family.

    The first family that recognises the device wins. Otherwise the most
    specific failure is raised: wrong credentials (a family's endpoint
    exists and refused them) before cannot connect before not a gateway.
    A 401 from one family's probe does not end the search: another vendor's
    unit may refuse a path it does not have. A connection that cannot be
    made at all does, since no other probe would get further.
    """
    failures: list[GatewayError] = []
    for cls in (families or FAMILIES).values():
        gateway = cls(session, config)
        try:
            info = await gateway.async_probe()
        except (GatewayAuthenticationError, GatewayResponseError) as err:
            failures.append(err)
            continue
        except GatewayConnectionError as err:
            if not isinstance(err, GatewayTimeoutError):
                raise
            failures.append(err)
            continue
        return gateway, info
    for kind in (GatewayAuthenticationError, GatewayConnectionError):
        if found := next((err for err in failures if isinstance(err, kind)), None):
            raise found
    raise GatewayNotRecognizedError("No supported gateway API answered at this address")
