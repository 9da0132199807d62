"""The member-facing payment page: its own app, hardened headers, amounts that cannot break it, and links
that resist card testing."""

import inspect

import pytest

from billing_service.payment_page import router as pages_router
from tests.demo import JAMES, MARIA

CARD = {
    "kind": "card",
    "card_number": "5555 5555 5555 4444",
    "exp_month": "7",
    "exp_year": "2030",
    "cvc": "321",
}
DECLINING = {**CARD, "card_number": "4000000000000002"}


def guest_link(client):
    response = client.post(
        "/guest/payment-links", json={"account_number": JAMES["medical"], "last_name": "Carter"}
    )
    assert response.status_code == 201
    return response.json()["url"].replace("http://billing.test", "")


def member_link(client):
    return (
        client.post(f"/members/{MARIA['member']}/payment-links", json={})
        .json()["url"]
        .replace("http://billing.test", "")
    )


def test_the_page_and_the_api_are_apart(client, pages_client):
    path = member_link(client)
    assert client.get(path).status_code == 404  # the API has no payment page
    assert pages_client.get(path).status_code == 200
    for api_path in (f"/accounts/{MARIA['medical']}", "/openapi.json", "/docs"):
        assert pages_client.get(api_path, headers={"X-Member-Number": MARIA["member"]}).status_code == 404
    assert pages_client.post("/verify", json={}).status_code == 404
    assert client.get("/health").json() == pages_client.get("/health").json() == {"status": "ok"}


def test_every_page_is_sent_with_protective_headers(client, pages_client):
    for response in (pages_client.get(member_link(client)), pages_client.get("/pay/no-such-link")):
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
        assert "default-src 'none'" in response.headers["content-security-policy"]
        assert response.headers["referrer-policy"] == "no-referrer"
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"


def test_page_handlers_run_off_the_event_loop():
    # Plain functions: FastAPI runs them in its thread pool, so a slow database never stalls other members.
    handlers = [
        route.endpoint for route in pages_router.routes if getattr(route, "path", "").startswith("/pay/")
    ]
    assert handlers and not any(inspect.iscoroutinefunction(handler) for handler in handlers)


@pytest.mark.parametrize("amount", ["9e99", "1e3", "NaN", "-5", "Infinity", "12.345", "0x10", "1,00", "$"])
def test_amounts_that_are_not_dollars_and_cents_are_explained(client, pages_client, amount):
    path = guest_link(client)
    response = pages_client.post(path, data={**CARD, "amount": amount})
    assert response.status_code == 422
    assert "Enter the amount as dollars and cents" in response.text
    assert client.get(f"/accounts/{JAMES['medical']}").json()["balance_cents"] == JAMES["balance"]


def test_tiny_amounts_are_refused(client, pages_client):
    path = guest_link(client)
    response = pages_client.post(path, data={**CARD, "amount": "0.99"})
    assert response.status_code == 422 and "The smallest payment accepted here is $1.00" in response.text
    assert "was received" in pages_client.post(path, data={**CARD, "amount": "1.00"}).text


def test_a_link_burns_after_three_declines(client, pages_client):
    path = guest_link(client)
    first = pages_client.post(path, data={**DECLINING, "amount": "20"})
    second = pages_client.post(path, data={**DECLINING, "amount": "20"})
    assert "did not go through" in first.text and "can no longer be used" not in second.text
    third = pages_client.post(path, data={**DECLINING, "amount": "20"})
    assert "can no longer be used" in third.text
    page = pages_client.get(path)
    assert page.status_code == 410 and "can no longer be used after several declined payments" in page.text
    good_card = pages_client.post(path, data={**CARD, "amount": "20"})
    assert good_card.status_code == 410
    assert client.get(f"/accounts/{JAMES['medical']}").json()["balance_cents"] == JAMES["balance"]
