"""What every billing action shares: the billing service being down, and who the member is."""
from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any, Dict, List, Optional

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.billing_client import BillingRefused, BillingUnavailable

from .lookups import NotVerified, current_member
from .identity_token import verified_member
from .slots import clear_form_slots

log = logging.getLogger(__name__)


def billing_down(dispatcher: CollectingDispatcher, tracker: Tracker, error: Exception) -> List[EventType]:
    """Says billing can't be reached, leaves any form, and remembers why for a handoff."""
    log.warning("billing service unavailable: %s", error)
    dispatcher.utter_message(response="utter_billing_unavailable")
    events: List[EventType] = [SlotSet("handoff_reason", "billing_unavailable")]
    if tracker.active_loop_name:
        events += [ActiveLoop(None)] + clear_form_slots()
    return events


def billing_refused(dispatcher: CollectingDispatcher, tracker: Tracker, refused: BillingRefused) -> List[EventType]:
    """A refusal no action expected (the service's rules said no): answered, nothing changed, never a crash."""
    log.warning("billing refused %s: %s", tracker.latest_action_name, refused.reason)
    dispatcher.utter_message(response="utter_billing_refused")
    events: List[EventType] = [SlotSet("handoff_reason", "billing_refused")]
    if tracker.active_loop_name:
        events += [ActiveLoop(None)] + clear_form_slots()
    return events


def not_verified(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
    """An account action without a valid identity (expired, or a forged tracker): nothing is said or done."""
    log.warning("account action refused: no valid identity in conversation %s", tracker.sender_id)
    dispatcher.utter_message(response="utter_need_verification")
    events: List[EventType] = [SlotSet("verified", False), SlotSet("member_number", None)]
    if tracker.active_loop_name:
        events += [ActiveLoop(None)] + clear_form_slots()
    return events


class BillingAction(Action, ABC):
    """An action whose billing calls may fail; subclasses implement act()."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[EventType]:
        try:
            return await self.act(dispatcher, tracker, domain)
        except BillingUnavailable as error:
            return billing_down(dispatcher, tracker, error)
        except BillingRefused as refused:
            return billing_refused(dispatcher, tracker, refused)
        except NotVerified:
            return not_verified(dispatcher, tracker)

    @abstractmethod
    async def act(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: Dict[str, Any]) -> List[EventType]: ...


class MemberAction(BillingAction, ABC):
    """An account action for the verified member; subclasses implement act_for(member, ...)."""

    async def act(self, dispatcher, tracker, domain) -> List[EventType]:
        # current_member raises NotVerified without a valid identity: the last line of defence behind the rules.
        return await self.act_for(await current_member(tracker), dispatcher, tracker, domain)

    @abstractmethod
    async def act_for(self, member, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: Dict[str, Any]) -> List[EventType]: ...


class BillingFormValidation(FormValidationAction, ABC):
    """A form validator whose billing calls may fail."""

    @abstractmethod
    def name(self) -> str: ...

    async def run(self, dispatcher, tracker, domain):
        try:
            return await super().run(dispatcher, tracker, domain)
        except BillingUnavailable as error:
            return billing_down(dispatcher, tracker, error)
        except BillingRefused as refused:
            return billing_refused(dispatcher, tracker, refused)
        except NotVerified:
            return not_verified(dispatcher, tracker)

    async def get_validation_events(self, dispatcher, tracker, domain):
        # A slot cleared to None this turn has nothing to validate: only answers are checked.
        answered = {name: value for name, value in Tracker.slots_to_validate(tracker).items() if value is not None}
        tracker.slots_to_validate = lambda: dict(answered)
        return await super().get_validation_events(dispatcher, tracker, domain)


def member_number(tracker: Tracker) -> Optional[str]:
    """The verified member, from the signed identity token only: nothing about an account is said without it."""
    return verified_member(tracker)


# Actions that can wait for verification and then run: name -> action class.
RESUMABLE: Dict[str, type] = {}


def resumable(cls):
    RESUMABLE[cls().name()] = cls
    return cls


def ask_to_verify(dispatcher: CollectingDispatcher, pending: Optional[str]) -> List[EventType]:
    """Starts verification (the rules run the form next), remembering what to do once it succeeds."""
    dispatcher.utter_message(response="utter_need_verification")
    return [SlotSet("pending_request", pending), SlotSet("next_step", "verification_form")]

