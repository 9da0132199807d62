"""How many requests a process works on at once.

The routes are synchronous: FastAPI runs each request's dependencies, route and response validation as
separate steps in one shared thread pool (40 threads), and a request holds its database session, and on
SQLite the write lock, across those steps. Unbounded, a burst of requests fills every thread with
requests waiting for a pooled connection or for SQLite's lock, while the requests holding them wait for a
thread to finish in: nothing moves until a timeout ("database is locked", "QueuePool limit ... reached").
Admitting fewer requests than there are threads and pooled connections keeps every admitted request able
to finish; the rest wait here, in arrival order, holding nothing. The database's locks still guard every
balance and counter; this only keeps the process from jamming.
"""

from __future__ import annotations

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send


class Admission:
    def __init__(self, app: ASGIApp, *, concurrent_requests: int) -> None:
        self.app = app
        self._slots = anyio.Semaphore(concurrent_requests)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self._slots:
            await self.app(scope, receive, send)
