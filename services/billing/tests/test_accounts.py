from tests.demo import DAVID, LINDA, MARIA, ROBERT, SUSAN


def test_member_accounts_tell_medical_and_premium_apart(client):
    accounts = {a["account_number"]: a for a in client.get(f"/members/{MARIA['member']}").json()["accounts"]}
    medical, premium = accounts[MARIA["medical"]], accounts[MARIA["premium"]]
    assert medical["kind"] == "medical" and medical["balance_cents"] == MARIA["medical_balance"]
    assert premium["kind"] == "premium" and premium["coverage_type"] == "Individual - Exchange"
    assert premium["minimum_due_cents"] == premium["balance_cents"] == MARIA["premium_balance"]
    assert medical["due_date"] == "2026-12-08"


def test_a_member_who_owes_nothing_has_no_due_date(client):
    account = client.get(f"/accounts/{ROBERT['medical']}").json()
    assert account["balance_cents"] == 0
    assert account["minimum_due_cents"] == 0
    assert account["due_date"] is None


def test_statements_list_line_items_newest_first(client):
    statements = client.get(f"/accounts/{MARIA['medical']}/statements").json()
    assert len(statements) == 2
    latest = statements[0]
    assert latest["statement_date"] > statements[1]["statement_date"]
    assert latest["balance_due_cents"] == sum(line["member_owes_cents"] for line in latest["lines"])
    xray = next(line for line in latest["lines"] if line["procedure_code"] == "71046")
    assert (
        xray["charges_cents"] - xray["plan_paid_cents"] - xray["adjustments_cents"]
        == xray["member_owes_cents"]
    )
    one = client.get(f"/accounts/{MARIA['medical']}/statements/{latest['id']}")
    assert one.json() == latest


def test_a_statement_of_another_account_is_not_found(client):
    other = client.get(f"/accounts/{LINDA['premium']}/statements").json()[0]["id"]
    response = client.get(f"/accounts/{MARIA['medical']}/statements/{other}")
    assert response.status_code == 404
    assert response.json()["reason"] == "not_found"


def test_unknown_account_and_member_are_404_with_a_reason(client):
    acting = {"X-Member-Number": MARIA["member"]}
    assert client.get("/accounts/0000000000", headers=acting).json()["reason"] == "not_found"
    assert client.get("/members/M999999").status_code == 404


def test_paperless_preference_is_kept(client):
    response = client.put(f"/accounts/{MARIA['medical']}/paperless", json={"enabled": True})
    assert response.status_code == 200 and response.json()["paperless"] is True
    assert client.get(f"/accounts/{MARIA['medical']}").json()["paperless"] is True
    assert client.put(f"/accounts/{MARIA['medical']}/paperless", json={"enabled": "maybe"}).status_code == 422


def test_saved_methods_show_only_brand_and_last_four(client):
    methods = client.get(f"/members/{MARIA['member']}/payment-methods").json()
    assert [m["display"] for m in methods] == ["Visa ending 4242", "Sandbox Bank ending 6789"]
    assert all("token" not in key for m in methods for key in m)


def test_each_account_says_what_the_member_can_start_on_it(client):
    maria = {a["account_number"]: a for a in client.get(f"/members/{MARIA['member']}").json()["accounts"]}
    medical = maria[MARIA["medical"]]
    assert medical["can_pay"] is True and medical["autopay_enabled"] is False
    assert (medical["plan_eligible"], medical["plan_ineligible_reason"]) == (False, "balance_below_minimum")
    assert client.get(f"/accounts/{ROBERT['medical']}").json()["can_pay"] is False
    assert client.get(f"/accounts/{SUSAN['medical']}").json()["autopay_enabled"] is True
    large = client.get(f"/accounts/{DAVID['medical']}").json()
    assert (large["plan_eligible"], large["plan_ineligible_reason"]) == (True, None)
    assert client.post(f"/accounts/{DAVID['medical']}/payment-plans", json={"months": 6}).status_code == 201
    planned = client.get(f"/accounts/{DAVID['medical']}").json()
    assert (planned["plan_eligible"], planned["plan_ineligible_reason"]) == (False, "plan_exists")
