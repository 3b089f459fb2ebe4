"""Warm answer latency, readiness and memory as the corpus grows (issue 16).

Usage: python benchmarks/large_corpus.py [--sizes 240,5000,50000,500000] [--rounds 2] [--dense auto|snapshot]
                                         [--hnsw-data DATA_DIR] [--out FILE]

Each size is the curated knowledge base plus synthetic user documents (short chunks, kind "document",
random unit vectors: the answer path never embeds them, so real vectors would cost an ingest and change
nothing measured here). The snapshot is written once per size; then, in a fresh process, an Advisor
loads it (readiness: snapshot load + BM25/corpus build), answers the eval questions warm, and reports
RSS and the understanding and retrieval stages' share. Targets: warm p50 <= 25 ms at 50k chunks,
<= 60 ms at 500k; readiness <= 10 s at 50k.

Dense search is configured as by default (`--dense auto`): an exact scan of the snapshot up to
ADVISOR_DENSE_EXACT_MAX_CHUNKS, Chroma's HNSW index beyond. For a size beyond it the synthetic chunks are
also written to the Chroma collection (vectors given, nothing embedded), so the HNSW index really
answers; that size is then also measured with `dense_search=snapshot` and the two compared: recall@k of
the passages, the user-document passages and the dense top-30 against the exact scan, on the eval
questions. `--dense snapshot` measures the exact scan at every size.

`--hnsw-data DIR`: a data dir with a real index (e.g. the one `benchmarks/large_ingest.py --keep` leaves:
knowledge plus 50k real-embedded short chunks), measured twice as is: HNSW forced (`dense_search=chroma`,
which also scans the curated chunks exactly, as auto does beyond the limit) and the exact scan, with the
same comparison.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import ENV, ROOT, build_data_dir, questions, summary_ms, table, write

WORDS = ["latency", "throughput", "budget", "vendor", "contract", "gpu", "cluster", "kubernetes", "replica", "region", "retention", "audit", "pipeline", "schema", "index", "shard", "quota", "invoice", "renewal", "sla", "migration", "backlog", "incident", "runbook"]


def make_snapshot(base: Path, data: Path, size: int, chroma: bool = False) -> tuple[int, float]:
    """Write the snapshot of `size` chunks (and add the synthetic ones to Chroma when `chroma`);
    returns the chunk count and the seconds the Chroma writes took."""
    import numpy as np

    from advisor import snapshot

    snap = snapshot.load(base / "snapshot.npz")
    extra = max(0, size - len(snap.ids))
    rng = np.random.default_rng(16)
    vecs = rng.standard_normal((extra, snap.vectors.shape[1]), dtype=np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    words = rng.integers(0, len(WORDS), size=(extra, 12))
    ids, texts, metas = list(snap.ids), list(snap.texts), list(snap.metadatas)
    for i in range(extra):
        doc = i // 20
        ids.append(f"user-{i}")
        texts.append(f"Note {i}: " + " ".join(WORDS[w] for w in words[i]) + f" figure {i % 997}.")
        metas.append({"doc_id": f"user-doc-{doc}", "title": f"User document {doc}", "section": f"part {i % 20}",
                      "kind": "document", "components": "", "file": f"company-docs/doc-{doc}.md",
                      "source": f"/company-docs/doc-{doc}.md", "part": 0})
    data.mkdir(parents=True, exist_ok=True)
    snapshot.save(data / "snapshot.npz", snapshot.Snapshot(ids, texts, metas, np.vstack([snap.vectors, vecs])))
    if chroma:  # the same chunks in Chroma too, so its HNSW index can answer for them
        from advisor.index import KnowledgeIndex
        from advisor.settings import Settings

        n = len(snap.ids)
        t = time.perf_counter()
        collection = KnowledgeIndex(Settings(data_dir=data, _env_file=None), None).store._collection
        for at in range(0, extra, 5000):
            collection.add(ids=ids[n + at:n + at + 5000], embeddings=vecs[at:at + 5000],
                           documents=texts[n + at:n + at + 5000], metadatas=metas[n + at:n + at + 5000])
        return len(ids), time.perf_counter() - t
    return len(ids), 0.0


def advisor_for(data: Path, emb, **overrides):
    from advisor.chain import Advisor
    from advisor.settings import Settings

    settings = Settings(data_dir=data, knowledge_dir=ROOT / "knowledge", _env_file=None, **overrides)
    t = time.perf_counter()
    advisor = Advisor(settings, embeddings=emb)
    return advisor, time.perf_counter() - t


def measure(data: Path, rounds: int, dense: str, limit: int | None, compare: bool) -> dict:
    """Run in a fresh process: readiness, warm p50 over the eval questions (with the understanding and
    retrieval stages), peak RSS; with `compare`, the same retrieval with the exact scan, and recall."""
    from advisor.embeddings import embeddings_for
    from advisor.settings import Settings

    overrides = {"dense_search": dense, **({"dense_exact_max_chunks": limit} if limit else {})}
    emb = embeddings_for(Settings(data_dir=data, _env_file=None))  # as every door: the ONNX export ingest made
    emb.embed_query("warm up")
    advisor, ready_s = advisor_for(data, emb, **overrides)
    qs = questions()
    for q in qs:  # warm: the query-embedding cache and every code path once
        advisor.ask(q)
    times, stages = [], {"understand": [], "retrieve": [], "decide": [], "generate": []}
    for _ in range(rounds):
        for q in qs:
            t = time.perf_counter()
            a = advisor.ask(q)
            times.append(time.perf_counter() - t)
            for stage, values in stages.items():
                values.append(getattr(a.timings, f"{stage}_ms") / 1000)
    out = {"ready_s": round(ready_s, 2), "warm": summary_ms(times),
           **{stage: summary_ms(values) for stage, values in stages.items()},
           "dense": "hnsw" if advisor.retriever.dense_search is not None else "exact",
           "chunks": len(advisor.retriever.corpus),
           "peak_rss_mib": peak_rss_mib()}
    if compare and out["dense"] == "hnsw":
        exact, _ = advisor_for(data, emb, dense_search="snapshot")
        out["exact"] = compare_with(advisor, exact, qs)
    return out


def peak_rss_mib() -> int:
    """This process's peak RSS (VmHWM: getrusage's ru_maxrss survives exec, so a child started by a
    parent holding 2 GiB would report at least that)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return -1


