"""Forms are declared once, in the domain (domain/forms/<form>.yml), and everything else that names a
form agrees with it: the rules that start, finish and interrupt it, the values of next_step, the slots
cleared when a form ends (actions.slots.FORM_SLOTS), and what the gate does for each account request
(REQUEST_FOR_INTENT). A disagreement is a conversation that stalls or a slot that leaks into the next
task; here it is a failing test that names the place to fix.

`problems()` lists every disagreement; the tests at the end break a copy of the project in each way
and check that it is caught.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.core.constants import DEFAULT_ACTION_NAMES, DEFAULT_INTENTS

from actions.request_intents import REQUEST_FOR_INTENT
from actions.slots import FORM_SLOTS, KEPT
from assistant.domain_files import DOMAIN_DIR, load_domain
from assistant.form_rules import RULES_FILE, rules_file_text

ROOT = Path(__file__).resolve().parents[1]
RULES_DIR = ROOT / "data" / "rules"
GATE = "action_require_member"
GATE_ACTIONS = ("action_require_member", "action_verify_member")  # lead to the forms the gate prepares
ONLY_VERIFIES = {"verify_identity"}  # goes through the gate with nothing to do once verified
LEAVING_INTENTS = ("cancel", "human_handoff")  # every form can be left with these


@dataclass
class Project:
    domain: dict[str, Any]
    rules: list[dict[str, Any]]
    form_slots: tuple[str, ...]
    request_for_intent: dict[str, str]


def load_project() -> Project:
    rules = [
        rule
        for path in sorted(RULES_DIR.glob("*.yml"))
        for rule in yaml.safe_load(path.read_text(encoding="utf-8")).get("rules", [])
    ]
    return Project(load_domain(), rules, FORM_SLOTS, dict(REQUEST_FOR_INTENT))


# --- reading rules --------------------------------------------------------------------------------


def events(steps: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The steps of a rule with `or:` alternatives and slot_was_set lists flattened."""
    for step in steps:
        if "or" in step:
            yield from events(step["or"])
        elif "slot_was_set" in step:
            for slot in step["slot_was_set"]:
                yield {"slot": slot} if isinstance(slot, dict) else {"slot": {slot: None}}
        else:
            yield step


def pairs(rule: dict[str, Any]) -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    steps = list(events(rule["steps"]))
    return itertools.pairwise(steps)


def follows(rule: dict[str, Any], first: dict[str, Any], second: dict[str, Any]) -> bool:
    return any(a == first and b == second for a, b in pairs(rule))


def inside(rule: dict[str, Any], form: str) -> bool:
    return {"active_loop": form} in rule.get("condition", [])


def has_intent(rule: dict[str, Any], intent: str) -> bool:
    return {"intent": intent} in events(rule["steps"])


# --- the checks -----------------------------------------------------------------------------------
# Each message names what disagrees and where it is fixed.
FORMS_TABLE = "assistant/form_rules.py FORMS"
GATES_TABLE = "assistant/form_rules.py GATES"


def problems(project: Project) -> list[str]:
    return (
        form_problems(project)
        + slot_mapping_problems(project)
        + next_step_problems(project)
        + form_slot_problems(project)
        + request_problems(project)
        + rule_name_problems(project)
        + ask_action_problems(project)
    )


def form_problems(project: Project) -> list[str]:
    found = []
    rules = project.rules
    for form in project.domain.get("forms", {}):
        if not any(
            follows(rule, {"action": form}, {"active_loop": form}) and not inside(rule, form)
            for rule in rules
        ):
            found.append(f"{form}: no rule starts it (data/rules/)")
        if not any(
            inside(rule, form) and follows(rule, {"action": form}, {"active_loop": None}) for rule in rules
        ):
            found.append(f"{form}: no rule says what happens once it is complete ({FORMS_TABLE})")
        for intent in LEAVING_INTENTS:
            if not any(inside(rule, form) and has_intent(rule, intent) for rule in rules):
                found.append(f"{form}: no rule for {intent} inside it ({FORMS_TABLE})")
    return found


