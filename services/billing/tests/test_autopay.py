import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import select, update

from billing_service.models import Account, Autopay
from tests.demo import JAMES, LINDA, MARIA, ROBERT, SUSAN, method_id


def set_autopay(client, account, method, day, rule="statement_balance", fixed=None):
    body = {"payment_method_id": method, "day_of_month": day, "amount_rule": rule}
    if fixed is not None:
        body["fixed_amount_cents"] = fixed
    return client.put(f"/accounts/{account}/autopay", json=body)


def run(client, day):
    """The scheduler runs on the day itself: time moves there first (runs for a future date are refused)."""
    clock = client.app.state.clock
    clock.now = max(clock.now, dt.datetime.combine(dt.date.fromisoformat(day), dt.time(6, 0)))
    response = client.post("/autopay/runs", json={"run_date": day})
    assert response.status_code == 200
    return response.json()


def balance(client, account):
    return client.get(f"/accounts/{account}").json()["balance_cents"]


def test_demo_autopay_says_when_it_runs_next(client):
    autopay = client.get(f"/accounts/{SUSAN['medical']}/autopay").json()
    assert autopay["enabled"] is True
    assert autopay["payment_method"]["display"] == "Visa ending 4242"
    assert autopay["next_run_date"] == "2026-12-15"


def test_setting_up_autopay_and_running_it_charges_once_per_cycle(client):
    visa = method_id(client, MARIA["member"], "4242")
    response = set_autopay(client, MARIA["medical"], visa, 31)
    assert response.status_code == 200
    assert response.json()["next_run_date"] == "2026-11-30"  # November has 30 days
    assert run(client, "2026-11-29") == []
    results = run(client, "2026-11-30")
    assert [(r["account_number"], r["status"], r["amount_cents"]) for r in results] == [
        (MARIA["medical"], "succeeded", MARIA["medical_balance"])
    ]
    assert run(client, "2026-11-30") == []
    assert balance(client, MARIA["medical"]) == 0
    assert client.get(f"/accounts/{MARIA['medical']}/autopay").json()["next_run_date"] == "2026-12-31"
    assert [p["source"] for p in client.get(f"/accounts/{MARIA['medical']}/payments").json()][0] == "autopay"


@pytest.mark.parametrize(
    "day,not_on,runs_on",
    [
        (30, "2027-02-27", "2027-02-28"),  # February, common year
        (31, "2028-02-28", "2028-02-29"),  # leap year
        (29, "2027-02-27", "2027-02-28"),
        (31, "2027-04-29", "2027-04-30"),  # 30-day month
        (31, "2027-01-30", "2027-01-31"),
    ],
)
def test_a_day_past_the_months_end_runs_on_its_last_day(client, day, not_on, runs_on):
    card = method_id(client, JAMES["member"], "4444")
    set_autopay(client, JAMES["medical"], card, day)
    assert run(client, not_on) == []
    assert [r["status"] for r in run(client, runs_on)] == ["succeeded"]


def test_accounts_that_owe_nothing_are_skipped(client):
    amex = method_id(client, ROBERT["member"], "0005")
    set_autopay(client, ROBERT["medical"], amex, 10)
    results = run(client, "2026-12-10")
    assert [(r["status"], r["reason"]) for r in results] == [("skipped", "nothing_owed")]
    assert client.get(f"/accounts/{ROBERT['medical']}/payments").json()[0]["source"] == "member"  # seed only


def test_a_fixed_rule_row_without_its_amount_fails_alone(client):
    """A row changed outside the API (fixed rule, no amount) is recorded as failed; others still pay."""
    visa = method_id(client, MARIA["member"], "4242")
    set_autopay(client, MARIA["medical"], visa, 15, rule="fixed", fixed=5000)
    with client.app.state.session_factory() as session:
        account_id = select(Account.id).where(Account.account_number == MARIA["medical"]).scalar_subquery()
        session.execute(
            update(Autopay).where(Autopay.account_id == account_id).values(fixed_amount_cents=None)
        )
        session.commit()
    results = {r["account_number"]: (r["status"], r["reason"]) for r in run(client, "2026-12-15")}
    assert results == {
        MARIA["medical"]: ("failed", "fixed_amount_missing"),
        SUSAN["medical"]: ("succeeded", None),
    }
    assert balance(client, MARIA["medical"]) == MARIA["medical_balance"]


def test_a_fixed_amount_is_capped_at_the_balance(client):
    visa = method_id(client, MARIA["member"], "4242")
    set_autopay(client, MARIA["medical"], visa, 1, "fixed", 50000)
    set_autopay(client, MARIA["premium"], visa, 1, "fixed", 2000)
    results = {r["account_number"]: r["amount_cents"] for r in run(client, "2026-12-01")}
    assert results == {MARIA["medical"]: MARIA["medical_balance"], MARIA["premium"]: 2000}


def test_a_declined_autopay_is_recorded_and_not_retried_in_the_cycle(client):
    declining = method_id(client, LINDA["member"], "0002")
    set_autopay(client, LINDA["premium"], declining, 5)
    results = run(client, "2026-12-05")
    assert [(r["status"], r["reason"]) for r in results] == [("declined", "card_declined")]
    assert run(client, "2026-12-05") == []
    assert balance(client, LINDA["premium"]) == LINDA["balance"]


def test_cancelled_autopay_does_not_run(client):
    response = client.delete(f"/accounts/{SUSAN['medical']}/autopay")
    assert response.json()["enabled"] is False and response.json()["next_run_date"] is None
    assert run(client, "2026-12-15") == []
    assert client.delete(f"/accounts/{ROBERT['medical']}/autopay").status_code == 404


def test_changing_the_day_moves_the_next_run(client):
    visa = method_id(client, SUSAN["member"], "4242")
    assert set_autopay(client, SUSAN["medical"], visa, 28).json()["next_run_date"] == "2026-11-28"


@pytest.mark.parametrize(
    "body",
    [
        {"day_of_month": 0},
        {"day_of_month": 32},
        {"amount_rule": "fixed"},
        {"amount_rule": "statement_balance", "fixed_amount_cents": 500},
        {"amount_rule": "whatever"},
    ],
)
def test_invalid_autopay_is_422(client, body):
    visa = method_id(client, SUSAN["member"], "4242")
    request = {"payment_method_id": visa, "day_of_month": 15, "amount_rule": "statement_balance", **body}
    response = client.put(f"/accounts/{SUSAN['medical']}/autopay", json=request)
    assert response.status_code == 422


def test_autopay_with_another_members_method_is_refused(client):
    james_card = method_id(client, JAMES["member"], "4444")
    response = set_autopay(client, SUSAN["medical"], james_card, 15)
    assert response.status_code == 404 and response.json()["reason"] == "not_found"


def test_the_runner_command_charges_once(client, settings):
    env = {**os.environ, "BILLING_DATABASE_URL": settings.database_url}
    # The 15th of the month the tests' demo data was seeded in:
    # in the past for the real clock the command uses.
    command = [sys.executable, "-m", "billing_service", "autopay-run", "--date", "2026-11-15"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert [(r["account_number"], r["status"]) for r in json.loads(first.stdout)] == [
        (SUSAN["medical"], "succeeded")
    ]
    second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert json.loads(second.stdout) == []
    assert balance(client, SUSAN["medical"]) == 0
