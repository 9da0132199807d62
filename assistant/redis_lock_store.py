"""A Redis lock store whose tickets are handed out atomically, for several Rasa replicas on one Redis.

Rasa's RedisLockStore issues a ticket by reading the whole lock (GET), adding a ticket in Python and
writing it back (SET). Two replicas doing that at once both read the same lock: they get the same
ticket number, or one's ticket is overwritten by the other's write, and both handle the conversation at
the same time (events stored out of order or lost). Here every change is one Redis operation or one
Lua script, which Redis runs without interleaving:

- a conversation's tickets are a sorted set (member: ticket number, score: expiry in Redis' own clock,
  so replicas with drifting clocks agree on what has expired);
- ticket numbers come from INCR on a counter beside it;
- issuing, checking whose turn it is, and finishing each drop expired tickets first, inside the script;
- both keys expire with their latest ticket, so a crashed replica leaves nothing behind for long;
- a message's ticket is a lease of LEASE_SECONDS that its replica renews while the message waits or is
  handled (up to the lock lifetime, 330 s): a replica that dies holding a conversation blocks it for at
  most LEASE_SECONDS, not for the whole lock lifetime as with Rasa's fixed ticket lifetime.

endpoints.scale.yml:  lock_store: {type: assistant.redis_lock_store.AtomicRedisLockStore, url: ..., ...}
(the same settings as Rasa's `type: redis`).
"""

from __future__ import annotations

import asyncio
import collections
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import redis
from rasa.core import lock_store
from rasa.core.lock import Ticket, TicketLock
from rasa.core.lock_store import LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

log = logging.getLogger(__name__)

# How often a waiting message asks whether it is its turn (Rasa's default, 1 s, delays every message
# that arrives while its conversation is busy by up to a second).
POLL_SECONDS = 0.05
# A live replica renews its tickets every LEASE_SECONDS / 6: the lease survives an event loop that lags
# seconds under load, and a dead replica's conversations wait at most this long.
LEASE_SECONDS = 30.0

# Redis' clock in milliseconds, then the expired tickets dropped: the start of every script below.
_NOW_AND_PURGE = """
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
"""

# KEYS: tickets, counter; ARGV: lifetime in ms. Returns the new ticket's number.
_ISSUE = (
    _NOW_AND_PURGE
    + """
local lifetime = tonumber(ARGV[1])
local number = redis.call('INCR', KEYS[2])
redis.call('ZADD', KEYS[1], now + lifetime, number)
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < lifetime then redis.call('PEXPIRE', key, lifetime) end
end
return number
"""
)

# KEYS: tickets; ARGV: ticket. Returns {lowest live ticket or -1, 1 if ARGV's ticket is still live}.
_TURN = (
    _NOW_AND_PURGE
    + """
local lowest = -1
for _, member in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  local number = tonumber(member)
  if lowest == -1 or number < lowest then lowest = number end
end
local live = redis.call('ZSCORE', KEYS[1], ARGV[1]) and 1 or 0
return {lowest, live}
"""
)

# KEYS: tickets, counter; ARGV: ticket. Removes it; deletes both keys when nobody else holds a ticket.
_FINISH = (
    _NOW_AND_PURGE
    + """
redis.call('ZREM', KEYS[1], ARGV[1])
if redis.call('ZCARD', KEYS[1]) == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 1
end
return 0
"""
)

# KEYS: tickets, counter; ARGV: ticket, lease in ms. Extends a live ticket; 0 when it already expired.
_RENEW = (
    _NOW_AND_PURGE
    + """
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
local lease = tonumber(ARGV[2])
redis.call('ZADD', KEYS[1], 'XX', now + lease, ARGV[1])
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < lease then redis.call('PEXPIRE', key, lease) end
end
return 1
"""
)

