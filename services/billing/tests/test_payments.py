import pytest
from sqlalchemy import select

from billing_service.models import Account, LedgerEntry, Payment
from tests.demo import DAVID, JAMES, LINDA, MARIA, ROBERT, method_id, pay


def balance(client, account):
    return client.get(f"/accounts/{account}").json()["balance_cents"]


def payment_rows(app):
    with app.state.session_factory() as session:
        return session.execute(select(Payment)).scalars().all()


def test_a_payment_lowers_the_balance_and_gives_a_confirmation(client, app):
    visa = method_id(client, MARIA["member"], "4242")
    response = pay(client, MARIA["medical"], visa, 5000, "key-maria-0001")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "succeeded"
    assert body["confirmation_number"].startswith("KP")
    assert body["payment_method"] == "Visa ending 4242"
    assert body["balance_after_cents"] == MARIA["medical_balance"] - 5000
    assert balance(client, MARIA["medical"]) == MARIA["medical_balance"] - 5000
    with app.state.session_factory() as session:
        entry = session.execute(
            select(LedgerEntry).where(LedgerEntry.kind == "payment", LedgerEntry.amount_cents == -5000)
        ).scalar_one()
    assert entry.description == "Payment"


def test_the_full_balance_can_be_paid_and_then_nothing_is_owed(client):
    bank = method_id(client, JAMES["member"], "4444")
    assert (
        pay(client, JAMES["medical"], bank, JAMES["balance"], "key-james-full").json()["status"]
        == "succeeded"
    )
    assert balance(client, JAMES["medical"]) == 0
    again = pay(client, JAMES["medical"], bank, 100, "key-james-more")
    assert again.status_code == 422 and again.json()["reason"] == "nothing_owed"


def test_a_payment_above_what_is_owed_is_refused_and_nothing_is_written(client, app):
    visa = method_id(client, MARIA["member"], "4242")
    response = pay(client, MARIA["medical"], visa, MARIA["medical_balance"] + 1, "key-maria-over")
    assert response.status_code == 422
    assert response.json()["reason"] == "amount_exceeds_balance"
    assert balance(client, MARIA["medical"]) == MARIA["medical_balance"]
    assert not [p for p in payment_rows(app) if p.amount_cents == MARIA["medical_balance"] + 1]


@pytest.mark.parametrize("amount", [0, -500, 10.5, "100", None, 10**12, True])
def test_impossible_amounts_are_422(client, amount):
    visa = method_id(client, MARIA["member"], "4242")
    response = pay(client, MARIA["medical"], visa, amount, f"key-amount-{amount}")
    assert response.status_code == 422
    assert response.json()["reason"] == "invalid_request"
    assert balance(client, MARIA["medical"]) == MARIA["medical_balance"]


def test_a_payment_needs_an_idempotency_key(client):
    visa = method_id(client, MARIA["member"], "4242")
    response = client.post(
        "/payments", json={"account_number": MARIA["medical"], "payment_method_id": visa, "amount_cents": 100}
    )
    assert response.status_code == 400
    assert response.json()["reason"] == "missing_idempotency_key"


def test_the_same_key_and_body_returns_the_first_result_without_charging_again(client, app):
    visa = method_id(client, MARIA["member"], "4242")
    first = pay(client, MARIA["medical"], visa, 2500, "key-maria-replay")
    second = pay(client, MARIA["medical"], visa, 2500, "key-maria-replay")
    assert first.status_code == 201 and second.status_code == 200
    assert first.json()["confirmation_number"] == second.json()["confirmation_number"]
    assert balance(client, MARIA["medical"]) == MARIA["medical_balance"] - 2500
    assert len([p for p in payment_rows(app) if p.amount_cents == 2500]) == 1


def test_the_same_key_with_a_different_body_is_a_conflict(client):
    visa = method_id(client, MARIA["member"], "4242")
    pay(client, MARIA["medical"], visa, 2500, "key-maria-conflict")
    response = pay(client, MARIA["medical"], visa, 2600, "key-maria-conflict")
    assert response.status_code == 409
    assert response.json()["reason"] == "idempotency_key_reused"
    assert balance(client, MARIA["medical"]) == MARIA["medical_balance"] - 2500


