"""Payment amounts as members type them: "$50", "fifty dollars", "75.20", "50 cents", ".50", "1.5k",
"$50 and 25 cents", "the full balance", "the minimum".

An amount is read only when the text means one: numbers that are account endings, dates, days, phone
numbers or counts are skipped, and so is an amount the member refuses ("$45.50, not 50"). Two different
amounts, negatives and fractions of a cent are refused with a question the member can answer
(AmountError's message is shown to them as is). Upper bounds are the form's business, not the parser's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .dates import MONTHS
from .negation import without_negated
from .number_words import number_word_runs


@dataclass(frozen=True)
class AmountAnswer:
    kind: str  # full | minimum | cents
    cents: int | None = None


class AmountError(ValueError):
    """The text names an amount that cannot be paid as said; the message asks the member what they meant."""


FULL = re.compile(
    r"\b(full|entire|whole|total|everything|all of it|all of that|all|pay (it|this|that) off|payoff|"
    r"in full|balance in full)\b",
    re.IGNORECASE,
)
# "i cant pay all that", "unable to pay the full amount": the full amount is what they cannot pay.
CANNOT_PAY = re.compile(
    r"\b(?:can'?t|cannot|can not|unable to|not able to|won'?t be able to)\s+(?:afford|pay)\b[^,.;!?]*",
    re.IGNORECASE,
)
MINIMUM = re.compile(r"\b(min|minimum|minimal|least|lowest)\b", re.IGNORECASE)

# One figure: "$1,234.56", "1234", ".50", "1.5k", "2 thousand", "50 dollars", "50 cents".
FIGURE = re.compile(
    r"(?P<dollar>\$\s*)?(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)(?![\d,]*\d)"
    r"(?:\s*(?P<thousands>k\b|thousand\b))?"
    r"(?:\s*(?P<unit>dollars?\b|bucks\b|usd\b|cents?\b))?",
    re.IGNORECASE,
)
# Between "$50" / "fifty dollars" and the "25 cents" that belong to it.
DOLLARS_THEN_CENTS = re.compile(r"^\s*(?:dollars?|bucks)?\s*,?\s*(?:and\s+)?$", re.IGNORECASE)
NEGATIVE_WORDS = re.compile(r"\b(negative|minus)\s+(\$\s*)?(\d|[a-z])", re.IGNORECASE)
# What a number right before or after tells us it is not an amount.
NOT_AN_AMOUNT_BEFORE = re.compile(
    r"(?:\b(?:ending|ends|end|last|account|acct|card|number|no|member|record|mrn|zip|id|in|with|x|"
    r"digits?|four|4)\s*(?:is|are|in|with|of)?\s*[:#-]?\s*|#\s*)$",
    re.IGNORECASE,
)
NOT_AN_AMOUNT_AFTER = re.compile(
    r"^(?:st|nd|rd|th|%|\s*(?:percent|months?|weeks?|days?|years?|payments?|installments?|people|persons?|"
    r"times|am|pm|a\.m|p\.m|o'?clock)\b)",
    re.IGNORECASE,
)
DATE_OR_PHONE = re.compile(r"\d+(?:[/-]\d+)+|\d+:\d+|\(\d{3}\)\s*\d{3}-\d{4}")
MONTH_BEFORE = re.compile(r"\b(" + "|".join(MONTHS) + r")\.?\s*$", re.IGNORECASE)

ASK_ONE_AMOUNT = "How much would you like to pay? For example: $50 or $50.25."


def parse_amount(text: str) -> AmountAnswer | None:
    """Returns what the member asked to pay, or None when the text names no amount.

    Raises AmountError for negatives, fractions of a cent and two different amounts. An amount the member
    refuses ("$45.50, not 50") is not one of them.
    """
    text = CANNOT_PAY.sub(" ", without_negated(str(text or "")))
    _refuse_negative(text)
    distinct = sorted({said.cents for said in _amounts(text)})
    if len(distinct) > 1:
        said = " or ".join(_dollars(cents) for cents in distinct)
        raise AmountError(
            f"I'm not sure which amount you mean: {said}? Please tell me the one amount to pay."
        )
    if distinct:
        return AmountAnswer("cents", distinct[0])
    if MINIMUM.search(text):
        return AmountAnswer("minimum")
    if FULL.search(text):
        return AmountAnswer("full")
    return None


@dataclass(frozen=True)
class _Said:
    """One amount in the text: where it is, its value, and whether it was only cents ("25 cents")."""

    start: int
    end: int
    cents: int
    only_cents: bool
    in_figures: bool
    whole_dollars: bool  # no cents part yet, so "... and 25 cents" can follow


def _amounts(text: str) -> list[_Said]:
    said = sorted(_figures(text) + _words(text), key=lambda s: s.start)
    merged: list[_Said] = []
    for item in said:
        last = merged[-1] if merged else None
        if (
            last
            and item.only_cents
            and last.whole_dollars
            and not last.only_cents
            and DOLLARS_THEN_CENTS.match(text[last.end : item.start])
        ):
            merged[-1] = _Said(
                last.start,
                item.end,
                last.cents + item.cents,
                False,
                last.in_figures or item.in_figures,
                False,
            )
        else:
            merged.append(item)
    if any(item.in_figures for item in merged):  # "pay that one $50": the figure is the amount
        merged = [item for item in merged if item.in_figures]
    return merged


def _refuse_negative(text: str) -> None:
    for match in re.finditer(r"-\s*\$?\s*\.?\d|\$\s*-\s*\d", text):
        before = text[: match.start()].rstrip()
        if not before or not (before[-1].isdigit() or before[-1] in "/-"):  # "20 - 30" is a range
            raise AmountError(f"I can only take an amount above zero. {ASK_ONE_AMOUNT}")
    if NEGATIVE_WORDS.search(text):
        raise AmountError(f"I can only take an amount above zero. {ASK_ONE_AMOUNT}")


def _figures(text: str) -> list[_Said]:
    skipped = [m.span() for m in DATE_OR_PHONE.finditer(text)]
    found: list[_Said] = []
    for match in FIGURE.finditer(text):
        if any(s <= match.start("number") < e for s, e in skipped) or not _could_be_amount(text, match):
            continue
        number = match.group("number").replace(",", "")
        value = Decimal(number) * (1000 if match.group("thousands") else 1)
        only_cents = (match.group("unit") or "").lower().startswith("cent") and not match.group("dollar")
        if only_cents:
            found.append(_Said(match.start(), match.end(), _cents_value(value), True, True, False))
        else:
            found.append(
                _Said(
                    match.start(),
                    match.end(),
                    _whole_cents(value),
                    False,
                    True,
                    "." not in number and not match.group("thousands"),
                )
            )
    return found


def _could_be_amount(text: str, match: re.Match) -> bool:
    number = match.group("number")
    digits = number.replace(",", "").split(".")[0]
    marked = bool(match.group("dollar") or match.group("unit") or match.group("thousands"))
    before = text[: match.start("number")]
    after = text[match.end("number") :]
    if before[-1:].isalpha() or (after[:1].isalpha() and not marked):
        return False  # part of a word or code: "cvv2", "M100001", "5am"
    if not marked:
        if len(digits) > 7:  # account, record, phone and card numbers, not amounts
            return False
        if len(digits) > 1 and digits.startswith("0"):  # "0001" is an account ending
            return False
        if NOT_AN_AMOUNT_BEFORE.search(before) or MONTH_BEFORE.search(before):
            return False
    return not NOT_AN_AMOUNT_AFTER.match(after)


def _words(text: str) -> list[_Said]:
    lowered = text.lower()
    found: list[_Said] = []
    for value, start, end in number_word_runs(text):
        if lowered[start:end] == "one" and not re.match(r"\s*(?:dollars?|bucks)\b", lowered[end:]):
            continue  # "that one", "the one ending 4242": a choice, not an amount
        if re.search(r"\b(?:last|first)\s*$", lowered[:start]) or re.match(
            r"\s*(?:digits?\b|\d)", lowered[end:]
        ):
            continue  # "the last four", "four digits": describing a number, not an amount
        if re.match(r"\s*cents?\b", lowered[end:]):
            found.append(_Said(start, end, _cents_value(value), True, False, False))
        else:
            found.append(_Said(start, end, value * 100, False, False, True))
    return found


def _cents_value(value: Decimal | int) -> int:
    if value >= 100:
        raise AmountError(f"Cents go up to 99. {ASK_ONE_AMOUNT}")
    if value != int(value):
        raise AmountError(
            f"Amounts are in dollars and cents, and that has a fraction of a cent. {ASK_ONE_AMOUNT}"
        )
    return int(value)


def _whole_cents(dollars: Decimal) -> int:
    cents = dollars * 100
    if cents != cents.to_integral_value():
        raise AmountError(
            f"Amounts are in dollars and cents, and that has a fraction of a cent. {ASK_ONE_AMOUNT}"
        )
    return int(cents)


def _dollars(cents: int) -> str:
    return f"${cents / 100:,.2f}"
