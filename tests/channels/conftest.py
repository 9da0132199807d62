"""A channel's Sanic blueprint served in-process (ASGI), and the databases channel state lives in."""

from __future__ import annotations

import asyncio
import itertools

import httpx
import pytest
from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Sanic

from postgres_for_tests import drop_postgres_database, fresh_postgres_database

_app_names = itertools.count()


class ChannelServer:
    """The messages the channel handed to Rasa, and an HTTP client for its webhook."""

    def __init__(self, client: httpx.AsyncClient, received: list[UserMessage]):
        self.client = client
        self.received = received


@pytest.fixture
async def serve_channel(monkeypatch):
    """serve_channel(channel, reply=...) -> ChannelServer; `reply(message)` is the bot's answer text."""
    opened = []
    # What sanic-testing does: Sanic rewrites its own methods on start-up, which fails for a second app
    # in one process unless it runs in test mode.
    monkeypatch.setattr(Sanic, "test_mode", True)

    async def serve(
        channel: InputChannel, reply=lambda message: f"you said: {message.text}"
    ) -> ChannelServer:
        received: list[UserMessage] = []

        async def on_new_message(message: UserMessage) -> None:
            received.append(message)
            await message.output_channel.send_text_message(message.sender_id, reply(message))

        app = Sanic(f"channel_test_{next(_app_names)}")
        app.blueprint(channel.blueprint(on_new_message), url_prefix=f"/webhooks/{channel.url_prefix()}")
        # Sanic builds its routers on the ASGI lifespan startup, which httpx's transport does not send.
        inbox, outbox = asyncio.Queue(), asyncio.Queue()
        await inbox.put({"type": "lifespan.startup"})
        lifespan = asyncio.create_task(
            app({"type": "lifespan", "asgi": {"version": "3.0"}}, inbox.get, outbox.put)
        )
        assert (await asyncio.wait_for(outbox.get(), 10))["type"] == "lifespan.startup.complete"
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://rasa.test")
        opened.append((client, lifespan))
        return ChannelServer(client, received)

    yield serve
    for client, lifespan in opened:
        await client.aclose()
        lifespan.cancel()


@pytest.fixture
def postgres_database():
    url = fresh_postgres_database("channels_test")
    yield url
    drop_postgres_database(url)