def test_a_declined_card_is_recorded_and_moves_no_money(client):
    declining = method_id(client, LINDA["member"], "0002")
    response = pay(client, LINDA["premium"], declining, 1000, "key-linda-decline")
    assert response.status_code == 201
    assert response.json()["status"] == "declined"
    assert response.json()["failure_reason"] == "card_declined"
    assert balance(client, LINDA["premium"]) == LINDA["balance"]
    history = client.get(f"/accounts/{LINDA['premium']}/payments").json()
    assert history[0]["status"] == "declined"


def test_insufficient_funds_is_told_apart(client):
    card = method_id(client, DAVID["member"], "9995")
    body = pay(client, DAVID["medical"], card, 1000, "key-david-nsf").json()
    assert (body["status"], body["failure_reason"]) == ("declined", "insufficient_funds")
    assert balance(client, DAVID["medical"]) == DAVID["balance"]


def test_another_members_method_cannot_be_charged(client):
    james_card = method_id(client, JAMES["member"], "4444")
    response = pay(client, MARIA["medical"], james_card, 1000, "key-cross-member")
    assert response.status_code == 404
    assert response.json()["reason"] == "not_found"


def test_unknown_account_is_404(client):
    visa = method_id(client, MARIA["member"], "4242")
    response = pay(client, "0000000000", visa, 1000, "key-unknown-acct", member=MARIA["member"])
    assert response.status_code == 404 and response.json()["reason"] == "not_found"


def test_history_and_receipt(client):
    visa = method_id(client, MARIA["member"], "4242")
    confirmation = pay(client, MARIA["medical"], visa, 1234, "key-maria-receipt").json()[
        "confirmation_number"
    ]
    history = client.get(f"/accounts/{MARIA['medical']}/payments").json()
    assert [p["amount_cents"] for p in history][:2] == [1234, 1900]  # the new one, then last month's
    receipt = client.get(f"/accounts/{MARIA['medical']}/payments/{confirmation}").json()
    assert receipt["amount_cents"] == 1234
    assert receipt["member_name"] == "Maria Lopez"
    assert receipt["email"] == "maria.lopez@example.com"
    other = client.get(f"/accounts/{ROBERT['medical']}/payments/{confirmation}")
    assert other.status_code == 404


def test_malformed_and_oversized_bodies_are_4xx(client):
    broken = client.post(
        "/payments",
        content=b"{not json",
        headers={"Idempotency-Key": "key-broken-json", "Content-Type": "application/json"},
    )
    assert broken.status_code == 422
    huge = client.post(
        "/payments",
        content=b"{" + b" " * 100_000 + b"}",
        headers={"Idempotency-Key": "key-huge-body", "Content-Type": "application/json"},
    )
    assert huge.status_code == 413 and huge.json()["reason"] == "body_too_large"
    extra = client.post(
        "/payments",
        json={"account_number": MARIA["medical"], "payment_method_id": 1, "amount_cents": 100, "surprise": 1},
        headers={"Idempotency-Key": "key-extra-field"},
    )
    assert extra.status_code == 422


def test_the_balance_is_the_sum_of_the_ledger(client, app):
    visa = method_id(client, MARIA["member"], "4242")
    pay(client, MARIA["medical"], visa, 1000, "key-ledger-1")
    pay(client, MARIA["medical"], visa, 2000, "key-ledger-2")
    with app.state.session_factory() as session:
        entries = session.execute(
            select(LedgerEntry.kind, LedgerEntry.amount_cents)
            .join(Payment, Payment.id == LedgerEntry.payment_id, isouter=True)
            .where(
                LedgerEntry.account_id
                == select(Account.id).where(Account.account_number == MARIA["medical"]).scalar_subquery()
            )
        ).all()
    assert (
        sum(amount for _, amount in entries)
        == balance(client, MARIA["medical"])
        == MARIA["medical_balance"] - 3000
    )
    assert [amount for kind, amount in entries if kind == "payment"][-2:] == [-1000, -2000]
