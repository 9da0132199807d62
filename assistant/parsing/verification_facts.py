"""All three verification answers from one message, in any order and with any separators:
"2000100001 / 04/12/1985 / 94612", "2000300001 1/25/1990 80203", "zip 94612, born april 12 1985, acct
2000-1000-01". Each number is read once: the digits of a date are never taken as an account number."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from billing_contract.account_numbers import digits_of, identifier_kind

from .dates import parse_birth_date

# A number as typed: digits, possibly with / . - inside (dates, "2000-1000-01", ZIP+4).
NUMBER = re.compile(r"\d(?:[/.-]?\d)*")
DATE_SHAPE = re.compile(r"^\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}$")
ZIP_SHAPE = re.compile(r"^\d{5}(?:-\d{4})?$")
# A date ("12/01/2026", no birth date) or a phone number (three, three and four digits) is no account number.
NOT_AN_IDENTIFIER = re.compile(r"^(?:\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{3}[.-]\d{3}[.-]\d{4})$")


@dataclass(frozen=True)
class VerificationFacts:
    identifier: str | None = None  # digits of an account or medical record number
    birth_date: str | None = None  # ISO date
    zip_code: str | None = None  # five digits

    def as_slots(self) -> dict[str, str]:
        found = {
            "verify_identifier": self.identifier,
            "verify_birth_date": self.birth_date,
            "verify_zip": self.zip_code,
        }
        return {slot: value for slot, value in found.items() if value is not None}


def parse_verification_facts(text: str, today: dt.date) -> VerificationFacts:
    text = str(text or "")
    numbers = list(NUMBER.finditer(text))
    identifier = birth_date = zip_code = None
    used: list[re.Match[str]] = []
    for number in numbers:
        typed = number.group()
        born = parse_birth_date(typed, today) if DATE_SHAPE.match(typed) else None
        if birth_date is None and born:
            birth_date = born.isoformat()
        elif identifier is None and identifier_kind(digits_of(typed)) and not NOT_AN_IDENTIFIER.match(typed):
            identifier = digits_of(typed)
        elif zip_code is None and ZIP_SHAPE.match(typed):
            zip_code = typed[:5]
        else:
            continue
        used.append(number)
    if identifier is None:
        identifier = _spaced_identifier(text, used)
    if birth_date is None:
        # Month names ("April 12 1985", "12 apr 1985"), read in what is left once the numbers taken are out.
        rest = text
        for number in used:
            rest = rest.replace(number.group(), " ")
        born = parse_birth_date(rest, today)
        birth_date = born.isoformat() if born else None
    return VerificationFacts(identifier, birth_date, zip_code)


def verification_facts_in(text: str) -> bool:
    """Does `text` give an account or record number and a date of birth (someone verifying)?"""
    facts = parse_verification_facts(text, dt.date.today())
    return facts.identifier is not None and facts.birth_date is not None


# What is left of "my acct is 2000100001, dob april 12 1985, zip 94612, how much do i owe?" once the
# details are out: the numbers, month names and the words that only label them.
DETAIL_WORDS = re.compile(
    r"\b(?:acct|account|accounts|number|no|nbr|num|mrn|medical record|record|dob|d\.o\.b|birth ?day|born|"
    r"date of birth|birth|zip ?code|zip|postal code|code|my|is|and|here|info|details|it's|its|im|i'm|"
    r"jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|sep|sept|september|oct|"
    r"october|nov|november|dec|december)\b",
    re.IGNORECASE,
)


def without_verification_details(text: str) -> str:
    """The words of `text` other than its verification details (a request asked in the same message)."""
    rest = DETAIL_WORDS.sub(" ", NUMBER.sub(" ", str(text or "")))
    rest = re.sub(r"(?:\s*[,:;/.#-])+(?=\s|$)", " ", rest)
    return re.sub(r"\s+", " ", rest).strip(" ,.;:")


def _spaced_identifier(text: str, used: list[re.Match[str]]) -> str | None:
    """ "2000 1000 01": consecutive groups of digits, one space apart and not taken by another answer,
    that together have an identifier's shape."""
    for run in re.finditer(r"\d+(?: \d+)+", text):
        groups = [
            group
            for group in re.finditer(r"\d+", run.group())
            if not any(
                number.start() < run.start() + group.end() and run.start() + group.start() < number.end()
                for number in used
            )
        ]
        for first in range(len(groups)):
            for last in range(len(groups), first + 1, -1):
                digits = "".join(group.group() for group in groups[first:last])
                if identifier_kind(digits):
                    return digits
    return None
