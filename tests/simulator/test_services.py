"""Port control, calls, inbox, reboot, USSD and SIM toolkit in the model (manual time)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import re

from aiohttp import web
import pytest

from gsm_simulator import (
    CallDirection,
    CallRecord,
    CallState,
    DeviceEvent,
    DevicePower,
    ExceptionEvent,
    ForwardMode,
    IncomingSms,
    RefusedError,
    RegisterChange,
    RegState,
    SimCard,
    SimGateway,
    StkAction,
    StkInput,
    Timings,
    UssdReply,
    UssdStatus,
)
from gsm_simulator.core import GatewayEvent
from gsm_simulator.dialect import Dialect
from gsm_simulator.stk import VOUCHER_VALUE

REGISTER = 10.0
NOW = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)


def make_gateway(
    ports: int = 8, slots: int = 1
) -> tuple[SimGateway, list[GatewayEvent]]:
    """A gateway on a manual timeline with a fixed clock, and its event log."""
    gateway = SimGateway(ports=ports, slots=slots, clock=lambda: NOW)
    events: list[GatewayEvent] = []
    gateway.listeners.append(events.append)
    return gateway, events


def registers(events: list[GatewayEvent]) -> list[tuple[int, bool, int]]:
    """(port, up, sequence) of every register event."""
    return [
        (event.port, event.up, event.sequence)
        for event in events
        if isinstance(event, RegisterChange)
    ]


def test_timings_and_identity() -> None:
    """Durations must not be negative; the MAC derives from the serial."""
    with pytest.raises(ValueError, match="send_time"):
        Timings(send_time=-1)
    gateway, _ = make_gateway()
    assert re.fullmatch(r"F8-A0-3D(-[0-9A-F]{2}){3}", gateway.mac)
    assert gateway.mac == SimGateway(ports=8).mac
    assert gateway.port_or_none(8) is None
    assert gateway.port_or_none(-1) is None
    sim = gateway.port(0).sim
    assert sim is not None
    assert sim.balance == int(sim.imsi[-4:]) / 100
    assert sim.valid_until == NOW.date() + timedelta(days=30)
    card = SimCard(imsi="1", iccid="2", number="", smsc="", operator="X")
    assert card.valid_until > NOW.date()
    assert (card.pin, card.pin_enabled, card.pin_attempts) == ("1234", False, 3)


def test_dialect_without_pushes() -> None:
    """A dialect that does not override render_push pushes nothing."""

    class Silent(Dialect):
        name = "silent"

        def routes(self) -> list[web.RouteDef]:
            return []

    gateway, _ = make_gateway()
    assert Silent(gateway).render_push(gateway.receive_sms(0, "1", "x")) == []
    assert Silent.push_types == ()


def test_power_cycle() -> None:
    """Off at once (down event); on: searching, registered after the delay (up event)."""
    gateway, events = make_gateway()
    port = gateway.port(0)
    gateway.power(0, on=True)  # already on: nothing
    gateway.power(0, on=False)
    assert port.registration is RegState.POWER_OFF
    gateway.power(0, on=False)
    down = events[-1]
    assert isinstance(down, RegisterChange)
    assert (down.up, down.iccid, down.imsi, down.sequence) == (False, "", "", 1)
    assert down.number == (port.sim.number if port.sim else "")
    gateway.power(0, on=True)
    assert port.registration is RegState.SEARCHING
    gateway.timeline.advance(REGISTER - 1)
    assert port.registration is RegState.SEARCHING
    gateway.timeline.advance(1)
    assert port.registration is RegState.REGISTERED
    up = events[-1]
    assert isinstance(up, RegisterChange)
    assert up.up
    assert up.sequence == 2
    assert port.sim is not None
    assert up.iccid == port.sim.iccid
    # A port without SIM powers on into NO_SIM at once.
    gateway.power(3, on=False)
    gateway.power(3, on=True)
    assert gateway.port(3).registration is RegState.NO_SIM


def test_reset() -> None:
    """Reset: searching then back; refused when powered off; drift steps do not hurry it."""
    gateway, events = make_gateway()
    gateway.reset_port(1)
    assert gateway.port(1).registration is RegState.SEARCHING
    gateway.tick(5)
    assert gateway.port(1).registration is RegState.SEARCHING
    gateway.timeline.advance(REGISTER)
    assert gateway.port(1).registration is RegState.REGISTERED
    assert registers(events) == [(1, False, 1), (1, True, 2)]
    gateway.power(1, on=False)
    with pytest.raises(RefusedError, match="powered off"):
        gateway.reset_port(1)
    # A later action replaces a pending registration.
    gateway.power(1, on=True)
    gateway.timeline.advance(REGISTER / 2)
    gateway.power(1, on=False)
    gateway.timeline.advance(REGISTER)
    assert gateway.port(1).registration is RegState.POWER_OFF


def test_switch_slot() -> None:
    """A multi-SIM port changes SIM: the old one goes down, the new one comes up."""
    gateway, events = make_gateway(ports=2, slots=4)
    gateway.insert_sim(0, slot=2)
    events.clear()
    old = gateway.port(0).sim
    gateway.switch_slot(0, 2)
    gateway.switch_slot(0, 2)  # same slot: nothing
    down = events[-1]
    assert isinstance(down, RegisterChange)
    assert old is not None
    assert (down.up, down.iccid, down.slot) == (False, old.iccid, 0)
    gateway.timeline.advance(REGISTER)
    up = events[-1]
    assert isinstance(up, RegisterChange)
    assert (up.up, up.slot) == (True, 2)
    # An empty slot: NO_SIM at once.
    gateway.remove_sim(0, slot=1)
    gateway.switch_slot(0, 1)
    assert gateway.port(0).registration is RegState.NO_SIM
    # Powered off: only the slot changes.
    gateway.power(1, on=False)
    gateway.switch_slot(1, 3)
    assert gateway.port(1).active_slot == 3
    assert gateway.port(1).registration is RegState.POWER_OFF
    with pytest.raises(ValueError, match="slot"):
        gateway.switch_slot(1, 4)


def test_immediate_sim_hooks_report_the_change() -> None:
    """Swapping the SIM under a registered port: the old one leaves, the new one comes."""
    gateway, events = make_gateway(ports=1, slots=2)
    gateway.insert_sim(0, slot=1)
    gateway.set_active_slot(0, 1)
    gateway.insert_sim(0)
    assert registers(events) == [
        (0, False, 1),
        (0, True, 2),
        (0, False, 3),
        (0, True, 4),
    ]
    gateway.set_active_slot(0, 1)  # same slot: already registered, no event
    assert len(registers(events)) == 4


def test_pin_lock() -> None:
    """Lock, restart into PIN_REQUIRED, unlock; three wrong PINs want the PUK."""
    gateway, _ = make_gateway()
    port = gateway.port(0)
    sim = port.sim
    assert sim is not None
    gateway.set_pin_lock(0, "1234", enabled=True)
    assert sim.pin_enabled
    assert port.registered
    gateway.reset_port(0)
    gateway.timeline.advance(REGISTER)
    assert port.registration is RegState.PIN_REQUIRED
    with pytest.raises(RefusedError, match="2 attempts left"):
        gateway.set_pin_lock(0, "0000", enabled=False)
    gateway.set_pin_lock(0, "1234", enabled=False)
    assert sim.pin_attempts == 3
    assert not sim.pin_enabled
    assert port.registration is RegState.SEARCHING
    gateway.timeline.advance(REGISTER)
    assert port.registered
    for left in (2, 1, 0):
        with pytest.raises(RefusedError, match=f"{left} attempts left"):
            gateway.set_pin_lock(0, "9999", enabled=True)
    assert port.registration is RegState.PUK_REQUIRED
    with pytest.raises(RefusedError, match="PUK"):
        gateway.set_pin_lock(0, "1234", enabled=False)
    gateway.reset_port(0)
    gateway.timeline.advance(REGISTER)
    assert port.registration is RegState.PUK_REQUIRED
    with pytest.raises(RefusedError, match="no SIM"):
        gateway.set_pin_lock(3, "1234", enabled=True)


def test_imei_number_block() -> None:
    """Module identity, own number and blocking."""
    gateway, _ = make_gateway()
    gateway.set_imei(0, "123456789012345")
    assert gateway.port(0).imei == "123456789012345"
    for bad in ("12345", "12345678901234x", "١٢٣٤٥٦٧٨٩٠١٢٣٤٥"):
        with pytest.raises(ValueError, match="15 digits"):
            gateway.set_imei(0, bad)
    gateway.set_number(0, "+447700900123")
    assert gateway.port(0).sim is not None
    assert gateway.port(0).sim.number == "+447700900123"  # type: ignore[union-attr]
    with pytest.raises(RefusedError):
        gateway.set_number(3, "123")
    gateway.set_blocked(2, blocked=True)
    assert gateway.port(2).blocked


def test_call_forwarding() -> None:
    """Set, cancel and check; the check answers after the USSD delay."""
    gateway, _ = make_gateway()
    port = gateway.port(0)
    gateway.set_call_forward(0, "Unconditional", "15013828917")
    gateway.set_call_forward(0, ForwardMode.BUSY, "222")
    assert port.call_forward_report is None
    gateway.check_call_forward(0)
    assert port.call_forward_report is None
    gateway.timeline.advance(2)
    assert port.call_forward_report == {"Unconditional": "15013828917", "Busy": "222"}
    gateway.set_call_forward(0, None)
    gateway.check_call_forward(0)
    gateway.timeline.advance(2)
    assert port.call_forward_report == {}
    with pytest.raises(ValueError, match="number"):
        gateway.set_call_forward(0, "NoReply")
    with pytest.raises(RefusedError, match="not registered"):
        gateway.set_call_forward(3, "Busy", "1")
    with pytest.raises(RefusedError):
        gateway.check_call_forward(6)
    # A check whose port went down meanwhile finds nothing.
    gateway.check_call_forward(1)
    gateway.set_registration(1, "searching")
    gateway.timeline.advance(2)
    assert gateway.port(1).call_forward_report is None


def test_calls() -> None:
    """Answered, missed and outgoing calls; limits; filters; unregistered ports refuse."""
    gateway, events = make_gateway()
    port = gateway.port(2)
    own = port.sim.number if port.sim else ""
    answered = gateway.simulate_call(2, "+447700900001", duration=60)
    assert answered.answered
    assert answered.start == NOW - timedelta(seconds=65)
    assert answered.answer == NOW - timedelta(seconds=60)
    assert (answered.source_number, answered.destination_number) == (
        "+447700900001",
        own,
    )
    assert (answered.codec, answered.gsm_code, answered.hangup.value) == (
        "G.711U",
        16,
        "called",
    )
    assert port.credit.remain_daily_connect == 99
    missed = gateway.simulate_call(2, "+447700900002", answered=False)
    assert not missed.answered
    assert (missed.duration, missed.codec, missed.gsm_code) == (0, "", 19)
    assert port.credit.remain_daily_connect == 99
    outgoing = gateway.simulate_call(
        5,
        "6717",
        direction="outgoing",
        start=datetime(2025, 1, 1, 8),  # naive: UTC
        push=False,
    )
    assert outgoing.direction is CallDirection.OUTGOING
    assert outgoing.start == datetime(2025, 1, 1, 8, tzinfo=UTC)
    assert (outgoing.source_number, outgoing.destination_number) == ("1000", "6717")
    assert outgoing.ip
    assert [event for event in events if isinstance(event, CallRecord)] == [
        answered,
        missed,
    ]
    assert gateway.find_calls() == [answered, missed, outgoing]
    assert gateway.find_calls(ports=[5]) == [outgoing]
    assert gateway.find_calls(after=NOW - timedelta(hours=1)) == [answered, missed]
    assert gateway.find_calls(before=NOW - timedelta(hours=1)) == [outgoing]
    with pytest.raises(ValueError, match="not registered"):
        gateway.simulate_call(3, "1")


def test_exception_event() -> None:
    """An exception is an event; with action reset the port restarts."""
    gateway, events = make_gateway()
    event = gateway.report_exception(4, "call_fail", "reset")
    assert events[0] == event
    assert isinstance(event, ExceptionEvent)
    assert gateway.port(4).registration is RegState.SEARCHING
    gateway.report_exception(5, "sms_fail", "none")
    assert gateway.port(5).registered
    gateway.power(7, on=False)
    gateway.report_exception(7)
    assert gateway.port(7).registration is RegState.POWER_OFF


def test_inbox() -> None:
    """Filters by id, flag and port; marking read; counts; clearing."""
    gateway, events = make_gateway()
    first = gateway.receive_sms(0, "111", "a")
    second = gateway.receive_sms(1, "222", "b", datetime(2024, 6, 1, 12), push=False)
    third = gateway.receive_sms(1, "333", "c")
    assert events == [first, third]
    assert second.timestamp.tzinfo is UTC
    assert gateway.read_inbox(after_id=1, which="all") == [second, third]
    assert gateway.read_inbox(ports=[1], mark_read=True) == [second, third]
    assert gateway.inbox_counts() == (2, 1)
    assert gateway.read_inbox(which="read") == [second, third]
    assert gateway.read_inbox() == [first]
    gateway.clear_inbox()
    assert gateway.receive_sms(0, "1", "x").sms_id == 4
    gateway.clear_inbox(reset_ids=True)
    assert gateway.receive_sms(0, "1", "x").sms_id == 1
    assert isinstance(events[-1], IncomingSms)


def test_reboot_semantics() -> None:
    """Device events, silent down, ports back after downtime + delay, state lost or kept."""
    gateway, events = make_gateway()
    gateway.receive_sms(0, "1", "kept")
    gateway.outbox.submit([("1", "x", 1), ("2", "x", 2), ("3", "x", 3)], ports=[0])
    gateway.ussd.send(1, "*100#")
    gateway.set_call_forward(2, "Busy", "1")
    gateway.check_call_forward(2)
    gateway.timeline.advance(2)
    gateway.stk.select(4, 1)
    events.clear()
    gateway.reboot(downtime=5)
    assert isinstance(events[0], DeviceEvent)
    assert events[0].status is DevicePower.POWER_OFF
    assert events[0].port_count == 8
    assert len(events) == 1  # ports leave silently
    assert gateway.outbox.pending == 0
    assert gateway.outbox.results[0].status.value == "failed"
    assert gateway.port(2).call_forward_report is None
    assert gateway.port(2).sim is not None
    assert gateway.port(2).sim.call_forwarding == {"Busy": "1"}  # type: ignore[union-attr]
    assert gateway.ussd.last_reply(1) == ""
    assert gateway.stk.view(4).frame_id == gateway.stk.frame_id(4)
    gateway.timeline.advance(5)
    assert isinstance(events[1], DeviceEvent)
    assert events[1].status is DevicePower.POWER_ON
    assert gateway.port(0).registration is RegState.SEARCHING
    gateway.timeline.advance(REGISTER)
    assert gateway.port(0).registered
    assert gateway.port(6).registration is RegState.SEARCHING
    assert [port for port, up, _ in registers(events)] == [0, 1, 2, 4, 5, 7]
    assert all(up for _, up, _ in registers(events))
    assert [sms.text for sms in gateway.inbox] == ["kept"]
    assert gateway.outbox.submit([("1", "x", None)]).task_id == 1


def test_port_count_shrink_cancels_registration() -> None:
    """A removed port's pending registration never completes."""
    gateway, events = make_gateway()
    gateway.reset_port(7)
    gateway.set_port_count(4)
    gateway.timeline.advance(REGISTER)
    assert registers(events) == [(7, False, 1)]


