"""Whether a message about autopay or paperless billing asks how it is set ("so is autopay off now?",
"did i go paperless?") rather than asking to change it ("stop my autopay", "hmm actually go paperless"):
the same words, which the intent classifier mixes up. A question here starts with its verb; "is it
possible to ..." and "do I have to ..." ask for the change in a polite shape."""

from __future__ import annotations

import re

STATE_QUESTION = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|wait|hmm+|um+|but|just|quick question|hey|hi)\W+)*"
    r"(?:is|are|am|was|were|did|does|do|has|have|had)\b",
    re.IGNORECASE,
)
POLITE_REQUEST = re.compile(
    r"\b(?:is|are)\s+(?:it|there|that)\s+(?:possible|a way|any way|ok|okay|alright)\b"
    r"|\b(?:do|does)\s+(?:i|we)\s+(?:need|have)\s+to\b|\b(?:do|does)\s+(?:you|u)\s+(?:mind|think)\b",
    re.IGNORECASE,
)


def asks_how_it_is_set(text: str) -> bool:
    return bool(STATE_QUESTION.search(text)) and not POLITE_REQUEST.search(text)
