"""Constants of the GSM Gateway integration."""

from __future__ import annotations

from datetime import timedelta
import logging
from typing import Final

DOMAIN: Final = "gsm_gateway"
LOGGER = logging.getLogger(__package__)

CONF_API_FAMILY: Final = "api_family"

DEFAULT_SCAN_INTERVAL: Final = 30
MIN_SCAN_INTERVAL: Final = 10
MAX_SCAN_INTERVAL: Final = 3600
# Device load and queue change slowly: poll them this many times less often.
STATUS_INTERVAL_FACTOR: Final = 4
MIN_STATUS_INTERVAL: Final = timedelta(seconds=60)
REQUEST_TIMEOUT: Final = 10.0
# Refreshes after a port command (seconds): at once, then while it registers.
FOLLOW_UP_DELAYS: Final = (0.0, 3.0, 8.0, 15.0)
