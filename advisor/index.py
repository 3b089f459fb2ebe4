"""Embed chunks and keep them in Chroma, incrementally, through LangChain's indexing API."""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Protocol

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

import numpy as np

from . import knowledge
from . import snapshot as snapshot_mod
from .errors import IndexNotReadyError, InputError
from .settings import Settings

if TYPE_CHECKING:  # chromadb takes a second or more to import: only the paths that write need it
    from langchain_chroma import Chroma


class VectorStoreFactory(Protocol):
    """Opens the Chroma collection: embedded on disk, or a Chroma server."""

    def __call__(self, settings: Settings, embeddings: Embeddings) -> Chroma: ...


def _embedded(settings: Settings, embeddings: Embeddings) -> Chroma:
    import chromadb
    from langchain_chroma import Chroma

    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    client = chromadb.PersistentClient(path=str(settings.chroma_dir),
                                       settings=chromadb.Settings(anonymized_telemetry=False))
    return Chroma(client=client, collection_name=settings.collection, embedding_function=embeddings,
                  collection_metadata={"hnsw:space": "cosine"})


def _server(settings: Settings, embeddings: Embeddings) -> Chroma:
    import chromadb
    from langchain_chroma import Chroma
    from urllib.parse import urlparse

    url = urlparse(settings.chroma_url or "")
    if not url.hostname:
        raise InputError(f"ADVISOR_CHROMA_URL is not a URL: {settings.chroma_url!r}", "use http://host:port")
    try:
        client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000, ssl=url.scheme == "https",
                                     settings=chromadb.Settings(anonymized_telemetry=False))
        client.heartbeat()
    except Exception as exc:
        raise IndexNotReadyError(f"cannot reach the Chroma server at {settings.chroma_url}: {exc}",
                                 "start it with `chroma run` or unset ADVISOR_CHROMA_URL") from exc
    return Chroma(client=client, collection_name=settings.collection, embedding_function=embeddings,
                  collection_metadata={"hnsw:space": "cosine"})


STORES: dict[str, VectorStoreFactory] = {"embedded": _embedded, "server": _server}


def store_kind(settings: Settings) -> str:
    return "server" if settings.chroma_url else "embedded"


@dataclass
class IngestReport:
    """Counts from one ingest run, plus the files that could not be used."""

    added: int = 0
    updated: int = 0
    skipped: int = 0
    deleted: int = 0
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


