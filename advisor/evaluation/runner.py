"""Run eval cases through the advisor chain and aggregate the metrics the reports show."""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from ..errors import AdvisorError
from .checks import as_dicts, check_case, citation_stats
from .dataset import Case

# Metrics where higher is better and the value is a share in [0, 1]: the ones --fail-under accepts.
RATE_METRICS = ("verdict_accuracy", "component_accuracy", "act_accuracy", "part_accuracy",
                "condition_precision", "condition_recall", "condition_f1", "refusal_precision", "refusal_recall",
                "mention_rate", "lead_rate", "not_mention_rate", "cite_rate", "citation_validity",
                "citation_support", "retrieval_hit_at_5", "retrieval_mrr", "pass_rate")
LATENCY_METRICS = ("latency_ms_p50", "latency_ms_p95")
RETRIEVAL_DEPTH = 10  # MRR looks this deep; hit@5 looks at the first five


def retrieval_rank(advisor, case: Case) -> int | None:
    """1-based rank of the first retrieved passage from a `cite` doc (None: not in the top RETRIEVAL_DEPTH).

    The retriever is called directly, without the chain's topic boost, so the number measures the
    retriever alone; a conversation's turns are joined into one query because the expectation is about
    the conversation as a whole.
    """
    query = " ".join(case.conversation)
    passages = advisor.retriever.search(query, k=RETRIEVAL_DEPTH)
    for rank, p in enumerate(passages, 1):
        if p.doc_id in case.expect.cite:
            return rank
    return None


def run_case(advisor, case: Case) -> dict:
    """Ask every turn of the case in one fresh conversation and score the last answer."""
    cid = None
    latencies: list[float] = []
    answers = []
    try:
        for question in case.conversation:
            t0 = time.perf_counter()
            answer = advisor.ask(question, cid, channel="eval")
            latencies.append((time.perf_counter() - t0) * 1000)
            cid = answer.conversation_id
            answers.append(answer)
    except AdvisorError as exc:
        return {"id": case.id, "file": case.file, "tags": case.tags, "turns": case.conversation,
                "expected": case.expect.scored(), "answer": None, "checks": [], "passed": False,
                "error": str(exc), "latency_ms": latencies, "citations": None, "retrieval_rank": None}
    last = answers[-1]
    checks = check_case(case, last)
    stats = citation_stats(last, advisor.embeddings.embed_documents)
    rank = None
    scores_retrieval = bool(case.expect.cite)
    if scores_retrieval:
        rank = retrieval_rank(advisor, case)
    return {
        "id": case.id, "file": case.file, "tags": case.tags, "turns": case.conversation,
        "expected": case.expect.scored(),
        "answer": last.model_dump(mode="json"),
        "earlier_answers": [{"verdict": a.verdict, "component": a.component, "refused": a.refused}
                            for a in answers[:-1]],
        "checks": as_dicts(checks), "passed": all(c.passed for c in checks), "error": None,
        "latency_ms": [round(x, 2) for x in latencies],
        "citations": {"markers": stats.markers, "valid_markers": stats.valid_markers,
                      "cited_sentences": stats.cited_sentences,
                      "supported_sentences": stats.supported_sentences,
                      "unsupported": stats.unsupported},
        "retrieval_rank": rank, "scores_retrieval": scores_retrieval,
    }


def run_cases(advisor, cases: list[Case], on_result: Callable[[int, dict], None] | None = None) -> list[dict]:
    results = []
    for i, case in enumerate(cases, 1):
        res = run_case(advisor, case)
        results.append(res)
        if on_result:
            on_result(i, res)
    return results


def _share(num: int, den: int) -> float | None:
    return round(num / den, 4) if den else None


def _check_rate(results: list[dict], name: str) -> tuple[int, int]:
    outcomes = [c["passed"] for r in results for c in r["checks"] if c["name"] == name]
    # A case that errored scores every expectation it set as failed.
    outcomes += [False for r in results if r["error"] and _sets(r, name)]
    return sum(outcomes), len(outcomes)


def _sets(result: dict, name: str) -> bool:
    return name in result["expected"]


