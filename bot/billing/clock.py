"""The service's notion of "now", replaceable so tests can move time."""
from __future__ import annotations

import datetime as dt
from typing import Callable

Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """Naive UTC, as the database stores it."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
