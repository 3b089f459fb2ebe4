"""Soak: 2,000 mixed requests at 16 concurrent clients on loopback; errors, RSS growth, nothing lost.

Usage: python benchmarks/soak.py [--requests 2000] [--clients 16] [--out FILE]   (or `make soak`)
Starts `advisor serve` on a free loopback port with a fresh data dir and sends a bounded mix of
questions, follow-ups, streamed answers, OpenAI-style chat completions, feedback posts and
conversation reads. RSS is sampled after a warm-up (the first 10% of requests) and at the end;
growth is end vs warm-up. After the server stops, the feedback rows in its SQLite store are counted
against the posts that returned 201, so a lost write shows up as a number, not a guess.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
from api_load import RssSampler, start_server
from common import build_data_dir, free_port, pct, questions, table, write

KINDS = [("ask", 55), ("follow_up", 15), ("stream", 5), ("chat_completions", 10), ("feedback", 10),
         ("conversation", 5)]


class Soak:
    """Sends the request mix; records latencies, errors and the conversations it can follow up."""

    def __init__(self, port: int, qs: list[str], seed: int = 7):
        self.base = f"http://127.0.0.1:{port}"
        self.qs, self.rng, self.lock = qs, random.Random(seed), threading.Lock()
        self.local = threading.local()
        self.answered: list[tuple[str, int]] = []  # (conversation_id, turn) of answers given
        self.lat: dict[str, list[float]] = {k: [] for k, _ in KINDS}
        self.errors: list[str] = []
        self.feedback_ok = 0

    def client(self) -> httpx.Client:
        c = getattr(self.local, "c", None)
        if c is None:
            c = self.local.c = httpx.Client(base_url=self.base, timeout=60)
        return c

    def pick(self, i: int) -> tuple[str, str, tuple[str, int] | None]:
        with self.lock:
            kind = self.rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
            prior = self.rng.choice(self.answered) if self.answered else None
        if kind in ("follow_up", "feedback", "conversation") and prior is None:
            kind = "ask"
        return kind, self.qs[i % len(self.qs)], prior

    def one(self, i: int) -> None:
        kind, q, prior = self.pick(i)
        c, t = self.client(), time.perf_counter()
        try:
            self._send(c, kind, q, prior)
        except Exception as exc:  # noqa: BLE001 - every failure is counted, whatever it is
            with self.lock:
                self.errors.append(f"{kind}: {type(exc).__name__}: {str(exc)[:120]}")
        with self.lock:
            self.lat[kind].append(time.perf_counter() - t)

    def _send(self, c: httpx.Client, kind: str, q: str, prior) -> None:
        if kind in ("ask", "follow_up"):
            body = {"question": q if kind == "ask" else "what if we are a small team on a tight budget?"}
            if kind == "follow_up":
                body["conversation_id"] = prior[0]
            r = c.post("/api/v1/ask", json=body)
            check(r, 200)
            a = r.json()
            if not (a.get("refused") or a.get("citations")):
                raise AssertionError("an answer with neither citations nor a refusal")
            with self.lock:
                self.answered.append((a["conversation_id"], a["turn"]))
        elif kind == "stream":
            with c.stream("POST", "/api/v1/ask/stream", json={"question": q}) as r:
                check(r, 200)
                text = "".join(r.iter_text())
            if "event: answer" not in text or "event: error" in text:
                raise AssertionError("stream ended without an answer event")
        elif kind == "chat_completions":
            r = c.post("/v1/chat/completions", json={"model": "advisor", "messages": [{"role": "user", "content": q}]})
            check(r, 200)
            if not r.json()["choices"][0]["message"]["content"]:
                raise AssertionError("empty completion")
        elif kind == "feedback":
            r = c.post("/api/v1/feedback", json={"conversation_id": prior[0], "turn": prior[1],
                                                 "rating": self.rng.choice(["up", "down"]), "comment": "soak"})
            check(r, 201)
            with self.lock:
                self.feedback_ok += 1
        else:
            r = c.get(f"/api/v1/conversations/{prior[0]}")
            check(r, 200)
            if not r.json()["turns"]:
                raise AssertionError("a stored conversation has no turns")


def check(r: httpx.Response, status: int) -> None:
    if r.status_code != status:
        r.read()
        raise AssertionError(f"HTTP {r.status_code}: {r.text[:160]}")


def stored_feedback(data: Path) -> int:
    """Feedback rows in the server's store (advisor.sqlite in the data dir), read after it stopped."""
    with sqlite3.connect(data / "advisor.sqlite") as con:
        return con.execute("select count(*) from feedback where comment = 'soak'").fetchone()[0]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    qs = questions()
    warm = max(1, args.requests // 10)
    with tempfile.TemporaryDirectory() as tmp:
        data = build_data_dir(Path(tmp) / "data")
        port = free_port()
        log = Path(tmp) / "server.log"
        proc, ready_s = start_server(data, port, log)
        ps = psutil.Process(proc.pid)
        sampler = RssSampler(proc.pid)
        sampler.start()
        soak = Soak(port, qs)
        try:
            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                list(pool.map(soak.one, range(warm)))
                rss_warm = ps.memory_info().rss
                list(pool.map(soak.one, range(warm, args.requests)))
            wall = time.perf_counter() - t0
            rss_end = ps.memory_info().rss
        finally:
            sampler.stop.set()
            proc.terminate()
            proc.wait(15)
        stored = stored_feedback(data)
        server_log = log.read_text(errors="replace")
    growth = (rss_end - rss_warm) / rss_warm * 100
    all_lat = [x for v in soak.lat.values() for x in v]
    result = {
        "requests": args.requests, "clients": args.clients, "wall_s": round(wall, 1),
        "requests_per_s": round(args.requests / wall, 1), "errors": len(soak.errors), "error_samples": soak.errors[:10],
        "by_kind": {k: {"n": len(v), "p50_ms": round(pct(v, 50) * 1000, 1), "p95_ms": round(pct(v, 95) * 1000, 1)}
                    for k, v in soak.lat.items()},
        "p50_ms": round(pct(all_lat, 50) * 1000, 1), "p99_ms": round(pct(all_lat, 99) * 1000, 1),
        "rss_after_warmup_mb": round(rss_warm / 2**20, 1), "rss_end_mb": round(rss_end / 2**20, 1),
        "rss_peak_mb": round(sampler.peak / 2**20, 1), "rss_growth_pct": round(growth, 2),
        "feedback_posted": soak.feedback_ok, "feedback_stored": stored, "server_ready_s": round(ready_s, 2),
        "targets": {"errors": 0, "rss_growth_pct": 10, "feedback_lost": 0},
    }
    result["met"] = {"errors": not soak.errors, "rss_growth": growth < 10, "nothing_lost": stored == soak.feedback_ok}
    print(table([(k, v["n"], v["p50_ms"], v["p95_ms"]) for k, v in result["by_kind"].items()],
                ("request", "n", "p50 ms", "p95 ms")))
    print(table([("requests / clients", f"{args.requests} / {args.clients}", "", ""),
                 ("errors", len(soak.errors), "0", result["met"]["errors"]),
                 ("throughput", f"{result['requests_per_s']}/s over {result['wall_s']} s", "", ""),
                 ("RSS after warm-up -> end", (f"{result['rss_after_warmup_mb']} -> {result['rss_end_mb']} MiB "
                  f"({result['rss_growth_pct']:+.2f}%)"), "< 10% growth", result["met"]["rss_growth"]),
                 ("feedback posted / stored", f"{soak.feedback_ok} / {stored}", "equal", result["met"]["nothing_lost"])],
                ("figure", "measured", "target", "met")))
    for e in soak.errors[:10]:
        print("error:", e)
    if soak.errors:
        print("server log (last 60 lines):\n" + "\n".join(server_log.splitlines()[-60:]))
    print("wrote", write("soak", result, args.out))
    return 0 if all(result["met"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
