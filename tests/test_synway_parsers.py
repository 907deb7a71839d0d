"""The Synway `content` parsers: the spec's examples, and round trips of any rows."""

from __future__ import annotations

import contextlib
from datetime import datetime

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.gsm_gateway.api import (
    GatewayCommandError,
    GatewayResponseError,
)
from custom_components.gsm_gateway.api.synway.parsers import (
    InboxRow,
    OutboxRow,
    UssdRow,
    parse_counted_list,
    parse_inbox,
    parse_outbox,
    parse_port_results,
    parse_port_values,
    parse_task_id,
    parse_tasks,
    parse_total,
    parse_unit_value,
    parse_ussd,
    reply_content,
)
from custom_components.gsm_gateway.api.synway.wire import (
    format_time,
    parse_time,
    slot_letter,
    slot_number,
)

# The spec's examples, as it prints them.


def test_reply_content_accepts_ok_in_any_case() -> None:
    """`ok`, `oK`, `OK` are success; the content comes back untouched."""
    for word in ("ok", "oK", "OK", " Ok "):
        assert reply_content({"result": word, "content": "total:0"}, "x") == "total:0"


def test_reply_content_refusal_and_garbage() -> None:
    """An error names its reason; a reply without the fields names the event."""
    with pytest.raises(GatewayCommandError) as err:
        reply_content({"result": "error", "content": "port busy"}, "txsms")
    assert err.value.reason == "port busy"
    for payload in (
        [],
        {"content": "x"},
        {"result": "ok"},
        {"result": "ok", "content": 3},
    ):
        with pytest.raises(GatewayResponseError, match="querytxsms"):
            reply_content(payload, "querytxsms")
    with pytest.raises(GatewayResponseError, match="more than"):
        reply_content({"result": "ok", "content": "x" * (5 * 1024 * 1024)}, "big")


def test_port_state_lists() -> None:
    """`portstate` without and `ConnectState` with the trailing dot."""
    assert (
        parse_counted_list(
            "total:8;portstate:0,0,0,0,0,0,0,0", "portstate", "getportinfo"
        )
        == [0] * 8
    )
    assert parse_counted_list(
        "total:8;ConnectState:1,1,1,1,0,0,0,0.", "connectstate", "x"
    ) == [1, 1, 1, 1, 0, 0, 0, 0]
    assert parse_counted_list("total:0;portstate:", "portstate", "x") == []


@pytest.mark.parametrize(
    "content",
    [
        "total:3;portstate:0,0",
        "total:2;portstate:0,x",
        "total:2;ConnectState:1,1",
        "portstate:0,0",
        "",
    ],
)
def test_port_state_lists_refused(content: str) -> None:
    """A count that does not match, a bad code, another key: the event is named."""
    with pytest.raises(GatewayResponseError, match="getportinfo"):
        parse_counted_list(content, "portstate", "getportinfo")


def test_wireless_info() -> None:
    """Port-value pairs ending in `.`, one unit value, empty values."""
    assert parse_port_values("2:89860058111551226470.3:89860058111551226471.", "x") == {
        2: "89860058111551226470",
        3: "89860058111551226471",
    }
    assert parse_port_values("0:.1:-1.2:+8613800000000", "x") == {
        0: None,
        1: None,
        2: "+8613800000000",
    }
    assert parse_port_values("", "x") == {}
    assert parse_unit_value("PortType:WCDMA", "porttype", "x") == "WCDMA"
    assert parse_unit_value("2:WCDMA.", "porttype", "x") is None
    with pytest.raises(GatewayResponseError, match="getwirelessinfo IMEI"):
        parse_port_values("no pairs here", "getwirelessinfo IMEI")


