"""The independent evaluation set stays usable: valid Rasa NLU files, labels the domain knows, enough
messages per behaviour, no message twice, and none that the assistant is trained on (data/).

Scoring the set is slow and lives in `make evaluate` (assistant/evaluation.py), not here."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from rasa.shared.nlu.training_data.formats.rasa_yaml import RasaYAMLReader

from assistant.domain_files import load_domain
from assistant.evaluation import FIRST_MESSAGES, OUT_OF_SCOPE, OUT_OF_SCOPE_MESSAGES, Labelled, load_labelled

ROOT = Path(__file__).resolve().parents[2]
FILES = [ROOT / FIRST_MESSAGES, ROOT / OUT_OF_SCOPE_MESSAGES]
TRAINING_DATA = ROOT / "data"
# Intents that only answer a question the bot asked (slot values, button choices): not first messages.
ANSWER_ONLY_INTENTS = {"inform", "choose"}
MIN_PER_LABEL = 10
# Yes and no make sense as a first message only in a few clear forms.
MIN_PER_LABEL_EXCEPTIONS = {"affirm": 5, "deny": 5}
MIN_OUT_OF_SCOPE = 500
ENTITY_MARKUP = re.compile(r"\[([^\]]*)\]\s*[({][^)}]*[)}]")


def domain_labels() -> set[str]:
    domain = load_domain()
    intents = {intent if isinstance(intent, str) else next(iter(intent)) for intent in domain["intents"]}
    faq_answers = {
        name[len("utter_") :] for name in domain.get("responses", {}) if name.startswith("utter_faq/")
    }
    return (intents - ANSWER_ONLY_INTENTS - {"faq"}) | faq_answers


def normalised(text: str) -> str:
    text = ENTITY_MARKUP.sub(r"\1", text)
    return re.sub(r"\s+", " ", text).strip().strip(".!?,;:").strip().lower()


def _strings_under(node, key: str) -> Iterator[str]:
    if isinstance(node, dict):
        for name, value in node.items():
            if name == key and isinstance(value, str):
                yield value
            else:
                yield from _strings_under(value, key)
    elif isinstance(node, list):
        for value in node:
            yield from _strings_under(value, key)


def training_messages() -> set[str]:
    """Every NLU example and story/rule user turn under data/, normalised (read, never printed)."""
    messages = set()
    for path in sorted(TRAINING_DATA.rglob("*.yml")) + sorted(TRAINING_DATA.rglob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in _strings_under(document, "examples"):
            messages.update(
                normalised(line.strip()[2:]) for line in block.splitlines() if line.strip().startswith("- ")
            )
        messages.update(normalised(turn) for turn in _strings_under(document, "user"))
    return messages


@pytest.fixture(scope="module")
def first_messages() -> list[Labelled]:
    return load_labelled(ROOT / FIRST_MESSAGES)


@pytest.fixture(scope="module")
def out_of_scope_messages() -> list[Labelled]:
    return load_labelled(ROOT / OUT_OF_SCOPE_MESSAGES)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_each_file_is_rasa_nlu_yaml_that_rasa_reads_whole(path):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert str(document["version"]) == "3.1"
    blocks = document["nlu"]
    assert blocks and all(set(block) == {"intent", "examples"} for block in blocks)
    lines = [line.strip() for block in blocks for line in block["examples"].splitlines() if line.strip()]
    assert all(line.startswith("- ") for line in lines)

    training_data = RasaYAMLReader().read(path)
    assert len(training_data.training_examples) == len(lines)
    # Rasa reads "[text](entity)" as markup: the message it scores would not be the one written.
    assert [example.get("text") for example in training_data.training_examples] == [
        line[2:].strip() for line in lines
    ]


def test_only_labels_the_domain_knows(first_messages, out_of_scope_messages):
    unknown = {m.label for m in first_messages} - domain_labels()
    assert not unknown
    assert {m.label for m in out_of_scope_messages} == {OUT_OF_SCOPE}


def test_every_behaviour_has_enough_messages(first_messages):
    counts = Counter(m.label for m in first_messages)
    short = {
        label: counts[label]
        for label in domain_labels()
        if counts[label] < MIN_PER_LABEL_EXCEPTIONS.get(label, MIN_PER_LABEL)
    }
    assert not short, f"labels below {MIN_PER_LABEL} messages: {short}"


def test_enough_out_of_scope_messages(out_of_scope_messages):
    assert len(out_of_scope_messages) >= MIN_OUT_OF_SCOPE


def test_no_message_twice_across_the_set(first_messages, out_of_scope_messages):
    counts = Counter(normalised(m.text) for m in [*first_messages, *out_of_scope_messages])
    assert not [text for text, count in counts.items() if count > 1]


def test_no_message_is_in_the_training_data(first_messages, out_of_scope_messages):
    trained = training_messages()
    assert trained, "found no training messages under data/"
    # Only the evaluation set's own messages are reported, never the training data.
    leaked = [m.text for m in [*first_messages, *out_of_scope_messages] if normalised(m.text) in trained]
    assert not leaked, f"evaluation messages also in data/ (replace them with new ones): {leaked}"
