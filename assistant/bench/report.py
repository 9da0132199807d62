"""The figures of a bench run: latency percentiles per turn kind, throughput and errors per level, ours
beside the stock bot's, as a printed table and as JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from .member import TurnResult

SHARES = (0.5, 0.95, 0.99)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: with few samples, a value that was really seen)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def latencies(turns: list[TurnResult]) -> dict[str, Any]:
    """Count, errors and p50/p95/p99 in ms of answered turns (a failed turn's time is not a latency)."""
    seconds = [turn.seconds for turn in turns if not turn.error]
    figures: dict[str, Any] = {"count": len(seconds), "errors": sum(1 for turn in turns if turn.error)}
    if seconds:
        figures |= {
            f"p{round(share * 100)}_ms": round(percentile(seconds, share) * 1000, 1) for share in SHARES
        }
    return figures


def level_figures(members: int, turns: Iterable[TurnResult], wall_seconds: float) -> dict[str, Any]:
    turns = list(turns)
    kinds = {
        kind: latencies([turn for turn in turns if turn.kind == kind])
        for kind in sorted({turn.kind for turn in turns})
    }
    errors = [turn.error for turn in turns if turn.error]
    return {
        "members": members,
        "messages": len(turns),
        "wall_seconds": round(wall_seconds, 1),
        "messages_per_second": round(len(turns) / wall_seconds, 2) if wall_seconds else 0.0,
        "errors": len(errors),
        "first_errors": sorted(set(errors))[:5],
        "all_turns": latencies(turns),
        "turns": kinds,
    }


def saturation(levels: list[dict[str, Any]]) -> float:
    """The highest throughput reached over the levels: where adding members stopped adding messages."""
    return max((level["messages_per_second"] for level in levels), default=0.0)


def _ratio(ours: float | None, stock: float | None) -> float | None:
    return round(ours / stock, 2) if ours is not None and stock else None


def comparison(ours: list[dict[str, Any]], stock: list[dict[str, Any]]) -> dict[str, Any]:
    """Ours over the stock bot's at each level both ran: throughput and p50/p95 over all turns (a ratio
    above 1 is more messages per second, or slower turns)."""
    stock_by_members = {level["members"]: level for level in stock}
    levels = []
    for level in ours:
        other = stock_by_members.get(level["members"])
        if other is None:
            continue
        row: dict[str, Any] = {"members": level["members"]}
        for figure in ("messages_per_second", "p50_ms", "p95_ms"):
            mine = level.get(figure, level["all_turns"].get(figure))
            theirs = other.get(figure, other["all_turns"].get(figure))
            row[figure] = {"ours": mine, "stock": theirs, "ratio": _ratio(mine, theirs)}
        levels.append(row)
    top_ours, top_stock = saturation(ours), saturation(stock)
    return {
        "levels": levels,
        "saturation_messages_per_second": {
            "ours": top_ours,
            "stock": top_stock,
            "ratio": _ratio(top_ours, top_stock),
        },
    }


def table(levels: list[dict[str, Any]]) -> str:
    lines = [f"{'members':>7} {'turn':<13} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"]
    for level in levels:
        for kind, figures in [*level["turns"].items(), ("all", level["all_turns"])]:
            lines.append(
                f"{level['members']:>7} {kind:<13} {figures['count']:>5} {figures.get('p50_ms', '-'):>8} "
                f"{figures.get('p95_ms', '-'):>8} {figures.get('p99_ms', '-'):>8} {figures['errors']:>6}"
            )
        check = level.get("billing_check")
        lines.append(
            f"{level['members']:>7} {level['messages_per_second']} msg/s over {level['wall_seconds']} s, "
            f"{level['errors']} errors, {level.get('lost_action_events', '-')} action calls lost, "
            f"billing check: {check_line(check) if check else '-'}"
        )
        for error in level["first_errors"]:
            lines.append(f"{'':>7} ! {error}")
        for problem in (check or {}).get("problems", []):
            lines.append(f"{'':>7} ! billing: {problem}")
    return "\n".join(lines)


def check_line(check: dict[str, Any]) -> str:
    verdict = "ok" if check["ok"] else "MISMATCH"
    return (
        f"{verdict} ({check['confirmed']} confirmed, {check['recorded']} recorded, "
        f"{check['confirmed_cents']} / {check['recorded_cents']} cents)"
    )


def comparison_table(compared: dict[str, Any]) -> str:
    lines = [f"{'members':>7} {'msg/s ours/stock':>24} {'p50 ms ours/stock':>26} {'p95 ms ours/stock':>26}"]
    for row in compared["levels"]:
        cells = [
            f"{row[figure]['ours']}/{row[figure]['stock']} = {row[figure]['ratio']}"
            for figure in ("messages_per_second", "p50_ms", "p95_ms")
        ]
        lines.append(f"{row['members']:>7} {cells[0]:>24} {cells[1]:>26} {cells[2]:>26}")
    top = compared["saturation_messages_per_second"]
    lines.append(f"saturation: ours {top['ours']} msg/s, stock {top['stock']} msg/s, ratio {top['ratio']}")
    return "\n".join(lines)


def failed(report: dict[str, Any]) -> bool:
    """A run fails on any billing difference: the one thing a load must never change."""
    return any(
        not level["billing_check"]["ok"]
        for level in report["bots"]["ours"]["levels"]
        if "billing_check" in level
    )


def write(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
