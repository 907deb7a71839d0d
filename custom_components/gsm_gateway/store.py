"""What messaging keeps across restarts, and upgrading what earlier versions kept."""

from __future__ import annotations

from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.helpers.storage import Store

from .const import DOMAIN

STORE_VERSION = 1
# 2: the inbox position is the family's cursor, remembered SMS are keyed by
# content with their ids beside, and every outstanding send has its handle.
STORE_MINOR_VERSION = 2
SAVE_DELAY = 1.0


class MessagingStore(Store[dict[str, Any]]):
    """One gateway's messaging state in Home Assistant's storage."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """The store of one config entry."""
        super().__init__(
            hass,
            STORE_VERSION,
            f"{DOMAIN}.{entry_id}",
            minor_version=STORE_MINOR_VERSION,
        )

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: dict[str, Any]
    ) -> dict[str, Any]:
        """Upgrade what an earlier version stored; nothing is lost."""
        data = dict(old_data)
        if old_minor_version < 2:
            data = upgrade_to_cursor(data)
        return data


def upgrade_to_cursor(old: dict[str, Any]) -> dict[str, Any]:
    """From version 1.1: a Dinstar inbox mark, fingerprints with the id first.

    The mark becomes the Dinstar cursor `{"after": mark}`; a fingerprint
    `id/port/time/digest` becomes its content key `port/time/digest` with the
    id beside it; a send is followed by its id, as Dinstar's user_id.
    """
    seen: list[list[str | None]] = []
    for fingerprint in old.get("seen", []):
        message_id, _, content = str(fingerprint).partition("/")
        seen.append([content, message_id or None])
    outstanding = {
        key: {**value, "handle": value.get("handle", key)}
        for key, value in old.get("outstanding", {}).items()
    }
    return {
        "inbox_cursor": {"after": int(old.get("inbox_mark", 0))},
        "seen": seen,
        "next_id": int(old.get("next_id", 1)),
        "outstanding": outstanding,
    }
