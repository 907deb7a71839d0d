"""Actions: sending, port control, call forwarding, records, stored SMS, SIM toolkit.

Actions on ports take the port's number (with the gateway when several are
set up) or the port's device, which stands for both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import asdict
from datetime import datetime
from typing import Any

from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .api import CallForwardMode, GsmGateway, SmsBox, SmsEncoding, StkView
from .const import DOMAIN
from .helpers import (
    check_ports,
    check_supported,
    run_command,
)
from .runtime import GsmGatewayConfigEntry
from .service_schemas import (
    ATTR_ACTION,
    ATTR_ALL,
    ATTR_BOX,
    ATTR_CODE,
    ATTR_DELIVERY_REPORT,
    ATTR_ENCODING,
    ATTR_END,
    ATTR_GATEWAY,
    ATTR_ITEM,
    ATTR_MESSAGE,
    ATTR_MODE,
    ATTR_NUMBER,
    ATTR_PARAM,
    ATTR_PIN,
    ATTR_PORT,
    ATTR_POWER,
    ATTR_SLOT,
    ATTR_START,
    ATTR_TASK_ID,
    ATTR_TIMEOUT,
    ATTR_TO,
    NEEDS,
    SCHEMAS,
)
from .targets import loaded_entry, settle_target


def _stk_response(port: int, view: StkView) -> ServiceResponse:
    return {
        "port": port,
        "title": view.title,
        "text": view.text,
        "input_type": view.input_type,
        "frame_id": view.frame_id,
        "items": [{"id": item.id, "text": item.text} for item in view.items],
    }


# An action's fields once its target is settled (devices turned into ports).


type ActionData = Mapping[str, Any]
type Handler = Callable[[GsmGatewayConfigEntry, ActionData], Awaitable[ServiceResponse]]


async def _power_port(
    entry: GsmGatewayConfigEntry, data: ActionData
) -> ServiceResponse:
    port = data[ATTR_PORT]
    await run_command(
        entry.runtime_data.gateway.async_set_port_power(port, data[ATTR_POWER] == "on")
    )
    entry.runtime_data.ports.async_follow_up()
    return None


async def _reset_port(
    entry: GsmGatewayConfigEntry, data: ActionData
) -> ServiceResponse:
    await run_command(entry.runtime_data.gateway.async_reset_port(data[ATTR_PORT]))
    entry.runtime_data.ports.async_follow_up()
    return None


async def _switch_sim_slot(
    entry: GsmGatewayConfigEntry, data: ActionData
) -> ServiceResponse:
    port = data[ATTR_PORT]
    gateway = entry.runtime_data.gateway
    if entry.runtime_data.ports.data[port].sim_slot is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_multi_sim",
            translation_placeholders={"port": str(port)},
        )
    if data[ATTR_SLOT] not in gateway.sim_slots:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_slot",
            translation_placeholders={
                "slot": str(data[ATTR_SLOT]),
                "slots": ", ".join(str(slot) for slot in gateway.sim_slots),
            },
        )
    await run_command(
        entry.runtime_data.gateway.async_switch_sim_slot(port, data[ATTR_SLOT])
    )
    entry.runtime_data.ports.async_follow_up()
    return None


def _sim_lock(locked: bool) -> Handler:
    async def handler(
        entry: GsmGatewayConfigEntry, data: ActionData
    ) -> ServiceResponse:
        await run_command(
            entry.runtime_data.gateway.async_set_sim_lock(
                data[ATTR_PORT], data[ATTR_PIN], locked
            )
        )
        return None

    return handler


def _sim_block(blocked: bool) -> Handler:
    async def handler(
        entry: GsmGatewayConfigEntry, data: ActionData
    ) -> ServiceResponse:
        await run_command(
            entry.runtime_data.gateway.async_set_sim_blocked(data[ATTR_PORT], blocked)
        )
        entry.runtime_data.ports.async_follow_up()
        return None

    return handler


async def _set_call_forward(
    entry: GsmGatewayConfigEntry, data: ActionData
) -> ServiceResponse:
    mode = CallForwardMode(data[ATTR_MODE])
    number = data.get(ATTR_NUMBER)
    if mode is not CallForwardMode.CANCEL_ALL and not number:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="forward_number_required"
        )
    limit = entry.runtime_data.gateway.max_number_length
    if number and len(number) > limit:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_number",
            translation_placeholders={"number": number[:40], "limit": str(limit)},
        )
    await run_command(
        entry.runtime_data.gateway.async_set_call_forward(data[ATTR_PORT], mode, number)
    )
    return None


async def _get_call_forward(
    entry: GsmGatewayConfigEntry, data: ActionData
) -> ServiceResponse:
    port = data[ATTR_PORT]
    forwarding = await run_command(
        entry.runtime_data.gateway.async_get_call_forward(port)
    )
    return {"port": port, "forwarding": dict(forwarding)}


def _task_action(
    command: Callable[[GsmGateway, str], Awaitable[None]],
) -> Handler:
    """An action on one of the gateway's bulk send tasks."""

    async def handler(
        entry: GsmGatewayConfigEntry, data: ActionData
    ) -> ServiceResponse:
        await run_command(command(entry.runtime_data.gateway, data[ATTR_TASK_ID]))
        return None

    return handler


