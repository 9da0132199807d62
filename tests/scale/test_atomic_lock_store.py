"""The atomic Redis lock store against Rasa's own, on the local Redis: replicas issuing tickets for one
conversation at the same moment."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest
import redis
from rasa.core.lock_store import LockError, RedisLockStore

from assistant import redis_lock_store
from assistant.redis_lock_store import AtomicRedisLockStore

pytestmark = pytest.mark.redis
REPLICAS = 4
TICKETS_EACH = 50


def store(kind: type[RedisLockStore]) -> RedisLockStore:
    return kind(host="127.0.0.1", port=6379, db=1, key_prefix="locktest")


def issue_from_replicas(kind: type[RedisLockStore], conversation: str) -> tuple[list[int], int]:
    """Each replica (own store, own connection) issues tickets as fast as it can, all starting together:
    the numbers handed out, and how many tickets the lock holds afterwards."""
    replicas = [store(kind) for _ in range(REPLICAS)]
    issued: list[int] = []
    start = threading.Barrier(REPLICAS)

    def issue(replica: RedisLockStore) -> None:
        start.wait()
        for _ in range(TICKETS_EACH):
            issued.append(replica.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=issue, args=(replica,)) for replica in replicas]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    lock = replicas[0].get_lock(conversation)
    replicas[0].delete_lock(conversation)
    return issued, len(lock.tickets) if lock else 0


@pytest.mark.parametrize(
    "kind",
    [
        pytest.param(
            RedisLockStore,
            # Measured: 4 replicas x 50 tickets lose about 40% of them (two replicas read the same lock and
            # write back the same next number). Strict: if Rasa fixes its store, this says so.
            marks=pytest.mark.xfail(strict=True, reason="Rasa's read-modify-write loses concurrent tickets"),
        ),
        AtomicRedisLockStore,
    ],
)
def test_concurrent_replicas_each_get_their_own_ticket(redis_available, kind):
    issued, held = issue_from_replicas(kind, f"race-{uuid.uuid4().hex}")
    assert len(issued) == REPLICAS * TICKETS_EACH
    assert len(set(issued)) == len(issued), "the same ticket number was handed out twice"
    assert held == len(issued), "tickets were lost from the lock"


async def test_messages_of_one_conversation_are_served_in_arrival_order(redis_available):
    replicas = [store(AtomicRedisLockStore) for _ in range(3)]
    conversation = f"order-{uuid.uuid4().hex}"
    served: list[str] = []
    inside = 0

    async def handle(replica: RedisLockStore, name: str, arrives_after: float) -> None:
        nonlocal inside
        await asyncio.sleep(arrives_after)
        async with replica.lock(conversation):
            inside += 1
            assert inside == 1, "two replicas handled the conversation at once"
            served.append(name)
            await asyncio.sleep(0.15)
            inside -= 1

    await asyncio.gather(*(handle(replicas[i % 3], f"m{i}", i * 0.03) for i in range(6)))
    assert served == [f"m{i}" for i in range(6)]
    # Nothing is left in Redis once every message is served.
    assert replicas[0].red.keys(f"{replicas[0].key_prefix}*{conversation}") == []


async def test_an_expired_ticket_lets_the_next_message_in_and_is_refused_itself(redis_available):
    replica, other = store(AtomicRedisLockStore), store(AtomicRedisLockStore)
    conversation = f"expiry-{uuid.uuid4().hex}"
    # A replica that died holding the lock: its ticket expires, and the next message is served.
    replica.issue_ticket(conversation, 0.2)
    async with other.lock(conversation, lock_lifetime=5):
        assert other.get_lock(conversation).now_serving == 2
    # A ticket that expired while waiting is refused rather than served out of turn.
    first = replica.issue_ticket(conversation, 5)
    late = other.issue_ticket(conversation, 0.1)
    await asyncio.sleep(0.2)
    with pytest.raises(LockError):
        await other._acquire_lock(conversation, late, 0.01)
    replica.cleanup(conversation, first)
    assert replica.get_lock(conversation) is None


async def test_a_live_replica_keeps_its_lease_past_its_length_and_a_dead_ones_lapses(
    redis_available, monkeypatch
):
    monkeypatch.setattr(redis_lock_store, "LEASE_SECONDS", 0.3)
    holder, waiter = store(AtomicRedisLockStore), store(AtomicRedisLockStore)
    conversation = f"lease-{uuid.uuid4().hex}"
    order: list[str] = []

    async def hold() -> None:
        async with holder.lock(conversation, lock_lifetime=10):
            order.append("holder in")
            await asyncio.sleep(1.0)  # three leases long: renewed all along
            order.append("holder out")

    async def wait() -> None:
        await asyncio.sleep(0.1)
        async with waiter.lock(conversation, lock_lifetime=10):
            order.append("waiter in")

    await asyncio.gather(hold(), wait())
    assert order == ["holder in", "holder out", "waiter in"]
    # A replica that died holding the conversation (its lease never renewed) blocks it one lease, not the
    # lock's whole lifetime.
    holder.issue_ticket(conversation, 0.3)
    started = asyncio.get_running_loop().time()
    async with waiter.lock(conversation, lock_lifetime=10):
        assert asyncio.get_running_loop().time() - started < 2


async def test_a_failed_renewal_is_tried_again_and_the_lease_holds(redis_available, monkeypatch):
    # One Redis error while renewing (a reconnect) must not end the renewing unseen: the holder keeps its
    # turn for as long as it handles its message.
    monkeypatch.setattr(redis_lock_store, "LEASE_SECONDS", 0.3)
    holder, waiter = store(AtomicRedisLockStore), store(AtomicRedisLockStore)
    renew, failures = holder._renew, []

    def flaky_renew(*args, **kwargs):
        if not failures:
            failures.append(1)
            raise redis.ConnectionError("connection reset")
        return renew(*args, **kwargs)

    holder._renew = flaky_renew
    conversation = f"flaky-{uuid.uuid4().hex}"
    order: list[str] = []

    async def hold() -> None:
        async with holder.lock(conversation, lock_lifetime=10):
            order.append("holder in")
            await asyncio.sleep(1.0)
            order.append("holder out")

    async def wait() -> None:
        await asyncio.sleep(0.1)
        async with waiter.lock(conversation, lock_lifetime=10):
            order.append("waiter in")

    await asyncio.gather(hold(), wait())
    assert failures == [1]
    assert order == ["holder in", "holder out", "waiter in"]


@pytest.mark.parametrize("conversation", ["+15105550100", "web-3f9c", "odd{id}with}braces"])
def test_a_conversations_keys_share_one_redis_cluster_slot(conversation):
    # Its scripts touch both keys at once; on Redis Cluster keys of two slots are refused (CROSSSLOT).
    from redis.crc import key_slot

    keys = AtomicRedisLockStore._keys(store(AtomicRedisLockStore), conversation)
    assert len({key_slot(key.encode()) for key in keys}) == 1, keys
