"""A real `advisor ingest` of ~50k short chunks, killed part-way (SIGKILL), resumed, then re-run as a no-op.

Usage: python benchmarks/large_ingest.py [--chunks 50000] [--kill-at 0.5] [--keep DIR] [--out FILE]

In a temp dir (or --keep DIR, left in place: its data dir is a real 50k-chunk Chroma index that
`benchmarks/large_corpus.py --hnsw-data DIR/data` can measure): writes `chunks` short synthetic user
documents, ingests `knowledge/` alone (a published snapshot readers answer from), then knowledge plus the
documents with the real CLI and SIGKILLs it once the ingest records hold `kill-at` of the new chunks.
`advisor ask` must still answer from the last published snapshot. The resumed ingest must skip every
recorded chunk (it embeds only what is not stored: `added` + `skipped` = chunks) and publish; a no-op
re-ingest must publish nothing (the snapshot file is untouched). Finally the no-op is timed in-process
with counting embeddings, which is the ingest's own cost beyond interpreter start-up and model load.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ADVISOR, ENV, ROOT, write, write_user_docs


def count(db: Path, sql: str) -> int | None:
    """A row count read while another process may be writing (None while the file is locked or absent)."""
    if not db.exists():
        return None
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2) as con:
            return con.execute(sql).fetchone()[0]
    except sqlite3.Error:
        return None


def cli(env: dict, *args: str) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run([ADVISOR, *args], check=False, env=env, cwd=ROOT, capture_output=True, text=True)
    wall = time.perf_counter() - t
    if out.returncode:
        raise SystemExit(f"advisor {' '.join(args)} exited {out.returncode}:\n{out.stdout}\n{out.stderr}")
    return wall, out.stdout


def figures(stdout: str) -> dict:
    return {k: int(v) for k, v in re.findall(r"(documents|chunks|added|updated|skipped|deleted|repaired): (\d+)", stdout)}


def snapshot_chunks(path: Path) -> int:
    import json

    import numpy as np

    with np.load(path) as data:
        return len(json.loads(data["meta"].tobytes().decode())["ids"])


def noop_in_process(data: Path, paths: list[Path]) -> dict:
    """The no-op ingest's own time, model already loaded; counts the texts sent to the model."""
    from advisor.embeddings import LocalEmbeddings
    from advisor.index import KnowledgeIndex
    from advisor.settings import Settings

    class Counting(LocalEmbeddings):
        embedded = 0

        def embed_documents(self, texts):
            Counting.embedded += len(texts)
            return super().embed_documents(texts)

    settings = Settings(data_dir=data, knowledge_dir=ROOT / "knowledge", _env_file=None)
    emb = Counting(settings.embedding_model, settings.embedding_backend, settings.onnx_dir)
    t = time.perf_counter()
    emb.embed_query("load the model")
    load_s = time.perf_counter() - t
    t = time.perf_counter()
    idx = KnowledgeIndex(settings, emb)
    open_s = time.perf_counter() - t
    before = settings.snapshot_path.stat().st_mtime_ns
    t = time.perf_counter()
    report = idx.ingest(paths, progress=False)
    ingest_s = time.perf_counter() - t
    return {"model_load_s": round(load_s, 2), "open_index_s": round(open_s, 2), "ingest_s": round(ingest_s, 2),
            "embedded": Counting.embedded, "added": report.added, "skipped": report.skipped,
            "published": settings.snapshot_path.stat().st_mtime_ns != before}


def run(root: Path, chunks: int, kill_at: float) -> dict:
    docs, data = root / "docs", root / "data"
    write_user_docs(docs, chunks)
    env = {**ENV, "ADVISOR_DATA_DIR": str(data), "ADVISOR_KNOWLEDGE_DIR": str(ROOT / "knowledge")}
    knowledge = str(ROOT / "knowledge")
    out: dict = {"chunks_generated": chunks}
    wall, stdout = cli(env, "ingest", "--no-progress", knowledge)
    base = figures(stdout)["chunks"]
    out["knowledge_ingest"] = {"wall_s": round(wall, 2), **figures(stdout)}
    records = data / "records.sqlite"
    snap = data / "snapshot.npz"
    published = snap.stat().st_mtime_ns

    # Cold ingest of knowledge + documents, killed once `kill_at` of the new chunks are recorded.
    target = base + int(chunks * kill_at)
    t = time.perf_counter()
    proc = subprocess.Popen([ADVISOR, "ingest", "--no-progress", knowledge, str(docs)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    recorded = 0
    while proc.poll() is None:
        recorded = count(records, "select count(*) from upsertion_record") or recorded
        if recorded >= target:
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.5)
    proc.wait()
    if proc.returncode != -signal.SIGKILL:
        raise SystemExit(f"the ingest finished (exit {proc.returncode}) before it could be killed")
    killed_s = time.perf_counter() - t
    recorded = count(records, "select count(*) from upsertion_record")
    in_chroma = count(data / "chroma" / "chroma.sqlite3", "select count(*) from embeddings")
    out["killed"] = {"after_s": round(killed_s, 2), "recorded": recorded, "in_chroma": in_chroma,
                     "recorded_user_chunks": recorded - base,
                     "chunks_per_s": round((recorded - base) / killed_s, 1),
                     "snapshot_untouched": snap.stat().st_mtime_ns == published,
                     "unpublished_marker": (data / ".ingest.unpublished").exists()}
    # A reader answers from the last published snapshot while the index is half-written.
    wall, stdout = cli(env, "ask", "Should a 5-person startup build or buy a feature store?")
    out["ask_while_half_written"] = {"wall_s": round(wall, 2), "answered": "[1]" in stdout}

    # Resume: only what is not recorded is embedded.
    wall, stdout = cli(env, "ingest", "--no-progress", knowledge, str(docs))
    resumed = figures(stdout)
    total = resumed["chunks"]
    out["resumed"] = {"wall_s": round(wall, 2), **resumed,
                      "reembedded": resumed["added"] - (total - recorded),
                      "published": snap.stat().st_mtime_ns != published, "snapshot_chunks": snapshot_chunks(snap),
                      "unpublished_marker": (data / ".ingest.unpublished").exists()}
    published = snap.stat().st_mtime_ns

    # No-op: nothing embedded, nothing published.
    wall, stdout = cli(env, "ingest", "--no-progress", knowledge, str(docs))
    out["noop_cli"] = {"wall_s": round(wall, 2), **figures(stdout), "published": snap.stat().st_mtime_ns != published}
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import advisor.cli, chromadb, langchain_chroma"], env=ENV, cwd=ROOT,
                   check=True)
    out["noop_cli"]["cli_imports_s"] = round(time.perf_counter() - t, 2)
    out["noop_in_process"] = noop_in_process(data, [ROOT / "knowledge", docs])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--chunks", type=int, default=50_000)
    ap.add_argument("--kill-at", type=float, default=0.5, help="share of the new chunks recorded before the kill")
    ap.add_argument("--keep", type=Path, help="work in this dir and leave it (default: a temp dir, removed)")
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    load = os.getloadavg()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        result = run(args.keep, args.chunks, args.kill_at)
    else:
        with tempfile.TemporaryDirectory(prefix="advisor-ingest-") as tmp:
            result = run(Path(tmp), args.chunks, args.kill_at)
    result["load_avg_start"] = load
    result["load_avg_end"] = os.getloadavg()
    for phase, figs in result.items():
        print(f"{phase:24} {figs}")
    print(f"wrote {write('large_ingest', result, args.out)}")


if __name__ == "__main__":
    main()
