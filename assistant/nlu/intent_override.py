"""The shape shared by the NLU components that decide an intent themselves, whatever the classifier
predicted (a card number, a plain request for a person, verification details): untrained, run on each
message, and the classifier's own reading kept behind theirs in the ranking."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData


class IntentOverride(GraphComponent):
    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> IntentOverride:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        return training_data


def override_intent(message: Message, name: str, keep_ranking: bool = True, confidence: float = 1.0) -> None:
    """`name` (with full confidence unless told); the classifier's ranking behind it (or dropped); no FAQ
    answer."""
    decided = {"name": name, "confidence": confidence}
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != name]
    ranking = ranking if keep_ranking else []
    message.set(INTENT, decided, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [decided, *ranking], add_to_output=True)
    message.set("response_selector", {}, add_to_output=True)
