"""The shape of the numbers members verify with, said once: the plan's billing account numbers are 10 digits
starting with 2, medical record numbers are 8 digits. The assistant reads and masks them by this shape,
redaction keeps them, and the billing service's demo data follow it."""

from __future__ import annotations

import re

ACCOUNT_NUMBER = re.compile(r"2\d{9}")
MEDICAL_RECORD_NUMBER = re.compile(r"\d{8}")
# Either number as members type it, digits grouped by spaces, dashes or dots: "2000-1000-01", "1100 0001".
# It finds 8 to 10 digits so a mistyped number is still found (and masked); identifier_kind says what it is.
TYPED_IDENTIFIER = re.compile(r"(?<!\d)\d(?:[\s.-]?\d){7,9}(?![\s.-]?\d)")

ACCOUNT = "account_number"
MEDICAL_RECORD = "medical_record_number"


def is_account_number(digits: str) -> bool:
    return bool(ACCOUNT_NUMBER.fullmatch(digits))


def is_medical_record_number(digits: str) -> bool:
    return bool(MEDICAL_RECORD_NUMBER.fullmatch(digits))


def identifier_kind(digits: str) -> str | None:
    """ "account_number", "medical_record_number" (the billing API's names for them), or None for neither."""
    if is_account_number(digits):
        return ACCOUNT
    if is_medical_record_number(digits):
        return MEDICAL_RECORD
    return None


def digits_of(typed: str) -> str:
    """The digits of a number as typed, without its separators."""
    return re.sub(r"\D", "", typed)
