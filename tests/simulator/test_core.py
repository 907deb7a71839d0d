"""The vendor-neutral gateway model, faults and authenticator without a server."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp.test_utils import make_mocked_request
import pytest

from gsm_simulator import (
    Authenticator,
    CallState,
    FaultInjector,
    FaultKind,
    ModuleType,
    RegState,
    SimGateway,
)
from gsm_simulator.auth import parse_auth_params
from gsm_simulator.core import OPERATORS, luhn_check_digit, luhn_valid, needs_sim


def test_luhn() -> None:
    """Known check digits."""
    assert luhn_check_digit("7992739871") == "3"
    assert luhn_valid("79927398713")
    assert not luhn_valid("79927398714")
    assert not luhn_valid("7")
    assert luhn_valid("358967042917201") is luhn_valid("358967042917201")


def test_generated_identities() -> None:
    """IMEI, IMSI and ICCID look real."""
    gateway = SimGateway(ports=32, slots=4, seed=7)
    assert gateway.multi_sim
    for port in gateway.ports:
        assert len(port.imei) == 15
        assert luhn_valid(port.imei)
        assert port.imei.startswith(
            "86307001" if port.module_type is ModuleType.LTE else "35896704"
        )
        for card in port.slots:
            if card is None:
                continue
            assert len(card.imsi) == 15
            assert len(card.iccid) == 20
            assert luhn_valid(card.iccid)
            assert card.operator in {op.name for op in OPERATORS}
    regs = [port.registration for port in gateway.ports]
    assert regs.count(RegState.NO_SIM) == 4
    assert regs.count(RegState.SEARCHING) == 4
    sim = gateway.make_sim(OPERATORS[0])
    assert sim.imsi.startswith("23415")
    assert sim.smsc == OPERATORS[0].smsc


def test_limits() -> None:
    """Port and slot counts are checked."""
    for ports, slots in ((0, 1), (33, 1), (1, 0), (1, 5)):
        with pytest.raises(ValueError, match="must be between"):
            SimGateway(ports=ports, slots=slots)
    gateway = SimGateway(ports=2)
    assert not gateway.multi_sim
    with pytest.raises(IndexError):
        gateway.port(2)
    with pytest.raises(ValueError, match="csq"):
        gateway.set_signal(0, 32)
    with pytest.raises(ValueError, match="slot"):
        gateway.remove_sim(0, slot=1)
    with pytest.raises(ValueError, match="count"):
        gateway.queue_sms(-1)


def test_registration_rules() -> None:
    """States needing a SIM refuse an empty slot; side effects are consistent."""
    gateway = SimGateway(ports=4)
    gateway.remove_sim(0)
    port = gateway.port(0)
    assert port.registration is RegState.NO_SIM
    assert port.signal == 0
    assert not port.gprs_attached
    for state in ("registered", RegState.PIN_REQUIRED, "searching"):
        with pytest.raises(ValueError, match="no SIM"):
            gateway.set_registration(0, state)
    gateway.set_registration(0, "power_off")
    gateway.set_registration(0, RegState.UNKNOWN)
    with pytest.raises(ValueError, match="not a valid"):
        gateway.set_registration(1, "flying")
    card = gateway.insert_sim(0)
    again = gateway.port(0)
    assert again.sim is card
    assert again.registration is RegState.REGISTERED
    assert again.signal == again.base_signal
    # A module that is off notices SIM changes only when switched on.
    gateway.power(1, on=False)
    gateway.remove_sim(1)
    assert gateway.port(1).registration is RegState.POWER_OFF
    gateway.power(1, on=True)
    assert gateway.port(1).registration is RegState.NO_SIM
    gateway.power(1, on=False)
    gateway.insert_sim(1)
    assert gateway.port(1).registration is RegState.POWER_OFF
    gateway.power(1, on=True)
    assert gateway.port(1).registration is RegState.SEARCHING
    gateway.timeline.advance(gateway.timings.register_delay)
    assert gateway.port(1).registration is RegState.REGISTERED
    # Inserting into a non-active slot of a multi-SIM port does not register it.
    multi = SimGateway(ports=1, slots=4, seed=1)
    multi.remove_sim(0, slot=0)
    multi.insert_sim(0, slot=2)
    assert multi.port(0).registration is RegState.NO_SIM


def test_drift_stays_in_bounds() -> None:
    """Signal wanders around its base, counters stay plausible, calls come and go."""
    gateway = SimGateway(ports=8, seed=3)
    bases = [port.base_signal for port in gateway.ports]
    gateway.set_signal(1, 99)
    seen_calls = 0
    for _ in range(2000):
        gateway.tick()
        seen_calls += sum(port.call_state is CallState.ACTIVE for port in gateway.ports)
        for port, base in zip(gateway.ports, bases, strict=True):
            if port.index == 1:
                assert port.signal == 99
            elif port.registration is RegState.REGISTERED:
                assert abs(port.signal - base) <= 4
        perf = gateway.performance
        assert 3 <= perf.cpu_used <= 95
        assert perf.memory_free + perf.memory_used == perf.memory_total
        assert 0 <= perf.memory_cached <= perf.memory_used
        assert 0 <= perf.flash_used <= perf.flash_total
    assert seen_calls > 0
    assert gateway.steps == 2000
    spent = [
        port.credit.remain_daily_connect
        for port in gateway.ports
        if port.registration is RegState.REGISTERED
    ]
    assert min(spent) < 100
    assert all(port.credit.remain_hourly_call_time >= 0 for port in gateway.ports)
    assert gateway.port(3).signal == 0  # no SIM: nothing drifts


def test_limits_refill() -> None:
    """Calls use up the port's limits; the hourly and daily limits refill."""
    gateway = SimGateway(ports=1, seed=11)
    port = gateway.port(0)
    gateway.tick(700)
    assert port.credit.remain_hourly_call_time < 10
    assert port.credit.remain_credit < 1000
    gateway.tick(20)  # one gateway hour
    assert port.credit.remain_hourly_call_time == 10
    assert port.credit.remain_daily_connect < 100
    gateway.tick(17280 - 720)  # one gateway day
    assert port.credit.remain_daily_connect == 100
    assert port.credit.remain_daily_credit == 300
    assert port.credit.remain_monthly_credit < 500


