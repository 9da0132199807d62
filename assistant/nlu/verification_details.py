"""NLU component: a message carrying an account or medical record number and a date of birth is someone
verifying ("account 2000200001, born september 30 1972, zip 20852"), never off-topic, and a request asked
in the same message is kept ("I've been trying to figure out my bill for an hour. What do I owe? Account
2000400001, born June 3 1958, zip code 96813.").

The classifier reads such messages poorly: the numbers and labels outweigh the request's few words, and it
often rejects them outright or answers an FAQ ("ok try 2000200001 09/30/1972 20852" read as the claims line).
So when it rejected one (out_of_scope, a fallback), read it as an FAQ or as verifying,
the words left once the details are out are compared with the request intents' training examples by the
pretrained sentence encoder: near enough to one (`min_similarity`), the message is that request (the gate
then verifies with the details given and answers it); otherwise a rejected one becomes verify_identity,
which the verification form takes as its answers and the gate as a request to verify."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.sentence_embeddings import SentenceEncoder
from assistant.parsing.verification_facts import (
    parse_verification_facts,
    verification_facts_in,
    without_verification_details,
)

from .intent_override import IntentOverride, override_intent
from .stored_arrays import load_arrays, save_arrays

INTENT_NAME = "verify_identity"
# Readings a message with verification details is taken back from; an FAQ reading only when the details
# (with a ZIP code) are all it says ("ok try 2000200001 09/30/1972 20852").
FAQ_INTENT = "faq"
TAKEN_BACK = ("out_of_scope", "nlu_fallback", FAQ_INTENT)
EXAMPLES, LABELS = "request_embeddings", "request_labels"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class VerificationDetails(IntentOverride):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # 0.65: the words left of a message carrying only details ("here is my info", "this is robert,
        # thanks") stay below 0.6 of every request example; a request in plain words ("what do i owe")
        # reaches 0.75 and more.
        return {"request_intents": [], "min_similarity": 0.65, "min_words": 2}

    def __init__(
        self,
        config: dict[str, Any] | None = None,
        model_storage: ModelStorage | None = None,
        resource: Resource | None = None,
        encoder: SentenceEncoder | None = None,
        examples: np.ndarray | None = None,
        labels: np.ndarray | None = None,
    ) -> None:
        config = {**self.get_default_config(), **(config or {})}
        self._requests = set(config["request_intents"])
        self._min_similarity: float = config["min_similarity"]
        self._min_words: int = config["min_words"]
        self._model_storage = model_storage
        self._resource = resource
        self._encoder = encoder
        self._examples = examples if examples is not None else np.zeros((0, 0), np.float32)
        self._labels = labels if labels is not None else np.zeros(0, str)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VerificationDetails:
        return cls(config, model_storage, resource, SentenceEncoder.bundled())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> VerificationDetails:
        stored = load_arrays(model_storage, resource, (EXAMPLES, LABELS))
        return cls(
            config, model_storage, resource, SentenceEncoder.bundled(), stored[EXAMPLES], stored[LABELS]
        )

    def train(self, training_data: TrainingData) -> Resource:
        assert self._encoder is not None and self._model_storage is not None and self._resource is not None
        pairs = [
            (without_verification_details(example.get(TEXT)), example.get(INTENT))
            for example in training_data.intent_examples
            if example.get(INTENT) in self._requests and example.get(TEXT)
        ]
        pairs = [(words, label) for words, label in pairs if words]
        self._examples = self._encoder.encode([words for words, _ in pairs])
        self._labels = np.array([label for _, label in pairs])
        save_arrays(self._model_storage, self._resource, {EXAMPLES: self._examples, LABELS: self._labels})
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            intent = (message.get(INTENT) or {}).get("name")
            if intent not in (*TAKEN_BACK, INTENT_NAME) or text.startswith("/"):
                continue
            if not verification_facts_in(text):
                continue
            if intent == FAQ_INTENT and not self._only_details(text):
                continue  # an FAQ asked with dates in it ("declined on 11/28/2026 and again on 12/01/2026")
            request, similarity = self._request_in(text)
            if request is not None:
                # At most 0.85, below a plain switch of task (0.9): inside a form it is still an answer.
                override_intent(message, request, confidence=round(min(similarity, 0.85), 3))
            elif intent in TAKEN_BACK:
                override_intent(message, INTENT_NAME)
        return messages

    def _only_details(self, text: str) -> bool:
        facts = parse_verification_facts(text, dt.date.today())
        return (
            facts.zip_code is not None and len(without_verification_details(text).split()) <= self._min_words
        )

    def _request_in(self, text: str) -> tuple[str | None, float]:
        words = without_verification_details(text)
        if self._encoder is None or not len(self._labels) or len(words.split()) < self._min_words:
            return None, 0.0
        similarities = self._examples @ self._encoder.encode([words])[0]
        nearest = int(np.argmax(similarities))
        if similarities[nearest] < self._min_similarity:
            return None, 0.0
        return str(self._labels[nearest]), float(similarities[nearest])
