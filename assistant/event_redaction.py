"""What a conversation's events look like once nothing sensitive is left in them: the form the tracker
store writes.

Works on serialised events (Event.as_dict()), the whole stored session at once, because some numbers
are only sensitive in context: a card typed over two messages, verification answers once the billing
service has checked them. The store compares the result with what it already holds and rewrites the
rows that changed: one mechanism for both.

Rules:
- text the member typed (UserUttered text, parse_data text, entity values), bot text and string slot
  values go through `mask`;
- any key containing "token" is dropped from metadata (event metadata, parse_data metadata) and from
  dict slot values (`session_started_metadata`). Slots themselves are never dropped, and the value of the
  `identity_token` slot is written as is: it is a signed identity the action server issued and needs on
  later turns, not a secret the member typed;
- after `action_verify_member` ran, the messages that answered the verification form (and the one that
  started it, if it carried the answers) and the `verify_*` slot values are masked;
- numbers split over up to three consecutive member messages are masked in each message, and in the
  slot values set from those messages.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from billing_contract.redaction import mask, mask_label

from .parsing.dates import parse_birth_date
from .split_numbers import find_split_numbers
from .verification_answers import mask_verification_answers, mask_verification_slot

Event = dict[str, Any]

VERIFICATION_FORM = "verification_form"
VERIFY_ACTION = "action_verify_member"
VERIFY_SLOTS = ("verify_identifier", "verify_birth_date", "verify_zip")
KEPT_AS_IS_SLOTS = frozenset({"identity_token"})
# Slots that may hold verification answers: the answers' own, and the request's words the gate keeps while
# the member verifies ("what do I owe? account 2000400001, born June 3 1958, zip 96813").
ANSWER_HOLDING_SLOTS = frozenset({*VERIFY_SLOTS, "request_text"})


def redact_events(events: list[Event]) -> list[Event]:
    """Masked copies of `events` (one session, in order); the input is left untouched."""
    redacted = [_redacted(event) for event in events]
    verification = _VerificationTurns(redacted)
    _mask_split_numbers(redacted, verification.answering)
    for index in verification.checked_messages:
        _rewrite_user_text(redacted[index], mask_verification_answers)
    for index in verification.checked_slots:
        event = redacted[index]
        event["value"] = mask_verification_slot(event["name"], event.get("value"))
    return redacted


def _redacted(event: Event) -> Event:
    # A new dict for the event and for every container masking writes into (the rules below and
    # redact_events' later passes): the rest is shared with the input, which is never written to.
    # Copying each whole event (copy.deepcopy) was the largest part of masking a session per turn.
    event = dict(event)
    if isinstance(event.get("metadata"), dict):
        event["metadata"] = without_tokens(event["metadata"])
    kind = event.get("event")
    if kind == "user":
        parse_data = event.get("parse_data")
        if isinstance(parse_data, dict):
            event["parse_data"] = parse_data = _own_parse_data(parse_data)
            if isinstance(parse_data.get("metadata"), dict):
                parse_data["metadata"] = without_tokens(parse_data["metadata"])
        _rewrite_user_text(event, mask)
    elif kind == "bot" and isinstance(event.get("text"), str):
        event["text"] = _masked_bot_text(event["text"])
    elif kind == "slot" and event.get("name") not in KEPT_AS_IS_SLOTS:
        event["value"] = _masked_value(without_tokens(event.get("value")))
    return event


def _own_parse_data(parse_data: dict[str, Any]) -> dict[str, Any]:
    """parse_data with its own entity list and entities: `_rewrite_user_text` writes their values."""
    parse_data = dict(parse_data)
    if isinstance(parse_data.get("entities"), list):
        parse_data["entities"] = [
            dict(entity) if isinstance(entity, dict) else entity for entity in parse_data["entities"]
        ]
    return parse_data


# Bot texts `mask` left as they were, most recent last. Every turn masks the whole session again, and its
# bot texts (amounts, dates, plan account numbers) each went through the number search. Only bot texts:
# nothing after `mask` rewrites them, so what is kept here is exactly what the store writes in clear (a
# member's message can be clean to `mask` and still hold verification answers or half a card number).
_NOTHING_TO_MASK: OrderedDict[str, None] = OrderedDict()
NOTHING_TO_MASK_SIZE = 4096


def _masked_bot_text(text: str) -> str:
    """`mask(text)`, remembering the texts it leaves unchanged."""
    if text in _NOTHING_TO_MASK:
        _NOTHING_TO_MASK.move_to_end(text)
        return text
    masked = mask(text)
    if masked == text:
        _NOTHING_TO_MASK[text] = None
        if len(_NOTHING_TO_MASK) > NOTHING_TO_MASK_SIZE:
            _NOTHING_TO_MASK.popitem(last=False)
    return masked


def without_tokens(value: Any) -> Any:
    """A copy of value without any dict key containing "token", at any depth."""
    if isinstance(value, dict):
        return {key: without_tokens(item) for key, item in value.items() if "token" not in str(key).lower()}
    if isinstance(value, list):
        return [without_tokens(item) for item in value]
    return value


def _masked_value(value: Any) -> Any:
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: _masked_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked_value(item) for item in value]
    return value


def _rewrite_user_text(event: Event, rewrite: Callable[[str], str]) -> None:
    if isinstance(event.get("text"), str):
        event["text"] = rewrite(event["text"])
    parse_data = event.get("parse_data")
    if not isinstance(parse_data, dict):
        return
    if isinstance(parse_data.get("text"), str):
        parse_data["text"] = rewrite(parse_data["text"])
    for entity in parse_data.get("entities") or []:
        if isinstance(entity, dict) and isinstance(entity.get("value"), str):
            entity["value"] = rewrite(entity["value"])


class _VerificationTurns:
    """Which events belong to verification turns: the member's messages while the verification form was
    active (`answering`), and those of them already checked by action_verify_member (`checked_messages`,
    with the message that started the form when it carried the answers) and their slot events."""

    def __init__(self, events: list[Event]) -> None:
        self.answering: set[int] = set()
        self.checked_messages: set[int] = set()
        self.checked_slots: set[int] = set()
        active: str | None = None
        last_message: int | None = None
        starter: int | None = None
        messages: list[int] = []
        slots: list[int] = []
        for index, event in enumerate(events):
            kind = event.get("event")
            if kind == "active_loop":
                name = event.get("name")
                if name == VERIFICATION_FORM and active != VERIFICATION_FORM:
                    starter = last_message
                active = name
            elif kind == "user":
                last_message = index
                if active == VERIFICATION_FORM:
                    self.answering.add(index)
                    messages.append(index)
            elif (
                kind == "slot"
                and event.get("name") in ANSWER_HOLDING_SLOTS
                and event.get("value") is not None
            ):
                slots.append(index)
            elif kind == "action" and event.get("name") == VERIFY_ACTION:
                self.checked_messages.update(messages)
                self.checked_slots.update(slots)
                if starter is not None and _carries_answers(events[starter], [events[i] for i in slots]):
                    self.checked_messages.add(starter)
                    self.answering.add(starter)
                messages, slots, starter = [], [], None


def _carries_answers(message: Event, slot_events: list[Event]) -> bool:
    text = str(message.get("text") or "")
    digits = re.sub(r"\D", "", text)
    for slot in slot_events:
        value = str(slot.get("value") or "")
        if slot["name"] == "verify_birth_date":
            born = parse_birth_date(text, dt.date.today())
            if born is not None and born.isoformat() == value:
                return True
        elif re.sub(r"\D", "", value) and re.sub(r"\D", "", value) in digits:
            return True
    return False


def _mask_split_numbers(events: list[Event], answering: set[int]) -> None:
    messages = [
        index
        for index, event in enumerate(events)
        if event.get("event") == "user" and isinstance(event.get("text"), str)
    ]
    texts = [events[index]["text"] for index in messages]
    joinable = [index not in answering for index in messages]
    pieces: dict[int, dict[tuple[int, int], str]] = {}
    for split in find_split_numbers(texts, joinable):
        for piece in split.pieces:
            typed = texts[piece.message][piece.start : piece.end]
            label = mask_label(split.kind, typed if split.kind == "security_code" else split.digits)
            pieces.setdefault(messages[piece.message], {}).setdefault((piece.start, piece.end), label)
    for index, labels in pieces.items():
        _mask_pieces(events, index, labels)


def _mask_pieces(events: list[Event], message: int, labels: dict[tuple[int, int], str]) -> None:
    """The pieces in the message itself, and in whatever was set from it before the next message."""
    text = events[message]["text"]
    replacements: list[tuple[int, int, str, str]] = []
    for (start, end), label in sorted(labels.items(), key=lambda item: (item[0][0], -item[0][1])):
        if replacements and start < replacements[-1][1]:
            continue  # overlaps a longer piece already masked
        replacements.append((start, end, text[start:end], label))
    for start, end, _, label in reversed(replacements):
        text = text[:start] + label + text[end:]

    def rewrite(value: str) -> str:
        for _, _, typed, label in replacements:
            value = value.replace(typed, label)
        return value

    _rewrite_user_text(events[message], rewrite)  # parse_data text and entity values
    events[message]["text"] = text
    for event in events[message + 1 :]:
        if event.get("event") == "user":
            break
        if (
            event.get("event") == "slot"
            and event.get("name") not in KEPT_AS_IS_SLOTS
            and isinstance(event.get("value"), str)
        ):
            event["value"] = rewrite(event["value"])
