"""What every billing action shares: the billing service being down or saying no, and who the member is."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable
from typing import Any, ClassVar

from rasa_sdk import Action, FormValidationAction, Tracker, utils
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

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


# What a member says at a read-back that may change its answers ("yes but do $45.50", "no, use the
# bank", "actually make it $20"): a yes or no, an answer, or the form's own request said again. A question
# (an FAQ, their balance) or another request is not read for changes: it is answered by the rules.
ANSWERING_INTENTS = frozenset({"affirm", "deny", "inform", "choose", "nlu_fallback"})


class BillingFormValidation(FormValidationAction, ABC):
    """A form validator whose billing calls may fail, and which checks only what the member answered.

    A form with a read-back names its yes/no slot in `read_back_slot`: what the member says there is
    first read for changes (`changes_at_read_back`); a change is taken, the yes/no is cleared, and the
    form reads back again, so no "yes" ever confirms a read-back the member has not heard."""

    read_back_slot: ClassVar[str | None] = None
    # The intents of the requests that start this form ("pay $20" said again at its read-back).
    own_intents: ClassVar[frozenset[str]] = frozenset()

    @abstractmethod
    def name(self) -> str: ...

    async def changes_at_read_back(
        self, said: str, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """The answers `said` changes (slot: new value; None asks that question again), {} for none."""
        return {}

    async def _read_back_changes(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> list[EventType]:
        if self.read_back_slot is None or tracker.get_slot("requested_slot") != self.read_back_slot:
            return []
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        said = tracker.latest_message.get("text") or ""
        if intent not in ANSWERING_INTENTS | self.own_intents or said.startswith("/"):
            return []
        changes = await self.changes_at_read_back(said, dispatcher, tracker)
        if not changes:
            return []
        return [SlotSet(name, value) for name, value in {**changes, self.read_back_slot: None}.items()]

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await answering_failures(super().run(dispatcher, tracker, domain), dispatcher, tracker)

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        """rasa_sdk's validation step, for answers only. The slots set just before this run include those the
        previous action cleared to None (verification clearing its answers to ask again, a gate picking
        the account); those are no answers: they are neither validated (no "that doesn't look right" for a
        question not yet asked) nor set again. At the read-back, a change comes before any yes or no."""
        changed = await self._read_back_changes(dispatcher, tracker)
        if changed:
            return changed
        required = await self.required_slots(self.domain_slots(domain), dispatcher, tracker, domain)
        answers = {
            name: value
            for name, value in tracker.slots_to_validate().items()
            if name in required and value is not None
        }
        validated = dict(answers)
        for name, value in answers.items():
            validate = getattr(self, f"validate_{name}", None)
            if validate is None:
                continue
            result = await utils.call_potential_coroutine(validate(value, dispatcher, tracker, domain))
            validated.update(result)
            tracker.slots.update(result)  # as rasa_sdk does: later validators see earlier results
        return [SlotSet(name, value) for name, value in validated.items()]


def member_number(tracker: Tracker) -> str | None:
    """The verified member, from the signed identity token only: no account is spoken of without it."""
    return verified_member(tracker)


def ask_to_verify(dispatcher: CollectingDispatcher, pending: str | None) -> list[EventType]:
    """Starts verification (the rules run the form next), remembering what to do once it succeeds."""
    dispatcher.utter_message(response="utter_need_verification")
    return [SlotSet("pending_request", pending), SlotSet("next_step", "verification_form")]
