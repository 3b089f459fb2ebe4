"""Understanding latency per turn (embed the turn and its clauses, apply every head, quantities).

Usage: python benchmarks/understanding.py [--rounds 3] [--out FILE]
Questions: every eval question, old set and held-out (their texts only; nothing is scored here).
'first round' embeds each question for the first time (no query cache): the figure a new question sees.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import yaml
from common import ROOT, build_data_dir, summary_ms, table, write


def all_questions() -> list[str]:
    out = []
    for f in sorted((ROOT / "evals" / "datasets").rglob("*.yaml")):
        for case in yaml.safe_load(f.read_text()) or []:
            out += case.get("turns") or [case.get("question")]
    return [q for q in dict.fromkeys(out) if q]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    from advisor.chain import Advisor
    from advisor.settings import Settings

    qs = all_questions()
    with tempfile.TemporaryDirectory() as tmp:
        data = build_data_dir(Path(tmp) / "data")
        advisor = Advisor(Settings(data_dir=data, knowledge_dir=ROOT / "knowledge", _env_file=None))
        read = advisor.reader.read
        read("warm up: should we buy a feature store?")
        first, later = [], []
        for r in range(args.rounds):
            for q in qs:
                t = time.perf_counter()
                read(q)
                (first if r == 0 else later).append(time.perf_counter() - t)
    result = {"questions": len(qs), "rounds": args.rounds, "first_round": summary_ms(first),
              "all_rounds": summary_ms(first + later), "target_p50_ms": 10}
    result["met"] = result["first_round"]["p50_ms"] <= 10
    f, a = result["first_round"], result["all_rounds"]
    print(table([("understand, first time a turn is seen", f["p50_ms"], f["p95_ms"], "p50 <= 10", "yes" if result["met"] else "NO"),
                 ("understand, all rounds (turn embedding cached)", a["p50_ms"], a["p95_ms"], "", "")],
                ("what", "p50 ms", "p95 ms", "target", "met")))
    print("wrote", write("understanding", result, args.out))


if __name__ == "__main__":
    main()
