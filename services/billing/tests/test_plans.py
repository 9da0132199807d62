import datetime as dt

from tests.demo import DAVID, JAMES


def test_a_large_balance_is_offered_three_to_twelve_months_at_no_interest(client):
    offer = client.get(f"/accounts/{DAVID['medical']}/payment-plan-eligibility").json()
    assert offer["eligible"] is True and offer["interest_rate_percent"] == 0
    assert [o["months"] for o in offer["options"]] == list(range(3, 13))
    assert {o["months"]: o["monthly_cents"] for o in offer["options"]}[
        12
    ] == 20417  # 2450.00 / 12, rounded up


def test_a_small_balance_is_not_eligible(client):
    offer = client.get(f"/accounts/{JAMES['medical']}/payment-plan-eligibility").json()
    assert (offer["eligible"], offer["reason"], offer["options"]) == (False, "balance_below_minimum", [])
    response = client.post(f"/accounts/{JAMES['medical']}/payment-plans", json={"months": 3})
    assert response.status_code == 422 and response.json()["reason"] == "balance_below_minimum"


def test_creating_a_plan_records_a_schedule_that_adds_up(client):
    response = client.post(f"/accounts/{DAVID['medical']}/payment-plans", json={"months": 7})
    assert response.status_code == 201
    plan = response.json()
    installments = plan["installments"]
    assert len(installments) == 7
    assert sum(i["amount_cents"] for i in installments) == plan["total_cents"] == DAVID["balance"]
    assert max(i["amount_cents"] for i in installments) - min(i["amount_cents"] for i in installments) <= 1
    assert [i["due_date"] for i in installments][:3] == ["2026-12-22", "2027-01-22", "2027-02-22"]
    again = client.post(f"/accounts/{DAVID['medical']}/payment-plans", json={"months": 6})
    assert again.status_code == 409 and again.json()["reason"] == "plan_exists"


def test_a_term_outside_the_offer_is_refused(client):
    for months in (2, 13):
        response = client.post(f"/accounts/{DAVID['medical']}/payment-plans", json={"months": months})
        assert response.status_code == 422 and response.json()["reason"] == "invalid_term"
    assert (
        client.post(f"/accounts/{DAVID['medical']}/payment-plans", json={"months": "six"}).status_code == 422
    )


def test_each_term_says_when_its_first_payment_falls_due_as_the_plan_then_schedules_it(client, clock):
    clock.now = dt.datetime(2027, 1, 31, 10, 0)  # the service's clock: no February 31st, so the 28th
    offer = client.get(f"/accounts/{DAVID['medical']}/payment-plan-eligibility").json()
    assert {o["first_due_date"] for o in offer["options"]} == {"2027-02-28"}
    plan = client.post(f"/accounts/{DAVID['medical']}/payment-plans", json={"months": 4}).json()
    assert [i["due_date"] for i in plan["installments"]] == [
        "2027-02-28",
        "2027-03-31",
        "2027-04-30",
        "2027-05-31",
    ]
