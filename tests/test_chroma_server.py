"""The Chroma server path: a real `chroma run` on loopback, ingested and queried through the advisor."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import KNOWLEDGE, free_port, make_settings
from live_server import answers_200, stop, wait_for
from test_index import CountingEmbeddings

from advisor.errors import IndexNotReadyError
from advisor.index import KnowledgeIndex

CHROMA = Path(sys.executable).parent / "chroma"


@pytest.fixture
def chroma_server(tmp_path):
    """A `chroma run` subprocess on a free loopback port; yields its URL and stops it afterwards."""
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    proc = subprocess.Popen([str(CHROMA), "run", "--path", str(tmp_path / "server-db"), "--host", "127.0.0.1",
                             "--port", str(port)], stdout=log, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(answers_200(f"{url}/api/v2/heartbeat"), 120, "the chroma server's heartbeat", proc,
                 tmp_path / "chroma.log")
        yield url, proc
    finally:
        stop(proc)
        log.close()


@pytest.mark.slow
@pytest.mark.server
def test_ingest_and_ask_through_a_chroma_server(tmp_path, chroma_server, embeddings):
    import chromadb

    from advisor.chain import Advisor

    url, proc = chroma_server
    settings = make_settings(tmp_path / "data", chroma_url=url)
    counting = CountingEmbeddings(embeddings)
    idx = KnowledgeIndex(settings, counting)
    report = idx.ingest([KNOWLEDGE], progress=False)
    assert report.ok and report.chunks > 100
    assert report.added == report.chunks and len(counting.texts) == report.chunks

    # The chunks live on the server (seen by an independent client), not in an embedded store.
    port = int(url.rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port,
                                 settings=chromadb.Settings(anonymized_telemetry=False))
    assert client.get_collection(settings.collection).count() == report.chunks
    assert not settings.chroma_dir.exists()

    # Re-ingest is a no-op: nothing embedded, nothing added or deleted.
    counting.reset()
    again = KnowledgeIndex(settings, counting).ingest([KNOWLEDGE], progress=False)
    assert (again.added, again.updated, again.deleted) == (0, 0, 0)
    assert again.skipped == report.chunks and counting.calls == 0

    advisor = Advisor(settings, embeddings=embeddings)
    answer = advisor.ask("Should we build or buy experiment tracking?")
    assert answer.verdict == "buy" and answer.component == "experiment-tracking"
    assert answer.citations
    server_ids = {m["doc_id"] for m in client.get_collection(settings.collection).get(include=["metadatas"])["metadatas"]}
    assert {c.doc_id for c in answer.citations} <= server_ids

    # Dense search runs on the server: with the local copy of the vectors zeroed, the passages still
    # carry real cosine similarities (and the local search alone would score every chunk 0).
    advisor.retriever.corpus.vectors[:] = 0
    advisor.retriever.corpus.curated_vectors[:] = 0  # the curated chunks' exact scan beside the server's
    passages = advisor.retriever.search("How do we monitor drift of models in production?")
    assert passages and max(p.dense for p in passages) > 0.3
    assert any(p.doc_id in ("ml-monitoring", "evidently-ai", "arize-ai", "whylabs") for p in passages)

    # An ingest from another machine (here: another index object) reaches this reader without a restart.
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "vector-databases.md").write_text(
        "---\nid: vector-databases\ntitle: Vector databases\nkind: guidance\ncomponents: []\n"
        "source: our notes\nupdated: 2026-11-23\n---\n\n# Vector databases\n\n"
        "Pinecone-style vector databases store embeddings for similarity search in retrieval systems.\n")
    before = len(advisor.retriever.corpus)
    advisor.settings.server_refresh_seconds = 0  # check on every question, for the test
    KnowledgeIndex(settings, embeddings).ingest([KNOWLEDGE, extra], progress=False)
    advisor.ask("Should we build or buy experiment tracking?")
    assert len(advisor.retriever.corpus) == before + 1
    assert "vector-databases" in advisor.retriever.corpus.by_doc
    assert proc.poll() is None  # the server stayed up throughout


def test_unreachable_chroma_server_is_a_clear_error(tmp_path, embeddings):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(IndexNotReadyError) as err:
        KnowledgeIndex(make_settings(tmp_path / "data", chroma_url=url), embeddings)
    assert url in err.value.message and "chroma run" in err.value.hint
