import pytest

from assistant.parsing.amounts import AmountAnswer, AmountError, parse_amount


@pytest.mark.parametrize(
    "text,cents",
    [
        ("$50", 5000),
        ("50", 5000),
        ("fifty dollars", 5000),
        ("75.20", 7520),
        ("$75.2", 7520),
        ("pay $1,234.56 please", 123456),
        ("one hundred and twenty five dollars", 12500),
        ("twenty dollars and fifty cents", 2050),
        ("50 bucks", 5000),
        ("I want to pay 40", 4000),
        ("account 2000100001, pay $20", 2000),
        ("twelve hundred", 120000),
        ("a hundred dollars", 10000),
        ("$0.99", 99),
        ("fifty cents", 50),
    ],
)
def test_amounts_in_figures_and_words(text, cents):
    assert parse_amount(text) == AmountAnswer("cents", cents)


@pytest.mark.parametrize(
    "text",
    [
        "the full balance",
        "pay it all",
        "everything",
        "pay it off",
        "the whole thing",
        "Full balance",
        "all of it",
    ],
)
def test_the_full_balance(text):
    assert parse_amount(text) == AmountAnswer("full")


@pytest.mark.parametrize("text", ["the minimum", "min", "just the minimum due", "the least I can"])
def test_the_minimum(text):
    assert parse_amount(text) == AmountAnswer("minimum")


@pytest.mark.parametrize(
    "text",
    ["not sure", "my visa", "", "hmm a bit", "i cant pay all that, can i do a payment plan instead"],
)
def test_no_amount(text):
    assert parse_amount(text) is None


def test_fractions_of_a_cent_are_refused():
    with pytest.raises(AmountError):
        parse_amount("$10.555")


@pytest.mark.parametrize(
    "text,cents",
    [
        ("50 cents", 50),
        (".50", 50),
        ("$.50", 50),
        ("pay .50 please", 50),
        ("1.5k", 150000),
        ("2k", 200000),
        ("1.5 thousand", 150000),
        ("ending 0001, pay 50", 5000),
        ("pay $50 with the visa ending 4242", 5000),
        ("pay 50 on the 15th", 5000),
        ("pay 50 on 12/15", 5000),
        ("call me at 1-800-218-1059, pay 40", 4000),
        ("pay 50 in 2 payments", 5000),
        ("fifty dollars and 25 cents", 5025),
        ("$50 and 25 cents", 5025),
        ("50 dollars 25 cents", 5025),
        ("$50 and twenty five cents", 5025),
        ("50.5", 5050),
        ("$1,000,000", 100000000),
        ("pay that one, $30", 3000),
        ("$50, yes 50", 5000),
    ],
)
def test_amounts_mean_what_the_member_said(text, cents):
    assert parse_amount(text) == AmountAnswer("cents", cents)


@pytest.mark.parametrize("text", ["-50", "negative 50", "minus $5", "$-20", "pay -10.00"])
def test_negative_amounts_are_refused_in_words_a_member_understands(text):
    with pytest.raises(AmountError, match="above zero"):
        parse_amount(text)


@pytest.mark.parametrize(
    "text,question",
    [
        ("20 or 30", "$20.00 or $30.00?"),
        ("twenty or thirty", "$20.00 or $30.00?"),
        ("$20 - $30", "$20.00 or $30.00?"),
        ("I owe 120 but pay $50", "$50.00 or $120.00?"),
    ],
)
def test_two_different_amounts_are_a_question_never_a_guess(text, question):
    with pytest.raises(AmountError) as refused:
        parse_amount(text)
    assert question in str(refused.value) and str(refused.value).endswith("the one amount to pay.")


@pytest.mark.parametrize(
    "text,cents",
    [
        ("yes but do $45.50 not 50", 4550),
        ("not 50, 45.50", 4550),
        ("$60 instead of $30", 6000),
        ("make it 25 rather than 30", 2500),
    ],
)
def test_an_amount_the_member_refuses_is_not_read(text, cents):
    assert parse_amount(text) == AmountAnswer("cents", cents)


@pytest.mark.parametrize("text", ["card last four 4242", "2000-1000-01", "account 2000100001", "pay 20-30"])
def test_identifiers_and_ranges_are_not_read_as_amounts(text):
    assert parse_amount(text) is None


@pytest.mark.parametrize("text", ["$10.555", "0.001", "fifty dollars and 120 cents"])
def test_amounts_that_are_not_whole_cents_are_refused_with_a_question(text):
    with pytest.raises(AmountError, match=r"How much would you like to pay\?"):
        parse_amount(text)
