"""Saved payment methods, for the payment and autopay forms: which one to use, and a secure link to add
a new one outside the chat (no card or bank number is ever typed into it)."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.billing_client import BillingClient
from assistant.parsing.negation import without_negated
from billing_contract import responses

from .base import BillingAction, MemberAction
from .choices import choose, match_method, method_buttons
from .form_setup import answer_again
from .identity_token import verified_member
from .lookups import VerifiedMember, member_billing, saved_methods


async def send_payment_link(
    dispatcher: CollectingDispatcher, client: BillingClient, member_number: str, account_number: str | None
) -> None:
    """A one-time link to the billing service's page where the member adds a card or bank account."""
    link = await client.payment_link(member_number, account_number)
    dispatcher.utter_message(
        response="utter_payment_link", url=link.url, expires=f"{link.expires_at:%H:%M} UTC"
    )


async def send_form_payment_link(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The link, from inside a form, for the account the form works on."""
    await send_payment_link(
        dispatcher,
        member_billing(tracker),
        verified_member(tracker) or "",
        tracker.get_slot("account_number"),
    )


# "new card", "add a new bank account", "a different card", "another one": never one of the saved methods.
NEW_METHOD = re.compile(
    r"\b(new|another|different|other)\b(\s+\w+){0,2}\s*\b(card|bank|account|one|method|debit|credit)\b",
    re.IGNORECASE,
)


async def offered_methods(tracker: Tracker) -> list[responses.PaymentMethodOut]:
    """The saved methods the method question offers: all but one a payment was just declined on."""
    declined = tracker.get_slot("declined_payment_method")
    return [method for method in await saved_methods(tracker) if str(method.id) != str(declined)]


def wants_new_method(value: Any) -> bool:
    return isinstance(value, str) and NEW_METHOD.search(value) is not None


# "what other cards do you take?" asks about methods; "can i use a different card then" asks for one.
ASKS_ABOUT = re.compile(r"^\W*(what|which|how|why|where|when|who)\b", re.IGNORECASE)


def asks_for_new_method(said: str) -> bool:
    """Words that ask to pay with a new card or bank account, in any shape but a wh-question."""
    return wants_new_method(said) and ASKS_ABOUT.search(said) is None


async def method_answer(value: Any, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """The slots an answer to "which payment method?" sets: the saved method picked, or, for "new", a
    secure link sent to add one (the question then waits for it instead of listing the saved ones)."""
    if value == "new" or wants_new_method(value):
        await send_form_payment_link(dispatcher, tracker)
        return {"payment_method": None, "payment_link_sent": True}
    waited = {"payment_link_sent": False} if tracker.get_slot("payment_link_sent") else {}
    if waited and value in ("yes", "refresh"):
        return {"payment_method": None, **waited}  # added on the page: the saved ones, listed again
    method = match_method(value, await offered_methods(tracker))
    if method is None and value != "refresh":
        dispatcher.utter_message(response="utter_invalid_method")
    return {"payment_method": method.id if method else None, **waited}


async def method_in_request(said: str, member: VerifiedMember) -> dict[str, Any]:
    """The payment method a request names: a saved one ("with my visa"), or "new" for a new card or bank
    account ("with a new card": the form sends the secure link as it starts), {} for none."""
    if wants_new_method(said):
        return {"payment_method": "new"}
    method = match_method(said, await member.billing.payment_methods(member.number), by_position=False)
    return {"payment_method": method.id} if method is not None else {}


async def method_change(said: str, dispatcher: CollectingDispatcher, tracker: Tracker) -> dict[str, Any]:
    """At a read-back: another saved method named ("no, use the bank", "not the visa, the mastercard"),
    or a new one asked for (the link is sent and the method question waits for it); {} for neither."""
    if wants_new_method(said):
        return await method_answer(said, dispatcher, tracker)
    wanted = without_negated(said)
    if wanted.strip().lower() in ("yes", ""):
        return {}  # "yes" picks the only saved method at the method question, not at a read-back
    method = match_method(wanted, await saved_methods(tracker), by_position=False)
    if method is None or str(method.id) == str(tracker.get_slot("payment_method")):
        return {}
    return {"payment_method": method.id}


class ActionAskPaymentMethod(BillingAction):
    def name(self) -> str:
        return "action_ask_payment_method"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        await ask_for_method(dispatcher, tracker)
        return []


async def ask_for_method(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """A button for each saved method and one to add a new one; a link straight away when none is saved;
    after a link, the wait for the member to add their card or account on it."""
    if tracker.get_slot("payment_link_sent"):
        dispatcher.utter_message(
            response="utter_ask_payment_method_after_link", buttons=[choose("I've added it", "refresh")]
        )
        return
    declined = tracker.get_slot("declined_payment_method")
    methods = await offered_methods(tracker)
    new = choose("Add a new card or bank account", "new")
    if not methods:
        dispatcher.utter_message(response="utter_no_other_methods" if declined else "utter_no_saved_methods")
        await send_form_payment_link(dispatcher, tracker)
        dispatcher.utter_message(
            response="utter_ask_payment_method_many", buttons=[choose("I've added it", "refresh")]
        )
    elif len(methods) == 1:
        dispatcher.utter_message(
            response="utter_ask_payment_method_one",
            method=methods[0].display,
            buttons=[{"title": "Yes", "payload": "/affirm"}, new],
        )
    else:
        dispatcher.utter_message(
            response="utter_ask_payment_method_many", buttons=method_buttons(methods) + [new]
        )


async def ask_again_for_method(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """The method the member picked is no longer saved (removed since): they pick again, then hear the
    read-back."""
    dispatcher.utter_message(response="utter_invalid_method")
    await ask_for_method(dispatcher, tracker)
    return answer_again("payment_method")


async def offer_new_method(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """The answer to "add a payment method"."""
    await send_payment_link(dispatcher, member.billing, member.number, tracker.get_slot("account_number"))
    return []


class ActionAddPaymentMethod(MemberAction):
    def name(self) -> str:
        return "action_add_payment_method"

    async def act_for(
        self, member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await offer_new_method(member, dispatcher, tracker)
