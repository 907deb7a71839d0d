"""Property-based fuzzing of the push webhook.

Whatever reaches the webhook: no 5xx, no traceback in the log, no event from
input that is refused, and every valid SMS push exactly one event carrying
the exact text. CI runs a few hundred cases; ``scripts/bench --fuzz N`` runs
N (``GSM_FUZZ_EXAMPLES``).
"""

from __future__ import annotations

from collections.abc import Iterator
import itertools
import json
import logging
import os
from typing import Any

from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.gsm_gateway.const import (
    EVENT_SMS_RECEIVED,
)
from gsm_simulator.server import Simulator

from .pushes import capture_all

EXAMPLES = int(os.environ.get("GSM_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
PUSH_KINDS = [
    "sms",
    "sms_result",
    "sms_deliver_status",
    "ussd",
    "register",
    "cdr",
    "missed_call",
    "device",
    "exception_info",
]
ITEM_KEYS = [
    "port",
    "text",
    "number",
    "incoming_sms_id",
    "status",
    "status_code",
    "user_id",
    "ref_id",
    "slot",
    "timestamp",
    "iccid",
    "imsi",
    "type",
]

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**17, max_value=10**400)
    | st.floats()
    | st.text(max_size=20)
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=15), inner, max_size=4)
    ),
    max_leaves=12,
)


def _hostile_bytes() -> st.SearchStrategy[bytes]:
    """Bodies built to break decoders: nesting, huge numbers, bad UTF-8."""
    depth = st.integers(min_value=1, max_value=70000)
    return st.one_of(
        st.binary(max_size=200),
        depth.map(lambda n: b"[" * n),
        depth.map(lambda n: b"[" * n + b"]" * n),
        depth.map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
        st.integers(min_value=19, max_value=5000).map(
            lambda n: (
                b'{"sn": "SN", "ussd": [{"port": 1' + b"0" * n + b', "text": "x"}]}'
            )
        ),
        st.sampled_from([b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e999"]).map(
            lambda n: b'{"sn": "SN", "ussd": [{"port": ' + n + b', "text": "x"}]}'
        ),
        st.tuples(
            st.text(max_size=40),
            st.binary(min_size=1, max_size=4).filter(_not_utf8),
        ).map(
            lambda pair: (
                b'{"sn": "SN", "sms": [{"incoming_sms_id": 1, "port": 1, '
                b'"number": "1", "text": "'
                + pair[0].encode("unicode_escape")
                + pair[1]
                + b'"}]}'
            )
        ),
    )


def _not_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


MUTATIONS = st.one_of(
    _hostile_bytes(),
    st.dictionaries(
        st.sampled_from([*PUSH_KINDS, "sn", "other"]), JSON_VALUES, max_size=3
    ),
    st.tuples(
        st.sampled_from(PUSH_KINDS),
        st.lists(
            st.dictionaries(st.sampled_from(ITEM_KEYS), JSON_VALUES, max_size=6),
            max_size=3,
        ),
    ),
)
SMS_TEXT = st.text(min_size=1, max_size=400)
SENDER = st.from_regex(r"\A\+?[0-9]{1,20}\Z")


@pytest.fixture
def webhook_url(init_integration: MockConfigEntry) -> str:
    return f"/api/webhook/{init_integration.data[CONF_WEBHOOK_ID]}"


@pytest.fixture
def message_ids() -> Iterator[int]:
    """Fresh SMS ids, so no case is a duplicate of an earlier one."""
    return itertools.count(1000)


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.get_records("call")
        if record.exc_info or record.levelno >= logging.ERROR
    ]


@FUZZ
@given(mutation=MUTATIONS)
async def test_hostile_and_random_pushes(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    webhook_url: str,
    caplog: pytest.LogCaptureFixture,
    mutation: Any,
) -> None:
    """No 5xx, no traceback, and nothing fired from a refused push."""
    client = await hass_client_no_auth()
    events = capture_all(hass)
    if isinstance(mutation, tuple):
        kind, items = mutation
        body = json.dumps({"sn": simulator.serial, kind: items}).encode()
    elif isinstance(mutation, dict):
        body = json.dumps(mutation).encode()
    else:
        body = mutation.replace(b"SN", simulator.serial.encode())
    response = await client.post(webhook_url, data=body)
    await hass.async_block_till_done()
    assert response.status in (200, 400, 403, 413)
    if response.status != 200:
        assert sum(len(captured) for captured in events.values()) == 0
    assert _tracebacks(caplog) == []


@FUZZ
@given(text=SMS_TEXT, sender=SENDER, port=st.integers(min_value=0, max_value=7))
async def test_every_valid_sms_push_is_one_exact_event(
    hass: HomeAssistant,
    hass_client_no_auth: ClientSessionGenerator,
    simulator: Simulator,
    webhook_url: str,
    message_ids: Iterator[int],
    caplog: pytest.LogCaptureFixture,
    text: str,
    sender: str,
    port: int,
) -> None:
    """Any text in any script arrives once, exactly as sent, even when pushed twice."""
    client = await hass_client_no_auth()
    events = async_capture_events(hass, EVENT_SMS_RECEIVED)
    body = {
        "sn": simulator.serial,
        "sms": [
            {
                "incoming_sms_id": next(message_ids),
                "port": port,
                "number": sender,
                "timestamp": "2026-12-01 10:00:00",
                "text": text,
            }
        ],
    }
    for _ in range(2):  # gateways re-push after a timeout
        response = await client.post(webhook_url, json=body)
        assert response.status == 200
    await hass.async_block_till_done()
    assert [(e.data["text"], e.data["sender"], e.data["port"]) for e in events] == [
        (text, sender, port)
    ]
    assert _tracebacks(caplog) == []
