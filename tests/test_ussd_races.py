"""USSD replies that come by push and by polling at once are reported once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import ClassVar
from unittest.mock import patch

from homeassistant.core import HomeAssistant
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.gsm_gateway.api import FAMILIES, Push, UssdAnswer, UssdStatus
from custom_components.gsm_gateway.api.dinstar import DinstarGateway
from custom_components.gsm_gateway.api.models import UssdReply
from custom_components.gsm_gateway.const import DOMAIN, EVENT_USSD_RECEIVED
from gsm_simulator.server import Simulator

from .conftest import entry_data

REPLY = "Balance 5.00"


class RacingGateway(DinstarGateway):
    """A test-only family whose USSD reply is pushed while it is being polled.

    `push_during_poll` decides whether the reply's push lands inside the
    poll (before the poll's answer is seen) or after it.
    """

    family: ClassVar[str] = "test_racing"
    label: ClassVar[str] = "Test family racing push and poll"
    entry: ClassVar[MockConfigEntry | None] = None
    push_during_poll: ClassVar[bool] = True
    polls: ClassVar[int] = 0

    # Like a Dinstar: the device keeps its last reply, and pushes the new
    # one right after the request, before any poll.
    keeps_last: ClassVar[bool] = False

    async def async_send_ussd(self, port: int, code: str) -> UssdAnswer:
        """Taken; the reply comes later (at once, by push, if `keeps_last`)."""
        cls = type(self)
        if cls.keeps_last and cls.entry is not None:
            messaging = cls.entry.runtime_data.messaging
            push = Push(identity=None, events=(UssdReply(port=port, text=REPLY),))
            asyncio.get_running_loop().call_soon(messaging.handle_push, push)
        return UssdAnswer(status=UssdStatus.SENT)

    async def async_get_ussd_reply(self, port: int) -> str | None:
        """Nothing before the request; then the reply, pushed as it is read."""
        cls = type(self)
        cls.polls += 1
        if cls.keeps_last:
            return REPLY
        if cls.polls == 1:
            return None
        if cls.push_during_poll and cls.entry is not None:
            cls.entry.runtime_data.messaging.handle_push(
                Push(identity=None, events=(UssdReply(port=port, text=REPLY),))
            )
        return REPLY


@pytest.fixture
def racing_family() -> Iterator[None]:
    with patch.dict(FAMILIES, {"test_racing": RacingGateway}):  # type: ignore[arg-type]
        yield


async def _entry(hass: HomeAssistant, simulator: Simulator) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Racing",
        unique_id=simulator.serial,
        data=entry_data(simulator, api_family="test_racing", webhook_id="race-hook"),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    RacingGateway.entry = entry
    return entry


async def _ask(hass: HomeAssistant, entry: MockConfigEntry, port: int) -> str:
    RacingGateway.polls = 0
    with patch("custom_components.gsm_gateway.ussd.USSD_POLL_INTERVAL", 0.01):
        response = await hass.services.async_call(
            DOMAIN,
            "send_ussd",
            {"gateway": entry.entry_id, "port": port, "code": "*100#"},
            blocking=True,
            return_response=True,
        )
    assert response is not None
    return str(response["reply"])


def _ready_port(entry: MockConfigEntry) -> int:
    return next(
        number
        for number, port in entry.runtime_data.ports.data.items()
        if port.registration.value == "registered"
    )


async def test_reply_pushed_while_polled_is_one_event(
    hass: HomeAssistant, simulator: Simulator, racing_family: None
) -> None:
    """The push lands during the poll: one event, the request answered."""
    entry = await _entry(hass, simulator)
    events = async_capture_events(hass, EVENT_USSD_RECEIVED)
    port = _ready_port(entry)
    RacingGateway.push_during_poll = True
    assert await _ask(hass, entry, port) == REPLY
    await hass.async_block_till_done()
    assert [event.data["text"] for event in events] == [REPLY]


async def test_same_reply_on_the_next_request_is_news(
    hass: HomeAssistant, simulator: Simulator, racing_family: None
) -> None:
    """A reply read by polling, then the same text pushed for a new request."""
    entry = await _entry(hass, simulator)
    events = async_capture_events(hass, EVENT_USSD_RECEIVED)
    port = _ready_port(entry)
    RacingGateway.push_during_poll = False
    assert await _ask(hass, entry, port) == REPLY
    # The late push of that reply repeats it: no second event.
    entry.runtime_data.messaging.handle_push(
        Push(identity=None, events=(UssdReply(port=port, text=REPLY),))
    )
    await hass.async_block_till_done()
    assert len(events) == 1
    # A new request whose (identical) reply is pushed is reported again.
    RacingGateway.push_during_poll = True
    assert await _ask(hass, entry, port) == REPLY
    await hass.async_block_till_done()
    assert len(events) == 2


async def test_pushed_reply_after_a_polled_one_is_not_lost(
    hass: HomeAssistant, simulator: Simulator, racing_family: None
) -> None:
    """A reply read by polling whose push never came does not hide the next one.

    The device keeps its last reply, so the next request's (identical) reply
    can only be recognised by its push.
    """
    entry = await _entry(hass, simulator)
    events = async_capture_events(hass, EVENT_USSD_RECEIVED)
    port = _ready_port(entry)
    RacingGateway.push_during_poll = False
    RacingGateway.keeps_last = False
    assert await _ask(hass, entry, port) == REPLY
    RacingGateway.keeps_last = True
    try:
        assert await _ask(hass, entry, port) == REPLY
    finally:
        RacingGateway.keeps_last = False
    await hass.async_block_till_done()
    assert [event.data["text"] for event in events] == [REPLY, REPLY]
