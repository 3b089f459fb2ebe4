"""Warm answer latency through the chain over the eval questions, beside a naive LangChain baseline.

Usage: python benchmarks/chain_latency.py [--rounds 3] [--out FILE]
Ours: the full Advisor (understand, hybrid retrieve, decide, compose) with the default settings.
Naive baseline: LangChain's Chroma.similarity_search, top-4 over 1,000-character chunks, same model,
same questions (retrieval only: it produces no answer at all).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from common import ROOT, build_data_dir, questions, summary_ms, table, write


def naive_baseline(qs: list[str], rounds: int, workdir: Path) -> dict:
    import chromadb
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from advisor import knowledge
    from advisor.embeddings import LocalEmbeddings

    emb = LocalEmbeddings(backend="torch", cache_size=0)  # plain LangChain embeds every query
    docs = []
    for d in knowledge.load([ROOT / "knowledge"]).docs:
        text = "\n\n".join(t for _, t in d.sections)
        docs += RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=0).create_documents([text])
    client = chromadb.PersistentClient(path=str(workdir / "naive"), settings=chromadb.Settings(anonymized_telemetry=False))
    store = Chroma(client=client, collection_name="naive", embedding_function=emb)
    store.add_documents(docs)
    store.similarity_search(qs[0], k=4)
    first, times = [], []
    for r in range(rounds):
        for q in qs:
            t = time.perf_counter()
            store.similarity_search(q, k=4)
            (first if r == 0 else times).append(time.perf_counter() - t)
    return {"first_round": summary_ms(first), "all_rounds": summary_ms(first + times), "chunks": len(docs)}


def ours(qs: list[str], rounds: int, data: Path) -> dict:
    from advisor.chain import Advisor
    from advisor.settings import Settings

    advisor = Advisor(Settings(data_dir=data, knowledge_dir=ROOT / "knowledge", _env_file=None))
    advisor.ask("warm up: should we buy a feature store?")
    first, times, stages = [], [], {"understand_ms": [], "retrieve_ms": [], "decide_ms": [], "generate_ms": []}
    for r in range(rounds):
        for q in qs:
            t = time.perf_counter()
            a = advisor.ask(q)  # a fresh conversation per question, as the evals do
            (first if r == 0 else times).append(time.perf_counter() - t)
            for k, values in stages.items():
                values.append(getattr(a.timings, k))
    return {"first_round": summary_ms(first), "all_rounds": summary_ms(first + times),
            "stage_mean_ms": {k: round(sum(v) / len(v), 2) for k, v in stages.items()},
            "embedding_backend": advisor.embeddings.active_backend}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--out", type=Path)
    args = ap.parse_args()
    qs = questions()
    with tempfile.TemporaryDirectory() as tmp:
        data = build_data_dir(Path(tmp) / "data")
        result = {"questions": len(qs), "rounds": args.rounds, "ours": ours(qs, args.rounds, data),
                  "naive": naive_baseline(qs, args.rounds, Path(tmp))}
    o, n = result["ours"]["all_rounds"], result["naive"]["all_rounds"]
    o1 = result["ours"]["first_round"]
    result["targets"] = {"p50_ms": 40, "p95_ms": 100}
    result["met"] = o["p50_ms"] <= 40 and o["p95_ms"] <= 100
    print(table([
        ("chain answer, all rounds", o["p50_ms"], o["p95_ms"], o["p99_ms"], "p50<=40, p95<=100", "yes" if result["met"] else "NO"),
        ("chain answer, first round (no query cache)", o1["p50_ms"], o1["p95_ms"], o1["p99_ms"], "", ""),
        ("naive Chroma top-4 retrieval only", n["p50_ms"], n["p95_ms"], n["p99_ms"], "(baseline)", ""),
    ], ("what", "p50 ms", "p95 ms", "p99 ms", "target", "met")))
    print("stage means (ms):", result["ours"]["stage_mean_ms"], "backend:", result["ours"]["embedding_backend"])
    print("wrote", write("chain_latency", result, args.out))


if __name__ == "__main__":
    main()
