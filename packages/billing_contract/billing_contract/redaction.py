"""Finding and masking card numbers, card security codes, bank account and routing numbers and SSNs
in free text.

`mask(text)` is the one function every way in calls (channels before a message is handled, the NLU
guard, the tracker store, case summaries, logs). It is idempotent (masked text masks to itself) and
keeps what members need to type: billing account numbers (10 digits starting with 2), medical record
numbers (8 digits), dates of birth, ZIP codes, phone numbers and amounts like "$1,250.00".

Digits are read through the separators people type (spaces, dots, dashes, slashes, commas, other
punctuation) before the Luhn, SSN and bank checks, so "4242.4242.4242.4242." and "123.45.6789" are found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from typing import NamedTuple

from billing_contract.account_numbers import is_account_number, is_medical_record_number
from billing_contract.card_numbers import luhn_valid

# Digit groups joined by up to three separator characters (anything but letters, digits and newlines).
DIGIT_RUN = re.compile(r"\d+(?:[^0-9A-Za-z\n]{1,3}\d+)*")
_GROUP = re.compile(r"\d+")
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", re.IGNORECASE)
# Our own masks: their words ("SSN", "account number") must not become context on a second pass.
MASKED = re.compile(r"\[[^\[\]]*removed\]")

SSN_WORDS = re.compile(r"\b(ssn|ss#|social|soc sec|tax id|taxpayer id|tin|itin)\b", re.IGNORECASE)
# Words that can only mean a bank: any 8-17 digit number beside them is a bank account or routing number.
BANK_WORDS = re.compile(r"\b(routing|aba|checking|savings|bank|iban|direct deposit|ach)\b", re.IGNORECASE)
# "account" alone: members type their plan account or record number to verify, so those shapes stay.
ACCOUNT_WORDS = re.compile(r"\b(account|acct|a/c)\b", re.IGNORECASE)
SECURITY_CODE = re.compile(
    r"\b(?:cvv2?|cvc2?|cvn|csc|cid|security\s+code|card\s+code|card\s+verification(?:\s+(?:code|value|number))?|"
    r"(?:\d|three|four)\s+digits?\s+on\s+the\s+back|(?:code|number|digits?)\s+on\s+the\s+back)"
    r"(?:[^\d$.?!\n]{0,25}?)(?<!\d)(\d{3,4})(?!\d)"
    r"|(?<!\d)(\d{3,4})\s+(?:is\s+)?(?:my\s+|the\s+)?(?:cvv2?|cvc2?|csc|security\s+code)\b",
    re.IGNORECASE,
)
SECURITY_CODE_WORDS = re.compile(
    r"\b(cvv2?|cvc2?|cvn|csc|security code|card code|card verification"
    r"|digits? on the back|code on the back)\b",
    re.IGNORECASE,
)

LABELS = {
    "card": "card number",
    "ssn": "SSN",
    "bank_account": "account number",
    "security_code": "security code",
}


class Finding(NamedTuple):
    kind: str  # card | ssn | bank_account | security_code
    start: int
    end: int


class _Window(NamedTuple):
    digits: str
    start: int
    end: int
    groups: tuple[str, ...]
    separators: tuple[str, ...]


def find_sensitive_numbers(text: str, known_identifiers: frozenset = frozenset()) -> list[Finding]:
    """Card numbers (13-19 digits passing Luhn), SSNs, card security codes, and bank account or routing
    numbers said as such. `known_identifiers` are digit strings that are safe to keep."""
    text = str(text or "")
    context = MASKED.sub(" ", text)
    machine_ids = [m.span() for m in _UUID.finditer(text)]
    findings: list[Finding] = []
    for match in SECURITY_CODE.finditer(text):
        group = 1 if match.group(1) else 2
        findings.append(Finding("security_code", match.start(group), match.end(group)))
    for run in DIGIT_RUN.finditer(text):
        if any(start < run.end() and run.start() < end for start, end in machine_ids) or _inside_word(
            text, run
        ):
            continue
        for finding in _findings_in_run(run, context, known_identifiers):
            if not any(f.start < finding.end and finding.start < f.end for f in findings):
                findings.append(finding)
    # By position: mask() replaces from the last one back, so earlier offsets stay right.
    return sorted(findings, key=lambda finding: (finding.start, finding.end))


def _inside_word(text: str, run: re.Match) -> bool:
    """Digits with letters on both sides are part of a machine id (a hash, a signed token), not typed."""
    return text[run.start() - 1 : run.start()].isalpha() and text[run.end() : run.end() + 1].isalpha()


def _findings_in_run(run: re.Match, context: str, known: frozenset) -> Iterator[Finding]:
    windows = sorted(_windows(run), key=lambda w: (-len(w.digits), w.start))
    taken: list[tuple[int, int]] = []
    for window in windows:
        if any(start < window.end and window.start < end for start, end in taken):
            continue
        kind = (
            None
            if window.digits in known
            else classify_digits(window.digits, context, window.groups, window.separators)
        )
        if kind:
            taken.append((window.start, window.end))
            yield Finding(kind, window.start, window.end)
    if not taken:
        digits = "".join(_GROUP.findall(run.group()))
        # Mixed separators ("4242 4242-4242.4242"): the whole run as one number, unless it holds a date.
        if 13 <= len(digits) <= 19 and luhn_valid(digits) and not _holds_date(run.group()):
            yield Finding("card", run.start(), run.end())


def _windows(run: re.Match) -> Iterator[_Window]:
    """Every stretch of consecutive digit groups typed with one kind of separator, up to 19 digits."""
    groups = list(_GROUP.finditer(run.group()))
    separators = [separator_kind(run.group()[a.end() : b.start()]) for a, b in pairwise(groups)]
    for first in range(len(groups)):
        digits = ""
        for last in range(first, len(groups)):
            if last > first and separators[last - 1] != separators[first]:
                break
            digits += groups[last].group()
            if len(digits) > 19:
                break
            yield _Window(
                digits,
                run.start() + groups[first].start(),
                run.start() + groups[last].end(),
                tuple(g.group() for g in groups[first : last + 1]),
                tuple(separators[first:last]),
            )


def separator_kind(between: str) -> str:
    """ "  " and " " are one kind, " - " and "-" another."""
    stripped = between.strip()
    return stripped if stripped else " "


def classify_digits(
    digits: str, context: str, groups: tuple[str, ...] = (), separators: tuple[str, ...] = ()
) -> str | None:
    """What a number is, from its digits, how it was grouped and the words around it; None when it may be
    kept. Also used for numbers split over several messages (then `context` is those messages)."""
    groups = groups or (digits,)
    lengths = tuple(len(g) for g in groups)
    zip_plus_four = lengths == (5, 4) and "\n" not in separators  # across two messages: an SSN said in halves
    if _looks_like_date(groups, separators) or _looks_like_phone(lengths) or zip_plus_four:
        return None
    # A plan account number typed after other numbers ("94612 04/12/1985 2000100001") is that number:
    # cards are grouped in fours (or 4-6-5), never around a whole ten-digit account number.
    if len(groups) > 1 and any(is_account_number(group) for group in groups):
        return None
    if 13 <= len(digits) <= 19 and luhn_valid(digits):
        return "card"
    if lengths == (3, 2, 4) or (len(digits) == 9 and SSN_WORDS.search(context)):
        return "ssn"
    # The plan's own account numbers are kept: members type them to verify.
    if 8 <= len(digits) <= 17 and not is_account_number(digits):
        if BANK_WORDS.search(context):
            return "bank_account"
        if ACCOUNT_WORDS.search(context) and not is_medical_record_number(digits):
            return "bank_account"
    return None


def _looks_like_date(groups: tuple[str, ...], separators: tuple[str, ...]) -> bool:
    if len(groups) != 3 or any(s not in "/-. " for s in separators):
        return False
    lengths = tuple(len(g) for g in groups)
    return lengths in {(4, 1, 1), (4, 1, 2), (4, 2, 1), (4, 2, 2)} or (
        lengths[0] <= 2 and lengths[1] <= 2 and lengths[2] in (2, 4)
    )


def _looks_like_phone(lengths: tuple[int, ...]) -> bool:
    return lengths in {(3, 3, 4), (1, 3, 3, 4), (3, 4)}


_DATE_TEXT = re.compile(r"\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}")


def _holds_date(text: str) -> bool:
    return bool(_DATE_TEXT.search(text))


def mask(text: str, known_identifiers: frozenset = frozenset()) -> str:
    """Replaces every sensitive number with a mask that keeps at most the last four digits of a card or
    bank number ("[card number ending 4242 removed]", "[SSN removed]", "[security code removed]")."""
    text = str(text or "")
    if not any(char.isdigit() for char in text):
        return text  # the common case, kept cheap: channels call this on every message
    for finding in reversed(find_sensitive_numbers(text, known_identifiers)):
        text = (
            text[: finding.start]
            + mask_label(finding.kind, text[finding.start : finding.end])
            + text[finding.end :]
        )
    return text


def mask_label(kind: str, number: str) -> str:
    digits = re.sub(r"\D", "", number)
    shown = f" ending {digits[-4:]}" if kind in ("card", "bank_account") else ""
    return f"[{LABELS[kind]}{shown} removed]"


def contains_sensitive_number(text: str) -> bool:
    return bool(find_sensitive_numbers(text))


# What `mask` leaves in place of a number: the channels mask before the NLU runs, so a message that
# carried a number reaches the guard already masked and must still get the safety answer.
MASKED = re.compile(
    r"\[(?:" + "|".join(re.escape(label) for label in LABELS.values()) + r")(?: ending \d{4})? removed\]"
)


def carried_sensitive_number(text: str) -> bool:
    """Whether the member typed a sensitive number into this text, masked already or not."""
    return bool(MASKED.search(text)) or contains_sensitive_number(text)
