"""Embed chunks and keep them in Chroma, incrementally, through LangChain's indexing API."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from . import bulk, knowledge, manifest
from . import snapshot as snapshot_mod
from .errors import IndexDamagedError, IndexNotReadyError, IngestBusyError, InputError
from .settings import Settings
from .stores import STORES, forget_system, store_kind


@dataclass
class IngestReport:
    """Counts from one ingest run, plus the files that could not be used."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    deleted: int = 0
    repaired: int = 0  # entries out of step between Chroma and the records (an interrupted ingest), fixed
    documents: int = 0
    chunks: int = 0
    problems: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class SourceInfo:
    """One indexed document."""

    doc_id: str
    title: str
    kind: str
    components: list[str]
    file: str
    chunks: int


def summarize_sources(metadatas: Iterable[dict]) -> list[SourceInfo]:
    """One row per document, with its chunk count, from the chunks' metadata."""
    counts: Counter[str] = Counter()
    first: dict[str, dict] = {}
    for meta in metadatas:
        counts[meta["doc_id"]] += 1
        first.setdefault(meta["doc_id"], meta)
    return sorted(
        (SourceInfo(doc_id=d, title=m.get("title", d), kind=m.get("kind", ""),
                    components=[c for c in m.get("components", "").split(",") if c],
                    file=m.get("file", ""), chunks=counts[d]) for d, m in first.items()),
        key=lambda s: (s.kind, s.doc_id))


