"""The billing check after each bench level (assistant/bench/payment_check.py): what members were told
against the billing database's payment rows; any difference is reported, and read from a real database."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from assistant.bench.member import ConfirmedPayment
from assistant.bench.payment_check import BillingDatabase, RecordedPayment, check_summary, payment_problems

TOLD = [ConfirmedPayment("KPAAAA", 10), ConfirmedPayment("KPBBBB", 10)]


def test_payments_recorded_once_as_confirmed_pass() -> None:
    recorded = [RecordedPayment("KPAAAA", 10, "succeeded"), RecordedPayment("KPBBBB", 10, "succeeded")]

    assert payment_problems(TOLD, recorded) == []
    assert check_summary(TOLD, recorded)["ok"] is True


def test_a_payment_recorded_twice_fails() -> None:
    recorded = [
        RecordedPayment("KPAAAA", 10, "succeeded"),
        RecordedPayment("KPAAAA", 10, "succeeded"),
        RecordedPayment("KPBBBB", 10, "succeeded"),
    ]

    problems = payment_problems(TOLD, recorded)

    assert "KPAAAA is recorded 2 times" in problems
    assert "members were told 20 cents in all, the database holds 30" in problems


def test_one_confirmation_told_to_two_members_fails() -> None:
    told = [ConfirmedPayment("KPAAAA", 10), ConfirmedPayment("KPAAAA", 10)]

    assert "KPAAAA was confirmed to 2 members" in payment_problems(
        told, [RecordedPayment("KPAAAA", 10, "succeeded")]
    )


def test_a_confirmed_payment_missing_from_the_database_fails() -> None:
    problems = payment_problems(TOLD, [RecordedPayment("KPAAAA", 10, "succeeded")])

    assert "KPBBBB was confirmed to a member but is not recorded" in problems
    assert not check_summary(TOLD, [RecordedPayment("KPAAAA", 10, "succeeded")])["ok"]


def test_a_payment_no_member_saw_confirmed_fails_even_when_pending() -> None:
    recorded = [
        RecordedPayment("KPAAAA", 10, "succeeded"),
        RecordedPayment("KPBBBB", 10, "succeeded"),
        RecordedPayment("KPCCCC", 10, "pending"),
    ]

    assert payment_problems(TOLD, recorded) == [
        "KPCCCC (pending, 10 cents) is recorded but no member saw it confirmed",
        "members were told 20 cents in all, the database holds 30",
    ]


def test_a_confirmed_payment_left_pending_fails() -> None:
    recorded = [RecordedPayment("KPAAAA", 10, "pending"), RecordedPayment("KPBBBB", 10, "succeeded")]

    assert payment_problems(TOLD, recorded) == ["KPAAAA was confirmed but is recorded pending"]


def test_a_different_sum_fails() -> None:
    recorded = [RecordedPayment("KPAAAA", 10, "succeeded"), RecordedPayment("KPBBBB", 100, "succeeded")]

    problems = payment_problems(TOLD, recorded)

    assert "KPBBBB was confirmed for 10 cents but is recorded for 100" in problems
    assert "members were told 20 cents in all, the database holds 110" in problems


def test_the_level_s_payments_on_the_bench_account_are_read_from_the_database(tmp_path: Path) -> None:
    path = tmp_path / "billing.db"
    with closing(sqlite3.connect(path)) as db, db:
        # The columns the check reads, as services/billing/billing_service/models.py names them.
        db.execute("CREATE TABLE accounts (id INTEGER PRIMARY KEY, account_number TEXT)")
        db.execute(
            "CREATE TABLE payments (id INTEGER PRIMARY KEY, account_id INTEGER, amount_cents INTEGER,"
            " status TEXT, confirmation_number TEXT)"
        )
        db.executemany("INSERT INTO accounts VALUES (?, ?)", [(1, "2000100001"), (2, "2000200002")])
        db.execute("INSERT INTO payments VALUES (1, 1, 14090, 'succeeded', 'KPSEED')")
    database = BillingDatabase(f"sqlite:///{path}", "2000100001")
    before = database.last_payment_id()
    with closing(sqlite3.connect(path)) as db, db:
        db.executemany(
            "INSERT INTO payments VALUES (?, ?, ?, ?, ?)",
            [
                (2, 1, 10, "succeeded", "KPAAAA"),
                (3, 2, 10, "succeeded", "KPOTHER"),
                (4, 1, 10, "pending", "KPBBBB"),
            ],
        )

    recorded = database.payments_after(before)
    database.close()

    assert before == 1
    assert recorded == [RecordedPayment("KPAAAA", 10, "succeeded"), RecordedPayment("KPBBBB", 10, "pending")]
