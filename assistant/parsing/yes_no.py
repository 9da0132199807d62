"""A plain yes or no in words NLU was unsure of ("yes please stop it", "yep do it", "nope leave it"): read
only when the message opens with the word and says nothing that could take it back."""

from __future__ import annotations

import re

YES = re.compile(
    r"^\s*(?:ok(?:ay)?[\s,.!]+)?(?:yes|yeah|yea|yep|yup|ya|sure|correct|right|please do|go ahead|do it)\b",
    re.I,
)
NO = re.compile(r"^\s*(?:no|nope|nah|don'?t|do not)\b", re.I)
# Words after the yes or no that may change it: "yes but ...", "no wait", a number (a new amount or day).
HEDGE = re.compile(r"\b(?:but|wait|actually|instead|not|no|don'?t|change|rather|hold)\b|\d|\?", re.I)
NO_HEDGE = re.compile(r"\b(?:but|wait|actually|instead|yes)\b|\d|\?", re.I)


def plain_yes_or_no(text: str) -> bool | None:
    """True for a clear yes, False for a clear no, None when it is neither or hedged."""
    text = str(text or "")
    yes = YES.match(text)
    if yes:
        return None if HEDGE.search(text[yes.end() :]) else True
    no = NO.match(text)
    if no:
        return None if NO_HEDGE.search(text[no.end() :]) else False
    return None