def test_call_state_hook() -> None:
    """A forced call state is kept until changed."""
    gateway = SimGateway(ports=1)
    gateway.set_call_state(0, "holding")
    gateway.tick(10)
    assert gateway.port(0).call_state is CallState.HOLDING


def test_reboot_comes_back() -> None:
    """After a reboot network ports search, then return to their previous state."""
    gateway = SimGateway(ports=8, seed=5)
    gateway.set_registration(0, RegState.DENIED)
    gateway.set_registration(1, RegState.PIN_REQUIRED)
    gateway.queue_sms(5)
    gateway.reboot()
    assert gateway.boot_count == 2
    assert gateway.sms_queue == 0
    assert gateway.port(0).registration is RegState.SEARCHING
    assert gateway.port(1).registration is RegState.PIN_REQUIRED
    assert gateway.port(2).registration is RegState.SEARCHING
    assert gateway.port(3).registration is RegState.NO_SIM
    gateway.tick(3)
    assert gateway.port(0).registration is RegState.DENIED
    assert gateway.port(2).registration is RegState.REGISTERED
    assert gateway.port(2).gprs_attached
    assert gateway.port(6).registration is RegState.SEARCHING


def test_inbox_ids_increase() -> None:
    """Incoming messages get increasing ids and the SIM's SMSC."""
    gateway = SimGateway(ports=4)
    first = gateway.receive_sms(0, "+447700900123", "hello")
    second = gateway.receive_sms(
        3, "6717", "no sim here", timestamp=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    )
    assert (first.sms_id, second.sms_id) == (1, 2)
    assert first.smsc == gateway.port(0).slots[0].smsc  # type: ignore[union-attr]
    assert second.smsc == ""
    assert second.timestamp.year == 2024
    assert gateway.inbox == [first, second]
    assert not first.read


