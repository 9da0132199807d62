"""Which way a request's words ask a setting to go, whatever the classifier read, and what the gate
starts for them."""

import pytest

from actions.request_intents import request_for
from assistant.parsing.setting_questions import (
    asks_how_it_is_set,
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
        # A new method or day for autopay changes it; it does not turn it off.
        ("stop autopay on the visa, use my checking instead", None),
        ("remove autopay from my visa and put it on my bank account", None),
        ("stop the autopay on the 1st and start it on the 15th", None),
        ("do turn off my autopay", False),
        ("do that, turn off autopay", False),
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
        ("please email my statements instead of mailing them, the mailbox is full", True),
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


@pytest.mark.parametrize(
    "text, asks",
    [
        ("do I have autopay on", True),
        ("do you have me on paperless?", True),
        ("has my autopay started", True),
        ("did i go paperless?", True),
        ("do turn off my autopay", False),
        ("do that, turn off autopay", False),
        ("are you able to switch me to paperless", False),
    ],
)
def test_a_leading_do_or_have_asks_only_with_a_subject_after_it(text, asks):
    assert asks_how_it_is_set(text) is asks


def test_changing_autopay_inside_its_form_stays_a_change():
    # Read as change_autopay in the autopay form: the form's own intent, not a request to turn it off.
    assert (
        setting_intent("change_autopay", "stop autopay on the visa, use my checking instead")
        == "change_autopay"
    )
