"""The domain as one dict: the YAML files of domain/ merged, for code that reads the domain without Rasa
(the SMS channel's own messages, the action server's form slots, tests).

Rasa merges the same files itself when given `--domain domain`. Each name (intent, slot, form, action,
response) is declared in exactly one file: a second declaration is an error here, not a silent override.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

DOMAIN_DIR = Path(__file__).resolve().parents[1] / "domain"


def load_domain(path: str | Path = DOMAIN_DIR) -> dict[str, Any]:
    """The merged domain of a directory of domain files (or of a single domain file)."""
    path = Path(path)
    files = sorted(path.rglob("*.yml")) if path.is_dir() else [path]
    if not files:
        raise FileNotFoundError(f"no domain files in {path}")
    merged: dict[str, Any] = {}
    for file in files:
        for key, value in (yaml.safe_load(file.read_text(encoding="utf-8")) or {}).items():
            if key != "version":
                _merge(merged, key, value, file)
    return merged


def _merge(merged: dict[str, Any], key: str, value: Any, file: Path) -> None:
    if key not in merged:
        merged[key] = value
        return
    known = merged[key]
    if isinstance(known, dict) and isinstance(value, dict):
        twice = known.keys() & value.keys()
        known.update(value)
    elif isinstance(known, list) and isinstance(value, list):
        twice = {_name(item) for item in known} & {_name(item) for item in value}
        known.extend(value)
    else:
        twice = {key}
    if twice:
        raise ValueError(f"{file}: {key} {sorted(twice)} already declared in another domain file")


def _name(item: Any) -> str:
    """An intent or action entry is a name, or a one-key mapping of the name to its properties."""
    return next(iter(item)) if isinstance(item, dict) else str(item)
