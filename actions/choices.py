"""Buttons for choices, and matching what a member typed or clicked to one of them."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from billing_contract import responses

from .formatting import account_label, format_cents


def choose(title: str, value: str) -> dict[str, str]:
    """A button whose payload sets the `choice` entity directly, skipping NLU."""
    return {"title": title, "payload": "/choose" + json.dumps({"choice": value})}


def account_buttons(accounts: Sequence[responses.AccountSummary]) -> list[dict[str, str]]:
    return [
        choose(f"{account_label(a).capitalize()} ({format_cents(a.balance_cents)} due)", a.account_number)
        for a in accounts
    ]


def method_buttons(methods: Sequence[responses.PaymentMethodOut]) -> list[dict[str, str]]:
    return [choose(m.display, f"method-{m.id}") for m in methods]


def match_account(
    value: Any, accounts: Sequence[responses.AccountSummary], by_position: bool = True
) -> responses.AccountSummary | None:
    """By number, last four digits, or "medical"/"premium" when that picks one; "the first one" too unless
    `by_position` is False (in a whole request, "one hundred" is not a position)."""
    text = str(value or "").strip().lower()
    if not text:
        return None
    for account in accounts:
        if text == account.account_number.lower():
            return account
    digits = re.findall(r"\d{4,}", text)
    by_digits = [a for a in accounts if any(a.account_number.endswith(d) for d in digits)]
    if len(by_digits) == 1:
        return by_digits[0]
    for kind in ("medical", "premium"):
        if kind in text or (kind == "medical" and re.search(r"\b(med|doctor|visit|hospital|clinic)\b", text)):
            of_kind = [a for a in accounts if a.kind == kind]
            if len(of_kind) == 1:
                return of_kind[0]
    ordinal = _ordinal(text) if by_position else None
    if ordinal is not None and ordinal < len(accounts):
        return accounts[ordinal]
    return None


# Short names members use for a saved method's brand or kind ("w my amex", "from checking").
METHOD_ALIASES = {
    "amex": ("american", "express"),
    "mc": ("mastercard",),
    "checking": ("bank",),
    "savings": ("bank",),
}


def match_method(
    value: Any, methods: Sequence[responses.PaymentMethodOut], by_position: bool = True
) -> responses.PaymentMethodOut | None:
    """By id, "yes" to the one offered, last four digits, or brand/bank words when that picks one; "the
    second one" too unless `by_position` is False."""
    if isinstance(value, int):
        return next((m for m in methods if m.id == value), None)
    text = str(value or "").strip().lower()
    if text.startswith("method-") and text[7:].isdigit():
        return next((m for m in methods if m.id == int(text[7:])), None)
    if text == "yes":
        return methods[0] if len(methods) == 1 else None
    digits = re.findall(r"\d{4}", text)
    by_digits = [m for m in methods if m.last4 in digits]
    if len(by_digits) == 1:
        return by_digits[0]
    words = set(re.findall(r"[a-z]+", text))
    words |= {alias for word in words for alias in METHOD_ALIASES.get(word, ())}
    by_name = [
        m
        for m in methods
        if words & set(re.findall(r"[a-z]+", m.display.lower())) - {"ending", "account"}
        or ("bank" in words and m.kind == "bank")
        or ("card" in words and m.kind == "card")
    ]
    if len(by_name) == 1:
        return by_name[0]
    ordinal = _ordinal(text) if by_position else None
    if ordinal is not None and ordinal < len(methods):
        return methods[ordinal]
    return None


def _ordinal(text: str) -> int | None:
    # Not "one", "two": "the blue one" names no position, and "two" may be an amount.
    ordinals = (("first", "1st"), ("second", "2nd"), ("third", "3rd"))
    for index, words in enumerate(ordinals):
        if any(re.search(rf"\b{w}\b", text) for w in words):
            return index
    return None
