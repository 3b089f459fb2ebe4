"""Throughput of `advisor serve --workers N` for N = 1, 2 and 4, and memory per worker.

Usage: python benchmarks/workers.py [--requests 240] [--clients 8] [--database-url URL] [--out FILE]
Builds a fresh data dir (the real CLI ingest), then for each N starts `advisor serve --workers N` on a
free loopback port, waits until every worker has logged that it started, warms up, and sends a bounded
number of POST /api/v1/ask from `--clients` concurrent clients. Conversations, feedback and the rate
limiter use the database (SQLite in the data dir, or --database-url, e.g. a Postgres server), as in
production; the rate limit is lifted so the figure measures answering. Memory: RSS and USS (the pages
only that worker holds) of each worker after the run.
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import psutil
from api_load import load
from common import ADVISOR, ENV, ROOT, build_data_dir, free_port, questions, table, write


def start(data: Path, port: int, workers: int, log: Path, database_url: str | None) -> subprocess.Popen:
    env = {**ENV, "ADVISOR_DATA_DIR": str(data), "ADVISOR_KNOWLEDGE_DIR": str(ROOT / "knowledge"),
           "ADVISOR_RATE_LIMIT_PER_MINUTE": "10000000"}
    if database_url:
        env["ADVISOR_DATABASE_URL"] = database_url
    proc = subprocess.Popen([ADVISOR, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
                             "--log-level", "info"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=log.open("wb"))
    deadline = time.time() + 600
    while time.time() < deadline:  # a bound on waiting, not a figure
        started = log.read_text(errors="replace").count("Application startup complete") >= workers
        if started and httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=10).status_code == 200:
            return proc
        if proc.poll() is not None:
            raise RuntimeError(f"server exited during start-up:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("workers not started within 600 s")


def worker_memory(proc: subprocess.Popen, workers: int) -> list[dict]:
    """RSS and USS in MiB of each process serving requests (with one worker, the server itself)."""
    procs = [psutil.Process(proc.pid)]
    if workers > 1:  # the supervisor's spawned children, not multiprocessing's resource tracker
        procs = [p for p in procs[0].children() if "spawn_main" in " ".join(p.cmdline())]
    out = []
    for p in procs:
        info = p.memory_full_info()
        out.append({"pid": p.pid, "rss_mb": round(info.rss / 2**20), "uss_mb": round(info.uss / 2**20)})
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=240, help="requests per worker count")
    ap.add_argument("--clients", type=int, default=8, help="concurrent clients")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    ap.add_argument("--database-url", help="ADVISOR_DATABASE_URL for the servers (default: SQLite in the data dir)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    qs = questions()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        data = build_data_dir(Path(tmp) / "data")
        for n in args.workers:
            port = free_port()
            proc = start(data, port, n, Path(tmp) / f"serve-{n}.log", args.database_url)
            try:
                load(port, qs, args.clients, 8 * n)  # warm-up: every worker has answered a few
                level = load(port, qs, args.clients, args.requests)
                memory = worker_memory(proc, n)
            finally:
                proc.terminate()
                proc.wait(60)
            rows.append({"workers": n, **level, "memory": memory,
                         "rss_mb_per_worker": round(sum(m["rss_mb"] for m in memory) / len(memory)),
                         "uss_mb_per_worker": round(sum(m["uss_mb"] for m in memory) / len(memory))})
    print(table([(r["workers"], r["clients"], r["requests"], r["errors"], r["answers_per_s"], r["p50_ms"],
                  r["p95_ms"], r["rss_mb_per_worker"], r["uss_mb_per_worker"]) for r in rows],
                ("workers", "clients", "requests", "errors", "answers/s", "p50 ms", "p95 ms", "RSS MiB/worker",
                 "USS MiB/worker")))
    database = "postgres" if (args.database_url or "").startswith("postgres") else "sqlite"
    print("wrote", write("workers", {"database": database, "levels": rows}, args.out))


if __name__ == "__main__":
    main()
