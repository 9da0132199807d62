from rasa.nlu.classifiers.regex_message_handler import RegexMessageHandler
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.sensitive_numbers import SensitiveNumberGuard

DOMAIN = Domain.from_dict({"intents": ["choose", "inform"], "entities": ["choice"]})


def parse(text, intent="make_payment"):
    message = Message({"text": text, "intent": {"name": intent, "confidence": 0.9}})
    SensitiveNumberGuard().process([message])
    return message


def test_a_card_number_is_masked_and_routed_to_the_safety_answer():
    message = parse("pay with 4242 4242 4242 4242 exp 08/29")
    assert message.get("text") == "pay with [card number ending 4242 removed] exp 08/29"
    assert message.get("intent") == {"name": "share_sensitive_number", "confidence": 1.0}
    assert "4242 4242 4242 4242" not in str(message.as_dict(only_output_properties=True))


def test_a_number_the_channel_already_masked_still_gets_the_safety_answer():
    for typed in (
        "my card is [card number ending 4242 removed].",
        "my social is [SSN removed]",
        "cvv is [security code removed]",
    ):
        message = parse(typed, "check_balance")
        assert message.get("intent") == {"name": "share_sensitive_number", "confidence": 1.0}
        assert message.get("text") == typed


def test_an_ssn_is_masked():
    assert parse("my ssn is 123-45-6789", "inform").get("text") == "my ssn is [SSN removed]"


def test_ordinary_messages_are_left_alone():
    message = parse("pay $50 on account 2000100001")
    assert message.get("text") == "pay $50 on account 2000100001"
    assert message.get("intent")["name"] == "make_payment"


def test_button_payloads_without_sensitive_numbers_are_left_alone():
    message = parse('/choose{"choice": "2000100001"}', "choose")
    assert message.get("text") == '/choose{"choice": "2000100001"}'
    assert message.get("intent")["name"] == "choose"


def test_slash_messages_pass_the_same_guard_and_their_entities_are_masked():
    message = Message({"text": '/choose{"choice": "4242 4242 4242 4242"}'})
    SensitiveNumberGuard().process([message])
    message = RegexMessageHandler().process([message], DOMAIN)[0]  # runs after the guard in Rasa's graph
    assert message.get("intent")["name"] == "choose"
    assert [e["value"] for e in message.get("entities")] == ["[card number ending 4242 removed]"]
    assert "4242 4242 4242 4242" not in str(message.as_dict(only_output_properties=True))


def test_entity_values_are_masked():
    message = Message(
        {
            "text": "my social is 123456789",
            "intent": {"name": "inform", "confidence": 0.9},
            "entities": [{"entity": "choice", "value": "123456789 social", "start": 13, "end": 22}],
        }
    )
    SensitiveNumberGuard().process([message])
    assert message.get("text") == "my social is [SSN removed]"
    assert "123456789" not in str(message.as_dict(only_output_properties=True))


def test_the_classifier_alone_cannot_call_a_message_sensitive():
    message = Message(
        {
            "text": "september 30 1972",
            "intent": {"name": "share_sensitive_number", "confidence": 0.6},
            "intent_ranking": [
                {"name": "share_sensitive_number", "confidence": 0.6},
                {"name": "inform", "confidence": 0.3},
            ],
        }
    )
    SensitiveNumberGuard().process([message])
    assert message.get("intent") == {"name": "inform", "confidence": 0.3}
