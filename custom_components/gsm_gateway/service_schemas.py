"""The actions' fields, their checks, and what each action needs of a family."""

from __future__ import annotations

import re

from homeassistant.helpers import config_validation as cv

from .api import CallForwardMode, Capability, SmsBox, SmsEncoding
from .const import DEFAULT_USSD_TIMEOUT
from .helpers import normalize_number, vol

ATTR_GATEWAY = "gateway"
ATTR_DEVICE_ID = "device_id"
ATTR_PORT = "port"
ATTR_POWER = "power"
ATTR_SLOT = "slot"
ATTR_PIN = "pin"
ATTR_MODE = "mode"
ATTR_NUMBER = "number"
ATTR_TASK_ID = "task_id"
ATTR_START = "start"
ATTR_END = "end"
ATTR_ITEM = "item"
ATTR_ACTION = "action"
ATTR_PARAM = "param"
ATTR_TO = "to"
ATTR_MESSAGE = "message"
ATTR_ENCODING = "encoding"
ATTR_DELIVERY_REPORT = "delivery_report"
ATTR_CODE = "code"
ATTR_TIMEOUT = "timeout"
ATTR_BOX = "box"
ATTR_ALL = "all"

# Digits (and the keypad's * and #); how many the gateway takes is its family's.
PHONE_NUMBER = vol.All(cv.string, normalize_number, vol.Match(r"^\+?[0-9*#]+$"))
_DIALLABLE = re.compile(r"^\+?[0-9*#]+$")
BASE = {vol.Optional(ATTR_GATEWAY): cv.string}
# One port: its number (with `gateway` when several are set up), or its device.
# Which of the two is given is checked when the action runs, with a message.
PORT_SCHEMA = vol.Schema(
    {
        **BASE,
        vol.Optional(ATTR_DEVICE_ID): cv.string,
        vol.Optional(ATTR_PORT): vol.Coerce(int),
    }
)
# Several ports of one gateway: their numbers, or their devices.
PORTS = {
    vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
    vol.Optional(ATTR_PORT): vol.All(cv.ensure_list, [vol.Coerce(int)]),
}


def party_number(value: object) -> str:
    """The other party of a stored SMS: a number loses its spacing, a name stays.

    Senders may be names ("VODAFONE"), so anything is accepted; what reads as
    a phone number once its punctuation is gone is matched in that form.
    """
    text = cv.string(value).strip()
    if not text:
        raise vol.Invalid("empty number")
    bare = normalize_number(text)
    return bare if _DIALLABLE.match(bare) else text