def test_send_and_ussd_answers() -> None:
    """`taskid:0`, per-port `1:0;2:1;3:1` and `total:N` counts."""
    assert parse_task_id("taskid:0", "txsms") == 0
    assert parse_task_id("TaskID:17.", "txsms") == 17
    with pytest.raises(GatewayResponseError, match="txsms"):
        parse_task_id("queued", "txsms")
    assert parse_port_results("1:0;2:1;3:1", "txussd") == {1: False, 2: True, 3: True}
    with pytest.raises(GatewayResponseError, match="txussd"):
        parse_port_results("1:yes", "txussd")
    assert parse_total("total:2;", "deletesms") == (2, "")
    assert parse_total("total:0", "deleteussd") == (0, "")
    with pytest.raises(GatewayResponseError, match="deletesms"):
        parse_total("deleted", "deletesms")


def test_tasks() -> None:
    """Both task examples of the spec, with the line break between tasks."""
    tasks = parse_tasks(
        "[taskid:0:2:3;1:10086:2;2:10087:3], \n[taskid:1:1;3:10088:2]", "querytxsms"
    )
    assert [(t.task_id, t.count, t.user_id) for t in tasks] == [
        (0, 2, "3"),
        (1, 1, None),
    ]
    assert [(i.port, i.number, i.state) for i in tasks[0].items] == [
        (1, "10086", 2),
        (2, "10087", 3),
    ]
    assert parse_tasks("[taskid:0:1:3;1:10086:3]", "x")[0].items[0].state == 3
    assert parse_tasks("", "x") == []
    for bad in ("[taskid:a:1]", "[taskid:0:1;1:10086]", "taskid:0:1", "[0:1;1:2:3]"):
        with pytest.raises(GatewayResponseError, match="querytxsms"):
            parse_tasks(bad, "querytxsms")


def test_inbox_examples() -> None:
    """The spec's inbox: slot letters, `(-1)`, a service-centre time, line breaks."""
    assert parse_inbox("total:0") == []
    rows = parse_inbox(
        "total:2; \n20150911111111:1(A)(152555588888):10086: Hello world!|E; \n"
        "20150911111112:2(B)(-1):10086:20150911111112|:This is a test message|E"
    )
    assert rows == [
        InboxRow(
            time=datetime(2015, 9, 11, 11, 11, 11),
            port=1,
            slot=1,
            sim_number="152555588888",
            sender="10086",
            text=" Hello world!",
        ),
        InboxRow(
            time=datetime(2015, 9, 11, 11, 11, 12),
            port=2,
            slot=2,
            sim_number=None,
            sender="10086",
            text="This is a test message",
            smsc_time=datetime(2015, 9, 11, 11, 11, 12),
        ),
    ]


def test_outbox_and_ussd_examples() -> None:
    """The spec's outbox rows (`:|E`) and USSD rows (` NULL`, a reply with `:`)."""
    rows = parse_outbox(
        "total:2; \n20150911111111:1(-1)(15255558888):10086:2:Hello world!:|E; \n"
        "20150911111112:2(C)(15255558888):10086:0:This is a test message:|E"
    )
    assert rows[0] == OutboxRow(
        time=datetime(2015, 9, 11, 11, 11, 11),
        port=1,
        slot=None,
        sim_number="15255558888",
        number="10086",
        source=2,
        text="Hello world!",
    )
    assert (rows[1].slot, rows[1].source) == (3, 0)
    assert parse_ussd("total:1;2|0|20160721132505|99|1| NULL|E")[0].reply is None
    assert parse_ussd("total:1;2|0|20160721132505|99|1| MSISDN:13023569874|E") == [
        UssdRow(
            port=2,
            order=0,
            time=datetime(2016, 7, 21, 13, 25, 5),
            code="99",
            sent=True,
            reply="MSISDN:13023569874",
        )
    ]


