"""Whether a message about autopay or paperless billing asks how it is set ("so is autopay off now?",
"did i go paperless?") rather than asking to change it ("stop my autopay", "hmm actually go paperless"):
the same words, which the intent classifier mixes up. A question here starts with its verb; "is it
possible to ..." and "do I have to ..." ask for the change in a polite shape. And which way words ask
autopay or paperless billing to go ("set up autopay ...", "remove the automatic pay", "stop mailing me paper
bills"), whatever the classifier read."""

from __future__ import annotations

import re

STATE_QUESTION = re.compile(
    r"^\W*(?:(?:so|and|ok|okay|wait|hmm+|um+|but|just|quick question|hey|hi)\W+)*"
    # "do"/"have" ask only with a subject after them: "do I have autopay", not "do turn off my autopay"
    # or "do that, turn off autopay".
    r"(?:is|are|am|was|were|did|does"
    r"|(?:do|have|has|had)(?=\s+(?:i|you|u|we|they|he|she|it|my|our|your|his|her|the|this|me)\b))\b",
    re.IGNORECASE,
)
POLITE_REQUEST = re.compile(
    r"\b(?:is|are)\s+(?:it|there|that)\s+(?:possible|a way|any way|ok|okay|alright)\b"
    r"|\b(?:are|r)\s+(?:you|u)\s+able\s+to\b"
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
# "stop autopay on the visa, use my checking instead": a change of autopay, not turning it off.
REPLACING = re.compile(
    r"\b(?:instead|use|using|put\s+it\s+on|switch|move|replace|change|update|new|(?:start|set)\s+it)\b",
    re.IGNORECASE,
)


def autopay_wanted_in_words(text: str) -> bool | None:
    """True when the words ask for autopay on, False for off; None when they do not say, ask about it,
    say both ways, or negate ("please don't cancel my autopay, just move it to the 15th")."""
    if asks_how_it_is_set(text) or ASKS_WHY.search(text) or NEGATED.search(text) or REPLACING.search(text):
        return None
    on, off = bool(TURNING_ON.search(text)), bool(TURNING_OFF.search(text))
    return None if on == off else on


# Words that say which way, checked in this order; they outrank the intent, which mixes the two up more
# than anything else ("stop paperless, i want paper statements" read as paperless_on).
ONLINE = r"(?:paperless|e-?statements?|e-?bills?|electronic(?:ally)?|e-?mail(?:ed)?|online)"
ON_PAPER = r"(?:paper|mail(?:ed|ing)?|post(?:ed)?)"
PAPERLESS_DIRECTION = (
    # One way preferred over the other: "by email than by mail", "paper instead of email".
    (
        re.compile(
            rf"\b{ONLINE}\b.{{0,25}}\b(?:than|instead of|rather than|not)\b.{{0,15}}\b{ON_PAPER}\b", re.I
        ),
        True,
    ),
    (
        re.compile(
            rf"\b{ON_PAPER}\b.{{0,25}}\b(?:than|instead of|rather than|not)\b.{{0,15}}\b{ONLINE}\b", re.I
        ),
        False,
    ),
    (
        re.compile(
            r"\b(stop|cancel|turn off|end|quit|disable|opt out of|no more|get off|take me off)\s+"
            r"(the\s+|my\s+)?(paperless|e-?statements?|e-?bills?|electronic)",
            re.I,
        ),
        False,
    ),
    (re.compile(r"\b(stop|no more|don'?t|do not|quit|cancel)\b.{0,20}\b(paper|mail)", re.I), True),
    (
        re.compile(
            r"\b(want|need|prefer|send|mail)\b.{0,30}\bpaper\b|\bpaper\b.{0,25}\b(mail|mailed|post)\b"
            r"|\bback to paper\b",
            re.I,
        ),
        False,
    ),
    (
        re.compile(
            r"\b(go|switch|sign|enroll|turn on|start|activate)\b.{0,20}"
            r"\b(paperless|e-?statements?|electronic|email)\b",
            re.I,
        ),
        True,
    ),
)


def paperless_wanted_in_words(text: str) -> bool | None:
    """True for paperless on, False for paper by mail, None when the words do not say."""
    return next((wanted for pattern, wanted in PAPERLESS_DIRECTION if pattern.search(text)), None)


# Requests to change a setting, and the question about it their words may be asking instead.
STATUS_FOR_CHANGE = {
    "setup_autopay": "autopay_status",
    "change_autopay": "autopay_status",
    "cancel_autopay": "autopay_status",
    "paperless_on": "paperless_status",
    "paperless_off": "paperless_status",
}
AUTOPAY_INTENTS = frozenset({"setup_autopay", "change_autopay", "cancel_autopay", "autopay_status"})
PAPERLESS_CHANGES = frozenset({"paperless_on", "paperless_off"})


PAPERLESS_SETTING = (
    r"(?:paperless(?:\s+(?:billing|bills?|statements?))?|e-?statements?|e-?bill(?:s|ing)?"
    r"|(?:electronic|online|e-?mail)\s+(?:billing|bills?|statements?))"
)
SETTING = rf"(?:{AUTOPAY}|(?:my\s+|the\s+)?{PAPERLESS_SETTING})"
# A state, unless what follows makes it about how the setting works ("on the due date", "by default",
# "cancelled if my card expires").
STATE = (
    r"(?:on|off|active|enabled|disabled|set\s*up|working|running|cancell?ed|stopped|turned\s+(?:on|off))\b"
    r"(?!\s+(?:by\s+default|automatically|the|if|when|after|before|until)\b)"
)
# A question about how the member's own setting stands, in words the classifier reads as the general FAQ
# ("so is autopay off now?", "am i on paperless", "did my autopay get turned off?"): the setting with a
# state after it, the member on it, or theirs changed. "is autopay safe?", "does autopay take the full
# balance?" stay the FAQ.
STATE_OF_SETTING = re.compile(
    rf"\b(?:is|are|was)\s+{SETTING}\s+(?:still\s+|now\s+|currently\s+|already\s+)?{STATE}"
    r"|\b(?:am|are)\s+(?:i|we)\s+(?:still\s+|currently\s+|now\s+|already\s+)?"
    rf"(?:on|in|enrolled\s+in|signed\s+up\s+for|set\s+up\s+(?:for|with)|using)\s+{SETTING}"
    rf"|\b(?:do|did)\s+(?:i|we)\s+(?:still\s+|already\s+)?have\s+{SETTING}"
    rf"|\b(?:did|has|have)\s+(?:my|our)\s+{SETTING}\s+(?:get|gotten|been|got)\b"
    rf"|\b(?:is|are)\s+(?:my|our)\s+(?:bills?|statements?|accounts?)\s+(?:on\s+)?{SETTING}",
    re.IGNORECASE,
)
# The general FAQ answer about a setting, and the question about the member's own.
STATUS_FOR_FAQ = {"faq/autopay_info": "autopay_status", "faq/paperless_info": "paperless_status"}


def status_asked_in_faq(faq_answer: str | None, text: str) -> str | None:
    """The status intent when a message read as a setting's general FAQ asks how the member's own setting
    stands; None otherwise."""
    status = STATUS_FOR_FAQ.get(faq_answer or "")
    if status and asks_how_it_is_set(text) and STATE_OF_SETTING.search(text):
        return status
    return None


def setting_intent(intent: str | None, text: str) -> str | None:
    """The intent the words of a message about autopay or paperless billing make of the classifier's reading:
    a question about the setting is one ("so is autopay off now?" read as cancel_autopay), and words that
    say which way go that way ("remove the automatic pay" read as setup_autopay, "stop mailing me paper
    bills" as paperless_off). The classifier's intent when the words do not say."""
    if intent in STATUS_FOR_CHANGE and asks_how_it_is_set(text):
        return STATUS_FOR_CHANGE[intent]
    if intent in AUTOPAY_INTENTS:
        wanted = autopay_wanted_in_words(text)
        if wanted is False:
            return "cancel_autopay"
        if wanted and intent not in ("setup_autopay", "change_autopay"):
            return "setup_autopay"
    if intent in PAPERLESS_CHANGES:
        wanted = paperless_wanted_in_words(text)
        if wanted is not None:
            return "paperless_on" if wanted else "paperless_off"
    return intent
