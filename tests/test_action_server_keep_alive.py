"""Rasa and the action server agree on idle connections (assistant/action_server_keep_alive.py): the action
server keeps a quiet connection open longer than Rasa does, and longer than a loaded Rasa may take between
opening a connection and writing its request (issue 11's "Cannot write to closing transport")."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import pytest

from assistant.action_server_keep_alive import ACTION_SERVER_KEEP_ALIVE_SECONDS, RASA_IDLE_CONNECTION_SECONDS
from tests.processes import free_port, wait_for

# Sanic's default keep-alive timeout, which closed such connections.
SANIC_DEFAULT_KEEP_ALIVE_SECONDS = 5


@pytest.fixture(scope="module")
def action_server(tmp_path_factory: pytest.TempPathFactory) -> object:
    port = free_port()
    env = {
        **os.environ,
        "ACTION_SERVER_TOKEN": "keep-alive-test-token",
        "IDENTITY_TOKEN_SECRET": "keep-alive-test-identity-secret",
        "ACTIONS_PORT": str(port),
        "BILLING_URL": "http://127.0.0.1:9",
    }
    log = tmp_path_factory.mktemp("actions") / "actions.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.action_server"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process, timeout=60)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_rasa_drops_an_idle_connection_before_the_action_server_does() -> None:
    assert RASA_IDLE_CONNECTION_SECONDS < ACTION_SERVER_KEEP_ALIVE_SECONDS


def test_a_connection_whose_request_comes_late_is_still_answered(action_server: int) -> None:
    with socket.create_connection(("127.0.0.1", action_server), timeout=10) as connection:
        # As a Rasa whose event loop is busy: connected, but the request is written seconds later.
        time.sleep(SANIC_DEFAULT_KEEP_ALIVE_SECONDS + 1.5)
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: actions\r\n\r\n")
        answer = connection.recv(1000)

    assert answer.startswith(b"HTTP/1.1 200")


def test_an_idle_connection_carries_a_second_call(action_server: int) -> None:
    with socket.create_connection(("127.0.0.1", action_server), timeout=10) as connection:
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: actions\r\n\r\n")
        first = connection.recv(1000)
        time.sleep(SANIC_DEFAULT_KEEP_ALIVE_SECONDS + 1.5)
        connection.sendall(b"GET /health HTTP/1.1\r\nHost: actions\r\n\r\n")
        second = connection.recv(1000)

    assert first.startswith(b"HTTP/1.1 200")
    assert second.startswith(b"HTTP/1.1 200")
