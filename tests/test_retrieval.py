"""Hybrid retrieval: the dense half searched in the snapshot or by Chroma itself gives the same ranking."""

from __future__ import annotations

import pytest
from conftest import make_settings

from advisor.chain import Advisor

QUESTIONS = ["How do we monitor drift of models in production?",
             "Should we self-host Triton or use SageMaker endpoints?",
             "Is Feast a good fit for a small team?",
             "GPU training on spot instances: build or rent?"]


@pytest.fixture
def both(data_dir, embeddings):
    memory = Advisor(make_settings(data_dir), embeddings=embeddings)
    chroma = Advisor(make_settings(data_dir, dense_search="chroma"), embeddings=embeddings)
    return memory, chroma


def test_chroma_dense_search_really_queries_chroma(both):
    _, chroma = both
    chroma.retriever.corpus.vectors[:] = 0  # a local search would now score every chunk 0
    chroma.retriever.corpus.curated_vectors[:] = 0  # and so would the curated chunks' exact scan
    passages = chroma.retriever.search(QUESTIONS[0])
    assert passages and max(p.dense for p in passages) > 0.3
    assert {"ml-monitoring", "evidently-ai", "arize-ai", "whylabs"} & {p.doc_id for p in passages}


def test_auto_dense_search_scans_the_snapshot_until_the_corpus_outgrows_it(data_dir, embeddings):
    small = Advisor(make_settings(data_dir), embeddings=embeddings)  # auto, default limit: exact scan
    assert small.retriever.dense_search is None
    large = Advisor(make_settings(data_dir, dense_exact_max_chunks=10), embeddings=embeddings)
    assert large.retriever.corpus.vectors.shape == (len(large.retriever.corpus), 0)  # none read or kept
    large.retriever.corpus.curated_vectors[:] = 0  # only Chroma's own index can still score chunks
    passages = large.retriever.search(QUESTIONS[0])
    assert large.retriever.dense_search is not None and max(p.dense for p in passages) > 0.3


def test_with_hnsw_the_curated_chunks_are_also_scanned_exactly(data_dir, embeddings):
    """Among many similar user chunks Chroma's graph search can miss curated ones: those are scanned
    exactly beside it, so they rank as with the exact scan of everything."""
    exact = Advisor(make_settings(data_dir), embeddings=embeddings).retriever
    hnsw = Advisor(make_settings(data_dir, dense_search="chroma"), embeddings=embeddings).retriever
    assert len(hnsw.corpus.curated_vectors) == len(hnsw.corpus) and not len(hnsw.corpus.user)
    # (more curated chunks than ADVISOR_DENSE_EXACT_MAX_CHUNKS: none scanned, as above)
    hnsw.dense_search = lambda vector, n: []  # a graph search that finds nothing
    for q in QUESTIONS:
        assert [p.doc.id for p in hnsw.search(q)] == [p.doc.id for p in exact.search(q)]
        v = exact.query_vector(q)
        assert hnsw.dense_top(v)[0] == exact.dense_top(v)[0]


@pytest.mark.parametrize("question", QUESTIONS)
def test_snapshot_and_chroma_dense_search_agree(both, question):
    memory, chroma = both
    a, b = memory.retriever.search(question), chroma.retriever.search(question)
    assert [p.doc.id for p in a][:3] == [p.doc.id for p in b][:3]
    assert a[0].dense == pytest.approx(b[0].dense, abs=1e-4)
    assert memory.ask(question).verdict == chroma.ask(question).verdict


# -- the sparse BM25 and candidate-only fusion rank exactly as the full-scan versions did --------------
RANKED = QUESTIONS + ["What does a vector database cost us at 10 million vectors?",
                      "serving serving latency p99 GPUs", "Should we build our own LLM gateway?",
                      "feature store for a regulated bank", "zzzz unknown words only"]


def test_sparse_bm25_scores_match_rank_bm25(data_dir, embeddings):
    from rank_bm25 import BM25Okapi

    from advisor.retrieval import _indexed_text, tokenize

    corpus = Advisor(make_settings(data_dir), embeddings=embeddings).retriever.corpus
    tokens = [tokenize(_indexed_text(d)) for d in corpus.docs]
    reference = BM25Okapi(tokens)
    for q in RANKED:
        assert corpus.bm25.get_scores(tokenize(q)) == pytest.approx(reference.get_scores(tokenize(q)), abs=1e-9)


