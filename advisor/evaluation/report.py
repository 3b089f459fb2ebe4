"""Eval reports: results.jsonl, summary.json, report.md, a self-contained report.html, and comparisons."""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import ConfigError, InputError
from .pages import METRICS, html, markdown
from .runner import RATE_METRICS

__all__ = ["compare", "html", "load_summary", "markdown", "missed_thresholds", "parse_thresholds", "write_reports"]


def parse_thresholds(items: list[str] | None) -> dict[str, float]:
    """Parse METRIC=VALUE pairs; unknown metrics and values outside [0, 1] are input errors."""
    out: dict[str, float] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep:
            raise InputError(f"--fail-under {item!r} is not METRIC=VALUE", "write e.g. --fail-under verdict_accuracy=0.9")
        if name not in RATE_METRICS:
            raise InputError(f"--fail-under: unknown metric {name!r}",
                             f"use one of {', '.join(RATE_METRICS)} (latency belongs in benchmarks/)")
        try:
            v = float(value)
        except ValueError:
            raise InputError(f"--fail-under {name}: {value!r} is not a number", "use a share between 0 and 1") from None
        if not 0 <= v <= 1:
            raise InputError(f"--fail-under {name}={v}: the value must be between 0 and 1", "e.g. 0.9 for 90%")
        out[name] = v
    return out


def missed_thresholds(summary: dict, thresholds: dict[str, float]) -> list[str]:
    """Human-readable misses; a metric that could not be measured (no scoring cases) is a miss too."""
    misses = []
    for name, floor in thresholds.items():
        value = summary.get(name)
        if value is None:
            misses.append(f"{name} was not measured (no case scores it) but --fail-under needs {floor}")
        elif value < floor:
            misses.append(f"{name} = {value:.4f} is below {floor}")
    return misses


def load_summary(path: Path) -> dict:
    """Read a previous summary.json for --compare."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"--compare: {path} does not exist", "pass the summary.json of an earlier run") from None
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"--compare: {path} is not a readable summary.json: {exc}",
                          "pass the summary.json written by `advisor eval`") from exc
    if not isinstance(data, dict) or "cases" not in data:
        raise ConfigError(f"--compare: {path} does not look like an eval summary (no 'cases' key)",
                          "pass the summary.json written by `advisor eval`")
    return data


def compare(summary: dict, baseline: dict) -> dict:
    """Per-metric deltas and the cases whose outcome flipped between the baseline and this run."""
    deltas = {}
    for m in METRICS:
        new, old = summary.get(m), baseline.get(m)
        deltas[m] = {"baseline": old, "current": new,
                     "delta": round(new - old, 4) if new is not None and old is not None else None}
    now, before = summary.get("outcomes", {}), baseline.get("outcomes", {})
    common = [c for c in now if c in before]
    return {"deltas": deltas,
            "pass_to_fail": [c for c in common if before[c] and not now[c]],
            "fail_to_pass": [c for c in common if not before[c] and now[c]],
            "new_cases": [c for c in now if c not in before],
            "removed_cases": [c for c in before if c not in now]}


def write_reports(out: Path, summary: dict, results: list[dict], comparison: dict | None) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with (out / "results.jsonl").open("w", encoding="utf-8") as fh:
        for r in results:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if comparison:
        (out / "comparison.json").write_text(json.dumps(comparison, indent=2) + "\n", encoding="utf-8")
    (out / "report.md").write_text(markdown(summary, results, comparison), encoding="utf-8")
    (out / "report.html").write_text(html(summary, results, comparison), encoding="utf-8")
