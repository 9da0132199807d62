"""When specialists answer chats, read from the settings, and how the assistant says it."""

import datetime as dt

import pytest

from assistant.business_hours import parse

UTC = dt.timezone.utc


def test_the_published_hours_in_pacific_time():
    hours = parse("Mon-Fri", "08:00-18:00", "America/Los_Angeles")
    assert hours.words() == "Monday to Friday, 8 a.m. to 6 p.m. Pacific time"
    assert hours.is_open(dt.datetime(2026, 7, 1, 15, 0, tzinfo=UTC))  # Wednesday 8:00 PDT
    assert not hours.is_open(dt.datetime(2026, 7, 1, 14, 59, tzinfo=UTC))  # 7:59
    assert not hours.is_open(dt.datetime(2026, 7, 2, 1, 0, tzinfo=UTC))  # Wednesday 18:00: closed
    assert not hours.is_open(dt.datetime(2026, 7, 4, 18, 0, tzinfo=UTC))  # Saturday


def test_days_may_wrap_past_sunday_and_a_day_may_run_to_midnight():
    hours = parse("fri-mon", "00:00-24:00", "America/New_York")
    assert hours.words() == "Friday to Monday, around the clock Eastern time"
    saturday_late = dt.datetime(2026, 7, 5, 3, 59, tzinfo=UTC)  # Saturday 23:59 EDT
    assert hours.is_open(saturday_late)
    assert not hours.is_open(dt.datetime(2026, 7, 1, 16, 0, tzinfo=UTC))  # Wednesday


def test_every_day_and_half_hours():
    assert parse("Mon-Sun", "09:30-12:00", "Pacific/Honolulu").words() == (
        "every day, 9:30 a.m. to noon Hawaii time"
    )


@pytest.mark.parametrize(
    "days, hours, zone",
    [
        ("Weekdays", "08:00-18:00", "America/Los_Angeles"),
        ("Mon-Fri", "18:00-08:00", "America/Los_Angeles"),
        ("Mon-Fri", "8-6", "America/Los_Angeles"),
        ("Mon-Fri", "08:00-24:30", "America/Los_Angeles"),
        ("Mon-Fri", "08:00-18:00", "Pacific Time"),
    ],
)
def test_unreadable_settings_are_refused(days, hours, zone):
    with pytest.raises(ValueError):
        parse(days, hours, zone)
