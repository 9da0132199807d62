"""What a member says they do not want ("$45.50 not 50", "not the visa, the bank", "the bank instead of
the card"): the words after "not", "instead of" or "rather than" name the thing being replaced, so they
are blanked before an amount or a payment method is read from the message."""

from __future__ import annotations

import re

# The negating words and the one thing they refuse: an amount ("$50", "50.25") or a word ("visa"),
# after an optional article ("not the visa").
NEGATED = re.compile(
    r"\b(?:not|instead\s+of|rather\s+than)\s+(?:(?:the|my|a|an|that|this|your)\s+)?(?:\$\s*)?[\w.,]*\w",
    re.IGNORECASE,
)


def without_negated(text: str) -> str:
    """`text` with each refused thing blanked out (same length, so positions still line up)."""
    return NEGATED.sub(lambda match: " " * len(match.group(0)), text)
