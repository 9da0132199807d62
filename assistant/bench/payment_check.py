"""After each bench level, the billing database against what the simulated members were told: every
payment a member saw confirmed is recorded once and succeeded, no payment was recorded that no member saw
confirmed (a double charge, a pending one left behind), and the amounts add up.

It reads the billing database itself (SQLite or PostgreSQL, by URL), not the billing API: the check must
hold against any running stack (cluster mode) without its API secrets, and must see pending rows the API
does not list."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Iterable

import sqlalchemy

from .member import ConfirmedPayment


@dataclasses.dataclass(frozen=True)
class RecordedPayment:
    confirmation_number: str
    amount_cents: int
    status: str


class BillingDatabase:
    """The billing service's payments table, read only, for one account."""

    def __init__(self, url: str, account_number: str) -> None:
        self.engine = sqlalchemy.create_engine(url, future=True)
        self.account_number = account_number

    def last_payment_id(self) -> int:
        """Payments after this id are the level's (ids only grow, on SQLite and PostgreSQL alike)."""
        with self.engine.connect() as connection:
            return int(
                connection.execute(sqlalchemy.text("SELECT COALESCE(MAX(id), 0) FROM payments")).scalar()
            )

    def payments_after(self, payment_id: int) -> list[RecordedPayment]:
        query = sqlalchemy.text(
            "SELECT p.confirmation_number, p.amount_cents, p.status FROM payments p"
            " JOIN accounts a ON a.id = p.account_id"
            " WHERE a.account_number = :account AND p.id > :after ORDER BY p.id"
        )
        with self.engine.connect() as connection:
            rows = connection.execute(query, {"account": self.account_number, "after": payment_id})
            return [RecordedPayment(row[0], int(row[1]), row[2]) for row in rows]

    def close(self) -> None:
        self.engine.dispose()


def payment_problems(confirmed: Iterable[ConfirmedPayment], recorded: Iterable[RecordedPayment]) -> list[str]:
    """Every difference between what members were told and what the database holds; empty when they agree."""
    confirmed, recorded = list(confirmed), list(recorded)
    told = Counter(payment.confirmation_number for payment in confirmed)
    rows = Counter(payment.confirmation_number for payment in recorded)
    problems = []
    for number, times in sorted(told.items()):
        if times > 1:
            problems.append(f"{number} was confirmed to {times} members")
        if rows[number] == 0:
            problems.append(f"{number} was confirmed to a member but is not recorded")
    for number, times in sorted(rows.items()):
        if times > 1:
            problems.append(f"{number} is recorded {times} times")
    amounts_told = {payment.confirmation_number: payment.amount_cents for payment in confirmed}
    for payment in recorded:
        if payment.confirmation_number not in told:
            problems.append(
                f"{payment.confirmation_number} ({payment.status}, {payment.amount_cents} cents) is recorded"
                " but no member saw it confirmed"
            )
        elif payment.status != "succeeded":
            problems.append(f"{payment.confirmation_number} was confirmed but is recorded {payment.status}")
        elif payment.amount_cents != amounts_told[payment.confirmation_number]:
            problems.append(
                f"{payment.confirmation_number} was confirmed for {amounts_told[payment.confirmation_number]}"
                f" cents but is recorded for {payment.amount_cents}"
            )
    told_cents = sum(payment.amount_cents for payment in confirmed)
    recorded_cents = sum(payment.amount_cents for payment in recorded)
    if told_cents != recorded_cents:
        problems.append(f"members were told {told_cents} cents in all, the database holds {recorded_cents}")
    return problems


def check_summary(confirmed: list[ConfirmedPayment], recorded: list[RecordedPayment]) -> dict[str, object]:
    """The check's result as the report holds it."""
    problems = payment_problems(confirmed, recorded)
    return {
        "ok": not problems,
        "confirmed": len(confirmed),
        "recorded": len(recorded),
        "confirmed_cents": sum(payment.amount_cents for payment in confirmed),
        "recorded_cents": sum(payment.amount_cents for payment in recorded),
        "problems": problems[:20],
    }
