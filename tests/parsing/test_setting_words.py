"""Which way a request's words ask a setting to go, whatever the classifier read, and what the gate
starts for them."""

import pytest

from actions.request_intents import request_for
from assistant.parsing.setting_questions import autopay_wanted_in_words


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
