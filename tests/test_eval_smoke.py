"""The eval smoke: the cases tagged `smoke` through the real chain must meet the CI thresholds."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.evaluation import SMOKE_THRESHOLDS, run_eval

DATASETS = Path(__file__).resolve().parent.parent / "evals" / "datasets"


@pytest.mark.slow
def test_smoke_cases_meet_thresholds(advisor, settings, tmp_path):
    fail_under = [f"{name}={value}" for name, value in SMOKE_THRESHOLDS.items()]
    run = run_eval(settings, datasets=[DATASETS], out=tmp_path / "smoke", tags=["smoke"], advisor=advisor,
                   fail_under=fail_under)
    failed = [f"{r['id']}: expected {r['expected']}, got "
              + "; ".join(f"{c['name']}={c['got']}" for c in r["checks"] if not c["passed"])
              for r in run.results if not r["passed"]]
    assert run.summary["cases"] >= 15
    # Every kind of metric was actually measured, so a threshold cannot pass vacuously.
    for name in SMOKE_THRESHOLDS:
        assert run.summary["counts"][name] > 0, name
    assert not run.misses, "\n".join(run.misses + failed)
