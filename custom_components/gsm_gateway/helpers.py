"""Build a gateway client from config entry data."""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping
import re
from typing import TYPE_CHECKING, Any, NamedTuple

from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
)
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.aiohttp_client import async_get_clientsession

from .api import (
    Capability,
    ConnectionConfig,
    GatewayArgumentError,
    GatewayAuthenticationError,
    GatewayCommandError,
    GatewayError,
    GatewayNotSupportedError,
    GsmGateway,
    Port,
    Registration,
    create_gateway,
)
from .const import DOMAIN, REQUEST_TIMEOUT

if TYPE_CHECKING:
    import probatio as vol
else:
    try:
        import probatio as vol
    except ImportError:  # pragma: no cover - Home Assistant before probatio
        import voluptuous as vol

__all__ = [
    "REGISTERED_STATES",
    "PortDevice",
    "build_gateway",
    "check_ports",
    "check_ports_ready",
    "check_supported",
    "connection_config",
    "device_port_number",
    "find_gateway_device_id",
    "find_port_device_id",
    "normalize_number",
    "port_device_identifier",
    "port_of_device",
    "registration_entity_id",
    "run_command",
    "translated_error",
    "vol",
]

# Between the gateway's identity and the port number in a port device's id.
_PORT_INFIX = "_port_"
# Registration sensor states in which a port is on a network.
REGISTERED_STATES: frozenset[str] = frozenset(
    {Registration.REGISTERED.value, Registration.ROAMING.value}
)
# The identifier value of a port's device: the gateway's identity, then the port.
_PORT_IDENTIFIER = re.compile(r"^.+_port_(?P<port>\d+)$")
# What people write inside phone numbers for readability.
_NUMBER_PUNCTUATION = re.compile(r"[\s\-.()/]")
# Why a port cannot send: the translation key for each state that says so.
_NOT_READY: dict[Registration, str] = {
    Registration.NO_SIM: "port_no_sim",
    Registration.POWER_OFF: "port_powered_off",
    Registration.NOT_REGISTERED: "port_not_registered",
    Registration.SEARCHING: "port_not_registered",
    Registration.DENIED: "port_not_registered",
    Registration.PIN_REQUIRED: "port_sim_locked",
    Registration.PUK_REQUIRED: "port_sim_locked",
}


def normalize_number(number: str) -> str:
    """A phone number as the gateway wants it: `+44 (0)7700-900.123` loses its spacing.

    Spaces, dashes, dots, slashes and parentheses are removed; what is left
    is validated by the caller.
    """
    return _NUMBER_PUNCTUATION.sub("", number)


def connection_config(data: Mapping[str, Any]) -> ConnectionConfig:
    """Connection settings from entry data or a flow's input."""
    port = data.get(CONF_PORT)
    return ConnectionConfig(
        host=data[CONF_HOST],
        port=int(port) if port else None,
        use_https=data.get(CONF_SSL, False),
        verify_ssl=data.get(CONF_VERIFY_SSL, False),
        username=data.get(CONF_USERNAME, ""),
        password=data.get(CONF_PASSWORD, ""),
        request_timeout=REQUEST_TIMEOUT,
    )


def build_gateway(
    hass: HomeAssistant, data: Mapping[str, Any], family: str
) -> GsmGateway:
    """A client on Home Assistant's shared session."""
    config = connection_config(data)
    session = async_get_clientsession(hass, verify_ssl=config.verify_ssl)
    return create_gateway(family, session, config)


def port_device_identifier(serial: str, port: int) -> tuple[str, str]:
    """The device registry identifier of one port."""
    return (DOMAIN, f"{serial}{_PORT_INFIX}{port}")


class PortDevice(NamedTuple):
    """A port's device, resolved: its gateway's entry, its port, its name."""

    entry_id: str
    port: int
    name: str


def port_of_device(hass: HomeAssistant, device_id: str) -> PortDevice:
    """The gateway entry and port a port device stands for.

    Refused with a translated error when the device does not exist, or is
    not a port of a GSM gateway (the gateway's own device, another
    integration's device).
    """
    device = dr.async_get(hass).async_get(device_id)
    if device is None:
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="device_not_found",
            translation_placeholders={"device_id": device_id},
        )
    name = device.name_by_user or device.name or device_id
    # Home Assistant 2026.10 gives a device one entry, `config_entry_id`.
    single: str | None = getattr(device, "config_entry_id", None)
    for entry_id in {single} if single is not None else device.config_entries:
        entry = hass.config_entries.async_get_entry(entry_id)
        if entry is None or entry.domain != DOMAIN or not entry.unique_id:
            continue
        prefix = f"{entry.unique_id}{_PORT_INFIX}"
        for domain, identifier in device.identifiers:
            number = identifier.removeprefix(prefix)
            if (
                domain == DOMAIN
                and number != identifier
                and number.isdecimal()
                and port_device_identifier(entry.unique_id, int(number))
                == (domain, identifier)
            ):
                return PortDevice(entry_id, int(number), name)
    raise ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key="not_a_port_device",
        translation_placeholders={"device": name},
    )


