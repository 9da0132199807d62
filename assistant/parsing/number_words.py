"""English number words to integers: "one hundred and twenty five" -> 125."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0,
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
SCALES = {"hundred": 100, "thousand": 1000}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "eleventh": 11,
    "twelfth": 12,
    "thirteenth": 13,
    "fourteenth": 14,
    "fifteenth": 15,
    "sixteenth": 16,
    "seventeenth": 17,
    "eighteenth": 18,
    "nineteenth": 19,
    "twentieth": 20,
    "thirtieth": 30,
}
NUMBER_WORDS = set(UNITS) | set(TENS) | set(SCALES)


def words_to_number(words: list[str]) -> int | None:
    """Reads a run of number words; None when the run is not a number ("a" alone is not)."""
    words = [w for w in words if w != "and"]
    if not words or words == ["a"] or words == ["an"]:
        return None
    total, current = 0, 0
    for word in words:
        if word in UNITS:
            current += UNITS[word]
        elif word in TENS:
            current += TENS[word]
        elif word == "hundred":
            current = max(current, 1) * 100
        elif word == "thousand":
            total += max(current, 1) * 1000
            current = 0
        else:
            return None
    return total + current


def number_word_runs(text: str) -> list[tuple[int, int, int]]:
    """(value, start, end) of each run of number words in text."""
    runs = []
    tokens = list(re.finditer(r"[a-z]+", text.lower()))
    index = 0
    while index < len(tokens):
        if tokens[index].group() in NUMBER_WORDS:
            start = index
            while index < len(tokens) and (
                tokens[index].group() in NUMBER_WORDS
                or (
                    tokens[index].group() == "and"
                    and index + 1 < len(tokens)
                    and tokens[index + 1].group() in NUMBER_WORDS
                )
            ):
                index += 1
            value = words_to_number([t.group() for t in tokens[start:index]])
            if value is not None:
                runs.append((value, tokens[start].start(), tokens[index - 1].end()))
        else:
            index += 1
    return runs


def ordinal_value(word: str) -> int | None:
    """ "fifteenth" -> 15, "twenty-first" / "twenty first" -> 21."""
    parts = re.split(r"[\s-]+", word.lower().strip())
    if len(parts) == 1:
        return ORDINALS.get(parts[0])
    if len(parts) == 2 and parts[0] in TENS and parts[1] in ORDINALS and ORDINALS[parts[1]] < 10:
        return TENS[parts[0]] + ORDINALS[parts[1]]
    return None
