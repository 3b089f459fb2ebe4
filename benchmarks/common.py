"""Shared helpers for the benchmarks: questions, fresh data dirs, percentiles, tables and JSON."""

from __future__ import annotations

import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
ADVISOR = str(Path(sys.executable).with_name("advisor"))
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false", "ANONYMIZED_TELEMETRY": "False",
       "GRADIO_ANALYTICS_ENABLED": "False"}


def questions() -> list[str]:
    """The eval questions (last turn of multi-turn cases), in dataset order."""
    out = []
    for f in sorted((ROOT / "evals" / "datasets").glob("*.yaml")):
        for case in yaml.safe_load(f.read_text()) or []:
            q = case.get("question") or (case.get("turns") or [None])[-1]
            if q:
                out.append(q)
    return out


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def summary_ms(values_s: list[float]) -> dict:
    ms = [v * 1000 for v in values_s]
    return {"n": len(ms), "p50_ms": round(pct(ms, 50), 2), "p95_ms": round(pct(ms, 95), 2),
            "p99_ms": round(pct(ms, 99), 2), "mean_ms": round(statistics.fmean(ms), 2) if ms else None}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_data_dir(path: Path) -> Path:
    """Ingest knowledge/ into a fresh data dir with the real CLI (also makes the ONNX export)."""
    env = {**ENV, "ADVISOR_DATA_DIR": str(path), "ADVISOR_KNOWLEDGE_DIR": str(ROOT / "knowledge")}
    subprocess.run([ADVISOR, "ingest", "--no-progress"], env=env, check=True, cwd=ROOT,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return path


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
            "load_avg_at_start": os.getloadavg()[0], "when": time.strftime("%Y-%m-%dT%H:%M:%S")}


def table(rows: list[tuple], headers: tuple) -> str:
    cells = [tuple(str(c) for c in r) for r in [headers, *rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"
    return "\n".join([line(cells[0]), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, cells[1:])])


def write(name: str, data: dict, out: Path | None = None) -> Path:
    path = out or RESULTS / f"{name}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2))
    return path


USER_WORDS = ["latency", "throughput", "budget", "vendor", "contract", "gpu", "cluster", "kubernetes", "replica",
              "region", "retention", "audit", "pipeline", "schema", "index", "shard", "quota", "invoice", "renewal",
              "sla", "migration", "backlog", "incident", "runbook"]


def write_user_docs(root: Path, chunks: int, sections: int = 20, seed: int = 16) -> Path:
    """A folder of synthetic user documents (Markdown without front matter, so kind "document") that
    chunk into exactly `chunks` short chunks: one per `##` section, `sections` per file, every text distinct."""
    import random

    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    for f in range((chunks + sections - 1) // sections):
        parts = [f"# Company note {f}\n"]
        for s in range(min(sections, chunks - f * sections)):
            i = f * sections + s
            words = " ".join(rng.choice(USER_WORDS) for _ in range(12))
            parts.append(f"## Part {s}\n\nNote {i}: our {words}, figure {i % 997}.\n")
        (root / f"note-{f:05d}.md").write_text("\n".join(parts), encoding="utf-8")
    return root
