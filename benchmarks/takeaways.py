"""A full stack review (every matrix component, from a stack file) and a TCO computation, warm.

Usage: python benchmarks/takeaways.py [--rounds 200] [--out FILE]
Both run without the embedding model (a stack file needs no understanding); the target is the warm-answer
budget, p50 <= 40 ms. The chart (matplotlib SVG) is timed separately: it is only drawn when asked for.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import ROOT, summary_ms, table, write


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=200)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    from advisor.settings import Settings
    from advisor.takeaways import Takeaways
    from advisor.tco import chart

    t = Takeaways(Settings(knowledge_dir=ROOT / "knowledge", _env_file=None))
    states = ["built", "bought", "none"]
    stack = {"team": {"engineers": 12}, "conditions": ["regulated"],
             "components": {slug: {"state": states[i % 3], "what": "something"} for i, slug in enumerate(t.matrix.slugs)}}
    inputs = {"vendor_month": 12000, "build_months": 5, "horizon_months": 60}
    t.review(stack), t.tco(inputs), chart(t.tco(inputs))  # warm: data files read, matplotlib imported
    timings: dict[str, list[float]] = {"review": [], "tco": [], "chart": []}
    for i in range(args.rounds):
        s = time.perf_counter()
        t.review(stack)
        timings["review"].append(time.perf_counter() - s)
        s = time.perf_counter()
        result = t.tco(inputs)
        timings["tco"].append(time.perf_counter() - s)
        if i < 20:
            s = time.perf_counter()
            chart(result)
            timings["chart"].append(time.perf_counter() - s)
    result = {name: summary_ms(v) for name, v in timings.items()}
    result.update(components=len(t.matrix.slugs), horizon_months=60, target_p50_ms=40)
    result["met"] = result["review"]["p50_ms"] <= 40 and result["tco"]["p50_ms"] <= 40
    rows = [(f"stack review, all {len(t.matrix.slugs)} components", result["review"]["p50_ms"],
             result["review"]["p95_ms"], "p50 <= 40", "yes" if result["review"]["p50_ms"] <= 40 else "NO"),
            ("TCO, 60 months + 2 sensitivity runs", result["tco"]["p50_ms"], result["tco"]["p95_ms"], "p50 <= 40",
             "yes" if result["tco"]["p50_ms"] <= 40 else "NO"),
            ("TCO chart as SVG (only when asked)", result["chart"]["p50_ms"], result["chart"]["p95_ms"], "", "")]
    print(table(rows, ("what", "p50 ms", "p95 ms", "target", "met")))
    print("wrote", write("takeaways", result, args.out))


if __name__ == "__main__":
    main()
