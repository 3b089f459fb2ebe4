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
    passages = chroma.retriever.search(QUESTIONS[0])
    assert passages and max(p.dense for p in passages) > 0.3
    assert {"ml-monitoring", "evidently-ai", "arize-ai", "whylabs"} & {p.doc_id for p in passages}


@pytest.mark.parametrize("question", QUESTIONS)
def test_snapshot_and_chroma_dense_search_agree(both, question):
    memory, chroma = both
    a, b = memory.retriever.search(question), chroma.retriever.search(question)
    assert [p.doc.id for p in a][:3] == [p.doc.id for p in b][:3]
    assert a[0].dense == pytest.approx(b[0].dense, abs=1e-4)
    assert memory.ask(question).verdict == chroma.ask(question).verdict
