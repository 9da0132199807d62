"""The figures of a bench run: latency percentiles per turn kind, throughput and errors, as a table and
as JSON."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from .member import TurnResult


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: with few samples, a value that was really seen)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def level_figures(members: int, turns: Iterable[TurnResult], wall_seconds: float) -> dict[str, Any]:
    turns = list(turns)
    kinds: dict[str, Any] = {}
    for kind in sorted({turn.kind for turn in turns}):
        seconds = [turn.seconds for turn in turns if turn.kind == kind and not turn.error]
        kinds[kind] = {
            "count": len(seconds),
            "errors": sum(1 for turn in turns if turn.kind == kind and turn.error),
            **(
                {
                    f"p{int(share * 100)}_ms": round(percentile(seconds, share) * 1000, 1)
                    for share in (0.5, 0.95, 0.99)
                }
                if seconds
                else {}
            ),
        }
    errors = [turn.error for turn in turns if turn.error]
    return {
        "members": members,
        "messages": len(turns),
        "wall_seconds": round(wall_seconds, 1),
        "messages_per_second": round(len(turns) / wall_seconds, 2) if wall_seconds else 0.0,
        "errors": len(errors),
        "first_errors": sorted(set(errors))[:5],
        "turns": kinds,
    }


def table(levels: list[dict[str, Any]]) -> str:
    lines = [f"{'members':>7} {'turn':<10} {'n':>5} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}"]
    for level in levels:
        for kind, figures in level["turns"].items():
            lines.append(
                f"{level['members']:>7} {kind:<10} {figures['count']:>5} {figures.get('p50_ms', '-'):>8} "
                f"{figures.get('p95_ms', '-'):>8} {figures.get('p99_ms', '-'):>8} {figures['errors']:>6}"
            )
        lines.append(
            f"{level['members']:>7} {'all':<10} {level['messages']:>5} "
            f"{level['messages_per_second']:>8} msg/s over {level['wall_seconds']} s, "
            f"{level['errors']} errors, {level.get('lost_action_events', 0)} action calls lost, "
            f"billing check: {level.get('billing_check', '-')}"
        )
        for error in level["first_errors"]:
            lines.append(f"{'':>7} ! {error}")
    return "\n".join(lines)
