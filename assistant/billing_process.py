"""Where the billing service runs from the assistant's side: its own project and virtual environment
(services/billing/.venv, built by `make`), reached over HTTP only."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICE_DIR = ROOT / "services" / "billing"
# Same defaults as the service's own settings (BILLING_HOST, BILLING_PORT, BILLING_PUBLIC_URL).
HOST = os.environ.get("BILLING_HOST", "127.0.0.1")
PORT = int(os.environ.get("BILLING_PORT", "8001"))
PUBLIC_URL = os.environ.get("BILLING_PUBLIC_URL", "http://localhost:8002")


def billing_python() -> str:
    return os.environ.get("BILLING_PYTHON", str(SERVICE_DIR / ".venv" / "bin" / "python"))


def billing_command(*args: str) -> list[str]:
    """`python -m billing_service ARGS` in the service's environment: billing_command("serve", "--seed")."""
    return [billing_python(), "-m", "billing_service", *args]
