"""Constants of the GSM Gateway integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "gsm_gateway"
LOGGER = logging.getLogger(__package__)

CONF_API_FAMILY: Final = "api_family"
# Every identity of a unit whose unique id is made of swappable parts.
CONF_IDENTITIES: Final = "identities"

DEFAULT_SCAN_INTERVAL: Final = 30
MIN_SCAN_INTERVAL: Final = 10
MAX_SCAN_INTERVAL: Final = 3600
# Device load and queue change slowly: poll them this many times less often.
STATUS_INTERVAL_FACTOR: Final = 4
MIN_STATUS_INTERVAL: Final = timedelta(seconds=60)
REQUEST_TIMEOUT: Final = 10.0
# Gateways' own counters change slowly: read them this often.
STATISTICS_INTERVAL: Final = timedelta(minutes=5)
# Refreshes after a port command (seconds): at once, then while it registers.
FOLLOW_UP_DELAYS: Final = (0.0, 3.0, 8.0, 15.0)

# Messaging options.
CONF_INBOX_INTERVAL: Final = "inbox_interval"
CONF_RATE_LIMIT: Final = "rate_limit"
CONF_ALLOW_EXTERNAL: Final = "allow_external_webhook"
CONF_BALANCE_CODE: Final = "balance_code"
CONF_BALANCE_PATTERN: Final = "balance_pattern"
CONF_BALANCE_INTERVAL: Final = "balance_interval"
CONF_CURRENCY: Final = "currency"
# Delete received SMS from the device once reported (families that can).
CONF_DELETE_REPORTED: Final = "delete_reported_sms"

DEFAULT_INBOX_INTERVAL: Final = 60
DEFAULT_RATE_LIMIT: Final = 0
DEFAULT_BALANCE_PATTERN: Final = r"(\d+(?:[.,]\d+)?)"
DEFAULT_BALANCE_INTERVAL: Final = 0  # hours; 0 = only on demand
DEFAULT_USSD_TIMEOUT: Final = 30.0
USSD_POLL_INTERVAL: Final = 2.0
# Unanswered sends are checked by polling after this many seconds.
REPORT_POLL_AFTER: Final = 60.0
# A send gets no more reports after this long.
REPORT_GIVE_UP: Final = 24 * 3600.0
MAX_PUSH_BYTES: Final = 256 * 1024
# Recently reported SMS remembered, to drop duplicates of push and poll.
MAX_SEEN_IDS: Final = 5000

EVENT_SMS_RECEIVED: Final = "gsm_gateway_sms_received"
EVENT_SMS_STATUS: Final = "gsm_gateway_sms_status"
EVENT_USSD_RECEIVED: Final = "gsm_gateway_ussd_received"
EVENT_CALL: Final = "gsm_gateway_call"
EVENT_DEVICE: Final = "gsm_gateway_device_event"

SIGNAL_SMS: Final = "gsm_gateway_sms_{}_{}"
SIGNAL_BALANCE: Final = "gsm_gateway_balance_{}"
# Consecutive refusals of the credentials, while running, before reauth.
AUTH_FAILURES_BEFORE_REAUTH: Final = 2
