import pytest
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.verification_details import VerificationDetails


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
    ],
)
def test_other_messages_are_left_as_read(text, intent):
    message = parsed(text, intent)
    VerificationDetails().process([message])
    assert message.get("intent")["name"] == intent
