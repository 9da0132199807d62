"""How many requests a process works on at once, and, on SQLite, one writing request at a time.

The routes are synchronous: FastAPI runs each request's dependencies, route and response validation as
separate steps in one shared thread pool (40 threads), and a request holds its database session, and on
SQLite the write lock, across those steps. Unbounded, a burst of requests fills every thread with
requests waiting for a pooled connection or for SQLite's lock, while the requests holding them wait for a
thread to finish in: nothing moves until a timeout ("database is locked", "QueuePool limit ... reached").
Admitting fewer requests than there are threads and pooled connections keeps every admitted request able
to finish; the rest wait here, in arrival order, holding nothing.

On SQLite, writing requests also queue for one in-process turn before they start, instead of polling
SQLite's lock with sleeps from many threads. Across worker processes SQLite's own lock (busy_timeout)
still decides; this only orders one process's writers. Nothing here is needed for correctness: the
database's locks still guard every balance and counter.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

READ_METHODS = {"GET", "HEAD", "OPTIONS"}


class Admission:
    def __init__(self, app: ASGIApp, *, concurrent_requests: int, one_writer: bool) -> None:
        self.app = app
        self._slots = anyio.Semaphore(concurrent_requests)
        self._writer = anyio.Lock() if one_writer else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._writer is not None and scope["method"] not in READ_METHODS:
            # The writer's turn first, then a slot: queued writers never take the slots readers need.
            async with self._writer, self._slots:
                await self.app(scope, receive, send)
            return
        async with self._slots:
            await self.app(scope, receive, send)
