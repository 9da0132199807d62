"""NLU component: a message that is only a stop ("forget it, i'll do it later", "never mind, not now") but
that the classifier was unsure of (it fell back) is a stop: at a read-back, a "Sorry, I didn't catch
that" and the question again had let the next "ok" pay."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from .intent_override import IntentOverride, override_intent

FALLBACK_INTENT = "nlu_fallback"
CANCEL_INTENT = "cancel"
# The whole message is a stop, at most with a put-off after it: "forget that, pay $40 instead", "never mind
# the visa, use my checking" or "nvm found it 2000100001" are answers the form reads, not stops.
PLAIN_STOP = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|actually|no|nah|hmm+|wait|oh)\W+)*"
    r"(?:forget\s+(?:it|about\s+it|that|this)|never\s*mind|nvm|cancel(?:\s+(?:it|that|this))?|stop(?:\s+(?:it|that))?|"
    r"skip\s+it|leave\s+it|not\s+now)"
    r"(?:\W+(?:(?:i'?ll|i\s+will|ill)\s+(?:do|pay|call|come\s+back|check|try)(?:\s+(?:it|this|that|back))?"
    r"(?:\s+(?:later|tomorrow|another\s+time|next\s+week))?|later|another\s+time|not\s+now|for\s+now|"
    r"thanks?|thank\s+you|maybe\s+later))*\W*$",
    re.IGNORECASE,
)


def says_only_stop(text: str) -> bool:
    return bool(PLAIN_STOP.search(text))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PlainStop(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            unsure = (message.get(INTENT) or {}).get("name") == FALLBACK_INTENT
            if unsure and says_only_stop(message.get(TEXT) or ""):
                override_intent(message, CANCEL_INTENT)
        return messages
