import pytest
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.person_request import PersonRequest, asks_for_a_person


@pytest.mark.parametrize(
    "text",
    [
        "ugh. yes get me a specialist",
        "can i talk to someone about my bill",
        "yeah sure bring in a billing specialist",
        "I WANT A HUMAN!!",
        "Let me speak to a representative.",
        "connect me with a live agent",
        "i need to talk to a real person",
        "agent please",
        "can i speak with somebody",
        "transfer me to customer service",
    ],
)
def test_a_plain_request_for_a_person_is_read(text):
    assert asks_for_a_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "can i talk to someone about my prescription",
        "i need to speak to a nurse",
        "who is my doctor",
        "is a specialist visit covered",
        "what does a billing specialist do",
        "my husband wants to pay my bill",
        "how much does a specialist cost",
        "paying for someone else",
    ],
)
def test_other_messages_that_name_people_are_not(text):
    assert not asks_for_a_person(text)


def test_the_classifiers_reading_is_replaced_and_kept_below():
    message = Message(
        data={
            "text": "ugh. yes get me a specialist",
            "intent": {"name": "out_of_scope", "confidence": 0.93},
            "intent_ranking": [{"name": "out_of_scope", "confidence": 0.93}],
        }
    )
    PersonRequest().process([message])
    assert message.get("intent") == {"name": "human_handoff", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == ["human_handoff", "out_of_scope"]
