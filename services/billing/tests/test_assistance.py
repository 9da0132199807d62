"""The financial-assistance pre-screen: household income against the plan's share of the poverty guideline."""

from fastapi.testclient import TestClient

from billing_service.app import create_app
from billing_service.settings import BillingSettings


def prescreen(client, household_size, annual_income_cents):
    return client.post(
        "/assistance/prescreen",
        json={"household_size": household_size, "annual_income_cents": annual_income_cents},
    )


def test_income_within_the_limit_may_qualify_above_it_may_not(plain_client):
    # 400% of HHS 2024's guideline: $15,060 for one person plus $5,380 for each additional person.
    family = prescreen(plain_client, 4, 4_200_000).json()
    assert family == {
        "household_size": 4,
        "annual_income_cents": 4_200_000,
        "income_limit_cents": 12_480_000,
        "within_guideline": True,
    }
    alone = prescreen(plain_client, 1, 50_000_000).json()
    assert (alone["income_limit_cents"], alone["within_guideline"]) == (6_024_000, False)
    assert prescreen(plain_client, 1, 6_024_000).json()["within_guideline"] is True  # at the limit


def test_the_limit_is_the_plans_setting(settings, monkeypatch):
    monkeypatch.setenv("BILLING_FA_POVERTY_PERCENT", "200")
    monkeypatch.setenv("BILLING_FA_POVERTY_BASE_CENTS", "1000000")
    from_environment = BillingSettings(
        database_url=settings.database_url, allowed_hosts=settings.allowed_hosts
    )
    app = create_app(from_environment)
    with TestClient(app) as client:
        assert prescreen(client, 1, 2_000_000).json()["income_limit_cents"] == 2_000_000
    app.state.engine.dispose()


def test_a_household_or_income_that_cannot_be_is_refused_with_a_reason(plain_client):
    for size, income in ((0, 100), (21, 100), (2, -1), ("two", 100), (2, "35k"), (2, 10**13)):
        response = prescreen(plain_client, size, income)
        assert response.status_code == 422 and response.json()["reason"] == "invalid_request"