# ------------------------------------------------------------------------ USSD
def test_ussd_statuses_and_answers() -> None:
    """Sent, busy (hook, SMS, call, waiting), not registered; default answers."""
    gateway, events = make_gateway()
    ussd = gateway.ussd
    sim = gateway.port(0).sim
    assert sim is not None
    assert ussd.send(0, "*100#") is UssdStatus.SENT
    assert ussd.waiting(0)
    assert ussd.send(0, "*100#") is UssdStatus.BUSY
    assert ussd.send(3, "*100#") is UssdStatus.NOT_REGISTERED
    assert ussd.send(9, "*100#") is UssdStatus.NOT_REGISTERED
    ussd.busy_ports.add(1)
    assert ussd.send(1, "*100#") is UssdStatus.BUSY
    gateway.set_call_state(2, CallState.ACTIVE)
    assert ussd.send(2, "*100#") is UssdStatus.BUSY
    gateway.outbox.submit([("1", "x", None)], ports=[4])
    assert ussd.send(4, "*100#") is UssdStatus.BUSY
    assert ussd.send(5, "*#100#") is UssdStatus.SENT
    assert ussd.send(7, "*999#") is UssdStatus.SENT
    assert ussd.last_reply(0) == ""
    gateway.timeline.advance(2)
    replies = [event for event in events if isinstance(event, UssdReply)]
    assert [reply.port for reply in replies] == [0, 5, 7]
    assert ussd.last_reply(0) == (
        f"Your balance is {sim.balance:.2f} GBP, valid until "
        f"{sim.valid_until:%d/%m/%Y}."
    )
    assert ussd.last_reply(5).startswith("Your number is ")
    assert ussd.last_reply(7) == "Unknown application"
    assert ussd.requests == [(0, "*100#"), (5, "*#100#"), (7, "*999#")]


