"""Recipients: named numbers a gateway texts, each a config subentry."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.config_entries import (
    ConfigEntryState,
    ConfigSubentry,
    ConfigSubentryFlow,
    SubentryFlowResult,
)
from homeassistant.const import (
    CONF_NAME,
    CONF_PORT,
)
from homeassistant.helpers.selector import (
    SelectOptionDict,
    SelectSelector,
    SelectSelectorConfig,
    SelectSelectorMode,
    TextSelector,
    TextSelectorConfig,
    TextSelectorType,
)

from .helpers import normalize_number, vol
from .runtime import GsmGatewayConfigEntry, GsmGatewayRuntimeData
from .sending import NUMBER

# A recipient: a named number the gateway texts through its own notify entity.
SUBENTRY_RECIPIENT = "recipient"
CONF_NUMBER = "number"


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
