import uuid

from sqlalchemy import select

from billing_service.models import Lockout
from tests.demo import JAMES, MARIA


def verify(client, client_id=None, **fields):
    """A verification attempt; each from a new client unless named.

    (The member's own counter is under test.)"""
    return client.post("/verify", json=fields, headers={"X-Client-Id": client_id or uuid.uuid4().hex})


def test_account_number_dob_and_zip_verify_the_member(client):
    response = verify(
        client, account_number=MARIA["medical"], date_of_birth=MARIA["dob"], zip_code=MARIA["zip"]
    )
    assert response.status_code == 200
    body = response.json()
    assert body["first_name"] == "Maria"
    assert {a["account_number"] for a in body["accounts"]} == {MARIA["medical"], MARIA["premium"]}


def test_medical_record_number_verifies_too(client):
    response = verify(
        client, medical_record_number=MARIA["mrn"], date_of_birth=MARIA["dob"], zip_code="94612-1234"
    )
    assert response.status_code == 200
    assert response.json()["member_number"] == MARIA["member"]


def test_a_wrong_answer_does_not_say_which_factor_failed(client):
    wrong_dob = verify(
        client, account_number=MARIA["medical"], date_of_birth="1985-04-13", zip_code=MARIA["zip"]
    )
    wrong_zip = verify(client, account_number=MARIA["medical"], date_of_birth=MARIA["dob"], zip_code="94613")
    unknown = verify(client, account_number="9999999999", date_of_birth=MARIA["dob"], zip_code=MARIA["zip"])
    assert wrong_dob.status_code == wrong_zip.status_code == unknown.status_code == 401
    assert wrong_dob.json() == wrong_zip.json() == unknown.json()
    assert wrong_dob.json()["reason"] == "verification_failed"


def test_five_failures_lock_the_account_even_for_the_right_answer(client, app, clock):
    for _ in range(4):
        assert (
            verify(
                client, account_number=JAMES["medical"], date_of_birth="2000-01-01", zip_code=JAMES["zip"]
            ).status_code
            == 401
        )
        clock.advance(minutes=1)
    fifth = verify(client, account_number=JAMES["medical"], date_of_birth="2000-01-01", zip_code=JAMES["zip"])
    assert fifth.status_code == 429
    assert fifth.json()["reason"] == "verification_locked"
    assert int(fifth.headers["Retry-After"]) > 0
    right = verify(client, account_number=JAMES["medical"], date_of_birth=JAMES["dob"], zip_code=JAMES["zip"])
    assert right.status_code == 429
    with app.state.session_factory() as session:
        locks = session.execute(select(Lockout)).scalars().all()
    assert len(locks) == 1
    # Other accounts are not affected.
    assert (
        verify(
            client, account_number=MARIA["medical"], date_of_birth=MARIA["dob"], zip_code=MARIA["zip"]
        ).status_code
        == 200
    )


def test_the_lock_lifts_after_a_while(client, clock):
    for _ in range(5):
        verify(client, account_number=JAMES["medical"], date_of_birth="2000-01-01", zip_code=JAMES["zip"])
    clock.advance(minutes=31)
    right = verify(client, account_number=JAMES["medical"], date_of_birth=JAMES["dob"], zip_code=JAMES["zip"])
    assert right.status_code == 200


def test_failures_spread_beyond_fifteen_minutes_do_not_lock(client, clock):
    for _ in range(8):
        assert (
            verify(
                client, account_number=JAMES["medical"], date_of_birth="2000-01-01", zip_code=JAMES["zip"]
            ).status_code
            == 401
        )
        clock.advance(minutes=4)


def test_identifier_rules_are_checked(client):
    both = verify(
        client,
        account_number=MARIA["medical"],
        medical_record_number=MARIA["mrn"],
        date_of_birth=MARIA["dob"],
        zip_code=MARIA["zip"],
    )
    neither = verify(client, date_of_birth=MARIA["dob"], zip_code=MARIA["zip"])
    bad_date = verify(
        client, account_number=MARIA["medical"], date_of_birth="1985-02-30", zip_code=MARIA["zip"]
    )
    bad_zip = verify(client, account_number=MARIA["medical"], date_of_birth=MARIA["dob"], zip_code="ABCDE")
    for response in (both, neither, bad_date, bad_zip):
        assert response.status_code == 422
        assert response.json()["reason"] == "invalid_request"
