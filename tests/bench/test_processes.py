"""Which processes a bench run measures (assistant/bench/processes.py): a running stack's found by the port
it listens on or by words of its command line, never the bench itself, with their CPU and memory; make
run-cluster's found from its own settings."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from assistant.bench.processes import find, usage
from assistant.bench.stack import RunningStack, cluster_stack, free_port

SERVER = """
import socket, sys, time
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
print("listening", flush=True)
time.sleep(60)
"""
BURN = "import time\nend = time.process_time() + 0.5\nwhile time.process_time() < end: pass"
# A server that starts a worker when asked (a line on its input), as PostgreSQL forks one per connection;
# the worker burns half a second of CPU and ends, or sleeps until killed.
FORKING_SERVER = """
import socket, subprocess, sys, time
server = socket.socket()
server.bind(("127.0.0.1", int(sys.argv[1])))
server.listen()
print("listening", flush=True)
for line in sys.stdin:
    worker = subprocess.Popen([sys.executable, "-c", line.strip().encode().decode("unicode_escape")])
    if line.startswith("import time"):
        worker.wait()  # reaped: its CPU is now the server's children's
    print(worker.pid, flush=True)
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
    monkeypatch.setenv("CLUSTER_POSTGRES_URL", "postgresql://postgres@127.0.0.1:25432")
    monkeypatch.setenv("REDIS_PORT", "26379")

    stack = cluster_stack()

    assert stack.rasa_url == "http://localhost:28180"
    assert stack.billing_database_url.endswith("/bench_test_billing")
    assert stack.process_specs["rasa"] == [":28005", ":28006", ":28007"]
    assert stack.process_specs["nginx"] == [":28180"]
    # The stores' servers are sampled too: their CPU is part of what each message costs.
    assert stack.process_specs["postgres"] == [":25432"] and stack.process_specs["redis"] == [":26379"]


@pytest.fixture
def forking_server() -> Iterator[tuple[subprocess.Popen[str], int]]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", FORKING_SERVER, str(port)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "listening"
    yield process, port
    for pid in find({"server": [f":{port}"]})["server"] - {process.pid}:
        subprocess.run(["kill", str(pid)], check=False)
    process.kill()
    process.wait()


def ask_for_worker(server: subprocess.Popen[str], code: str) -> int:
    assert server.stdin is not None and server.stdout is not None
    server.stdin.write(code.encode("unicode_escape").decode() + "\n")
    server.stdin.flush()
    return int(server.stdout.readline())


def test_the_cpu_of_a_worker_that_ended_is_counted(forking_server: tuple[subprocess.Popen[str], int]) -> None:
    server, _ = forking_server
    before = usage({"server": {server.pid}})["server"]["cpu_seconds"]

    ask_for_worker(server, BURN)

    after = usage({"server": {server.pid}})["server"]["cpu_seconds"]
    assert after - before >= 0.4  # the worker's half second, though it is gone


def test_a_running_stack_counts_workers_started_after_it_was_found(
    forking_server: tuple[subprocess.Popen[str], int],
) -> None:
    server, port = forking_server
    stack = RunningStack("http://127.0.0.1:1", "sqlite://", {"server": [f":{port}"]})
    with stack.running():
        assert stack.process_groups()["server"] == {server.pid}

        worker = ask_for_worker(server, "import signal\nsignal.pause()")

        assert stack.process_groups()["server"] == {server.pid, worker}
