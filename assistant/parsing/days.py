"""Day of the month for autopay: "the 15th", "15", "fifteenth", "last day of the month"."""

from __future__ import annotations

import re

from .number_words import ORDINALS, TENS, ordinal_value

LAST_DAY = 31  # the billing service runs a day past the month's end on its last day
LAST = re.compile(r"\b(last|end)\b.*\bmonth\b|\bmonth[- ]end\b|\blast day\b|\beom\b", re.IGNORECASE)
NUMERIC = re.compile(r"\b([0-3]?\d)\s*(?:st|nd|rd|th)?\b", re.IGNORECASE)
ORDINAL_WORDS = re.compile(
    r"\b((?:" + "|".join(TENS) + r")[\s-](?:" + "|".join(ORDINALS) + r")|" + "|".join(ORDINALS) + r")\b",
    re.IGNORECASE,
)


def parse_day_of_month(text: str) -> int | None:
    if LAST.search(text):
        return LAST_DAY
    match = NUMERIC.search(text)
    if match and 1 <= int(match.group(1)) <= 31:
        return int(match.group(1))
    match = ORDINAL_WORDS.search(text)
    if match:
        value = ordinal_value(match.group(1))
        if value and 1 <= value <= 31:
            return value
    return None