def full_scan(retriever, query, prefer):
    """The retrieval as it was: every chunk scored, fused and boosted, then fully sorted."""
    import numpy as np

    from advisor.retrieval import RRF_K, tokenize

    corpus = retriever.corpus
    dense = retriever.dense_scores(query)
    fused = np.zeros(len(corpus))
    for rank, i in enumerate(np.argsort(-dense, kind="stable")[: retriever.depth]):
        fused[i] += 1.0 / (RRF_K + rank + 1)
    lexical = corpus.bm25.get_scores(tokenize(query))
    for rank, i in enumerate(np.argsort(-lexical, kind="stable")[: retriever.depth]):
        if lexical[i] > 0:
            fused[i] += 1.0 / (RRF_K + rank + 1)
    for i, d in enumerate(corpus.docs):
        comps = set(d.metadata.get("components", "").split(","))
        if fused[i] > 0 and (d.metadata.get("doc_id") in prefer or comps & prefer):
            fused[i] += retriever.boost / (RRF_K + 1)
    return [corpus.docs[i].id for i in np.argsort(-fused, kind="stable") if fused[i] > 0]


@pytest.mark.parametrize("prefer", [set(), {"model-serving", "triton"}, {"feature-store", "vector-databases"}])
def test_candidate_fusion_ranks_as_the_full_scan(data_dir, embeddings, prefer):
    retriever = Advisor(make_settings(data_dir), embeddings=embeddings).retriever
    for q in RANKED:
        got = [p.doc.id for p in retriever.search(q, prefer=prefer, k=50)]
        expected = full_scan(retriever, q, prefer)
        # near-duplicates are skipped by search, so compare in order on what it kept
        assert got == [i for i in expected if i in set(got)][: len(got)], q


def test_top_positions_break_ties_by_position():
    import numpy as np

    from advisor.retrieval import top_dense
    from advisor.sparse_bm25 import top_positions

    scores = np.array([0.5, 0.9, 0.5, 0.1, 0.9, 0.5])
    assert top_dense(scores, 3) == [1, 4, 0]
    assert top_dense(scores, 10) == [1, 4, 0, 2, 5, 3]
    assert top_positions(np.array([7, 3, 9]), np.array([0.0, 2.0, 2.0]), 5) == [3, 9]


def test_sparse_bm25_scores_common_and_rare_terms_alike():
    """Terms in many chunks are added into one array, rare ones through their postings only: both give
    rank_bm25's scores, and the tops rank by score, ties by position."""
    import random

    import numpy as np
    from rank_bm25 import BM25Okapi

    from advisor.sparse_bm25 import SparseBM25

    rng = random.Random(3)
    words = [f"w{i}" for i in range(40)]
    docs = [[rng.choice(words[:4]) if rng.random() < 0.6 else rng.choice(words) for _ in range(rng.randint(1, 12))]
            for _ in range(400)]
    bm25, reference = SparseBM25(iter(docs)), BM25Okapi(docs)
    user = np.arange(len(docs)) % 3 == 0
    for q in (["w0"], ["w0", "w1", "w0"], ["w39"], ["w39", "w38", "w0"], ["zzz"], []):
        pos, scores = bm25.scores(q)
        full = np.zeros(len(docs))
        full[pos] = scores
        assert full == pytest.approx(np.maximum(reference.get_scores(q), 0), abs=1e-9), q
        assert full == pytest.approx(bm25.get_scores(q), abs=1e-12)
        order = sorted(np.flatnonzero(full > 0), key=lambda i: (-round(full[i], 9), i))
        assert bm25.top(q, 10) == order[:10]
        assert bm25.top(q, 10, mask=user) == [i for i in order if user[i]][:10]
        assert bm25.top(q, 10, mask=user, scored=(pos, scores)) == bm25.top(q, 10, mask=user)


def test_an_advisor_keeps_blas_to_its_configured_threads(data_dir, embeddings):
    """BLAS threads left spinning after a product slowed the next encoder run: one thread by default."""
    from threadpoolctl import threadpool_info, threadpool_limits

    with threadpool_limits(limits=2, user_api="blas"):
        Advisor(make_settings(data_dir), embeddings=embeddings)
        assert {p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"} == {1}
