"""delete_sms: stored SMS deleted by box and filters, where the family can."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
import json
from pathlib import Path
from typing import Any, ClassVar
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.gsm_gateway.api import (
    FAMILIES,
    Capability,
    GatewayCommandError,
    SmsBox,
)
from custom_components.gsm_gateway.api.dinstar import DinstarGateway
from custom_components.gsm_gateway.api.ejoin import EjoinGateway
from custom_components.gsm_gateway.const import DOMAIN
from custom_components.gsm_gateway.helpers import find_port_device_id, vol
from gsm_simulator.server import Simulator

from .conftest import entry_data

COMPONENT = Path(__file__).parent.parent / "custom_components" / DOMAIN


class DeletingGateway(DinstarGateway):
    """A test-only family: Dinstar's wire, plus deleting stored SMS."""

    family: ClassVar[str] = "test_delete"
    label: ClassVar[str] = "Test family that deletes stored SMS"
    capabilities: ClassVar[frozenset[Capability]] = DinstarGateway.capabilities | {
        Capability.DELETE_SMS
    }

    deletions: list[dict[str, Any]]
    answer: int | Exception = 3

    async def async_delete_sms(
        self,
        box: SmsBox,
        *,
        ports: Sequence[int] | None = None,
        number: str | None = None,
        start: datetime | None = None,
        end: datetime | None = None,
        everything: bool = False,
    ) -> int:
        """Record what was asked; answer with a count or a refusal."""
        self.deletions.append(
            {
                "box": box,
                "ports": ports,
                "number": number,
                "start": start,
                "end": end,
                "everything": everything,
            }
        )
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture
def deleting_family() -> Iterator[None]:
    with patch.dict(FAMILIES, {"test_delete": DeletingGateway}):  # type: ignore[arg-type]
        yield


@pytest.fixture
async def entry(
    hass: HomeAssistant, simulator: Simulator, deleting_family: None
) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="Office",
        unique_id=simulator.serial,
        data=entry_data(simulator, api_family="test_delete"),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


@pytest.fixture
def gateway(entry: MockConfigEntry) -> DeletingGateway:
    client = entry.runtime_data.gateway
    assert isinstance(client, DeletingGateway)
    client.deletions = []
    return client


def asked(
    box: SmsBox = SmsBox.INBOX,
    ports: list[int] | None = None,
    number: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    everything: bool = False,
) -> dict[str, Any]:
    return {
        "box": box,
        "ports": ports,
        "number": number,
        "start": start,
        "end": end,
        "everything": everything,
    }


