"""With the database unreachable the API says so (503, try again), never a bare 500."""

from fastapi.testclient import TestClient

from billing_service.app import create_app
from billing_service.settings import BillingSettings
from tests.demo import MARIA, acting_as


def test_an_unreachable_database_is_a_503_to_retry():
    # Port 1: nothing listens there, so every connection is refused at once.
    settings = BillingSettings(
        database_url="postgresql://postgres@127.0.0.1:1/billing", allowed_hosts="testserver"
    )
    with TestClient(create_app(settings)) as client:
        read = client.get(f"/members/{MARIA['member']}", headers=acting_as(MARIA["member"]))
        verify = client.post(
            "/verify",
            json={
                "account_number": MARIA["medical"],
                "date_of_birth": MARIA["dob"],
                "zip_code": MARIA["zip"],
            },
        )
    for response in (read, verify):
        assert response.status_code == 503
        assert response.json()["reason"] == "database_unavailable"
        assert response.headers["Retry-After"] == "1"


def test_a_database_error_never_carries_the_statements_values():
    # The 503 handler logs the error: a payment-link token or account number bound into the statement must
    # not be in it.
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from billing_service.db import make_engine

    engine = make_engine("sqlite://")
    with engine.connect() as connection:
        try:
            connection.execute(
                text("SELECT * FROM no_such_table WHERE token = :token"), {"token": "pl_secret123"}
            )
        except OperationalError as error:
            assert "pl_secret123" not in str(error)
        else:
            raise AssertionError("the statement should have failed")
