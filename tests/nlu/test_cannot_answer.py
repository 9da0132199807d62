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


def test_other_readings_are_left_alone():
    assert read("idk", "out_of_scope") == "out_of_scope"
