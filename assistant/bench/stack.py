"""What a bench run talks to. `Stack`: its own billing service, action server and Rasa as separate
processes on free ports, with their own databases in a temporary folder, so a run never touches `make run`'s
data. `RunningStack`: a stack somebody else started (`make run-cluster`), reached by its Rasa address and
its billing database, measured through the process ids or command-line words it was given."""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit

from ..billing_process import billing_command
from ..cluster.settings import ClusterSettings
from . import processes

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
# What Rasa logs when an action call failed and the action's events were dropped (rasa/core/processor.py).
LOST_ACTION_EVENTS = "the actions events are lost"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def quiet_environment() -> dict[str, str]:
    """This process's environment with the settings that keep every service's log to what matters."""
    return {
        **os.environ,
        "RASA_TELEMETRY_ENABLED": "false",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "LOG_LEVEL": "WARNING",
    }


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
            **quiet_environment(),
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
        }
        self.billing_database_url = self.env["BILLING_DATABASE_URL"]

    @property
    def billing_on_sqlite(self) -> bool:
        return self.billing_database_url.startswith("sqlite")

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
        rasa = [sys.executable, "-m", "assistant.rasa_server", "--model", str(self.model)]
        rasa += ["--port", str(self.ports["rasa"]), "--endpoints", str(endpoints)]
        rasa += ["--credentials", str(self.code / "credentials.yml")]
        try:
            self._start("billing", billing_command("serve", "--seed"), f"{self.billing_url}/health")
            actions = [sys.executable, "-m", "assistant.action_server"]
            self._start("actions", actions, f"http://127.0.0.1:{self.ports['actions']}/health")
            self._start("rasa", rasa, f"{self.rasa_url}/", timeout=300)
            if self.billing_on_sqlite:
                self._keep_seeded_billing()
            yield self
        finally:
            processes.stop(list(self.processes.values()))

    def _start(self, name: str, command: list[str], health: str, timeout: float = 120) -> None:
        self.processes[name] = processes.start(
            name, command, cwd=self.code, env=self.env, logs=self.work, health=health, timeout=timeout
        )

    def _keep_seeded_billing(self) -> None:
        with (
            closing(sqlite3.connect(self.billing_database)) as source,
            closing(sqlite3.connect(self.work / "seeded.db")) as copy,
        ):
            source.backup(copy)

    def reset_billing(self) -> None:
        """Back to the seeded balances between levels (the running service reads the restored rows). On
        PostgreSQL the balance carries over: a whole run's payments stay under the demo balance."""
        if not self.billing_on_sqlite:
            return
        with (
            closing(sqlite3.connect(self.work / "seeded.db")) as source,
            closing(sqlite3.connect(self.billing_database)) as live,
        ):
            source.backup(live)

    def process_groups(self) -> dict[str, set[int]]:
        return {name: {process.pid} for name, process in self.processes.items()}

    def lost_action_events(self) -> int | None:
        return (self.work / "rasa.log").read_text(errors="replace").count(LOST_ACTION_EVENTS)

    def describe(self) -> str:
        return f"own stack in {self.work} (rasa pid {self.processes['rasa'].pid})"


class RunningStack:
    """A stack already running elsewhere (cluster mode): nothing is started, reset or stopped."""

    def __init__(
        self, rasa_url: str, billing_database_url: str, process_specs: Mapping[str, list[str]]
    ) -> None:
        self.rasa_url = rasa_url.rstrip("/")
        self.billing_database_url = billing_database_url
        self.process_specs = dict(process_specs)
        self.groups: dict[str, set[int]] = {}

    @contextlib.contextmanager
    def running(self) -> Iterator[RunningStack]:
        # Found once, with their children found again at each level: a process that restarts during the
        # run drops out of the figures rather than another process with its words being picked up halfway.
        self.groups = processes.find(self.process_specs)
        missing = sorted(label for label, pids in self.groups.items() if not pids)
        if missing:
            raise RuntimeError(f"no running process matches {', '.join(missing)}")
        yield self

    def reset_billing(self) -> None:
        """The balance carries over: a whole run's payments stay under the demo balance."""

    def process_groups(self) -> dict[str, set[int]]:
        self.groups = processes.with_children_now(self.groups)
        return self.groups

    def lost_action_events(self) -> int | None:
        return None  # in the replicas' own logs

    def describe(self) -> str:
        counts = ", ".join(f"{label} {len(pids)} processes" for label, pids in self.groups.items())
        return f"running stack at {self.rasa_url} ({counts or 'no processes sampled'})"


def cluster_stack() -> RunningStack:
    """`make run-cluster`'s stack, from the same CLUSTER_* settings: the REST channel through nginx, the
    billing database, and each part's processes by the ports they listen on. PostgreSQL and Redis are the
    machine's servers: their CPU counts every client they have, the cluster's and any other."""
    settings = ClusterSettings.from_environment()
    ports = settings.ports
    listening = {
        "rasa": ports.rasa,
        "actions": ports.action_servers,
        "billing": ports.billing_workers,
        "nginx": [ports.site],
        "website": [ports.website],
        "desk": [ports.desk_app],
        "postgres": [urlsplit(settings.postgres_url).port or 5432],
        "redis": [settings.redis_port],
    }
    specs = {label: [f":{port}" for port in found] for label, found in listening.items()}
    return RunningStack(settings.site_url, settings.database_url("billing"), specs)
