"""The bench's figures and what it writes (assistant/bench/report.py, chart.py): percentiles of what was
really seen, errors counted apart from the latencies, ours over the stock bot's, the JSON report and the
PNG chart from a fake run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from assistant.bench.chart import write_chart
from assistant.bench.member import TurnResult
from assistant.bench.report import (
    comparison,
    comparison_table,
    failed,
    level_figures,
    percentile,
    table,
    write,
)


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
    assert figures["all_turns"]["count"] == 2 and figures["all_turns"]["p95_ms"] == 200.0
    assert figures["errors"] == 1 and figures["first_errors"] == ["ReadTimeout"]
    assert figures["messages_per_second"] == 3.0
    assert "ReadTimeout" in table([figures])


def fake_level(
    members: int, seconds_per_turn: float, wall_seconds: float, kinds: tuple[str, ...]
) -> dict[str, Any]:
    turns = [TurnResult(kind, seconds_per_turn, None) for _ in range(members) for kind in kinds]
    return level_figures(members, turns, wall_seconds)


def fake_report(billing_ok: bool = True) -> dict[str, Any]:
    ours = [
        fake_level(1, 0.1, 2.0, ("faq", "verify", "pay")),  # 1.5 msg/s
        fake_level(10, 0.5, 3.0, ("faq", "verify", "pay")),  # 10 msg/s
        fake_level(50, 2.0, 15.0, ("faq", "verify", "pay")),  # 10 msg/s
    ]
    for level in ours:
        level["billing_check"] = {
            "ok": billing_ok,
            "confirmed": level["members"],
            "recorded": level["members"],
            "confirmed_cents": 10 * level["members"],
            "recorded_cents": 10 * level["members"],
            "problems": [] if billing_ok else ["KP1 is recorded 2 times"],
        }
    stock = [
        fake_level(1, 0.05, 1.0, ("greet", "goodbye")),  # 2 msg/s
        fake_level(10, 0.25, 4.0, ("greet", "goodbye")),  # 5 msg/s
        fake_level(50, 1.0, 20.0, ("greet", "goodbye")),  # 5 msg/s
    ]
    return {
        "started_at": "2026-12-05 00:00 UTC",
        "machine": {"cpus": 2, "cpu_model": "test CPU"},
        "bots": {"ours": {"levels": ours}, "stock": {"levels": stock}},
        "comparison": comparison(ours, stock),
    }


def test_ours_is_compared_with_the_stock_bot_at_each_level_and_at_saturation() -> None:
    compared = fake_report()["comparison"]

    assert [row["members"] for row in compared["levels"]] == [1, 10, 50]
    assert compared["levels"][1]["messages_per_second"] == {"ours": 10.0, "stock": 5.0, "ratio": 2.0}
    assert compared["levels"][2]["p95_ms"] == {"ours": 2000.0, "stock": 1000.0, "ratio": 2.0}
    assert compared["saturation_messages_per_second"] == {"ours": 10.0, "stock": 5.0, "ratio": 2.0}
    assert "saturation: ours 10.0 msg/s, stock 5.0 msg/s, ratio 2.0" in comparison_table(compared)


def test_a_billing_difference_fails_the_run() -> None:
    assert not failed(fake_report(billing_ok=True))
    assert failed(fake_report(billing_ok=False))


def test_the_json_report_and_the_png_chart_are_written_from_a_run(tmp_path: Path) -> None:
    report = fake_report()

    write(report, tmp_path / "bench" / "report.json")
    write_chart(report, tmp_path / "bench" / "report.png")

    written = json.loads((tmp_path / "bench" / "report.json").read_text())
    assert written["comparison"]["saturation_messages_per_second"]["ratio"] == 2.0
    assert written["bots"]["ours"]["levels"][2]["turns"]["pay"]["p99_ms"] == 2000.0
    chart = (tmp_path / "bench" / "report.png").read_bytes()
    assert chart.startswith(b"\x89PNG\r\n\x1a\n") and len(chart) > 20_000


def test_a_chart_without_the_stock_bot_and_with_a_kind_no_member_reached(tmp_path: Path) -> None:
    report = fake_report()
    del report["bots"]["stock"]
    report["bots"]["ours"]["levels"][2]["turns"]["pay"] = {"count": 0, "errors": 50}

    write_chart(report, tmp_path / "report.png")

    assert (tmp_path / "report.png").read_bytes().startswith(b"\x89PNG")


def test_a_chart_of_a_run_where_every_turn_failed(tmp_path: Path) -> None:
    # Rasa answered nothing (no model loaded): the run must still end with its report and chart.
    failed_turns = [TurnResult("faq", 0.01, "unexpected reply") for _ in range(50)]
    report = {
        "started_at": "2026-12-06 00:00 UTC",
        "machine": {"cpus": 2, "cpu_model": "test CPU"},
        "bots": {"ours": {"levels": [level_figures(50, failed_turns, 0.1)]}},
    }

    write_chart(report, tmp_path / "report.png")

    assert (tmp_path / "report.png").read_bytes().startswith(b"\x89PNG")
