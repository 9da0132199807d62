"""redact_events copies only an event's containers (assistant/event_redaction.py, `_copied`): the events
it is given, which are the tracker's own serialised events, must come back untouched while the copy is
masked."""

from __future__ import annotations

import copy

from assistant.event_redaction import redact_events

CARD = "4242 4242 4242 4242"


def events() -> list[dict]:
    return [
        {
            "event": "user",
            "text": f"pay with {CARD}",
            "metadata": {"auth_token": "secret", "channel": {"session_token": "s", "name": "web"}},
            "parse_data": {
                "text": f"pay with {CARD}",
                "intent": {"name": "pay_bill", "confidence": 0.9},
                "entities": [{"entity": "card", "value": CARD, "start": 9, "end": 28}],
                "metadata": {"member_token": "t"},
            },
        },
        {"event": "slot", "name": "card_number", "value": {"typed": [CARD], "token": "x"}},
        {"event": "bot", "text": f"You said {CARD}?", "data": {"buttons": [{"title": "yes"}]}},
        # A split card: half in each message.
        {"event": "user", "text": "4242 4242", "parse_data": {"text": "4242 4242", "entities": []}},
        {"event": "user", "text": "4242 4242", "parse_data": {"text": "4242 4242", "entities": []}},
    ]


def test_the_events_given_are_untouched_and_the_copy_masked() -> None:
    given = events()
    before = copy.deepcopy(given)

    redacted = redact_events(given)

    assert given == before
    first, slot, bot, half, other_half = redacted
    assert "4242 4242 4242 4242" not in str(redacted)
    assert first["text"] == "pay with [card number ending 4242 removed]"
    assert first["parse_data"]["entities"][0]["value"] == "[card number ending 4242 removed]"
    assert first["metadata"] == {"channel": {"name": "web"}}
    assert first["parse_data"]["metadata"] == {}
    assert slot["value"] == {"typed": ["[card number ending 4242 removed]"]}
    assert bot["text"] == "You said [card number ending 4242 removed]?"
    assert "4242" in half["text"] and "removed" in half["text"] and "removed" in other_half["text"]
