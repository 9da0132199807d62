"""Concurrent requests against a real server: the balance is never overdrawn, a key never charges twice."""

from __future__ import annotations

import httpx
import pytest
from pydantic import ValidationError

from billing_service.settings import BillingSettings
from tests.demo import ACCOUNT_OWNERS, DAVID, MARIA, acting_as, method_id
from tests.simultaneous import post_at_once, send_at_once


def _pay_concurrently(url, bodies_and_keys):
    return post_at_once(
        url,
        [
            ("/payments", body, {"Idempotency-Key": key, **acting_as(ACCOUNT_OWNERS[body["account_number"]])})
            for body, key in bodies_and_keys
        ],
    )


def test_concurrent_payments_never_exceed_the_balance(server_url):
    with httpx.Client(base_url=server_url) as http:
        visa = method_id(http, MARIA["member"], "4242")
    # Each is 60% of the balance: any two together would overdraw it.
    amount = MARIA["medical_balance"] * 6 // 10
    body = {"account_number": MARIA["medical"], "payment_method_id": visa, "amount_cents": amount}
    responses = _pay_concurrently(server_url, [(body, f"key-race-{i:03d}") for i in range(8)])
    succeeded = [r for r in responses if r.status_code == 201 and r.json()["status"] == "succeeded"]
    refused = [r for r in responses if r.status_code == 422]
    assert len(succeeded) == 1
    assert len(refused) == 7 and {r.json()["reason"] for r in refused} == {"amount_exceeds_balance"}
    with httpx.Client(base_url=server_url) as http:
        assert (
            http.get(f"/accounts/{MARIA['medical']}", headers=acting_as(MARIA["member"])).json()[
                "balance_cents"
            ]
            == MARIA["medical_balance"] - amount
        )


def test_concurrent_retries_with_one_key_charge_once(server_url):
    with httpx.Client(base_url=server_url) as http:
        bank = method_id(http, DAVID["member"], "6789")
    body = {"account_number": DAVID["medical"], "payment_method_id": bank, "amount_cents": 10000}
    responses = _pay_concurrently(server_url, [(body, "key-same-for-all") for _ in range(6)])
    assert sorted(r.status_code for r in responses) == [200] * 5 + [201]
    assert len({r.json()["confirmation_number"] for r in responses}) == 1
    with httpx.Client(base_url=server_url) as http:
        david = acting_as(DAVID["member"])
        history = http.get(f"/accounts/{DAVID['medical']}/payments", headers=david).json()
        assert [p["amount_cents"] for p in history] == [10000]
        assert (
            http.get(f"/accounts/{DAVID['medical']}", headers=david).json()["balance_cents"]
            == DAVID["balance"] - 10000
        )


def test_a_burst_larger_than_the_thread_pool_is_answered(server_url):
    """More requests at once than the 40 threads that run the routes: verifications (writes) and reads
    of the profile all get their answer. Unadmitted, such a burst held every thread waiting for the
    connections and the lock the others held: 'database is locked' or a pool timeout after 30 s."""
    maria = acting_as(MARIA["member"])
    verify = {"account_number": MARIA["medical"], "date_of_birth": MARIA["dob"], "zip_code": MARIA["zip"]}
    requests = [("/verify", verify, {"X-Client-Id": f"conversation-{n}"}) for n in range(50)]
    requests += [(f"/members/{MARIA['member']}", None, maria) for _ in range(30)]
    responses = send_at_once(server_url, requests, timeout=25)
    assert [r.status_code for r in responses] == [200] * 80
    assert {r.json()["member_number"] for r in responses} == {MARIA["member"]}


def test_admitting_more_requests_than_pooled_connections_is_refused_at_start():
    with pytest.raises(ValidationError, match="BILLING_CONCURRENT_REQUESTS must not exceed"):
        BillingSettings(concurrent_requests=20, db_pool_size=8, db_max_overflow=8)
    with pytest.raises(ValidationError):
        BillingSettings(concurrent_requests=40, db_pool_size=40, db_max_overflow=0)  # all the route threads
    # The API and the payment pages admit that many each, on one process's 40 threads: 20 + 20 jams it.
    with pytest.raises(ValidationError, match="share the process's 40 route threads"):
        BillingSettings(concurrent_requests=20, db_pool_size=20, db_max_overflow=0)
    assert (
        BillingSettings(concurrent_requests=19, db_pool_size=19, db_max_overflow=0).concurrent_requests == 19
    )
