"""NLU component: a message carrying an account or medical record number and a date of birth is someone
verifying ("account 2000200001, born september 30 1972, zip 20852", "hi my account is ..., how much do i
owe?"), never off-topic: when the classifier rejected it (out_of_scope, or a fallback), it becomes
verify_identity, which the verification form takes as its answers and the gate as a request to verify."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from assistant.parsing.verification_facts import verification_facts_in

from .intent_override import IntentOverride, override_intent

INTENT_NAME = "verify_identity"
REJECTED = ("out_of_scope", "nlu_fallback")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class VerificationDetails(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if intent in REJECTED and not text.startswith("/") and verification_facts_in(text):
                override_intent(message, INTENT_NAME)
        return messages
