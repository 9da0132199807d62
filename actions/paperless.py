"""Paperless billing on or off, confirmed first: the request says which way (its intent) and which
accounts (the one it names, or all of them); what would change is read back, and only a "yes" changes
it. Accounts already as asked are said to be so, with nothing to confirm."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.parsing.setting_questions import asks_how_it_is_set, paperless_wanted_in_words
from billing_contract import responses

from .base import BillingAction, MemberAction, request_words
from .choices import match_account
from .form_validation import BillingFormValidation
from .formatting import account_label
from .lookups import VerifiedMember, current_member
from .settings_status import say_paperless_status
from .slots import clear_form_slots


def asked_for_paperless(tracker: Tracker) -> bool:
    """On or off, from the member's request (also when verification came between the request and now): its
    words when they say which way, else the intent of the latest paperless request."""
    in_words = paperless_wanted_in_words(request_words(tracker))
    if in_words is not None:
        return in_words  # before any earlier request: "hmm actually go paperless" after "stop paperless"
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            intent = (event.get("parse_data") or {}).get("intent", {}).get("name")
            if intent in ("paperless_on", "paperless_off"):
                in_words = paperless_wanted_in_words(str(event.get("text") or ""))
                return in_words if in_words is not None else intent == "paperless_on"
    return (tracker.latest_message.get("intent") or {}).get("name") != "paperless_off"


async def paperless_status_or_change(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """A question about paperless billing is answered; words read as one that ask for a change ("hmm
    actually go paperless") start the change instead of being told to say what they just said."""
    said = request_words(tracker)
    if paperless_wanted_in_words(said) is not None and not asks_how_it_is_set(said):
        return await start_paperless_change(member, dispatcher, tracker)
    return await say_paperless_status(member, dispatcher, tracker)


def labels(accounts: list[responses.AccountSummary]) -> str:
    return " and ".join(account_label(account) for account in accounts)


async def start_paperless_change(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """What the paperless form will change: the accounts not already as asked (next_step starts the form
    that confirms it), or, when there are none, that they already are."""
    wanted = asked_for_paperless(tracker)
    said = request_words(tracker)
    named = match_account(said, member.accounts, by_position=False)
    accounts = [named] if named is not None else list(member.accounts)
    to_change = [account for account in accounts if account.paperless != wanted]
    if not to_change:
        dispatcher.utter_message(
            response="utter_paperless_already_on" if wanted else "utter_paperless_already_off",
            accounts=labels(accounts),
        )
        return [SlotSet("next_step", None)]
    return [
        SlotSet("paperless_wanted", wanted),
        SlotSet("paperless_accounts", [account.account_number for account in to_change]),
        SlotSet("next_step", "paperless_form"),
    ]


def _accounts_to_change(member: VerifiedMember, tracker: Tracker) -> list[responses.AccountSummary]:
    numbers = tracker.get_slot("paperless_accounts") or []
    return [account for account in member.accounts if account.account_number in numbers]


class ValidatePaperlessForm(BillingFormValidation):
    read_back_slot = "paperless_confirmed"
    own_intents = frozenset({"paperless_on", "paperless_off"})

    def name(self) -> str:
        return "validate_paperless_form"


class ActionAskPaperlessConfirmed(MemberAction):
    def name(self) -> str:
        return "action_ask_paperless_confirmed"

    async def act_for(
        self, member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        wanted = tracker.get_slot("paperless_wanted")
        dispatcher.utter_message(
            response="utter_ask_paperless_on" if wanted else "utter_ask_paperless_off",
            accounts=labels(_accounts_to_change(member, tracker)),
        )
        return []


class ActionSubmitPaperless(BillingAction):
    """Changes paperless billing only on a "yes" to the read-back, and only as read back."""

    def name(self) -> str:
        return "action_submit_paperless"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        wanted = tracker.get_slot("paperless_wanted")
        if tracker.get_slot("paperless_confirmed") is not True or wanted is None:
            dispatcher.utter_message(response="utter_paperless_not_changed")
            return clear_form_slots()
        member = await current_member(tracker)
        for account in _accounts_to_change(member, tracker):
            updated = await member.billing.set_paperless(account.account_number, bool(wanted))
            response = "utter_paperless_on" if updated.paperless else "utter_paperless_off"
            dispatcher.utter_message(response=response, account_label=account_label(updated))
        return clear_form_slots()
