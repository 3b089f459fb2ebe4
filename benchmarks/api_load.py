"""Warm API latency and throughput on loopback with 1, 8 and 32 concurrent clients, plus server RSS.

Usage: python benchmarks/api_load.py [--requests 240] [--out FILE]
Starts `advisor serve` on a free loopback port with a fresh data dir, waits for /readyz (timed: that
is the server start-up figure), then sends a bounded number of POST /api/v1/ask per concurrency level.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
from common import ADVISOR, ENV, ROOT, build_data_dir, free_port, pct, questions, table, write


class RssSampler(threading.Thread):
    """Samples a process's RSS every 100 ms; `peak` in bytes."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.proc, self.peak, self.stop = psutil.Process(pid), 0, threading.Event()

    def run(self):
        while not self.stop.is_set():
            try:
                self.peak = max(self.peak, self.proc.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.1)


def start_server(data: Path, port: int, log: Path | None = None):
    """Starts `advisor serve`; returns the process and seconds until /readyz answered 200."""
    import subprocess

    # One loopback caller stands for many clients here: lift the per-caller rate limit so the
    # figure measures answering, not the limiter (which tests/test_api.py covers).
    env = {**ENV, "ADVISOR_DATA_DIR": str(data), "ADVISOR_KNOWLEDGE_DIR": str(ROOT / "knowledge"),
           "ADVISOR_RATE_LIMIT_PER_MINUTE": "10000000"}
    t0 = time.perf_counter()
    proc = subprocess.Popen([ADVISOR, "serve", "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=open(log, "wb") if log else subprocess.DEVNULL)  # noqa: SIM115 - lives as long as the server
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc, time.perf_counter() - t0
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise RuntimeError("server exited during start-up")
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError("server not ready within 120 s")


def load(port: int, qs: list[str], clients: int, n: int) -> dict:
    url = f"http://127.0.0.1:{port}/api/v1/ask"
    lat, errors = [], []
    local = threading.local()

    def one(i: int):
        c = getattr(local, "c", None) or httpx.Client(timeout=30)
        local.c = c
        t = time.perf_counter()
        try:
            r = c.post(url, json={"question": qs[i % len(qs)]})
            body = r.json() if r.status_code == 200 else {}
            if r.status_code != 200 or not (body.get("refused") or body.get("citations")):
                errors.append(r.status_code)  # a non-refused answer without sources is a failure too
        except httpx.HTTPError as exc:
            errors.append(type(exc).__name__)
        lat.append(time.perf_counter() - t)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(n)))
    wall = time.perf_counter() - t0
    return {"clients": clients, "requests": n, "errors": len(errors), "answers_per_s": round(n / wall, 1),
            "p50_ms": round(pct(lat, 50) * 1000, 1), "p95_ms": round(pct(lat, 95) * 1000, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=240, help="requests per concurrency level")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    qs = questions()
    with tempfile.TemporaryDirectory() as tmp:
        data = build_data_dir(Path(tmp) / "data")
        port = free_port()
        proc, ready_s = start_server(data, port)
        sampler = RssSampler(proc.pid)
        sampler.start()
        try:
            rss_idle = psutil.Process(proc.pid).memory_info().rss
            load(port, qs, 4, 40)  # warm-up
            levels = [load(port, qs, c, args.requests) for c in (1, 8, 32)]
        finally:
            sampler.stop.set()
            proc.terminate()
            proc.wait(10)
    eight = next(x for x in levels if x["clients"] == 8)
    result = {"server_ready_s": round(ready_s, 2), "levels": levels, "rss_idle_mb": round(rss_idle / 2**20),
              "rss_peak_mb": round(sampler.peak / 2**20),
              "targets": {"answers_per_s_at_8": 40, "server_ready_s": 8, "rss_peak_mb": 1536}}
    result["met"] = {"throughput": eight["answers_per_s"] >= 40 and eight["errors"] == 0,
                     "ready": ready_s <= 8, "rss": result["rss_peak_mb"] <= 1536}
    print(table([(f"{x['clients']} clients", x["requests"], x["errors"], x["answers_per_s"], x["p50_ms"], x["p95_ms"])
                 for x in levels], ("load", "requests", "errors", "answers/s", "p50 ms", "p95 ms")))
    print(table([("server start -> /readyz", f"{ready_s:.2f} s", "<= 8 s", result["met"]["ready"]),
                 ("8 clients throughput", f"{eight['answers_per_s']}/s", ">= 40/s, 0 errors", result["met"]["throughput"]),
                 ("server peak RSS under load", f"{result['rss_peak_mb']} MiB", "<= 1536 MiB", result["met"]["rss"])],
                ("figure", "measured", "target", "met")))
    print("wrote", write("api_load", result, args.out))


if __name__ == "__main__":
    main()
