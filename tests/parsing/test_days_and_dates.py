import datetime as dt

import pytest

from assistant.parsing.dates import parse_birth_date
from assistant.parsing.days import parse_day_of_month
from assistant.parsing.identifiers import parse_identifier

TODAY = dt.date(2026, 11, 22)


@pytest.mark.parametrize(
    "text,day",
    [
        ("the 15th", 15),
        ("15", 15),
        ("fifteenth", 15),
        ("on the 1st", 1),
        ("twenty-first", 21),
        ("the twenty first", 21),
        ("3rd of each month", 3),
        ("last day of the month", 31),
        ("end of month", 31),
        ("month end", 31),
        ("31", 31),
        ("first", 1),
    ],
)
def test_days_of_the_month(text, day):
    assert parse_day_of_month(text) == day


@pytest.mark.parametrize("text", ["the 32nd", "0", "whenever", ""])
def test_not_a_day(text):
    assert parse_day_of_month(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "1985-04-12",
        "04/12/1985",
        "4/12/85",
        "April 12, 1985",
        "12 Apr 1985",
        "04121985",
        "born apr 12th 1985",
        "4-12-1985",
    ],
)
def test_dates_of_birth(text):
    assert parse_birth_date(text, TODAY) == dt.date(1985, 4, 12)


@pytest.mark.parametrize("text", ["02/30/1990", "2030-01-01", "1850-01-01", "yesterday", "94612"])
def test_impossible_dates_of_birth(text):
    assert parse_birth_date(text, TODAY) is None


@pytest.mark.parametrize(
    "text,number",
    [
        ("2000100001", "2000100001"),
        ("2000-1000-01", "2000100001"),
        ("my account is 2000 100 001", "2000100001"),
        ("mrn 11000001", "11000001"),
        ("12345", None),
        ("123456789012", None),
        ("no idea", None),
        # The plan's shapes only (billing_contract.account_numbers): 10 digits starting with 2, or 8 digits.
        ("123456789", None),
        ("1234567890", None),
        ("2000.1000.01", "2000100001"),
    ],
)
def test_account_and_record_numbers(text, number):
    assert parse_identifier(text) == number
