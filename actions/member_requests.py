"""What each account request does once the member is verified: start an account form (the rules run it
from next_step) or answer at once. The gate answers a verified member's request with it, and verification
answers the request that was waiting for it the same way: plain functions of the verified member, so no
action runs another action and no tracker is made up."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from .accounts import say_balances, say_latest_statements, say_older_statements
from .autopay import autopay_answers_in
from .cases import request_extensions
from .form_registry import FORMS
from .form_setup import RequestAnswers, prepare_form
from .history import say_last_receipt, say_payment_history
from .lookups import VerifiedMember
from .paperless import paperless_status_or_change, start_paperless_change
from .payment_methods import offer_new_method
from .payments import payment_answers_in
from .plans import plan_answers_in
from .settings_status import say_autopay_status

Answer = Callable[[VerifiedMember, CollectingDispatcher, Tracker], Awaitable[list[EventType]]]

# The answer each of those actions gives (the action itself gives it too when its intent comes mid-form).
ANSWERS: dict[str, Answer] = {
    "action_check_balance": say_balances,
    "action_show_statement": say_latest_statements,
    "action_older_statements": say_older_statements,
    "action_payment_history": say_payment_history,
    "action_last_receipt": say_last_receipt,
    # A form whose start depends on what is set now: it starts only when something would change.
    "paperless_form": start_paperless_change,
    "action_request_extension": request_extensions,
    "action_add_payment_method": offer_new_method,
    "action_autopay_status": say_autopay_status,
    "action_paperless_status": paperless_status_or_change,
}

# The forms that take their answers from the request's own words, beyond the account it names.
ANSWERS_IN_REQUEST: dict[str, RequestAnswers] = {
    "payment_form": payment_answers_in,
    "autopay_form": autopay_answers_in,
    "plan_form": plan_answers_in,
}


async def do_request(
    request: str, member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker, said: str = ""
) -> list[EventType]:
    """Prepares the form (the rules start it from next_step), starting with what the request `said`
    already gives, or answers now."""
    if request in FORMS:
        return await prepare_form(request, member, dispatcher, said, ANSWERS_IN_REQUEST.get(request))
    return await ANSWERS[request](member, dispatcher, tracker)
