"""The bench's figures (assistant/bench/report.py): percentiles of what was really seen, errors counted
apart from the latencies."""

from __future__ import annotations

from assistant.bench.member import CONVERSATION, TurnResult
from assistant.bench.report import level_figures, percentile, table


def test_percentiles_are_values_that_were_seen() -> None:
    seconds = [0.1 * n for n in range(1, 21)]
    assert percentile(seconds, 0.5) == seconds[9]
    assert percentile(seconds, 0.95) == seconds[18]
    assert percentile([0.3], 0.99) == 0.3


def test_a_failed_turn_counts_as_an_error_not_as_a_latency() -> None:
    turns = [
        TurnResult("faq", 0.05, None),
        TurnResult("faq", 9.0, "ReadTimeout"),
        TurnResult("pay", 0.2, None),
    ]

    figures = level_figures(members=2, turns=turns, wall_seconds=1.0)

    assert figures["turns"]["faq"] == {
        "count": 1,
        "errors": 1,
        "p50_ms": 50.0,
        "p95_ms": 50.0,
        "p99_ms": 50.0,
    }
    assert figures["errors"] == 1 and figures["first_errors"] == ["ReadTimeout"]
    assert figures["messages_per_second"] == 3.0
    assert "ReadTimeout" in table([figures])


def test_the_conversation_pays_only_after_the_read_back() -> None:
    kinds = [turn.kind for turn in CONVERSATION]
    assert kinds.index("read_back") < kinds.index("pay")
    assert kinds.count("pay") == 1
