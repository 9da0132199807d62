"""Secrets for a one-machine run: taken from the environment, or made once and kept under var/.

A production deployment sets them in the environment (from its secret store); nothing secret is
ever committed.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

VAR = Path("var")


def local_secret(env_name: str) -> str:
    value = os.environ.get(env_name)
    if value:
        return value
    path = VAR / env_name.lower()
    if not path.exists():
        VAR.mkdir(mode=0o700, exist_ok=True)
        # Created 0600 from the start: a secret must never be readable by others, not even for a moment.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(secrets.token_urlsafe(32))
    return path.read_text().strip()
