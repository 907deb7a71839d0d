"""What a gateway family can do, declared by the family, asked by everyone else."""

from __future__ import annotations

from enum import StrEnum


class Capability(StrEnum):
    """One thing a family's API offers.

    Home Assistant creates entities, polls, flow steps and actions only for
    what the family declares; anything else is refused before any request.
    """

    SEND_SMS = "send_sms"
    SMS_REPORTS = "sms_reports"
    RECEIVE_SMS = "receive_sms"
    PUSH = "push"
    PUSH_REGISTRATION = "push_registration"
    USSD = "ussd"
    POWER = "power"
    RESET = "reset"
    SLOT_SWITCH = "slot_switch"
    SIM_LOCK = "sim_lock"
    SIM_BLOCK = "sim_block"
    CALL_FORWARD = "call_forward"
    CDR = "cdr"
    STK = "stk"
    DEVICE_STATUS = "device_status"
    SEND_QUEUE = "send_queue"
    STATISTICS = "statistics"
    BALANCE = "balance"  # the SIM's balance comes with every poll
    OPERATOR = "operator"  # the operator's name comes with every poll
    CALL_STATE = "call_state"  # each port's call state comes with every poll
    NETWORK_INFO = "network_info"  # each port's radio type, likewise
    PACKET_DATA = "packet_data"  # whether each port is attached for data
    CREDIT_COUNTERS = "credit_counters"  # the gateway's own usage limits
    REBOOT = "reboot"
    REDIAL = "redial"
    TASK_STOP = "task_stop"
    TASK_PAUSE = "task_pause"
    DELETE_SMS = "delete_sms"  # the SMS stores on the device can be emptied
    SIGNAL = "signal"  # each port's signal strength comes with every poll
