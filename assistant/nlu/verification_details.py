"""NLU component: a message carrying an account or medical record number and a date of birth is someone
verifying ("account 2000200001, born september 30 1972, zip 20852", "hi my account is ..., how much do i
owe?"), never off-topic: when the classifier rejected it (out_of_scope, or a fallback), it becomes
verify_identity, which the verification form takes as its answers and the gate as a request to verify."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.parsing.verification_facts import verification_facts_in

INTENT_NAME = "verify_identity"
REJECTED = ("out_of_scope", "nlu_fallback")


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class VerificationDetails(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VerificationDetails:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in REJECTED or text.startswith("/") or not verification_facts_in(text):
                continue
            verifying = {"name": INTENT_NAME, "confidence": 1.0}
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INTENT_NAME]
            message.set(INTENT, verifying, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [verifying] + ranking, add_to_output=True)
            message.set("response_selector", {}, add_to_output=True)
        return messages
