"""NLU component: a message that plainly asks for a person ("get me a specialist", "can i talk to someone
about my bill", "I want a human") is a request for one (intent human_handoff), whatever the classifier
made of the rest of it ("ugh." read as off-topic, "about my bill" as an FAQ). A member who asks for a
person must never be answered with "I didn't get that"."""

from __future__ import annotations

import re

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from .intent_override import IntentOverride, override_intent

INTENT_NAME = "human_handoff"
SENSITIVE_INTENT = "share_sensitive_number"
# Who: the words members use for a person at the plan. "someone" only about the bill or on its own.
PERSON = (
    r"(?:(?:a|an|the|some|your)\s+)?(?:real\s+|live\s+|actual\s+|billing\s+)?"
    r"(?:human(?:\s+being)?|person|agent|representative|rep|specialist|operator|customer service)\b"
)
BILLING_TOPIC = r"(?:my\s+|the\s+|this\s+)?(?:bill|billing|account|payment|charge|balance|statement)s?"
SOMEONE = (
    rf"(?:someone|somebody|anyone|anybody)(?:\s+(?:about|regarding|with)\s+{BILLING_TOPIC})?"
    r"\s*(?:[.!?,]|$|please|pls|now)"
)
ASKING = re.compile(
    rf"\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:{PERSON}|{SOMEONE})"
    rf"|\b(?:get|give|connect|transfer|put)\s+me\s+(?:(?:to|with|through\s+to)\s+)?(?:{PERSON}|{SOMEONE})"
    rf"|\b(?:want|need|like)\s+(?:to\s+talk\s+to\s+)?{PERSON}"
    rf"|\bbring\s+in\s+{PERSON}"
    rf"|^\s*(?:a\s+)?(?:real\s+|live\s+)?(?:human|agent|representative|operator)\s*"
    rf"(?:please|pls|now)?\s*[.!?]*\s*$",
    re.I,
)


def asks_for_a_person(text: str) -> bool:
    return bool(ASKING.search(text or ""))


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class PersonRequest(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if text.startswith("/") or intent in (INTENT_NAME, SENSITIVE_INTENT):
                continue  # a card number in the message gets the safety answer first
            if not asks_for_a_person(text):
                continue
            override_intent(message, INTENT_NAME)
        return messages
