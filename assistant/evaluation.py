"""`make evaluate`: how well the assistant understands members, written to reports/nlu.md and
reports/evaluation.json.

Three measures:
- the independent evaluation set (tests/evaluation): first messages labelled with the behaviour they
  should trigger, and out-of-scope messages, written without looking at the training data. Each is
  parsed by the trained model the way the server parses it, and scored on what the assistant would
  do: the sensitive-number guard's intent, `nlu_fallback` below the fallback threshold, and for
  `faq` the answer picked (`faq/<key>`, in the response selector's shape);
- the held-out test file (tests/nlu_data), by `rasa test nlu`;
- cross-validation on the training data, by `rasa test nlu --cross-validation`.

`python -m assistant.evaluation --only-evaluation-set` skips the two slow `rasa test` runs; the
--min-*/--max-* options make it exit 1 when a figure misses its floor (for CI)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import yaml

from actions.request_intents import OPEN_TASKS, REQUEST_FOR_INTENT

REPORTS = Path("reports")
MODEL = "models/billing-assistant.tar.gz"
CONFIG = Path(__file__).resolve().parents[1] / "config.yml"
RASA = str(Path(sys.executable).parent / "rasa")
EVALUATION_SET = Path("tests/evaluation")
FIRST_MESSAGES = EVALUATION_SET / "first_messages.yml"
OUT_OF_SCOPE_MESSAGES = EVALUATION_SET / "out_of_scope.yml"
BASELINE = EVALUATION_SET / "baseline.json"

OUT_OF_SCOPE = "out_of_scope"
FALLBACK = "nlu_fallback"
# Answers that are harmless for an off-topic message: they neither answer as a billing topic nor
# start a billing flow. Any other behaviour for an out-of-scope message counts as off-topic-to-billing.
REJECTIONS = {OUT_OF_SCOPE, FALLBACK}
HARMLESS_FOR_OFF_TOPIC = REJECTIONS | {"greet", "goodbye", "thank_you", "bot_challenge", "what_can_you_do"}
# Of those, the ones that start a task (a form, an account answer, verification first): issue 9's "off-topic
# messages starting a billing flow" (target <= 1%), beside the wider figure that also counts FAQ answers.
STARTS_A_FLOW = frozenset(REQUEST_FOR_INTENT) | frozenset(OPEN_TASKS)


# --- the evaluation set -------------------------------------------------------------------------


@dataclass(frozen=True)
class Labelled:
    text: str
    label: str  # an intent, or `faq/<key>` for an FAQ answer


def load_labelled(path: Path) -> list[Labelled]:
    """Messages of a Rasa NLU YAML file with their labels (`faq/<key>` kept whole)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    messages = []
    for block in document.get("nlu") or []:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                messages.append(Labelled(line[2:].strip(), block["intent"]))
    return messages


def behaviour(parsed: dict) -> str:
    """What the assistant does with a parsed message: its final intent, or the FAQ answer for `faq`."""
    intent = (parsed.get("intent") or {}).get("name") or FALLBACK
    if intent != "faq":
        return intent
    selectors = parsed.get("response_selector") or {}
    selected = selectors.get("faq") or selectors.get("default") or {}
    return (selected.get("response") or {}).get("intent_response_key") or "faq"


@dataclass(frozen=True)
class Prediction:
    text: str
    label: str
    predicted: str
    seconds: float

    @property
    def correct(self) -> bool:
        return self.label == self.predicted


async def _parse_all(model: str, messages: Sequence[Labelled]) -> list[Prediction]:
    import logging

    from rasa.core.agent import Agent  # heavy: imported only when scoring
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # Without this every parse prints a debug line: a thousand of them drown the table.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = Agent.load(model)
    predictions = []
    for message in messages:
        started = time.perf_counter()
        parsed = await agent.parse_message(message.text)
        predictions.append(
            Prediction(message.text, message.label, behaviour(parsed), time.perf_counter() - started)
        )
    return predictions


def predict(model: str, messages: Sequence[Labelled]) -> list[Prediction]:
    return asyncio.run(_parse_all(model, messages))


