"""Due-date extension requests and disputed charges, recorded as cases for billing staff."""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from assistant.billing_client import BillingRefused
from billing_contract import responses

from .base import BillingAction, MemberAction
from .choices import choose
from .form_setup import AccountFormValidation
from .formatting import account_label, format_cents, say_date
from .lookups import VerifiedMember, member_billing
from .slots import clear_form_slots


async def request_extensions(
    member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[EventType]:
    """A due-date extension request for every account that owes, once each."""
    owing = [a for a in member.accounts if a.balance_cents > 0]
    if not owing:
        dispatcher.utter_message(response="utter_extension_nothing_owed", account_label="accounts")
    for account in owing:
        try:
            case = await member.billing.request_extension(
                account.account_number, conversation_id=tracker.sender_id
            )
        except BillingRefused as refused:
            response = (
                "utter_extension_pending"
                if refused.reason == "extension_pending"
                else "utter_extension_nothing_owed"
            )
            dispatcher.utter_message(response=response, account_label=account_label(account))
            continue
        dispatcher.utter_message(
            response="utter_extension_requested",
            account_label=account_label(account),
            case_id=case.id,
            due_date=say_date(account.due_date),
        )
    return []


class ActionRequestExtension(MemberAction):
    def name(self) -> str:
        return "action_request_extension"

    async def act_for(
        self, member: VerifiedMember, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        return await request_extensions(member, dispatcher, tracker)


async def statement_lines(tracker: Tracker) -> list[responses.StatementLineOut]:
    statements = await member_billing(tracker).statements(tracker.get_slot("account_number"))
    return [line for statement in statements[:2] for line in statement.lines]


def match_line(value: Any, lines: list[responses.StatementLineOut]) -> responses.StatementLineOut | None:
    text = str(value or "").lower()
    if text.startswith("line-") and text[5:].isdigit():
        return next((line for line in lines if line.id == int(text[5:])), None)
    words = set(re.findall(r"[a-z]{3,}", text)) - {"the", "charge", "for", "that", "one", "this"}
    scored = [
        (len(words & set(re.findall(r"[a-z]{3,}", f"{line.procedure} {line.provider}".lower()))), line)
        for line in lines
    ]
    best = max((score for score, _ in scored), default=0)
    winners = [line for score, line in scored if score == best and score > 0]
    return winners[0] if len(winners) == 1 else None


class ValidateDisputeForm(AccountFormValidation):
    def name(self) -> str:
        return "validate_dispute_form"

    async def validate_dispute_line(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        line = match_line(value, await statement_lines(tracker))
        if line is None:
            dispatcher.utter_message(response="utter_invalid_dispute_line")
        return {"dispute_line": line.id if line else None}


class ActionAskDisputeLine(BillingAction):
    def name(self) -> str:
        return "action_ask_dispute_line"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        lines = await statement_lines(tracker)
        buttons = [
            choose(
                f"{say_date(line.service_date)}: {line.procedure} ({format_cents(line.member_owes_cents)})",
                f"line-{line.id}",
            )
            for line in lines
        ]
        dispatcher.utter_message(response="utter_ask_dispute_line", buttons=buttons)
        return []


class ActionSubmitDispute(BillingAction):
    def name(self) -> str:
        return "action_submit_dispute"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        account_number = tracker.get_slot("account_number")
        line_id = int(tracker.get_slot("dispute_line"))
        case = await member_billing(tracker).dispute(
            account_number,
            statement_line_id=line_id,
            reason=tracker.get_slot("dispute_reason") or "",
            conversation_id=tracker.sender_id,
        )
        line = next(each for each in await statement_lines(tracker) if each.id == line_id)
        dispatcher.utter_message(
            response="utter_dispute_recorded",
            procedure=line.procedure,
            service_date=say_date(line.service_date),
            case_id=case.id,
        )
        return clear_form_slots()
