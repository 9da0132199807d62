from rasa.shared.nlu.training_data.message import Message

from bot.nlu.sensitive_numbers import SensitiveNumberGuard


def parse(text, intent="make_payment"):
    message = Message({"text": text, "intent": {"name": intent, "confidence": 0.9}})
    SensitiveNumberGuard().process([message])
    return message


def test_a_card_number_is_masked_and_routed_to_the_safety_answer():
    message = parse("pay with 4242 4242 4242 4242 exp 08/29")
    assert message.get("text") == "pay with [card number ending 4242 removed] exp 08/29"
    assert message.get("intent") == {"name": "share_sensitive_number", "confidence": 1.0}
    assert "4242 4242 4242 4242" not in str(message.as_dict(only_output_properties=True))


def test_an_ssn_is_masked():
    assert parse("my ssn is 123-45-6789", "inform").get("text") == "my ssn is [SSN removed]"


def test_ordinary_messages_are_left_alone():
    message = parse("pay $50 on account 2000100001")
    assert message.get("text") == "pay $50 on account 2000100001"
    assert message.get("intent")["name"] == "make_payment"


def test_button_payloads_are_left_alone():
    assert parse('/choose{"choice": "2000100001"}', "choose").get("intent")["name"] == "choose"


def test_the_classifier_alone_cannot_call_a_message_sensitive():
    message = Message({"text": "september 30 1972",
                       "intent": {"name": "share_sensitive_number", "confidence": 0.6},
                       "intent_ranking": [{"name": "share_sensitive_number", "confidence": 0.6},
                                          {"name": "inform", "confidence": 0.3}]})
    SensitiveNumberGuard().process([message])
    assert message.get("intent") == {"name": "inform", "confidence": 0.3}
