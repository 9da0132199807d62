from rasa.shared.nlu.training_data.message import Message

from assistant.nlu.setting_words import SettingWords


def parsed(text: str, intent: str, confidence: float = 0.6) -> Message:
    reading = {"name": intent, "confidence": confidence}
    return Message(data={"text": text, "intent": reading, "intent_ranking": [reading]})


def test_words_that_say_which_way_decide_with_the_classifier_s_confidence_kept():
    message = parsed("stop mailing me paper bills", "paperless_off", 0.63)

    SettingWords().process([message])

    assert message.get("intent") == {"name": "paperless_on", "confidence": 0.63}
    assert [r["name"] for r in message.get("intent_ranking")] == ["paperless_on", "paperless_off"]


def test_a_question_about_a_setting_is_that_question():
    message = parsed("so is autopay off now?", "cancel_autopay")

    SettingWords().process([message])

    assert message.get("intent")["name"] == "autopay_status"


def read_as_faq(text: str, answer: str) -> Message:
    message = parsed(text, "faq")
    message.set("response_selector", {"faq": {"response": {"intent_response_key": answer}}})
    return message


def test_a_question_about_the_member_s_own_setting_read_as_the_general_faq_asks_for_its_status():
    messages = [
        read_as_faq("so is autopay off now?", "faq/autopay_info"),
        read_as_faq("am i enrolled in paperless billing?", "faq/paperless_info"),
        read_as_faq("do we still have autopay on the premium", "faq/autopay_info"),
    ]

    SettingWords().process(messages)

    assert [m.get("intent")["name"] for m in messages] == [
        "autopay_status",
        "paperless_status",
        "autopay_status",
    ]
    assert messages[0].get("response_selector") == {}


def test_general_questions_about_a_setting_keep_their_faq_answer():
    messages = [
        read_as_faq("is autopay safe?", "faq/autopay_info"),
        read_as_faq("does autopay take the full balance?", "faq/autopay_info"),
        read_as_faq("do i have to sign up for autopay", "faq/autopay_info"),
        read_as_faq("is autopay on by default?", "faq/autopay_info"),
        read_as_faq("is autopay on the due date or before?", "faq/autopay_info"),
        read_as_faq("is autopay cancelled if my card expires?", "faq/autopay_info"),
        read_as_faq("is my email on file?", "faq/paperless_info"),
        read_as_faq("is my autopay still on", "faq/receipts_info"),
    ]

    SettingWords().process(messages)

    assert [m.get("intent")["name"] for m in messages] == ["faq"] * 8
    assert (
        messages[0].get("response_selector")["faq"]["response"]["intent_response_key"] == "faq/autopay_info"
    )


def test_other_readings_and_buttons_are_left_alone():
    messages = [
        parsed("stop mailing me paper bills", "out_of_scope"),
        parsed("paperless", "paperless_on"),
        Message(data={"text": "hello"}),
    ]

    SettingWords().process(messages)

    assert [(m.get("intent") or {}).get("name") for m in messages] == [
        "out_of_scope",
        "paperless_on",
        None,
    ]
