"""`make run`: starts every service on embedded defaults, waits until each answers, prints the URLs.

Ctrl-C stops them all; if one exits, the rest are stopped too.
"""
from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from typing import List, Optional

import httpx

from .billing.settings import BillingSettings


@dataclasses.dataclass
class Service:
    name: str
    command: List[str]
    health_url: str
    public_url: str
    process: Optional[subprocess.Popen] = None


def services() -> List[Service]:
    billing = BillingSettings()
    python = sys.executable
    return [
        Service("Billing service", [python, "-m", "bot.billing", "serve", "--seed"],
                f"http://{billing.host}:{billing.port}/health", f"http://{billing.host}:{billing.port}/docs"),
    ]


def wait_healthy(service: Service, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if service.process.poll() is not None:
            return False
        try:
            if httpx.get(service.health_url, timeout=2).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def stop(running: List[Service]) -> None:
    for service in reversed(running):
        if service.process and service.process.poll() is None:
            service.process.terminate()
    for service in reversed(running):
        if service.process:
            try:
                service.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                service.process.kill()


def main() -> int:
    os.makedirs("var", exist_ok=True)
    running: List[Service] = []
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        for service in services():
            print(f"Starting {service.name}...", flush=True)
            service.process = subprocess.Popen(service.command)
            running.append(service)
            if not wait_healthy(service, timeout=600):
                print(f"{service.name} did not start; see its output above.", file=sys.stderr)
                return 1
        print("\nEverything is up:")
        for service in running:
            print(f"  {service.name:<18} {service.public_url}")
        print("Press Ctrl-C to stop.\n", flush=True)
        while all(s.process.poll() is None for s in running):
            time.sleep(1)
        print("A service stopped; stopping the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop(running)


if __name__ == "__main__":
    sys.exit(main())
