"""Masking the answers to the verification questions (account or medical record number, date of birth,
ZIP code) once the billing service has checked them: they are kept as typed until then because the form
needs them, and nobody needs them after."""

from __future__ import annotations

import re
from typing import Any

from billing_contract.account_numbers import TYPED_IDENTIFIER, digits_of, is_account_number
from billing_contract.redaction import mask

from .parsing.dates import DAY_FIRST, ISO, MONTH_FIRST, US

DATES = (ISO, US, MONTH_FIRST, DAY_FIRST)
ZIP_PLUS_FOUR = re.compile(r"(?<!\d)\d{5}\s*-\s*\d{4}(?!\d)")  # before identifiers: it has 9 digits too
ZIP = re.compile(r"(?<!\d)\d{5}(?!\d)")
ANY_DIGITS = re.compile(r"\d+(?:[^0-9A-Za-z\n]{1,3}\d+)*")

DATE_MASK = "[date of birth removed]"
ZIP_MASK = "[ZIP code removed]"
NUMBER_MASK = "[number removed]"


def mask_verification_answers(text: str) -> str:
    """Every date, identifier, ZIP code and other number in a message that answered the verification
    questions; identifiers keep their last four digits so an agent can still tell accounts apart."""
    text = mask(str(text or ""))
    for pattern in DATES:
        text = pattern.sub(DATE_MASK, text)
    text = ZIP_PLUS_FOUR.sub(ZIP_MASK, text)
    text = TYPED_IDENTIFIER.sub(lambda m: identifier_mask(m.group()), text)
    text = ZIP.sub(ZIP_MASK, text)
    return ANY_DIGITS.sub(lambda m: m.group() if _inside_mask(text, m) else NUMBER_MASK, text)


def identifier_mask(typed: str) -> str:
    digits = digits_of(typed)
    kind = "account number" if is_account_number(digits) else "record number"
    return f"[{kind} ending {digits[-4:]} removed]"


def mask_verification_slot(slot: str, value: Any) -> Any:
    """A checked answer as its slot holds it: "2000100001" -> "[account number ending 0001 removed]"."""
    if value is None:
        return None
    text = str(value)
    if slot == "verify_identifier" and re.sub(r"[\s.-]", "", text).isdigit():
        return identifier_mask(text)
    if slot == "verify_birth_date":
        return DATE_MASK
    if slot == "verify_zip":
        return ZIP_MASK
    return mask_verification_answers(text)


def _inside_mask(text: str, match: re.Match) -> bool:
    """The "0001" of "[account number ending 0001 removed]" is our own mask's ending, not an answer."""
    opening = text.rfind("[", 0, match.start())
    return opening != -1 and text.find("]", match.end()) != -1 and text.rfind("]", 0, match.start()) < opening
