"""The rules every form needs, written out from one table: starting it when a gate action names it in
next_step, finishing it, and the interruptions a member may make inside it (cancel, a person, a card
number, an FAQ, "are you a bot", off-topic, their balance or another request answered at once).

`python -m assistant.form_rules` rewrites data/rules/forms.yml from the table below;
tests/test_forms_consistency.py fails when the committed file is not what the table gives.
Adding a form: its domain file (domain/forms/<form>.yml), one row in FORMS, and the gate in GATES.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from actions.request_intents import REQUEST_FOR_INTENT

RULES_FILE = Path(__file__).resolve().parents[1] / "data" / "rules" / "forms.yml"


@dataclass(frozen=True)
class Form:
    name: str
    done: str  # the action run once every slot is filled
    # True when the done action decides what comes next itself (it sets next_step or answers the
    # question), so the bot does not wait for the member after it.
    done_continues: bool = False
    # True for forms that work on an account: the member may ask for their balance, a statement and the
    # like in the middle (SIDE_REQUESTS).
    side_requests_inside: bool = False


FORMS: tuple[Form, ...] = (
    Form("verification_form", done="action_verify_member", done_continues=True),
    Form("payment_form", done="action_submit_payment", side_requests_inside=True),
    Form("autopay_form", done="action_submit_autopay", side_requests_inside=True),
    Form("autopay_cancel_form", done="action_submit_autopay_cancel", side_requests_inside=True),
    Form("plan_form", done="action_submit_plan", side_requests_inside=True),
    Form("dispute_form", done="action_submit_dispute", side_requests_inside=True),
    Form("paperless_form", done="action_submit_paperless"),
    Form("fa_form", done="action_submit_fa_prescreen"),
    Form("guest_form", done="action_submit_guest"),
    Form("premium_state_form", done="action_where_pay_premium", done_continues=True),
)

# The gate actions set next_step to the form that comes next (null: wait for the member); these are
# the forms each may name. The account gate and verification lead to the same account forms.
_ACCOUNT_FORMS = (
    "payment_form",
    "autopay_form",
    "autopay_cancel_form",
    "plan_form",
    "dispute_form",
    "paperless_form",
    "verification_form",
)
GATES: dict[str, tuple[str, ...]] = {
    "action_require_member": _ACCOUNT_FORMS,
    "action_verify_member": _ACCOUNT_FORMS,
    "action_where_pay_premium": ("premium_state_form",),
}

# (rule name, intent, action): the form stops after these ...
# A goodbye is a stop: a read-back left waiting after "bye" took the next "ok" as its yes.
STOPPING = (
    ("cancel", "cancel", "action_stop_form"),
    ("goodbye", "goodbye", "action_stop_form"),
    ("handoff", "human_handoff", "action_handoff"),
)
# ... and carries on after these, asking its question again.
RESUMING = (
    ("share_sensitive_number", "share_sensitive_number", "action_sensitive_number"),
    ("faq", "faq", "utter_faq"),
    ("bot_challenge", "bot_challenge", "utter_iamabot"),
    ("out_of_scope", "out_of_scope", "utter_out_of_scope"),
)
# In a form on the verified member's accounts, a request answered at once (their balance, a statement,
# whether autopay is on) is answered there and the form goes on; one that starts a form leaves it
# (actions/form_validation.py).
SIDE_REQUESTS = tuple(
    (intent, intent, request)
    for intent, request in REQUEST_FOR_INTENT.items()
    if not request.endswith("_form")
)

Rule = dict[str, Any]


def gate_rules() -> list[Rule]:
    rules: list[Rule] = []
    for gate, forms in GATES.items():
        rules.append(
            {
                "rule": f"after {gate}, wait when nothing is next",
                "steps": [{"action": gate}, {"slot_was_set": [{"next_step": None}]}],
            }
        )
        rules += [
            {
                "rule": f"after {gate}, {form}",
                "steps": [
                    {"action": gate},
                    {"slot_was_set": [{"next_step": form}]},
                    {"action": form},
                    {"active_loop": form},
                ],
            }
            for form in forms
        ]
    return rules


def completion_rule(form: Form) -> Rule:
    rule: Rule = {
        "rule": f"{form.name} completed",
        "condition": [{"active_loop": form.name}],
        "steps": [
            {"action": form.name},
            {"active_loop": None},
            {"slot_was_set": [{"requested_slot": None}]},
            {"action": form.done},
        ],
    }
    if form.done_continues:
        rule["wait_for_user_input"] = False
    return rule


def interruption_rules(form: Form) -> list[Rule]:
    inside = [{"active_loop": form.name}]
    rules = [
        {
            "rule": f"{name} inside {form.name}",
            "condition": inside,
            "steps": [{"intent": intent}, {"action": action}, {"active_loop": None}],
        }
        for name, intent, action in STOPPING
    ]
    resuming = RESUMING + (SIDE_REQUESTS if form.side_requests_inside else ())
    rules += [
        {
            "rule": f"{name} inside {form.name}",
            "condition": inside,
            "steps": [
                {"intent": intent},
                {"action": action},
                {"action": form.name},
                {"active_loop": form.name},
            ],
        }
        for name, intent, action in resuming
    ]
    return rules


def all_rules() -> list[Rule]:
    return (
        gate_rules()
        + [completion_rule(form) for form in FORMS]
        + [rule for form in FORMS for rule in interruption_rules(form)]
    )


def rules_file_text() -> str:
    header = (
        'version: "3.1"\n\n'
        "# Generated by `python -m assistant.form_rules` from the table in assistant/form_rules.py:\n"
        "# edit the table, not this file.\n\n"
        "rules:\n"
    )
    return header + "\n".join(yaml.safe_dump([rule], sort_keys=False, width=110) for rule in all_rules())


def main() -> None:
    RULES_FILE.write_text(rules_file_text(), encoding="utf-8")
    print(f"wrote {len(all_rules())} rules to {RULES_FILE}")


if __name__ == "__main__":
    main()
