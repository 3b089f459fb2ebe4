"""The eval suite: dataset validation, checks, metrics, reports and the `advisor eval` command."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from advisor.errors import ConfigError, InputError
from advisor.evaluation import run_eval, summarize
from advisor.evaluation.checks import check_case, citation_stats, claim_sentences
from advisor.evaluation.dataset import Case, knowledge_doc_ids, load_cases
from advisor.evaluation.report import compare, html, markdown, missed_thresholds, parse_thresholds
from advisor.models import Answer, Citation

ROOT = Path(__file__).resolve().parent.parent
DATASETS = ROOT / "evals" / "datasets"
# How case ids name the condition they test (e.g. fs-evidence-01).
FRAGMENT = {"production-evidence": "evidence", "lock-in": "lockin", "early-stage": "early",
            "core-differentiator": "core", "control-later": "control"}
COMPONENTS = {"experiment-tracking", "feature-store", "model-serving", "data-pipeline", "ml-monitoring",
              "training-infrastructure"}

TINY = [
    {"id": "tiny-et", "question": "Should we write our own experiment tracker or pay for one?",
     "expect": {"component": "experiment-tracking", "verdict": "buy", "mention": ["MLflow"],
                "cite": ["experiment-tracking"]}, "tags": ["smoke"]},
    {"id": "tiny-oos", "question": "What's the capital of Australia?", "expect": {"verdict": "refuse"}},
    {"id": "tiny-conv", "turns": ["Should we build or buy a feature store?",
                                  "What if our data must stay in the EU for regulatory reasons?"],
     "expect": {"component": "feature-store", "verdict": "hybrid", "cite": ["feature-store"]}},
    # Deliberately wrong expectation, so the run has a failure to report and compare.
    {"id": "tiny-wrong", "question": "Should we build our own ML monitoring?",
     "expect": {"component": "ml-monitoring", "verdict": "build"}},
]


def write(tmp_path: Path, cases, name: str = "tiny.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(cases, sort_keys=False), encoding="utf-8")
    return path


# -- dataset validation ---------------------------------------------------------------------------
def test_tiny_dataset_loads_with_scored_fields(tmp_path):
    cases = load_cases([write(tmp_path, TINY)], components=COMPONENTS)
    assert [c.id for c in cases] == ["tiny-et", "tiny-oos", "tiny-conv", "tiny-wrong"]
    assert cases[2].conversation[1].startswith("What if")
    assert cases[1].expect.expects_refusal and not cases[1].expect.scores_component
    assert cases[0].expect.scored()["mention"] == ["MLflow"]


@pytest.mark.parametrize("case, field, words", [
    ({"id": "x1", "expect": {"verdict": "buy"}}, "(case)", "exactly one of"),
    ({"id": "x2", "question": "q?", "turns": ["q?"], "expect": {"verdict": "buy"}}, "(case)", "exactly one of"),
    ({"id": "x3", "question": "q?", "expect": {"verdict": "maybe"}}, "expect.verdict", "buy"),
    ({"id": "x4", "question": "q?", "expect": {"verdict": "buy", "mentions": ["a"]}}, "expect.mentions", "extra"),
    ({"id": "x5", "question": "q?", "expect": {}}, "(case)", "nothing to score"),
    ({"id": "x6", "question": "q?", "expect": {"cite": "feature-store"}}, "expect.cite", "list"),
    ({"id": "x7", "question": "  ", "expect": {"verdict": "buy"}}, "(case)", "empty"),
    ({"id": "x8", "question": "q?"}, "expect", "required"),
    ({"id": "bad id", "question": "q?", "expect": {"verdict": "buy"}}, "id", "pattern"),
    ({"id": "x9", "question": "q?", "expect": {"verdict": "refuse", "cite": ["overview"]}}, "(case)", "refuse"),
])
def test_malformed_case_names_file_case_and_field(tmp_path, case, field, words):
    path = write(tmp_path, [TINY[0], case])
    with pytest.raises(ConfigError) as err:
        load_cases([path])
    msg = err.value.message
    assert str(path) in msg and f"case {case['id']!r}" in msg and f"field {field!r}" in msg
    assert words.lower() in msg.lower()
    assert err.value.hint


def test_unknown_component_and_doc_are_rejected(tmp_path):
    bad_comp = write(tmp_path, [{"id": "c1", "question": "q?", "expect": {"component": "vector-db"}}], "a.yaml")
    with pytest.raises(ConfigError, match=r"case 'c1': field 'expect.component': 'vector-db' is not a matrix"):
        load_cases([bad_comp], components=COMPONENTS)
    bad_doc = write(tmp_path, [{"id": "c2", "question": "q?", "expect": {"cite": ["no-such-note"]}}], "b.yaml")
    with pytest.raises(ConfigError, match=r"case 'c2': field 'expect.cite': 'no-such-note'"):
        load_cases([bad_doc], docs=knowledge_doc_ids(ROOT / "knowledge"))


def test_duplicate_ids_across_files_and_bad_files(tmp_path):
    a = write(tmp_path, [TINY[0]], "a.yaml")
    b = write(tmp_path, [TINY[0]], "b.yaml")
    with pytest.raises(ConfigError, match="duplicate id"):
        load_cases([a, b])
    (tmp_path / "c.yaml").write_text("id: not-a-list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="must be a YAML list"):
        load_cases([tmp_path / "c.yaml"])
    (tmp_path / "d.yaml").write_text("- id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_cases([tmp_path / "d.yaml"])
    with pytest.raises(ConfigError, match="does not exist"):
        load_cases([tmp_path / "missing.yaml"])
    with pytest.raises(ConfigError, match="no case is tagged nightly"):
        load_cases([a], tags=["nightly"])


def test_shipped_datasets_are_valid_and_cover_the_issue():
    from advisor.matrix import load_matrix

    matrix = load_matrix(ROOT / "knowledge" / "decision_matrix.yaml")
    cases = load_cases([DATASETS], components={c.slug for c in matrix.components},
                       docs=knowledge_doc_ids(ROOT / "knowledge"))
    assert len(cases) >= 110
    assert sum(c.expect.expects_refusal for c in cases) >= 15
    assert sum(len(c.conversation) > 1 for c in cases) >= 8
    assert 15 <= sum("smoke" in c.tags for c in cases) <= 35
    # Every component is asked with no context and under every condition its matrix row names.
    for comp in matrix.components:
        mine = [c for c in cases if c.expect.component == comp.slug]
        assert any(c.expect.verdict == comp.verdict for c in mine), comp.slug
        for rule in [*comp.conditions, *matrix.global_rules]:
            frag = FRAGMENT.get(rule.condition, rule.condition)
            assert any(f"-{frag}-" in c.id and c.expect.verdict == rule.verdict for c in mine), \
                (comp.slug, rule.condition)


# -- checks ---------------------------------------------------------------------------------------
TEXT = ("**Recommendation: Buy** (experiment tracking)\n\n"
        "Experiment tracking is commodity infrastructure, so buy a tracker. [1] Without that, it depends. [2]\n\n"
        "**Why**\n- MLflow can be self-hosted inside your network. [2]\n- Bananas are yellow fruit. [1]\n"
        "- A dangling claim. [9]\n\n**Sources**\n[1] Experiment tracking — Verdict (x.md)\n[2] MLflow (y.md)")
CITES = [Citation(n=1, doc_id="experiment-tracking", title="Experiment tracking",
                  snippet="Experiment tracking is commodity infrastructure; buy a mature tracker."),
         Citation(n=2, doc_id="mlflow", title="MLflow",
                  snippet="MLflow is open source and teams can self-host it inside their own network.")]


def test_claim_sentences_keep_markers_and_skip_sources():
    claims = claim_sentences(TEXT)
    texts = [s for s, _ in claims]
    assert ("Experiment tracking is commodity infrastructure, so buy a tracker.", [1]) in claims
    assert ("Without that, it depends.", [2]) in claims
    assert "MLflow can be self-hosted inside your network." in texts
    assert not any("Verdict (x.md)" in t for t in texts)


def test_citation_stats_validity_and_support(embeddings):
    stats = citation_stats(Answer(text=TEXT, verdict="buy", citations=CITES), embeddings.embed_documents)
    assert stats.markers == 5 and stats.valid_markers == 4
    assert stats.cited_sentences == 5
    # Supported: the commodity claim and the MLflow claim; not bananas, not "it depends", not [9].
    assert stats.supported_sentences == 2
    assert "Bananas are yellow fruit." in stats.unsupported and "A dangling claim." in stats.unsupported


def test_check_case_scores_only_what_is_set():
    case = Case.model_validate(TINY[0])
    good = Answer(text="Buy. MLflow is fine.", verdict="buy", component="experiment-tracking", citations=CITES)
    assert all(c.passed for c in check_case(case, good))
    bad = Answer(text="Nothing here.", verdict="build", component="experiment-tracking")
    outcome = {c.name: c.passed for c in check_case(case, bad)}
    assert outcome == {"verdict": False, "component": True, "mention": False, "cite": False}
    refusal = Case.model_validate(TINY[1])
    assert check_case(refusal, Answer(text="no", refused=True))[0].passed
    assert not check_case(refusal, Answer(text="x", verdict="buy"))[0].passed
    general = Case.model_validate({"id": "g", "question": "q?", "expect": {"component": None, "verdict": None}})
    assert [c.passed for c in check_case(general, Answer(text="x"))] == [True, True]
    assert [c.passed for c in check_case(general, Answer(text="x", refused=True))] == [False, True]


# -- metrics and reports --------------------------------------------------------------------------
def result(cid, expected, refused=False, passed=True, checks=(), rank=None, cit=(2, 2, 2, 1), lat=(10.0,)):
    return {"id": cid, "file": "f.yaml", "tags": [], "turns": ["q?"], "expected": expected,
            "answer": {"refused": refused}, "checks": [{"name": n, "expected": None, "got": None, "passed": p}
                                                        for n, p in checks],
            "passed": passed, "error": None, "latency_ms": list(lat),
            "citations": dict(zip(("markers", "valid_markers", "cited_sentences", "supported_sentences"), cit)),
            "retrieval_rank": rank, "scores_retrieval": "cite" in expected}


def test_summarize_counts_only_scoring_cases():
    results = [
        result("a", {"verdict": "buy", "cite": ["x"]}, checks=[("verdict", True), ("cite", True)], rank=1),
        result("b", {"verdict": "refuse"}, refused=True, checks=[("verdict", True)], cit=(0, 0, 0, 0)),
        result("c", {"verdict": "buy", "cite": ["x"]}, refused=True, passed=False,
               checks=[("verdict", False), ("cite", False)], rank=4, cit=(0, 0, 0, 0)),
        result("d", {"verdict": "refuse"}, passed=False, checks=[("verdict", False)], rank=None),
        result("e", {"component": None, "cite": ["x"]}, checks=[("component", True), ("cite", True)], rank=None,
               lat=(30.0, 50.0)),
    ]
    s = summarize(results)
    assert s["cases"] == 5 and s["passed"] == 3
    assert s["verdict_accuracy"] == 0.5 and s["counts"]["verdict_accuracy"] == 4
    assert s["component_accuracy"] == 1.0 and s["counts"]["component_accuracy"] == 1
    assert s["mention_rate"] is None and s["counts"]["mention_rate"] == 0
    assert s["refusal_precision"] == 0.5 and s["refusal_recall"] == 0.5
    assert s["citation_validity"] == 1.0 and s["citation_support"] == round(3 / 6, 4)
    assert s["retrieval_hit_at_5"] == round(2 / 3, 4)
    assert s["retrieval_mrr"] == round((1 + 0.25 + 0) / 3, 4)
    assert s["latency_ms_p50"] == 10.0 and s["counts"]["latency_ms_p95"] == 6
    assert s["outcomes"] == {"a": True, "b": True, "c": False, "d": False, "e": True}


def test_thresholds_parse_and_miss():
    assert parse_thresholds(["verdict_accuracy=0.9", "cite_rate=1"]) == {"verdict_accuracy": 0.9, "cite_rate": 1.0}
    with pytest.raises(InputError, match="unknown metric 'verdict_acc'") as err:
        parse_thresholds(["verdict_acc=0.9"])
    assert "verdict_accuracy" in err.value.hint
    for bad, words in (("verdict_accuracy", "METRIC=VALUE"), ("verdict_accuracy=high", "not a number"),
                       ("verdict_accuracy=90", "between 0 and 1"), ("latency_ms_p50=0.5", "unknown metric")):
        with pytest.raises(InputError, match=words):
            parse_thresholds([bad])
    summary = {"verdict_accuracy": 0.8, "cite_rate": 0.95, "mention_rate": None}
    misses = missed_thresholds(summary, {"verdict_accuracy": 0.9, "cite_rate": 0.9, "mention_rate": 0.5})
    assert len(misses) == 2 and "verdict_accuracy = 0.8000 is below 0.9" in misses[0]
    assert "mention_rate was not measured" in misses[1]


def test_compare_deltas_and_flips():
    base = {"cases": 3, "verdict_accuracy": 0.5, "latency_ms_p50": 20.0,
            "outcomes": {"a": True, "b": False, "gone": True}}
    now = {"cases": 3, "verdict_accuracy": 0.75, "latency_ms_p50": 25.0,
           "outcomes": {"a": False, "b": True, "new": True}}
    c = compare(now, base)
    assert c["deltas"]["verdict_accuracy"]["delta"] == 0.25 and c["deltas"]["latency_ms_p50"]["delta"] == 5.0
    assert c["deltas"]["cite_rate"]["delta"] is None
    assert (c["pass_to_fail"], c["fail_to_pass"]) == (["a"], ["b"])
    assert (c["new_cases"], c["removed_cases"]) == (["new"], ["gone"])


# -- end to end over the real chain -----------------------------------------------------------------
def test_run_eval_writes_reports_and_compares(advisor, settings, tmp_path):
    ds = write(tmp_path, TINY)
    first = run_eval(settings, datasets=[ds], out=tmp_path / "r1", advisor=advisor,
                     fail_under=["verdict_accuracy=0.9"])
    s = first.summary
    assert s["cases"] == 4 and s["outcomes"] == {"tiny-et": True, "tiny-oos": True, "tiny-conv": True,
                                                  "tiny-wrong": False}
    for key in ("verdict_accuracy", "component_accuracy", "refusal_precision", "refusal_recall", "mention_rate",
                "cite_rate", "citation_validity", "citation_support", "retrieval_hit_at_5", "retrieval_mrr",
                "latency_ms_p50", "latency_ms_p95"):
        assert key in s
    assert s["verdict_accuracy"] == 0.75 and s["refusal_precision"] == 1.0 and s["citation_validity"] == 1.0
    assert first.misses and "verdict_accuracy" in first.misses[0]
    rows = [json.loads(line) for line in (tmp_path / "r1" / "results.jsonl").read_text().splitlines()]
    # A fresh conversation per case; a multi-turn case keeps one conversation across its turns.
    cids = [r["answer"]["conversation_id"] for r in rows]
    assert len(set(cids)) == 4
    conv = rows[2]
    assert conv["answer"]["turn"] == 2 and conv["earlier_answers"][0]["component"] == "feature-store"
    assert {c["name"] for c in rows[0]["checks"]} == {"verdict", "component", "mention", "cite"}
    page = (tmp_path / "r1" / "report.html").read_text()
    assert "<svg" in page and "tiny-wrong" in page and "<style>" in page
    # The --fail-under threshold is kept in the summary and drawn on its bar; the missed one is red.
    assert s["thresholds"] == {"verdict_accuracy": 0.9}
    assert re.findall(r'<line class="threshold" data-metric="([a-z_0-9]+)"', page) == ["verdict_accuracy"]
    assert s["by_file"][str(ds)] == {"cases": 4, "passed": 3, "pass_rate": 0.75, "verdict_accuracy": 0.75,
                                     "component_accuracy": 1.0, "act_accuracy": None, "part_accuracy": None,
                                     "condition_f1": None}
    assert s["understanding"]["component"] == {"scored": 3, "correct": 3, "accuracy": 1.0}
    for external in ("http://", "https://", "src=", "href=", "<link", "<script", "url("):
        assert external not in page
    assert "tiny-wrong" in (tmp_path / "r1" / "report.md").read_text()

    # Compare against a baseline where tiny-wrong passed and tiny-et failed.
    baseline = dict(s, verdict_accuracy=0.5, outcomes=dict(s["outcomes"], **{"tiny-wrong": True, "tiny-et": False}))
    (tmp_path / "base.json").write_text(json.dumps(baseline))
    second = run_eval(settings, datasets=[ds], out=tmp_path / "r2", advisor=advisor,
                      compare_to=tmp_path / "base.json", tags=["smoke"])
    assert second.summary["cases"] == 1
    assert second.comparison["fail_to_pass"] == ["tiny-et"] and second.comparison["pass_to_fail"] == []
    assert second.comparison["removed_cases"] == ["tiny-oos", "tiny-conv", "tiny-wrong"]
    assert "Fail → pass (1)" in (tmp_path / "r2" / "report.md").read_text()
    assert (tmp_path / "r2" / "comparison.json").exists()


def case_in(file: str, cid: str, expected: dict, checks: list[tuple[str, bool]], got_conditions=()) -> dict:
    r = result(cid, expected, passed=all(ok for _, ok in checks), checks=checks)
    r["file"], r["answer"]["conditions"] = file, list(got_conditions)
    return r


def test_reports_break_down_by_dataset_and_field_and_draw_thresholds(tmp_path):
    from advisor.evaluation.report import write_reports

    results = [
        case_in("heldout/a.yaml", "a1", {"component": "feature-store", "act": "verdict", "verdict": "buy"},
                [("component", True), ("act", True), ("verdict", True)]),
        case_in("heldout/a.yaml", "a2", {"component": "model-serving", "act": "vendor", "verdict": "buy"},
                [("component", False), ("act", True), ("verdict", False)]),
        case_in("rows.yaml", "r1", {"part": "whole", "conditions": ["regulated", "scale"]},
                [("part", True), ("conditions", False)], got_conditions=["regulated"]),
        case_in("rows.yaml", "r2", {"part": "compute", "conditions": []}, [("part", False), ("conditions", True)]),
    ]
    summary = summarize(results) | {"retriever": "hybrid", "generator": "composer", "created": "now",
                                    "thresholds": {"verdict_accuracy": 0.9, "part_accuracy": 0.4}}
    assert summary["by_file"]["heldout/a.yaml"] == {
        "cases": 2, "passed": 1, "pass_rate": 0.5, "verdict_accuracy": 0.5, "component_accuracy": 0.5,
        "act_accuracy": 1.0, "part_accuracy": None, "condition_f1": None}
    assert summary["by_file"]["rows.yaml"]["part_accuracy"] == 0.5
    assert summary["by_file"]["rows.yaml"]["condition_f1"] == 0.6667  # 2tp / (2tp + fp + fn): tp 1, fp 0, fn 1
    u = summary["understanding"]
    assert u["component"] == {"scored": 2, "correct": 1, "accuracy": 0.5}
    assert u["act"] == {"scored": 2, "correct": 2, "accuracy": 1.0}
    assert u["part"] == {"scored": 2, "correct": 1, "accuracy": 0.5}
    assert u["conditions"] == {"scored": 2, "correct": 1, "accuracy": 0.5, "precision": 1.0, "recall": 0.5,
                               "f1": 0.6667}

    md = markdown(summary, results, None)
    assert "| metric | value | scored over | threshold |" in md
    assert "| verdict_accuracy | 0.500 | 2 | 0.900 (missed) |" in md and "| part_accuracy | 0.500 | 2 | 0.400 (met) |" in md
    assert "## By dataset" in md
    assert "| heldout/a.yaml | 2 | 1 | 0.500 | 0.500 | 0.500 | 1.000 | n/a | n/a |" in md
    assert "| rows.yaml | 2 | 0 | 0.000 | n/a | n/a | n/a | 0.500 | 0.667 |" in md
    assert "## Understanding by field" in md
    assert "| component | 2 | 1 | 0.500 |  |" in md and "| act | 2 | 2 | 1.000 |  |" in md
    assert "| conditions | 2 | 1 | 0.500 | micro P 1.000, R 0.500, F1 0.667 |" in md

    page = html(summary, results, None)
    lines = dict(re.findall(r'<line class="threshold" data-metric="([a-z_]+)" x1="(\d+)"', page))
    assert lines == {"verdict_accuracy": str(170 + round(420 * 0.9)), "part_accuracy": str(170 + round(420 * 0.4))}
    bars = re.findall(r'<text x="0" y="\d+">([a-z_0-9]+)</text>.*?<rect [^>]*/><rect [^>]* fill="(#\w+)"/>', page)
    assert dict(bars)["verdict_accuracy"] == "#c62828" and dict(bars)["part_accuracy"] == "#2e7d32"
    assert "<h2>By dataset</h2>" in page and "<h2>Understanding by field</h2>" in page and "heldout/a.yaml" in page
    for external in ("http://", "https://", "src=", "href=", "<link", "<script", "url("):
        assert external not in page  # the report opens offline

    # Without thresholds: no threshold column and no lines. A summary written before these figures still renders.
    plain = summarize(results) | {"retriever": "hybrid", "generator": "composer", "created": "now"}
    assert "threshold" not in markdown(plain, results, None) and "<line" not in html(plain, results, None)
    old = {k: v for k, v in plain.items() if k != "understanding"}
    old["by_file"] = {f: {"cases": v["cases"], "passed": v["passed"]} for f, v in plain["by_file"].items()}
    old_md = markdown(old, results, None)
    assert "| heldout/a.yaml | 2 | 1 | 0.500 | n/a |" in old_md and "| component | 2 | 1 | 0.500 |" in old_md
    write_reports(tmp_path, summary, results, None)
    assert json.loads((tmp_path / "summary.json").read_text())["understanding"]["part"]["correct"] == 1


def test_html_escapes_case_text():
    r = result("x<1>", {"verdict": "buy"}, passed=False, checks=[("verdict", False)])
    r["turns"] = ["<script>alert(1)</script>"]
    summary = summarize([r]) | {"retriever": "hybrid", "generator": "composer", "created": "now"}
    page = html(summary, [r], None)
    assert "<script>" not in page and "&lt;script&gt;" in page and "x&lt;1&gt;" in page


def test_cli_eval_exit_codes(settings, data_dir, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from advisor.cli import app

    monkeypatch.setenv("ADVISOR_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ADVISOR_KNOWLEDGE_DIR", str(ROOT / "knowledge"))
    runner = CliRunner()
    ds = write(tmp_path, TINY[:2])
    res = runner.invoke(app, ["eval", "--dataset", str(ds), "--fail-under", "verdict_acc=0.9"])
    assert res.exit_code == 2 and "unknown metric 'verdict_acc'" in res.output
    res = runner.invoke(app, ["eval", "--dataset", str(ds), "--retriever", "fuzzy"])
    assert res.exit_code == 2 and "--retriever 'fuzzy'" in res.output
    bad = write(tmp_path, [{"id": "broken", "question": "q?", "expect": {"verdict": "perhaps"}}], "bad.yaml")
    res = runner.invoke(app, ["eval", "--dataset", str(bad)])
    assert res.exit_code == 2 and "case 'broken'" in res.output and "expect.verdict" in res.output
    out = tmp_path / "run"
    res = runner.invoke(app, ["eval", "--dataset", str(ds), "--out", str(out), "--retriever", "bm25",
                              "--fail-under", "verdict_accuracy=1.0"])
    assert res.exit_code == 0, res.output
    assert json.loads((out / "summary.json").read_text())["retriever"] == "bm25"
    wrong = write(tmp_path, [TINY[3]], "wrong.yaml")
    res = runner.invoke(app, ["eval", "--dataset", str(wrong), "--out", str(tmp_path / "run2"),
                              "--fail-under", "verdict_accuracy=0.5"])
    assert res.exit_code == 1 and "verdict_accuracy = 0.0000 is below 0.5" in res.output


@pytest.mark.slow
def test_cli_eval_on_an_empty_index_exits_4_before_any_case(tmp_path):
    """The console script in a subprocess, on a data dir with no index: one error and exit 4, no FAIL per case."""
    ds = write(tmp_path, TINY)
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(ADVISOR_DATA_DIR=str(tmp_path / "data"), ADVISOR_KNOWLEDGE_DIR=str(ROOT / "knowledge"),
               HF_HUB_OFFLINE="1", TOKENIZERS_PARALLELISM="false", ANONYMIZED_TELEMETRY="False")
    result = subprocess.run([str(Path(sys.executable).parent / "advisor"), "eval", "--dataset", str(ds),
                             "--out", str(tmp_path / "run")], cwd=tmp_path, env=env, capture_output=True,
                            text=True, check=False, timeout=600)
    assert result.returncode == 4, (result.stdout, result.stderr)
    assert "error: the knowledge index is empty" in result.stderr and "advisor ingest" in result.stderr
    assert "FAIL" not in result.stdout + result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "run").exists(), "no report for a run that could not start"
