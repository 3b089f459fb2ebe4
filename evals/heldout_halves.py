"""Per-half pass rates of a held-out run: the "open" half (sha1 of the case id ends in an even hex digit)
and the "sealed" half (odd).

Usage: python evals/heldout_halves.py RUN/results.jsonl [open]
With "open", the open half's failures are listed too; the sealed half's failures are never listed, so it
stays a measure nobody tuned to (see evals/datasets/heldout6/README.md).
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path


def half(case_id: str) -> str:
    return "open" if int(hashlib.sha1(case_id.encode()).hexdigest()[-1], 16) % 2 == 0 else "sealed"


def main() -> None:
    rows = [json.loads(line) for line in Path(sys.argv[1]).read_text().splitlines() if line.strip()]
    show_open = sys.argv[2:] == ["open"]
    stats: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in rows:
        h = half(r["id"])
        for c in r["checks"]:
            stats[h][c["name"]][0] += c["passed"]
            stats[h][c["name"]][1] += 1
        stats[h]["case"][0] += r["passed"]
        stats[h]["case"][1] += 1
        if show_open and h == "open" and not r["passed"]:
            failed = [(c["name"], c["expected"], c["got"]) for c in r["checks"] if not c["passed"]]
            print("FAIL", r["id"], failed, "|", " || ".join(r["turns"]))
    for h in ("open", "sealed"):
        print(h, " ".join(f"{k}={v[0]}/{v[1]}({v[0] / v[1]:.3f})" for k, v in sorted(stats[h].items())))


if __name__ == "__main__":
    main()
