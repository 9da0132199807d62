"""redact_events copies only the parts of an event it rewrites (assistant/event_redaction.py, `_redacted`)
and remembers texts with nothing to mask: the events it is given, the tracker's own serialised events,
must come back untouched while the copy is masked, every time."""

from __future__ import annotations

import copy
from typing import Any

from assistant import event_redaction
from assistant.event_redaction import redact_events

CARD = "4242 4242 4242 4242"


def events() -> list[dict[str, Any]]:
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
        # Verification answers, masked once action_verify_member has checked them.
        {"event": "active_loop", "name": "verification_form"},
        {
            "event": "user",
            "text": "2000100001 april 12 1985 94612",
            "parse_data": {
                "text": "2000100001 april 12 1985 94612",
                "entities": [{"entity": "zip", "value": "94612"}],
            },
        },
        {"event": "slot", "name": "verify_identifier", "value": "2000100001"},
        {"event": "slot", "name": "verify_birth_date", "value": "1985-04-12"},
        {"event": "slot", "name": "verify_zip", "value": "94612"},
        {"event": "action", "name": "action_verify_member"},
    ]


def test_the_events_given_are_untouched_and_the_copy_masked() -> None:
    given = events()
    before = copy.deepcopy(given)

    redacted = redact_events(given)

    assert given == before
    first, slot, bot, half, other_half, _, answers, *verify_slots, _ = redacted
    assert "4242 4242 4242 4242" not in str(redacted)
    assert first["text"] == "pay with [card number ending 4242 removed]"
    assert first["parse_data"]["entities"][0]["value"] == "[card number ending 4242 removed]"
    assert first["metadata"] == {"channel": {"name": "web"}}
    assert first["parse_data"]["metadata"] == {}
    assert slot["value"] == {"typed": ["[card number ending 4242 removed]"]}
    assert bot["text"] == "You said [card number ending 4242 removed]?"
    assert "4242" in half["text"] and "removed" in half["text"] and "removed" in other_half["text"]
    for typed in ("2000100001", "1985", "94612"):
        assert typed not in str([answers, *verify_slots])


def test_a_text_is_masked_however_often_it_is_seen() -> None:
    # Bot texts found clean are remembered (`_NOTHING_TO_MASK`); one with a card number never is, nor
    # anything a member typed.
    conversation: list[dict[str, Any]] = [
        {"event": "bot", "text": "Your balance is $140.90, due May 1."},
        {"event": "bot", "text": f"Pay with {CARD}?"},
        {"event": "user", "text": f"card {CARD}", "parse_data": {"text": f"card {CARD}", "entities": []}},
        *events(),
    ]
    for _ in range(3):
        clean, echoed, user, *_ = redact_events(conversation)
        assert clean["text"] == "Your balance is $140.90, due May 1."
        assert echoed["text"] == "Pay with [card number ending 4242 removed]?"
        assert user["text"] == user["parse_data"]["text"] == "card [card number ending 4242 removed]"
    assert "Your balance is $140.90, due May 1." in event_redaction._NOTHING_TO_MASK
    for typed in ("4242 4242", "2000100001", "1985", "94612"):
        assert not any(typed in text for text in event_redaction._NOTHING_TO_MASK)


def test_the_remembered_clean_texts_are_bounded() -> None:
    for number in range(event_redaction.NOTHING_TO_MASK_SIZE + 10):
        redact_events([{"event": "bot", "text": f"reply {number}"}])
    assert len(event_redaction._NOTHING_TO_MASK) == event_redaction.NOTHING_TO_MASK_SIZE
    assert f"reply {event_redaction.NOTHING_TO_MASK_SIZE + 9}" in event_redaction._NOTHING_TO_MASK
