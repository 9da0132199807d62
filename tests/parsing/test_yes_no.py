import pytest

from assistant.parsing.yes_no import plain_yes_or_no


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("yes please stop it", True),
        ("yep do it", True),
        ("ok yes", True),
        ("Yes, turn it off", True),
        ("sure thing", True),
        ("nope leave it", False),
        ("no thanks", False),
        ("don't", False),
        ("yes but make it $20", None),
        ("yes wait", None),
        ("yes the 20th", None),
        ("no wait, yes", None),
        ("no, do $50 instead", None),
        ("yesterday's bill", None),
        ("nothing", None),
        ("what is this?", None),
        ("yes?", None),
    ],
)
def test_a_plain_yes_or_no_is_read_and_a_hedged_one_is_not(text, meant):
    assert plain_yes_or_no(text) is meant