def find_port_device_id(
    hass: HomeAssistant, entry_id: str, identity: str, port: int
) -> str | None:
    """The device registry id of a port's device, if it has one."""
    identifier = port_device_identifier(identity, port)
    registry = dr.async_get(hass)
    for device in dr.async_entries_for_config_entry(registry, entry_id):
        if identifier in device.identifiers:
            return device.id
    return None


def find_gateway_device_id(hass: HomeAssistant, identity: str) -> str | None:
    """The device registry id of the gateway's own device, if it has one."""
    device = dr.async_get(hass).async_get_device(identifiers={(DOMAIN, identity)})
    return device.id if device is not None else None


def device_port_number(identifiers: Iterable[tuple[str, str]]) -> int | None:
    """The port a device (by its identifiers) stands for; None: not a port."""
    for domain, value in identifiers:
        if domain == DOMAIN and (match := _PORT_IDENTIFIER.match(value)):
            return int(match["port"])
    return None


def registration_entity_id(hass: HomeAssistant, device_id: str) -> str | None:
    """The entity id of a port device's network registration sensor."""
    for entity in er.async_entries_for_device(er.async_get(hass), device_id):
        if (
            entity.platform == DOMAIN
            and entity.domain == "sensor"
            and entity.translation_key == "registration"
        ):
            return entity.entity_id
    return None


def check_ports(known: Mapping[int, Port], ports: Iterable[int]) -> None:
    """Refuse port numbers the gateway does not have, before any request."""
    for port in ports:
        if port not in known:
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="invalid_port",
                translation_placeholders={
                    "port": str(port),
                    "ports": f"{min(known)}-{max(known)}" if known else "-",
                },
            )


def check_supported(gateway: GsmGateway, capability: Capability, action: str) -> None:
    """Refuse an action the gateway's family cannot do, before any request."""
    if not gateway.supports(capability):
        raise ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_supported",
            translation_placeholders={"feature": action},
        )


def check_ports_ready(known: Mapping[int, Port], ports: Iterable[int]) -> None:
    """Refuse a send or USSD on ports whose last known state cannot carry it.

    With no port given, the gateway picks one: refuse only when none is
    ready. A state the gateway did not report (unknown) is let through.
    """
    chosen = list(ports)
    if not chosen:
        if known and all(port.registration in _NOT_READY for port in known.values()):
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="no_port_ready"
            )
        return
    for number in chosen:
        port = known.get(number)
        if port is not None and (key := _NOT_READY.get(port.registration)):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key=key,
                translation_placeholders={
                    "port": str(number),
                    "state": port.registration.value,
                },
            )


async def run_command[T](awaitable: Awaitable[T]) -> T:
    """Run a command on the gateway; turn its failures into translated errors."""
    try:
        return await awaitable
    except GatewayError as err:
        raise translated_error(err) from err


def translated_error(err: GatewayError) -> HomeAssistantError:
    """The translated error a user sees for a client error."""
    if isinstance(err, GatewayNotSupportedError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="not_supported",
            translation_placeholders={"feature": err.feature},
        )
    if isinstance(err, GatewayArgumentError):
        return ServiceValidationError(
            translation_domain=DOMAIN,
            translation_key="invalid_argument",
            translation_placeholders={"argument": err.argument, "value": err.value},
        )
    if isinstance(err, GatewayCommandError):
        if err.reason:
            return HomeAssistantError(
                translation_domain=DOMAIN,
                translation_key="command_refused_reason",
                translation_placeholders={"code": str(err.code), "reason": err.reason},
            )
        return HomeAssistantError(
            translation_domain=DOMAIN,
            translation_key="command_refused",
            translation_placeholders={"code": str(err.code)},
        )
    if isinstance(err, GatewayAuthenticationError):
        return HomeAssistantError(
            translation_domain=DOMAIN, translation_key="invalid_auth"
        )
    return HomeAssistantError(
        translation_domain=DOMAIN,
        translation_key="communication_error",
        translation_placeholders={"error": str(err)},
    )