def compare_with(hnsw, exact, qs: list[str]) -> dict:
    """HNSW against the exact scan on the same questions: retrieval time of each, and recall@k of the
    passages (k=6), the user-document passages and the dense top-30 (the exact lists are the truth)."""
    import numpy as np

    from advisor.retrieval import top_dense

    def search(advisor, q):
        t = time.perf_counter()
        found = advisor.retriever.search_with_documents(q)
        return found, time.perf_counter() - t

    for q in qs:  # warm both
        search(hnsw, q), search(exact, q)
    recall: dict[str, list[float]] = {"passages": [], "documents": [], "dense_top30": []}
    same_answer, times = 0, {"hnsw": [], "exact": []}
    for q in qs:
        (hp, hd), th = search(hnsw, q)
        (ep, ed), te = search(exact, q)
        times["hnsw"].append(th)
        times["exact"].append(te)
        for key, got, truth in (("passages", hp, ep), ("documents", hd, ed)):
            if truth:
                recall[key].append(len({p.doc.id for p in got} & {p.doc.id for p in truth}) / len(truth))
        vec = exact.retriever.query_vector(q)
        truth = top_dense(exact.retriever.corpus.vectors @ vec, 30)
        got = hnsw.retriever.dense_top(vec)[0]
        recall["dense_top30"].append(len(set(got) & set(truth)) / len(truth))
        a, b = hnsw.ask(q), exact.ask(q)
        same_answer += (a.verdict, [c.doc_id for c in a.citations]) == (b.verdict, [c.doc_id for c in b.citations])
    return {"search_hnsw": summary_ms(times["hnsw"]), "search_exact": summary_ms(times["exact"]),
            **{f"recall_{k}": round(float(np.mean(v)), 4) if v else None for k, v in recall.items()},
            "questions": len(qs), "same_verdict_and_citations": same_answer}


