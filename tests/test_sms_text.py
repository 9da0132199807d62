from assistant.channels.sms_text import SMS_LIMIT, plain, render, split


def test_buttons_become_numbered_choices_without_payloads():
    texts, payloads = render(
        [
            {
                "text": "Which account?",
                "buttons": [
                    {"title": "Medical", "payload": '/choose{"choice": "1"}'},
                    {"title": "Premium", "payload": "/x"},
                ],
            }
        ],
        "Reply with a number to choose.",
    )
    assert texts == ["Which account?\n1. Medical\n2. Premium\nReply with a number to choose."]
    assert payloads == ['/choose{"choice": "1"}', "/x"]


def test_links_are_plain():
    assert (
        plain("See [bill pay](https://example.org/pay) **now**")
        == "See bill pay: https://example.org/pay now"
    )


def test_long_answers_are_split_at_sentences_under_the_limit():
    sentence = "This is a sentence about billing that keeps going for a while. "
    text = sentence * 60
    parts = split(text.strip())
    assert len(parts) > 1 and all(len(p) <= SMS_LIMIT for p in parts)
    assert " ".join(parts).split() == text.split()
    assert all(p.endswith(".") for p in parts)