# --- figures ------------------------------------------------------------------------------------


def rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def per_behaviour(predictions: Sequence[Prediction]) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for label in sorted({p.label for p in predictions}):
        mine = [p for p in predictions if p.label == label]
        correct = sum(p.correct for p in mine)
        confusions = Counter(p.predicted for p in mine if not p.correct).most_common(1)
        rows[label] = {
            "n": len(mine),
            "correct": correct,
            "accuracy": rate(correct, len(mine)),
            "most_confused_with": confusions[0][0] if confusions else None,
            "most_confused_count": confusions[0][1] if confusions else 0,
        }
    return rows


def evaluation_figures(first: Sequence[Prediction], off_topic: Sequence[Prediction]) -> dict:
    """`first`: the labelled first messages; `off_topic`: every message labelled out_of_scope."""
    in_scope = [p for p in first if p.label != OUT_OF_SCOPE]
    rejected = [p for p in off_topic if p.predicted in REJECTIONS]
    to_billing = [p for p in off_topic if p.predicted not in HARMLESS_FOR_OFF_TOPIC]
    starting = [p for p in to_billing if p.predicted in STARTS_A_FLOW]
    latencies_ms = sorted(p.seconds * 1000 for p in [*first, *off_topic])
    return {
        "in_scope": {
            "n": len(in_scope),
            "correct": sum(p.correct for p in in_scope),
            "accuracy": rate(sum(p.correct for p in in_scope), len(in_scope)),
            "wrongly_rejected": rate(sum(p.predicted in REJECTIONS for p in in_scope), len(in_scope)),
        },
        "out_of_scope": {
            "n": len(off_topic),
            "rejected": len(rejected),
            "rejection_rate": rate(len(rejected), len(off_topic)),
            "to_billing": len(to_billing),
            "off_topic_to_billing_rate": rate(len(to_billing), len(off_topic)),
            "to_billing_by_behaviour": dict(Counter(p.predicted for p in to_billing).most_common()),
            "starting_a_flow": len(starting),
            "off_topic_starting_a_flow_rate": rate(len(starting), len(off_topic)),
        },
        "per_behaviour": per_behaviour(first),
        "confused_pairs": [
            {"label": label, "predicted": predicted, "count": count}
            for (label, predicted), count in Counter(
                (p.label, p.predicted) for p in first if not p.correct
            ).most_common(15)
        ],
        "parse_ms": {
            "median": round(statistics.median(latencies_ms), 1),
            "p95": round(latencies_ms[int(0.95 * (len(latencies_ms) - 1))], 1),
        }
        if latencies_ms
        else None,
    }


def score_evaluation_set(model: str = MODEL) -> dict:
    first = load_labelled(FIRST_MESSAGES)
    off_topic_only = load_labelled(OUT_OF_SCOPE_MESSAGES)
    predictions = predict(model, [*first, *off_topic_only])
    first_predictions = predictions[: len(first)]
    off_topic = [p for p in predictions if p.label == OUT_OF_SCOPE]
    return evaluation_figures(first_predictions, off_topic)


# --- Markdown -----------------------------------------------------------------------------------


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.1f}%"


def _versus_baseline(name: str, value: float | None, baseline: dict) -> str:
    before = baseline.get(name)
    if value is None or before is None:
        return ""
    return f" (baseline {percent(before)})"


