"""Config flow: find the gateway, check it answers, and keep it current."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.components import webhook
from homeassistant.config_entries import (
    ConfigEntry,
    ConfigFlow,
    ConfigFlowResult,
    ConfigSubentryFlow,
    OptionsFlow,
)
from homeassistant.const import (
    CONF_HOST,
    CONF_PASSWORD,
    CONF_PORT,
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
    CONF_API_FAMILY,
    CONF_IDENTITIES,
    DOMAIN,
    LOGGER,
)
from .helpers import build_gateway, connection_config, vol
from .options_flow import GsmGatewayOptionsFlow
from .push import webhook_url
from .recipient_flow import SUBENTRY_RECIPIENT, RecipientSubentryFlow
from .runtime import GsmGatewayConfigEntry

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
