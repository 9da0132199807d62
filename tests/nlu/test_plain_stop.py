import pytest
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.plain_stop import PlainStop


def read(text: str, intent: str = "nlu_fallback") -> str:
    reading = {"name": intent, "confidence": 0.45}
    message = Message(data={"text": text, "intent": reading, "intent_ranking": [reading]})
    PlainStop().process([message])
    return message.get("intent")["name"]


@pytest.mark.parametrize(
    "text", ["forget it, i'll do it later", "never mind, not now", "ok nvm", "nah skip it"]
)
def test_a_message_opening_by_stopping_that_nlu_was_unsure_of_is_a_stop(text):
    assert read(text) == "cancel"


@pytest.mark.parametrize(
    "text",
    [
        "can i stop by the pharmacy",
        "stop the car",
        # an answer after the stop word: the form reads it
        "forget that, pay $40 instead",
        "never mind the visa, use my checking",
        "no wait stop, use the bank account instead",
        "oh never mind, I see it now, yes go ahead",
        "leave it on the 15th",
        "nvm found it 2000100001",
        "not now, i dont know it",
    ],
)
def test_other_unsure_messages_stay_unsure(text):
    assert read(text) == "nlu_fallback"


def test_a_confident_reading_is_left_alone():
    assert read("forget it, i'll do it later", "goodbye") == "goodbye"
