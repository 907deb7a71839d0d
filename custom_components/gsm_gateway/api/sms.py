"""SMS text facts shared by every vendor: encodings and segment counts."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
import math


class SmsEncoding(StrEnum):
    """How an SMS text is carried."""

    AUTO = "auto"
    GSM7 = "gsm7"
    UCS2 = "ucs2"


# The GSM 03.38 default alphabet, and the characters that take an escape
# (two septets) from its extension table.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True, slots=True)
class SmsPlan:
    """The encoding a text needs and how many SMS it takes."""

    encoding: SmsEncoding
    units: int
    segments: int


def fits_gsm7(text: str) -> bool:
    """Whether every character exists in the GSM-7 alphabet."""
    return all(char in GSM7_BASIC or char in GSM7_EXTENSION for char in text)


def plan_sms(text: str, encoding: SmsEncoding = SmsEncoding.AUTO) -> SmsPlan:
    """Choose the encoding (GSM-7 when it fits, for `auto`) and count segments.

    Raises ValueError when GSM-7 is asked for a text it cannot carry.
    """
    if encoding is SmsEncoding.AUTO:
        encoding = SmsEncoding.GSM7 if fits_gsm7(text) else SmsEncoding.UCS2
    if encoding is SmsEncoding.GSM7:
        if not fits_gsm7(text):
            raise ValueError("The text has characters GSM-7 cannot carry")
        units = sum(2 if char in GSM7_EXTENSION else 1 for char in text)
        single, part = GSM7_SINGLE, GSM7_PART
    else:
        # Characters outside the Basic Multilingual Plane take two units.
        units = len(text.encode("utf-16-le")) // 2
        single, part = UCS2_SINGLE, UCS2_PART
    segments = 1 if units <= single else math.ceil(units / part)
    return SmsPlan(encoding=encoding, units=units, segments=segments)
