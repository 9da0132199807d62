import pytest
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.cannot_answer import CannotAnswer


def read(text: str, intent: str) -> str:
    message = Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.5},
            "intent_ranking": [{"name": intent, "confidence": 0.5}],
        }
    )
    CannotAnswer().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize(
    "text", ["dont remember", "i don't know it", "not sure", "I forgot my zip", "no idea sorry"]
)
def test_not_knowing_read_as_cancel_is_not_understood(text):
    assert read(text, "cancel") == "nlu_fallback"


@pytest.mark.parametrize("text", ["cancel", "stop", "never mind, i dont know it", "forget it", "nvm"])
def test_stopping_is_still_cancel(text):
    assert read(text, "cancel") == "cancel"


@pytest.mark.parametrize("text", ["idk", "not sure, sometime in the 80s", "dunno it"])
def test_a_short_not_knowing_read_as_off_topic_is_not_understood(text):
    # At the date-of-birth question "idk" had been answered with where other topics go, not counted
    # towards the offer of a person.
    assert read(text, "out_of_scope") == "nlu_fallback"


def test_a_bare_not_knowing_read_as_an_faq_is_not_understood():
    # "dont remember" at the date-of-birth question had been answered with how to reset a password.
    assert read("dont remember", "faq") == "nlu_fallback"
    for question in ("i forgot my password for the website", "forgot password", "forgot my username"):
        assert read(question, "faq") == "faq"


def test_other_readings_are_left_alone():
    long_off_topic = "i dont know what to cook for dinner tonight, any recipe ideas"
    assert read(long_off_topic, "out_of_scope") == "out_of_scope"
    assert read("idk", "affirm") == "affirm"
