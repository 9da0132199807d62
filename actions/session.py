"""Session start: a website session may carry a signed token naming the signed-in member."""

from __future__ import annotations

import logging
import os
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from assistant.billing_client import BillingRefused, BillingUnavailable
from assistant.member_tokens import member_from_token

from .handoff_queue import still_waiting
from .identity import signed_in
from .lookups import billing

log = logging.getLogger(__name__)
CARRIED_OVER = ("member_state",)


class ActionSessionStart(Action):
    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        events: list[EventType] = [SessionStarted()]
        events += [SlotSet(name, tracker.get_slot(name)) for name in CARRIED_OVER if tracker.get_slot(name)]
        events += still_waiting(tracker)
        events += await self._signed_in_member(tracker)
        return events + [ActionExecuted("action_listen")]

    async def _signed_in_member(self, tracker: Tracker) -> list[EventType]:
        metadata = tracker.get_slot("session_started_metadata") or {}
        token = metadata.get("member_token") if isinstance(metadata, dict) else None
        # The token names the conversation it was issued for: a leaked token verifies no other conversation.
        number = member_from_token(
            token or "", os.environ.get("MEMBER_TOKEN_SECRET", ""), conversation_id=tracker.sender_id
        )
        if not number:
            if token:
                log.warning("ignored an invalid or expired member token for %s", tracker.sender_id)
            return []
        try:
            member = await billing().for_member(number).member(number)
        except (BillingUnavailable, BillingRefused) as error:
            log.warning("could not load signed-in member: %s", error)
            return []
        return signed_in(member, tracker.sender_id)
