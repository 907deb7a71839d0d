"""Config flow: find the gateway, check it answers, and keep it current."""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigEntryState,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentry,
    ConfigSubentryFlow,
    OptionsFlow,
    SubentryFlowResult,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_NAME,
    CONF_PASSWORD,
    CONF_PORT,
    CONF_SCAN_INTERVAL,
    CONF_SSL,
    CONF_USERNAME,
    CONF_VERIFY_SSL,
    CONF_WEBHOOK_ID,
)
from homeassistant.core import callback
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .api import (
    FAMILIES,
    Capability,
    GatewayAuthenticationError,
    GatewayConnectionError,
    GatewayError,
    GatewayInfo,
    GatewayResponseError,
    detect_gateway,
)
from .const import (
    CONF_ALLOW_EXTERNAL,
    CONF_API_FAMILY,
    CONF_BALANCE_CODE,
    CONF_BALANCE_INTERVAL,
    CONF_BALANCE_PATTERN,
    CONF_CURRENCY,
    CONF_DELETE_REPORTED,
    CONF_IDENTITIES,
    CONF_INBOX_INTERVAL,
    CONF_RATE_LIMIT,
    DEFAULT_BALANCE_INTERVAL,
    DEFAULT_BALANCE_PATTERN,
    DEFAULT_INBOX_INTERVAL,
    DEFAULT_RATE_LIMIT,
    DEFAULT_SCAN_INTERVAL,
    DOMAIN,
    LOGGER,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)
from .helpers import build_gateway, connection_config, normalize_number, vol
from .push import webhook_url
from .runtime import GsmGatewayConfigEntry, GsmGatewayRuntimeData
from .sending import NUMBER

USSD_CODE = re.compile(r"^[0-9*#+]+$")

# A recipient: a named number the gateway texts through its own notify entity.
SUBENTRY_RECIPIENT = "recipient"
CONF_NUMBER = "number"

PORT_SELECTOR = NumberSelector(
    NumberSelectorConfig(min=1, max=65535, step=1, mode=NumberSelectorMode.BOX)
)
PASSWORD_SELECTOR = TextSelector(TextSelectorConfig(type=TextSelectorType.PASSWORD))


CONNECTION_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_HOST): str,
        vol.Optional(CONF_PORT): PORT_SELECTOR,
        vol.Required(CONF_SSL, default=False): bool,
        vol.Required(CONF_VERIFY_SSL, default=False): bool,
    }
)
CREDENTIALS_SCHEMA = vol.Schema(
    {
        vol.Required(CONF_USERNAME): str,
        vol.Required(CONF_PASSWORD): PASSWORD_SELECTOR,
    }
)
USER_SCHEMA = CONNECTION_SCHEMA.extend(CREDENTIALS_SCHEMA.schema)


