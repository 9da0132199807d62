"""Dates of birth as members type them: 1985-04-12, 04/12/1985, 4/12/85, April 12 1985, 12 Apr 1985."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

MONTHS = {
    name: index
    for index, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}
ISO = re.compile(r"\b(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\b")
US = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})\b")
MONTH_FIRST = re.compile(r"\b([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b", re.IGNORECASE)
DAY_FIRST = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,9})\.?,?\s+(\d{4})\b", re.IGNORECASE
)
COMPACT = re.compile(r"^\s*(\d{2})(\d{2})(\d{4})\s*$")


def parse_birth_date(text: str, today: dt.date) -> dt.date | None:
    """The date in text if it can be a date of birth (in the past, after 1900); US order for 04/12/1985."""
    for candidate in _candidates(text, today):
        if candidate and dt.date(1900, 1, 1) <= candidate <= today:
            return candidate
    return None


def _candidates(text: str, today: dt.date) -> Iterator[dt.date | None]:
    for pattern, order in ((ISO, "ymd"), (US, "mdy"), (COMPACT, "mdy")):
        match = pattern.search(text)
        if match:
            parts = dict(zip(order, match.groups(), strict=True))
            yield _make(parts["y"], parts["m"], parts["d"], today)
    match = MONTH_FIRST.search(text)
    if match and match.group(1).lower() in MONTHS:
        yield _make(match.group(3), MONTHS[match.group(1).lower()], match.group(2), today)
    match = DAY_FIRST.search(text)
    if match and match.group(2).lower() in MONTHS:
        yield _make(match.group(3), MONTHS[match.group(2).lower()], match.group(1), today)


def _make(typed_year: str, month: str | int, day: str, today: dt.date) -> dt.date | None:
    year = int(typed_year)
    if year < 100:  # 85 -> 1985, 05 -> 2005
        year += 2000 if 2000 + year <= today.year else 1900
    try:
        return dt.date(year, int(month), int(day))
    except ValueError:
        return None
