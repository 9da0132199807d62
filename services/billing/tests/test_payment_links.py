import re

from sqlalchemy import inspect, text

from tests.demo import JAMES, MARIA, method_id


def new_link(client, member=MARIA["member"]):
    response = client.post(f"/members/{member}/payment-links", json={})
    assert response.status_code == 201
    url = response.json()["url"]
    assert url.startswith("http://billing.test/pay/")
    return url.replace("http://billing.test", "")


CARD = {
    "kind": "card",
    "card_number": "5555 5555 5555 4444",
    "exp_month": "7",
    "exp_year": "2030",
    "cvc": "321",
}


def test_a_card_entered_on_the_page_is_saved_as_a_token(client, pages_client, app):
    path = new_link(client)
    page = pages_client.get(path)
    assert page.status_code == 200
    assert 'autocomplete="cc-number"' in page.text
    assert page.headers["cache-control"] == "no-store"
    done = pages_client.post(path, data=CARD)
    assert done.status_code == 200
    assert "Mastercard ending 4444 is saved" in done.text
    displays = [m["display"] for m in client.get(f"/members/{MARIA['member']}/payment-methods").json()]
    assert "Mastercard ending 4444" in displays
    # The full number is nowhere in the database.
    with app.state.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(text(f"SELECT * FROM {table}")):
                assert "5555555555554444" not in " ".join(str(v) for v in row)


def test_a_link_works_once(client, pages_client):
    path = new_link(client)
    pages_client.post(path, data=CARD)
    again = pages_client.get(path)
    assert again.status_code == 410
    assert "already been used" in again.text
    assert pages_client.post(path, data=CARD).status_code == 410


def test_a_link_expires(client, pages_client, clock):
    path = new_link(client)
    clock.advance(minutes=31)
    response = pages_client.get(path)
    assert response.status_code == 410 and "expired" in response.text


def test_an_unknown_link_is_404(client, pages_client):
    assert pages_client.get("/pay/not-a-real-token").status_code == 404


def test_a_bad_card_number_is_explained_and_the_link_stays_usable(client, pages_client):
    path = new_link(client)
    bad = pages_client.post(path, data={**CARD, "card_number": "4242 4242 4242 4241"})
    assert bad.status_code == 422
    assert "card number is not valid" in bad.text
    assert "4242 4242 4242 4241" not in bad.text
    assert pages_client.post(path, data=CARD).status_code == 200


def test_a_bank_account_can_be_saved(client, pages_client):
    path = new_link(client)
    done = pages_client.post(
        path, data={"kind": "bank", "routing_number": "021000021", "bank_account_number": "000123456789"}
    )
    assert done.status_code == 200
    assert "JPMorgan Chase ending 6789" in done.text
    bad = pages_client.post(
        new_link(client),
        data={"kind": "bank", "routing_number": "123456789", "bank_account_number": "000123456789"},
    )
    assert bad.status_code == 422 and "routing number is not valid" in bad.text


def test_a_saved_card_can_pay_afterwards(client, pages_client):
    pages_client.post(new_link(client), data=CARD)
    card = method_id(client, MARIA["member"], "4444")
    response = client.post(
        "/payments",
        json={"account_number": MARIA["medical"], "payment_method_id": card, "amount_cents": 1000},
        headers={"Idempotency-Key": "key-new-card"},
    )
    assert response.json()["status"] == "succeeded"


# --- guest payers ---------------------------------------------------------------------


def test_a_guest_learns_the_amount_due_and_nothing_else(client):
    response = client.post("/guest/lookup", json={"account_number": JAMES["medical"], "last_name": "carter"})
    assert response.status_code == 200
    assert response.json() == {
        "account_number": JAMES["medical"],
        "amount_due_cents": JAMES["balance"],
        "due_date": "2026-12-10",
    }
    by_birth = client.post(
        "/guest/lookup", json={"account_number": JAMES["medical"], "date_of_birth": JAMES["dob"]}
    )
    assert by_birth.status_code == 200


def test_a_guest_with_the_wrong_name_learns_nothing(client):
    response = client.post("/guest/lookup", json={"account_number": JAMES["medical"], "last_name": "Smith"})
    assert response.status_code == 401
    assert "amount_due_cents" not in response.json()


def test_guest_guesses_count_toward_the_lockout(client):
    for _ in range(5):
        response = client.post(
            "/guest/lookup", json={"account_number": JAMES["medical"], "last_name": "Smith"}
        )
    assert response.status_code == 429


def test_a_guest_pays_through_the_secure_page(client, pages_client):
    link = client.post(
        "/guest/payment-links", json={"account_number": JAMES["medical"], "last_name": "Carter"}
    )
    assert link.status_code == 201
    path = link.json()["url"].replace("http://billing.test", "")
    page = pages_client.get(path)
    assert "amount due $84.40" in page.text
    too_much = pages_client.post(path, data={**CARD, "amount": "84.41"})
    assert too_much.status_code == 422
    done = pages_client.post(path, data={**CARD, "amount": "50.00"})
    assert done.status_code == 200
    assert re.search(r"payment of \$50\.00 was received\. Confirmation number KP[0-9A-F]{10}", done.text)
    assert client.get(f"/accounts/{JAMES['medical']}").json()["balance_cents"] == JAMES["balance"] - 5000
    # The guest's card does not join the member's wallet.
    displays = [m["display"] for m in client.get(f"/members/{JAMES['member']}/payment-methods").json()]
    assert displays == ["Mastercard ending 4444"]
    assert pages_client.get(path).status_code == 410


def test_a_guest_decline_takes_no_money_and_allows_another_try(client, pages_client):
    path = (
        client.post("/guest/payment-links", json={"account_number": JAMES["medical"], "last_name": "Carter"})
        .json()["url"]
        .replace("http://billing.test", "")
    )
    declined = pages_client.post(path, data={**CARD, "card_number": "4000000000000002", "amount": "20"})
    assert "did not go through" in declined.text
    assert client.get(f"/accounts/{JAMES['medical']}").json()["balance_cents"] == JAMES["balance"]
    assert "was received" in pages_client.post(path, data={**CARD, "amount": "20"}).text
