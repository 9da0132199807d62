"""NLU component: a message closer to a known off-topic message than to any billing one is not answered
as billing.

The intent classifier always picks some trained intent, and an off-topic message that shares words with
billing ("set up autopay for my verizon bill", "what's my chase card balance") can get one with high
confidence. The pretrained sentence encoder (assistant.nlu.sentence_embeddings) places meanings better:
the training data holds over a thousand off-topic examples written for this project, so when a message's
nearest off-topic example is more similar than its nearest billing example by more than `margin`, its
intent becomes `nlu_fallback`, as the FallbackClassifier does for a low confidence. (An absolute
similarity threshold was tried first: it turned away too many real billing questions written unlike any
example.)

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
from assistant.nlu.stored_arrays import load_arrays, save_arrays

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"  # its examples are what a billing message is not like
EXAMPLES, OFF_TOPIC = "example_embeddings", "example_is_off_topic"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SimilarityGate(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # 0.05: about 1% of billing training examples are closer to an off-topic one by more than this
        # (leave-one-out on data/nlu), a rate chosen before the evaluation set was scored.
        return {"margin": 0.05, "exempt_intents": []}

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        encoder: SentenceEncoder,
        examples: np.ndarray | None = None,
        off_topic: np.ndarray | None = None,
    ) -> None:
        self._margin: float = config["margin"]
        self._exempt = {FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, *config["exempt_intents"]}
        self._model_storage = model_storage
        self._resource = resource
        self._encoder = encoder
        self._examples = examples if examples is not None else np.zeros((0, encoder.dimension), np.float32)
        self._off_topic = off_topic if off_topic is not None else np.zeros(len(self._examples), bool)

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
        stored = load_arrays(model_storage, resource, (EXAMPLES, OFF_TOPIC))
        encoder = SentenceEncoder.bundled()
        return cls(config, model_storage, resource, encoder, stored[EXAMPLES], stored[OFF_TOPIC])

    def train(self, training_data: TrainingData) -> Resource:
        examples = [example for example in training_data.intent_examples if example.get(TEXT)]
        self._examples = self._encoder.encode([example.get(TEXT) for example in examples])
        self._off_topic = np.array([example.get(INTENT) == OUT_OF_SCOPE_INTENT for example in examples])
        arrays = {EXAMPLES: self._examples, OFF_TOPIC: self._off_topic}
        save_arrays(self._model_storage, self._resource, arrays)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        gated = [message for message in messages if self._applies_to(message)]
        if not gated or self._off_topic.all() or not self._off_topic.any():
            return messages
        embeddings = self._encoder.encode([message.get(TEXT) for message in gated])
        similarities = embeddings @ self._examples.T
        nearest_billing = similarities[:, ~self._off_topic].max(axis=1)
        nearest_off_topic = similarities[:, self._off_topic].max(axis=1)
        for message, billing, off_topic in zip(gated, nearest_billing, nearest_off_topic, strict=True):
            if off_topic - billing > self._margin:
                logger.debug(
                    f"'{message.get(INTENT)[INTENT_NAME_KEY]}' rejected: nearest off-topic example "
                    f"{off_topic:.3f}, nearest billing example {billing:.3f}"
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
        fallback = {INTENT_NAME_KEY: FALLBACK_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
        message.set(INTENT, fallback, add_to_output=True)
        ranking = [fallback, *(message.get(INTENT_RANKING_KEY) or [])]
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
