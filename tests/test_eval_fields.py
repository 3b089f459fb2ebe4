"""The eval fields for act, part, conditions, lead and not_mention: schema, checks, metrics, reports.

Pure unit tests over hand-built `Answer` objects and result dicts: no index, no model.
"""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from advisor.errors import ConfigError
from advisor.evaluation import RATE_METRICS, summarize, validate_for
from advisor.evaluation.checks import check_case, lead_sentences
from advisor.evaluation.dataset import ACTS, Case, load_cases
from advisor.evaluation.report import html, markdown, parse_thresholds, write_reports
from advisor.models import Answer
from advisor.settings import Settings

# A stand-in for the taxonomy's ids, so the tests do not depend on knowledge/conditions.yaml's current list.
CONDITIONS = {"regulated", "scale", "early-stage", "budget"}


def write(tmp_path: Path, cases, name: str = "cases.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(cases, sort_keys=False), encoding="utf-8")
    return path


def case(**expect) -> Case:
    return Case.model_validate({"id": "c", "question": "q?", "expect": expect})


# -- schema -------------------------------------------------------------------------------------------
def test_new_fields_load_alone_and_are_reported_as_scored(tmp_path):
    cases = load_cases([write(tmp_path, [
        {"id": "a1", "question": "q?", "expect": {"act": "vendor"}},
        {"id": "a2", "question": "q?", "expect": {"part": "wrapper"}},
        {"id": "a3", "question": "q?", "expect": {"conditions": ["regulated", "scale"]}},
        {"id": "a4", "question": "q?", "expect": {"conditions": []}},
        {"id": "a5", "question": "q?", "expect": {"lead": ["buy"]}},
        {"id": "a6", "question": "q?", "expect": {"not_mention": ["Feast"]}},
        {"id": "a7", "question": "q?", "expect": {"verdict": "buy", "mention": ["MLflow"]}},
    ])], conditions=CONDITIONS)
    scored = [c.expect.scored() for c in cases]
    assert scored[:6] == [{"act": "vendor"}, {"part": "wrapper"}, {"conditions": ["regulated", "scale"]},
                          {"conditions": []}, {"lead": ["buy"]}, {"not_mention": ["Feast"]}]
    # Left out = not scored.
    assert scored[6] == {"verdict": "buy", "mention": ["MLflow"]}
    assert not cases[6].expect.scores_conditions and cases[3].expect.scores_conditions
    assert len(ACTS) == 14


@pytest.mark.parametrize("expect, field, words", [
    ({"act": "opinion"}, "expect.act", "is not an act"),
    ({"act": None}, "expect.act", "is not an act"),
    ({"act": ["verdict"]}, "expect.act", "string"),
    ({"part": "Engine room"}, "expect.part", "is not a part"),
    ({"part": None}, "expect.part", "is not a part"),
    ({"conditions": "regulated"}, "expect.conditions", "list"),
    ({"conditions": None}, "expect.conditions", "list"),
    ({"conditions": ["regulated", " "]}, "expect.conditions", "non-empty"),
    ({"lead": [""]}, "expect.lead", "non-empty"),
    ({"not_mention": "Feast"}, "expect.not_mention", "list"),
    ({"not_mentions": ["Feast"]}, "expect.not_mentions", "extra"),
])
def test_bad_new_fields_name_file_case_and_field(tmp_path, expect, field, words):
    path = write(tmp_path, [{"id": "bad-1", "question": "q?", "expect": expect}])
    with pytest.raises(ConfigError) as err:
        load_cases([path], conditions=CONDITIONS)
    msg = err.value.message
    assert str(path) in msg and "case 'bad-1'" in msg and f"field {field!r}" in msg, msg
    assert words.lower() in msg.lower(), msg
    assert err.value.hint


def test_act_and_part_errors_list_the_allowed_values(tmp_path):
    with pytest.raises(ConfigError, match="what-if") as err:
        load_cases([write(tmp_path, [{"id": "x", "question": "q?", "expect": {"act": "whatif"}}])])
    assert "'whatif'" in err.value.message
    # Parts come from the matrix row of the expected component: the error lists that row's parts.
    parts = {"training-infrastructure": {"compute", "training-code"}, "llm-inference": {"engine", "fine-tuning"}}
    bad = {"id": "y", "question": "q?", "expect": {"component": "training-infrastructure", "part": "code"}}
    with pytest.raises(ConfigError, match="training-code") as err:
        load_cases([write(tmp_path, [bad])], parts=parts)
    assert "field 'expect.part'" in err.value.message and "not a part of training-infrastructure" in err.value.message
    ok = {"id": "z", "question": "q?", "expect": {"component": "llm-inference", "part": "engine"}}
    assert load_cases([write(tmp_path, [ok])], parts=parts)[0].expect.part == "engine"


def test_unknown_condition_is_rejected_only_when_ids_are_given(tmp_path):
    path = write(tmp_path, [{"id": "cond-1", "question": "q?", "expect": {"conditions": ["regulated", "gdpr"]}}])
    with pytest.raises(ConfigError) as err:
        load_cases([path], conditions=CONDITIONS)
    msg = err.value.message
    assert str(path) in msg and "case 'cond-1'" in msg and "field 'expect.conditions'" in msg
    assert "'gdpr' is not a condition id" in msg and "regulated" in err.value.hint
    assert load_cases([path])[0].expect.conditions == ["regulated", "gdpr"]  # no taxonomy given: not checked


def test_validate_for_checks_conditions_against_the_taxonomy(tmp_path, monkeypatch):
    """The eval command's loader passes the taxonomy's ids (stubbed: the real files are being edited)."""
    import advisor.matrix

    loaded = []

    def taxonomy(path):
        loaded.append(path)
        return SimpleNamespace(ids=["regulated", "scale", "simple"])

    monkeypatch.setattr(advisor.matrix, "load_taxonomy", taxonomy)
    monkeypatch.setattr(advisor.matrix, "load_matrix",
                        lambda path: SimpleNamespace(components=[SimpleNamespace(slug="feature-store", parts=[])]))
    settings = Settings(knowledge_dir=tmp_path / "knowledge", data_dir=tmp_path / "data")
    good = write(tmp_path, [{"id": "ok", "question": "q?",
                             "expect": {"component": "feature-store", "conditions": ["scale", "simple"]}}], "good.yaml")
    assert [c.id for c in validate_for(settings, [good])] == ["ok"]
    assert loaded == [settings.taxonomy_path]
    bad = write(tmp_path, [{"id": "nope", "question": "q?", "expect": {"conditions": ["budget"]}}], "bad.yaml")
    with pytest.raises(ConfigError, match=r"case 'nope': field 'expect.conditions': 'budget' is not a condition id"):
        validate_for(settings, [bad])


# -- lead extraction ----------------------------------------------------------------------------------
BADGED = ("**Recommendation: Buy** (experiment tracking)\n\n"
          "Experiment tracking is commodity infrastructure, so buy a tracker. [1] Without that, it depends. [2]\n\n"
          "**Why**\n- MLflow can be self-hosted inside your network. [2]\n\n**Sources**\n[1] A (a.md)\n[2] B (b.md)")


@pytest.mark.parametrize("text, lead", [
    (BADGED, ["Experiment tracking is commodity infrastructure, so buy a tracker.", "Without that, it depends."]),
    # Heading lines are skipped anywhere; a line break ends a bullet; markers in any shape go.
    ("**General guidance: Risks**\n- Lock-in is the first risk [1][2]\n- Costs grow, e.g. Feast upkeep [3, 4]\n- x",
     ["Lock-in is the first risk", "Costs grow, e.g. Feast upkeep"]),
    ("# Verdict\n\n> **Build.** Your product *is* the platform [1]. Buy the rest.",
     ["Build.", "Your product is the platform."]),
    (("Recommendation: Hybrid (feature store)\nGiven what you've told me (regulated): keep data in the EU [1]. "
      "Use W&B. Then more."), ["Given what you've told me (regulated): keep data in the EU.", "Use W&B."]),
    (("✅ **Recommendation: Depends** (vector database)\n\nSee [the notes](https://x.y) first, i.e. Pinecone vs. "
      "Weaviate. Done."), ["See the notes first, i.e. Pinecone vs. Weaviate.", "Done."]),
    ("Only one sentence here [1].\n\n**Sources**\n[1] Must not be read.", ["Only one sentence here."]),
    ("", []),
])
def test_lead_sentences(text, lead):
    assert lead_sentences(text) == lead


def test_lead_and_not_mention_checks():
    c = case(lead=["commodity", "WITHOUT THAT"], not_mention=["Feast", "build it yourself"])
    outcome = {k.name: k for k in check_case(c, Answer(text=BADGED, verdict="buy"))}
    assert outcome["lead"].passed and outcome["lead"].got["missing"] == []
    assert outcome["lead"].got["lead"].startswith("Experiment tracking is commodity")
    assert outcome["not_mention"].passed and outcome["not_mention"].got == {"found": []}
    # "MLflow" is in the answer but only in the third sentence: not in the lead.
    late = check_case(case(lead=["MLflow", "buy"]), Answer(text=BADGED))[0]
    assert not late.passed and late.got["missing"] == ["MLflow"]
    # The badge itself is not part of the lead.
    assert not check_case(case(lead=["Recommendation"]), Answer(text=BADGED))[0].passed
    found = check_case(case(not_mention=["mlflow", "Tecton"]), Answer(text=BADGED))[0]
    assert not found.passed and found.got == {"found": ["mlflow"]}


# -- act, part, conditions checks ---------------------------------------------------------------------
def test_act_part_and_conditions_checks():
    c = case(act="what-if", part="whole", conditions=["scale", "regulated"])
    good = Answer(text="x", act="what-if", part=None, conditions=["regulated", "scale"])
    assert {k.name: k.passed for k in check_case(c, good)} == {"act": True, "part": True, "conditions": True}
    bad = Answer(text="x", act=None, part="platform", conditions=["regulated", "scale", "budget"])
    checks = {k.name: k for k in check_case(c, bad)}
    assert {n: k.passed for n, k in checks.items()} == {"act": False, "part": False, "conditions": False}
    assert checks["act"].got is None and checks["part"].got == "platform"
    assert checks["conditions"].expected == ["regulated", "scale"]
    assert checks["conditions"].got == ["budget", "regulated", "scale"]
    # Part None counts as "whole"; it does not match a named part.
    assert not check_case(case(part="wrapper"), Answer(text="x"))[0].passed
    # `conditions: []` expects that none is in force.
    assert check_case(case(conditions=[]), Answer(text="x"))[0].passed
    assert not check_case(case(conditions=[]), Answer(text="x", conditions=["scale"]))[0].passed
    # Only what the case sets is scored.
    assert [k.name for k in check_case(case(act="vendor"), bad)] == ["act"]


# -- metrics ------------------------------------------------------------------------------------------
def res(cid, expected, answer=None, checks=(), passed=None, error=None):
    """A result row as run_case writes it (answer as dumped JSON, checks as dicts)."""
    checks = [{"name": n, "expected": expected.get(n), "got": g, "passed": p} for n, g, p in checks]
    return {"id": cid, "file": "f.yaml", "tags": [], "turns": ["q?"], "expected": expected,
            "answer": None if error else {"refused": False, "conditions": [], **(answer or {})},
            "checks": checks,
            "passed": (not error and all(c["passed"] for c in checks)) if passed is None else passed,
            "error": error, "latency_ms": [1.0], "citations": None, "retrieval_rank": None,
            "scores_retrieval": False}


def test_condition_micro_f1_hand_computed():
    results = [
        # TP {regulated}, FN {scale}
        res("a", {"conditions": ["regulated", "scale"]}, {"conditions": ["regulated"]}),
        # TP {budget}, FP {early-stage, scale}
        res("b", {"conditions": ["budget"]}, {"conditions": ["budget", "early-stage", "scale"]}),
        # nothing expected, nothing got: no counts, but the case is scored
        res("c", {"conditions": []}, {"conditions": []}),
        # errored: FN {regulated}
        res("d", {"conditions": ["regulated"]}, error="boom"),
        # does not set conditions: ignored even though the answer has some
        res("e", {"verdict": "buy"}, {"conditions": ["scale"]}),
    ]
    s = summarize(results)
    # TP 2, FP 2, FN 2: precision 2/4, recall 2/4, F1 = 2*2 / (2*2 + 2 + 2) = 0.5
    assert s["condition_counts"] == {"tp": 2, "fp": 2, "fn": 2}
    assert (s["condition_precision"], s["condition_recall"], s["condition_f1"]) == (0.5, 0.5, 0.5)
    assert s["counts"]["condition_precision"] == 4 and s["counts"]["condition_recall"] == 4
    assert s["counts"]["condition_f1"] == 4
    # An asymmetric example: TP 1, FP 0, FN 2 -> P 1.0, R 1/3, F1 2/(2+0+2) = 0.5
    s = summarize([res("x", {"conditions": ["regulated", "scale", "budget"]}, {"conditions": ["scale"]})])
    assert (s["condition_precision"], s["condition_recall"], s["condition_f1"]) == (1.0, 0.3333, 0.5)
    # Nothing to score: null; scored but nothing expected or got anywhere: 1.0 (nothing wrong).
    assert summarize([res("y", {"verdict": "buy"})])["condition_f1"] is None
    assert summarize([res("z", {"conditions": []})])["condition_f1"] == 1.0


def test_new_rates_confusion_and_by_act():
    results = [
        res("a", {"act": "vendor", "component": "feature-store"},
            checks=[("act", "vendor", True), ("component", "feature-store", True)]),
        res("b", {"act": "vendor", "component": "feature-store"},
            checks=[("act", "verdict", False), ("component", None, False)]),
        res("c", {"act": "verdict", "component": None, "part": "wrapper"},
            checks=[("act", None, False), ("component", None, True), ("part", "whole", False)]),
        res("d", {"act": "verdict", "lead": ["buy"]}, error="model down"),
        res("e", {"lead": ["buy"], "not_mention": ["Feast"]},
            checks=[("lead", {"missing": []}, True), ("not_mention", {"found": ["Feast"]}, False)]),
        res("f", {"verdict": "buy"}, checks=[("verdict", "buy", True)]),
    ]
    s = summarize(results)
    assert s["act_accuracy"] == 0.25 and s["counts"]["act_accuracy"] == 4  # the errored case counts as failed
    assert s["part_accuracy"] == 0.0 and s["counts"]["part_accuracy"] == 1
    assert s["lead_rate"] == 0.5 and s["counts"]["lead_rate"] == 2
    assert s["not_mention_rate"] == 0.0 and s["counts"]["not_mention_rate"] == 1
    assert s["confusion"]["act"] == {"vendor": {"vendor": 1, "verdict": 1},
                                     "verdict": {"error": 1, "none": 1}}
    assert s["confusion"]["component"] == {"feature-store": {"feature-store": 1, "none": 1}, "none": {"none": 1}}
    assert s["by_act"] == {"vendor": {"cases": 2, "passed": 1}, "verdict": {"cases": 2, "passed": 0}}
    for m in ("act_accuracy", "part_accuracy", "condition_f1", "condition_precision", "condition_recall",
              "lead_rate", "not_mention_rate"):
        assert m in RATE_METRICS and parse_thresholds([f"{m}=0.9"]) == {m: 0.9}
    # Nothing scored: the rates are null and the tables empty.
    empty = summarize([results[-1]])
    assert empty["act_accuracy"] is None and empty["confusion"] == {"act": {}, "component": {}}
    assert empty["by_act"] == {}


def test_reports_show_new_metrics_confusion_and_by_act(tmp_path):
    results = [
        res("a", {"act": "vendor", "component": "feature-store"},
            checks=[("act", "verdict", False), ("component", "feature-store", True)]),
        res("b<x>", {"act": "risks", "component": None}, checks=[("act", "risks", True), ("component", None, True)]),
    ]
    summary = summarize(results) | {"retriever": "hybrid", "generator": "composer", "created": "now"}
    md = markdown(summary, results, None)
    assert "| act_accuracy | 0.500 | 2 |" in md and "| condition_f1 | n/a | 0 |" in md
    assert "## Act confusion" in md and "## Component confusion" in md and "## By act" in md
    assert "| vendor |  | 1 |" in md  # expected vendor: 0 x risks (blank), 1 x verdict
    assert "| vendor | 1 | 0 | 0.000 |" in md and "| risks | 1 | 1 | 1.000 |" in md
    page = html(summary, results, None)
    assert "Act confusion" in page and "By act" in page and 'class="hit"' in page and 'class="miss"' in page
    write_reports(tmp_path, summary, results, None)
    saved = json.loads((tmp_path / "summary.json").read_text())
    assert saved["confusion"]["act"] == {"risks": {"risks": 1}, "vendor": {"verdict": 1}}
    assert saved["by_act"]["vendor"] == {"cases": 1, "passed": 0} and "condition_f1" in saved
    # A summary from before these fields (e.g. an old baseline) still renders.
    old = {k: v for k, v in summary.items() if k not in ("confusion", "by_act")}
    assert "no case scores it" in markdown(old, results, None) and "no case scores it" in html(old, results, None)