async def delete(hass: HomeAssistant, data: dict[str, Any]) -> Any:
    return await hass.services.async_call(
        DOMAIN, "delete_sms", data, blocking=True, return_response=True
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"box": "inbox", "all": True}, asked(everything=True)),
        ({"box": "outbox", "port": 2}, asked(SmsBox.OUTBOX, ports=[2])),
        ({"box": "both", "port": [1, 3]}, asked(SmsBox.BOTH, ports=[1, 3])),
        (
            {"box": "inbox", "number": "+44 7700-900.123"},
            asked(number="+447700900123"),
        ),
        ({"box": "inbox", "number": " VODAFONE "}, asked(number="VODAFONE")),
        ({"box": "inbox", "number": 10086}, asked(number="10086")),
        (
            {"box": "inbox", "start": "2026-11-01 08:00:00"},
            asked(start=datetime(2026, 11, 1, 8)),
        ),
        (
            {
                "box": "outbox",
                "port": [0],
                "number": "10086",
                "start": "2026-11-01 08:00:00",
                "end": "2026-11-02 08:00:00",
            },
            asked(
                SmsBox.OUTBOX,
                ports=[0],
                number="10086",
                start=datetime(2026, 11, 1, 8),
                end=datetime(2026, 11, 2, 8),
            ),
        ),
    ],
)
async def test_delete_asks_the_family(
    hass: HomeAssistant,
    gateway: DeletingGateway,
    data: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    assert await delete(hass, data) == {"deleted": 3}
    assert gateway.deletions == [expected]


async def test_times_with_a_zone_are_read_on_the_local_clock(
    hass: HomeAssistant, gateway: DeletingGateway
) -> None:
    await delete(hass, {"box": "inbox", "end": "2026-06-01T10:00:00+00:00"})
    local = dt_util.as_local(datetime.fromisoformat("2026-06-01T10:00:00+00:00"))
    assert gateway.deletions == [asked(end=local.replace(tzinfo=None))]
    assert gateway.deletions[0]["end"].tzinfo is None


async def test_port_devices_name_the_ports(
    hass: HomeAssistant, entry: MockConfigEntry, gateway: DeletingGateway
) -> None:
    devices = [
        find_port_device_id(hass, entry.entry_id, entry.unique_id or "", port)
        for port in (4, 1)
    ]
    await delete(hass, {"box": "both", "device_id": devices})
    assert gateway.deletions == [asked(SmsBox.BOTH, ports=[4, 1])]


async def test_without_a_response_requested(
    hass: HomeAssistant, gateway: DeletingGateway
) -> None:
    gateway.answer = 0
    result = await hass.services.async_call(
        DOMAIN, "delete_sms", {"box": "outbox", "all": True}, blocking=True
    )
    assert result is None
    assert gateway.deletions == [asked(SmsBox.OUTBOX, everything=True)]


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"box": "inbox", "all": True, "port": [1]}, "delete_all_with_filters"),
        ({"box": "inbox", "all": True, "number": "10086"}, "delete_all_with_filters"),
        (
            {"box": "inbox", "all": True, "start": "2026-11-01 08:00:00"},
            "delete_all_with_filters",
        ),
        (
            {"box": "inbox", "all": True, "end": "2026-11-01 08:00:00"},
            "delete_all_with_filters",
        ),
        ({"box": "inbox"}, "delete_filter_required"),
        ({"box": "inbox", "all": False, "port": []}, "delete_filter_required"),
        (
            {
                "box": "inbox",
                "start": "2026-11-02 08:00:00",
                "end": "2026-11-01 08:00:00",
            },
            "invalid_time_range",
        ),
        ({"box": "inbox", "port": [1, 8]}, "invalid_port"),
    ],
)
async def test_refused_before_asking(
    hass: HomeAssistant, gateway: DeletingGateway, data: dict[str, Any], key: str
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await delete(hass, data)
    assert err.value.translation_key == key
    assert str(err.value)
    assert gateway.deletions == []


async def test_all_with_a_port_device_refused(
    hass: HomeAssistant, entry: MockConfigEntry, gateway: DeletingGateway
) -> None:
    device = find_port_device_id(hass, entry.entry_id, entry.unique_id or "", 1)
    with pytest.raises(ServiceValidationError) as err:
        await delete(hass, {"box": "inbox", "all": True, "device_id": device})
    assert err.value.translation_key == "delete_all_with_filters"
    assert gateway.deletions == []


@pytest.mark.parametrize(
    "data",
    [
        {"box": "drafts", "all": True},
        {"all": True},
        {"box": "inbox", "number": "   "},
        {"box": "inbox", "start": "yesterday"},
    ],
)
async def test_invalid_fields(
    hass: HomeAssistant, gateway: DeletingGateway, data: dict[str, Any]
) -> None:
    with pytest.raises(vol.Invalid):
        await delete(hass, data)
    assert gateway.deletions == []


async def test_refusal_by_the_gateway(
    hass: HomeAssistant, gateway: DeletingGateway
) -> None:
    gateway.answer = GatewayCommandError("refused", code=500)
    with pytest.raises(HomeAssistantError) as err:
        await delete(hass, {"box": "inbox", "all": True})
    assert err.value.translation_key == "command_refused"
    assert err.value.translation_placeholders == {"code": "500"}


async def test_not_supported_on_dinstar(
    hass: HomeAssistant, simulator: Simulator, init_integration: MockConfigEntry
) -> None:
    simulator.clear_requests()
    with pytest.raises(ServiceValidationError) as err:
        await delete(hass, {"box": "inbox", "all": True})
    assert err.value.translation_key == "not_supported"
    assert str(err.value).startswith("This gateway does not support delete_sms")
    assert simulator.requests == []


def test_families_without_deletion() -> None:
    assert not DinstarGateway.supports(Capability.DELETE_SMS)
    assert not EjoinGateway.supports(Capability.DELETE_SMS)


def test_action_is_described() -> None:
    fields = yaml.safe_load((COMPONENT / "services.yaml").read_text())["delete_sms"][
        "fields"
    ]
    strings = json.loads((COMPONENT / "strings.json").read_text())
    icons = json.loads((COMPONENT / "icons.json").read_text())
    texts = strings["services"]["delete_sms"]
    assert set(texts["fields"]) == set(fields)
    assert fields["box"]["required"] is True
    assert fields["start"]["selector"] == {"datetime": None}
    boxes = fields["box"]["selector"]["select"]["options"]
    assert set(strings["selector"]["sms_box"]["options"]) == set(boxes)
    assert icons["services"]["delete_sms"]["service"].startswith("mdi:")
    for key in (
        "delete_all_with_filters",
        "delete_filter_required",
        "invalid_time_range",
    ):
        assert strings["exceptions"][key]["message"]
