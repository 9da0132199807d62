"""Which processes a bench run measures (assistant/bench/processes.py): a running stack's found by the port
it listens on or by words of its command line, never the bench itself, with their CPU and memory; make
run-cluster's found from its own settings."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from assistant.bench.processes import find, usage
from assistant.bench.stack import cluster_stack, free_port

SERVER = """
import socket, sys, time
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
print("listening", flush=True)
time.sleep(60)
"""


@pytest.fixture
def server() -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port), "bench-test-marker"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "listening"
    yield process, port
    process.kill()
    process.wait()


def test_a_process_is_found_by_the_port_it_listens_on(server: tuple[subprocess.Popen[str], int]) -> None:
    process, port = server

    found = find({"server": [f":{port}"], "nobody": [f":{free_port()}"]})

    assert found == {"server": {process.pid}, "nobody": set()}


def test_a_process_is_found_by_words_of_its_command_line_but_the_bench_never_is(
    server: tuple[subprocess.Popen[str], int],
) -> None:
    process, _ = server

    # This test's own command line may hold the words too (pytest -k ...): only the server matches.
    assert find({"server": ["bench-test-marker"]}) == {"server": {process.pid}}


def test_cpu_and_peak_memory_are_read_for_each_label(server: tuple[subprocess.Popen[str], int]) -> None:
    process, _ = server

    sampled = usage({"server": {process.pid}, "gone": {2**22 + 1}})

    assert set(sampled) == {"server"}
    assert sampled["server"]["processes"] == 1 and sampled["server"]["peak_rss_mb"] > 1
    assert sampled["server"]["cpu_seconds"] >= 0


def test_the_cluster_target_is_make_run_cluster_s_own_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_SITE_PORT", "28180")
    monkeypatch.setenv("CLUSTER_FIRST_RASA_PORT", "28005")
    monkeypatch.setenv("CLUSTER_RASA_REPLICAS", "3")
    monkeypatch.setenv("CLUSTER_DATABASE_PREFIX", "bench_test")

    stack = cluster_stack()

    assert stack.rasa_url == "http://localhost:28180"
    assert stack.billing_database_url.endswith("/bench_test_billing")
    assert stack.process_specs["rasa"] == [":28005", ":28006", ":28007"]
    assert stack.process_specs["nginx"] == [":28180"]
