"""Whether a message about autopay or paperless billing asks how it is set ("so is autopay off now?",
"did i go paperless?") rather than asking to change it ("stop my autopay", "hmm actually go paperless"):
the same words, which the intent classifier mixes up. A question here starts with its verb; "is it
possible to ..." and "do I have to ..." ask for the change in a polite shape. And which way words ask
autopay to go ("set up autopay ...", "remove the automatic pay"), whatever the classifier read."""

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


AUTOPAY = r"(?:my\s+|an?\s+|the\s+)?(?:auto\s*-?\s*pay|automatic\s+(?:payments?|pay)|recurring\s+payments?)"
SET_UP = r"set\s*up|turn\s+on|start|enable|enroll\s+(?:me\s+)?in|sign\s+(?:me\s+)?up\s+for|put\s+me\s+on"
TURN_OFF = r"cancel|stop|turn\s+off|end|remove|disable|discontinue|get\s+rid\s+of|take\s+me\s+off|no\s+more"
# The verb comes before the setting: "when will autopay start" asks; "no more autopay" asks for it off.
AUTOPAY_WANTED = (
    (re.compile(rf"\b(?:{TURN_OFF})\s+{AUTOPAY}", re.IGNORECASE), False),
    (re.compile(rf"\b(?:{SET_UP})\s+{AUTOPAY}", re.IGNORECASE), True),
)


def autopay_wanted_in_words(text: str) -> bool | None:
    """True when the words ask for autopay on, False for off, None when they do not say (or ask about it)."""
    if asks_how_it_is_set(text):
        return None
    return next((wanted for pattern, wanted in AUTOPAY_WANTED if pattern.search(text)), None)
