import pytest

from bot.redaction import contains_sensitive_number, mask


@pytest.mark.parametrize("text,expected", [
    ("my card is 4242 4242 4242 4242 exp 12/29", "my card is [card number ending 4242 removed] exp 12/29"),
    ("4242-4242-4242-4242", "[card number ending 4242 removed]"),
    ("amex 378282246310005", "amex [card number ending 0005 removed]"),
    ("ssn 123-45-6789", "ssn [SSN removed]"),
    ("my social security number is 123456789", "my social security number is [SSN removed]"),
    ("checking account 000123456789", "checking account [account number ending 6789 removed]"),
])
def test_sensitive_numbers_are_masked(text, expected):
    assert mask(text) == expected
    assert contains_sensitive_number(text)


@pytest.mark.parametrize("text", [
    "4242424242424241",  # fails Luhn
    "account 2000100001 dob 1985-04-12 zip 94612",  # verification answers stay
    "my mrn is 11000001", "call 1-800-218-1059", "pay $1234.56", "the 15th",
])
def test_ordinary_numbers_are_kept(text):
    assert mask(text) == text
    assert not contains_sensitive_number(text)
