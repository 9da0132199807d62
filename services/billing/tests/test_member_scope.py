"""Every request that acts for a member names that member, and sees only what is theirs."""

import pytest
from sqlalchemy import func, select

from billing_service.models import Payment
from tests.demo import JAMES, MARIA, ROBERT, acting_as, method_id, pay

MEMBER_SCOPED = [
    ("GET", f"/members/{MARIA['member']}", None),
    ("GET", f"/members/{MARIA['member']}/payment-methods", None),
    ("POST", f"/members/{MARIA['member']}/payment-links", {}),
    ("GET", f"/accounts/{MARIA['medical']}", None),
    ("GET", f"/accounts/{MARIA['medical']}/statements", None),
    ("PUT", f"/accounts/{MARIA['medical']}/paperless", {"enabled": True}),
    ("GET", f"/accounts/{MARIA['medical']}/payments", None),
    ("GET", f"/accounts/{MARIA['medical']}/payments/KP0000000000", None),
    ("GET", f"/accounts/{MARIA['medical']}/autopay", None),
    (
        "PUT",
        f"/accounts/{MARIA['medical']}/autopay",
        {"payment_method_id": 1, "day_of_month": 5, "amount_rule": "statement_balance"},
    ),
    ("DELETE", f"/accounts/{MARIA['medical']}/autopay", None),
    ("GET", f"/accounts/{MARIA['medical']}/payment-plan-eligibility", None),
    ("POST", f"/accounts/{MARIA['medical']}/payment-plans", {"months": 3}),
    ("POST", f"/accounts/{MARIA['medical']}/disputes", {"statement_line_id": 1, "reason": "x"}),
    ("POST", f"/accounts/{MARIA['medical']}/due-date-extensions", {}),
    ("POST", "/payments", {"account_number": MARIA["medical"], "payment_method_id": 1, "amount_cents": 100}),
]


@pytest.mark.parametrize("method,path,body", MEMBER_SCOPED)
def test_without_the_member_header_nothing_is_answered(plain_client, method, path, body):
    response = plain_client.request(method, path, json=body, headers={"Idempotency-Key": "key-no-member"})
    assert response.status_code == 403
    assert response.json()["reason"] == "member_required"


@pytest.mark.parametrize("method,path,body", MEMBER_SCOPED)
def test_another_members_things_look_exactly_like_nothing(plain_client, method, path, body):
    as_james = plain_client.request(
        method, path, json=body, headers={"Idempotency-Key": "key-other-member", **acting_as(JAMES["member"])}
    )
    missing = plain_client.request(
        method,
        path.replace(MARIA["medical"], "0000000000").replace(MARIA["member"], "M999999"),
        json={**body, "account_number": "0000000000"} if path == "/payments" else body,
        headers={"Idempotency-Key": "key-no-such", **acting_as(JAMES["member"])},
    )
    assert as_james.status_code == missing.status_code == 404
    assert as_james.json() == missing.json() == {"reason": "not_found", "message": as_james.json()["message"]}


def test_an_unknown_member_in_the_header_is_not_found(plain_client):
    response = plain_client.get(f"/accounts/{MARIA['medical']}", headers=acting_as("M999999"))
    assert response.status_code == 404 and response.json()["reason"] == "not_found"


def test_a_member_cannot_pay_another_members_account_even_with_a_saved_card(plain_client, app):
    james_card = method_id(plain_client, JAMES["member"], "4444")
    response = pay(
        plain_client, MARIA["medical"], james_card, 1000, "key-james-pays-maria", member=JAMES["member"]
    )
    assert response.status_code == 404 and response.json()["reason"] == "not_found"
    with app.state.session_factory() as session:
        assert (
            session.execute(
                select(func.count()).select_from(Payment).where(Payment.amount_cents == 1000)
            ).scalar_one()
            == 0
        )


def test_a_receipt_is_only_the_owners(plain_client):
    visa = method_id(plain_client, MARIA["member"], "4242")
    confirmation = pay(plain_client, MARIA["medical"], visa, 1234, "key-receipt-owner").json()[
        "confirmation_number"
    ]
    own = plain_client.get(
        f"/accounts/{MARIA['medical']}/payments/{confirmation}", headers=acting_as(MARIA["member"])
    )
    assert own.status_code == 200
    other = plain_client.get(
        f"/accounts/{MARIA['medical']}/payments/{confirmation}", headers=acting_as(ROBERT["member"])
    )
    assert other.status_code == 404 and other.json()["reason"] == "not_found"


def test_a_payment_link_for_another_members_account_is_not_made(plain_client):
    response = plain_client.post(
        f"/members/{MARIA['member']}/payment-links",
        json={"account_number": JAMES["medical"]},
        headers=acting_as(MARIA["member"]),
    )
    assert response.status_code == 404 and response.json()["reason"] == "not_found"


def test_requests_that_act_for_nobody_need_no_member(plain_client):
    assert (
        plain_client.post(
            "/verify",
            json={
                "account_number": MARIA["medical"],
                "date_of_birth": MARIA["dob"],
                "zip_code": MARIA["zip"],
            },
        ).status_code
        == 200
    )
    assert (
        plain_client.post(
            "/guest/lookup", json={"account_number": JAMES["medical"], "last_name": "Carter"}
        ).status_code
        == 200
    )
    assert (
        plain_client.post(
            "/handoffs", json={"conversation_id": "c-1", "reason": "requested", "summary": "wants a person"}
        ).status_code
        == 201
    )
    assert plain_client.get("/handoffs").status_code == 200
    assert plain_client.post("/autopay/runs", json={"run_date": "2026-11-22"}).status_code == 200
    assert plain_client.get("/health").status_code == 200
