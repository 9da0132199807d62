"""Account and medical record numbers as members type them: "2000-1000-01", "my account is 2000100001"."""
from __future__ import annotations

import re
from typing import Optional


def parse_identifier(text: str) -> Optional[str]:
    """The 8-to-10-digit number in text, ignoring spaces and dashes inside it."""
    match = re.search(r"(?<!\d)\d(?:[\s-]?\d){7,9}(?![\s-]?\d)", str(text or ""))
    return re.sub(r"[\s-]", "", match.group()) if match else None
