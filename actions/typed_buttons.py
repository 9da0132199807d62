"""A button's title typed instead of clicked ("Minimum due", "Sandbox Bank ending 6789", "Statement
balance"): read as that button, from the buttons of the bot's last turn."""

from __future__ import annotations

import json
import re

from rasa_sdk import Tracker

# Short typed words ("yes", "no") are NLU's to read; a title is matched by its start from this length.
MIN_PREFIX = 4


def _plain(text: str) -> str:
    return re.sub(r"[^a-z0-9$.]+", " ", text.lower()).strip(" .")


def last_turn_buttons(tracker: Tracker) -> list[dict]:
    """The buttons the bot showed in its turn just before the latest message, in the order shown."""
    users_seen = 0
    turn: list[list[dict]] = []
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users_seen += 1
            if users_seen > 1:
                break  # only the turn just before this message
        elif event.get("event") == "bot" and users_seen == 1:
            turn.insert(0, list((event.get("data") or {}).get("buttons") or []))
    return [button for buttons in turn for button in buttons]


def payload_intent(payload: str) -> str:
    """The intent a button's payload sends ("/make_payment", '/choose{"choice": "1"}' -> "choose")."""
    return payload.lstrip("/").split("{")[0]


def typed_button_payload(tracker: Tracker) -> str | None:
    """The payload of the button of the bot's last turn whose title the latest message is (or starts)."""
    said = _plain(tracker.latest_message.get("text") or "")
    if not said or said.startswith("/"):
        return None
    for button in last_turn_buttons(tracker):
        title = _plain(str(button.get("title") or ""))
        if title == said or (len(said) >= MIN_PREFIX and title.startswith(said)):
            return str(button.get("payload") or "") or None
    return None


def payload_answer(payload: str) -> str | bool | None:
    """What a button's payload answers: the choice it sets, True for /affirm, False for /deny."""
    if payload == "/affirm":
        return True
    if payload == "/deny":
        return False
    if payload.startswith("/choose"):
        try:
            return str(json.loads(payload[len("/choose") :])["choice"])
        except (ValueError, KeyError, TypeError):
            return None
    return None