def ask_action_problems(project: Project) -> list[str]:
    """Rasa 3.6 asks a form's question with action_ask_<form>_<slot> or action_ask_<slot> (one underscore
    between form and slot, rasa/core/actions/forms.py): an ask action by any other name is never run."""
    asked = {
        name
        for form, spec in project.domain.get("forms", {}).items()
        for slot in spec.get("required_slots", [])
        for name in (f"action_ask_{form}_{slot}", f"action_ask_{slot}")
    }
    return [
        f"{action}: Rasa never runs it (it asks with action_ask_<form>_<slot> or action_ask_<slot>)"
        for action in project.domain.get("actions", [])
        if str(action).startswith("action_ask_") and action not in asked
    ]


def slot_mapping_problems(project: Project) -> list[str]:
    found = []
    slots, forms = project.domain.get("slots", {}), project.domain.get("forms", {})
    for form, spec in forms.items():
        for slot in spec.get("required_slots", []):
            if slot not in slots:
                found.append(f"{form}: required slot {slot} is not a domain slot")
            elif not fills_in(slots[slot], form):
                found.append(f"{form}: no mapping of slot {slot} fills it in this form (add a condition)")
    for slot, spec in slots.items():
        for mapping in spec.get("mappings", []):
            for condition in mapping.get("conditions", []):
                if condition.get("active_loop") not in forms:
                    found.append(
                        f"slot {slot}: a mapping condition names {condition.get('active_loop')}, not a form"
                    )
    return found


def fills_in(slot: dict[str, Any], form: str) -> bool:
    """A slot set only by actions (custom mappings) is filled by the form's validation action."""
    mappings = [m for m in slot.get("mappings", []) if m.get("type") != "custom"]
    return not mappings or any(
        condition.get("active_loop") == form
        for mapping in mappings
        for condition in mapping.get("conditions", [{"active_loop": form}])
    )


def next_step_problems(project: Project) -> list[str]:
    found = []
    rules, forms = project.rules, set(project.domain.get("forms", {}))
    values = project.domain["slots"]["next_step"].get("values", [])
    for value in values:
        if value not in forms:
            found.append(f"next_step value {value} is not a form")
        elif not any(follows(rule, {"slot": {"next_step": value}}, {"action": value}) for rule in rules):
            found.append(f"next_step value {value}: no rule starts the form after it ({GATES_TABLE})")
    for gate in {
        step["action"]
        for rule in rules
        for step, after in pairs(rule)
        if "action" in step and "next_step" in after.get("slot", {})
    }:
        if not any(follows(rule, {"action": gate}, {"slot": {"next_step": None}}) for rule in rules):
            found.append(f"{gate} sets next_step but no rule waits for the member when it is null")
    for rule in rules:
        for step in events(rule["steps"]):
            named = step.get("slot", {}).get("next_step")
            if named is not None and named not in values:
                found.append(f"rule '{rule['rule']}': next_step {named} is not one of the slot's values")
    gated_forms = {request for request in project.request_for_intent.values() if request in forms}
    for form in sorted(gated_forms | {"verification_form"}):
        for gate in GATE_ACTIONS:
            if not any(follows(rule, {"action": gate}, {"slot": {"next_step": form}}) for rule in rules):
                found.append(f"{form}: no rule starts it after {gate} ({GATES_TABLE})")
    return found


def form_slot_problems(project: Project) -> list[str]:
    found = []
    for form, spec in project.domain.get("forms", {}).items():
        for slot in spec.get("required_slots", []):
            if slot not in project.form_slots and slot not in KEPT:
                found.append(f"{form}: slot {slot} is not cleared when a form ends (actions/slots.py)")
    slots = set(project.domain.get("slots", {})) | {"requested_slot"}
    found += [
        f"FORM_SLOTS clears {slot}, not a domain slot" for slot in project.form_slots if slot not in slots
    ]
    return found


def request_problems(project: Project) -> list[str]:
    found = []
    intents = set(project.domain.get("intents", []))
    doable = set(project.domain.get("actions", [])) | set(project.domain.get("forms", {}))
    gated = {
        step["intent"]
        for rule in project.rules
        if starts_with_intents_then_gate(rule)
        for step in events(rule["steps"])
        if "intent" in step
    }
    for intent, request in project.request_for_intent.items():
        if intent not in intents:
            found.append(f"REQUEST_FOR_INTENT: {intent} is not a domain intent")
        if request not in doable:
            found.append(f"REQUEST_FOR_INTENT: {intent} asks for {request}, not a domain action or form")
        if intent not in gated:
            found.append(f"REQUEST_FOR_INTENT: {intent} has no rule leading to {GATE} (data/rules/)")
    for intent in sorted(gated - set(project.request_for_intent) - ONLY_VERIFIES):
        found.append(f"{intent} goes through {GATE}, which has nothing to do for it (REQUEST_FOR_INTENT)")
    return found


