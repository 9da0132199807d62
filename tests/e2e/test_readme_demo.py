"""The README's demo conversation, played exactly as written: a newcomer typing those lines sees those
replies (each quoted piece of a bot line, and each [button]; "(...)" describes and "..." elides)."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def demo_turns() -> list[tuple[str, str]]:
    """(what the member types, what the README says the bot answers) for each turn of the demo block."""
    section = README.read_text(encoding="utf-8").split("## Demo conversation", 1)[1]
    block = section.split("```", 2)[1]
    turns: list[tuple[str, str]] = []
    for line in block.strip().splitlines():
        line = line.strip()
        if line.startswith("you:"):
            said, _, answer = line[len("you:") :].partition("bot:")
            turns.append((said.strip(), answer.strip()))
        elif line.startswith("bot:") and turns:
            said, answer = turns[-1]
            turns[-1] = (said, f"{answer} {line[len('bot:') :].strip()}".strip())
    return turns


def expected(answer: str) -> tuple[list[str], list[str]]:
    """The quoted pieces and the button titles of a bot line."""
    answer = re.sub(r"\([^)]*\)", " ", answer)
    buttons = [title for title in re.findall(r"\[([^\]]+)\]", answer) if title != "buttons"]
    pieces = [piece.strip() for piece in re.split(r"\.\.\.|\[[^\]]*\]", answer)]
    return [piece for piece in pieces if len(piece) > 3], buttons


def test_the_demo_block_is_read():
    turns = demo_turns()
    assert len(turns) >= 6 and turns[0][0] == "what's my balance?"
    assert expected(turns[3][1]) == (
        ["How much would you like to pay?"],
        ["Full balance $140.90", "Minimum due $25.00"],
    )


def test_the_readme_demo_conversation_goes_as_written(assistant):
    assistant.reset_billing()
    sender = f"readme-{uuid.uuid4().hex[:10]}"
    try:
        for said, answer in demo_turns():
            messages = assistant.say(sender, said)
            text = " ".join(" ".join(m.get("text") or "" for m in messages).split())  # as one line
            titles = [b.get("title") for m in messages for b in m.get("buttons") or []]
            pieces, buttons = expected(answer)
            for piece in pieces:
                assert piece in text, (said, piece, text)
            for title in buttons:
                assert title in titles, (said, title, titles)
    finally:
        assistant.reset_billing()
