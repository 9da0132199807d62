"""The bench report as a PNG: p50/p95/p99 per turn kind over the levels (ours, with the stock bot's turns
as one dashed line), and messages per second per level for both bots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display: a file only (set before pyplot is imported)

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import NullFormatter, ScalarFormatter  # noqa: E402

PERCENTILES = ("p50_ms", "p95_ms", "p99_ms")


def _series(levels: list[dict[str, Any]], key: str, kind: str | None) -> tuple[list[int], list[float]]:
    """One turn kind's figure (all turns' for None) at the levels where it exists (a kind no member reached
    at a level has no latency)."""
    points = [
        (level["members"], (level["turns"].get(kind, {}) if kind else level["all_turns"]).get(key))
        for level in levels
    ]
    kept = [(members, value) for members, value in points if value is not None]
    return [members for members, _ in kept], [value for _, value in kept]


def write_chart(report: dict[str, Any], path: Path) -> None:
    ours = report["bots"]["ours"]["levels"]
    stock = report["bots"].get("stock", {}).get("levels", [])
    kinds = sorted({kind for level in ours for kind in level["turns"]})
    figure, axes = plt.subplots(2, 2, figsize=(13, 9))
    for axis, key in zip(list(axes.flat)[:3], PERCENTILES, strict=True):
        for kind in kinds:
            _plot(axis, _series(ours, key, kind), "o-", kind)
        if stock:
            _plot(axis, _series(stock, key, None), "k--", "stock bot, all turns")
        axis.set_title(f"{key[:3]} latency per turn kind")
        if axis.has_data():
            axis.set_ylabel("ms, log scale")
            axis.set_yscale("log")
        else:  # no turn answered at any level: a log scale of nothing cannot be drawn
            axis.text(0.5, 0.5, "no turn answered", ha="center", transform=axis.transAxes)
        _members_axis(axis, ours)
    if axes[0][0].has_data():
        axes[0][0].legend(fontsize="small")
    throughput = axes[1][1]
    throughput.plot(
        [level["members"] for level in ours],
        [level["messages_per_second"] for level in ours],
        "o-",
        label="ours",
    )
    if stock:
        throughput.plot(
            [level["members"] for level in stock],
            [level["messages_per_second"] for level in stock],
            "s--",
            label="stock bot",
        )
    throughput.set_title("messages per second")
    throughput.set_ylabel("msg/s")
    throughput.set_ylim(bottom=0)
    throughput.legend(fontsize="small")
    _members_axis(throughput, ours)
    machine = report.get("machine", {})
    figure.suptitle(
        f"make bench {report.get('started_at', '')} on {machine.get('cpus', '?')} CPUs"
        f" ({machine.get('cpu_model', '')}) {report.get('label', '')}".strip()
    )
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _plot(axis: Any, series: tuple[list[int], list[float]], style: str, label: str) -> None:
    """A line only for a series with points: an empty one would count as data."""
    if series[0]:
        axis.plot(*series, style, label=label)


def _members_axis(axis: Any, levels: list[dict[str, Any]]) -> None:
    members = [level["members"] for level in levels]
    if not axis.has_data():  # nothing drawn sets the limits a log scale needs
        axis.set_xlim(min(members) / 1.5, max(members) * 1.5)
    axis.set_xscale("log")
    axis.set_xticks(members)
    axis.xaxis.set_major_formatter(ScalarFormatter())
    axis.xaxis.set_minor_formatter(NullFormatter())
    axis.set_xlabel("concurrent members")
    axis.grid(True, which="both", alpha=0.3)
