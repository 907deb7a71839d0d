"""Options flow: polling, the push endpoint, sending limits and SIM balance."""

from __future__ import annotations

from collections.abc import Mapping
import re
from typing import Any

from homeassistant.config_entries import (
    ConfigFlowResult,
    OptionsFlow,
)
from homeassistant.const import (
    CONF_SCAN_INTERVAL,
    CONF_WEBHOOK_ID,
)
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)

from .api import (
    FAMILIES,
    Capability,
)
from .const import (
    CONF_ALLOW_EXTERNAL,
    CONF_API_FAMILY,
    CONF_BALANCE_CODE,
    CONF_BALANCE_INTERVAL,
    CONF_BALANCE_PATTERN,
    CONF_CURRENCY,
    CONF_DELETE_REPORTED,
    CONF_INBOX_INTERVAL,
    CONF_RATE_LIMIT,
    DEFAULT_BALANCE_INTERVAL,
    DEFAULT_BALANCE_PATTERN,
    DEFAULT_INBOX_INTERVAL,
    DEFAULT_RATE_LIMIT,
    DEFAULT_SCAN_INTERVAL,
    MAX_SCAN_INTERVAL,
    MIN_SCAN_INTERVAL,
)
from .helpers import vol
from .push import webhook_url

USSD_CODE = re.compile(r"^[0-9*#+]+$")


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
