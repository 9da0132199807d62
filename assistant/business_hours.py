"""When billing specialists answer chats, from the environment, and the words the assistant says for it.

HANDOFF_DAYS (Mon-Fri), HANDOFF_HOURS (08:00-18:00, end exclusive; 24:00 for midnight) and
HANDOFF_TIMEZONE (America/Los_Angeles). seed-facts gives no hours for the billing line, so
the defaults are the hours it gives for Customer Service: Monday to Friday, 8 a.m. to 6 p.m. Pacific time.
A setting that cannot be read is logged and the default used: a typo must not stop every handoff.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import os
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

logger = logging.getLogger(__name__)

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
DEFAULT_DAYS, DEFAULT_HOURS, DEFAULT_TIMEZONE = "Mon-Fri", "08:00-18:00", "America/Los_Angeles"
# How members know the US zones; any other zone is said by its name.
ZONE_NAMES = {
    "America/Los_Angeles": "Pacific time",
    "America/Denver": "Mountain time",
    "America/Phoenix": "Arizona time",
    "America/Chicago": "Central time",
    "America/New_York": "Eastern time",
    "Pacific/Honolulu": "Hawaii time",
}
_HOURS = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")


@dataclasses.dataclass(frozen=True)
class BusinessHours:
    first_day: int  # 0 is Monday
    last_day: int
    opens: int  # minutes after midnight
    closes: int  # exclusive; 1440 is midnight at the end of the day
    timezone: str

    def is_open(self, at: dt.datetime) -> bool:
        local = at.astimezone(ZoneInfo(self.timezone))
        on_day = self._days()[local.weekday()]
        minute = local.hour * 60 + local.minute
        return on_day and self.opens <= minute < self.closes

    def words(self) -> str:
        """'Monday to Friday, 8 a.m. to 6 p.m. Pacific time'."""
        if self.first_day == self.last_day:
            days = DAY_NAMES[self.first_day]
        elif (self.last_day - self.first_day) % 7 == 6:
            days = "every day"
        else:
            days = f"{DAY_NAMES[self.first_day]} to {DAY_NAMES[self.last_day]}"
        if self.opens == 0 and self.closes == 1440:
            times = "around the clock"
        else:
            times = f"{_time_words(self.opens)} to {_time_words(self.closes)}"
        return f"{days}, {times} {ZONE_NAMES.get(self.timezone, self.timezone)}"

    def _days(self) -> list[bool]:
        span = (self.last_day - self.first_day) % 7
        return [(day - self.first_day) % 7 <= span for day in range(7)]


def _time_words(minutes: int) -> str:
    hour, minute = divmod(minutes % 1440, 60)
    if (hour, minute) == (0, 0):
        return "midnight"
    if (hour, minute) == (12, 0):
        return "noon"
    suffix = "a.m." if hour < 12 else "p.m."
    shown = hour % 12 or 12
    return f"{shown} {suffix}" if minute == 0 else f"{shown}:{minute:02d} {suffix}"


def parse(days: str, hours: str, timezone: str) -> BusinessHours:
    """Raises ValueError on anything it cannot read."""
    first, _, last = days.strip().partition("-")
    try:
        first_day = DAYS.index(first.strip().title()[:3])
        last_day = DAYS.index((last or first).strip().title()[:3])
    except ValueError:
        raise ValueError(f"days {days!r}: expected like Mon-Fri") from None
    match = _HOURS.match(hours)
    if not match:
        raise ValueError(f"hours {hours!r}: expected like 08:00-18:00")
    open_h, open_m, close_h, close_m = (int(part) for part in match.groups())
    opens, closes = open_h * 60 + open_m, close_h * 60 + close_m
    if open_m > 59 or close_m > 59 or not 0 <= opens < closes <= 1440:
        raise ValueError(f"hours {hours!r}: the opening must come before the closing, within one day")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"timezone {timezone!r}: expected an IANA name like America/Los_Angeles") from None
    return BusinessHours(first_day, last_day, opens, closes, timezone)


def from_environment() -> BusinessHours:
    days = os.environ.get("HANDOFF_DAYS", DEFAULT_DAYS)
    hours = os.environ.get("HANDOFF_HOURS", DEFAULT_HOURS)
    timezone = os.environ.get("HANDOFF_TIMEZONE", DEFAULT_TIMEZONE)
    try:
        return parse(days, hours, timezone)
    except ValueError as error:
        logger.warning("HANDOFF_DAYS/HANDOFF_HOURS/HANDOFF_TIMEZONE not used (%s); using the defaults", error)
        return parse(DEFAULT_DAYS, DEFAULT_HOURS, DEFAULT_TIMEZONE)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)
