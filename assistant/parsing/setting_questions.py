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


AUTOPAY = (
    r"(?:my\s+|an?\s+|the\s+)?(?:auto\s*-?\s*pay|automatic\s+(?:payments?|pay)|recurring\s+payments?)"
    # not "stop autopay emails": the setting itself, not its messages
    r"(?!\s+(?:emails?|notifications?|reminders?|texts?|alerts?|messages?))"
)
SET_UP = r"set\s*up|turn\s+on|start|enable|enroll\s+(?:me\s+)?in|sign\s+(?:me\s+)?up\s+for|put\s+me\s+on"
TURN_OFF = r"cancel|stop|turn\s+off|end|remove|disable|discontinue|get\s+rid\s+of|take\s+me\s+off|no\s+more"
NOT_BEFORE = r"(?<!not\s)(?<!n't\s)(?<!dont\s)(?<!never\s)"
# The verb comes before the setting: "when will autopay start" asks; "no more autopay" asks for it off.
TURNING_ON = re.compile(rf"{NOT_BEFORE}\b(?:{SET_UP})\s+{AUTOPAY}", re.IGNORECASE)
TURNING_OFF = re.compile(rf"{NOT_BEFORE}\b(?:{TURN_OFF})\s+{AUTOPAY}", re.IGNORECASE)
# "why did you cancel my autopay", "how come autopay is off": about what happened, not a request.
ASKS_WHY = re.compile(r"^\W*(?:why|how\s+come|who|when)\b", re.IGNORECASE)
NEGATED = re.compile(r"\b(?:don'?t|do\s+not|never|didn'?t|did\s+not|not|keep)\b", re.IGNORECASE)


def autopay_wanted_in_words(text: str) -> bool | None:
    """True when the words ask for autopay on, False for off; None when they do not say, ask about it,
    say both ways, or negate ("please don't cancel my autopay, just move it to the 15th")."""
    if asks_how_it_is_set(text) or ASKS_WHY.search(text) or NEGATED.search(text):
        return None
    on, off = bool(TURNING_ON.search(text)), bool(TURNING_OFF.search(text))
    return None if on == off else on
