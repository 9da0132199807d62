from pathlib import Path

import pytest
import yaml
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from actions.request_intents import REQUEST_FOR_INTENT
from assistant.nlu.verification_details import VerificationDetails

ROOT = Path(__file__).resolve().parents[2]


def parsed(text: str, intent: str) -> Message:
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.99},
            "intent_ranking": [{"name": intent, "confidence": 0.99}],
        }
    )


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("account 2000200001, born september 30 1972, zip 20852", "out_of_scope"),
        ("hi my account is 2000300001, dob jan 25 1990, zip 80203, how much do i owe?", "out_of_scope"),
        ("11000003, 1990-01-25, 80203", "nlu_fallback"),
        # after three failed tries, read as the claims line's FAQ
        ("ok try 2000200001 09/30/1972 20852", "faq"),
    ],
)
def test_verification_details_rejected_as_off_topic_are_taken_as_verifying(text, intent):
    message = parsed(text, intent)
    VerificationDetails().process([message])
    assert message.get("intent")["name"] == "verify_identity"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("what is the weather on 04/12/1985", "out_of_scope"),  # a date alone
        ("2000200001 09/30/1972 20852", "inform"),  # already read as an answer
        ("call 2000200001", "out_of_scope"),  # a number alone
        # FAQs asked with dates in them are answered
        ("my card was declined on 11/28/2026 and again on 12/01/2026, why?", "faq"),
        ("what number do I call about a claim from 09/12/2026? it was denied on 10/30/2026", "faq"),
    ],
)
def test_other_messages_are_left_as_read(text, intent):
    message = parsed(text, intent)
    VerificationDetails().process([message])
    assert message.get("intent")["name"] == intent


# --- a request asked with the details ---------------------------------------------------------------

TRAINING = {
    "check_balance": ["how much do I owe", "what's my balance", "I just want to know what I owe"],
    "setup_autopay": ["set up autopay", "can you set up automatic payments for me"],
    "show_statement": ["show me my statement", "read me my latest bill"],
    "out_of_scope": ["what's the weather today", "tell me a joke"],
}
CONTEXT = ExecutionContext(GraphSchema({}), "test")


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> VerificationDetails:
    config = {**VerificationDetails.get_default_config(), "request_intents": list(REQUEST_FOR_INTENT)}
    storage = LocalModelStorage(tmp_path_factory.mktemp("model_storage"))
    component = VerificationDetails.create(config, storage, Resource("details"), CONTEXT)
    component.train(
        TrainingData([Message({"text": t, "intent": i}) for i, texts in TRAINING.items() for t in texts])
    )
    return component


@pytest.mark.parametrize(
    ("text", "intent", "asked"),
    [
        (
            "I have been trying to figure out my bill for an hour. What do I owe? Account 2000400001, "
            "born June 3 1958, zip code 96813.",
            "out_of_scope",
            "check_balance",
        ),
        (
            "i need to set up autopay, acct 2000100001 dob 04/12/1985 zip 94612",
            "verify_identity",
            "setup_autopay",
        ),
        ("2000100001 04/12/1985 94612 show me my statement", "nlu_fallback", "show_statement"),
    ],
)
def test_a_request_asked_with_the_details_is_kept(trained, text, intent, asked):
    message = parsed(text, intent)
    trained.process([message])
    assert message.get("intent")["name"] == asked
    # Never the confidence of a plain switch of task: inside the verification form it is still an answer.
    assert message.get("intent")["confidence"] < 0.9


@pytest.mark.parametrize(
    "text",
    [
        "here is my info: acct 2000100001, born 4/12/85, zip code 94612",
        "this is robert, 2000400001 6/3/1958 96813, thanks",
        "whats the weather 2000100001 04/12/1985 94612",
    ],
)
def test_details_with_no_request_are_someone_verifying(trained, text):
    message = parsed(text, "out_of_scope")
    trained.process([message])
    assert message.get("intent")["name"] == "verify_identity"


def test_a_confident_reading_is_left_alone(trained):
    message = parsed("pay my balance with the visa, acct 2000100001 dob 04/12/1985 zip 94612", "make_payment")
    trained.process([message])
    assert message.get("intent")["name"] == "make_payment"


def test_the_request_intents_are_the_gates():
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    details = next(c for c in config["pipeline"] if c["name"].endswith("VerificationDetails"))
    assert sorted(details["request_intents"]) == sorted(REQUEST_FOR_INTENT)


def test_a_loaded_model_reads_the_request_as_the_trained_one(trained):
    loaded = VerificationDetails.load(
        {**VerificationDetails.get_default_config(), "request_intents": list(REQUEST_FOR_INTENT)},
        trained._model_storage,
        trained._resource,
        CONTEXT,
    )
    message = parsed("how much do I owe, account 2000400001 born June 3 1958 zip 96813", "out_of_scope")
    loaded.process([message])
    assert message.get("intent")["name"] == "check_balance"
