"""Card, SSN, bank and security-code numbers typed over two or three messages in a row ("4242 4242",
then "4242 4242"): each message alone looks harmless, together they are a card number.

A piece is the number a message ends with, a message that is only a number, or the number the next
message starts with. Messages that answered the verification questions are never joined: they are
answers to separate questions, masked on their own once checked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from billing_contract.redaction import (
    ACCOUNT_WORDS,
    BANK_WORDS,
    DIGIT_RUN,
    MASKED,
    SECURITY_CODE_WORDS,
    SSN_WORDS,
    classify_digits,
    mask,
    separator_kind,
)

MAX_MESSAGES = 3
MESSAGE_BREAK = "\n"  # the separator between pieces from different messages
_RUN = DIGIT_RUN.pattern
TRAILING = re.compile(rf"({_RUN})[^0-9A-Za-z\[\]]*$")
LEADING = re.compile(rf"^[^0-9A-Za-z\[\]]*({_RUN})")
ONLY = re.compile(rf"^[^0-9A-Za-z\[\]]*({_RUN})[^0-9A-Za-z\[\]]*$")
SENSITIVE_WORDS = re.compile(
    f"{SSN_WORDS.pattern}|{BANK_WORDS.pattern}|{ACCOUNT_WORDS.pattern}", re.IGNORECASE
)
# Pieces that are whole answers people type on their own: a plan account number, a ZIP code, a date.
# Messages made only of those are not joined, unless SSN, bank or account words say otherwise (then
# privacy wins: "my account is 2000100001" then "94612" is stored masked, as a bank number would be).
WHOLE_ANSWER = re.compile(r"^(2\d{9}|\d{5}|\d{5}\s*-\s*\d{4}|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4})$")


class Piece(NamedTuple):
    message: int  # index into the messages given
    start: int
    end: int


class SplitNumber(NamedTuple):
    kind: str
    pieces: tuple[Piece, ...]
    digits: str


def find_split_numbers(messages: Sequence[str], joinable: Sequence[bool] | None = None) -> list[SplitNumber]:
    """Numbers that only appear when consecutive messages are read together. `messages` are the member's
    messages in order; `joinable[i]` False keeps message i out of every join."""
    texts = [mask(text) for text in messages]
    joinable = list(joinable) if joinable is not None else [True] * len(texts)
    found: list[SplitNumber] = []
    for last in range(1, len(texts)):
        for count in range(2, MAX_MESSAGES + 1):
            first = last - count + 1
            if first < 0 or not all(joinable[first : last + 1]):
                break
            split = _joined(texts, first, last)
            if split:
                found.append(split)
        security_code = _security_code_answer(texts, last)
        if security_code and joinable[last]:
            found.append(security_code)
    return found


def _joined(texts: list[str], first: int, last: int) -> SplitNumber | None:
    pieces: list[Piece] = []
    for index in range(first, last + 1):
        pattern = TRAILING if index == first else LEADING if index == last else ONLY
        match = pattern.search(texts[index])
        if not match:
            return None
        pieces.append(Piece(index, match.start(1), match.end(1)))
    numbers = [texts[p.message][p.start : p.end] for p in pieces]
    context = MASKED.sub(" ", " ".join(texts[first : last + 1]))
    groups: list[str] = []
    separators: list[str] = []
    for number in numbers:
        inner = re.findall(r"\d+", number)
        if groups:
            separators.append(MESSAGE_BREAK)
        separators.extend(separator_kind(between) for between in re.findall(r"\D+", number))
        groups.extend(inner)
    digits = "".join(groups)
    kind = classify_digits(digits, context, tuple(groups), tuple(separators))
    answers_only = all(WHOLE_ANSWER.match(number) for number in numbers)
    whole_answers = answers_only and not SENSITIVE_WORDS.search(context)
    if whole_answers and kind != "card":
        return None  # "2000100001" then "94612": an account number and a ZIP code, not one number
    # A card number wins even over answer shapes ("30000" then "00000-0004"): over-masking a stored ZIP
    # costs nothing once it is checked, a stored card number is a breach.
    return SplitNumber(kind, tuple(pieces), digits) if kind else None


def _security_code_answer(texts: list[str], last: int) -> SplitNumber | None:
    """ "what's the cvv?" then "123 thanks": a message starting with 3 or 4 digits (and no others) right
    after one naming the code."""
    match = re.fullmatch(r"[^\w\[]*(\d{3,4})(?![\d\[])[^\d\[]*", texts[last])
    if match and SECURITY_CODE_WORDS.search(texts[last - 1]):
        return SplitNumber("security_code", (Piece(last, match.start(1), match.end(1)),), match.group(1))
    return None