async def _reboot_gateway(
    entry: GsmGatewayConfigEntry, data: ActionData
) -> ServiceResponse:
    await run_command(entry.runtime_data.gateway.async_reboot())
    entry.runtime_data.ports.async_follow_up()
    return None


async def _redial_port(
    entry: GsmGatewayConfigEntry, data: ActionData
) -> ServiceResponse:
    await run_command(
        entry.runtime_data.gateway.async_redial(
            data[ATTR_PORT], fast=data[ATTR_MODE] == "fast"
        )
    )
    entry.runtime_data.ports.async_follow_up()
    return None


async def _get_cdr(entry: GsmGatewayConfigEntry, data: ActionData) -> ServiceResponse:
    ports: list[int] | None = data.get(ATTR_PORT)
    if ports:
        check_ports(entry.runtime_data.ports.data, ports)
    start, end = data.get(ATTR_START), data.get(ATTR_END)
    records = await run_command(
        entry.runtime_data.gateway.async_get_cdr(
            ports,
            dt_util.as_local(start) if start else None,
            dt_util.as_local(end) if end else None,
        )
    )
    return {"records": [asdict(record) for record in records]}


def _device_clock(value: datetime | None) -> datetime | None:
    """A time as the gateway's clock reads it: local, without a zone."""
    if value is None or value.tzinfo is None:
        return value
    return dt_util.as_local(value).replace(tzinfo=None)


async def _delete_sms(
    entry: GsmGatewayConfigEntry, data: ActionData
) -> ServiceResponse:
    """Delete stored SMS matching every filter given, or a whole box."""
    ports: list[int] | None = data.get(ATTR_PORT) or None
    number: str | None = data.get(ATTR_NUMBER)
    start = _device_clock(data.get(ATTR_START))
    end = _device_clock(data.get(ATTR_END))
    filtered = any(value is not None for value in (ports, number, start, end))
    if data[ATTR_ALL] and filtered:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="delete_all_with_filters"
        )
    if not data[ATTR_ALL] and not filtered:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="delete_filter_required"
        )
    if start and end and start > end:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_time_range",
            translation_placeholders={"start": str(start), "end": str(end)},
        )
    if ports:
        check_ports(entry.runtime_data.ports.data, ports)
    deleted = await run_command(
        entry.runtime_data.gateway.async_delete_sms(
            SmsBox(data[ATTR_BOX]),
            ports=ports,
            number=number,
            start=start,
            end=end,
            everything=data[ATTR_ALL],
        )
    )
    return {"deleted": deleted}


async def _stk_menu(entry: GsmGatewayConfigEntry, data: ActionData) -> ServiceResponse:
    port = data[ATTR_PORT]
    return _stk_response(
        port, await run_command(entry.runtime_data.gateway.async_stk_view(port))
    )


