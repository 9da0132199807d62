import pytest

from actions.choices import match_method
from billing_contract.responses import PaymentMethodOut


def method(id_: int, kind: str, display: str, last4: str) -> PaymentMethodOut:
    return PaymentMethodOut(
        id=id_,
        kind=kind,
        brand=None,
        bank_name=None,
        last4=last4,
        exp_month=None,
        exp_year=None,
        display=display,
    )


SAVED = [
    method(1, "card", "American Express ending 0005", "0005"),
    method(2, "card", "Mastercard ending 4444", "4444"),
    method(3, "bank", "Sandbox Bank ending 6789", "6789"),
]


@pytest.mark.parametrize(
    ("said", "picked"),
    [("w my amex", 1), ("the mc", 2), ("from checking", 3), ("my savings account", 3), ("amex", 1)],
)
def test_members_short_names_for_a_saved_method_pick_it(said, picked):
    assert match_method(said, SAVED, by_position=False).id == picked


def test_words_that_name_no_method_pick_none():
    assert match_method("the blue one", SAVED, by_position=False) is None