def summarize(results: list[dict]) -> dict:
    """Aggregate metrics; each accuracy counts only the cases that score it (`counts` has denominators)."""
    counts: dict[str, int] = {}
    metrics: dict[str, float | None] = {}
    for metric, check in (("verdict_accuracy", "verdict"), ("component_accuracy", "component"),
                          ("act_accuracy", "act"), ("part_accuracy", "part"),
                          ("mention_rate", "mention"), ("lead_rate", "lead"), ("not_mention_rate", "not_mention"),
                          ("cite_rate", "cite")):
        ok, n = _check_rate(results, check)
        metrics[metric], counts[metric] = _share(ok, n), n
    cond = condition_scores(results)
    for key in ("condition_precision", "condition_recall", "condition_f1"):
        metrics[key], counts[key] = cond[key], cond["counts"][key]

    def refused(r: dict) -> bool:
        return bool(r["answer"] and r["answer"]["refused"])

    def wants_refusal(r: dict) -> bool:
        return r["expected"].get("verdict") == "refuse"

    tp = sum(1 for r in results if refused(r) and wants_refusal(r))
    n_refused = sum(1 for r in results if refused(r))
    n_wanted = sum(1 for r in results if wants_refusal(r))
    metrics["refusal_precision"], counts["refusal_precision"] = _share(tp, n_refused), n_refused
    metrics["refusal_recall"], counts["refusal_recall"] = _share(tp, n_wanted), n_wanted

    cit = [r["citations"] for r in results if r["citations"]]
    markers = sum(c["markers"] for c in cit)
    sents = sum(c["cited_sentences"] for c in cit)
    metrics["citation_validity"] = _share(sum(c["valid_markers"] for c in cit), markers)
    metrics["citation_support"] = _share(sum(c["supported_sentences"] for c in cit), sents)
    counts["citation_validity"], counts["citation_support"] = markers, sents

    ranked = [r for r in results if r.get("scores_retrieval")]
    ranks = [r["retrieval_rank"] for r in ranked]
    metrics["retrieval_hit_at_5"] = _share(sum(1 for x in ranks if x is not None and x <= 5), len(ranks))
    metrics["retrieval_mrr"] = round(sum(1 / x for x in ranks if x) / len(ranks), 4) if ranks else None
    counts["retrieval_hit_at_5"] = counts["retrieval_mrr"] = len(ranks)

    lat = [x for r in results for x in r["latency_ms"]]
    metrics["latency_ms_p50"] = round(float(np.percentile(lat, 50)), 2) if lat else None
    metrics["latency_ms_p95"] = round(float(np.percentile(lat, 95)), 2) if lat else None
    counts["latency_ms_p50"] = counts["latency_ms_p95"] = len(lat)

    passed = sum(1 for r in results if r["passed"])
    metrics["pass_rate"], counts["pass_rate"] = _share(passed, len(results)), len(results)
    files: dict[str, list[dict]] = {}
    for r in results:
        files.setdefault(r["file"], []).append(r)
    by_file = {f: _dataset_figures(rs) for f, rs in files.items()}
    by_act: dict[str, dict[str, int]] = {}
    for r in results:
        if "act" in r["expected"]:
            a = by_act.setdefault(r["expected"]["act"], {"cases": 0, "passed": 0})
            a["cases"] += 1
            a["passed"] += int(r["passed"])
    return {"cases": len(results), "passed": passed, "failed": len(results) - passed, **metrics,
            "counts": counts, "condition_counts": cond["tp_fp_fn"], "by_file": by_file,
            "understanding": understanding(results),
            "by_act": dict(sorted(by_act.items())),
            "confusion": {"act": confusion(results, "act"), "component": confusion(results, "component")},
            "outcomes": {r["id"]: r["passed"] for r in results}}


UNDERSTANDING_FIELDS = ("component", "act", "part", "conditions")
DATASET_METRICS = (("verdict_accuracy", "verdict"), ("component_accuracy", "component"), ("act_accuracy", "act"),
                   ("part_accuracy", "part"))


def understanding(results: list[dict]) -> dict[str, dict]:
    """Per field of the reading (component, act, part, conditions): cases scored, right, and the accuracy.

    Conditions are right when the set matches exactly; their micro precision, recall and F1 are added.
    """
    out = {}
    for name in UNDERSTANDING_FIELDS:
        ok, n = _check_rate(results, name)
        out[name] = {"scored": n, "correct": ok, "accuracy": _share(ok, n)}
    cond = condition_scores(results)
    out["conditions"] |= {"precision": cond["condition_precision"], "recall": cond["condition_recall"],
                          "f1": cond["condition_f1"]}
    return out


def _dataset_figures(results: list[dict]) -> dict:
    """One dataset's line in the per-dataset breakdown: cases, passed and the accuracies it scores."""
    passed = sum(1 for r in results if r["passed"])
    figures: dict = {"cases": len(results), "passed": passed, "pass_rate": _share(passed, len(results))}
    for metric, check in DATASET_METRICS:
        ok, n = _check_rate(results, check)
        figures[metric] = _share(ok, n)
    figures["condition_f1"] = condition_scores(results)["condition_f1"]
    return figures


def _label(value: object) -> str:
    return "none" if value is None else str(value)


def confusion(results: list[dict], name: str) -> dict[str, dict[str, int]]:
    """{expected: {got: n}} over the cases that score check `name`; a case that errored counts as "error"."""
    table: dict[str, dict[str, int]] = {}
    for r in results:
        if not _sets(r, name):
            continue
        if r["error"]:
            got = "error"
        else:
            check = next((c for c in r["checks"] if c["name"] == name), None)
            if check is None:
                continue
            got = _label(check["got"])
        row = table.setdefault(_label(r["expected"][name]), {})
        row[got] = row.get(got, 0) + 1
    return {exp: dict(sorted(row.items())) for exp, row in sorted(table.items())}


def condition_scores(results: list[dict]) -> dict:
    """Micro-averaged precision, recall and F1 over condition ids, across the cases that set `conditions`.

    TP = expected ∩ got, FP = got − expected, FN = expected − got, summed over cases (an errored case
    got nothing). A zero denominator gives 1.0 (nothing predicted wrongly, or nothing to find); every
    value is None when no case sets `conditions`.
    """
    tp = fp = fn = n = 0
    for r in results:
        if not _sets(r, "conditions"):
            continue
        n += 1
        expected = set(r["expected"]["conditions"])
        got = set((r["answer"] or {}).get("conditions") or [])
        tp, fp, fn = tp + len(expected & got), fp + len(got - expected), fn + len(expected - got)

    def ratio(num: int, den: int) -> float | None:
        return None if not n else round(num / den, 4) if den else 1.0

    return {"condition_precision": ratio(tp, tp + fp), "condition_recall": ratio(tp, tp + fn),
            "condition_f1": ratio(2 * tp, 2 * tp + fp + fn),
            "counts": {"condition_precision": tp + fp, "condition_recall": tp + fn, "condition_f1": n},
            "tp_fp_fn": {"tp": tp, "fp": fp, "fn": fn}}
