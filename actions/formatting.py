"""How the assistant says accounts, dates and payment rules."""

from __future__ import annotations

import datetime as dt

from billing_contract import responses
from billing_contract.money import format_cents

__all__ = ["account_label", "say_date", "format_cents", "autopay_rule"]


def account_label(account: responses.AccountSummary) -> str:
    kind = "medical bill" if account.kind == "medical" else "premium"
    return f"{kind} account ending {account.account_number[-4:]}"


def say_date(day: dt.date | None) -> str:
    if day is None:
        return "no date"
    return f"{day:%b} {day.day}, {day.year}"


def autopay_rule(rule: str, fixed_cents: int | None) -> str:
    if rule == "fixed":
        # A fixed rule always has its amount (the billing service requires it); said plainly if not.
        amount = format_cents(fixed_cents) if fixed_cents is not None else "a fixed amount"
        return f"{amount} (or the balance, if less)"
    return "the statement balance"
