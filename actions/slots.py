"""Names of slots that forms fill, so leaving a form can clear them in one place.

They are read from the domain's forms when the action server starts, not listed here: a form added to
the domain has its slots cleared without touching this file.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk.events import SlotSet

from assistant.domain_files import load_domain

# Asked by a form but kept when the form ends: the member's state is remembered for the conversation
# and carried into the next session (actions/session.py).
KEPT = ("member_state",)
# Set along the way of a form conversation besides the forms' own slots, and cleared with them.
BOOKKEEPING = (
    "payment_idempotency_key",
    "payment_link_sent",
    "declined_payment_method",
    "pending_request",
    "request_text",
    "next_step",
    "requested_slot",
    "person_offered_for",
    "unusable_answers",
)


def form_slots(domain: dict[str, Any]) -> tuple[str, ...]:
    """Every slot a form of `domain` asks for (each once, in the forms' order), and the bookkeeping."""
    asked = [slot for form in domain["forms"].values() for slot in form["required_slots"]]
    return tuple(dict.fromkeys(slot for slot in asked + list(BOOKKEEPING) if slot not in KEPT))


FORM_SLOTS = form_slots(load_domain())


def clear_form_slots() -> list[SlotSet]:
    return [SlotSet(name, None) for name in FORM_SLOTS]