def starts_with_intents_then_gate(rule: dict[str, Any]) -> bool:
    first, *rest = rule["steps"]
    return ("intent" in first or "or" in first) and rest[:1] == [{"action": GATE}]


def rule_name_problems(project: Project) -> list[str]:
    domain = project.domain
    responses = set(domain.get("responses", {}))
    retrieval = {name.split("/")[0] for name in responses if "/" in name}  # utter_faq answers faq/<kind>
    known = {
        "action": (
            set(domain.get("actions", []))
            | set(domain.get("forms", {}))
            | responses
            | retrieval
            | set(DEFAULT_ACTION_NAMES)
        ),
        "intent": set(domain.get("intents", [])) | set(DEFAULT_INTENTS),
        "active_loop": set(domain.get("forms", {})) | {None},
    }
    slots = set(domain.get("slots", {})) | {"requested_slot"}
    found = []
    for rule in project.rules:
        for step in list(events(rule["steps"])) + list(events(rule.get("condition", []))):
            for kind, names in known.items():
                if kind in step and step[kind] not in names:
                    found.append(f"rule '{rule['rule']}' names an unknown {kind} {step[kind]}")
            for slot in set(step.get("slot", {})) - slots:
                found.append(f"rule '{rule['rule']}' names an unknown slot {slot}")
    return found


# --- the project agrees with itself ---------------------------------------------------------------


def test_forms_rules_next_step_form_slots_and_requests_agree():
    assert problems(load_project()) == []


def test_each_form_is_declared_in_its_own_domain_file():
    for form in load_domain()["forms"]:
        path = DOMAIN_DIR / "forms" / f"{form}.yml"
        assert path.exists() and form in yaml.safe_load(path.read_text()).get("forms", {}), path


def test_the_generated_form_rules_are_current():
    assert RULES_FILE.read_text(encoding="utf-8") == rules_file_text(), (
        "data/rules/forms.yml differs from its table: run `python -m assistant.form_rules`"
    )


def test_every_action_the_domain_names_is_served_by_the_action_server():
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    assert set(load_domain()["actions"]) - set(executor.actions) == set()


def test_a_name_declared_in_two_domain_files_is_refused(tmp_path):
    (tmp_path / "a.yml").write_text("intents: [greet]\nresponses:\n  utter_hi: [{text: hi}]\n")
    (tmp_path / "b.yml").write_text('version: "3.1"\nresponses:\n  utter_hi: [{text: hello}]\n')
    with pytest.raises(ValueError, match="utter_hi"):
        load_domain(tmp_path)


# --- each kind of disagreement is caught ----------------------------------------------------------


def _add_form(p: Project) -> None:
    p.domain["forms"]["refund_form"] = {"required_slots": ["account_number"]}


def _drop_rules(p: Project, predicate: Callable[[dict[str, Any]], bool]) -> None:
    p.rules[:] = [rule for rule in p.rules if not predicate(rule)]


def _next_step_values(p: Project) -> list[str]:
    return p.domain["slots"]["next_step"]["values"]


def _unmap(p: Project, slot: str, form: str) -> None:
    for mapping in p.domain["slots"][slot]["mappings"]:
        mapping["conditions"] = [c for c in mapping["conditions"] if c["active_loop"] != form]


def _add_rule(p: Project, *steps: dict[str, Any]) -> None:
    p.rules.append({"rule": "added", "steps": list(steps)})


