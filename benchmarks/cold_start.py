"""Cold start: `advisor ask` in a fresh process until the answer is printed (3 runs).

Usage: python benchmarks/cold_start.py [--runs 3] [--backend auto|torch|onnx] [--out FILE]
`--backend torch` measures the path without the ONNX export (the "before" figure in the README).
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from common import ADVISOR, ENV, ROOT, build_data_dir, table, write


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--backend", default="auto", choices=["auto", "torch", "onnx"])
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = build_data_dir(Path(tmp) / "data")
        env = {**ENV, "ADVISOR_DATA_DIR": str(data), "ADVISOR_KNOWLEDGE_DIR": str(ROOT / "knowledge"),
               "ADVISOR_EMBEDDING_BACKEND": args.backend}
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            out = subprocess.run([ADVISOR, "ask", "Should a 5-person startup build or buy a feature store?"],
                                 env=env, cwd=ROOT, capture_output=True, text=True, check=True)
            times.append(time.perf_counter() - t)
            assert "[BUY]" in out.stdout, out.stdout[:200]
    best, median = min(times), sorted(times)[len(times) // 2]
    result = {"backend": args.backend, "ask_cold_s": [round(t, 2) for t in times], "median_s": round(median, 2), "target_s": 4,
              "met": median <= 4}
    print(table([(f"advisor ask, cold process ({args.backend})", f"{median:.2f} s (best {best:.2f})", "<= 4 s", result["met"])],
                ("figure", "median", "target", "met")))
    print("wrote", write("cold_start", result, args.out))


if __name__ == "__main__":
    main()
