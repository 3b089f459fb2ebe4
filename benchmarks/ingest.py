"""Ingest benchmark: model load, cold ingest of knowledge/, no-op re-ingest, one-file-changed re-ingest.

Each phase reports seconds, chunks/s, texts actually embedded and peak RSS during the phase.
Runs over a temporary copy of knowledge/ and a fresh data dir, so the repository is never touched.

Usage: python benchmarks/ingest.py [--out benchmarks/results/ingest.json] [--knowledge knowledge]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from langchain_core.embeddings import Embeddings

CHANGED_FILE = Path("guidance") / "feature-store.md"


class PeakRss:
    """Samples this process's RSS in a thread; `peak_mb` is the highest value seen while active."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._proc = psutil.Process()

    def __enter__(self):
        self.peak = self._proc.memory_info().rss
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._proc.memory_info().rss)
            self._stop.wait(self.interval)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)


class Counting(Embeddings):
    """The real embeddings, counting the texts that are actually embedded."""

    def __init__(self, inner: Embeddings):
        self.inner, self.texts = inner, 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.texts += len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def phase(name: str, idx, kb: Path, counting: Counting) -> dict:
    counting.texts = 0
    with PeakRss() as rss:
        t = time.perf_counter()
        report = idx.ingest([kb], progress=False)
        secs = time.perf_counter() - t
    if report.problems:
        raise SystemExit(f"{name}: unexpected problems: {report.problems}")
    return {"phase": name, "seconds": round(secs, 2), "chunks": report.chunks,
            "chunks_per_s": round(report.chunks / secs, 1), "embedded": counting.texts,
            "added": report.added, "skipped": report.skipped, "deleted": report.deleted,
            "peak_rss_mb": rss.peak_mb}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "ingest.json")
    ap.add_argument("--knowledge", type=Path, default=ROOT / "knowledge")
    args = ap.parse_args()

    from advisor.embeddings import embeddings_for
    from advisor.index import KnowledgeIndex
    from advisor.settings import Settings

    with tempfile.TemporaryDirectory(prefix="advisor-bench-ingest-") as tmp:
        kb = Path(tmp) / "knowledge"
        shutil.copytree(args.knowledge, kb)
        settings = Settings(data_dir=Path(tmp) / "data", knowledge_dir=kb, _env_file=None)

        with PeakRss() as rss:
            t = time.perf_counter()
            real = embeddings_for(settings)
            real.embed_query("warm up")  # forces the model load
            load_s = time.perf_counter() - t
        model = {"phase": "model load", "seconds": round(load_s, 2), "peak_rss_mb": rss.peak_mb}

        counting = Counting(real)
        idx = KnowledgeIndex(settings, counting)
        rows = [phase("cold ingest", idx, kb, counting), phase("no-op re-ingest", idx, kb, counting)]
        changed = kb / CHANGED_FILE
        changed.write_text(changed.read_text(encoding="utf-8")
                           + "\n## Benchmark addendum\nA paragraph added to measure a one-file change.\n",
                           encoding="utf-8")
        rows.append(phase("one file changed", idx, kb, counting))

    result = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
                    "load_avg_at_start": round(os.getloadavg()[0], 2),
                    "when": time.strftime("%Y-%m-%dT%H:%M:%S")},
        "model_load": model,
        "phases": rows,
        "changed_file": str(CHANGED_FILE),
        # Lifetime peak of the whole process (Linux reports KiB).
        "process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    head = ("phase", "seconds", "chunks", "chunks/s", "embedded", "added", "skipped", "deleted", "peak RSS MB")
    lines = [("model load", model["seconds"], "", "", "", "", "", "", model["peak_rss_mb"])]
    lines += [(r["phase"], r["seconds"], r["chunks"], r["chunks_per_s"], r["embedded"], r["added"], r["skipped"],
               r["deleted"], r["peak_rss_mb"]) for r in rows]
    widths = [max(len(str(x)) for x in col) for col in zip(head, *lines)]
    for row in (head, *lines):
        print("  ".join(str(c).rjust(w) if i else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))))
    print(f"process peak RSS: {result['process_peak_rss_mb']} MB")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