# (what is broken, how, what the problem list must then say)
BREAKAGES: list[tuple[str, Callable[[Project], Any], str]] = [
    (
        "a form's ask action named with two underscores",
        lambda p: p.domain["actions"].append("action_ask_plan_form__plan_confirmed"),
        "action_ask_plan_form__plan_confirmed: Rasa never runs it",
    ),
    ("a form with no rules", _add_form, "refund_form: no rule starts it"),
    (
        "a form's start rules removed",
        lambda p: _drop_rules(
            p,
            lambda r: (
                follows(r, {"action": "plan_form"}, {"active_loop": "plan_form"})
                and not inside(r, "plan_form")
            ),
        ),
        "plan_form: no rule starts it",
    ),
    (
        "a form's completion rule removed",
        lambda p: _drop_rules(p, lambda r: r["rule"] == "guest_form completed"),
        "guest_form: no rule says what happens once it is complete",
    ),
    (
        "no way out of a form",
        lambda p: _drop_rules(p, lambda r: r["rule"] == "cancel inside fa_form"),
        "fa_form: no rule for cancel inside it",
    ),
    (
        "a next_step value that is not a form",
        lambda p: _next_step_values(p).append("refunds_form"),
        "next_step value refunds_form is not a form",
    ),
    (
        "a gated form missing from next_step's values",
        lambda p: _next_step_values(p).remove("dispute_form"),
        "next_step dispute_form is not one of the slot's values",
    ),
    (
        "a next_step value no rule follows",
        lambda p: _drop_rules(
            p,
            lambda r: follows(
                r, {"slot": {"next_step": "premium_state_form"}}, {"action": "premium_state_form"}
            ),
        ),
        "next_step value premium_state_form: no rule starts the form",
    ),
    (
        "a gated form verification cannot resume",
        lambda p: _drop_rules(p, lambda r: r["rule"] == "after action_verify_member, autopay_form"),
        "autopay_form: no rule starts it after action_verify_member",
    ),
    (
        "a required slot that is not a domain slot",
        lambda p: p.domain["forms"]["dispute_form"]["required_slots"].append("dispute_amount"),
        "dispute_form: required slot dispute_amount is not a domain slot",
    ),
    (
        "a required slot no mapping fills in the form",
        lambda p: _unmap(p, "account_number", "payment_form"),
        "payment_form: no mapping of slot account_number fills it",
    ),
    (
        "a slot mapping conditioned on a form that does not exist",
        lambda p: p.domain["slots"]["plan_months"]["mappings"][0]["conditions"][0].update(
            active_loop="plans_form"
        ),
        "a mapping condition names plans_form, not a form",
    ),
    (
        "a form slot not cleared when forms end",
        lambda p: setattr(p, "form_slots", tuple(s for s in p.form_slots if s != "plan_months")),
        "plan_form: slot plan_months is not cleared",
    ),
    (
        "REQUEST_FOR_INTENT names a form that does not exist",
        lambda p: p.request_for_intent.update(make_payment="payments_form"),
        "make_payment asks for payments_form, not a domain action or form",
    ),
    (
        "REQUEST_FOR_INTENT names an action that does not exist",
        lambda p: p.request_for_intent.update(last_receipt="action_last_reciept"),
        "last_receipt asks for action_last_reciept",
    ),
    (
        "REQUEST_FOR_INTENT gains an intent with no gate rule",
        lambda p: p.request_for_intent.update(financial_assistance="fa_form"),
        "financial_assistance has no rule leading to action_require_member",
    ),
    (
        "a gated intent the gate does nothing for",
        lambda p: p.request_for_intent.pop("payment_history"),
        "payment_history goes through action_require_member, which has nothing to do for it",
    ),
    (
        "a rule naming an unknown action",
        lambda p: _add_rule(p, {"intent": "greet"}, {"action": "utter_hello"}),
        "names an unknown action utter_hello",
    ),
    (
        "a rule naming an unknown intent",
        lambda p: _add_rule(p, {"intent": "hello"}, {"action": "utter_greet"}),
        "names an unknown intent hello",
    ),
    (
        "an or: alternative naming an unknown intent",
        lambda p: _add_rule(p, {"or": [{"intent": "greet"}, {"intent": "howdy"}]}, {"action": "utter_greet"}),
        "names an unknown intent howdy",
    ),
    (
        "a rule naming an unknown form",
        lambda p: _add_rule(
            p, {"intent": "fa_prescreen"}, {"action": "fa_form"}, {"active_loop": "fa_forms"}
        ),
        "names an unknown active_loop fa_forms",
    ),
]


@pytest.mark.parametrize(
    "breakage, expected", [(how, said) for _, how, said in BREAKAGES], ids=[what for what, _, _ in BREAKAGES]
)
def test_a_broken_copy_of_the_project_is_caught(breakage, expected):
    project = copy.deepcopy(load_project())
    breakage(project)
    found = problems(project)
    assert any(expected in problem for problem in found), found