def run_measure(data: Path, rounds: int, dense: str, limit: int | None = None, compare: bool = False) -> dict:
    cmd = [sys.executable, __file__, "--measure", str(data), "--rounds", str(rounds), "--dense", dense]
    if limit:
        cmd += ["--limit", str(limit)]
    if compare:
        cmd.append("--compare")
    out = subprocess.run(cmd, check=False, env=ENV, capture_output=True, text=True, cwd=ROOT)
    if out.returncode:
        raise SystemExit(f"measuring {data} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def row(n, r: dict) -> tuple:
    return (n, r["dense"], r["warm"]["p50_ms"], r["warm"]["p95_ms"], r["understand"]["p50_ms"],
            r["retrieve"]["p50_ms"], r["retrieve"]["p95_ms"], r["ready_s"], r["peak_rss_mib"])


HEADERS = ("chunks", "dense", "warm p50 ms", "warm p95 ms", "understand p50 ms", "retrieve p50 ms",
           "retrieve p95 ms", "ready s", "peak RSS MiB")


def main() -> None:
    import os

    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="240,5000,50000")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--dense", choices=("auto", "snapshot", "chroma"), default="auto")
    ap.add_argument("--hnsw-data", type=Path, help="measure HNSW against the exact scan on this real data dir")
    ap.add_argument("--exact-max", type=int, help="ADVISOR_DENSE_EXACT_MAX_CHUNKS for the run (default: the "
                    "setting's default); sizes above it go to Chroma's HNSW index")
    ap.add_argument("--out", type=Path)
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--compare", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.rounds, args.dense, args.limit, args.compare)))
        return
    from advisor.settings import Settings

    load = os.getloadavg()
    rows, results = [], {}
    if args.hnsw_data:
        hnsw = run_measure(args.hnsw_data, args.rounds, "chroma", compare=True)
        exact = run_measure(args.hnsw_data, args.rounds, "snapshot")
        results = {"data": str(args.hnsw_data), "hnsw": hnsw, "exact": exact}
        rows = [row(hnsw["chunks"], hnsw), row(exact["chunks"], exact)]
        print(table(rows, HEADERS))
        print(json.dumps(hnsw["exact"], indent=2))
        results["load_avg_start"], results["load_avg_end"] = load, os.getloadavg()
        print(f"wrote {write('large_corpus_hnsw', results, args.out)}")
        return
    limit = args.exact_max or Settings(_env_file=None).dense_exact_max_chunks
    with tempfile.TemporaryDirectory(prefix="advisor-large-") as tmp:
        base = build_data_dir(Path(tmp) / "base")
        for size in (int(s) for s in args.sizes.split(",")):
            data = Path(tmp) / f"n{size}"
            shutil.copytree(base, data)
            hnsw = args.dense == "auto" and size > limit
            t = time.perf_counter()
            n, chroma_s = make_snapshot(base, data, size, chroma=hnsw)
            write_s = time.perf_counter() - t - chroma_s
            before = os.getloadavg()
            r = run_measure(data, args.rounds, args.dense, limit=limit, compare=hnsw)
            r["snapshot_write_s"], r["chroma_add_s"] = round(write_s, 2), round(chroma_s, 2)
            r["load_avg_before"], r["load_avg_after"] = before, os.getloadavg()
            results[str(n)] = r
            rows.append(row(n, r))
            if hnsw:  # the same corpus with the exact scan, for comparison
                r["exact_scan"] = run_measure(data, args.rounds, "snapshot")
                rows.append(row(n, r["exact_scan"]))
            shutil.rmtree(data)
            print(table(rows[-2 if hnsw else -1:], HEADERS), flush=True)
            # after every size, so a later failure keeps what was measured
            path = write("large_corpus", {"sizes": results, "dense_exact_max_chunks": limit, "load_avg_start": load,
                                          "load_avg_end": os.getloadavg()}, args.out)
    print(table(rows, HEADERS))
    for n, r in results.items():
        if "exact" in r:
            print(n, json.dumps(r["exact"]))
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
