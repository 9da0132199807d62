from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.details_mean_doing import DetailsMeanDoing


def read(text: str, faq: str) -> str:
    message = Message(
        data={
            "text": text,
            "intent": {"name": "faq", "confidence": 0.99},
            "intent_ranking": [{"name": "faq", "confidence": 0.99}],
            "response_selector": {"faq": {"response": {"intent_response_key": faq}}},
        }
    )
    DetailsMeanDoing().process([message])
    return message.get("intent")["name"]


def test_a_how_question_with_an_account_number_asks_for_the_task():
    said = "can i pay my husband's bill as a guest? acct 2000400001 last name Kim"
    assert read(said, "faq/guest_payment_info") == "guest_payment"
    assert read("how does autopay work? my record number is 11000002", "faq/autopay_info") == "setup_autopay"


def test_without_an_account_number_the_question_is_answered():
    assert read("can i pay my husband's bill as a guest?", "faq/guest_payment_info") == "faq"
    assert read("how does autopay work, it's $45 a month right?", "faq/autopay_info") == "faq"


def test_dates_phone_numbers_and_unlabelled_numbers_are_no_account():
    said = "if I set up autopay today will it cover the bill due 12/20/2026?"
    assert read(said, "faq/autopay_info") == "faq"
    assert read("guest payment by phone at 202-555-0147?", "faq/guest_payment_info") == "faq"
    assert read("does a receipt come for confirmation 48213377", "faq/receipts_info") == "faq"


def test_other_answers_are_left_alone():
    # The billing phone line is an answer, not a task the assistant does here.
    assert read("what's the billing number? my acct is 2000400001", "faq/billing_contact") == "faq"
