"""Actions: port control, call forwarding, call records and the SIM toolkit."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import asdict
from typing import Any

from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.util import dt as dt_util

from .api import CallForwardMode, GsmGateway, SmsEncoding, StkView
from .const import DOMAIN
from .helpers import (
    check_ports,
    check_supported,
    run_command,
)
from .runtime import GsmGatewayConfigEntry
from .service_schemas import (
    ATTR_ACTION,
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


def _loaded_entry(hass: HomeAssistant, call: ServiceCall) -> GsmGatewayConfigEntry:
    """The gateway an action is for; optional when only one is set up."""
    entry_id: str | None = call.data.get(ATTR_GATEWAY)
    if entry_id is None:
        loaded = [
            entry
            for entry in hass.config_entries.async_entries(DOMAIN)
            if entry.state is ConfigEntryState.LOADED
        ]
        if len(loaded) != 1:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="gateway_required"
            )
        return loaded[0]
    entry = hass.config_entries.async_get_entry(entry_id)
    if entry is None or entry.domain != DOMAIN:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="gateway_not_found",
            translation_placeholders={"gateway": entry_id},
        )
    if entry.state is not ConfigEntryState.LOADED:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="gateway_not_loaded",
            translation_placeholders={"gateway": entry.title},
        )
    return entry


def _stk_response(port: int, view: StkView) -> ServiceResponse:
    return {
        "port": port,
        "title": view.title,
        "text": view.text,
        "input_type": view.input_type,
        "frame_id": view.frame_id,
        "items": [{"id": item.id, "text": item.text} for item in view.items],
    }


type Handler = Callable[
    [GsmGatewayConfigEntry, ServiceCall], Awaitable[ServiceResponse]
]


async def _power_port(
    entry: GsmGatewayConfigEntry, call: ServiceCall
) -> ServiceResponse:
    port = call.data[ATTR_PORT]
    await run_command(
        entry.runtime_data.gateway.async_set_port_power(
            port, call.data[ATTR_POWER] == "on"
        )
    )
    entry.runtime_data.ports.async_follow_up()
    return None


async def _reset_port(
    entry: GsmGatewayConfigEntry, call: ServiceCall
) -> ServiceResponse:
    await run_command(entry.runtime_data.gateway.async_reset_port(call.data[ATTR_PORT]))
    entry.runtime_data.ports.async_follow_up()
    return None


async def _switch_sim_slot(
    entry: GsmGatewayConfigEntry, call: ServiceCall
) -> ServiceResponse:
    port = call.data[ATTR_PORT]
    gateway = entry.runtime_data.gateway
    if entry.runtime_data.ports.data[port].sim_slot is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_multi_sim",
            translation_placeholders={"port": str(port)},
        )
    if call.data[ATTR_SLOT] not in gateway.sim_slots:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_slot",
            translation_placeholders={
                "slot": str(call.data[ATTR_SLOT]),
                "slots": ", ".join(str(slot) for slot in gateway.sim_slots),
            },
        )
    await run_command(
        entry.runtime_data.gateway.async_switch_sim_slot(port, call.data[ATTR_SLOT])
    )
    entry.runtime_data.ports.async_follow_up()
    return None


def _sim_lock(locked: bool) -> Handler:
    async def handler(
        entry: GsmGatewayConfigEntry, call: ServiceCall
    ) -> ServiceResponse:
        await run_command(
            entry.runtime_data.gateway.async_set_sim_lock(
                call.data[ATTR_PORT], call.data[ATTR_PIN], locked
            )
        )
        return None

    return handler


def _sim_block(blocked: bool) -> Handler:
    async def handler(
        entry: GsmGatewayConfigEntry, call: ServiceCall
    ) -> ServiceResponse:
        await run_command(
            entry.runtime_data.gateway.async_set_sim_blocked(
                call.data[ATTR_PORT], blocked
            )
        )
        entry.runtime_data.ports.async_follow_up()
        return None

    return handler


async def _set_call_forward(
    entry: GsmGatewayConfigEntry, call: ServiceCall
) -> ServiceResponse:
    mode = CallForwardMode(call.data[ATTR_MODE])
    number = call.data.get(ATTR_NUMBER)
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
        entry.runtime_data.gateway.async_set_call_forward(
            call.data[ATTR_PORT], mode, number
        )
    )
    return None


async def _get_call_forward(
    entry: GsmGatewayConfigEntry, call: ServiceCall
) -> ServiceResponse:
    port = call.data[ATTR_PORT]
    forwarding = await run_command(
        entry.runtime_data.gateway.async_get_call_forward(port)
    )
    return {"port": port, "forwarding": dict(forwarding)}


def _task_action(
    command: Callable[[GsmGateway, str], Awaitable[None]],
) -> Handler:
    """An action on one of the gateway's bulk send tasks."""

    async def handler(
        entry: GsmGatewayConfigEntry, call: ServiceCall
    ) -> ServiceResponse:
        await run_command(command(entry.runtime_data.gateway, call.data[ATTR_TASK_ID]))
        return None

    return handler


