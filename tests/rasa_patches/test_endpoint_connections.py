"""Rasa's calls to the action server over kept-alive connections
(assistant/rasa_patches/endpoint_connections.py): a call that cannot have reached the action server is sent
again, one that may have reached it never is."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import ClientResponseError, EndpointConfig

from assistant.rasa_patches import endpoint_connections
from assistant.rasa_patches.endpoint_connections import RasaChangedError
from tests.processes import free_port

ANSWER = {"events": [{"event": "slot", "name": "balance_cents", "value": 4250}], "responses": []}
Reply = Callable[[int, dict[str, Any]], Awaitable[tuple[int, dict[str, Any]] | None]]


class ActionServer:
    """A bare HTTP/1.1 server: it records each whole request it got, on which connection, and answers
    as the test says (None: drop the connection without an answer)."""

    def __init__(self, reply: Reply | None = None, close_after_headers: int = 0) -> None:
        self.reply = reply
        self.close_after_headers = close_after_headers  # the first N connections: close once headers are in
        self.requests: list[tuple[int, dict[str, Any]]] = []
        self.connections = 0
        self.server: asyncio.AbstractServer | None = None
        self.handlers: set[asyncio.Task[Any]] = set()
        self.port = 0

    async def start(self, port: int = 0) -> ActionServer:
        self.server = await asyncio.start_server(self._serve, "127.0.0.1", port)
        self.port = self.server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        assert self.server is not None
        self.server.close()
        for handler in self.handlers:
            handler.cancel()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.handlers.add(asyncio.current_task())  # type: ignore[arg-type]
        self.connections += 1
        connection = self.connections
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                if connection <= self.close_after_headers:
                    return  # the body is still on its way: closing now, the request never ran
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length")
                )
                body = json.loads(await reader.readexactly(length))
                self.requests.append((connection, body))
                answer = await self.reply(connection, body) if self.reply else (200, ANSWER)
                if answer is None:
                    return
                status, content = answer
                data = json.dumps(content).encode()
                writer.write(
                    f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(data)}\r\n\r\n".encode()
                    + data
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        finally:
            writer.close()


async def run_action(url: str, tracker: DialogueStateTracker | None = None) -> list[Any]:
    action = RemoteAction("action_pay", EndpointConfig(url, headers={"Authorization": "Bearer secret"}))
    return await action.run(
        CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator({}),
        tracker or DialogueStateTracker("member", slots=[]),
        Domain.empty(),
    )


async def test_calls_share_one_kept_alive_connection() -> None:
    server = await ActionServer().start()

    for _ in range(3):
        events = await run_action(server.url)
        assert events == [SlotSet("balance_cents", 4250)]

    assert [connection for connection, _ in server.requests] == [1, 1, 1]
    await server.stop()


async def test_the_call_carries_rasas_request_as_before() -> None:
    server = await ActionServer().start()

    await run_action(server.url)

    (_, body), *_ = server.requests
    assert body["next_action"] == "action_pay"
    assert body["sender_id"] == "member"
    await server.stop()


async def test_the_body_holds_the_same_json_values_as_json_dumps_wrote() -> None:
    # Written by ujson now: what the action server reads must be what json.dumps gave it before.
    server = await ActionServer().start()
    sent = {
        "text": 'J\u00fcrgen\'s b\u00e9b\u00e9 \U0001f600 pays https://pay.example/a?b=1 "now"\n',
        "amount": 0.1 + 0.2,
        "big": 10**20,
        "nested": [{"1": None, "ok": True}, []],
        2: "a number key",
    }

    await EndpointConfig(server.url).request(json=sent)

    (_, body), *_ = server.requests
    assert body == json.loads(json.dumps(sent))
    await server.stop()


async def test_a_call_made_while_the_action_server_restarts_runs_once_it_is_back() -> None:
    port = free_port()
    server = ActionServer()
    # Nothing listens at first (connections refused), then the server comes back.
    starting = asyncio.get_running_loop().call_later(0.1, lambda: asyncio.ensure_future(server.start(port)))

    events = await run_action(f"http://127.0.0.1:{port}/webhook")

    assert events == [SlotSet("balance_cents", 4250)]
    assert len(server.requests) == 1
    starting.cancel()
    await server.stop()


@pytest.mark.filterwarnings("ignore::ResourceWarning")
async def test_a_connection_closed_before_the_request_was_in_is_retried_on_a_new_one() -> None:
    # A tracker big enough that the body cannot all be in the socket's buffers when the server closes.
    tracker = DialogueStateTracker("member", slots=[])
    tracker.update(SlotSet("notes", "x" * 32_000_000))
    server = await ActionServer(close_after_headers=1).start()

    events = await run_action(server.url, tracker)

    assert events == [SlotSet("balance_cents", 4250)]
    assert [connection for connection, _ in server.requests] == [2]
    await server.stop()


async def test_a_call_the_action_server_got_is_never_sent_again() -> None:
    async def take_and_drop(_: int, __: dict[str, Any]) -> None:
        return None  # the action ran (a payment, say), then the connection died before the answer

    server = await ActionServer(take_and_drop).start()

    with pytest.raises(RasaException):
        await run_action(server.url)

    assert len(server.requests) == 1
    await server.stop()


async def test_an_action_that_times_out_is_not_sent_again() -> None:
    async def slow(_: int, __: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        await asyncio.sleep(5)
        return 200, ANSWER

    server = await ActionServer(slow).start()

    with pytest.raises(asyncio.TimeoutError):
        await EndpointConfig(server.url).request(json={"next_action": "action_pay"}, timeout=0.3)

    assert len(server.requests) == 1
    await server.stop()


async def test_a_rejection_reaches_rasa_as_a_rejection_and_is_not_repeated() -> None:
    async def reject(_: int, __: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 400, {"action_name": "action_pay", "error": "no"}

    server = await ActionServer(reject).start()

    with pytest.raises(ActionExecutionRejection):
        await run_action(server.url)

    assert len(server.requests) == 1
    await server.stop()


async def test_an_error_status_is_rasas_error_with_the_body() -> None:
    async def fail(_: int, __: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        return 500, {"error": "the action failed"}

    server = await ActionServer(fail).start()

    with pytest.raises(ClientResponseError) as failed:
        await EndpointConfig(server.url).request(json={"next_action": "action_pay"})

    assert failed.value.status == 500
    assert json.loads(failed.value.text) == {"error": "the action failed"}
    assert len(server.requests) == 1
    await server.stop()


async def test_an_unreachable_action_server_fails_the_call_after_a_short_wait() -> None:
    with pytest.raises(aiohttp.ClientConnectorError):
        await EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook").request(json={})


def test_a_rasa_whose_request_changed_shape_stops_the_install() -> None:
    class UpgradedEndpointConfig:
        async def request(self, method: str = "post", **kwargs: Any) -> Any:
            return None

    with pytest.raises(RasaChangedError, match="request"):
        endpoint_connections.install(UpgradedEndpointConfig)


def test_the_installed_request_is_the_pooled_one() -> None:
    assert EndpointConfig.request is endpoint_connections.request


async def test_the_server_shutting_down_closes_the_pooled_connections() -> None:
    import rasa.core.run

    server = await ActionServer().start()
    await run_action(server.url)
    session = endpoint_connections.pooled_session()

    app = type("App", (), {"ctx": type("Ctx", (), {})()})()  # a Sanic app with no agent loaded
    await rasa.core.run.close_resources(app, asyncio.get_running_loop())

    assert session.closed
    await server.stop()