async def _stk_select(
    entry: GsmGatewayConfigEntry, data: ActionData
) -> ServiceResponse:
    port = data[ATTR_PORT]
    if ATTR_ITEM not in data and ATTR_ACTION not in data:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="stk_choice_required"
        )
    view = await run_command(
        entry.runtime_data.gateway.async_stk_select(
            port,
            item=data.get(ATTR_ITEM),
            action=data.get(ATTR_ACTION),
            param=data.get(ATTR_PARAM),
        )
    )
    return _stk_response(port, view)


async def _send_sms(entry: GsmGatewayConfigEntry, data: ActionData) -> ServiceResponse:
    return await entry.runtime_data.messaging.async_send(
        data[ATTR_TO],
        data[ATTR_MESSAGE],
        ports=data.get(ATTR_PORT),
        encoding=SmsEncoding(data[ATTR_ENCODING]),
        delivery_report=data[ATTR_DELIVERY_REPORT],
    )


async def _send_ussd(entry: GsmGatewayConfigEntry, data: ActionData) -> ServiceResponse:
    port = data[ATTR_PORT]
    reply = await entry.runtime_data.messaging.async_ussd(
        port, data[ATTR_CODE], data[ATTR_TIMEOUT]
    )
    return {"port": port, "reply": reply}


HANDLERS: dict[str, tuple[Handler, SupportsResponse]] = {
    "send_sms": (_send_sms, SupportsResponse.OPTIONAL),
    "send_ussd": (_send_ussd, SupportsResponse.OPTIONAL),
    "power_port": (_power_port, SupportsResponse.NONE),
    "reset_port": (_reset_port, SupportsResponse.NONE),
    "switch_sim_slot": (_switch_sim_slot, SupportsResponse.NONE),
    "lock_sim": (_sim_lock(locked=True), SupportsResponse.NONE),
    "unlock_sim": (_sim_lock(locked=False), SupportsResponse.NONE),
    "block_sim": (_sim_block(blocked=True), SupportsResponse.NONE),
    "unblock_sim": (_sim_block(blocked=False), SupportsResponse.NONE),
    "set_call_forward": (_set_call_forward, SupportsResponse.NONE),
    "get_call_forward": (_get_call_forward, SupportsResponse.ONLY),
    "stop_sms_task": (
        _task_action(lambda gateway, task: gateway.async_stop_sms_task(task)),
        SupportsResponse.NONE,
    ),
    "pause_sms_task": (
        _task_action(lambda gateway, task: gateway.async_pause_sms_task(task)),
        SupportsResponse.NONE,
    ),
    "resume_sms_task": (
        _task_action(lambda gateway, task: gateway.async_resume_sms_task(task)),
        SupportsResponse.NONE,
    ),
    "reboot_gateway": (_reboot_gateway, SupportsResponse.NONE),
    "redial_port": (_redial_port, SupportsResponse.NONE),
    "get_cdr": (_get_cdr, SupportsResponse.ONLY),
    "delete_sms": (_delete_sms, SupportsResponse.OPTIONAL),
    "stk_menu": (_stk_menu, SupportsResponse.ONLY),
    "stk_select": (_stk_select, SupportsResponse.ONLY),
}


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions (once, for every gateway)."""

    def bind(
        name: str, handler: Handler
    ) -> Callable[[ServiceCall], Coroutine[Any, Any, ServiceResponse]]:
        async def run(call: ServiceCall) -> ServiceResponse:
            data = settle_target(hass, name, dict(call.data))
            entry = loaded_entry(hass, data.get(ATTR_GATEWAY))
            check_supported(entry.runtime_data.gateway, NEEDS[name], name)
            if isinstance(port := data.get(ATTR_PORT), int):
                check_ports(entry.runtime_data.ports.data, [port])
            return await handler(entry, data)

        return run

    for name, (handler, supports_response) in HANDLERS.items():
        hass.services.async_register(
            DOMAIN,
            name,
            bind(name, handler),
            schema=SCHEMAS[name],
            supports_response=supports_response,
        )