async def _reboot_gateway(
    entry: GsmGatewayConfigEntry, call: ServiceCall
) -> ServiceResponse:
    await run_command(entry.runtime_data.gateway.async_reboot())
    entry.runtime_data.ports.async_follow_up()
    return None


async def _redial_port(
    entry: GsmGatewayConfigEntry, call: ServiceCall
) -> ServiceResponse:
    await run_command(
        entry.runtime_data.gateway.async_redial(
            call.data[ATTR_PORT], fast=call.data[ATTR_MODE] == "fast"
        )
    )
    entry.runtime_data.ports.async_follow_up()
    return None


async def _get_cdr(entry: GsmGatewayConfigEntry, call: ServiceCall) -> ServiceResponse:
    ports: list[int] | None = call.data.get(ATTR_PORT)
    if ports:
        check_ports(entry.runtime_data.ports.data, ports)
    start, end = call.data.get(ATTR_START), call.data.get(ATTR_END)
    records = await run_command(
        entry.runtime_data.gateway.async_get_cdr(
            ports,
            dt_util.as_local(start) if start else None,
            dt_util.as_local(end) if end else None,
        )
    )
    return {"records": [asdict(record) for record in records]}


async def _stk_menu(entry: GsmGatewayConfigEntry, call: ServiceCall) -> ServiceResponse:
    port = call.data[ATTR_PORT]
    return _stk_response(
        port, await run_command(entry.runtime_data.gateway.async_stk_view(port))
    )


async def _stk_select(
    entry: GsmGatewayConfigEntry, call: ServiceCall
) -> ServiceResponse:
    port = call.data[ATTR_PORT]
    if ATTR_ITEM not in call.data and ATTR_ACTION not in call.data:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="stk_choice_required"
        )
    view = await run_command(
        entry.runtime_data.gateway.async_stk_select(
            port,
            item=call.data.get(ATTR_ITEM),
            action=call.data.get(ATTR_ACTION),
            param=call.data.get(ATTR_PARAM),
        )
    )
    return _stk_response(port, view)


async def _send_sms(entry: GsmGatewayConfigEntry, call: ServiceCall) -> ServiceResponse:
    result = await entry.runtime_data.messaging.async_send(
        call.data[ATTR_TO],
        call.data[ATTR_MESSAGE],
        ports=call.data.get(ATTR_PORT),
        encoding=SmsEncoding(call.data[ATTR_ENCODING]),
        delivery_report=call.data[ATTR_DELIVERY_REPORT],
    )
    return result if call.return_response else None


async def _send_ussd(
    entry: GsmGatewayConfigEntry, call: ServiceCall
) -> ServiceResponse:
    port = call.data[ATTR_PORT]
    reply = await entry.runtime_data.messaging.async_ussd(
        port, call.data[ATTR_CODE], call.data[ATTR_TIMEOUT]
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
            entry = _loaded_entry(hass, call)
            check_supported(entry.runtime_data.gateway, NEEDS[name], name)
            if ATTR_PORT in call.data and isinstance(call.data[ATTR_PORT], int):
                check_ports(entry.runtime_data.ports.data, [call.data[ATTR_PORT]])
            return await handler(entry, call)

        return run

    for name, (handler, supports_response) in HANDLERS.items():
        hass.services.async_register(
            DOMAIN,
            name,
            bind(name, handler),
            schema=SCHEMAS[name],
            supports_response=supports_response,
        )