@pytest.mark.parametrize(
    "content",
    [
        "total:2;20150911111111:1(A)(-1):10086:one|E",
        "total:1;20150911111111:1(A)(-1):10086:no end",
        "total:1;2015091111111:1(A)(-1):10086:short time|E",
        "total:1;20151311111111:1(A)(-1):10086:no month 13|E",
        "total:1;20150911111111:1(E)(-1):10086:slot E|E",
        "total:0;20150911111111:1(A)(-1):10086:rows after none|E",
        "total:99999;x|E",
        "rows without a total|E",
    ],
)
def test_inbox_refused(content: str) -> None:
    """What the parser cannot read is an error naming the event, never a guess."""
    with pytest.raises(GatewayResponseError, match="queryrxsms"):
        parse_inbox(content)


def test_text_that_looks_like_a_row_end_stays_whole() -> None:
    """A text holding `|E;` and a row head is one message when the count says so."""
    tricky = "a|E;20150911111111:1(A)(-1):+3:c"
    content = (
        "total:2;20150911111111:1(A)(-1):+1:first|E;"
        f"20150911111111:1(A)(-1):+2:{tricky}|E"
    )
    rows = parse_inbox(content)
    # Three places look like row ends; the count of two keeps texts whole
    # from the first cut on: nothing is dropped, nothing made up.
    assert len(rows) == 2
    assert rows[0].text == "first"
    assert rows[1].text == tricky


def test_wire_helpers() -> None:
    """Slots A..D are 1..4 and `-1` none; times are 14 digits."""
    assert [slot_number(x) for x in ("A", "b", "C", "d", "-1")] == [1, 2, 3, 4, None]
    assert [slot_letter(x) for x in (1, 4, None)] == ["A", "D", "-1"]
    for bad in ("E", "AB", ""):
        with pytest.raises(ValueError, match="no SIM slot"):
            slot_number(bad)
    moment = datetime(2026, 12, 2, 5, 6, 7)
    assert parse_time(format_time(moment)) == moment
    with pytest.raises(ValueError, match="not a time stamp"):
        parse_time("2026120205060")


# Round trips: rows rendered the device's way parse back to themselves.

_times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)
).map(lambda moment: moment.replace(microsecond=0))
_ports = st.integers(min_value=0, max_value=63)
_slots = st.one_of(st.none(), st.integers(min_value=1, max_value=4))
_sims = st.one_of(st.none(), st.from_regex(r"\+?[0-9]{3,15}", fullmatch=True))
_senders = st.from_regex(r"\+?[0-9A-Za-z]{1,20}", fullmatch=True)
# Any text, the delimiters and other scripts included.
_texts = st.text(
    alphabet=st.one_of(
        st.sampled_from(":;|.E\n\r ,()-1"),
        st.characters(codec="utf-8", exclude_categories=("Cs",)),
    ),
    max_size=80,
).filter(lambda text: "|E;" not in text)


def _inbox_line(row: InboxRow) -> str:
    sim = row.sim_number or "-1"
    return (
        f"{format_time(row.time)}:{row.port}({slot_letter(row.slot)})({sim}):"
        f"{row.sender}:{row.text}|E"
    )


_inbox_rows = st.builds(
    InboxRow,
    time=_times,
    port=_ports,
    slot=_slots,
    sim_number=_sims,
    sender=_senders,
    text=_texts.filter(lambda text: not text[:16].rstrip("|:").isdigit()),
)


@settings(max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(_inbox_rows, max_size=12), separator=st.sampled_from([";", "; \n"])
)
def test_inbox_round_trip(rows: list[InboxRow], separator: str) -> None:
    """Any inbox, rendered as the device does, reads back the same, in order."""
    content = f"total:{len(rows)}"
    if rows:
        content += ";" + separator.join(_inbox_line(row) for row in rows)
    assert parse_inbox(content) == rows


