"""Money paths: scoped idempotency keys, reserved prefixes, autopay dates and plans, one active plan,
the processor called outside the account lock, reads that never wait for writers."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from billing_service.app import create_app
from billing_service.models import Account, PaymentPlan
from billing_service.processor import SandboxProcessor
from tests.demo import DAVID, JAMES, MARIA, acting_as, method_id, pay
from tests.simultaneous import post_at_once


def balance(client, account):
    return client.get(f"/accounts/{account}").json()["balance_cents"]


# --- idempotency keys ----------------------------------------------------------------


def test_a_key_is_scoped_to_the_account_and_the_member(client):
    visa = method_id(client, MARIA["member"], "4242")
    medical = pay(client, MARIA["medical"], visa, 1000, "key-shared-0001")
    premium = pay(client, MARIA["premium"], visa, 1000, "key-shared-0001")
    james = pay(client, JAMES["medical"], method_id(client, JAMES["member"], "4444"), 1000, "key-shared-0001")
    assert [r.status_code for r in (medical, premium, james)] == [201, 201, 201]
    assert len({r.json()["confirmation_number"] for r in (medical, premium, james)}) == 3
    assert balance(client, JAMES["medical"]) == JAMES["balance"] - 1000


def test_the_services_own_key_prefixes_are_refused_and_autopay_still_runs(client):
    visa = method_id(client, MARIA["member"], "4242")
    for key in (
        f"autopay:{MARIA['medical']}:2026-11",
        f"AUTOPAY:{MARIA['medical']}:2026-11",
        "link:anything-here",
    ):
        response = pay(client, MARIA["medical"], visa, 100, key)
        assert response.status_code == 422 and response.json()["reason"] == "idempotency_key_reserved"
    client.put(
        f"/accounts/{MARIA['medical']}/autopay",
        json={"payment_method_id": visa, "day_of_month": 22, "amount_rule": "statement_balance"},
    )
    runs = client.post("/autopay/runs", json={"run_date": "2026-11-22"}).json()
    assert [(r["account_number"], r["status"]) for r in runs] == [(MARIA["medical"], "succeeded")]


# --- autopay ---------------------------------------------------------------------------


def test_autopay_runs_only_for_today_or_earlier(client):
    response = client.post("/autopay/runs", json={"run_date": "2026-11-23"})
    assert response.status_code == 422 and response.json()["reason"] == "future_run_date"
    assert client.post("/autopay/runs", json={"run_date": "2026-11-22"}).status_code == 200


def test_the_runner_command_refuses_a_future_date(settings, app):
    env = {**os.environ, "BILLING_DATABASE_URL": settings.database_url}
    done = subprocess.run(
        [sys.executable, "-m", "billing_service", "autopay-run", "--date", "2999-01-01"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "future_run_date" in done.stderr


def test_autopay_follows_an_active_plan(client, clock):
    plan = client.post(f"/accounts/{DAVID['medical']}/payment-plans", json={"months": 6}).json()
    first = plan["installments"][0]
    assert first["due_date"] == "2026-12-22"
    bank = method_id(client, DAVID["member"], "6789")
    client.put(
        f"/accounts/{DAVID['medical']}/autopay",
        json={"payment_method_id": bank, "day_of_month": 22, "amount_rule": "statement_balance"},
    )
    # No instalment falls in November: nothing is charged this cycle.
    november = client.post("/autopay/runs", json={"run_date": "2026-11-22"}).json()
    assert [(r["status"], r["reason"]) for r in november] == [("skipped", "no_installment_due")]
    clock.now = dt.datetime(2026, 12, 22, 6, 0)
    december = client.post("/autopay/runs", json={"run_date": "2026-12-22"}).json()
    assert [(r["status"], r["amount_cents"]) for r in december] == [("succeeded", first["amount_cents"])]
    assert balance(client, DAVID["medical"]) == DAVID["balance"] - first["amount_cents"]


# --- one active plan -------------------------------------------------------------------


def test_the_database_allows_one_active_plan_per_account(client, app, clock):
    assert client.post(f"/accounts/{DAVID['medical']}/payment-plans", json={"months": 6}).status_code == 201
    with app.state.session_factory() as session:
        account_id = session.execute(
            select(Account.id).where(Account.account_number == DAVID["medical"])
        ).scalar_one()
        session.add(
            PaymentPlan(account_id=account_id, total_cents=1, months=3, status="active", created_at=clock())
        )
        with pytest.raises(IntegrityError):
            session.commit()
        session.rollback()
        session.add(
            PaymentPlan(
                account_id=account_id, total_cents=1, months=3, status="cancelled", created_at=clock()
            )
        )
        session.commit()  # a finished plan does not count


def test_two_concurrent_plan_requests_make_one_plan(server_url, app):
    path = f"/accounts/{DAVID['medical']}/payment-plans"
    responses = post_at_once(
        server_url, [(path, {"months": months}, acting_as(DAVID["member"])) for months in (6, 7)]
    )
    assert sorted(r.status_code for r in responses) == [201, 409]
    assert [r.json()["reason"] for r in responses if r.status_code == 409] == ["plan_exists"]
    with app.state.session_factory() as session:
        assert (
            session.execute(
                select(func.count()).select_from(PaymentPlan).where(PaymentPlan.status == "active")
            ).scalar_one()
            == 1
        )


# --- the processor is called outside the account lock ------------------------------------


class SlowProcessor(SandboxProcessor):
    """Holds one charge (of 11.11) until released, like a processor taking its time."""

    def __init__(self):
        self.charging = threading.Event()
        self.release = threading.Event()

    def charge(self, session, token, amount_cents, idempotency_key):
        if amount_cents == 1111:
            self.charging.set()
            assert self.release.wait(30)
        return super().charge(session, token, amount_cents, idempotency_key)


def test_a_slow_charge_holds_no_lock_and_its_amount_is_reserved(app, settings, clock):
    processor = SlowProcessor()
    slow_app = create_app(settings, processor=processor, clock=clock)
    try:
        with TestClient(slow_app) as maria_side, TestClient(slow_app) as others:
            visa = method_id(others, MARIA["member"], "4242")
            with ThreadPoolExecutor(1) as pool:
                slow = pool.submit(pay, maria_side, MARIA["medical"], visa, 1111, "key-slow-charge")
                assert processor.charging.wait(10)
                # While it is with the processor: other accounts are paid at once ...
                james_card = method_id(others, JAMES["member"], "4444")
                quick = ThreadPoolExecutor(1).submit(
                    pay, others, JAMES["medical"], james_card, 1000, "key-quick"
                )
                assert quick.result(timeout=10).json()["status"] == "succeeded"
                # ... the pending amount counts against Maria's balance, and reads are answered.
                over = pay(
                    others, MARIA["medical"], visa, MARIA["medical_balance"] - 1111 + 1, "key-over-pending"
                )
                assert over.status_code == 422 and over.json()["reason"] == "amount_exceeds_balance"
                history = others.get(
                    f"/accounts/{MARIA['medical']}/payments", headers=acting_as(MARIA["member"])
                ).json()
                assert (history[0]["amount_cents"], history[0]["status"]) == (1111, "pending")
                processor.release.set()
                assert slow.result(timeout=30).json()["status"] == "succeeded"
            settled = others.get(f"/accounts/{MARIA['medical']}", headers=acting_as(MARIA["member"])).json()
            assert settled["balance_cents"] == MARIA["medical_balance"] - 1111
    finally:
        processor.release.set()
        slow_app.state.engine.dispose()


def test_reads_do_not_wait_for_a_writer(client, settings):
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock; PostgreSQL readers never wait for writers")
    writer = sqlite3.connect(settings.database_url[len("sqlite:///") :], isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # someone is writing
    try:
        with ThreadPoolExecutor(1) as pool:
            read = pool.submit(client.get, f"/accounts/{MARIA['medical']}")
            assert read.result(timeout=5).status_code == 200
    finally:
        writer.execute("ROLLBACK")
        writer.close()
