"""Rasa's calls to its HTTP endpoints (the action server above all) over pooled keep-alive connections,
retried only when the request cannot have reached the server.

Rasa 3.6's `EndpointConfig.request` opens a new `aiohttp.ClientSession`, so a new TCP connection, for every
action call. Here one session per event loop keeps connections open for reuse and drops them after
RASA_IDLE_CONNECTION_SECONDS, before the action server closes them (assistant/action_server_keep_alive.py).

The retry. An action call may move money, open a case, hand off, or count a verification attempt: a call
that may have reached the action server is never repeated, whatever went wrong after (a lost response, a
timeout, a dropped connection). Only a call whose request provably did not reach it is sent again: the
connection could not be made, or it failed before the whole body was handed to the socket (Sanic runs the
action only once the whole body is in). That is a call with no side effect, so any action may be retried.
A member's own second "yes" to a payment is covered differently: the read-back's idempotency key.

The body (the whole tracker and the domain) is written by ujson, already in Rasa's dependencies: three
times faster than json.dumps on it, which was 5-6% of the Rasa process's CPU under load (README,
Performance). Same JSON values; only the whitespace between them differs.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import ssl
import weakref
from typing import Any

import aiohttp
import rasa.core.run
import ujson
from aiohttp import payload
from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT
from rasa.shared.exceptions import FileNotFoundException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig, concat_url

from ..action_server_keep_alive import RASA_IDLE_CONNECTION_SECONDS

PATCHED_ATTRIBUTE = "request"
EXPECTED_PARAMETERS = ["self", "method", "subpath", "content_type", "compress", "kwargs"]
# Attempts for a request that never reached the server: enough to ride over an action server restart's
# refused connections, short enough that the member is not kept waiting.
ATTEMPTS = 3
RETRY_DELAY_SECONDS = 0.25

_sessions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, aiohttp.ClientSession] = (
    weakref.WeakKeyDictionary()
)


class RasaChangedError(RuntimeError):
    """The Rasa code this patch replaces is not where, or not what, it was written for."""


class _TrackedJsonBody(payload.JsonPayload):
    """A JSON body that knows whether all of it was handed to the connection."""

    handed_over = False

    async def write(self, writer: Any) -> None:
        await super().write(writer)
        self.handed_over = True


def _dumps(value: Any) -> str:
    """json.dumps's values (non-ASCII escaped, "/" left as is) at ujson's speed."""
    return ujson.dumps(value, ensure_ascii=True, escape_forward_slashes=False)


def pooled_session() -> aiohttp.ClientSession:
    """This event loop's session (one per loop: a session cannot cross loops)."""
    loop = asyncio.get_running_loop()
    session = _sessions.get(loop)
    if session is None or session.closed:
        connector = aiohttp.TCPConnector(keepalive_timeout=RASA_IDLE_CONNECTION_SECONDS)
        session = aiohttp.ClientSession(
            connector=connector, timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT)
        )
        _sessions[loop] = session
    return session


async def close_sessions() -> None:
    """Closes this event loop's session (tests, and a server that stops)."""
    session = _sessions.pop(asyncio.get_running_loop(), None)
    if session is not None:
        await session.close()


def _never_reached_server(error: aiohttp.ClientError, body: _TrackedJsonBody | None) -> bool:
    if isinstance(error, aiohttp.ClientConnectorError):
        return True  # no connection, nothing sent
    if isinstance(error, aiohttp.ServerTimeoutError | ClientResponseError | aiohttp.ClientResponseError):
        return False
    return isinstance(error, aiohttp.ClientConnectionError) and body is not None and not body.handed_over


async def request(
    self: EndpointConfig,
    method: str = "post",
    subpath: str | None = None,
    content_type: str | None = "application/json",
    compress: bool = False,
    **kwargs: Any,
) -> Any:
    """Rasa's `EndpointConfig.request` (same headers, parameters, errors and result) on a pooled session."""
    headers = {}
    if content_type:
        headers["Content-Type"] = content_type
    headers.update(kwargs.pop("headers", None) or {})
    headers.update(self.headers)
    url = concat_url(self.url, subpath)
    sslcontext = None
    if self.cafile:
        try:
            sslcontext = ssl.create_default_context(cafile=self.cafile)
        except FileNotFoundError as e:
            raise FileNotFoundException(
                f"Failed to find certificate file, '{os.path.abspath(self.cafile)}' does not exist."
            ) from e
    auth = (
        aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
        if self.basic_auth
        else None
    )
    params = self.combine_parameters(kwargs)
    body_json = kwargs.pop("json", None)

    for attempt in range(1, ATTEMPTS + 1):
        # A fresh body each attempt: it records whether this attempt handed all of it over.
        body = _TrackedJsonBody(body_json, dumps=_dumps) if body_json is not None else None
        try:
            async with pooled_session().request(
                method,
                url,
                headers=headers,
                params=params,
                compress=compress,
                ssl=sslcontext,
                auth=auth,
                **({"data": body} if body is not None else {}),
                **kwargs,
            ) as response:
                if response.status >= 400:
                    raise ClientResponseError(response.status, response.reason, await response.content.read())
                try:
                    return await response.json()
                except aiohttp.ContentTypeError:
                    return None
        except aiohttp.ClientError as error:
            if attempt == ATTEMPTS or not _never_reached_server(error, body):
                raise
        await asyncio.sleep(RETRY_DELAY_SECONDS * attempt)


async def _close_resources_and_sessions(app: Any, loop: asyncio.AbstractEventLoop) -> None:
    await _rasas_close_resources(app, loop)
    await close_sessions()


_rasas_close_resources = rasa.core.run.close_resources


def install(target: type = EndpointConfig) -> None:
    """Replaces `EndpointConfig.request`; raises RasaChangedError when it is not there as expected. The
    server's shutdown (Rasa's `close_resources`, run after the server stops) also closes the pool."""
    current = target.__dict__.get(PATCHED_ATTRIBUTE)
    if current is request:
        return
    if (
        not inspect.iscoroutinefunction(current)
        or list(inspect.signature(current).parameters) != EXPECTED_PARAMETERS
    ):
        raise RasaChangedError(
            f"{target.__module__}.{target.__qualname__}.{PATCHED_ATTRIBUTE} is gone or changed: "
            "check whether Rasa still opens a session per call, then update or drop "
            "assistant/rasa_patches/endpoint_connections.py"
        )
    setattr(target, PATCHED_ATTRIBUTE, request)
    if target is EndpointConfig:
        rasa.core.run.close_resources = _close_resources_and_sessions
