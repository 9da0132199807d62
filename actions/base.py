"""What every billing action shares: the billing service being down or saying no, and who the member is."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.billing_client import BillingRefused, BillingUnavailable

from .identity_token import verified_member
from .lookups import NotVerified, VerifiedMember, current_member
from .slots import clear_form_slots

log = logging.getLogger(__name__)


def billing_down(dispatcher: CollectingDispatcher, tracker: Tracker, error: Exception) -> list[EventType]:
    """Says billing can't be reached, leaves any form, and remembers why for a handoff."""
    log.warning("billing service unavailable: %s", error)
    dispatcher.utter_message(response="utter_billing_unavailable")
    events: list[EventType] = [SlotSet("handoff_reason", "billing_unavailable")]
    if tracker.active_loop_name:
        events += [ActiveLoop(None)] + clear_form_slots()
    return events


def billing_refused(
    dispatcher: CollectingDispatcher, tracker: Tracker, refused: BillingRefused
) -> list[EventType]:
    """A refusal no action expected (the service's rules said no): answered, nothing changed, no crash."""
    log.warning("billing refused %s: %s", tracker.latest_action_name, refused.reason)
    dispatcher.utter_message(response="utter_billing_refused")
    events: list[EventType] = [SlotSet("handoff_reason", "billing_refused")]
    if tracker.active_loop_name:
        events += [ActiveLoop(None)] + clear_form_slots()
    return events


def not_verified(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
    """An account action without a valid identity (expired, or a forged tracker): nothing is said or done."""
    log.warning("account action refused: no valid identity in conversation %s", tracker.sender_id)
    dispatcher.utter_message(response="utter_need_verification")
    events: list[EventType] = [SlotSet("verified", False), SlotSet("member_number", None)]
    if tracker.active_loop_name:
        events += [ActiveLoop(None)] + clear_form_slots()
    return events


async def answering_failures(
    work: Awaitable[list[EventType]], dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """The events of `work`; when billing fails or the identity does not hold, the answer to that instead."""
    try:
        return await work
    except BillingUnavailable as error:
        return billing_down(dispatcher, tracker, error)
    except BillingRefused as refused:
        return billing_refused(dispatcher, tracker, refused)
    except NotVerified:
        return not_verified(dispatcher, tracker)


class BillingAction(Action, ABC):
    """An action whose billing calls may fail; subclasses implement act()."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        return await answering_failures(self.act(dispatcher, tracker, domain), dispatcher, tracker)

    @abstractmethod
    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]: ...


class MemberAction(BillingAction, ABC):
    """An account action for the verified member; subclasses implement act_for(member, ...)."""

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        # current_member raises NotVerified without a valid identity: the last defence behind the rules.
        return await self.act_for(await current_member(tracker), dispatcher, tracker, domain)

    @abstractmethod
    async def act_for(
        self,
        member: VerifiedMember,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]: ...


def member_number(tracker: Tracker) -> str | None:
    """The verified member, from the signed identity token only: no account is spoken of without it."""
    return verified_member(tracker)


def ask_to_verify(
    dispatcher: CollectingDispatcher, pending: str | None, explain: bool = True
) -> list[EventType]:
    """Starts verification (the rules run the form next), remembering what to do once it succeeds."""
    if explain:
        dispatcher.utter_message(response="utter_need_verification")
    return [SlotSet("pending_request", pending), SlotSet("next_step", "verification_form")]


def request_words(tracker: Tracker) -> str:
    """The member's request: the words that waited for verification, else the latest message."""
    return tracker.get_slot("request_text") or tracker.latest_message.get("text") or ""
