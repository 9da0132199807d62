import pytest

from bot.parsing.amounts import AmountAnswer, AmountError, parse_amount


@pytest.mark.parametrize("text,cents", [
    ("$50", 5000), ("50", 5000), ("fifty dollars", 5000), ("75.20", 7520), ("$75.2", 7520),
    ("pay $1,234.56 please", 123456), ("one hundred and twenty five dollars", 12500),
    ("twenty dollars and fifty cents", 2050), ("50 bucks", 5000), ("I want to pay 40", 4000),
    ("account 2000100001, pay $20", 2000), ("twelve hundred", 120000), ("a hundred dollars", 10000),
    ("$0.99", 99), ("fifty cents", 50),
])
def test_amounts_in_figures_and_words(text, cents):
    assert parse_amount(text) == AmountAnswer("cents", cents)


@pytest.mark.parametrize("text", ["the full balance", "pay it all", "everything", "pay it off", "the whole thing",
                                  "Full balance", "all of it"])
def test_the_full_balance(text):
    assert parse_amount(text) == AmountAnswer("full")


@pytest.mark.parametrize("text", ["the minimum", "min", "just the minimum due", "the least I can"])
def test_the_minimum(text):
    assert parse_amount(text) == AmountAnswer("minimum")


@pytest.mark.parametrize("text", ["not sure", "my visa", "", "hmm a bit"])
def test_no_amount(text):
    assert parse_amount(text) is None


def test_fractions_of_a_cent_are_refused():
    with pytest.raises(AmountError):
        parse_amount("$10.555")
