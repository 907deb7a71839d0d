"""Ejoin's wire format: the spec's own examples, and generated rows parsed back."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
import json
from typing import Any

from hypothesis import given, strategies as st
import pytest

from custom_components.gsm_gateway.api import (
    GatewayResponseError,
    IncomingSms,
    PortUpdate,
    Registration,
    SmsReport,
    SmsState,
)
from custom_components.gsm_gateway.api.ejoin import (
    parse_dev_status,
    parse_port_slot,
    parse_push,
    parse_sms_row,
    parse_statistics,
)
from custom_components.gsm_gateway.api.ejoin.parsers import format_mac
from custom_components.gsm_gateway.api.ejoin.wire import port_slot, registration

# The dev-status of the spec's example 5.4.1.
SPEC_DEV_STATUS: dict[str, Any] = {
    "type": "dev-status",
    "seq": 3,
    "expires": 60,
    "mac": "00-30-f1-00-6c-55",
    "ip": "192.168.1.67",
    "ver": "532-604-924-041-100-000",
    "max-ports": 32,
    "max-slot": 4,
    "status": [
        {
            "port": "1.01",
            "sim": "",
            "seq": 8,
            "st": 3,
            "imei": "898610599441327",
            "iccid": "89860116289910033431",
            "imsi": "460014978212473",
            "sn": "",
            "opr": "46001 CHINA UNICOM GSM",
            "bal": "0.00",
            "sig": 15,
            "tot_dur": "0/-1",
            "mon_dur": "0/-1",
            "day_dur": "0/-1",
        }
    ],
}


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("1A", (1, 1)),
        ("2B", (2, 2)),
        ("32D", (32, 4)),
        ("2d", (2, 4)),
        ("1.01", (1, 1)),
        ("2.02", (2, 2)),
        ("32.04", (32, 4)),
        ("3", (3, None)),
        (7, (7, None)),
        ("0A", None),
        ("1E", None),
        ("1.05", None),
        ("1.00", None),
        ("abc", None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_port_and_slot_spellings(written: Any, expected: Any) -> None:
    assert parse_port_slot(written) == expected


@given(port=st.integers(1, 64), slot=st.integers(1, 4))
def test_both_spellings_parse_back(port: int, slot: int) -> None:
    assert parse_port_slot(port_slot(port, slot)) == (port, slot)
    assert parse_port_slot(f"{port}{'ABCD'[slot - 1]}") == (port, slot)
    assert parse_port_slot(port_slot(port)) == (port, None)


@pytest.mark.parametrize(
    ("st_value", "expected"),
    [
        (0, Registration.NO_SIM),
        (2, Registration.SEARCHING),
        (3, Registration.REGISTERED),
        ("3", Registration.REGISTERED),
        ("3 OK", Registration.REGISTERED),
        (6, Registration.DENIED),
        (7, Registration.LOCKED),
        ("8 Locked by operator", Registration.LOCKED),
        (12, Registration.LOCKED),
        (1, Registration.UNKNOWN),
        (16, Registration.UNKNOWN),
        ("OK", Registration.UNKNOWN),
        (None, Registration.UNKNOWN),
    ],
)
def test_status_codes(st_value: Any, expected: Registration) -> None:
    assert registration(st_value) is expected


def test_the_spec_dev_status() -> None:
    status = parse_dev_status(SPEC_DEV_STATUS)
    assert status.mac == "00:30:f1:00:6c:55"
    assert status.firmware == "532-604-924-041-100-000"
    assert status.slots == 4
    (port,) = status.ports
    assert (port.number, port.sim_slot) == (1, 1)
    assert port.registration is Registration.REGISTERED
    assert port.signal_csq == 15
    assert port.operator == "46001 CHINA UNICOM GSM"
    assert port.balance == 0.0
    assert port.phone_number is None
    assert port.iccid == "89860116289910033431"


def test_single_slot_units_have_no_slot() -> None:
    payload = {**SPEC_DEV_STATUS, "max-slot": 1}
    (port,) = parse_dev_status(payload).ports
    assert port.sim_slot is None


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"type": "port-status"},
        {"type": "dev-status"},
        {"type": "dev-status", "status": 5},
    ],
)
def test_dev_status_refused(payload: Any) -> None:
    with pytest.raises(GatewayResponseError):
        parse_dev_status(payload)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("00-30-f1-00-6c-55", "00:30:f1:00:6c:55"),
        ("00:30:F1:00:6C:55", "00:30:f1:00:6c:55"),
        ("0030f1006c55", "00:30:f1:00:6c:55"),
        ("00-30-f1", None),
        ("not a mac at all", None),
        (None, None),
    ],
)
def test_mac_like_home_assistant_writes_it(written: Any, expected: Any) -> None:
    assert format_mac(written) == expected


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@given(
    text=st.text(min_size=1, max_size=300),
    sender=st.from_regex(r"\A\+?[0-9]{1,20}\Z"),
    port=st.integers(1, 32),
    slot=st.integers(1, 4),
    stamp=st.integers(0, 2**31),
    message_id=st.integers(1, 10**6),
)
def test_sms_rows_round_trip(
    text: str, sender: str, port: int, slot: int, stamp: int, message_id: int
) -> None:
    """A row rendered the device's way (base64 of UTF-8) parses back exactly."""
    row = [0, port_slot(port, slot), stamp, sender, "+447700900000", _b64(text)]
    sms = parse_sms_row(row, message_id)
    assert isinstance(sms, IncomingSms)
    assert (sms.text, sms.sender, sms.port, sms.slot) == (text, sender, port, slot)
    assert sms.message_id == message_id
    assert sms.timestamp == datetime.fromtimestamp(stamp, UTC)