class KnowledgeIndex:
    """The Chroma collection plus the record manager that makes re-ingest incremental."""

    def __init__(self, settings: Settings, embeddings: Embeddings):
        from langchain_classic.indexes import SQLRecordManager

        self.settings = settings
        self.embeddings = embeddings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.store = STORES[store_kind(settings)](settings, embeddings)
        self.records = SQLRecordManager(f"chroma/{settings.collection}",
                                        db_url=f"sqlite:///{settings.record_db.resolve()}")
        self.records.create_schema()

    def ingest(self, paths: list[Path], progress: bool | None = None,
               on_chunk: Callable[[Document], None] | None = None) -> IngestReport:
        """Make the index match `paths`: add new, re-embed changed, delete removed; skip bad files."""
        from langchain_core.indexing import index as lc_index

        loaded = knowledge.load(paths)
        report = IngestReport(problems=[(str(p), why) for p, why in loaded.problems])
        docs = [c for d in loaded.docs for c in knowledge.chunk(d)]
        report.documents, report.chunks = len(loaded.docs), len(docs)
        show = sys.stderr.isatty() if progress is None else progress
        stream = docs
        if show:
            from tqdm import tqdm

            stream = tqdm(docs, desc="indexing chunks", unit="chunk")
        # scoped_full cleans up once at the end: with "incremental", a file whose chunks straddle a
        # batch boundary had its later chunks deleted and re-embedded on every no-op run.
        result = lc_index(_tap(stream, on_chunk), self.records, self.store, cleanup="scoped_full",
                          source_id_key="source", batch_size=64, key_encoder="sha256")
        report.added = result["num_added"]
        report.updated = result.get("num_updated", 0)
        report.skipped = result["num_skipped"]
        report.deleted = result["num_deleted"]
        # Files that vanished from the ingested paths: drop their chunks. Files that failed to
        # load keep their previous chunks, so a broken edit never loses what was indexed.
        failed = {str(p.resolve()) for p, _ in loaded.problems}
        present = {str(d.path.resolve()) for d in loaded.docs} | failed
        gone = [s for s in self._sources_under(loaded.roots) if s not in present]
        if gone:
            keys = self.records.list_keys(group_ids=gone)
            if keys:
                self.store.delete(ids=keys)
                self.records.delete_keys(keys)
                report.deleted += len(keys)
        self.write_snapshot()
        return report

    def snapshot(self) -> snapshot_mod.Snapshot:
        """Everything stored, as one in-memory snapshot (texts, metadata, vectors)."""
        data = self.store.get(include=["documents", "metadatas", "embeddings"])
        vectors = data["embeddings"] if data["embeddings"] is not None else []
        return snapshot_mod.Snapshot(list(data["ids"]), list(data["documents"]),
                                     [m or {} for m in data["metadatas"]], np.asarray(vectors, dtype=np.float32))

    def write_snapshot(self) -> snapshot_mod.Snapshot:
        """Publish the current index to readers with one atomic file swap."""
        snap = self.snapshot()
        snapshot_mod.save(self.settings.snapshot_path, snap)
        return snap

    def _sources_under(self, roots: list[Path]) -> set[str]:
        found = set()
        for meta in self._metadatas():
            src = meta.get("source", "")
            if any(Path(src) == r or Path(src).is_relative_to(r) for r in roots):
                found.add(src)
        return found

    def _metadatas(self) -> list[dict]:
        return self.store.get(include=["metadatas"])["metadatas"] or []

    def count(self) -> int:
        return self.store._collection.count()

    def all_chunks(self) -> list[Document]:
        """Every stored chunk with its id (for BM25 and the knowledge-base listing)."""
        data = self.store.get(include=["documents", "metadatas"])
        return [Document(page_content=text, metadata=meta or {}, id=i)
                for i, text, meta in zip(data["ids"], data["documents"], data["metadatas"])]

    def sources(self) -> list[SourceInfo]:
        counts: Counter[str] = Counter()
        first: dict[str, dict] = {}
        for meta in self._metadatas():
            counts[meta["doc_id"]] += 1
            first.setdefault(meta["doc_id"], meta)
        return sorted(
            (SourceInfo(doc_id=d, title=m.get("title", d), kind=m.get("kind", ""),
                        components=[c for c in m.get("components", "").split(",") if c],
                        file=m.get("file", ""), chunks=counts[d]) for d, m in first.items()),
            key=lambda s: (s.kind, s.doc_id))

    def require_ready(self) -> None:
        if self.count() == 0:
            raise IndexNotReadyError("the knowledge index is empty", "run `advisor ingest` (or `make run`) first")


def _tap(docs, on_chunk):
    for d in docs:
        if on_chunk:
            on_chunk(d)
        yield d


def rebuild_index(settings: Settings) -> None:
    """Throw away the embedded index and its records so the next ingest starts clean."""
    import shutil

    if settings.chroma_url:
        raise InputError("--rebuild only applies to the embedded index",
                         "delete the collection on the Chroma server instead")
    import chromadb
    from chromadb.api.shared_system_client import SharedSystemClient

    # Chroma keeps one open system per path in a process. If this process has the index open,
    # delete through it: removing the files underneath would leave it reading stale data and
    # writing to deleted files. Otherwise remove the files, which also clears an unopenable index.
    if str(settings.chroma_dir) in SharedSystemClient._identifier_to_system:
        client = chromadb.PersistentClient(path=str(settings.chroma_dir),
                                           settings=chromadb.Settings(anonymized_telemetry=False))
        if settings.collection in {c.name for c in client.list_collections()}:
            client.delete_collection(settings.collection)
    else:
        shutil.rmtree(settings.chroma_dir, ignore_errors=True)
    settings.record_db.unlink(missing_ok=True)
    settings.snapshot_path.unlink(missing_ok=True)  # readers must not keep answering from the old index
