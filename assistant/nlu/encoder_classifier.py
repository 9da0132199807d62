"""NLU component: the intent, and for a retrieval intent (faq) its answer, from one logistic regression
over the message's sentence embedding (all-MiniLM-L6-v2, assistant.nlu.sentence_embeddings) and its
character and word n-grams.

It replaces DIET and the ResponseSelector (README, *Understanding, measured*, stop 21). The pretrained
encoder carries the meaning of phrasings the training data never saw; the n-grams carry the words it
blurs ("paperless on" and "off", "medical" and "premium", typos), and one classifier over every answer
(faq/<key> labels side by side with the account intents) means the faq intent no longer swallows the
account requests that look like questions. It trains in a minute and gives the same model on any CPU
(DIET's training differed by instruction set).

Outputs the shapes DIET and the ResponseSelector give: `intent` with its probability, `intent_ranking`
(each intent at its best answer's probability) and `response_selector` for each retrieval intent (its
answers' probabilities, renormalised), so Rasa's FallbackClassifier and ActionRetrieveResponse and this
project's later components read it unchanged. The message's embedding is kept on it
(`MESSAGE_EMBEDDING`) for the similarity gate, which compares the same vector with its examples."""

from __future__ import annotations

from collections import Counter
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sparse
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from assistant.nlu.sentence_embeddings import MESSAGE_EMBEDDING, SentenceEncoder

MODEL_FILE = "encoder_classifier.joblib"
RESPONSE_SELECTOR = "response_selector"


class _Features:
    """The classifier's input: the sentence embedding beside TF-IDF character and word n-grams."""

    def __init__(self, config: dict[str, Any]) -> None:
        self._characters = TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(config["char_ngrams"]), min_df=2, sublinear_tf=True
        )
        self._words = TfidfVectorizer(
            analyzer="word",
            ngram_range=tuple(config["word_ngrams"]),
            sublinear_tf=True,
            token_pattern=r"[a-z0-9']+",
        )
        # Stored models hold these attributes by name (joblib): renaming one breaks loading them.
        self._lexical_weight: float = config["lexical_weight"]

    @property
    def vectorizers(self) -> tuple[TfidfVectorizer, TfidfVectorizer]:
        return self._characters, self._words

    @property
    def lexical_weight(self) -> float:
        return self._lexical_weight

    def fit(self, texts: list[str]) -> _Features:
        self._characters.fit(texts)
        self._words.fit(texts)
        return self

    def __call__(self, embeddings: np.ndarray, texts: list[str]) -> sparse.csr_matrix:
        lexical = sparse.hstack([self._characters.transform(texts), self._words.transform(texts)])
        return sparse.hstack([sparse.csr_matrix(embeddings), lexical * self._lexical_weight]).tocsr()


class _Scorer:
    """The trained regression's probabilities for one message, computed directly: the TF-IDF weights of its
    n-grams (as the vectorizers' transform: counts, 1 + log, idf, unit length), the scores (embedding and
    n-gram weights, plus the intercepts) and their softmax, as multinomial `predict_proba`. scikit-learn's
    per-call input checks and sparse bookkeeping cost 1.2 ms a message where this takes 0.12 (README,
    Performance); tests/nlu/test_encoder_classifier.py holds it to scikit-learn's numbers."""

    def __init__(self, features: _Features, classifier: LogisticRegression) -> None:
        self.classes: np.ndarray = classifier.classes_
        # Rows are features, columns classes: one row per n-gram found in a message.
        weights = np.ascontiguousarray(classifier.coef_.T, dtype=np.float64)
        self._bias = classifier.intercept_.astype(np.float64)
        dimension = weights.shape[0] - sum(len(v.vocabulary_) for v in features.vectorizers)
        self._embedding_weights = weights[:dimension]
        self._vectorizers = []
        offset = dimension
        for vectorizer in features.vectorizers:
            self._vectorizers.append(
                (
                    vectorizer.build_analyzer(),
                    vectorizer.vocabulary_,
                    vectorizer.idf_,
                    weights[offset : offset + len(vectorizer.vocabulary_)] * features.lexical_weight,
                )
            )
            offset += len(vectorizer.vocabulary_)

    def probabilities(self, embedding: np.ndarray, text: str) -> np.ndarray:
        scores = embedding.astype(np.float64) @ self._embedding_weights + self._bias
        for analyze, vocabulary, idf, weights in self._vectorizers:
            counts = Counter(vocabulary[gram] for gram in analyze(text) if gram in vocabulary)
            if not counts:
                continue
            columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
            values = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[
                columns
            ]
            scores += (values / np.linalg.norm(values)) @ weights[columns]
        if scores.shape[0] == 1:  # two classes: scikit-learn's logistic of the one score
            positive = 1.0 / (1.0 + np.exp(-scores[0]))
            return np.array([1.0 - positive, positive])
        exponentials = np.exp(scores - scores.max())
        return exponentials / exponentials.sum()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True)