def test_ussd_reply_book_and_cancel() -> None:
    """Fixed, computed and missing answers; cancel; a port that drops the session."""
    gateway, _ = make_gateway()
    ussd = gateway.ussd
    ussd.set_reply("*1#", "one")
    ussd.set_reply("*2#", lambda port: f"port {port.index}")
    ussd.set_reply("*3#", None)
    ussd.set_reply("*4#", lambda port: None)
    for port, code in ((0, "*1#"), (1, "*2#"), (2, "*3#"), (4, "*4#")):
        assert ussd.send(port, code) is UssdStatus.SENT
    assert not ussd.waiting(2)
    assert ussd.waiting(4)
    gateway.timeline.advance(2)
    assert [ussd.last_reply(port) for port in (0, 1, 2, 4)] == ["one", "port 1", "", ""]
    ussd.send(0, "*1#")
    assert ussd.cancel(0) is UssdStatus.SENT
    assert ussd.cancel(0) is UssdStatus.SENT
    assert ussd.cancel(3) is UssdStatus.NOT_REGISTERED
    ussd.send(1, "*1#")
    gateway.set_registration(1, "searching")
    gateway.timeline.advance(2)
    assert ussd.last_reply(0) == ""
    assert ussd.last_reply(1) == ""
    # No SIM: the default texts have nothing to say.
    gateway.remove_sim(5)
    port = gateway.port(5)
    assert ussd.reply_for("*100#", port) is None
    assert ussd.reply_for("*135#", port) is None