def _clean(user_input: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise form input: trimmed host, integer port or none."""
    data = dict(user_input)
    data[CONF_HOST] = str(data[CONF_HOST]).strip()
    if data.get(CONF_PORT):
        data[CONF_PORT] = int(data[CONF_PORT])
    else:
        data.pop(CONF_PORT, None)
    return data


class GsmGatewayConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a gateway: connection, detection or choice of API, then a test."""

    VERSION = 1
    MINOR_VERSION = 1

    def __init__(self) -> None:
        """Start with no input."""
        self._data: dict[str, Any] = {}

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: GsmGatewayConfigEntry) -> OptionsFlow:
        """Polling options."""
        return GsmGatewayOptionsFlow()

    @classmethod
    @callback
    def async_get_supported_subentry_types(
        cls, config_entry: ConfigEntry
    ) -> dict[str, type[ConfigSubentryFlow]]:
        """Recipients, on gateways that can send SMS."""
        family = FAMILIES.get(config_entry.data.get(CONF_API_FAMILY, ""))
        if family is None or not family.supports(Capability.SEND_SMS):
            return {}
        return {SUBENTRY_RECIPIENT: RecipientSubentryFlow}

    async def _async_try(
        self, data: Mapping[str, Any], family: str | None
    ) -> tuple[GatewayInfo | None, str | None, dict[str, str]]:
        """Identify the gateway; on failure, name the field that is wrong."""
        try:
            if family is None:
                config = connection_config(data)
                session = async_get_clientsession(
                    self.hass, verify_ssl=config.verify_ssl
                )
                gateway, _ = await detect_gateway(session, config)
            else:
                gateway = build_gateway(self.hass, data, family)
            # The probe only recognises the API; this is the request the
            # integration polls with, so success here means setup will work.
            info = await gateway.async_get_info()
        except GatewayAuthenticationError:
            return None, None, {CONF_PASSWORD: "invalid_auth"}
        except GatewayConnectionError:
            return None, None, {CONF_HOST: "cannot_connect"}
        except GatewayResponseError:
            return None, None, {"base": "not_a_gateway"}
        except GatewayError:
            return None, None, {"base": "unknown"}
        except Exception:  # noqa: BLE001 - the flow must answer, whatever broke
            LOGGER.exception("Unexpected error while contacting the gateway")
            return None, None, {"base": "unknown"}
        return info, gateway.family, {}

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask where the gateway is and how to log in."""
        errors: dict[str, str] = {}
        if user_input is not None:
            self._data = _clean(user_input)
            info, family, errors = await self._async_try(self._data, None)
            if errors.get("base") == "not_a_gateway":
                return await self.async_step_api_family()
            if info is not None and family is not None:
                return await self._async_create(info, family)
        return self.async_show_form(
            step_id="user",
            data_schema=self.add_suggested_values_to_schema(USER_SCHEMA, self._data),
            errors=errors,
        )

    async def async_step_api_family(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Detection failed: let the user say which API the device speaks."""
        errors: dict[str, str] = {"base": "not_a_gateway"}
        if user_input is not None:
            family = user_input[CONF_API_FAMILY]
            info, _, errors = await self._async_try(self._data, family)
            if info is not None:
                return await self._async_create(info, family)
            # This form has only the family: show any error as the form's own.
            errors = {"base": next(iter(errors.values()))}
        return self.async_show_form(
            step_id="api_family",
            data_schema=vol.Schema(
                {
                    vol.Required(CONF_API_FAMILY): SelectSelector(
                        SelectSelectorConfig(
                            options=[
                                SelectOptionDict(value=family, label=cls.label)
                                for family, cls in FAMILIES.items()
                            ],
                            mode=SelectSelectorMode.LIST,
                        )
                    )
                }
            ),
            errors=errors,
            description_placeholders={"host": self._data[CONF_HOST]},
        )

    def _same_unit_id(self, info: GatewayInfo, entry: ConfigEntry | None) -> str:
        """The unique id of the configured unit this is, or its own.

        A family whose identity is made of swappable parts (module IMEIs)
        names them all: a unit sharing any with an entry is that entry's.
        """
        entries = [entry] if entry else self._async_current_entries()
        for known in entries:
            stored = set(known.data.get(CONF_IDENTITIES, ()))
            if known.unique_id and info.identities & (stored | {known.unique_id}):
                return known.unique_id
        return info.unique_id

    async def _async_create(self, info: GatewayInfo, family: str) -> ConfigFlowResult:
        await self.async_set_unique_id(self._same_unit_id(info, None))
        self._abort_if_unique_id_configured()
        webhook_id = webhook.async_generate_id()
        data = {**self._data, CONF_API_FAMILY: family, CONF_WEBHOOK_ID: webhook_id}
        if info.identities:
            data[CONF_IDENTITIES] = sorted(info.identities)
        if not FAMILIES[family].supports(Capability.PUSH):
            # Nothing to enter in the gateway: it is read by polling.
            return self.async_create_entry(
                title=f"{info.manufacturer} gateway", data=data, description="polled"
            )
        return self.async_create_entry(
            title=f"{info.manufacturer} gateway",
            data=data,
            description_placeholders={
                "webhook_url": webhook_url(self.hass, webhook_id)
            },
        )

    async def async_step_reauth(
        self, entry_data: Mapping[str, Any]
    ) -> ConfigFlowResult:
        """The gateway refused the stored credentials."""
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Ask for new credentials and check them."""
        entry = self._get_reauth_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **user_input}
            info, _, errors = await self._async_try(data, entry.data[CONF_API_FAMILY])
            if info is not None:
                await self.async_set_unique_id(self._same_unit_id(info, entry))
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                return self.async_update_reload_and_abort(
                    entry, data_updates=user_input
                )
        return self.async_show_form(
            step_id="reauth_confirm",
            data_schema=self.add_suggested_values_to_schema(
                CREDENTIALS_SCHEMA, {CONF_USERNAME: entry.data.get(CONF_USERNAME)}
            ),
            errors=errors,
            description_placeholders={"name": entry.title},
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Change where the gateway is; it must still be the same gateway."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            data = {**entry.data, **_clean(user_input)}
            if not user_input.get(CONF_PORT):
                data.pop(CONF_PORT, None)
            info, family, errors = await self._async_try(data, None)
            if info is not None and family is not None:
                await self.async_set_unique_id(self._same_unit_id(info, entry))
                self._abort_if_unique_id_mismatch(reason="wrong_device")
                data[CONF_API_FAMILY] = family
                if info.identities:
                    data[CONF_IDENTITIES] = sorted(info.identities)
                return self.async_update_reload_and_abort(entry, data=data)
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(
                CONNECTION_SCHEMA, user_input or entry.data
            ),
            errors=errors,
        )


def _options_schema(
    options: Mapping[str, Any], *, push: bool, deletes: bool = False
) -> vol.Schema:
    seconds = NumberSelectorConfig(
        min=MIN_SCAN_INTERVAL,
        max=MAX_SCAN_INTERVAL,
        step=1,
        mode=NumberSelectorMode.BOX,
        unit_of_measurement="s",
    )
    return vol.Schema(
        {
            vol.Required(
                CONF_SCAN_INTERVAL,
                default=options.get(CONF_SCAN_INTERVAL, DEFAULT_SCAN_INTERVAL),
            ): NumberSelector(seconds),
            vol.Required(
                CONF_INBOX_INTERVAL,
                default=options.get(CONF_INBOX_INTERVAL, DEFAULT_INBOX_INTERVAL),
            ): NumberSelector(seconds),
            vol.Required(
                CONF_RATE_LIMIT,
                default=options.get(CONF_RATE_LIMIT, DEFAULT_RATE_LIMIT),
            ): NumberSelector(
                NumberSelectorConfig(
                    min=0, max=100000, step=1, mode=NumberSelectorMode.BOX
                )
            ),
            # Only a gateway that pushes has a webhook to guard.
            **(
                {
                    vol.Required(
                        CONF_ALLOW_EXTERNAL,
                        default=options.get(CONF_ALLOW_EXTERNAL, False),
                    ): bool
                }
                if push
                else {}
            ),
            # Only a gateway that can delete from its inbox offers to.
            **(
                {
                    vol.Required(
                        CONF_DELETE_REPORTED,
                        default=options.get(CONF_DELETE_REPORTED, False),
                    ): bool
                }
                if deletes
                else {}
            ),
            vol.Optional(
                CONF_BALANCE_CODE,
                description={"suggested_value": options.get(CONF_BALANCE_CODE)},
            ): str,
            vol.Required(
                CONF_BALANCE_PATTERN,
                default=options.get(CONF_BALANCE_PATTERN, DEFAULT_BALANCE_PATTERN),
            ): str,
            vol.Required(
                CONF_BALANCE_INTERVAL,
                default=options.get(CONF_BALANCE_INTERVAL, DEFAULT_BALANCE_INTERVAL),
            ): NumberSelector(
                NumberSelectorConfig(
                    min=0,
                    max=168,
                    step=1,
                    mode=NumberSelectorMode.BOX,
                    unit_of_measurement="h",
                )
            ),
            vol.Optional(
                CONF_CURRENCY,
                description={"suggested_value": options.get(CONF_CURRENCY)},
            ): str,
        }
    )


class GsmGatewayOptionsFlow(OptionsFlow):
    """Polling, the push endpoint, sending limits and SIM balance."""

    async def async_step_init(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Show and save the options; a bad pattern or code keeps the input."""
        errors: dict[str, str] = {}
        if user_input is not None:
            code = (user_input.get(CONF_BALANCE_CODE) or "").strip()
            try:
                re.compile(user_input[CONF_BALANCE_PATTERN])
            except re.error:
                errors[CONF_BALANCE_PATTERN] = "invalid_pattern"
            family = FAMILIES[self.config_entry.data[CONF_API_FAMILY]]
            if code and (
                not USSD_CODE.match(code) or len(code) > family.max_ussd_bytes
            ):
                errors[CONF_BALANCE_CODE] = "invalid_ussd_code"
            if not errors:
                options = {
                    **user_input,
                    CONF_SCAN_INTERVAL: int(user_input[CONF_SCAN_INTERVAL]),
                    CONF_INBOX_INTERVAL: int(user_input[CONF_INBOX_INTERVAL]),
                    CONF_RATE_LIMIT: int(user_input[CONF_RATE_LIMIT]),
                    CONF_BALANCE_INTERVAL: int(user_input[CONF_BALANCE_INTERVAL]),
                    CONF_BALANCE_CODE: code,
                    CONF_CURRENCY: (user_input.get(CONF_CURRENCY) or "").strip(),
                }
                return self.async_create_entry(data=options)
        family = FAMILIES[self.config_entry.data[CONF_API_FAMILY]]
        push = family.supports(Capability.PUSH)
        schema = _options_schema(
            self.config_entry.options,
            push=push,
            deletes=family.supports(Capability.DELETE_SMS)
            and family.supports(Capability.RECEIVE_SMS),
        )
        return self.async_show_form(
            step_id="init" if push else "polled",
            data_schema=self.add_suggested_values_to_schema(schema, user_input)
            if user_input
            else schema,
            errors=errors,
            description_placeholders={
                "webhook_url": webhook_url(
                    self.hass, self.config_entry.data.get(CONF_WEBHOOK_ID, "")
                )
            },
        )

    # A family without push has no webhook to show: same options, other text.
    async_step_polled = async_step_init


