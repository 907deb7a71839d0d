"""Client messaging and control calls with partial or odd device answers."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import ClassVar

import aiohttp
import pytest

from custom_components.gsm_gateway.api import (
    CallForwardMode,
    ConnectionConfig,
    GatewayNotSupportedError,
    GatewayResponseError,
    GsmGateway,
    UssdStatus,
    create_gateway,
)
from custom_components.gsm_gateway.api.dinstar import DinstarGateway
from custom_components.gsm_gateway.api.models import DeviceStatus, GatewayInfo, Port
from custom_components.gsm_gateway.api.transport import AuthMode
from gsm_simulator.server import Simulator


@pytest.fixture
async def gateway(
    socket_enabled: None, simulator: Simulator
) -> AsyncGenerator[DinstarGateway]:
    async with aiohttp.ClientSession() as session:
        client = create_gateway(
            "dinstar",
            session,
            ConnectionConfig(
                host="127.0.0.1",
                port=simulator.port,
                username="admin",
                password="admin",
            ),
        )
        assert isinstance(client, DinstarGateway)
        yield client


def answer(sim: Simulator, path: str, body: str) -> None:
    full = body if body.startswith("{") else "{" + body + "}"
    sim.faults.add("malformed_json", body=full.encode(), path=path)


async def test_inbox_answers(gateway: DinstarGateway, simulator: Simulator) -> None:
    answer(simulator, "/api/query_incoming_sms", '"error_code":200,"sn":"x"')
    assert await gateway.async_get_incoming_sms(0) == []
    answer(simulator, "/api/query_incoming_sms", '"error_code":200,"sn":"x","sms":5')
    with pytest.raises(GatewayResponseError):
        await gateway.async_get_incoming_sms(0)
    answer(
        simulator,
        "/api/query_incoming_sms",
        '"error_code":200,"sn":"x","sms":[{"incoming_sms_id":3,"port":1,"number":"1",'
        '"text":"b","timestamp":"yesterday"},{"incoming_sms_id":2,"port":1,"number":"1",'
        '"text":"a","timestamp":"2026-01-02 03:04:05"},{"incoming_sms_id":1,"port":1,'
        '"number":"1","text":"old"},{"incoming_sms_id":4,"port":40,"number":"1","text":"x"},'
        '{"port":1,"number":"1","text":"no id"},{"incoming_sms_id":5,"port":1,"text":"x"}]',
    )
    messages = await gateway.async_get_incoming_sms(1)
    assert [(m.message_id, m.text) for m in messages] == [(2, "a"), (3, "b")]
    assert messages[0].timestamp == datetime(2026, 1, 2, 3, 4, 5)
    assert messages[1].timestamp is None


async def test_ussd_answers(gateway: DinstarGateway, simulator: Simulator) -> None:
    answer(
        simulator,
        "/api/send_ussd",
        '"error_code":202,"sn":"x","result":[{"port":7,"status":486}]',
    )
    assert (await gateway.async_send_ussd(1, "*100#")).status is UssdStatus.SENT
    answer(
        simulator,
        "/api/send_ussd",
        '"error_code":202,"sn":"x","result":[{"port":1,"status":999}]',
    )
    assert (await gateway.async_send_ussd(1, "*100#")).status is UssdStatus.FAILED
    answer(
        simulator,
        "/api/query_ussd_reply",
        '"error_code":200,"sn":"x","reply":[{"port":2,"text":"hi"}]',
    )
    assert await gateway.async_get_ussd_reply(1) is None
    # The spec's own example writes "error code" with a space.
    answer(
        simulator,
        "/api/query_ussd_reply",
        '"error code":200,"sn":"x","reply":[{"port":1,"text":"hi"}]',
    )
    assert await gateway.async_get_ussd_reply(1) == "hi"


async def test_reports_and_records_answers(
    gateway: DinstarGateway, simulator: Simulator
) -> None:
    answer(simulator, "/api/query_sms_result", '"error_code":200,"sn":"x","result":{}')
    with pytest.raises(GatewayResponseError):
        await gateway.async_get_sms_reports(["1"])
    answer(
        simulator,
        "/api/query_sms_result",
        '"error_code":200,"sn":"x","result":[{"user_id":1},{"port":0,"user_id":2,'
        '"number":"10086","status":"SENT_OK","count":2,"ref_id":9}]',
    )
    reports = await gateway.async_get_sms_reports(["1", "2"])
    assert [(r.handle, r.segments, r.reference) for r in reports] == [("2", 2, 9)]
    # Handles that are no Dinstar user id are not asked for.
    assert await gateway.async_get_sms_reports(["task-7"]) == []
    answer(simulator, "/api/get_cdr", '"error_code":200,"sn":"x"')
    with pytest.raises(GatewayResponseError):
        await gateway.async_get_cdr(before=datetime(2026, 1, 1))
    request = simulator.requests[-1]
    assert request.body == b'{"time_before": "2026-01-01 00:00:00"}'
    answer(
        simulator,
        "/api/get_cdr",
        '"error_code":200,"sn":"x","cdr":[{"duration":1},{"port":3}]',
    )
    assert [r.port for r in await gateway.async_get_cdr()] == [3]


async def test_call_forward_answer_for_other_ports(
    gateway: DinstarGateway, simulator: Simulator
) -> None:
    gateway.call_forward_settle = 0
    answer(
        simulator,
        "/api/get_port_info",
        '"error_code":200,"sn":"x","info":[{"port":5,"CallForwarding":{"Busy":"1"}},'
        '{"port":0,"CallForwarding":{"Busy":"2","Weird":"3"}}]',
    )
    assert await gateway.async_get_call_forward(0) == {"busy": "2", "Weird": "3"}


async def test_stk_param(gateway: DinstarGateway, simulator: Simulator) -> None:
    port = next(p.index for p in simulator.state.ports if p.sim is not None)
    await gateway.async_stk_select(port, item=1, param="42")
    posts = [r for r in simulator.requests if r.path == "/STKGo"]
    assert posts[-1].body == f'{{"port": {port}, "item": 1, "param": "42"}}'.encode()


@pytest.mark.parametrize(
    "body",
    [
        b'{"sn":"x","sms_result":[{"number":"1"}]}',
        b'{"sn":"x","sms_deliver_status":[{"ref_id":1,"status_code":0}]}',
        b'{"sn":"x","ussd":[{"text":"x"}]}',
        b'{"sn":"x","register":[{"status":"up"}]}',
        b'{"sn":"x","cdr":[{"duration":3}]}',
        b'{"sn":"x","device":[1]}',
    ],
)
def test_push_entries_without_port_are_invalid(body: bytes) -> None:
    client = DinstarGateway.__new__(DinstarGateway)
    with pytest.raises(GatewayResponseError):
        client.parse_push(body)


def test_push_details_are_flat_and_bounded() -> None:
    client = DinstarGateway.__new__(DinstarGateway)
    push = client.parse_push(
        b'{"sn":"x","exception_info":{"port":1,"flag":true,"none":null,'
        b'"nested":{"a":1},"long":"' + b"y" * 500 + b'"}}'
    )
    details = push.events[0].details  # type: ignore[union-attr]
    assert details["flag"] == 1
    assert details["none"] is None
    assert details["nested"] is None
    assert len(str(details["long"])) == 128


class _Minimal(GsmGateway):
    """A vendor with only the required calls."""

    family: ClassVar[str] = "minimal-test"
    label: ClassVar[str] = "Minimal"
    manufacturer: ClassVar[str] = "Test"
    auth_mode: ClassVar[AuthMode] = AuthMode.NONE

    async def async_probe(self) -> GatewayInfo:
        raise NotImplementedError

    async def async_get_info(self) -> GatewayInfo:
        raise NotImplementedError

    async def async_get_ports(self) -> list[Port]:
        raise NotImplementedError

    async def async_get_status(self) -> DeviceStatus:
        raise NotImplementedError

    async def async_get_sms_queue(self) -> int:
        raise NotImplementedError


async def test_vendor_without_optional_features() -> None:
    async with aiohttp.ClientSession() as session:
        vendor = _Minimal(session, ConnectionConfig(host="127.0.0.1"))
        calls = [
            vendor.async_send_sms("x", []),
            vendor.async_get_sms_reports(["1"]),
            vendor.async_get_inbox(None),
            vendor.async_register_push("http://127.0.0.1/hook"),
            vendor.async_unregister_push(),
            vendor.async_send_ussd(0, "*1#"),
            vendor.async_get_ussd_reply(0),
            vendor.async_set_port_power(0, True),
            vendor.async_reset_port(0),
            vendor.async_switch_sim_slot(0, 1),
            vendor.async_set_sim_lock(0, "1234", True),
            vendor.async_set_sim_blocked(0, True),
            vendor.async_set_call_forward(0, CallForwardMode.BUSY, "1"),
            vendor.async_get_call_forward(0),
            vendor.async_stop_sms_task("1"),
            vendor.async_pause_sms_task("1"),
            vendor.async_resume_sms_task("1"),
            vendor.async_reboot(),
            vendor.async_redial(0, fast=True),
            vendor.async_get_statistics(),
            vendor.async_get_cdr(),
            vendor.async_stk_view(0),
            vendor.async_stk_select(0, item=1),
        ]
        features = set()
        for pending in calls:
            with pytest.raises(GatewayNotSupportedError) as err:
                await pending
            features.add(err.value.feature)
            assert err.value.feature in str(err.value)
        with pytest.raises(GatewayNotSupportedError):
            vendor.parse_push(b"{}")
    # The 13 of the first version, push registration, task pause and resume,
    # reboot, redial and statistics.
    assert len(features) == 19
