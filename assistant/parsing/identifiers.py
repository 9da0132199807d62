"""Account and medical record numbers as members type them: "2000-1000-01", "my account is 2000100001"."""

from __future__ import annotations

from billing_contract.account_numbers import TYPED_IDENTIFIER, digits_of, identifier_kind


def parse_identifier(text: str) -> str | None:
    """The account or medical record number in text, without the spaces and dashes typed inside it;
    None when the number typed has neither shape (billing_contract.account_numbers)."""
    match = TYPED_IDENTIFIER.search(str(text or ""))
    if match is None:
        return None
    digits = digits_of(match.group())
    return digits if identifier_kind(digits) else None
