"""The stack a bench run talks to: billing, action server and Rasa as separate processes on free ports,
with their own databases in a temporary folder, so a run never touches `make run`'s data."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx

from ..billing_process import billing_command

ROOT = Path(__file__).resolve().parents[2]
SECRET_NAMES = (
    "RASA_JWT_SECRET",
    "ACTION_SERVER_TOKEN",
    "IDENTITY_TOKEN_SECRET",
    "BILLING_API_TOKEN",
    "MEMBER_TOKEN_SECRET",
    "CHAT_SESSION_SECRET",
    "SMS_ID_SECRET",
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Stack:
    """`code` is the checkout whose assistant runs (ROOT by default; another git worktree to measure an
    older commit with the same environment and model)."""

    def __init__(self, work: Path, model: Path, code: Path = ROOT) -> None:
        self.work = work
        self.model = model
        self.code = code
        self.ports = {name: free_port() for name in ("billing", "pages", "actions", "rasa")}
        self.rasa_url = f"http://127.0.0.1:{self.ports['rasa']}"
        self.billing_url = f"http://127.0.0.1:{self.ports['billing']}"
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.env = {
            **os.environ,
            **{name: secrets.token_urlsafe(24) for name in SECRET_NAMES},
            "PYTHONPATH": str(code),
            # BENCH_BILLING_DATABASE_URL (an empty PostgreSQL database) to take SQLite's one writer out of it.
            "BILLING_DATABASE_URL": os.environ.get(
                "BENCH_BILLING_DATABASE_URL", f"sqlite:///{work}/billing.db"
            ),
            "BILLING_PORT": str(self.ports["billing"]),
            "BILLING_PAGES_PORT": str(self.ports["pages"]),
            "BILLING_PUBLIC_URL": f"http://127.0.0.1:{self.ports['pages']}",
            "BILLING_URL": self.billing_url,
            "TRACKER_DATABASE_URL": os.environ.get(
                "BENCH_TRACKER_DATABASE_URL", f"sqlite:///{work}/tracker.db"
            ),
            "SMS_DATABASE_URL": f"sqlite:///{work}/sms.db",
            "CHAT_SESSION_DATABASE_URL": f"sqlite:///{work}/chat_sessions.db",
            "ACTIONS_PORT": str(self.ports["actions"]),
            "RASA_TELEMETRY_ENABLED": "false",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "LOG_LEVEL": "WARNING",
        }

    @property
    def billing_on_sqlite(self) -> bool:
        return self.env["BILLING_DATABASE_URL"].startswith("sqlite")

    @property
    def billing_database(self) -> Path:
        return self.work / "billing.db"

    @contextlib.contextmanager
    def running(self) -> Iterator[Stack]:
        endpoints = self.work / "endpoints.yml"
        endpoints.write_text(
            (self.code / "endpoints.yml")
            .read_text()
            .replace("127.0.0.1:5055", f"127.0.0.1:{self.ports['actions']}")
        )
        try:
            self._start("billing", billing_command("serve", "--seed"), f"{self.billing_url}/health")
            self._start(
                "actions",
                [sys.executable, "-m", "assistant.action_server"],
                f"http://127.0.0.1:{self.ports['actions']}/health",
            )
            rasa = [sys.executable, "-m", "assistant.rasa_server", "--model", str(self.model)]
            rasa += ["--port", str(self.ports["rasa"]), "--endpoints", str(endpoints)]
            rasa += ["--credentials", str(self.code / "credentials.yml")]
            self._start("rasa", rasa, f"{self.rasa_url}/", timeout=300)
            if self.billing_on_sqlite:
                self._keep_seeded_billing()
            yield self
        finally:
            for process in reversed(self.processes.values()):
                process.terminate()
            for process in self.processes.values():
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _start(self, name: str, command: list[str], health: str, timeout: float = 120) -> None:
        log = open(self.work / f"{name}.log", "w")  # open for the process's whole life
        process = subprocess.Popen(command, cwd=self.code, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.processes[name] = process
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}: see {self.work}/{name}.log")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(health, timeout=2).status_code < 500:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"{name} did not answer in {timeout}s: see {self.work}/{name}.log")

    def _keep_seeded_billing(self) -> None:
        with (
            closing(sqlite3.connect(self.billing_database)) as source,
            closing(sqlite3.connect(self.work / "seeded.db")) as copy,
        ):
            source.backup(copy)

    def reset_billing(self) -> None:
        """Back to the seeded balances between levels (the running service reads the restored rows). On
        PostgreSQL the balance carries over: keep the levels' payments under the demo balance ($140.90)."""
        if not self.billing_on_sqlite:
            return
        with (
            closing(sqlite3.connect(self.work / "seeded.db")) as source,
            closing(sqlite3.connect(self.billing_database)) as live,
        ):
            source.backup(live)

    def billing_get(self, path: str, member: str | None = None) -> Any:
        headers = {"Authorization": f"Bearer {self.env['BILLING_API_TOKEN']}"}
        if member:
            headers["X-Member-Number"] = member
        answer = httpx.get(f"{self.billing_url}{path}", headers=headers, timeout=120)
        answer.raise_for_status()
        return answer.json()

    def member_number(self, account_number: str, date_of_birth: str, zip_code: str) -> str:
        answer = httpx.post(
            f"{self.billing_url}/verify",
            json={"account_number": account_number, "date_of_birth": date_of_birth, "zip_code": zip_code},
            headers={"Authorization": f"Bearer {self.env['BILLING_API_TOKEN']}", "X-Client-Id": "bench"},
            timeout=30,
        )
        answer.raise_for_status()
        return str(answer.json()["member_number"])

    def process_usage(self) -> dict[str, dict[str, float]]:
        """CPU seconds used so far and peak resident memory (MB) of each process, from /proc."""
        usage = {}
        ticks = os.sysconf("SC_CLK_TCK")
        for name, process in self.processes.items():
            with contextlib.suppress(OSError):
                stat = Path(f"/proc/{process.pid}/stat").read_text().rsplit(")", 1)[1].split()
                status = Path(f"/proc/{process.pid}/status").read_text()
                peak_kb = next(
                    int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")
                )
                usage[name] = {
                    "cpu_seconds": (int(stat[11]) + int(stat[12])) / ticks,
                    "peak_rss_mb": round(peak_kb / 1024, 1),
                }
        return usage

    def log_count(self, name: str, words: str) -> int:
        return (self.work / f"{name}.log").read_text(errors="replace").count(words)
