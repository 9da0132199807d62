import numpy as np
import pytest

from assistant.nlu.sentence_embeddings import SentenceEncoder


@pytest.fixture(scope="module")
def encoder() -> SentenceEncoder:
    return SentenceEncoder.bundled()


def cosine(encoder: SentenceEncoder, first: str, second: str) -> float:
    vectors = encoder.encode([first, second])
    return float(vectors[0] @ vectors[1])


def test_the_encoder_reproduces_the_published_model(encoder):
    # sentence-transformers' README: all-MiniLM-L6-v2's similarities for these three sentences.
    vectors = encoder.encode(
        ["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]
    )
    similarities = vectors @ vectors.T
    assert similarities[0, 1] == pytest.approx(0.6660, abs=1e-3)
    assert similarities[0, 2] == pytest.approx(0.1046, abs=1e-3)
    assert similarities[1, 2] == pytest.approx(0.1411, abs=1e-3)


def test_a_paraphrase_is_closer_than_an_unrelated_message(encoder):
    asked = "how much do I owe on my bill"
    assert (
        cosine(encoder, asked, "what's my current balance")
        > cosine(encoder, asked, "refill my prescription") + 0.2
    )
    assert (
        cosine(encoder, "set up automatic payments", "turn on autopay")
        > cosine(encoder, "set up automatic payments", "what's the weather tomorrow") + 0.2
    )


def test_embeddings_are_unit_vectors_of_the_model_width(encoder):
    vectors = encoder.encode(["hi", "why did I get a bill for my daughter's visit last month?", "x " * 400])
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_message_gets_the_same_embedding_alone_or_in_a_padded_batch(encoder):
    alone = encoder.encode(["pay my premium"])[0]
    batched = encoder.encode(["pay my premium", "why is my bill so much higher than it was last month"])[0]
    assert np.allclose(alone, batched, atol=1e-5)
