"""CI holds understanding to its floors (tests/evaluation/floors.json): the trained model scored on the
independent evaluation set, as `make evaluate` scores it. The floors are measured figures, raised as the
assistant improves; issue 9's targets are 95% in scope, <=3% wrongly rejected, >=90% out of scope
rejected, <=1% off topic answered as billing."""

from __future__ import annotations

import json
from argparse import Namespace
from pathlib import Path

import pytest

from assistant.evaluation import flat_summary, missed_floors, score_evaluation_set

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "billing-assistant.tar.gz"
FLOORS = json.loads((ROOT / "tests" / "evaluation" / "floors.json").read_text())["understanding"]


def test_the_evaluation_set_is_understood_at_or_above_the_floors(monkeypatch):
    if not MODEL.exists():
        pytest.fail(f"{MODEL} is missing: `make test` trains it first", pytrace=False)
    monkeypatch.chdir(ROOT)  # the evaluation set's paths are relative to the project
    summary = flat_summary(score_evaluation_set(str(MODEL)))
    assert missed_floors(summary, Namespace(**FLOORS)) == [], summary
