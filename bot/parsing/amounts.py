"""Payment amounts as members type them: "$50", "fifty dollars", "75.20", "the full balance", "the minimum"."""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Optional

from .number_words import number_word_runs


@dataclass(frozen=True)
class AmountAnswer:
    kind: str  # full | minimum | cents
    cents: Optional[int] = None


FULL = re.compile(r"\b(full|entire|whole|total|everything|all of it|all of that|all|pay (it|this|that) off|payoff|"
                  r"in full|balance in full)\b", re.IGNORECASE)
MINIMUM = re.compile(r"\b(min|minimum|minimal|least|lowest)\b", re.IGNORECASE)
DOLLAR_FIGURE = re.compile(r"\$\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?|(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*"
                           r"(?:dollars?|bucks|usd)\b|\b(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\b", re.IGNORECASE)
CENT_WORDS = re.compile(r"\b(?:and\s+)?([a-z -]+?)\s+cents?\b", re.IGNORECASE)


class AmountError(ValueError):
    """The text names an amount that cannot be paid (fractions of a cent)."""


def parse_amount(text: str) -> Optional[AmountAnswer]:
    """Returns what the member asked to pay, or None when the text names no amount."""
    figure = _figure(text)
    if figure is not None:
        return AmountAnswer("cents", figure)
    words = _words(text)
    if words is not None:
        return AmountAnswer("cents", words)
    if MINIMUM.search(text):
        return AmountAnswer("minimum")
    if FULL.search(text):
        return AmountAnswer("full")
    return None


def _figure(text: str) -> Optional[int]:
    candidates = []
    for match in DOLLAR_FIGURE.finditer(text):
        dollars_sign, cents_sign, dollars_word, cents_word, bare, cents_bare = match.groups()
        if dollars_sign is not None:
            candidates.append((0, dollars_sign, cents_sign))
        elif dollars_word is not None:
            candidates.append((1, dollars_word, cents_word))
        elif len(bare.replace(",", "")) <= 7:  # longer bare numbers are account or phone numbers
            candidates.append((2, bare, cents_bare))
    if not candidates:
        return None
    _, dollars, cents = min(candidates, key=lambda c: c[0])
    if cents is not None and len(cents) > 2:
        raise AmountError("Amounts are in dollars and cents; that has a fraction of a cent.")
    value = Decimal(dollars.replace(",", "") + "." + (cents or "0").ljust(2, "0"))
    return int(value * 100)


def _words(text: str) -> Optional[int]:
    runs = number_word_runs(text)
    if not runs:
        return None
    lowered = text.lower()
    dollars = runs[0][0]
    cents = 0
    cent_match = CENT_WORDS.search(lowered)
    if cent_match and len(runs) > 1 and runs[-1][1] >= cent_match.start(1):
        cents = runs[-1][0]
        if cents >= 100:
            raise AmountError("Cents go up to 99.")
    elif len(runs) == 1 and cent_match and runs[0][1] >= cent_match.start(1):
        return runs[0][0] if runs[0][0] < 100 else None
    return dollars * 100 + cents
