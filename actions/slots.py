"""Names of slots that forms fill, so leaving a form can clear them in one place."""
from __future__ import annotations

from typing import List

from rasa_sdk.events import SlotSet

FORM_SLOTS = (
    "verify_identifier", "verify_birth_date", "verify_zip",
    "account_number", "payment_amount", "payment_method", "payment_confirmed", "payment_idempotency_key",
    "autopay_day", "autopay_amount", "autopay_fixed_cents", "autopay_confirmed",
    "plan_months", "plan_confirmed", "dispute_line", "dispute_reason",
    "household_size", "annual_income", "guest_account_number", "guest_last_name",
    "pending_request", "next_step", "requested_slot",
)


def clear_form_slots() -> List[SlotSet]:
    return [SlotSet(name, None) for name in FORM_SLOTS]
