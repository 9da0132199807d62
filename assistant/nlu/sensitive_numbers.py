"""NLU component: a message carrying a card, security code, bank account or SSN number is masked and
routed to the safety answer (intent share_sensitive_number), whatever the classifier predicted.

`/`-messages (buttons, `/choose{"choice": ...}`) pass the same guard: their text is masked here, and
Rasa's RegexMessageHandler, which runs after this component, reads intent and entities from the masked
text. Entity values are masked on every message."""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from billing_contract.redaction import carried_sensitive_number, contains_sensitive_number, mask

from .intent_override import IntentOverride, override_intent

INTENT_NAME = "share_sensitive_number"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False)
class SensitiveNumberGuard(IntentOverride):
    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text: str | None = message.get(TEXT)
            if not text:
                continue
            _mask_entities(message)
            if not carried_sensitive_number(text):
                _second_best_if_guessed(message)
                continue
            message.set(TEXT, mask(text), add_to_output=True)
            override_intent(message, INTENT_NAME, keep_ranking=False)
            message.set(ENTITIES, [], add_to_output=True)
        return messages


def _second_best_if_guessed(message: Message) -> None:
    """The classifier only learns what sensitive messages look like; this component decides."""
    intent = message.get(INTENT) or {}
    if intent.get("name") != INTENT_NAME:
        return
    ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != INTENT_NAME]
    message.set(
        INTENT, ranking[0] if ranking else {"name": "nlu_fallback", "confidence": 1.0}, add_to_output=True
    )
    message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)


def _mask_entities(message: Message) -> None:
    entities = message.get(ENTITIES) or []
    if any(isinstance(e.get("value"), str) and contains_sensitive_number(e["value"]) for e in entities):
        masked = [
            {**e, "value": mask(e["value"])} if isinstance(e.get("value"), str) else e for e in entities
        ]
        message.set(ENTITIES, masked, add_to_output=True)
