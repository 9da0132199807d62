"""The real billing service, from its own environment, for the assistant's tests: one process per test
session on a SQLite file, reset to the seeded demo data before each test that uses it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from assistant.billing_process import billing_command
from tests.processes import free_port, wait_for

# The service's clock stands still here, so due dates and plan schedules read the same in every run.
TODAY = "2026-11-22T15:00:00"


class BillingServer:
    def __init__(self, folder: Path):
        self.pristine = folder / "seeded.db"
        self.live = folder / "billing.db"
        self.url = ""
        self.env: dict[str, str] = {}

    def seed(self) -> None:
        """The demo members, with their fixed numbers (M100001...), once per session."""
        subprocess.run(
            billing_command("seed", "--pin-member-numbers"),
            check=True,
            capture_output=True,
            env={
                **os.environ,
                "BILLING_DATABASE_URL": f"sqlite:///{self.pristine}",
                "BILLING_FIXED_NOW": TODAY,
            },
        )

    def reset(self) -> None:
        """Back to the seeded data, in place: SQLite's backup copies pages under its own locks, so the
        running service simply reads the restored rows on its next query."""
        with closing(sqlite3.connect(self.pristine)) as source, closing(sqlite3.connect(self.live)) as target:
            source.backup(target)

    @contextmanager
    def serving(self, log: Path) -> Iterator[str]:
        self.seed()
        self.reset()
        port, pages_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.env = {
            **os.environ,
            "BILLING_DATABASE_URL": f"sqlite:///{self.live}",
            "BILLING_FIXED_NOW": TODAY,
            "BILLING_PORT": str(port),
            "BILLING_PAGES_PORT": str(pages_port),
            "BILLING_PUBLIC_URL": f"http://127.0.0.1:{pages_port}",
        }
        with open(log, "w") as output:
            process = subprocess.Popen(
                billing_command("serve"), env=self.env, stdout=output, stderr=subprocess.STDOUT
            )
            try:
                wait_for(f"{self.url}/health", process, timeout=60)
                yield self.url
            finally:
                process.terminate()
                process.wait(timeout=20)
