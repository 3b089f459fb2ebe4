"""Ingest at any corpus size: every Chroma and record-manager call bounded, resumable, quiet when unchanged.

The corpus is a few hundred short chunks; the batch sizes are lowered through settings so every
boundary (embedding batches, SQL pages, file groups) is crossed many times. The record manager's
SQLite connection gets a real, lowered variable limit, so an unbatched statement would fail here.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import make_settings
from test_index import CountingEmbeddings, note
from test_knowledge import write

from advisor import bulk, snapshot
from advisor.index import KnowledgeIndex

FILES, SECTIONS = 70, 4  # 280 chunks
SQL_BATCH, EMBED_BATCH = 12, 10
VARIABLE_LIMIT = SQL_BATCH * bulk.VARIABLES_PER_ROW  # what the real cap allows per id, scaled down


def corpus(root: Path, files: int = FILES, tag: str = "") -> Path:
    for i in range(files):
        write(root / f"n{i:03d}.md", note(f"n{i:03d}", *(f"Chunk {i}.{s} of note {i}{tag} about serving." for s in
                                                        range(SECTIONS))))
    return root


class Limits:
    """Records the most ids any one Chroma or record-manager call was given."""

    def __init__(self):
        self.most: dict[str, int] = {}

    def see(self, name: str, n: int) -> None:
        self.most[name] = max(self.most.get(name, 0), n)


@pytest.fixture
def limits(monkeypatch):
    from chromadb.api.models.Collection import Collection
    from langchain_classic.indexes import SQLRecordManager

    seen = Limits()

    def spy(cls, name, count):
        real = getattr(cls, name)

        def wrapper(self, *args, **kwargs):
            seen.see(f"{cls.__name__}.{name}", count(*args, **kwargs))
            return real(self, *args, **kwargs)

        monkeypatch.setattr(cls, name, wrapper)

    def ids_or_limit(*args, ids=None, limit=None, **_):
        # an unpaged get (no ids, no limit) reads every row: count it as unbounded
        return len(ids) if ids is not None else (limit if limit is not None else 10**9)

    spy(Collection, "get", ids_or_limit)
    for name in ("upsert", "add", "delete"):
        spy(Collection, name, lambda *a, ids=None, **k: len(ids or (a[0] if a else [])))
    spy(SQLRecordManager, "exists", lambda keys: len(keys))
    spy(SQLRecordManager, "update", lambda keys, **k: len(keys))
    spy(SQLRecordManager, "delete_keys", lambda keys: len(keys))
    spy(SQLRecordManager, "list_keys", lambda group_ids=None, **k: len(group_ids or []))
    return seen


def open_small(data: Path, emb) -> KnowledgeIndex:
    idx = KnowledgeIndex(make_settings(data, sql_batch=SQL_BATCH, embed_batch=EMBED_BATCH), emb)
    engine = idx.records.engine
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _low_limit(conn, _record):  # SQLite itself refuses statements with more variables
        conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, VARIABLE_LIMIT)

    engine.dispose()
    return idx


def test_the_real_limit_holds_for_the_defaults():
    from pydantic import ValidationError

    assert bulk.MAX_SQL_BATCH * bulk.VARIABLES_PER_ROW <= bulk.SQLITE_MAX_VARIABLES
    assert make_settings(Path("/tmp/x")).sql_batch <= bulk.MAX_SQL_BATCH
    with pytest.raises(ValidationError):
        make_settings(Path("/tmp/x"), sql_batch=bulk.MAX_SQL_BATCH + 1)
    assert [len(b) for b in bulk.batches(list(range(12_000)), 10**6)] == [5461, 5461, 1078]


def test_a_lowered_sqlite_limit_refuses_an_unbatched_call(tmp_path, embeddings):
    idx = open_small(tmp_path / "data", embeddings)
    with pytest.raises(Exception, match="too many SQL variables"):
        idx.records.exists([f"k{i}" for i in range(VARIABLE_LIMIT + 1)])
    assert bulk.stored_keys(idx.records, [f"k{i}" for i in range(VARIABLE_LIMIT * 3)], SQL_BATCH) == set()


def test_ingest_crosses_every_batch_boundary_and_a_noop_publishes_nothing(tmp_path, embeddings, limits):
    kb = corpus(tmp_path / "kb")
    counting = CountingEmbeddings(embeddings)
    idx = open_small(tmp_path / "data", counting)
    first = idx.ingest([kb], progress=False)
    assert first.ok and (first.chunks, first.added, first.skipped) == (FILES * SECTIONS, FILES * SECTIONS, 0)
    assert counting.calls == -(-FILES * SECTIONS // EMBED_BATCH)  # one embedding call per batch
    settings = idx.settings
    snap = snapshot.load(settings.snapshot_path)
    assert len(snap.ids) == idx.count() == FILES * SECTIONS and len(idx.sources()) == FILES
    assert len(idx.all_chunks()) == FILES * SECTIONS and idx.repair() == 0
    # Every call stayed within its batch: no unpaged get, no oversized delete or record statement.
    assert limits.most and max(limits.most.values()) <= SQL_BATCH, limits.most

    # A no-op ingest embeds nothing and publishes nothing: running advisors keep their snapshot. The last
    # ingest ended in step, so it does not read every id back from Chroma to compare (repair) either.
    counting.reset()
    published = snapshot.version(settings.snapshot_path)
    limits.most.pop("Collection.get", None)
    again = idx.ingest([kb], progress=False)
    assert (again.added, again.deleted, again.repaired, again.skipped) == (0, 0, 0, FILES * SECTIONS)
    assert counting.calls == 0 and snapshot.version(settings.snapshot_path) == published
    assert "Collection.get" not in limits.most

    # Change 30 files and delete 30 more: deletes and lookups cross the batches too.
    for i in range(30):
        write(kb / f"n{i:03d}.md", note(f"n{i:03d}", *(f"Revised chunk {i}.{s} about serving." for s in
                                                        range(SECTIONS))))
    for i in range(30, 60):
        (kb / f"n{i:03d}.md").unlink()
    counting.reset()
    changed = idx.ingest([kb], progress=False)
    assert (changed.added, changed.deleted) == (30 * SECTIONS, 60 * SECTIONS)
    assert len(counting.texts) == 30 * SECTIONS
    assert idx.count() == 40 * SECTIONS == len(snapshot.load(settings.snapshot_path).ids)
    assert max(limits.most.values()) <= SQL_BATCH, limits.most


class Dying(CountingEmbeddings):
    """The real model, failing once `after` texts are embedded (an ingest killed part way)."""

    def __init__(self, inner, after: int):
        super().__init__(inner)
        self.after = after

    def embed_documents(self, texts):
        if len(self.texts) >= self.after:
            raise KeyboardInterrupt("killed")
        return super().embed_documents(texts)


def test_a_killed_ingest_resumes_without_re_embedding_and_then_publishes(tmp_path, embeddings):
    kb = corpus(tmp_path / "kb")
    data = tmp_path / "data"
    dying = Dying(embeddings, after=5 * EMBED_BATCH)
    with pytest.raises(KeyboardInterrupt):
        open_small(data, dying).ingest([kb], progress=False)
    assert not make_settings(data).snapshot_path.exists()  # nothing half-built was published
    done = set(dying.texts)
    assert len(done) == 5 * EMBED_BATCH

    counting = CountingEmbeddings(embeddings)
    idx = open_small(data, counting)
    report = idx.ingest([kb], progress=False)
    assert report.ok and report.repaired == 0
    assert not done & set(counting.texts)  # what the killed run stored is never embedded again
    assert (report.added, report.skipped) == (FILES * SECTIONS - len(done), len(done))
    assert len(snapshot.load(idx.settings.snapshot_path).ids) == FILES * SECTIONS


def test_an_ingest_killed_after_its_last_write_still_publishes_next_time(tmp_path, embeddings, monkeypatch):
    kb = corpus(tmp_path / "kb", files=8)
    idx = open_small(tmp_path / "data", embeddings)
    idx.ingest([kb], progress=False)
    published = snapshot.load(idx.settings.snapshot_path)
    write(kb / "n000.md", note("n000", "Only one section now."))
    monkeypatch.setattr(KnowledgeIndex, "write_snapshot", lambda self: (_ for _ in ()).throw(SystemExit(9)))
    with pytest.raises(SystemExit):
        idx.ingest([kb], progress=False)
    assert snapshot.load(idx.settings.snapshot_path).ids == published.ids
    monkeypatch.undo()
    report = open_small(tmp_path / "data", embeddings).ingest([kb], progress=False)
    assert (report.added, report.deleted) == (0, 0)  # nothing left to change, but the snapshot catches up
    assert len(snapshot.load(idx.settings.snapshot_path).ids) == 7 * SECTIONS + 1


def test_a_chunk_deleted_from_chroma_by_hand_is_noticed_and_embedded_again(tmp_path, embeddings):
    """No interrupted ingest, but Chroma and the records disagree in count: the ids are compared."""
    kb = corpus(tmp_path / "kb", files=6)
    idx = open_small(tmp_path / "data", embeddings)
    idx.ingest([kb], progress=False)
    gone = idx.store._collection.get(limit=1)["ids"]
    idx.store._collection.delete(ids=gone)
    counting = CountingEmbeddings(embeddings)
    report = open_small(tmp_path / "data", counting).ingest([kb], progress=False)
    assert (report.repaired, report.added) == (1, 1) and len(counting.texts) == 1
    assert idx.count() == 6 * SECTIONS
