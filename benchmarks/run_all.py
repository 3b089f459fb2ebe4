"""Run every benchmark (`make bench`) and print one table of figures beside their targets.

Each benchmark also prints its own table and writes benchmarks/results/<name>.json; this script
writes benchmarks/results/summary.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from common import RESULTS, table, write

HERE = Path(__file__).resolve().parent
BENCHES = ["ingest", "cold_start", "understanding", "chain_latency", "api_load", "takeaways"]


def main() -> int:
    failed = []
    for name in BENCHES:
        script = HERE / f"{name}.py"
        if not script.exists():
            continue
        print(f"\n== {name} ==", flush=True)
        if subprocess.run([sys.executable, str(script), "--out", str(RESULTS / f"{name}.json")],
                          check=False).returncode:
            failed.append(name)
    load = lambda n: json.loads((RESULTS / f"{n}.json").read_text()) if (RESULTS / f"{n}.json").exists() else {}
    chain, api, cold, ingest = load("chain_latency"), load("api_load"), load("cold_start"), load("ingest")
    und, take = load("understanding"), load("takeaways")
    rows = []
    if und:
        rows.append(("understanding per turn p50 (new turn)", f"{und['first_round']['p50_ms']} ms", "<= 10 ms", ""))
    if chain:
        o, n = chain["ours"]["all_rounds"], chain["naive"]["all_rounds"]
        rows += [("warm chain answer p50", f"{o['p50_ms']} ms", "<= 40 ms", f"naive retrieval {n['p50_ms']} ms"),
                 ("warm chain answer p95", f"{o['p95_ms']} ms", "<= 100 ms", f"naive retrieval {n['p95_ms']} ms")]
    if api:
        eight = next(x for x in api["levels"] if x["clients"] == 8)
        rows += [("API answers/s, 8 clients", f"{eight['answers_per_s']} ({eight['errors']} errors)", ">= 40, 0 errors", ""),
                 ("server start -> ready", f"{api['server_ready_s']} s", "<= 8 s", ""),
                 ("server peak RSS under load", f"{api['rss_peak_mb']} MiB", "<= 1536 MiB", "")]
    if cold:
        rows.append(("advisor ask, cold", f"{cold['median_s']} s", "<= 4 s", ""))
    if ingest:
        phases = {p["phase"]: p for p in ingest.get("phases", [])}
        load_s = ingest.get("model_load", {}).get("seconds")
        if "cold ingest" in phases:
            rows.append((f"ingest, cold ({phases['cold ingest']['chunks']} chunks)", f"{phases['cold ingest']['seconds']} s", "", f"model load {load_s} s"))
        if "no-op re-ingest" in phases:
            rows.append(("no-op re-ingest", f"{phases['no-op re-ingest']['seconds']} s beyond model load",
                         "<= 2 s beyond model load", ""))
        if "one file changed" in phases:
            rows.append(("one file changed", f"{phases['one file changed']['seconds']} s", "", ""))
    if take:
        rows += [(f"stack review, all {take['components']} components p50", f"{take['review']['p50_ms']} ms", "<= 40 ms", ""),
                 ("TCO computation p50", f"{take['tco']['p50_ms']} ms", "<= 40 ms", "")]
    print("\n" + table(rows, ("figure", "measured", "target", "baseline")))
    write("summary", {"rows": rows, "failed": failed})
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
