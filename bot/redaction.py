"""Finding and masking card numbers, bank account numbers and SSNs in free text.

Used on every user message before it is stored (tracker store, handoff summaries) so a number a
member types into the chat never lands anywhere in full.
"""
from __future__ import annotations

import re
from typing import List, NamedTuple

from .card_numbers import luhn_valid

# Runs of digits that may be broken up by spaces or dashes, as people type card numbers.
_DIGIT_RUN = re.compile(r"(?<![\d.$])\d(?:[ -]?\d){7,22}(?![\d.])")
_SSN = re.compile(r"(?<!\d)(\d{3})[- ](\d{2})[- ](\d{4})(?!\d)")
_SSN_WORDS = re.compile(r"\b(ssn|social security|social sec|soc sec)\b", re.IGNORECASE)
_DATE = re.compile(r"^(\d{4}[- ]\d{1,2}[- ]\d{1,2}|\d{1,2}[- ]\d{1,2}[- ]\d{4})$")
# "account" alone is not enough: members type their billing account number to verify.
_BANK_WORDS = re.compile(r"\b(routing|checking|savings|bank)\b", re.IGNORECASE)


class Finding(NamedTuple):
    kind: str  # card | ssn | bank_account
    start: int
    end: int


def find_sensitive_numbers(text: str, known_identifiers: frozenset = frozenset()) -> List[Finding]:
    """Card numbers (13-19 digits passing Luhn), SSNs, and bank account or routing numbers said as such.

    `known_identifiers` are numbers that are safe to keep (a member's own billing account number).
    """
    findings: List[Finding] = []
    for match in _SSN.finditer(text):
        findings.append(Finding("ssn", match.start(), match.end()))
    for match in _DIGIT_RUN.finditer(text):
        if any(f.start <= match.start() < f.end for f in findings):
            continue
        digits = re.sub(r"\D", "", match.group())
        if digits in known_identifiers or _DATE.match(match.group()):
            continue
        if 13 <= len(digits) <= 19 and luhn_valid(digits):
            findings.append(Finding("card", match.start(), match.end()))
        elif len(digits) == 9 and _SSN_WORDS.search(text):
            findings.append(Finding("ssn", match.start(), match.end()))
        elif 8 <= len(digits) <= 17 and _BANK_WORDS.search(text) and not _looks_like_billing_account(digits):
            findings.append(Finding("bank_account", match.start(), match.end()))
    return sorted(findings)


def _looks_like_billing_account(digits: str) -> bool:
    # The plan's own account numbers are 10 digits starting with 2; members type them to verify.
    return len(digits) == 10 and digits.startswith("2")


def mask(text: str, known_identifiers: frozenset = frozenset()) -> str:
    """Replaces every sensitive number with a mask that keeps at most the last four digits."""
    findings = find_sensitive_numbers(text, known_identifiers)
    for finding in reversed(findings):
        digits = re.sub(r"\D", "", text[finding.start:finding.end])
        label = {"card": "card number", "ssn": "SSN", "bank_account": "account number"}[finding.kind]
        shown = "" if finding.kind == "ssn" else f" ending {digits[-4:]}"
        text = text[:finding.start] + f"[{label}{shown} removed]" + text[finding.end:]
    return text


def contains_sensitive_number(text: str) -> bool:
    return bool(find_sensitive_numbers(text))
