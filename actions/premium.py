"""Where to pay a premium: the address depends on the state, which the bot asks for or knows."""

from __future__ import annotations

import difflib
import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from .base import BillingAction, member_number
from .form_validation import BillingFormValidation
from .lookups import current_member

PAYONLINE_STATES = ("California", "Colorado", "Georgia", "Hawaii", "Oregon", "Southwest Washington")
MID_ATLANTIC_STATES = ("Maryland", "Virginia")
ALIASES = {
    "ca": "California",
    "cali": "California",
    "northern california": "California",
    "southern california": "California",
    "co": "Colorado",
    "ga": "Georgia",
    "hi": "Hawaii",
    "or": "Oregon",
    "washington": "Southwest Washington",
    "wa": "Southwest Washington",
    "md": "Maryland",
    "va": "Virginia",
    "mid-atlantic states": "Maryland",
    "mid-atlantic": "Maryland",
}
OTHER_STATES = ("washington dc", "dc", "district of columbia", "other", "another state")


def normalise_state(text: str) -> str | None:
    lowered = re.sub(r"[^a-z -]", "", str(text or "").lower()).strip()
    if not lowered:
        return None
    named_other = any(other == lowered or f" {other}" in f" {lowered}" for other in OTHER_STATES[:3])
    if named_other or lowered in OTHER_STATES:
        return "other"
    for state in PAYONLINE_STATES + MID_ATLANTIC_STATES:
        if state.lower() in lowered:
            return state
    for alias, state in sorted(ALIASES.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{re.escape(alias)}\b", lowered):
            return state
    # A misspelt state on its own ("marylnd", "colorodo"): the one name it is close to.
    close = difflib.get_close_matches(
        lowered, [s.lower() for s in PAYONLINE_STATES + MID_ATLANTIC_STATES], 1, 0.8
    )
    return next((s for s in PAYONLINE_STATES + MID_ATLANTIC_STATES if close and s.lower() == close[0]), None)


# In a whole question ("where do I pay my premium in colorado?") a state is taken only when it is named
# plainly: two-letter codes only as written in capitals ("im in GA") or right after "in"/"from" ("in ga"),
# since "hi", "or", "co" and "ca" are also words; "washington" alone could be Southwest Washington or
# Washington DC, so the member is asked.
NAMES_IN_QUESTION = {
    **{state.lower(): state for state in PAYONLINE_STATES + MID_ATLANTIC_STATES},
    "cali": "California",
    "mid-atlantic": "Maryland",
    "washington state": "Southwest Washington",
}
CODES = {alias: state for alias, state in ALIASES.items() if len(alias) == 2}
DC = re.compile(r"\bwashington,?\s*d\.?\s?c\b|\bdistrict of columbia\b|\bd\.c\.|\bdc\b", re.IGNORECASE)


def state_in_question(text: str) -> str | None:
    """The one state a whole message names, "other" for one without an online premium site, or None."""
    if DC.search(text):
        return "other"
    lowered = text.lower()
    found = {
        state for name, state in NAMES_IN_QUESTION.items() if re.search(rf"\b{re.escape(name)}\b", lowered)
    }
    if "Southwest Washington" in found:
        found.discard("Washington")
    written = re.findall(r"\b([A-Z]{2})\b", text) + re.findall(r"\b(?:in|from)\s+([a-z]{2})\b", lowered)
    found |= {CODES[code.lower()] for code in written if code.lower() in CODES}
    return found.pop() if len(found) == 1 else None


class ValidatePremiumStateForm(BillingFormValidation):
    def name(self) -> str:
        return "validate_premium_state_form"

    def validate_member_state(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"member_state": normalise_state(value)}


# "the site asks for coverage type, what are the options", "which coverage do i pick"
COVERAGE_QUESTION = re.compile(
    r"\bcoverage\s+(?:type|types|options?|kinds?)\b|\b(?:which|what)\s+coverage\b", re.I
)


class ActionWherePayPremium(BillingAction):
    def name(self) -> str:
        return "action_where_pay_premium"

    async def act(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        named = state_in_question(tracker.latest_message.get("text") or "")
        state, coverage = named or tracker.get_slot("member_state"), None
        shown = state
        if member_number(tracker):
            member = await current_member(tracker)
            premium = next((a for a in member.accounts if a.kind == "premium"), None)
            if premium is not None:
                state, coverage = normalise_state(premium.region), premium.coverage_type
                shown = f"your region ({premium.region})"
        if not state and tracker.active_loop_name not in (None, "premium_state_form"):
            # Asked in the middle of another form: the sites by state, not a second question beside its own.
            dispatcher.utter_message(response="utter_premium_sites_by_state")
            return []
        if not state:
            if COVERAGE_QUESTION.search(tracker.latest_message.get("text") or ""):
                # The same four on either site: said now, the site itself once the state is known.
                dispatcher.utter_message(response="utter_premium_coverage_types")
            return [SlotSet("next_step", "premium_state_form")]
        hint = f" Yours is {coverage}." if coverage else ""
        if state in PAYONLINE_STATES:
            dispatcher.utter_message(response="utter_premium_payonline", state=shown, coverage_hint=hint)
        elif state in MID_ATLANTIC_STATES:
            dispatcher.utter_message(response="utter_premium_mas", state=shown, coverage_hint=hint)
        else:
            dispatcher.utter_message(response="utter_premium_other_state", state="your state")
        return [SlotSet("member_state", state), SlotSet("next_step", None)]