_outbox_rows = st.builds(
    OutboxRow,
    time=_times,
    port=_ports,
    slot=_slots,
    sim_number=_sims,
    number=_senders,
    source=st.integers(min_value=0, max_value=3),
    text=_texts.filter(lambda text: ":|E;" not in text),
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_outbox_rows, max_size=10))
def test_outbox_round_trip(rows: list[OutboxRow]) -> None:
    """Any outbox rendered as the device does reads back the same."""
    lines = [
        f"{format_time(r.time)}:{r.port}({slot_letter(r.slot)})({r.sim_number or '-1'}):"
        f"{r.number}:{r.source}:{r.text}:|E"
        for r in rows
    ]
    content = f"total:{len(rows)}" + (";" + ";".join(lines) if lines else "")
    assert parse_outbox(content) == rows


_ussd_rows = st.builds(
    UssdRow,
    port=_ports,
    order=st.integers(min_value=0, max_value=10**6),
    time=_times,
    code=st.from_regex(r"[*#0-9]{1,20}", fullmatch=True),
    sent=st.booleans(),
    reply=st.one_of(st.none(), _texts.filter(lambda t: t.strip().upper() != "NULL")),
)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_ussd_rows, max_size=10))
def test_ussd_round_trip(rows: list[UssdRow]) -> None:
    """Any USSD store rendered as the device does reads back the same."""
    lines = [
        f"{r.port}|{r.order}|{format_time(r.time)}|{r.code}|{int(r.sent)}|"
        f" {'NULL' if r.reply is None else r.reply}|E"
        for r in rows
    ]
    content = f"total:{len(rows)}" + (";" + ";".join(lines) if lines else "")
    assert parse_ussd(content) == rows


@settings(max_examples=100)
@given(
    tasks=st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=10**9),
            st.one_of(st.none(), st.from_regex(r"[0-9a-z]{1,8}", fullmatch=True)),
            st.lists(
                st.tuples(
                    st.integers(min_value=-1, max_value=63),
                    st.from_regex(r"\+?[0-9]{1,20}", fullmatch=True),
                    st.integers(min_value=0, max_value=5),
                ),
                max_size=6,
            ),
        ),
        max_size=6,
    )
)
def test_tasks_round_trip(
    tasks: list[tuple[int, str | None, list[tuple[int, str, int]]]],
) -> None:
    """Any task list rendered as the device does reads back the same."""
    rendered = ",".join(
        "[taskid:{}:{}{}{}]".format(
            task_id,
            len(items),
            "" if user is None else f":{user}",
            "".join(f";{port}:{number}:{state}" for port, number, state in items),
        )
        for task_id, user, items in tasks
    )
    parsed = parse_tasks(rendered, "querytxsms")
    assert [
        (t.task_id, t.user_id, [(i.port, i.number, i.state) for i in t.items])
        for t in parsed
    ] == [(task_id, user, items) for task_id, user, items in tasks]


@settings(max_examples=100)
@given(
    values=st.dictionaries(
        st.integers(min_value=0, max_value=63),
        st.one_of(st.none(), st.from_regex(r"[0-9A-Za-z+]{1,22}", fullmatch=True)),
        max_size=32,
    ),
    codes=st.lists(st.integers(min_value=0, max_value=11), max_size=32),
    dot=st.booleans(),
)
def test_lists_round_trip(
    values: dict[int, str | None], codes: list[int], dot: bool
) -> None:
    """Port values and counted lists, as the device writes them, read back."""
    rendered = "".join(f"{port}:{value or ''}." for port, value in values.items())
    assert parse_port_values(rendered, "x") == values
    listed = f"total:{len(codes)};ConnectState:{','.join(map(str, codes))}"
    assert (
        parse_counted_list(listed + ("." if dot else ""), "ConnectState", "x") == codes
    )


@settings(max_examples=300)
@given(content=st.text(max_size=200))
def test_any_content_is_read_or_refused(content: str) -> None:
    """Whatever a device sends, the parsers answer rows or a GatewayResponseError."""
    for parse in (parse_inbox, parse_outbox, parse_ussd):
        with contextlib.suppress(GatewayResponseError):
            parse(content)
    for parse_named in (parse_tasks, parse_port_values, parse_port_results):
        with contextlib.suppress(GatewayResponseError):
            parse_named(content, "x")
