from tests.demo import JAMES, MARIA, ROBERT


def test_a_handoff_is_recorded_with_a_masked_summary_and_queued(client):
    first = client.post(
        "/handoffs",
        json={
            "conversation_id": "conv-1",
            "member_number": MARIA["member"],
            "reason": "requested",
            "summary": "Wants to pay with card 4242 4242 4242 4242",
        },
    )
    assert first.status_code == 201
    assert first.json()["summary"] == "Wants to pay with card [card number ending 4242 removed]"
    assert first.json()["open_ahead"] == 0
    second = client.post(
        "/handoffs",
        json={
            "conversation_id": "conv-2",
            "reason": "misunderstood",
            "summary": "Two messages not understood",
        },
    )
    assert second.json()["open_ahead"] == 1 and second.json()["member_number"] is None
    queue = client.get("/handoffs", params={"status": "open"}).json()
    assert [c["conversation_id"] for c in queue] == ["conv-1", "conv-2"]


def test_a_closed_handoff_leaves_the_queue(client):
    case = client.post(
        "/handoffs", json={"conversation_id": "conv-3", "reason": "requested", "summary": "Wants a person"}
    ).json()
    closed = client.post(f"/handoffs/{case['id']}/close")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.post(f"/handoffs/{case['id']}/close").status_code == 200  # twice changes nothing
    assert case["id"] not in [c["id"] for c in client.get("/handoffs", params={"status": "open"}).json()]
    assert client.post("/handoffs/999999/close").status_code == 404
    assert client.post("/handoffs/0/close").status_code == 422


def test_a_handoff_needs_a_known_reason(client):
    response = client.post("/handoffs", json={"conversation_id": "c", "reason": "bored", "summary": "x"})
    assert response.status_code == 422


def test_a_dispute_records_the_disputed_line(client):
    line = client.get(f"/accounts/{MARIA['medical']}/statements").json()[0]["lines"][2]
    response = client.post(
        f"/accounts/{MARIA['medical']}/disputes",
        json={"statement_line_id": line["id"], "reason": "I never had an X-ray"},
    )
    assert response.status_code == 201
    case = response.json()
    assert (case["kind"], case["account_number"], case["status"]) == ("dispute", MARIA["medical"], "open")
    assert "Chest X-ray, two views (71046)" in case["summary"] and "I never had an X-ray" in case["summary"]


def test_a_dispute_of_another_accounts_line_is_404(client):
    response = client.post(
        f"/accounts/{JAMES['medical']}/disputes", json={"statement_line_id": 1, "reason": "x"}
    )
    assert response.status_code == 404 and response.json()["reason"] == "not_found"


def test_a_due_date_extension_is_requested_once(client):
    first = client.post(
        f"/accounts/{JAMES['medical']}/due-date-extensions", json={"reason": "payday is the 5th"}
    )
    assert first.status_code == 201 and first.json()["kind"] == "due_date_extension"
    again = client.post(f"/accounts/{JAMES['medical']}/due-date-extensions", json={})
    assert again.status_code == 409 and again.json()["reason"] == "extension_pending"
    nothing = client.post(f"/accounts/{ROBERT['medical']}/due-date-extensions", json={})
    assert nothing.status_code == 422 and nothing.json()["reason"] == "nothing_owed"


def test_a_dispute_reason_is_masked_like_a_handoff_summary(client):
    line = client.get(f"/accounts/{MARIA['medical']}/statements").json()[0]["lines"][0]
    response = client.post(
        f"/accounts/{MARIA['medical']}/disputes",
        json={"statement_line_id": line["id"], "reason": "I paid with 4242 4242 4242 4242"},
    )
    assert response.status_code == 201
    assert "4242 4242 4242 4242" not in response.json()["summary"]
    assert "card number ending 4242 removed" in response.json()["summary"]