def evaluation_markdown(figures: dict, baseline: dict) -> str:
    in_scope, off_topic = figures["in_scope"], figures["out_of_scope"]
    lines = [
        "## Independent evaluation set (tests/evaluation)",
        "",
        "Scored on what the assistant would do: the guard's intent, `nlu_fallback` below the fallback "
        "threshold, the FAQ answer for `faq`. The messages are never trained on; fix behaviours, not these "
        "examples.",
        "",
        f"- In-scope first-message accuracy: **{percent(in_scope['accuracy'])}** "
        f"({in_scope['correct']} of {in_scope['n']})"
        f"{_versus_baseline('in_scope_accuracy', in_scope['accuracy'], baseline)}",
        f"- In-scope wrongly rejected (out_of_scope or nlu_fallback): {percent(in_scope['wrongly_rejected'])}"
        f"{_versus_baseline('in_scope_wrongly_rejected', in_scope['wrongly_rejected'], baseline)}",
        f"- Out-of-scope rejected (out_of_scope or nlu_fallback): **{percent(off_topic['rejection_rate'])}** "
        f"({off_topic['rejected']} of {off_topic['n']})"
        f"{_versus_baseline('out_of_scope_rejection_rate', off_topic['rejection_rate'], baseline)}",
        f"- Off-topic answered as billing or starting a billing flow: "
        f"**{percent(off_topic['off_topic_to_billing_rate'])}** "
        f"({off_topic['to_billing']} of {off_topic['n']})"
        f"{_versus_baseline('off_topic_to_billing_rate', off_topic['off_topic_to_billing_rate'], baseline)}",
        f"- Of those, starting a billing flow (a request or task, not an FAQ answer): "
        f"**{percent(off_topic['off_topic_starting_a_flow_rate'])}** "
        f"({off_topic['starting_a_flow']} of {off_topic['n']})",
    ]
    if figures.get("parse_ms"):
        lines.append(
            f"- Parse time per message: median {figures['parse_ms']['median']} ms, "
            f"p95 {figures['parse_ms']['p95']} ms"
        )
    if off_topic["to_billing_by_behaviour"]:
        lines.append(
            "- Off-topic messages went to: "
            + ", ".join(f"{name} {count}" for name, count in off_topic["to_billing_by_behaviour"].items())
        )
    lines += [
        "",
        "| behaviour | n | correct | accuracy | most often confused with |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for label, row in figures["per_behaviour"].items():
        confused = (
            f"{row['most_confused_with']} ({row['most_confused_count']})" if row["most_confused_with"] else ""
        )
        lines.append(f"| {label} | {row['n']} | {row['correct']} | {percent(row['accuracy'])} | {confused} |")
    if figures["confused_pairs"]:
        lines += [
            "",
            "Most confused pairs (label -> predicted: count): "
            + "; ".join(
                f"{pair['label']} -> {pair['predicted']}: {pair['count']}"
                for pair in figures["confused_pairs"]
            ),
        ]
    return "\n".join(lines) + "\n"


def table(title: str, report_path: Path) -> str:
    report = json.loads(report_path.read_text())
    rows = [
        f"## {title}",
        "",
        "| intent | precision | recall | F1 | examples |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, scores in sorted(report.items()):
        if (
            not isinstance(scores, dict)
            or "f1-score" not in scores
            or name in ("micro avg", "macro avg", "weighted avg")
        ):
            continue
        rows.append(
            f"| {name} | {scores['precision']:.3f} | {scores['recall']:.3f} | {scores['f1-score']:.3f} "
            f"| {scores['support']} |"
        )
    for average in ("macro avg", "weighted avg"):
        if average in report:
            scores = report[average]
            rows.append(
                f"| **{average}** | {scores['precision']:.3f} | {scores['recall']:.3f} "
                f"| {scores['f1-score']:.3f} | {scores['support']} |"
            )
    if "accuracy" in report:
        rows.append(f"\nAccuracy: {report['accuracy']:.3f}")
    return "\n".join(rows) + "\n"


def _report_summary(report_path: Path) -> dict:
    report = json.loads(report_path.read_text())
    return {"accuracy": report.get("accuracy"), "macro_f1": (report.get("macro avg") or {}).get("f1-score")}


# --- the run ------------------------------------------------------------------------------------


def run(args: Sequence[str]) -> None:
    subprocess.run([RASA, *args], check=True)


def flat_summary(figures: dict) -> dict:
    """The headline figures, flat, as stored in tests/evaluation/baseline.json for comparison."""
    return {
        "in_scope_accuracy": figures["in_scope"]["accuracy"],
        "in_scope_wrongly_rejected": figures["in_scope"]["wrongly_rejected"],
        "out_of_scope_rejection_rate": figures["out_of_scope"]["rejection_rate"],
        "off_topic_to_billing_rate": figures["out_of_scope"]["off_topic_to_billing_rate"],
        "off_topic_starting_a_flow_rate": figures["out_of_scope"]["off_topic_starting_a_flow_rate"],
    }


def missed_floors(summary: dict, options: argparse.Namespace) -> list[str]:
    """The gates asked for on the command line (CI) that these figures miss."""
    gates = [
        ("in_scope_accuracy", options.min_in_scope_accuracy, min),
        ("out_of_scope_rejection_rate", options.min_out_of_scope_rejection, min),
        ("in_scope_wrongly_rejected", options.max_in_scope_rejected, max),
        ("off_topic_to_billing_rate", options.max_off_topic_to_billing, max),
        ("off_topic_starting_a_flow_rate", options.max_off_topic_starting_a_flow, max),
    ]
    missed = []
    for name, limit, kind in gates:
        value = summary.get(name)
        if limit is None or value is None:
            continue
        if (kind is min and value < limit) or (kind is max and value > limit):
            missed.append(
                f"{name} {percent(value)} is {'below' if kind is min else 'above'} {percent(limit)}"
            )
    return missed


def _git_commit() -> str | None:
    try:
        return subprocess.run(
            ["git", "rev-parse", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=MODEL)
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    parser.add_argument(
        "--only-evaluation-set",
        action="store_true",
        help="score tests/evaluation only (skip the held-out file and cross-validation)",
    )
    parser.add_argument("--min-in-scope-accuracy", type=float, help="fail below this (0-1)")
    parser.add_argument("--min-out-of-scope-rejection", type=float, help="fail below this (0-1)")
    parser.add_argument("--max-in-scope-rejected", type=float, help="fail above this (0-1)")
    parser.add_argument("--max-off-topic-to-billing", type=float, help="fail above this (0-1)")
    parser.add_argument("--max-off-topic-starting-a-flow", type=float, help="fail above this (0-1)")
    options = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    REPORTS.mkdir(exist_ok=True)

    figures = score_evaluation_set(options.model)
    baseline = json.loads(BASELINE.read_text()) if BASELINE.exists() else {}
    results: dict = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "model": options.model,
        "summary": flat_summary(figures),
        "evaluation_set": figures,
    }
    sections = ["# NLU evaluation", "", evaluation_markdown(figures, baseline.get("summary", {}))]

    if not options.only_evaluation_set:
        run(
            [
                "test",
                "nlu",
                "--nlu",
                "tests/nlu_data",
                "--domain",
                "domain",
                "--model",
                options.model,
                "--out",
                str(REPORTS / "nlu-test"),
            ]
        )
        run(
            [
                "test",
                "nlu",
                "--nlu",
                "data/nlu",
                "--domain",
                "domain",
                "--cross-validation",
                "--folds",
                str(options.folds),
                "--config",
                str(CONFIG),
                "--out",
                str(REPORTS / "nlu-cross-validation"),
            ]
        )
        held_out = REPORTS / "nlu-test" / "intent_report.json"
        cross_validation = REPORTS / "nlu-cross-validation" / "intent_report.json"
        sections += [
            table("Held-out test file (tests/nlu_data), intents", held_out),
            table(
                f"{options.folds}-fold cross-validation on the training data, intents",
                cross_validation,
            ),
        ]
        selector = REPORTS / "nlu-test" / "response_selection_report.json"
        if selector.exists():
            sections.append(table("Held-out test file, FAQ answers", selector))
        results["held_out"] = _report_summary(held_out)
        results["cross_validation"] = {
            "folds": options.folds,
            **_report_summary(cross_validation),
        }

    (REPORTS / "nlu.md").write_text("\n".join(sections))
    (REPORTS / "evaluation.json").write_text(json.dumps(results, indent=2) + "\n")
    print(sections[2])
    print(f"Wrote {REPORTS / 'nlu.md'} and {REPORTS / 'evaluation.json'}")
    missed = missed_floors(results["summary"], options)
    for miss in missed:
        print(f"FLOOR MISSED: {miss}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