# KEYS: tickets. Returns how many live tickets remain.
_PURGE = _NOW_AND_PURGE + "return redis.call('ZCARD', KEYS[1])\n"


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's ticket lock on Redis, with each step atomic (see the module's docstring)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, **settings: Any) -> None:
        # Rasa builds a custom lock store as cls(endpoint_config=...); the settings are RedisLockStore's.
        if endpoint_config is not None:
            settings = {"host": endpoint_config.url or "localhost", **endpoint_config.kwargs, **settings}
        super().__init__(**settings)
        self._issue = self.red.register_script(_ISSUE)
        self._turn = self.red.register_script(_TURN)
        self._finish = self.red.register_script(_FINISH)
        self._renew = self.red.register_script(_RENEW)
        self._purge = self.red.register_script(_PURGE)

    def _keys(self, conversation_id: str) -> list[str]:
        # The conversation id is a hash tag ({...}): on Redis Cluster both keys of a script live in one slot
        # (a script touching keys of two slots is refused with CROSSSLOT).
        tag = "{" + conversation_id + "}"
        return [f"{self.key_prefix}tickets:{tag}", f"{self.key_prefix}last:{tag}"]

    def issue_ticket(self, conversation_id: str, lock_lifetime: float | None = None) -> int:
        lifetime = lock_store.LOCK_LIFETIME if lock_lifetime is None else lock_lifetime
        try:
            return int(self._issue(keys=self._keys(conversation_id), args=[int(lifetime * 1000)]))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float | None = None,
        wait_time_in_seconds: float = POLL_SECONDS,
    ) -> AsyncIterator[TicketLock]:
        """Rasa's `async with lock_store.lock(conversation_id)`, with the ticket held as a renewed lease."""
        lifetime = lock_store.LOCK_LIFETIME if lock_lifetime is None else lock_lifetime
        lease = min(LEASE_SECONDS, lifetime)
        ticket = self.issue_ticket(conversation_id, lease)
        renewing = asyncio.create_task(self._keep_renewing(conversation_id, ticket, lease, lifetime))
        try:
            yield await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        finally:
            renewing.cancel()
            self.cleanup(conversation_id, ticket)

    async def _keep_renewing(self, conversation_id: str, ticket: int, lease: float, lifetime: float) -> None:
        until = time.monotonic() + lifetime
        while time.monotonic() + lease / 6 < until:
            await asyncio.sleep(lease / 6)
            remaining = min(lease, until - time.monotonic())
            try:
                renewed = self._renew(keys=self._keys(conversation_id), args=[ticket, int(remaining * 1000)])
            except redis.RedisError as error:
                # A blip (a reconnect, a failover): the lease still has time; try again at the next beat
                # rather than let the renewing stop unseen while the message is still being handled.
                log.warning(f"renewing a lock ticket failed ({type(error).__name__}); trying again")
                continue
            if not renewed:
                log.warning("the lock ticket of a conversation expired before its message was handled")
                return

    async def _acquire_lock(
        self, conversation_id: str, ticket: int, wait_time_in_seconds: float
    ) -> TicketLock:
        while True:
            lowest, live = self._turn(keys=self._keys(conversation_id)[:1], args=[ticket])
            if not live:
                raise LockError(
                    f"Could not acquire lock for conversation_id '{conversation_id}': its ticket expired."
                )
            if int(lowest) == ticket:
                return self.get_lock(conversation_id) or TicketLock(conversation_id)
            await asyncio.sleep(wait_time_in_seconds)

    def get_lock(self, conversation_id: str) -> TicketLock | None:
        """The live tickets, oldest first (a snapshot: deciding whose turn it is happens in Redis)."""
        tickets = self.red.zrange(self._keys(conversation_id)[0], 0, -1, withscores=True)
        if not tickets:
            return None
        ordered = sorted((int(number), expires / 1000) for number, expires in tickets)
        return TicketLock(conversation_id, collections.deque(Ticket(n, e) for n, e in ordered))

    def update_lock(self, conversation_id: str) -> None:
        self._purge(keys=self._keys(conversation_id)[:1])

    def is_someone_waiting(self, conversation_id: str) -> bool:
        return int(self._purge(keys=self._keys(conversation_id)[:1])) > 0

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._finish(keys=self._keys(conversation_id), args=[ticket_number])

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        # Finishing deletes the keys itself when no ticket is left, in the same script.
        self.finish_serving(conversation_id, ticket_number)

    def delete_lock(self, conversation_id: str) -> None:
        self._log_deletion(conversation_id, bool(self.red.delete(*self._keys(conversation_id))))

    def save_lock(self, lock: TicketLock) -> None:
        raise NotImplementedError(
            "AtomicRedisLockStore never writes a whole lock back (that is the race it avoids): "
            "tickets are issued and finished one at a time in Redis."
        )
