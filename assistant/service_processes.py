"""Running the project's services as child processes: start each and wait until it answers, watch them,
stop them all. Shared by `make run` (assistant/run.py) and `make run-cluster` (assistant/cluster)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from typing import IO

import httpx


@dataclasses.dataclass
class Service:
    name: str
    command: list[str]
    health_url: str
    public_url: str
    process: subprocess.Popen | None = None
    # Extra environment for this process only (a replica's port); the rest is shared.
    env: dict[str, str] = dataclasses.field(default_factory=dict)
    # Replicas of one part share a group and start side by side.
    group: str = ""


def wait_healthy(service: Service, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process is None or service.process.poll() is not None:
            return False
        try:
            if httpx.get(service.health_url, timeout=2).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def launch(service: Service, env: dict[str, str], output: IO | None = None) -> None:
    """Starts the service's process (again, after it stopped) without waiting for it."""
    service.process = subprocess.Popen(
        service.command,
        env={**env, **service.env},
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )


def start(
    services_to_start: list[Service],
    env: dict[str, str],
    *,
    output: IO | None = None,
    timeout: float = 600,
    running: list[Service] | None = None,
) -> list[Service]:
    """Starts them in order, each once the previous answers; neighbours of one `group` (replicas) start
    together. Pass `running` to have the services started so far in it even when one fails (so the caller
    can stop them)."""
    running = [] if running is None else running
    pending = list(services_to_start)
    while pending:
        batch = [pending.pop(0)]
        while batch[0].group and pending and pending[0].group == batch[0].group:
            batch.append(pending.pop(0))
        for service in batch:
            running.append(service)
            if service.command:  # else served by another service's process (payment page, SMS webhook)
                print(f"Starting {service.name}...", flush=True)
                launch(service, env, output)
        for service in batch:
            if service.command and not wait_healthy(service, timeout=timeout):
                raise RuntimeError(f"{service.name} did not start; see its output.")
    return running


def stop(running: list[Service]) -> None:
    for service in reversed(running):
        if service.process and service.process.poll() is None:
            service.process.terminate()
    for service in reversed(running):
        if service.process:
            try:
                service.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                service.process.kill()
                service.process.wait()


def print_addresses(running: list[Service]) -> None:
    print("\nEverything is up:")
    for service in running:
        if service.public_url:
            print(f"  {service.name:<20} {service.public_url}")


def wait_while_all_run(running: list[Service]) -> int:
    """Until one process exits (then 1: the caller stops the rest)."""
    while all(s.process.poll() is None for s in running if s.process):
        time.sleep(1)
    stopped = [s.name for s in running if s.process and s.process.poll() is not None]
    print(f"{', '.join(stopped)} stopped; stopping the others.", file=sys.stderr)
    return 1
