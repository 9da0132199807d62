"""Whole conversations from tests/evaluation/conversations/*.yml, played against the running assistant and
checked on what a member would notice: what the replies say, and what changed in the billing records.

The files were written without looking at the training data (their README says how); this module only
plays and checks them. Each conversation starts from the seeded billing data and a fresh conversation id."""

from __future__ import annotations

import sqlite3
import uuid
from collections import Counter
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from website.demo_members import DEMO_ANSWERS

CONVERSATIONS = Path(__file__).resolve().parents[1] / "evaluation" / "conversations"
# Demo members by first name, with the answers that verify them (the README's table).
MEMBERS = {
    name.split()[0].lower(): (account, birth, zip_code) for name, account, birth, zip_code in DEMO_ANSWERS
}


@dataclass
class Outcome:
    name: str
    theme: str
    problems: list[str] = field(default_factory=list)
    money_or_setting_wrong: bool = False  # money, autopay, paperless or a plan moved other than asked

    @property
    def ended_right(self) -> bool:
        return not self.problems


def load_conversations(only: str = "") -> list[dict[str, Any]]:
    """Every conversation, or those whose name or theme contains `only` (for working on a few)."""
    found = []
    for path in sorted(CONVERSATIONS.glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            found.append({**conversation, "theme": path.stem})
    return [c for c in found if only in c["name"] or only == c["theme"]]


def reply_text(messages: list[dict]) -> str:
    """Everything the member sees: texts and button titles."""
    parts = []
    for message in messages:
        parts.append(message.get("text") or "")
        parts += [button.get("title", "") for button in message.get("buttons") or []]
    return "\n".join(parts)


def turn_problems(expect: dict[str, Any], messages: list[dict]) -> list[str]:
    text = reply_text(messages)
    lowered = text.lower()
    problems = []
    for phrase in expect.get("reply_includes", []):
        if str(phrase).lower() not in lowered:
            problems.append(f"reply lacks {phrase!r}")
    any_of = expect.get("reply_includes_any", [])
    if any_of and not any(str(phrase).lower() in lowered for phrase in any_of):
        problems.append(f"reply has none of {any_of!r}")
    for phrase in expect.get("reply_excludes", []):
        if str(phrase).lower() in lowered:
            problems.append(f"reply has {phrase!r}")
    if expect.get("asks") is True and not (
        text.rstrip().endswith("?") or "?" in text or any(m.get("buttons") for m in messages)
    ):
        problems.append("reply asks nothing")
    if not messages and expect.get("silent") is not True:
        problems.append("no reply at all")
    return problems


class Records:
    """What the billing service holds for one member: read before and after a conversation."""

    def __init__(self, assistant, member_key: str):
        account, birth, zip_code = MEMBERS[member_key]
        self.assistant = assistant
        self.member = assistant.member_number(account, birth, zip_code)

    def snapshot(self) -> dict[str, Any]:
        member = self.assistant.billing(f"/members/{self.member}", member=self.member)
        accounts = [a["account_number"] for a in member["accounts"]]
        payments = {
            a: self.assistant.billing(f"/accounts/{a}/payments", member=self.member) for a in accounts
        }
        return {
            "payments": {a: {p["confirmation_number"]: p for p in rows} for a, rows in payments.items()},
            "autopay": {a["account_number"]: a["autopay_enabled"] for a in member["accounts"]},
            "paperless": {a["account_number"]: a["paperless"] for a in member["accounts"]},
            "plan": {a: self._plan_active(a) for a in accounts},
            "cases": case_counts(self.assistant),
        }

    def _plan_active(self, account: str) -> bool:
        summary = self.assistant.billing(f"/accounts/{account}", member=self.member)
        return summary.get("plan_ineligible_reason") == "plan_exists"


def case_counts(assistant) -> Counter:
    database = Path(assistant.env["BILLING_DATABASE_URL"][len("sqlite:///") :])
    with closing(sqlite3.connect(database)) as connection:
        return Counter(dict(connection.execute("SELECT kind, count(*) FROM cases GROUP BY kind").fetchall()))


def after_problems(after: dict[str, Any], before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What differs from the `after` block. "moved:" marks money or a setting that moved other than the
    member asked (a payment not asked for or of another amount, a setting changed to the wrong value);
    "missing:" marks what was asked and did not happen."""
    problems = []
    # Without a member there are no account records to read: only the case counts are checked.
    new_payments = [
        payment
        for account, rows in now.get("payments", {}).items()
        for number, payment in rows.items()
        if number not in before["payments"].get(account, {})
    ]
    succeeded = [p for p in new_payments if p["status"] == "succeeded"]
    amounts = sorted(f"${p['amount_cents'] / 100:,.2f}" for p in succeeded)
    expected_count = after.get("payments_added")
    expected_amounts = sorted(after.get("payment_amounts") or [])
    if expected_count is not None and len(succeeded) != expected_count:
        kind = "moved" if len(succeeded) > expected_count else "missing"
        problems.append(f"{kind}: {len(succeeded)} payment(s) went through, expected {expected_count}")
    if "payment_amounts" in after and amounts != expected_amounts:
        kind = "moved" if any(amount not in expected_amounts for amount in amounts) else "missing"
        problems.append(f"{kind}: payments {amounts}, expected {expected_amounts}")
    for key, records in (("autopay_enabled", "autopay"), ("paperless", "paperless"), ("plan_active", "plan")):
        for account, wanted in (after.get(key) or {}).items():
            found = now.get(records, {}).get(str(account))
            if found != wanted:
                changed = found != before.get(records, {}).get(str(account))
                problems.append(
                    f"{'moved' if changed else 'missing'}: {key} of {account} is {found}, expected {wanted}"
                )
    for kind, added in (after.get("cases_added") or {}).items():
        got = now["cases"].get(kind, 0) - before["cases"].get(kind, 0)
        if got != added:
            problems.append(f"cases: {got} new {kind}, expected {added}")
    return problems


def play(assistant, conversation: dict[str, Any], phone_factory=None) -> Outcome:
    outcome = Outcome(conversation["name"], conversation["theme"])
    assistant.reset_billing()
    records: Records | None = (
        Records(assistant, conversation["member"]) if conversation.get("member") else None
    )
    before = records.snapshot() if records else {"cases": case_counts(assistant)}
    sms = conversation.get("channel") == "sms"
    phone = phone_factory(assistant) if sms and phone_factory else None
    sender = f"eval-{uuid.uuid4().hex[:12]}"
    for number, turn in enumerate(conversation["turns"], start=1):
        if phone is not None:
            messages = [{"text": text} for text in phone.text(str(turn["user"]))]
        else:
            messages = assistant.say(sender, str(turn["user"]))
        for problem in turn_problems(turn.get("expect") or {}, messages):
            outcome.problems.append(f"turn {number} ({turn['user']!r}): {problem}")
    if conversation.get("after"):
        now = records.snapshot() if records else {"cases": case_counts(assistant)}
        found = after_problems(conversation["after"], before, now)
        outcome.problems += found
        outcome.money_or_setting_wrong = any(problem.startswith("moved:") for problem in found)
    return outcome
