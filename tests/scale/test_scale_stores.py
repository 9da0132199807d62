"""The scale configuration: conversations in PostgreSQL, one replica at a time per conversation via Redis."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest
from rasa.core.lock_store import LockStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.redis_lock_store import AtomicRedisLockStore
from assistant.tracker_store import RedactingSQLTrackerStore
from postgres_for_tests import drop_postgres_database, fresh_postgres_database

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.redis
async def test_two_replicas_take_turns_on_one_conversation(redis_available, monkeypatch):
    monkeypatch.setenv("REDIS_HOST", "127.0.0.1")
    monkeypatch.setenv("REDIS_PORT", "6379")
    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "scale-test-token")
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.scale.yml"))
    assert endpoints.action.headers == {"Authorization": "Bearer scale-test-token"}
    replicas = [LockStore.create(endpoints.lock_store) for _ in range(2)]
    assert all(isinstance(store, AtomicRedisLockStore) for store in replicas)
    # The configured prefix is used (Rasa silently falls back to its default for a prefix it dislikes).
    assert all(store.key_prefix.startswith("billingassistant:") for store in replicas)
    order = []

    async def handle(store, name):
        async with store.lock("conversation-scale-1", wait_time_in_seconds=0.02):
            order.append(f"{name} starts")
            await asyncio.sleep(0.3)
            order.append(f"{name} ends")

    await asyncio.gather(handle(replicas[0], "a"), handle(replicas[1], "b"))
    assert order in (
        ["a starts", "a ends", "b starts", "b ends"],
        ["b starts", "b ends", "a starts", "a ends"],
    )


def test_a_conversation_lock_outlives_the_longest_action_call():
    # Rasa reads the lock lifetime when its lock store module is imported: check it in a fresh interpreter.
    check = (
        "import assistant.rasa_server as server; server.apply_runtime_defaults(); "
        "from rasa.core.lock_store import LOCK_LIFETIME; "
        "from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT; "
        "print(LOCK_LIFETIME, DEFAULT_REQUEST_TIMEOUT)"
    )
    env = {k: v for k, v in os.environ.items() if k != "TICKET_LOCK_LIFETIME"}
    lifetime, action_timeout = subprocess.run(
        [sys.executable, "-c", check], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert int(lifetime) > int(action_timeout)


@pytest.mark.postgres
async def test_conversations_survive_a_restart_on_postgresql(monkeypatch):
    url = fresh_postgres_database("tracker_test")
    try:
        monkeypatch.setenv("TRACKER_DATABASE_URL", url)
        first = RedactingSQLTrackerStore(domain=Domain.empty())
        await first.save(
            DialogueStateTracker.from_events(
                "conv-pg", [UserUttered("my ssn is 123-45-6789"), UserUttered("what's my balance")]
            )
        )
        first.engine.dispose()
        restarted = RedactingSQLTrackerStore(domain=Domain.empty())
        tracker = await restarted.retrieve("conv-pg")
        assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [
            "my ssn is [SSN removed]",
            "what's my balance",
        ]
        restarted.engine.dispose()
    finally:
        drop_postgres_database(url)
