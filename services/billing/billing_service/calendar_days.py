"""Day-of-month arithmetic for billing cycles."""

from __future__ import annotations

import calendar
import datetime as dt


def day_in_month(year: int, month: int, day: int) -> dt.date:
    """The given day of that month, or the month's last day when the month is shorter."""
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1
