"""Money as integer cents: parsing typed dollar amounts and saying them back."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

# The largest amount the billing API takes in one payment or autopay rule: $1,000,000.00.
MAX_CENTS = 100_000_000


def dollars_to_cents(text: str) -> int:
    """ "$1,234.50" -> 123450. Raises ValueError for anything that is not whole cents."""
    cleaned = text.replace("$", "").replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not an amount: {text!r}") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValueError(f"not a whole number of cents: {text!r}")
    return int(value * 100)


def format_cents(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}${abs(cents) / 100:,.2f}"
