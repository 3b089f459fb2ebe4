"""The incremental Chroma index: real model, real embedded Chroma in tmp_path, counted embeddings."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import KNOWLEDGE, make_settings
from langchain_core.embeddings import Embeddings
from test_knowledge import pdf_bytes, write

from advisor.errors import IndexNotReadyError, InputError
from advisor.index import KnowledgeIndex, rebuild_index


class CountingEmbeddings(Embeddings):
    """The real embeddings, recording every text sent to embed_documents."""

    def __init__(self, inner: Embeddings):
        self.inner = inner
        self.texts: list[str] = []
        self.calls = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls += 1
        self.texts += list(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def reset(self) -> None:
        self.texts, self.calls = [], 0


def note(doc_id: str, *sections: str, components: str = "model-serving") -> str:
    body = "\n\n".join(f"## Section {i}\n{text}" for i, text in enumerate(sections, start=1))
    return (f"---\nid: {doc_id}\ntitle: Note {doc_id}\nkind: guidance\ncomponents: [{components}]\n"
            f"source: test\n---\n# Note {doc_id}\n\n{body}\n")


@pytest.fixture
def counting(embeddings):
    return CountingEmbeddings(embeddings)


@pytest.fixture
def kb(tmp_path) -> Path:
    """A small knowledge dir: three notes, two sections each (one chunk per section)."""
    root = tmp_path / "kb"
    write(root / "alpha.md", note("alpha", "Triton serves models on GPUs.", "BentoML packages models."))
    write(root / "beta.md", note("beta", "Feast keeps features consistent.", "Tecton is managed."))
    write(root / "gamma.md", note("gamma", "Airflow schedules DAGs.", "Dagster models assets."))
    return root


def open_index(tmp_path: Path, emb: Embeddings, **overrides) -> KnowledgeIndex:
    return KnowledgeIndex(make_settings(tmp_path / "data", **overrides), emb)


def by_doc(idx: KnowledgeIndex) -> dict[str, int]:
    return {s.doc_id: s.chunks for s in idx.sources()}


def test_incremental_add_noop_change_and_delete(tmp_path, kb, counting):
    idx = open_index(tmp_path, counting)
    first = idx.ingest([kb], progress=False)
    assert (first.documents, first.chunks, first.added, first.skipped, first.deleted) == (3, 6, 6, 0, 0)
    assert first.ok and len(counting.texts) == 6
    assert idx.count() == 6

    counting.reset()
    again = idx.ingest([kb], progress=False)
    assert (again.added, again.updated, again.skipped, again.deleted) == (0, 0, 6, 0)
    assert counting.texts == []  # nothing re-embedded

    # Change one section of one note: only that chunk is embedded, its old version is deleted.
    counting.reset()
    write(kb / "beta.md", note("beta", "Feast keeps online and offline features consistent.", "Tecton is managed."))
    changed = idx.ingest([kb], progress=False)
    assert (changed.added, changed.skipped, changed.deleted) == (1, 5, 1)
    assert counting.texts == ["Feast keeps online and offline features consistent."]
    stored = {c.page_content for c in idx.all_chunks()}
    assert "Feast keeps features consistent." not in stored
    assert "Feast keeps online and offline features consistent." in stored

    # Remove a file: its chunks are deleted, nothing is embedded.
    counting.reset()
    (kb / "gamma.md").unlink()
    removed = idx.ingest([kb], progress=False)
    assert (removed.added, removed.skipped, removed.deleted) == (0, 4, 2)
    assert counting.texts == []
    assert by_doc(idx) == {"alpha": 2, "beta": 2}

    # State survives reopening (the record manager and Chroma are on disk).
    reopened = open_index(tmp_path, counting)
    counting.reset()
    assert reopened.ingest([kb], progress=False).added == 0 and counting.texts == []


def test_noop_reingest_of_the_real_knowledge_base_embeds_nothing(data_dir, counting):
    # Notes whose chunks straddle an indexing batch used to be re-embedded on every run.
    idx = KnowledgeIndex(make_settings(data_dir), counting)
    before = idx.count()
    report = idx.ingest([KNOWLEDGE], progress=False)
    assert report.ok
    assert (report.added, report.updated, report.deleted) == (0, 0, 0)
    assert report.skipped == report.chunks == before
    assert counting.calls == 0


def test_reingest_from_another_cwd_or_path_spelling_embeds_nothing(data_dir, counting, tmp_path, monkeypatch):
    """Chunk metadata must not depend on where the command runs: same files, same chunks."""
    idx = KnowledgeIndex(make_settings(data_dir), counting)
    monkeypatch.chdir(tmp_path)
    relative = Path("..") / Path(*[".."] * (len(tmp_path.parts) - 1)) / KNOWLEDGE.relative_to("/")
    report = idx.ingest([relative], progress=False)
    assert (report.added, report.deleted, counting.calls) == (0, 0, 0)
    files = {m["file"] for m in idx.store.get(include=["metadatas"])["metadatas"]}
    assert "knowledge/guidance/feature-store.md" in files


def test_files_outside_the_ingested_path_are_untouched(tmp_path, kb, counting):
    idx = open_index(tmp_path, counting)
    # A sibling whose name shares the prefix "kb" must not count as being under kb/.
    extra = write(tmp_path / "kb-extra" / "delta.md", note("delta", "Ray Serve composes deployments."))
    single = write(tmp_path / "loose.md", note("loose", "Modal runs serverless GPUs."))
    idx.ingest([kb], progress=False)
    idx.ingest([extra.parent], progress=False)
    idx.ingest([single], progress=False)
    assert set(by_doc(idx)) == {"alpha", "beta", "gamma", "delta", "loose"}

    (kb / "alpha.md").unlink()
    report = idx.ingest([kb], progress=False)
    assert report.deleted == 2
    assert by_doc(idx) == {"beta": 2, "gamma": 2, "delta": 1, "loose": 1}


def test_all_formats_indexed_with_metadata(tmp_path, kb, counting):
    write(kb / "plain.txt", "Prefect runs Python workflows with retries.")
    write(kb / "page.html", "<html><head><title>Evidently</title></head><body>"
                            "<h2>Drift</h2><p>Evidently AI reports data drift.</p></body></html>")
    write(kb / "paper.pdf", pdf_bytes("WhyLabs profiles data with whylogs.", title="WhyLabs brief"))
    idx = open_index(tmp_path, counting)
    report = idx.ingest([kb], progress=False)
    assert report.ok and report.documents == 6
    chunks = idx.all_chunks()
    assert len(chunks) == report.chunks == 9
    for c in chunks:
        for key in ("doc_id", "title", "section", "source", "file", "kind", "components"):
            assert key in c.metadata, (key, c.metadata)
        assert Path(c.metadata["source"]).is_absolute() and Path(c.metadata["source"]).exists()
    meta = {c.metadata["doc_id"]: c.metadata for c in chunks}
    assert meta["paper"]["title"] == "WhyLabs brief" and meta["paper"]["section"] == "page 1"
    assert meta["page"]["title"] == "Evidently" and meta["page"]["section"] == "Drift"
    assert meta["plain"]["kind"] == "document"
    assert meta["alpha"]["components"] == "model-serving"
    assert {c.metadata["section"] for c in chunks if c.metadata["doc_id"] == "alpha"} == {"Section 1", "Section 2"}
    texts = {c.metadata["doc_id"]: c.page_content for c in chunks}
    assert "WhyLabs profiles data with whylogs." in texts["paper"]

    # Retrieval over the real embeddings finds the PDF's text.
    hits = idx.store.similarity_search("whylogs data profiles", k=1)
    assert hits[0].metadata["doc_id"] == "paper"


def test_corrupt_files_are_skipped_and_old_chunks_kept(tmp_path, kb, counting):
    idx = open_index(tmp_path, counting)
    idx.ingest([kb], progress=False)
    # beta becomes broken; new corrupt files appear next to a new good one.
    write(kb / "beta.md", "---\nid: beta\ntitle: [unclosed\n---\nbody\n")
    write(kb / "broken.pdf", b"%PDF-1.4\n not a pdf")
    write(kb / "latin1.txt", "caf\xe9".encode("latin-1"))
    write(kb / "no-id.md", "---\ntitle: No id\n---\nbody\n")
    write(kb / "fresh.md", note("fresh", "Seldon deploys on Kubernetes."))
    counting.reset()
    report = idx.ingest([kb], progress=False)
    assert not report.ok
    assert sorted(Path(p).name for p, _ in report.problems) == ["beta.md", "broken.pdf", "latin1.txt", "no-id.md"]
    why = {Path(p).name: w for p, w in report.problems}
    assert "YAML" in why["beta.md"] and "UTF-8" in why["latin1.txt"] and "'id'" in why["no-id.md"]
    assert report.added == 1 and report.deleted == 0
    assert counting.texts == ["Seldon deploys on Kubernetes."]
    # The broken note's previous chunks are still there and still searchable.
    assert by_doc(idx) == {"alpha": 2, "beta": 2, "gamma": 2, "fresh": 1}
    assert idx.store.similarity_search("Feast features", k=1)[0].metadata["doc_id"] == "beta"


def test_missing_or_empty_path_leaves_the_index_alone(tmp_path, kb, counting):
    idx = open_index(tmp_path, counting)
    idx.ingest([kb], progress=False)
    with pytest.raises(InputError, match="path not found"):
        idx.ingest([tmp_path / "missing"], progress=False)
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="no knowledge files"):
        idx.ingest([tmp_path / "empty"], progress=False)
    assert idx.count() == 6


def test_empty_index_is_not_ready_and_rebuild_starts_clean(tmp_path, kb, counting):
    settings = make_settings(tmp_path / "data")
    idx = KnowledgeIndex(settings, counting)
    with pytest.raises(IndexNotReadyError) as err:
        idx.require_ready()
    assert "advisor ingest" in err.value.hint
    idx.ingest([kb], progress=False)
    idx.require_ready()
    del idx
    rebuild_index(settings)
    assert not settings.record_db.exists()
    counting.reset()
    fresh = KnowledgeIndex(settings, counting)
    assert fresh.count() == 0
    assert fresh.ingest([kb], progress=False).added == 6 and len(counting.texts) == 6


def test_rebuild_refuses_a_chroma_server(tmp_path):
    with pytest.raises(InputError, match="--rebuild"):
        rebuild_index(make_settings(tmp_path / "data", chroma_url="http://127.0.0.1:1"))


def test_progress_bar_goes_to_stderr(tmp_path, kb, counting, capsys):
    open_index(tmp_path, counting).ingest([kb], progress=True)
    err = capsys.readouterr().err
    assert "indexing chunks" in err and "6/6" in err


def test_rebuild_recovers_an_index_too_broken_to_open(tmp_path, kb, counting):
    settings = make_settings(tmp_path / "data")
    write(settings.chroma_dir / "chroma.sqlite3", b"this is not a sqlite database" * 100)
    write(settings.record_db, b"garbage")
    rebuild_index(settings)
    assert not settings.record_db.exists()
    idx = KnowledgeIndex(settings, counting)
    assert idx.ingest([kb], progress=False).added == 6 and idx.count() == 6