SCHEMAS: dict[str, vol.Schema] = {
    "send_sms": vol.Schema(
        {
            **BASE,
            vol.Required(ATTR_TO): vol.All(cv.ensure_list, [cv.string]),
            vol.Required(ATTR_MESSAGE): cv.string,
            **PORTS,
            vol.Optional(ATTR_ENCODING, default=SmsEncoding.AUTO.value): vol.In(
                [encoding.value for encoding in SmsEncoding]
            ),
            vol.Optional(ATTR_DELIVERY_REPORT, default=True): cv.boolean,
        }
    ),
    "send_ussd": PORT_SCHEMA.extend(
        {
            vol.Required(ATTR_CODE): vol.All(cv.string, vol.Length(min=1)),
            vol.Optional(ATTR_TIMEOUT, default=DEFAULT_USSD_TIMEOUT): vol.All(
                vol.Coerce(float), vol.Range(min=1, max=300)
            ),
        }
    ),
    "power_port": PORT_SCHEMA.extend({vol.Required(ATTR_POWER): vol.In(["on", "off"])}),
    "reset_port": PORT_SCHEMA,
    "switch_sim_slot": PORT_SCHEMA.extend({vol.Required(ATTR_SLOT): vol.Coerce(int)}),
    "lock_sim": PORT_SCHEMA.extend(
        {vol.Required(ATTR_PIN): vol.All(cv.string, vol.Match(r"^[0-9]{4,8}$"))}
    ),
    "unlock_sim": PORT_SCHEMA.extend(
        {vol.Required(ATTR_PIN): vol.All(cv.string, vol.Match(r"^[0-9]{4,8}$"))}
    ),
    "block_sim": PORT_SCHEMA,
    "unblock_sim": PORT_SCHEMA,
    "set_call_forward": PORT_SCHEMA.extend(
        {
            vol.Required(ATTR_MODE): vol.In([mode.value for mode in CallForwardMode]),
            vol.Optional(ATTR_NUMBER): PHONE_NUMBER,
        }
    ),
    "get_call_forward": PORT_SCHEMA,
    "stop_sms_task": vol.Schema(
        {
            **BASE,
            # The family's own task id: a number for Dinstar, text for others.
            vol.Required(ATTR_TASK_ID): vol.All(
                vol.Coerce(str), str.strip, vol.Length(min=1, max=64)
            ),
        }
    ),
    "pause_sms_task": vol.Schema(
        {
            **BASE,
            # The family's own task id: a number for Dinstar, text for others.
            vol.Required(ATTR_TASK_ID): vol.All(
                vol.Coerce(str), str.strip, vol.Length(min=1, max=64)
            ),
        }
    ),
    "resume_sms_task": vol.Schema(
        {
            **BASE,
            # The family's own task id: a number for Dinstar, text for others.
            vol.Required(ATTR_TASK_ID): vol.All(
                vol.Coerce(str), str.strip, vol.Length(min=1, max=64)
            ),
        }
    ),
    "reboot_gateway": vol.Schema(BASE),
    "redial_port": PORT_SCHEMA.extend(
        {vol.Optional(ATTR_MODE, default="flight"): vol.In(["flight", "fast"])}
    ),
    "get_cdr": vol.Schema(
        {
            **BASE,
            **PORTS,
            vol.Optional(ATTR_START): cv.datetime,
            vol.Optional(ATTR_END): cv.datetime,
        }
    ),
    "delete_sms": vol.Schema(
        {
            **BASE,
            vol.Required(ATTR_BOX): vol.In([box.value for box in SmsBox]),
            **PORTS,
            vol.Optional(ATTR_NUMBER): vol.All(party_number, vol.Length(max=64)),
            vol.Optional(ATTR_START): cv.datetime,
            vol.Optional(ATTR_END): cv.datetime,
            vol.Optional(ATTR_ALL, default=False): cv.boolean,
        }
    ),
    "stk_menu": PORT_SCHEMA,
    "stk_select": PORT_SCHEMA.extend(
        {
            vol.Exclusive(ATTR_ITEM, "choice"): vol.All(
                vol.Coerce(int), vol.Range(min=0)
            ),
            vol.Exclusive(ATTR_ACTION, "choice"): vol.In(["ok", "cancel", "home"]),
            vol.Optional(ATTR_PARAM): vol.All(cv.string, vol.Length(max=160)),
        }
    ),
}


# What each action needs from the gateway's family.
NEEDS: dict[str, Capability] = {
    "send_sms": Capability.SEND_SMS,
    "send_ussd": Capability.USSD,
    "power_port": Capability.POWER,
    "reset_port": Capability.RESET,
    "switch_sim_slot": Capability.SLOT_SWITCH,
    "lock_sim": Capability.SIM_LOCK,
    "unlock_sim": Capability.SIM_LOCK,
    "block_sim": Capability.SIM_BLOCK,
    "unblock_sim": Capability.SIM_BLOCK,
    "set_call_forward": Capability.CALL_FORWARD,
    "get_call_forward": Capability.CALL_FORWARD,
    "stop_sms_task": Capability.TASK_STOP,
    "pause_sms_task": Capability.TASK_PAUSE,
    "resume_sms_task": Capability.TASK_PAUSE,
    "reboot_gateway": Capability.REBOOT,
    "redial_port": Capability.REDIAL,
    "get_cdr": Capability.CDR,
    "delete_sms": Capability.DELETE_SMS,
    "stk_menu": Capability.STK,
    "stk_select": Capability.STK,
}

# Actions on one port, named by `port` or by its device in `device_id`.
ONE_PORT: frozenset[str] = frozenset(
    {
        "send_ussd",
        "power_port",
        "reset_port",
        "switch_sim_slot",
        "lock_sim",
        "unlock_sim",
        "block_sim",
        "unblock_sim",
        "set_call_forward",
        "get_call_forward",
        "redial_port",
        "stk_menu",
        "stk_select",
    }
)
# Actions on some ports of one gateway (none named: all, or the gateway's
# choice), named by `port` or by their devices in `device_id`.
SOME_PORTS: frozenset[str] = frozenset({"send_sms", "get_cdr", "delete_sms"})
