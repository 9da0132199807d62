"""The service's notion of "now", replaceable so tests can move time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """Naive UTC, as the database stores it."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def settings_clock(fixed_now: dt.datetime | None) -> Clock:
    """The system clock, or one standing still at fixed_now (BILLING_FIXED_NOW)."""
    if fixed_now is None:
        return system_clock
    still = fixed_now.astimezone(dt.timezone.utc).replace(tzinfo=None) if fixed_now.tzinfo else fixed_now
    return lambda: still