class EncoderIntentClassifier(GraphComponent):
    @staticmethod
    def get_default_config() -> dict[str, Any]:
        # C: the better of 10 and 30 in 5-fold cross-validation on the training data (stop 21); the n-gram
        # ranges and the weight were not tuned.
        return {
            "C": 30.0,
            "char_ngrams": [2, 4],
            "word_ngrams": [1, 2],
            "lexical_weight": 1.0,
            "max_iter": 3000,
            "ranking_length": 10,
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        encoder: SentenceEncoder,
        trained: tuple[_Features, LogisticRegression] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self._encoder = encoder
        self._scorer = _Scorer(*trained) if trained is not None else None

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EncoderIntentClassifier:
        return cls(config, model_storage, resource, SentenceEncoder.bundled())

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> EncoderIntentClassifier:
        with model_storage.read_from(resource) as model_dir:
            trained = joblib.load(model_dir / MODEL_FILE)
        # Loaded to serve: the encoder's shapes compiled now, not at a member's first messages.
        encoder = SentenceEncoder.bundled()
        encoder.warm_up()
        return cls(config, model_storage, resource, encoder, trained)

    def train(self, training_data: TrainingData) -> Resource:
        examples = [example for example in training_data.intent_examples if example.get(TEXT)]
        texts = [example.get(TEXT) for example in examples]
        # A retrieval intent's examples carry their answer (faq/<key>): each answer is a class of its own.
        labels = [example.get_full_intent() for example in examples]
        features = _Features(self._config).fit(texts)
        classifier = LogisticRegression(C=self._config["C"], max_iter=self._config["max_iter"])
        classifier.fit(features(self._encoder.encode(texts), texts), labels)
        with self._model_storage.write_to(self._resource) as model_dir:
            joblib.dump((features, classifier), model_dir / MODEL_FILE)
        self._scorer = _Scorer(features, classifier)
        return self._resource

    def process(self, messages: list[Message]) -> list[Message]:
        read = [message for message in messages if message.get(TEXT)]
        if not read or self._scorer is None:
            return messages
        texts = [message.get(TEXT) for message in read]
        embeddings = self._encoder.encode(texts)
        for message, embedding, text in zip(read, embeddings, texts, strict=True):
            message.set(MESSAGE_EMBEDDING, embedding)
            self._set_reading(message, self._scorer.classes, self._scorer.probabilities(embedding, text))
        return messages

    def _set_reading(self, message: Message, classes: np.ndarray, probabilities: np.ndarray) -> None:
        order = np.argsort(-probabilities, kind="stable")
        best_by_intent: dict[str, float] = {}
        answers: dict[str, list[tuple[str, float]]] = {}
        for index in order:
            label, probability = str(classes[index]), float(probabilities[index])
            intent, _, answer = label.partition("/")
            best_by_intent.setdefault(intent, probability)
            if answer:
                answers.setdefault(intent, []).append((label, probability))
        ranking = [
            {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: probability}
            for intent, probability in best_by_intent.items()
        ]
        message.set(INTENT, ranking[0], add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking[: self._config["ranking_length"]], add_to_output=True)
        selectors: dict[str, Any] = {"all_retrieval_intents": sorted(answers)}
        for intent, ranked in answers.items():
            total = sum(probability for _, probability in ranked) or 1.0
            scored = [
                {"intent_response_key": label, "confidence": probability / total}
                for label, probability in ranked[: self._config["ranking_length"]]
            ]
            best = scored[0]
            selectors[intent] = {
                "response": {**best, "utter_action": f"utter_{best['intent_response_key']}"},
                "ranking": scored,
            }
        message.set(RESPONSE_SELECTOR, selectors, add_to_output=True)
