"""Which way a request's words ask a setting to go, whatever the classifier read, and what the gate
starts for them."""

import pytest

from actions.request_intents import request_for
from assistant.parsing.setting_questions import (
    autopay_wanted_in_words,
    paperless_wanted_in_words,
    setting_intent,
)


@pytest.mark.parametrize(
    "text, wanted",
    [
        ("Please I want remove the automatic pay, no more automatic", False),
        ("stop my autopay", False),
        ("set up autopay on my medical bill with my bank", True),
        ("sign me up for automatic payments", True),
        ("when will my autopay start?", None),
        ("is my autopay still on", None),
        ("change the autopay day to the 20th", None),
        ("please don't cancel my autopay, just move it to the 15th", None),
        ("why did you cancel my autopay", None),
        ("stop autopay emails", None),
        ("turn off autopay notifications", None),
        ("I never asked to set up autopay, why was I charged", None),
        ("set up autopay and then cancel autopay for this month", None),
        ("i want to keep autopay, not cancel autopay", None),
    ],
)
def test_autopay_direction_in_words(text, wanted):
    assert autopay_wanted_in_words(text) is wanted


def test_words_asking_autopay_off_go_to_turning_it_off_whatever_the_intent():
    # Read as setup_autopay, "remove the automatic pay" had set autopay up again (read back, "yes").
    said = "Please I want remove the automatic pay, no more automatic"
    assert request_for("setup_autopay", said) == "autopay_cancel_form"
    assert request_for("autopay_status", "set up autopay on my medical bill with my bank") == "autopay_form"
    assert request_for("cancel_autopay", "so is autopay off now?") == "action_autopay_status"
    assert request_for("setup_autopay", "stop autopay emails") == "autopay_form"  # the intent's own request


@pytest.mark.parametrize(
    "text,wanted",
    [
        ("stop paperless, i want paper statements mailed to me", False),
        ("actually i want paper bills in the mail again", False),
        ("turn off e-statements", False),
        ("hmm actually go paperless", True),
        ("stop mailing me bills", True),
        ("no more paper statements please", True),
        ("paperless", None),
        ("i'd rather get my bills by email than by mail", True),
        ("send it electronically not by post", True),
        ("paper bills instead of email please", False),
        ("stop mailing me paper bills", True),
        ("opt out of paperless", False),
        ("i want to get bills by mail not email", False),
    ],
)
def test_paperless_direction_in_words(text, wanted):
    assert paperless_wanted_in_words(text) is wanted


@pytest.mark.parametrize(
    "intent, text, read_as",
    [
        ("paperless_off", "stop mailing me paper bills", "paperless_on"),
        ("paperless_on", "opt out of paperless", "paperless_off"),
        ("paperless_on", "did i go paperless?", "paperless_status"),
        ("paperless_on", "paperless", "paperless_on"),
        ("setup_autopay", "Please I want remove the automatic pay, no more automatic", "cancel_autopay"),
        ("autopay_status", "set up autopay on my medical bill with my bank", "setup_autopay"),
        ("change_autopay", "set up autopay on the 5th instead", "change_autopay"),
        ("cancel_autopay", "so is autopay off now?", "autopay_status"),
        ("autopay_status", "is my autopay still on", "autopay_status"),
        ("make_payment", "stop mailing me paper bills", "make_payment"),  # only the setting intents
        (None, "stop my autopay", None),
    ],
)
def test_the_words_make_the_setting_intent(intent, text, read_as):
    assert setting_intent(intent, text) == read_as
