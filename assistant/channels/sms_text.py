"""Bot messages as text messages: numbered choices instead of buttons, plain links, no payloads,
and nothing over the SMS limit."""

from __future__ import annotations

import re
from collections.abc import Sequence

SMS_LIMIT = 1600
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)]+)\)")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(\S.*?\S|\S)\1")


def plain(text: str) -> str:
    text = _MARKDOWN_LINK.sub(lambda m: f"{m.group(1)}: {m.group(2)}", text)
    return _EMPHASIS.sub(lambda m: m.group(2), text).strip()


def render(messages: Sequence[dict], choose_hint: str) -> tuple[list[str], list[str]]:
    """(texts to send, payloads of the numbered choices offered last)."""
    texts: list[str] = []
    payloads: list[str] = []
    for message in messages:
        text = plain(message.get("text") or "")
        buttons = message.get("buttons") or message.get("quick_replies") or []
        if buttons:
            payloads = [b.get("payload", "") for b in buttons]
            menu = "\n".join(f"{i}. {plain(b.get('title', ''))}" for i, b in enumerate(buttons, start=1))
            text = f"{text}\n{menu}\n{choose_hint}" if text else f"{menu}\n{choose_hint}"
        image = message.get("image")
        if image:
            text = f"{text}\n{image}" if text else image
        if text:
            texts.extend(split(text))
    return texts, payloads


def split(text: str, limit: int = SMS_LIMIT) -> list[str]:
    """At paragraph, then line, then sentence, then word boundaries; never mid-word unless it must."""
    if len(text) <= limit:
        return [text]
    parts: list[str] = []
    current = ""
    for piece in _pieces(text, limit):
        joiner = "" if not current else ("\n" if not current.endswith("\n") else "")
        if len(current) + len(joiner) + len(piece) <= limit:
            current = current + joiner + piece
        else:
            parts.append(current.strip())
            current = piece
    if current.strip():
        parts.append(current.strip())
    return parts


def _pieces(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    for line in text.split("\n"):
        if len(line) <= limit:
            pieces.append(line)
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            while len(sentence) > limit:
                cut = sentence.rfind(" ", 0, limit)
                cut = cut if cut > 0 else limit
                pieces.append(sentence[:cut])
                sentence = sentence[cut:].lstrip()
            pieces.append(sentence)
    return pieces
