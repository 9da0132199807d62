"""When NLU could not choose between two things the member may have meant, the choice goes back to them:
"Did you mean ...?" with a button for each (numbered choices on SMS), instead of a guess or "please
rephrase". A button sends the intent itself, so the request goes on as if it had been understood."""

from __future__ import annotations

from dataclasses import dataclass

from rasa_sdk import Tracker

from .typed_buttons import last_turn_buttons, payload_intent, typed_button_payload

# What a member would call each request they can make (the faq intent is left out: its button could not
# say which answer).
INTENT_TITLES = {
    "check_balance": "Check my balance",
    "show_statement": "See my latest statement",
    "older_statements": "See older statements",
    "payment_history": "See my payment history",
    "last_receipt": "Get my last receipt",
    "make_payment": "Make a payment",
    "add_payment_method": "Add a card or bank account",
    "setup_autopay": "Set up autopay",
    "change_autopay": "Change my autopay",
    "cancel_autopay": "Turn off autopay",
    "autopay_status": "Check my autopay",
    "paperless_on": "Go paperless",
    "paperless_off": "Get paper statements",
    "paperless_status": "Check paperless billing",
    "payment_plan": "Set up a payment plan",
    "request_extension": "Ask for more time to pay",
    "dispute_charge": "Question a charge",
    "financial_assistance": "Get help paying my bills",
    "fa_prescreen": "Check if I may qualify for financial help",
    "guest_payment": "Pay without signing in",
    "where_pay_premium": "Where to pay my premium",
    "human_handoff": "Talk to a person",
}
# Below this, an intent is not among what the member may have meant.
MIN_CONFIDENCE = 0.15
MAX_SUGGESTIONS = 2


def suggested_intents(tracker: Tracker) -> list[str]:
    """The requests the latest message most likely meant, best first; none when nothing came close."""
    ranking = tracker.latest_message.get("intent_ranking") or []
    return [
        entry["name"]
        for entry in ranking
        if entry.get("name") in INTENT_TITLES and float(entry.get("confidence") or 0.0) >= MIN_CONFIDENCE
    ][:MAX_SUGGESTIONS]


def suggestion_buttons(intents: list[str]) -> list[dict[str, str]]:
    return [{"title": INTENT_TITLES[intent], "payload": f"/{intent}"} for intent in intents]


@dataclass(frozen=True)
class Offered:
    """What the bot's last turn, "Did you mean ...?", offered: the requests best first, the words of the
    message it could not place, and whether the latest message is one of the choices (a button or its
    title typed) rather than something else said instead."""

    requests: list[str]
    unplaced_words: str
    chosen: str | None


def suggestions_just_offered(tracker: Tracker) -> Offered | None:
    """The "Did you mean ...?" the bot's last turn asked, None when it asked something else."""
    unplaced: str | None = None
    asked = False
    users_seen = 0
    for event in reversed(tracker.events):
        kind = event.get("event")
        if kind in ("session_started", "restart"):
            return None
        if kind == "user":
            users_seen += 1
            if users_seen == 2:
                unplaced = str(event.get("text") or "")
                break
        elif kind == "bot" and users_seen == 1:
            asked = asked or (event.get("metadata") or {}).get("utter_action") == "utter_did_you_mean"
    if not asked or unplaced is None:
        return None
    buttons = last_turn_buttons(tracker)
    requests = [payload_intent(str(b.get("payload") or "")) for b in buttons]
    requests = [intent for intent in requests if intent in INTENT_TITLES]
    said = str(tracker.latest_message.get("text") or "")
    payload = said if said.startswith("/") else typed_button_payload(tracker)
    chosen = payload_intent(payload) if payload else None
    return Offered(requests, unplaced, chosen if chosen in requests else None) if requests else None
