"""Where to put the SimilarityGate's threshold: the in-scope messages of the held-out test file
(tests/nlu_data), never trained on, and their best similarity to the training examples (data/nlu).

    .venv/bin/python scripts/similarity_threshold.py

A threshold at the printed 2% line rejects about 2% of such messages on top of what the classifier
rejects. Re-run after large changes to the training data; the evaluation set (tests/evaluation) is
not used here, so that it stays a test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from assistant.evaluation import load_labelled  # noqa: E402
from assistant.nlu.sentence_embeddings import SentenceEncoder  # noqa: E402
from assistant.nlu.similarity_gate import OUT_OF_SCOPE_INTENT  # noqa: E402

TRAINING = Path("data/nlu")
HELD_OUT = Path("tests/nlu_data")


def in_scope_texts(folder: Path) -> list:
    return [
        message.text
        for path in sorted(folder.glob("*.yml"))
        for message in load_labelled(path)
        if message.label != OUT_OF_SCOPE_INTENT
    ]


def main() -> None:
    encoder = SentenceEncoder.bundled()
    examples = encoder.encode(in_scope_texts(TRAINING))
    held_out = encoder.encode(in_scope_texts(HELD_OUT))
    best = (held_out @ examples.T).max(axis=1)
    print(f"{len(held_out)} held-out in-scope messages against {len(examples)} training examples")
    for share in (1, 2, 5, 10):
        print(f"{share:3d}% of them are below {np.percentile(best, share):.3f}")


if __name__ == "__main__":
    main()
