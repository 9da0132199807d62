"""Realistic conversations written straight into Rasa's events table, for measuring the desk at scale
(`python -m agent_desk seed --conversations 100000`). Texts are what members type, already masked as
the tracker store would have stored them; every conversation gets a `seed-` id so they are easy to drop."""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from typing import Any

import jwt
from sqlalchemy import Engine, insert

from .tracker_events import events, metadata

CHANNELS = [("website", 0.6), ("twilio_sms", 0.3), ("rest", 0.1)]
FAQ = [
    ("why did I get a bill after my visit", "faq/why_bill", "Your plan paid its share; the bill is yours."),
    ("where do i pay my premium", "where_pay_premium", "Which state is your coverage in?"),
    ("can I pay by phone", "faq/pay_by_phone", "Yes, call the number on your statement."),
    ("how do I get paper statements again", "paperless_off", "I can switch you back to paper."),
    ("what payment methods do you take", "faq/payment_methods_accepted", "Cards and bank accounts."),
    ("is there help paying my bills", "financial_assistance", "There is a financial assistance program."),
    ("who do i call about a claim", "faq/claims_contact", "Claims have their own phone line."),
]
ACCOUNT = [
    ("what's my balance", "check_balance", "You owe $182.40 on your medical account."),
    ("show me my last statement", "show_statement", "Your statement from November lists 3 charges."),
    ("pay the full amount with my visa", "make_payment", "Pay $182.40 with Visa ending 4242 today?"),
    ("set up autopay", "setup_autopay", "Autopay on the 15th with Visa ending 4242?"),
    ("i need a payment plan", "payment_plan", "You can spread $182.40 over 3, 6 or 12 months."),
    (
        "my card is [card number ending 1111 removed]",
        "share_sensitive_number",
        "Please don't type card numbers here; use the secure link.",
    ),
]
MISSES = ["blorp", "the thing from before??", "idk", "asdf jkl", "why is it like that"]


def _identity_token(member_number: str) -> str:
    # Only the subject is read by the desk; the signature is the action server's.
    return jwt.encode({"sub": member_number, "cid": "seed"}, "seed-data-is-not-signed-for-real-0123", "HS256")


def conversation(rng: random.Random, start: float) -> tuple[str, list[dict[str, Any]]]:
    channel = rng.choices([c for c, _ in CHANNELS], [w for _, w in CHANNELS])[0]
    at = start
    found: list[dict[str, Any]] = []

    def add(event: dict[str, Any]) -> None:
        nonlocal at
        at += rng.uniform(0.5, 40)
        found.append({"timestamp": at, **event})

    def member(text: str, intent: str, confidence: float) -> None:
        add(
            {
                "event": "user",
                "text": text,
                "input_channel": channel,
                "parse_data": {"intent": {"name": intent, "confidence": confidence}, "text": text},
            }
        )

    def bot(text: str, action: str) -> None:
        add({"event": "action", "name": action, "policy": "RulePolicy", "confidence": 1.0})
        add({"event": "bot", "text": text, "metadata": {"utter_action": action}})

    add({"event": "action", "name": "action_session_start"})
    add({"event": "session_started"})
    member("hi", "greet", rng.uniform(0.8, 1.0))
    bot("Hi! I can help with your health plan bills.", "utter_greet")
    for _ in range(rng.randint(1, 4)):
        roll = rng.random()
        if roll < 0.45:
            text, intent, answer = rng.choice(FAQ)
            member(text, intent, rng.uniform(0.35, 1.0))
            bot(answer, "utter_faq")
        elif roll < 0.8:
            text, intent, answer = rng.choice(ACCOUNT)
            member(text, intent, rng.uniform(0.4, 1.0))
            if not any(e.get("name") == "identity_token" for e in found):
                bot("First I need to verify you.", "utter_need_verification")
                member("[verification answers removed]", "inform", rng.uniform(0.6, 1.0))
                add(
                    {
                        "event": "slot",
                        "name": "identity_token",
                        "value": _identity_token(f"M{rng.randint(1, 20000):05d}"),
                    }
                )
            bot(answer, "action_member_request")
        else:
            member(rng.choice(MISSES), "nlu_fallback", rng.uniform(0.1, 0.44))
            bot("Sorry, I didn't get that. Could you rephrase?", "action_misunderstood")
    if rng.random() < 0.08:
        member("talk to a person", "human_handoff", rng.uniform(0.8, 1.0))
        add({"event": "action", "name": "action_handoff"})
        add({"event": "slot", "name": "handoff_case", "value": str(rng.randint(1, 10**6))})
        add({"event": "bot", "text": "You're in the queue for a billing specialist."})
    prefix = {"website": "web", "twilio_sms": "sms", "rest": "rest"}[channel]
    return f"seed-{prefix}-{rng.getrandbits(64):016x}", found


def rows(count: int, days: int, seed: int) -> Iterator[dict[str, Any]]:
    rng = random.Random(seed)
    end = dt.datetime.now(dt.timezone.utc).timestamp()
    for _ in range(count):
        sender_id, found = conversation(rng, end - rng.uniform(0, days * 86400))
        for event in found:
            yield {
                "sender_id": sender_id,
                "type_name": event["event"],
                "timestamp": event["timestamp"],
                "intent_name": (event.get("parse_data") or {}).get("intent", {}).get("name"),
                "action_name": event.get("name"),
                "data": json.dumps(event),
            }


def seed(tracker: Engine, count: int, days: int = 90, seed_value: int = 1) -> int:
    """Writes `count` conversations; returns how many events that made."""
    metadata.create_all(tracker)  # what Rasa creates on its first start
    written = 0
    batch: list[dict[str, Any]] = []
    with tracker.begin() as connection:
        for row in rows(count, days, seed_value):
            batch.append(row)
            if len(batch) == 5000:
                connection.execute(insert(events), batch)
                written += len(batch)
                batch = []
        if batch:
            connection.execute(insert(events), batch)
            written += len(batch)
    return written
