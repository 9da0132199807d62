"""Which task each request intent starts, kept apart from the code that does them so any module (the
gate, verification, a form the member steers away from) can ask without importing the tasks."""

from __future__ import annotations

from assistant.parsing.setting_questions import asks_how_it_is_set, autopay_wanted_in_words

# The request each intent makes: a form's name, or the name of the action that answers it.
REQUEST_FOR_INTENT = {
    "make_payment": "payment_form",
    "setup_autopay": "autopay_form",
    "change_autopay": "autopay_form",
    "cancel_autopay": "autopay_cancel_form",
    "payment_plan": "plan_form",
    "dispute_charge": "dispute_form",
    "check_balance": "action_check_balance",
    "show_statement": "action_show_statement",
    "older_statements": "action_older_statements",
    "payment_history": "action_payment_history",
    "last_receipt": "action_last_receipt",
    "paperless_on": "paperless_form",
    "paperless_off": "paperless_form",
    "request_extension": "action_request_extension",
    "add_payment_method": "action_add_payment_method",
    "autopay_status": "action_autopay_status",
    "paperless_status": "action_paperless_status",
}

# Requests to change a setting, and the answer to the question about it their words may be asking instead.
STATUS_ANSWER_FOR_CHANGE = {
    "setup_autopay": "action_autopay_status",
    "change_autopay": "action_autopay_status",
    "cancel_autopay": "action_autopay_status",
    "paperless_on": "action_paperless_status",
    "paperless_off": "action_paperless_status",
}

# Tasks that need no verification and have a form of their own.
OPEN_TASKS = {"guest_payment": "guest_form", "fa_prescreen": "fa_form"}


# Where an autopay request goes when its words say which way, whatever the intent read.
AUTOPAY_INTENTS = frozenset({"setup_autopay", "change_autopay", "cancel_autopay", "autopay_status"})
AUTOPAY_FORM_FOR_WANTED = {True: "autopay_form", False: "autopay_cancel_form"}


def request_for(intent: str | None, text: str) -> str | None:
    """What the gate does for a request intent and its words: "so is autopay off now?", read as
    cancel_autopay, is answered, never taken as a request to change it; and autopay words that say which
    way ("remove the automatic pay" read as setup_autopay, "set up autopay ..." read as a question) go
    that way."""
    if intent in STATUS_ANSWER_FOR_CHANGE and asks_how_it_is_set(text):
        return STATUS_ANSWER_FOR_CHANGE[intent]
    if intent in AUTOPAY_INTENTS:
        wanted = autopay_wanted_in_words(text)
        if wanted is not None:
            return AUTOPAY_FORM_FOR_WANTED[wanted]
    return REQUEST_FOR_INTENT.get(intent) if intent else None


def task_started_by(intent: str | None) -> str | None:
    """The form or answering action a request intent starts; None for anything else."""
    if intent is None:
        return None
    return REQUEST_FOR_INTENT.get(intent) or OPEN_TASKS.get(intent)
