"""`make evaluate`: NLU scores on the held-out test file and by cross-validation on the training
data, written as Markdown tables to reports/nlu.md (raw reports beside it)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPORTS = Path("reports")
MODEL = "models/billing-assistant.tar.gz"
RASA = str(Path(sys.executable).parent / "rasa")


def run(args) -> None:
    subprocess.run([RASA, *args], check=True)


def table(title: str, report_path: Path) -> str:
    report = json.loads(report_path.read_text())
    rows = [f"## {title}", "", "| intent | precision | recall | F1 | examples |", "| --- | ---: | ---: | ---: | ---: |"]
    for name, scores in sorted(report.items()):
        if not isinstance(scores, dict) or "f1-score" not in scores or name in ("micro avg", "macro avg",
                                                                                   "weighted avg"):
            continue
        rows.append(f"| {name} | {scores['precision']:.3f} | {scores['recall']:.3f} | {scores['f1-score']:.3f} "
                    f"| {scores['support']} |")
    for average in ("macro avg", "weighted avg"):
        if average in report:
            scores = report[average]
            rows.append(f"| **{average}** | {scores['precision']:.3f} | {scores['recall']:.3f} "
                        f"| {scores['f1-score']:.3f} | {scores['support']} |")
    if "accuracy" in report:
        rows.append(f"\nAccuracy: {report['accuracy']:.3f}")
    return "\n".join(rows) + "\n"


def main() -> int:
    REPORTS.mkdir(exist_ok=True)
    run(["test", "nlu", "--nlu", "tests/nlu_data", "--model", MODEL, "--out", str(REPORTS / "nlu-test")])
    run(["test", "nlu", "--nlu", "data/nlu", "--cross-validation", "--folds", "3", "--config", "config.yml",
         "--out", str(REPORTS / "nlu-cross-validation")])
    sections = ["# NLU evaluation", "",
                table("Held-out test file (tests/nlu_data), intents", REPORTS / "nlu-test" / "intent_report.json"),
                table("3-fold cross-validation on the training data, intents",
                      REPORTS / "nlu-cross-validation" / "intent_report.json")]
    selector = REPORTS / "nlu-test" / "response_selection_report.json"
    if selector.exists():
        sections.append(table("Held-out test file, FAQ answers (ResponseSelector)", selector))
    (REPORTS / "nlu.md").write_text("\n".join(sections))
    print(f"Wrote {REPORTS / 'nlu.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
