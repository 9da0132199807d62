"""The whole-conversation evaluation (tests/evaluation/conversations): every conversation played against
the running assistant; the share that ends right and the conversations where money or a setting moved
other than the member asked are written to reports/conversations.json and must not fall below the floors
in tests/evaluation/floors.json (raised as the assistant improves; issue 9's targets are 95% and 0)."""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.e2e.conversations import load_conversations, play
from tests.e2e.stack import Phone

ROOT = Path(__file__).resolve().parents[2]
FLOORS = json.loads((ROOT / "tests" / "evaluation" / "floors.json").read_text())["conversations"]


def test_whole_conversations_end_right(assistant):
    # CONVERSATIONS=readback plays only those whose name or theme contains it, reports them, and
    # checks no floor (the floors are for the whole set).
    only = os.environ.get("CONVERSATIONS", "")
    conversations = load_conversations(only)
    assert len(conversations) >= (1 if only else 100)
    outcomes = [play(assistant, conversation, Phone) for conversation in conversations]
    right = sum(outcome.ended_right for outcome in outcomes)
    wrong_moves = [outcome.name for outcome in outcomes if outcome.money_or_setting_wrong]
    report = {
        "conversations": len(outcomes),
        "ended_right": right,
        "share_ended_right": round(right / len(outcomes), 4),
        "money_or_setting_moved_wrongly": wrong_moves,
        "by_theme": {
            theme: {
                "n": sum(o.theme == theme for o in outcomes),
                "ended_right": sum(o.ended_right for o in outcomes if o.theme == theme),
            }
            for theme in sorted({o.theme for o in outcomes})
        },
        "failures": {outcome.name: outcome.problems for outcome in outcomes if not outcome.ended_right},
    }
    (ROOT / "reports").mkdir(exist_ok=True)
    name = f"conversations-{only}.json" if only else "conversations.json"
    (ROOT / "reports" / name).write_text(json.dumps(report, indent=2))
    if only:
        return
    assert len(wrong_moves) <= FLOORS["max_money_or_setting_moved_wrongly"], wrong_moves
    assert right / len(outcomes) >= FLOORS["min_share_ended_right"], report["by_theme"]
