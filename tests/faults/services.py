"""Services the fault tests stop and start themselves: a billing service process that can go down and come
back on the same port and data, and a throwaway PostgreSQL server (never the machine's own, which other
work uses) that can be restarted under load."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from assistant.billing_process import billing_command
from postgres_for_tests import unavailable
from tests.billing_server import TODAY
from tests.processes import free_port, wait_for


class BillingProcess:
    """`python -m billing_service serve` on fixed free ports and one database, stopped and started at will."""

    def __init__(self, database_url: str, log: Path, workers: int = 1):
        port, pages_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = log
        self.env = {
            **os.environ,
            "BILLING_DATABASE_URL": database_url,
            "BILLING_FIXED_NOW": TODAY,
            "BILLING_PORT": str(port),
            "BILLING_PAGES_PORT": str(pages_port),
            "BILLING_PUBLIC_URL": f"http://127.0.0.1:{pages_port}",
            "BILLING_WORKERS": str(workers),
        }
        self._process: subprocess.Popen[bytes] | None = None

    def seed(self) -> None:
        """The demo members with their fixed numbers (M100001...), as the assistant's tests know them."""
        subprocess.run(
            billing_command("seed", "--pin-member-numbers"), check=True, capture_output=True, env=self.env
        )

    def start(self) -> None:
        with open(self.log, "a") as output:
            self._process = subprocess.Popen(
                billing_command("serve"), env=self.env, stdout=output, stderr=subprocess.STDOUT
            )
        wait_for(f"{self.url}/health", self._process, timeout=60)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=30)
        self._process = None


class ThrowawayPostgres:
    """A PostgreSQL server of its own in a temporary folder, on a free port (initdb + pg_ctl)."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            unavailable("PostgreSQL's initdb", FileNotFoundError("/usr/lib/postgresql/*/bin/initdb"))
        self._bin = Path(found[-1]).parent
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="billing-faults-pg-"))
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        # PostgreSQL refuses to run as root: as root, its own user runs it.
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self._as:
            shutil.chown(self.folder, "postgres")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run([*self._as, str(self._bin / tool), *args], check=True, capture_output=True)

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl",
            "-D",
            str(self.folder / "data"),
            "-l",
            str(self.folder / "log"),
            "-w",
            *args,
            "-o",
            options,
        )

    def start(self) -> None:
        self._run("initdb", "-D", str(self.folder / "data"), "-U", "postgres", "-A", "trust", "--no-sync")
        self._ctl("start")

    def restart(self) -> None:
        """Stopped at once (-m immediate: open connections cut, as in a crash) and started again."""
        self._ctl("-m", "immediate", "restart")

    def remove(self) -> None:
        try:
            self._ctl("-m", "immediate", "stop")
        except subprocess.CalledProcessError:
            pass  # not running
        shutil.rmtree(self.folder, ignore_errors=True)