def _recipient_schema(
    runtime: GsmGatewayRuntimeData, current_port: int | None
) -> vol.Schema:
    """Name, number and the gateway's ports to choose from.

    A port the recipient already has stays listed even when the gateway no
    longer has it, so the form shows it and refuses it as `invalid_port`.
    """
    ports = set(runtime.ports.data)
    if current_port is not None:
        ports.add(current_port)
    return vol.Schema(
        {
            vol.Required(CONF_NAME): TextSelector(),
            vol.Required(CONF_NUMBER): TextSelector(
                TextSelectorConfig(type=TextSelectorType.TEL)
            ),
            vol.Optional(CONF_PORT): SelectSelector(
                SelectSelectorConfig(
                    options=[
                        SelectOptionDict(
                            value=str(port), label=runtime.gateway.port_label(port)
                        )
                        for port in sorted(ports)
                    ],
                    mode=SelectSelectorMode.DROPDOWN,
                )
            ),
        }
    )


def _recipient_data(
    runtime: GsmGatewayRuntimeData, user_input: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The subentry's data from the form, checked as `send_sms` checks a number."""
    errors: dict[str, str] = {}
    number = normalize_number(str(user_input[CONF_NUMBER]))
    if not NUMBER.match(number) or len(number) > runtime.gateway.max_number_length:
        errors[CONF_NUMBER] = "invalid_number"
    data: dict[str, Any] = {
        # A name of only spaces would leave the device nameless: use the number.
        CONF_NAME: str(user_input[CONF_NAME]).strip() or number,
        CONF_NUMBER: number,
    }
    if (port := user_input.get(CONF_PORT)) not in (None, ""):
        data[CONF_PORT] = int(port)
        if data[CONF_PORT] not in runtime.ports.data:
            errors[CONF_PORT] = "invalid_port"
    return data, errors


class RecipientSubentryFlow(ConfigSubentryFlow):
    """Add or edit a recipient: a name, a number, optionally the port to send from."""

    async def async_step_user(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Add a recipient to the gateway."""
        return await self._async_recipient_form("user", user_input, None)

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> SubentryFlowResult:
        """Change a recipient's name, number or port."""
        return await self._async_recipient_form(
            "reconfigure", user_input, self._get_reconfigure_subentry()
        )

    async def _async_recipient_form(
        self,
        step_id: str,
        user_input: dict[str, Any] | None,
        subentry: ConfigSubentry | None,
    ) -> SubentryFlowResult:
        entry: GsmGatewayConfigEntry = self._get_entry()
        # The ports and the number rules come from the running gateway.
        if entry.state is not ConfigEntryState.LOADED:
            return self.async_abort(reason="entry_not_loaded")
        runtime = entry.runtime_data
        errors: dict[str, str] = {}
        if user_input is not None:
            data, errors = _recipient_data(runtime, user_input)
            if not errors:
                number = data[CONF_NUMBER]
                if any(
                    other.unique_id == number
                    for other in entry.subentries.values()
                    if subentry is None or other.subentry_id != subentry.subentry_id
                ):
                    return self.async_abort(reason="already_configured")
                if subentry is None:
                    return self.async_create_entry(
                        title=data[CONF_NAME], data=data, unique_id=number
                    )
                return self.async_update_and_abort(
                    entry, subentry, title=data[CONF_NAME], data=data, unique_id=number
                )
        current: Mapping[str, Any] = subentry.data if subentry is not None else {}
        stored_port = current.get(CONF_PORT)
        suggested = dict(user_input or current)
        if suggested.get(CONF_PORT) not in (None, ""):
            suggested[CONF_PORT] = str(suggested[CONF_PORT])
        return self.async_show_form(
            step_id=step_id,
            data_schema=self.add_suggested_values_to_schema(
                _recipient_schema(runtime, stored_port), suggested
            ),
            errors=errors,
            description_placeholders={
                "gateway": entry.title,
                "limit": str(runtime.gateway.max_number_length),
            },
        )
