"""Server-sent events: an event each time something the page shows has changed, checked every
`app.state.sse_interval` seconds (tests stop a stream after `app.state.sse_ticks` checks)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

from fastapi import Request
from fastapi.responses import StreamingResponse


def event_stream(request: Request, event: str, probe: Callable[[], Awaitable[str]]) -> StreamingResponse:
    """`probe` returns a fingerprint of what the page shows; a new fingerprint sends `event`."""
    return StreamingResponse(
        _changes(request, event, probe),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _changes(request: Request, event: str, probe: Callable[[], Awaitable[str]]) -> AsyncIterator[str]:
    state = request.app.state
    last = None
    ticks = 0
    yield "retry: 3000\n\n"
    while state.sse_ticks is None or ticks < state.sse_ticks:
        ticks += 1
        fingerprint = await probe()
        if fingerprint != last:
            last = fingerprint
            yield f"event: {event}\ndata: {fingerprint[:40]}\n\n"
        if await request.is_disconnected():
            return
        await asyncio.sleep(state.sse_interval)