def test_fault_injector_rules() -> None:
    """Validation and consumption order of faults."""
    with pytest.raises(ValueError, match="delay"):
        FaultInjector(-1)
    faults = FaultInjector()
    with pytest.raises(ValueError, match="count"):
        faults.add("drop", count=0)
    with pytest.raises(ValueError, match="seconds"):
        faults.slow(-1)
    with pytest.raises(ValueError, match="not a valid"):
        faults.add("explode")
    timeout = faults.timeout()
    assert timeout.seconds == 3600
    drop = faults.drop(count=2, path="/a")
    assert faults.take("/b", before_auth=True) is None
    assert faults.take("/b", before_auth=False) is timeout
    assert faults.take("/b", before_auth=False) is None
    assert faults.take("/a", before_auth=False) is drop
    assert drop.kind is FaultKind.DROP
    assert drop.remaining == 1
    assert faults.active == (drop,)


def test_authenticator_algorithms() -> None:
    """SHA-256 and -sess variants verify; unknown algorithms are refused."""
    with pytest.raises(ValueError, match="algorithm"):
        Authenticator(algorithm="SHA-1")
    for algorithm in ("SHA-256", "MD5-sess", "SHA-256-sess"):
        auth = Authenticator("digest", "admin", "pw", algorithm=algorithm)
        challenge = parse_auth_params(auth.challenge().removeprefix("Digest "))
        assert challenge["algorithm"] == algorithm
        response = auth.expected_response(
            method="GET",
            uri="/x?a=1%2C2",
            nonce=challenge["nonce"],
            nc="00000001",
            cnonce="c",
        )
        header = (
            f'Digest username="admin", realm="{auth.realm}", nonce="{challenge["nonce"]}", uri="/x?a=1%2C2", '
            f'response="{response}", opaque="{auth.opaque}", qop=auth, nc=00000001, cnonce="c", algorithm={algorithm}'
        )
        assert (
            auth.check(
                make_mocked_request(
                    "GET", "/x?a=1,2", headers={"Authorization": header}
                )
            )
            is None
        )


def test_nonce_store_is_bounded() -> None:
    """Old nonces are forgotten beyond max_nonces."""
    auth = Authenticator(max_nonces=2)
    nonces = [parse_auth_params(auth.challenge())["nonce"] for _ in range(3)]
    assert len(set(nonces)) == 3
    assert len(auth._nonces) == 2
    assert nonces[0] not in auth._nonces


def test_parse_auth_params() -> None:
    """Quoted strings with escapes and bare tokens."""
    params = parse_auth_params('Username="a\\"b", qop=auth, nc=00000001, empty=""')
    assert params == {"username": 'a"b', "qop": "auth", "nc": "00000001", "empty": ""}


def test_balance_and_unsolicited_ussd() -> None:
    """The SIM's credit can be set; the network can send USSD unasked."""
    gateway = SimGateway(ports=4)
    events: list[object] = []
    gateway.listeners.append(events.append)
    gateway.set_balance(0, 1.234)
    card = gateway.port(0).sim
    assert card is not None
    assert card.balance == 1.23
    for amount in (float("nan"), float("inf")):
        with pytest.raises(ValueError, match="finite"):
            gateway.set_balance(0, amount)
    with pytest.raises(ValueError, match="no SIM"):
        gateway.set_balance(3, 5)  # port 3 of every eight has none
    gateway.ussd.send(1, "*100#")
    reply = gateway.ussd.receive(1, "Promo")
    assert events == [reply]
    assert (reply.port, reply.code, reply.text) == (1, "", "Promo")
    assert gateway.ussd.last_reply(1) == "Promo"
    assert gateway.ussd.waiting(1)  # the request still waits for its answer
    with pytest.raises(IndexError):
        gateway.ussd.receive(4, "x")
    assert needs_sim(RegState.DENIED)
    assert not needs_sim(RegState.POWER_OFF)