# ------------------------------------------------------------------------- STK
def test_stk_navigation() -> None:
    """Menus, input, display, cancel, home; frames change after the STK delay."""
    gateway, _ = make_gateway()
    stk = gateway.stk
    sim = gateway.port(0).sim
    assert sim is not None
    main = stk.view(0)
    assert main.input_type is StkInput.DESKTOP
    assert main.title == sim.operator
    assert [label for _, label in main.items] == ["Balance", "Top-up", "Services"]
    stk.select(0, 1)
    with pytest.raises(RefusedError, match="still processing"):
        stk.select(0, 1)
    assert stk.view(0) == main
    gateway.timeline.advance(0.5)
    balance = stk.view(0)
    assert balance.input_type is StkInput.DISPLAY
    assert balance.frame_id == main.frame_id + 1
    assert balance.items == ()
    assert f"{sim.balance:.2f}" in balance.text
    with pytest.raises(RefusedError, match="not a menu"):
        stk.select(0, 1)
    stk.press(0, StkAction.OK)  # dismiss: back to the menu
    gateway.timeline.advance(0.5)
    assert stk.view(0).input_type is StkInput.DESKTOP
    with pytest.raises(RefusedError, match="no item 9"):
        stk.select(0, 9)
    with pytest.raises(RefusedError, match="needs an item"):
        stk.press(0, StkAction.OK)


