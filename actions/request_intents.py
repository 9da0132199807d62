"""Which task each request intent starts, kept apart from the code that does them so any module (the
gate, verification, a form the member steers away from) can ask without importing the tasks."""

from __future__ import annotations

from assistant.parsing.setting_questions import setting_intent

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

# Tasks that need no verification and have a form of their own.
OPEN_TASKS = {"guest_payment": "guest_form", "fa_prescreen": "fa_form"}


def request_for(intent: str | None, text: str) -> str | None:
    """What the gate does for a request intent and its words, read by their words where they say more than
    the classifier did ("so is autopay off now?" is answered, never taken as a request to change it)."""
    return REQUEST_FOR_INTENT.get(setting_intent(intent, text) or "")


def task_started_by(intent: str | None) -> str | None:
    """The form or answering action a request intent starts; None for anything else."""
    if intent is None:
        return None
    return REQUEST_FOR_INTENT.get(intent) or OPEN_TASKS.get(intent)
