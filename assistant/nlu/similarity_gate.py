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
talk need no billing look-alike, and a rejection there would break a form.

The other way round, a message the classifier turned away (out_of_scope, or a fallback for low
confidence) whose nearest billing example is more similar than any off-topic one by more than
`rescue_margin` is read as that example's intent ("wait, what's my balance first?", "paying my premium
from honolulu hawaii, what site"): the classifier learned some billing words from off-topic examples
about other companies, which the encoder places apart. Inside a form (the conversation state the Rasa
patch assistant/rasa_patches/conversation_state_for_nlu.py adds to the message) an off-topic message is
rarer and the form still checks the answer, so `rescue_margin_in_form` is lower. A rescue never reads a
message as one of `not_rescued_as` (a yes, a no, a form answer: at a read-back a "yes" pays), needs an
example at least `min_rescue_similarity` alike, and leaves alone what later components read themselves:
verification details (verification_details.py), a plain stop (plain_stop.py), not knowing
(cannot_answer.py)."""

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

from assistant.nlu.cannot_answer import says_not_knowing
from assistant.nlu.plain_stop import says_only_stop
from assistant.nlu.sentence_embeddings import MESSAGE_EMBEDDING, SentenceEncoder
from assistant.nlu.stored_arrays import load_arrays, save_arrays
from assistant.parsing.verification_facts import verification_facts_in
from assistant.rasa_patches.conversation_state_for_nlu import CONVERSATION_KEY

logger = logging.getLogger(__name__)

FALLBACK_INTENT = "nlu_fallback"
OUT_OF_SCOPE_INTENT = "out_of_scope"  # its examples are what a billing message is not like
REJECTED = (FALLBACK_INTENT, OUT_OF_SCOPE_INTENT)
EXAMPLES, LABELS = "example_embeddings", "example_labels"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class SimilarityGate(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # 0.05: about 1% of billing training examples are closer to an off-topic one by more than this
        # (leave-one-out on data/nlu), a rate chosen before the evaluation set was scored. 0.2 the other
        # way: 0.5% of off-topic training examples are closer to a billing one by more (leave-one-out,
        # stop 20; 0.15 would be 2.5%); in a form 0.1 (5.5%).
        # 0.5 at least: 99% of billing examples have another billing example that alike (leave-one-out).
        return {
            "margin": 0.05,
            "exempt_intents": [],
            "rescue_margin": 0.2,
            "rescue_margin_in_form": 0.1,
            "min_rescue_similarity": 0.5,
            "not_rescued_as": [],
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        encoder: SentenceEncoder,
        examples: np.ndarray | None = None,
        labels: np.ndarray | None = None,
    ) -> None:
        config = {**self.get_default_config(), **config}
        self._margin: float = config["margin"]
        self._rescue_margin: float = config["rescue_margin"]
        self._rescue_margin_in_form: float = config["rescue_margin_in_form"]
        self._min_rescue_similarity: float = config["min_rescue_similarity"]
        self._not_rescued_as = list(config["not_rescued_as"])
        self._exempt = {FALLBACK_INTENT, OUT_OF_SCOPE_INTENT, *config["exempt_intents"]}
        self._model_storage = model_storage
        self._resource = resource
        self._encoder = encoder
        self._examples = examples if examples is not None else np.zeros((0, encoder.dimension), np.float32)
        self._use_labels(labels if labels is not None else np.zeros(len(self._examples), str))

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
        stored = load_arrays(model_storage, resource, (EXAMPLES, LABELS))
        encoder = SentenceEncoder.bundled()
        return cls(config, model_storage, resource, encoder, stored[EXAMPLES], stored[LABELS])

    def train(self, training_data: TrainingData) -> Resource:
        examples = [example for example in training_data.intent_examples if example.get(TEXT)]
        self._examples = self._encoder.encode([example.get(TEXT) for example in examples])
        # A retrieval intent's examples carry their answer's key (faq/<key>): a rescue picks the answer.
        self._use_labels(np.array([example.get_full_intent() for example in examples]))
        arrays = {EXAMPLES: self._examples, LABELS: self._labels}
        save_arrays(self._model_storage, self._resource, arrays)
        return self._resource

    def _use_labels(self, labels: np.ndarray) -> None:
        self._labels = labels
        self._off_topic = labels == OUT_OF_SCOPE_INTENT
        intents = np.array([str(label).partition("/")[0] for label in labels])
        self._rescue_targets = ~self._off_topic & ~np.isin(intents, self._not_rescued_as)

    def process(self, messages: list[Message]) -> list[Message]:
        # Each message is judged once: gated (a billing reading to check) or rescuable (a rejection).
        read = [(m, self._gated(m), self._rescuable(m)) for m in messages]
        read = [(message, gated, rescuable) for message, gated, rescuable in read if gated or rescuable]
        if not read or self._off_topic.all() or not self._off_topic.any():
            return messages
        similarities = self._embeddings([message for message, _, _ in read]) @ self._examples.T
        nearest_billing = np.where(self._off_topic, -np.inf, similarities).max(axis=1)
        nearest_off_topic = similarities[:, self._off_topic].max(axis=1)
        rescue_similarities = np.where(self._rescue_targets, similarities, -np.inf)
        nearest_target = rescue_similarities.max(axis=1)
        target_label = self._labels[rescue_similarities.argmax(axis=1)]
        for (message, gated, rescuable), billing, off_topic, target, label in zip(
            read, nearest_billing, nearest_off_topic, nearest_target, target_label, strict=True
        ):
            if gated and off_topic - billing > self._margin:
                logger.debug(
                    f"'{message.get(INTENT)[INTENT_NAME_KEY]}' rejected: nearest off-topic example "
                    f"{off_topic:.3f}, nearest billing example {billing:.3f}"
                )
                self._reject(message)
            elif (
                rescuable
                and target >= self._min_rescue_similarity
                and target - off_topic > self._rescue_margin_for(message)
            ):
                logger.debug(
                    f"rescued as '{label}': nearest such example {target:.3f}, off-topic {off_topic:.3f}"
                )
                self._rescue(message, str(label), float(target))
        return messages

    def _embeddings(self, messages: list[Message]) -> np.ndarray:
        """The messages' sentence embeddings: the classifier's where it left them, else encoded here."""
        kept = [message.get(MESSAGE_EMBEDDING) for message in messages]
        if all(embedding is not None for embedding in kept):
            return np.stack(kept)
        return self._encoder.encode([message.get(TEXT) for message in messages])

    def _rescue_margin_for(self, message: Message) -> float:
        conversation = (message.get("metadata") or {}).get(CONVERSATION_KEY) or {}
        return self._rescue_margin_in_form if conversation.get("active_loop") else self._rescue_margin

    def _rescuable(self, message: Message) -> bool:
        text: str = message.get(TEXT) or ""
        return (
            text != ""
            and not text.startswith(INTENT_MESSAGE_PREFIX)
            and (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in REJECTED
            and not verification_facts_in(text)
            and not says_only_stop(text)
            and not says_not_knowing(text)
        )

    def _rescue(self, message: Message, label: str, similarity: float) -> None:
        intent, _, answer = label.partition("/")
        read = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: round(similarity, 3)}
        ranking = [
            read,
            *(r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent),
        ]
        message.set(INTENT, read, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)
        if answer:  # the nearest example's answer, in the response selector's shape
            selected = {
                "intent_response_key": label,
                "utter_action": f"utter_{label}",
                "confidence": similarity,
            }
            selectors = dict(message.get("response_selector") or {})
            selectors[intent] = {"response": selected, "ranking": [selected]}
            message.set("response_selector", selectors, add_to_output=True)

    def _gated(self, message: Message) -> bool:
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