class KnowledgeIndex:
    """The Chroma collection plus the record manager that makes re-ingest incremental."""

    def __init__(self, settings: Settings, embeddings: Embeddings):
        self.settings = settings
        self.embeddings = embeddings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = STORES[store_kind(settings)](settings, embeddings)
        self._records = None

    @property
    def records(self):
        """The record manager (which chunk ids are stored, per source file); opened on first use,
        so reading the index never needs it."""
        if self._records is None:
            from langchain_classic.indexes import SQLRecordManager

            from .database import redacted

            url = self.settings.records_url  # ADVISOR_DATABASE_URL when set: one record set for every machine
            with _readable(f"the ingest record database {redacted(url).removeprefix('sqlite:///')}"):
                records = SQLRecordManager(f"chroma/{self.settings.collection}", db_url=url)
                records.create_schema()
                records.list_keys(limit=1)  # a damaged file may only fail when read
            self._records = records
        return self._records

    def ingest(self, paths: list[Path], progress: bool | None = None,
               on_chunk: Callable[[Document], None] | None = None) -> IngestReport:
        """Make the index match `paths`: add new, re-embed changed, delete removed; skip bad files.

        Chunks are keyed as LangChain's indexing API keys them (sha256 of text and metadata) and kept
        in its SQL record manager. Every call is bounded (`bulk`): checking 50,000 keys is ten
        queries, not one statement SQLite refuses. New chunks are embedded and written a batch at a
        time, Chroma first, then the records, so a killed ingest resumes after its last batch. Only an
        ingest that changed something publishes a snapshot (readers reload on a new one). A file whose
        stat and citation path match the ingest manifest (`manifest`), and whose recorded chunk ids are
        all still stored, is not parsed, chunked or hashed again: its ids are reused.
        """
        files, roots = knowledge.discover(paths)  # a bad path fails before anything is touched
        show = sys.stderr.isatty() if progress is None else progress
        size = self.settings.sql_batch
        with _readable(f"the index in {self.settings.data_dir}"):
            repaired = self.repair() if self._may_be_out_of_step() else 0
            sources = {f: str(f.resolve()) for f in files}
            # Every recorded key of these files, read once: whether a manifest entry's chunks are all
            # still stored, and (after the embedding, which only adds current keys) which are stale.
            recorded = bulk.keys_by_group(self.records, sorted(set(sources.values())), size)
            reuse = manifest.Reuse(self.settings.data_dir, sources, recorded)
            loaded = knowledge.load_files(files, roots, reuse.known)
            report = IngestReport(repaired=repaired, documents=len(loaded.docs),
                                  problems=[(str(p), why) for p, why in loaded.problems])
            ids_of: dict[Path, list[str]] = {}
            fresh: list[Document] = []
            current: set[str] = set()
            for d in loaded.docs:
                if d.known_ids is None:
                    chunks = bulk.hashed(knowledge.chunk(d))
                    fresh += [c for c in chunks if c.id not in current]
                    ids_of[d.path] = [c.id for c in chunks]
                else:
                    ids_of[d.path] = d.known_ids  # all recorded: nothing to embed
                current.update(ids_of[d.path])
            report.chunks = len(current)
            stored = bulk.stored_keys(self.records, [c.id for c in fresh], size)
            todo = [c for c in fresh if c.id not in stored]
            report.skipped = report.chunks - len(todo)
            bar = _progress(show, report.chunks, report.skipped)
            try:
                for batch in bulk.batches(todo, min(self.settings.embed_batch, size)):
                    self._mark_dirty()
                    for d in batch:
                        if on_chunk:
                            on_chunk(d)
                    ids = [d.id for d in batch]
                    self.store.add_documents(list(batch), ids=ids)
                    groups = [d.metadata["source"] for d in batch]
                    for at in range(0, len(ids), size):
                        self.records.update(ids[at:at + size], group_ids=groups[at:at + size])
                    report.added += len(batch)
                    if bar:
                        bar.update(len(batch))
            finally:
                if bar:
                    bar.close()
            # Chunks of the files ingested now that they no longer yield (the file changed): stale.
            docs_at = sorted({sources[d.path] for d in loaded.docs})
            stale = sorted(k for src in docs_at for k in recorded.get(src, ()) if k not in current)
            # Files that vanished from the ingested paths: drop their chunks. Files that failed to
            # load keep their previous chunks, so a broken edit never loses what was indexed.
            present = set(docs_at) | {str(p.resolve()) for p, _ in loaded.problems}
            gone = sorted(s for s in self._sources_under(loaded.roots) if s not in present)
            stale += bulk.keys_of_groups(self.records, gone, size)
            if stale:
                self._mark_dirty()
                # Chroma first, then the records: a crash in between leaves records without chunks,
                # which the next ingest's repair() drops.
                bulk.delete_chunks(self.store, stale, size)
                bulk.delete_keys(self.records, stale, size)
                report.deleted = len(stale)
        if self._dirty.exists() or (not self.settings.chroma_url and not self.settings.snapshot_path.exists()):
            if self.settings.chroma_url:
                self.publish_version()  # readers of a server load from it, never from a local snapshot
            else:
                self.write_snapshot()
            self._dirty.unlink(missing_ok=True)
        reuse.save(loaded, ids_of)  # only now: a failed or killed ingest leaves the previous manifest
        return report

    @property
    def _dirty(self) -> Path:
        """Present from an ingest's first write until it publishes: a killed ingest's successor
        publishes even when it has nothing left to change."""
        return self.settings.data_dir / ".ingest.unpublished"

    def _mark_dirty(self) -> None:
        if not self._dirty.exists():
            self._dirty.touch()

    @property
    def _chroma_what(self) -> str:
        if self.settings.chroma_url:
            return f"the Chroma collection {self.settings.collection!r} at {self.settings.chroma_url}"
        return f"the Chroma index in {self.settings.chroma_dir}"

    def _may_be_out_of_step(self) -> bool:
        """Whether Chroma and the records need comparing id by id (`repair`): after an ingest that was
        interrupted (its marker is still there), or when their counts differ (Chroma files deleted or
        replaced by hand). Otherwise every ingest ended in step, and the comparison, which reads every id
        from both, is skipped: it was most of a no-op ingest's time at 50k chunks."""
        if self._dirty.exists():
            return True
        with _readable(self._chroma_what):
            stored = self.count()
        with _readable(f"the ingest record database {self.settings.record_db.resolve()}"):
            return stored != bulk.record_count(self.records)

    def repair(self) -> int:
        """Bring Chroma and the record manager back in step; returns how many entries were fixed.

        Ingest writes Chroma before the records and deletes from Chroma before the records, so a
        process killed in between leaves chunks nobody records (never cleaned up, even when their
        file changes) or records of chunks that are gone (their text would never be embedded again).
        Drop both kinds: the ingest that follows re-embeds whatever is still current.
        """
        size = self.settings.sql_batch
        with _readable(self._chroma_what):
            stored = set(bulk.paged_get(self.store._collection, [], size)["ids"])
        with _readable(f"the ingest record database {self.settings.record_db.resolve()}"):
            recorded = set(self.records.list_keys())  # one statement with no per-key variables
        lost, orphans = sorted(recorded - stored), sorted(stored - recorded)
        if lost or orphans:
            self._mark_dirty()
        bulk.delete_keys(self.records, lost, size)
        bulk.delete_chunks(self.store, orphans, size)
        return len(lost) + len(orphans)

    def snapshot(self, vectors: bool = True) -> snapshot_mod.Snapshot:
        """Everything stored, as one in-memory snapshot (texts, metadata, and the vectors unless not
        wanted: a reader whose dense search runs in Chroma gets an (n, 0) array)."""
        with _readable(self._chroma_what):
            data = bulk.paged_get(self.store._collection, ["documents", "metadatas", *(["embeddings"] * vectors)],
                                  self.settings.sql_batch)
        n = len(data["ids"])
        vecs = np.asarray(data["embeddings"] if data.get("embeddings") is not None else [], dtype=np.float32)
        if not vectors:
            vecs = np.zeros((n, 0), dtype=np.float32)
        return snapshot_mod.Snapshot(list(data["ids"]), list(data["documents"]),
                                     [m or {} for m in data["metadatas"]], vecs)

    def vectors_of(self, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of `ids` (those Chroma still holds), read `sql_batch` ids at a time."""
        got: dict[str, np.ndarray] = {}
        with _readable(self._chroma_what):
            for part in bulk.batches(ids, self.settings.sql_batch):
                page = self.store._collection.get(ids=list(part), include=["embeddings"])
                got.update(zip(page["ids"], (np.asarray(e, dtype=np.float32) for e in page["embeddings"])))
        return got

    def dense_search(self, vector: list[float], n: int) -> list[tuple[str, float]]:
        """The `n` nearest chunk ids to `vector` with their cosine similarity, searched by Chroma itself."""
        with _readable(self._chroma_what):
            res = self.store._collection.query(query_embeddings=[vector], n_results=max(1, n),
                                               include=["distances"])
        return [(i, 1.0 - float(d)) for i, d in zip(res["ids"][0], res["distances"][0])]

    def _meta(self):
        # A one-record side collection: readers on other machines poll it to learn of a new ingest.
        return self.store._client.get_or_create_collection(f"{self.settings.collection}__advisor_meta")

    def publish_version(self) -> str:
        """Tell readers of a shared Chroma server that the index changed."""
        import uuid

        version = uuid.uuid4().hex
        with _readable(self._chroma_what):
            self._meta().upsert(ids=["version"], embeddings=[[0.0]], documents=[""], metadatas=[{"v": version}])
        return version

    def server_version(self) -> str | None:
        """The version the last ingest published (None before the first one)."""
        with _readable(self._chroma_what):
            got = self._meta().get(ids=["version"], include=["metadatas"])
        return (got["metadatas"] or [{}])[0].get("v") if got["ids"] else None

    def write_snapshot(self) -> snapshot_mod.Snapshot:
        """Publish the current index to readers with one atomic file swap."""
        snap = self.snapshot()
        snapshot_mod.save(self.settings.snapshot_path, snap)
        return snap

    def _sources_under(self, roots: list[Path]) -> set[str]:
        """The recorded source files under `roots` (one path check per file, not per chunk)."""
        under = [str(r) for r in roots]
        return {src for src in bulk.recorded_groups(self.records) if any(knowledge.within(src, r) for r in under)}

    def _metadatas(self) -> list[dict]:
        return bulk.paged_get(self.store._collection, ["metadatas"], self.settings.sql_batch)["metadatas"]

    def count(self) -> int:
        return self.store._collection.count()

    def all_chunks(self) -> list[Document]:
        """Every stored chunk with its id, read from Chroma."""
        data = bulk.paged_get(self.store._collection, ["documents", "metadatas"], self.settings.sql_batch)
        return [Document(page_content=text, metadata=meta or {}, id=i)
                for i, text, meta in zip(data["ids"], data["documents"], data["metadatas"])]

    def sources(self) -> list[SourceInfo]:
        return summarize_sources(self._metadatas())

    def require_ready(self) -> None:
        if self.count() == 0:
            raise IndexNotReadyError("the knowledge index is empty", "run `advisor ingest` (or `make run`) first")


@contextmanager
def _readable(what: str):
    """Turn storage errors (a damaged SQLite file, a Chroma failure) into one clear IndexDamagedError."""
    from chromadb.errors import ChromaError
    from sqlalchemy.exc import DatabaseError

    try:
        yield
    except (ChromaError, DatabaseError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        if "locked" in reason:
            raise IndexNotReadyError(f"{what} is busy ({reason})",
                                     "another ingest is probably running: wait for it, then retry") from exc
        raise IndexDamagedError(f"{what} is damaged or unreadable ({type(exc).__name__}: {reason})") from exc


def _progress(show: bool, total: int, done: int):
    """A tqdm bar on stderr counting chunks (those already stored count as done), or None."""
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, initial=done, desc="indexing chunks", unit="chunk")


@contextmanager
def ingest_lock(settings: Settings):
    """Hold the data dir's ingest lock: one writer at a time, or IngestBusyError at once.

    Two ingests interleaving their Chroma and record writes would leave each other's chunks as
    orphans. flock is released by the kernel when the holder dies, so a killed ingest never leaves
    a stale lock behind.
    """
    import fcntl
    import os

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    path = settings.data_dir / ".ingest.lock"
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise IngestBusyError(f"another ingest (pid {holder}) is writing to {settings.data_dir}",
                                  "wait for it to finish, then run this again") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        try:
            yield
        finally:
            fh.seek(0)
            fh.truncate()
            fcntl.flock(fh, fcntl.LOCK_UN)


def rebuild_index(settings: Settings) -> None:
    """Throw away the embedded index and its records so the next ingest starts clean.

    Works on files too damaged for chromadb or SQLite to open: those are removed from disk. Only the
    Chroma dir and the record database inside the data dir are touched. The published snapshot stays
    until the ingest that follows replaces it, so readers keep answering from the old index (or keep
    reporting it damaged) instead of seeing a half-built one.
    """
    import shutil

    if settings.chroma_url:
        raise InputError("--rebuild only applies to the embedded index",
                         "delete the collection on the Chroma server instead")
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient

    # Chroma keeps one open system per path in a process. If this process has the index open,
    # delete through it: removing the files underneath would leave it reading stale data and
    # writing to deleted files. Otherwise remove the files, which also clears an unopenable index.
    key = str(settings.chroma_dir)
    removed = False
    if key in SharedSystemClient._identifier_to_system:
        try:
            client = chromadb.PersistentClient(path=key, settings=chromadb.Settings(anonymized_telemetry=False))
            if settings.collection in {c.name for c in client.list_collections()}:
                client.delete_collection(settings.collection)
            removed = True
        except Exception:  # noqa: BLE001 - damaged: forget the broken system, then remove the files
            forget_system(key, force=True)
    if not removed:
        shutil.rmtree(settings.chroma_dir, ignore_errors=True)
        if settings.chroma_dir.exists() and not settings.chroma_dir.is_dir():
            settings.chroma_dir.unlink()  # a stray file where the directory should be
    # The manifest's chunk ids describe the index being thrown away: the rebuilt one parses every file.
    (settings.data_dir / manifest.NAME).unlink(missing_ok=True)
    for path in (settings.record_db, *(settings.record_db.with_name(settings.record_db.name + suffix)
                                       for suffix in ("-journal", "-wal", "-shm"))):
        path.unlink(missing_ok=True)
