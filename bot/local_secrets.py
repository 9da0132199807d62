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
        VAR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()
