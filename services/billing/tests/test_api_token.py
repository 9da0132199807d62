from fastapi.testclient import TestClient

from billing_service.app import create_app
from billing_service.payment_page import create_pages_app


def test_with_a_token_configured_the_api_needs_it_and_the_payment_page_does_not(settings, clock, app):
    # `app` has seeded the database these settings name.
    secured = create_app(settings.copy(update={"api_token": "s3cret"}), clock=clock)
    with TestClient(secured) as client:
        maria = {"X-Member-Number": "M100001"}
        assert client.get("/accounts/2000100001", headers=maria).status_code == 401
        assert (
            client.get("/accounts/2000100001", headers={"Authorization": "Bearer wrong", **maria}).status_code
            == 401
        )
        ok = client.get("/accounts/2000100001", headers={"Authorization": "Bearer s3cret", **maria})
        assert ok.status_code == 200 and ok.json()["balance_cents"] == 14090
        link = client.post(
            "/members/M100001/payment-links", json={}, headers={"Authorization": "Bearer s3cret", **maria}
        ).json()["url"]
        assert client.get("/health").status_code == 200
    pages = create_pages_app(settings.copy(update={"api_token": "s3cret"}), clock=clock)
    with TestClient(pages, base_url="http://billing.test") as browser:
        assert browser.get(link.replace("http://billing.test", "")).status_code == 200
