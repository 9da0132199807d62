import joblib
import numpy as np
import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from assistant.nlu.encoder_classifier import MODEL_FILE, EncoderIntentClassifier
from assistant.nlu.sentence_embeddings import MESSAGE_EMBEDDING, SentenceEncoder

TRAINING = {
    "check_balance": [
        "what's my balance",
        "how much do I owe",
        "what do I owe on my account",
        "my balance pls",
    ],
    "paperless_on": ["turn paperless on", "switch me to paperless billing", "i want paperless statements"],
    "paperless_off": ["turn paperless off", "send me paper bills again", "stop paperless, mail my bills"],
    "faq/pay_by_phone": ["can I pay my bill over the phone", "is there a number to call to pay"],
    "faq/mobile_app": ["can i pay in the app", "is there a mobile app for bills"],
    "out_of_scope": ["what's the weather today", "tell me a joke", "who won the game last night"],
}
CONTEXT = ExecutionContext(GraphSchema({}), "test")
RESOURCE = Resource("encoder_classifier")


@pytest.fixture(scope="module")
def storage(tmp_path_factory) -> LocalModelStorage:
    return LocalModelStorage(tmp_path_factory.mktemp("model_storage"))


@pytest.fixture(scope="module")
def trained(storage) -> EncoderIntentClassifier:
    examples = [
        Message({"text": text, "intent": intent}) for intent, texts in TRAINING.items() for text in texts
    ]
    classifier = EncoderIntentClassifier.create({}, storage, RESOURCE, CONTEXT)
    classifier.train(TrainingData(examples))
    return classifier


def read(classifier: EncoderIntentClassifier, text: str) -> Message:
    message = Message({"text": text})
    classifier.process([message])
    return message


def test_an_account_request_gets_its_intent_and_a_ranking_of_intents(trained):
    message = read(trained, "how much money do i owe right now")
    assert message.get("intent")["name"] == "check_balance"
    ranking = message.get("intent_ranking")
    assert ranking[0] == message.get("intent")
    names = [r["name"] for r in ranking]
    assert len(names) == len(set(names)) and "faq/pay_by_phone" not in names  # intents, not answers
    confidences = [r["confidence"] for r in ranking]
    assert confidences == sorted(confidences, reverse=True)


def test_an_faq_question_gets_the_faq_intent_and_its_answer_in_the_response_selectors_shape(trained):
    message = read(trained, "could i pay by calling someone on the phone?")
    assert message.get("intent")["name"] == "faq"
    selected = message.get("response_selector")["faq"]["response"]
    assert selected["intent_response_key"] == "faq/pay_by_phone"
    assert selected["utter_action"] == "utter_faq/pay_by_phone"
    answers = message.get("response_selector")["faq"]["ranking"]
    assert [a["intent_response_key"] for a in answers][:1] == ["faq/pay_by_phone"]
    assert sum(a["confidence"] for a in answers) == pytest.approx(1.0)


def test_the_words_tell_apart_what_the_meaning_blurs(trained):
    assert read(trained, "please turn paperless off").get("intent")["name"] == "paperless_off"
    assert read(trained, "please turn paperless on").get("intent")["name"] == "paperless_on"


def test_the_embedding_is_left_on_the_message_for_the_similarity_gate(trained):
    message = read(trained, "what's my balance")
    expected = SentenceEncoder.bundled().encode(["what's my balance"])[0]
    assert np.allclose(message.get(MESSAGE_EMBEDDING), expected, atol=1e-5)
    assert MESSAGE_EMBEDDING not in message.as_dict(only_output_properties=True)  # never in parse output


def test_the_loaded_model_reads_as_the_trained_one(trained, storage):
    loaded = EncoderIntentClassifier.load({}, storage, RESOURCE, CONTEXT)
    for text in ("how much do i owe", "is there an app", "what's the weather in paris"):
        assert read(loaded, text).get("intent_ranking") == read(trained, text).get("intent_ranking")


def test_a_message_without_text_is_left_alone(trained):
    message = Message({"text": ""})
    trained.process([message])
    assert message.get("intent") is None


def test_the_readings_are_scikit_learns_probabilities(trained, storage):
    """The classifier scores a message without scikit-learn's predict_proba (for speed): the same numbers,
    for messages with n-grams it knows, with none at all, and with words it never saw."""
    with storage.read_from(RESOURCE) as model_dir:
        features, classifier = joblib.load(model_dir / MODEL_FILE)
    texts = [
        "how much money do i owe right now",
        "turn paperless off please",
        "zzzz qqqq",
        "!!!",
        "can I pay my bill over the phone or in the app, and what's my balance",
    ]
    # One at a time, as the classifier encodes them (a padded batch moves the last digits).
    embeddings = np.vstack([SentenceEncoder.bundled().encode([text]) for text in texts])
    for text, row in zip(texts, classifier.predict_proba(features(embeddings, texts)), strict=True):
        best_by_intent: dict[str, float] = {}
        for label, probability in zip(classifier.classes_, row, strict=True):
            intent = label.partition("/")[0]
            best_by_intent[intent] = max(best_by_intent.get(intent, 0.0), probability)
        ranking = read(trained, text).get("intent_ranking")
        assert len(ranking) == len(best_by_intent)
        for reading in ranking:
            assert reading["confidence"] == pytest.approx(
                best_by_intent[reading["name"]], rel=1e-9, abs=1e-12
            )