def test_stk_top_up_and_services() -> None:
    """The digits input, its result screen, the submenu, cancel and home."""
    gateway, _ = make_gateway()
    stk = gateway.stk
    sim = gateway.port(0).sim
    assert sim is not None
    # Top-up: a bad code, then a good one.
    before = sim.balance
    for code, expected in (
        ("12ab", "Invalid voucher code"),
        ("123456789012", "Voucher accepted"),
    ):
        stk.select(0, 2)
        gateway.timeline.advance(0.5)
        assert stk.view(0).input_type is StkInput.DIGITS
        stk.press(0, StkAction.OK, code)
        gateway.timeline.advance(0.5)
        view = stk.view(0)
        assert view.input_type is StkInput.DISPLAY
        assert view.text.startswith(expected)
        stk.press(0, StkAction.OK)
        gateway.timeline.advance(0.5)
        assert stk.view(0).input_type is StkInput.DESKTOP
    assert sim.balance == round(before + VOUCHER_VALUE, 2)
    # Services submenu, cancel and home.
    stk.select(0, 3)
    gateway.timeline.advance(0.5)
    assert stk.view(0).input_type is StkInput.SELECT
    stk.select(0, 1)
    gateway.timeline.advance(0.5)
    assert stk.view(0).title == "My number"
    stk.press(0, StkAction.CANCEL)
    gateway.timeline.advance(0.5)
    assert stk.view(0).title == "Services"
    stk.select(0, 2)
    gateway.timeline.advance(0.5)
    assert stk.view(0).text == "Language: English"
    stk.press(0, StkAction.HOME)
    gateway.timeline.advance(0.5)
    assert stk.view(0).input_type is StkInput.DESKTOP
    stk.press(0, StkAction.CANCEL)  # at the top: stays
    gateway.timeline.advance(0.5)
    assert stk.view(0).input_type is StkInput.DESKTOP
    stk.reset()
    assert stk.view(0).input_type is StkInput.DESKTOP


def test_stk_locked_and_new_sim() -> None:
    """No SIM, a locked SIM or no toolkit: the locked frame; a new SIM starts at the top."""
    gateway, _ = make_gateway()
    stk = gateway.stk
    assert stk.view(3).input_type is StkInput.LOCKED
    assert stk.view(3).title == ""
    with pytest.raises(RefusedError, match="no readable SIM toolkit"):
        stk.press(3, StkAction.HOME)
    gateway.set_registration(1, "pin_required")
    assert stk.view(1).input_type is StkInput.LOCKED
    sim = gateway.port(2).sim
    assert sim is not None
    sim.has_stk = False
    assert not stk.available(2)
    assert stk.view(2).input_type is StkInput.LOCKED
    stk.select(0, 3)
    gateway.remove_sim(0)
    gateway.insert_sim(0)
    view = stk.view(0)
    assert view.input_type is StkInput.DESKTOP
    gateway.timeline.advance(1)  # the old session's action was cancelled
    assert stk.view(0) == view
