"""NLU component: a message unlike every training example is not answered as billing.

The intent classifier always picks some trained intent, and an off-topic message that shares words
with billing ("turn off paperless for my utility company", "what's my chase card balance") gets one
with high confidence. The pretrained sentence encoder (assistant.nlu.sentence_embeddings) tells them
apart much better: when a message's best cosine similarity to the training examples is below
`threshold`, its intent becomes `nlu_fallback`, as the FallbackClassifier does for a low confidence.

Intents listed in `exempt_intents` are left alone: short form answers ("the visa", "$50") and small
talk need no billing look-alike, and a rejection there would break a form."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.constants import INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.sentence_embeddings import SentenceEncoder

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"  # its examples are what a billing message is not like
EXAMPLES_FILE = "example_embeddings.npy"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SimilarityGate(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"threshold": 0.55, "exempt_intents": []}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        encoder: SentenceEncoder,
        examples: np.ndarray | None = None,
    ) -> None:
        self._threshold: float = config["threshold"]
        self._exempt = {FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, *config["exempt_intents"]}
        self._model_storage = model_storage
        self._resource = resource
        self._encoder = encoder
        self._examples = examples if examples is not None else np.zeros((0, encoder.dimension), np.float32)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SimilarityGate:
        return cls(config, model_storage, resource, SentenceEncoder.bundled())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SimilarityGate:
        with model_storage.read_from(resource) as model_dir:
            examples = np.load(model_dir / EXAMPLES_FILE)
        return cls(config, model_storage, resource, SentenceEncoder.bundled(), examples)

    def train(self, training_data: TrainingData) -> Resource:
        texts = [
            example.get(TEXT)
            for example in training_data.intent_examples
            if example.get(TEXT) and example.get(INTENT) != OUT_OF_SCOPE_INTENT
        ]
        self._examples = self._encoder.encode(texts)
        with self._model_storage.write_to(self._resource) as model_dir:
            np.save(model_dir / EXAMPLES_FILE, self._examples)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        gated = [message for message in messages if self._applies_to(message)]
        if not gated or not len(self._examples):
            return messages
        embeddings = self._encoder.encode([message.get(TEXT) for message in gated])
        similarities = (embeddings @ self._examples.T).max(axis=1)
        for message, similarity in zip(gated, similarities, strict=True):
            if similarity < self._threshold:
                logger.debug(
                    f"'{message.get(INTENT)[INTENT_NAME_KEY]}' rejected: best similarity to a "
                    f"training example {similarity:.3f} < {self._threshold}"
                )
                self._reject(message)
        return messages

    def _applies_to(self, message: Message) -> bool:
        text: str | None = message.get(TEXT)
        intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
        # `/intent` messages (buttons) name their intent: Rasa's RegexMessageHandler sets it afterwards.
        return (
            text is not None
            and text != ""
            and not text.startswith(INTENT_MESSAGE_PREFIX)
            and intent is not None
            and intent not in self._exempt
        )

    def _reject(self, message: Message) -> None:
        # The FallbackClassifier's shape: the fallback first, the classifier's ranking kept behind it.
        fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: self._threshold}
        message.set(INTENT, fallback, add_to_output=True)
        ranking = [fallback, *(message.get(INTENT_RANKING_KEY) or [])]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
