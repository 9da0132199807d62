import pytest

from assistant.verification_answers import mask_verification_answers, mask_verification_slot


@pytest.mark.parametrize(
    "typed,stored",
    [
        ("2000100001", "[account number ending 0001 removed]"),
        ("my account is 2000-1000-01", "my account is [account number ending 0001 removed]"),
        ("mrn 1100 0001", "mrn [record number ending 0001 removed]"),
        ("04/12/1985", "[date of birth removed]"),
        ("born 4/12/85.", "born [date of birth removed]."),
        ("1985-04-12", "[date of birth removed]"),
        ("April 12, 1985", "[date of birth removed]"),
        ("12th of April 1985", "[date of birth removed]"),
        ("94612", "[ZIP code removed]"),
        ("zip is 94612-1234", "zip is [ZIP code removed]"),
        ("I was born in 1985", "I was born in [number removed]"),
    ],
)
def test_checked_answers_are_masked_the_identifier_keeps_its_last_four(typed, stored):
    assert mask_verification_answers(typed) == stored
    assert mask_verification_answers(stored) == stored


def test_checked_slot_values_are_masked():
    assert mask_verification_slot("verify_identifier", "11000001") == "[record number ending 0001 removed]"
    assert mask_verification_slot("verify_birth_date", "1985-04-12") == "[date of birth removed]"
    assert mask_verification_slot("verify_zip", "94612") == "[ZIP code removed]"
    assert mask_verification_slot("verify_zip", None) is None
