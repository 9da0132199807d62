"""PostgreSQL restarts (connections cut, as in a crash) while the billing service, on two workers, is
paying and reading for members: requests caught by it are answered 503 (never 500) and retried with their
key, and no payment is lost or doubled: every payment a member was told succeeded is recorded once, and
nothing else was charged. Restarted again while the service is idle, the next requests succeed the first
time: the pool checks a connection before use."""

from __future__ import annotations

import asyncio
import threading
import uuid

import httpx
import pytest

from tests import demo_members as demo
from tests.faults.services import BillingProcess, ThrowawayPostgres

MEMBER, MEDICAL = demo.MARIA["member"], demo.MARIA["medical"]
ACTING = {"X-Member-Number": MEMBER}
MEMBERS = 12
CENTS = 10


@pytest.fixture
def billing_on_own_postgres(tmp_path):
    postgres = ThrowawayPostgres()
    try:
        postgres.start()
        billing = BillingProcess(postgres.url, tmp_path / "billing.log", workers=2)
        billing.seed()
        billing.start()
        try:
            yield postgres, billing
        finally:
            billing.stop()
    finally:
        postgres.remove()


async def _pay_until_answered(http: httpx.AsyncClient, method_id: int, told: dict[str, str]) -> None:
    """One member paying, as the action does: the same key again until the service answers."""
    key = f"read-back-{uuid.uuid4().hex}"
    body = {"account_number": MEDICAL, "payment_method_id": method_id, "amount_cents": CENTS}
    for _ in range(60):
        try:
            response = await http.post("/payments", json=body, headers={**ACTING, "Idempotency-Key": key})
        except httpx.TransportError:
            response = None
        if response is not None and response.status_code in (200, 201):
            told[key] = response.json()["status"]
            return
        assert response is None or response.status_code == 503, response.text  # never a 500
        await asyncio.sleep(0.1)
    raise AssertionError(f"{key} never answered")


async def _member_loop(http: httpx.AsyncClient, method_id: int, told: dict[str, str], stop: asyncio.Event):
    while not stop.is_set():
        await _pay_until_answered(http, method_id, told)
        try:
            await http.get(f"/members/{MEMBER}", headers=ACTING)
        except httpx.TransportError:
            pass


def test_postgres_restarted_under_load_loses_and_doubles_nothing(billing_on_own_postgres):
    postgres, billing = billing_on_own_postgres

    async def scenario() -> tuple[dict[str, str], list[httpx.Response], list[dict]]:
        told: dict[str, str] = {}
        async with httpx.AsyncClient(base_url=billing.url, timeout=15) as http:
            method_id = (await http.get(f"/members/{MEMBER}/payment-methods", headers=ACTING)).json()[0]["id"]
            stop = asyncio.Event()
            members = [asyncio.create_task(_member_loop(http, method_id, told, stop)) for _ in range(MEMBERS)]
            await asyncio.sleep(1.5)
            restarted = threading.Thread(target=postgres.restart)
            restarted.start()
            while restarted.is_alive():
                await asyncio.sleep(0.05)
            await asyncio.sleep(1.0)
            stop.set()
            await asyncio.gather(*members)
            # Restarted again while idle: every pooled connection is dead, yet each request is answered
            # the first time (the pool tests a connection before handing it out).
            await asyncio.to_thread(postgres.restart)
            after = await asyncio.gather(
                *(http.get(f"/members/{MEMBER}", headers=ACTING) for _ in range(MEMBERS)),
                *(
                    http.post(
                        "/payments",
                        json={
                            "account_number": MEDICAL,
                            "payment_method_id": method_id,
                            "amount_cents": CENTS,
                        },
                        headers={**ACTING, "Idempotency-Key": f"after-restart-{n}"},
                    )
                    for n in range(MEMBERS)
                ),
            )
            async with httpx.AsyncClient(base_url=billing.url) as fresh:
                history = (await fresh.get(f"/accounts/{MEDICAL}/payments", headers=ACTING)).json()
        return told, list(after), history

    told, after, history = asyncio.run(scenario())

    assert [r.status_code for r in after] == [200] * MEMBERS + [201] * MEMBERS
    ours = [p for p in history if p["amount_cents"] == CENTS]
    succeeded = [p for p in ours if p["status"] == "succeeded"]
    told_succeeded = [key for key, status in told.items() if status == "succeeded"]
    assert len(told) > MEMBERS  # the load ran on both sides of the restart
    # Each payment told succeeded is recorded once; nothing else was charged (a payment cut off at the
    # restart between its charge and its record stays pending, never paid twice, and was told so).
    assert len(succeeded) == len(told_succeeded) + MEMBERS
    assert len([p for p in ours if p["status"] == "pending"]) == list(told.values()).count("pending")
    assert len(ours) == len(told) + MEMBERS
