"""NLU component: "dont remember", "i don't know it", "not sure" answer a question the member cannot
answer; the classifier sometimes reads them as `cancel` (which stops the form: "OK, I've stopped that"), a
short one ("idk") as off topic (which answers where other topics go), or a bare "dont remember" as the FAQ
on a forgotten password (said at the date-of-birth question).
Read as not understood instead (`nlu_fallback`): the form asks again and, at the second such answer,
offers a person or the phone line, which is what someone who cannot remember their details needs."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from .intent_override import IntentOverride, override_intent

# The readings taken back: a stop, and off topic for a reply this short.
CANCEL_INTENT = "cancel"
OFF_TOPIC_INTENT = "out_of_scope"
FAQ_INTENT = "faq"
SHORT_REPLY_WORDS = 6
BARE_REPLY_WORDS = 3
FALLBACK_INTENT = "nlu_fallback"
NOT_KNOWING = re.compile(
    r"\b(?:(?:do\s*n[o']?t|dont|don't|doesn't|can\s*not|cannot|can'?t|cant)\s+(?:remember|recall|know|find|"
    r"think of|recollect)|idk|no idea|not sure|unsure|forgot|forget what|i forget|no clue|dunno)\b",
    re.IGNORECASE,
)
STOPPING = re.compile(
    r"\b(?:stop|cancel|quit|exit|never\s*mind|nvm|forget (?:it|about it|this|that)|skip|leave it)\b",
    re.IGNORECASE,
)


# An FAQ reading is taken back only for a bare not-knowing: "forgot my password" is that FAQ's question.
ABOUT_SIGNING_IN = re.compile(
    r"\b(?:forg[eo]t|password|username|user\s*name|login|log\s*in|sign\s*in)\b", re.IGNORECASE
)


def says_not_knowing(text: str) -> bool:
    return bool(NOT_KNOWING.search(text)) and not STOPPING.search(text)


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class CannotAnswer(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = (message.get(INTENT) or {}).get("name")
            text = message.get(TEXT) or ""
            words = len(text.split())
            taken_back = (
                intent == CANCEL_INTENT
                or (intent == OFF_TOPIC_INTENT and words <= SHORT_REPLY_WORDS)
                or (intent == FAQ_INTENT and words <= BARE_REPLY_WORDS and not ABOUT_SIGNING_IN.search(text))
            )
            if taken_back and says_not_knowing(text):
                override_intent(message, FALLBACK_INTENT)
        return messages
