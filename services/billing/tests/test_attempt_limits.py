"""Limits where people type: one counter per member, one per client, and guests' look-ups; parallel
attempts cannot get past them (run on PostgreSQL as well as SQLite)."""

from __future__ import annotations

import uuid

import httpx

from tests.demo import DAVID, JAMES, LINDA, MARIA, ROBERT, SUSAN
from tests.simultaneous import post_at_once

WRONG_DOB = "2000-01-01"


def verify(client, client_id=None, **fields):
    return client.post("/verify", json=fields, headers={"X-Client-Id": client_id or uuid.uuid4().hex})


def test_account_and_record_numbers_share_one_counter_per_member(client):
    for _ in range(3):
        assert (
            verify(
                client, account_number=MARIA["medical"], date_of_birth=WRONG_DOB, zip_code=MARIA["zip"]
            ).status_code
            == 401
        )
    assert (
        verify(
            client, account_number=MARIA["premium"], date_of_birth=WRONG_DOB, zip_code=MARIA["zip"]
        ).status_code
        == 401
    )
    fifth = verify(client, medical_record_number=MARIA["mrn"], date_of_birth=WRONG_DOB, zip_code=MARIA["zip"])
    assert fifth.status_code == 429 and fifth.json()["reason"] == "verification_locked"
    right = verify(
        client, medical_record_number=MARIA["mrn"], date_of_birth=MARIA["dob"], zip_code=MARIA["zip"]
    )
    assert right.status_code == 429 and right.json()["reason"] == "verification_locked"


def test_a_client_gets_three_tries_however_it_asks(client, clock):
    conversation = "conversation-under-test"
    first = verify(
        client, conversation, account_number=JAMES["medical"], date_of_birth=WRONG_DOB, zip_code="20852"
    )
    clock.advance(minutes=5)  # the member asks again, or restarts the chat: same conversation id
    second = verify(
        client, conversation, medical_record_number="11000099", date_of_birth=WRONG_DOB, zip_code="20852"
    )
    third = verify(
        client, conversation, account_number=LINDA["premium"], date_of_birth=WRONG_DOB, zip_code="80203"
    )
    assert [first.status_code, second.status_code] == [401, 401]
    assert third.status_code == 429 and third.json()["reason"] == "too_many_attempts"
    assert 0 < int(third.headers["Retry-After"]) <= 30 * 60
    right = verify(
        client,
        conversation,
        account_number=MARIA["medical"],
        date_of_birth=MARIA["dob"],
        zip_code=MARIA["zip"],
    )
    assert right.status_code == 429 and right.json()["reason"] == "too_many_attempts"
    # Another conversation is not affected, and the first one may try again after the window.
    assert (
        verify(
            client,
            "another-conversation",
            account_number=MARIA["medical"],
            date_of_birth=MARIA["dob"],
            zip_code=MARIA["zip"],
        ).status_code
        == 200
    )
    clock.advance(minutes=31)
    assert (
        verify(
            client,
            conversation,
            account_number=MARIA["medical"],
            date_of_birth=MARIA["dob"],
            zip_code=MARIA["zip"],
        ).status_code
        == 200
    )


def test_without_a_client_id_the_peer_address_is_the_client(plain_client):
    statuses = [
        plain_client.post(
            "/verify", json={"account_number": account, "date_of_birth": WRONG_DOB, "zip_code": "99999"}
        ).status_code
        for account in (JAMES["medical"], LINDA["premium"], ROBERT["medical"])
    ]
    assert statuses == [401, 401, 429]


def test_guest_look_ups_are_limited_per_client(client):
    def lookup(account, last_name, who="guest-browser"):
        return client.post(
            "/guest/lookup",
            json={"account_number": account, "last_name": last_name},
            headers={"X-Client-Id": who},
        )

    # Walking account numbers: failures on different accounts add up for the client.
    statuses = [lookup(f"20009{n:05d}", "Smith").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 401, 429]
    assert lookup(JAMES["medical"], "Carter").json()["reason"] == "too_many_attempts"
    # Successful look-ups are counted too: ten an hour.
    answers = [lookup(JAMES["medical"], "Carter", "busy-payer").status_code for _ in range(11)]
    assert answers == [200] * 10 + [429]
    assert lookup(JAMES["medical"], "Carter", "someone-else").status_code == 200


def _in_parallel(url, requests):
    return post_at_once(url, [("/verify", body, {"X-Client-Id": client_id}) for body, client_id in requests])


def test_parallel_wrong_answers_cannot_exceed_the_member_limit(server_url, app):
    wrong = {"account_number": DAVID["medical"], "date_of_birth": WRONG_DOB, "zip_code": "97201"}
    responses = _in_parallel(server_url, [(wrong, f"attacker-{n}") for n in range(12)])
    statuses = sorted(r.status_code for r in responses)
    # Five failures lock the member: four are told "no", the fifth and everyone after are locked out.
    assert statuses == [401] * 4 + [429] * 8
    assert {r.json()["reason"] for r in responses if r.status_code == 429} == {"verification_locked"}
    with httpx.Client(base_url=server_url) as http:
        right = http.post(
            "/verify", json={**wrong, "date_of_birth": "1979-03-08"}, headers={"X-Client-Id": "new"}
        )
    assert right.status_code == 429


def test_parallel_wrong_answers_cannot_exceed_the_client_limit(server_url):
    accounts = [
        MARIA["medical"],
        MARIA["premium"],
        JAMES["medical"],
        LINDA["premium"],
        ROBERT["medical"],
        SUSAN["medical"],
        DAVID["medical"],
        "2000900001",
    ]
    requests = [
        ({"account_number": account, "date_of_birth": WRONG_DOB, "zip_code": "00000"}, "one-chat")
        for account in accounts
    ]
    responses = _in_parallel(server_url, requests)
    assert sorted(r.status_code for r in responses) == [401] * 2 + [429] * 6
    assert {r.json()["reason"] for r in responses if r.status_code == 429} == {"too_many_attempts"}