@pytest.mark.parametrize(
    ("content", "state", "code"),
    [
        ("0 260101120000", SmsState.DELIVERED, 0),
        ("5 260101120000", SmsState.UNDELIVERED, 5),
    ],
)
def test_delivery_report_rows(content: str, state: SmsState, code: int) -> None:
    row = [1, "2B", 1767225600, "+447958879879", "+447700900123", content]
    report = parse_sms_row(row, None)
    assert isinstance(report, SmsReport)
    assert (report.number, report.port, report.state, report.status_code) == (
        "+447700900123",
        2,
        state,
        code,
    )


@pytest.mark.parametrize(
    "row",
    [
        [0, "1A", 1, "123", "456"],
        [2, "1A", 1, "123", "456", _b64("x")],
        [0, "0Z", 1, "123", "456", _b64("x")],
        [0, "1A", 1, "123", "456", "***not base64***"],
        [0, "1A", 1, "123", "456", base64.b64encode(b"\xff\xfe").decode()],
        [0, "1A", 1, "", "456", _b64("x")],
        [1, "1A", 1, "smsc", "456", "delivered"],
        "not a row",
    ],
)
def test_bad_rows_are_dropped(row: Any) -> None:
    assert parse_sms_row(row, 1) is None


def test_spec_row_with_chinese_text() -> None:
    greeting = "尊敬的用户\uff0c您好\uff01"  # full-width comma and exclamation mark
    row = [0, "1B", 1466506477, "10010", "13265825775", _b64(greeting)]
    sms = parse_sms_row(row, 3)
    assert isinstance(sms, IncomingSms)
    assert sms.text == greeting
    assert (sms.port, sms.slot, sms.sender) == (1, 2, "10010")


def _push(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def test_pushes_of_every_type() -> None:
    dev = parse_push(_push(SPEC_DEV_STATUS))
    assert dev.identity == "00:30:f1:00:6c:55"
    assert [type(event) for event in dev.events] == [PortUpdate]
    port_status = parse_push(
        _push(
            {
                "type": "port-status",
                "port": "2B",
                "seq": 1,
                "status": "3 OK",
                "bal": "100.00",
                "opr": "46000 China Mobile",
                "sn": "+447700900123",
                "imei": "860000000000001",
                "imsi": "460000000000001",
                "iccid": "89860000000000000001",
            }
        )
    )
    (update,) = port_status.events
    assert isinstance(update, PortUpdate)
    assert update.port.registration is Registration.REGISTERED
    assert (update.port.number, update.port.sim_slot, update.port.balance) == (
        2,
        2,
        100.0,
    )
    sms = parse_push(
        _push(
            {
                "type": "recv-sms",
                "sms_num": 1,
                "sms": [[0, "1.01", 1767225600, "+4477", "+4488", _b64("hi")]],
            }
        )
    )
    (received,) = sms.events
    assert isinstance(received, IncomingSms)
    assert received.message_id is None
    report = parse_push(
        _push(
            {
                "type": "status-report",
                "rpt_num": 1,
                "rpts": [
                    {
                        "tid": 1223,
                        "sending": 0,
                        "sent": 1,
                        "failed": 1,
                        "unsent": 0,
                        "sdr": [[0, "+4477", "1.01", 1767225600]],
                        "fdr": [[1, "+4488", "1.02", 1767225601, "6 Timeout", "0 OK"]],
                    }
                ],
            }
        )
    )
    assert [(r.handle, r.state, r.number) for r in report.events] == [
        ("1223:0", SmsState.SENT, "+4477"),
        ("1223:1", SmsState.FAILED, "+4488"),
    ]
    failed = report.events[1]
    assert isinstance(failed, SmsReport)
    assert (failed.vendor_status, failed.status_code) == ("6 Timeout", 6)


@pytest.mark.parametrize(
    "payload",
    [
        {"sn": "SN", "sms": [{"incoming_sms_id": 1}]},  # a Dinstar push
        {"type": "unknown"},
        {"type": "recv-sms", "sms": []},
        {"type": "recv-sms", "sms": [[0, "1A"]]},
        {"type": "status-report", "rpts": [{"tid": "x"}]},
        {"type": "status-report", "rpts": [{"tid": 1, "sdr": [[-1, "1", "1A", 0]]}]},
        {"type": "status-report", "rpts": [{"tid": 1, "fdr": "x"}]},
        {"type": "port-status", "port": "99Z"},
        ["type", "dev-status"],
    ],
)
def test_pushes_refused(payload: Any) -> None:
    with pytest.raises(GatewayResponseError):
        parse_push(_push(payload))


def test_statistics_join_sms_and_calls() -> None:
    sms = {
        "code": 200,
        "stats": [
            {
                "port": 1,
                "slot": 1,
                "received": 4,
                "sent": 10,
                "sent_ok": 9,
                "sent_failed": 1,
                "con_failed": 0,
            }
        ],
    }
    calls = {
        "code": 200,
        "stats": [
            {"port": 1, "slot": 1, "calls": 3, "connected": 2, "asr": 66, "acd": 40}
        ],
    }
    stats = parse_statistics(sms, calls)[1]
    assert (stats.sms_sent, stats.sms_sent_ok, stats.sms_received) == (10, 9, 4)
    assert (stats.calls, stats.calls_connected, stats.asr, stats.acd) == (3, 2, 66, 40)
    with pytest.raises(GatewayResponseError):
        parse_statistics({"code": 200}, calls)
