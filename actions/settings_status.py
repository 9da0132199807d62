"""What is set on a verified member's accounts now: autopay and paperless billing, said per account and
never changed. Plain functions of the member, so the gate and verification (actions/member_requests.py)
give them as the actions do."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from .base import MemberAction
from .form_registry import say_autopay
from .formatting import account_label
from .lookups import VerifiedMember


async def say_autopay_status(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    for account in member.accounts:
        # The summary says whether autopay is on; only then is its day, rule and method worth a call.
        current = await member.billing.autopay(account.account_number) if account.autopay_enabled else None
        if current is not None and current.enabled:
            say_autopay(dispatcher, account, current)
        else:
            dispatcher.utter_message(
                response="utter_autopay_status_off", account_label=account_label(account)
            )
    return []


async def say_paperless_status(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    for account in member.accounts:
        response = "utter_paperless_status_on" if account.paperless else "utter_paperless_status_off"
        dispatcher.utter_message(response=response, account_label=account_label(account))
    return []


class ActionAutopayStatus(MemberAction):
    def name(self) -> str:
        return "action_autopay_status"

    async def act_for(
        self,
        member: VerifiedMember,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        return await say_autopay_status(member, dispatcher, tracker)


class ActionPaperlessStatus(MemberAction):
    def name(self) -> str:
        return "action_paperless_status"

    async def act_for(
        self,
        member: VerifiedMember,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: dict[str, Any],
    ) -> list[EventType]:
        return await say_paperless_status(member, dispatcher, tracker)
