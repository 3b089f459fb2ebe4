"""Loading the index into memory and noticing when an ingest publishes a new one."""

from __future__ import annotations

import threading
import time

from . import snapshot
from .embeddings import LocalEmbeddings
from .index import KnowledgeIndex, SourceInfo, summarize_sources
from .matrix import Matrix, _check_notes
from .retrieval import Corpus, HybridRetriever
from .settings import Settings


class IndexLoader:
    """Holds the current retriever; reloads it from the published snapshot (or Chroma) when it changes."""

    def __init__(self, settings: Settings, embeddings: LocalEmbeddings, matrix: Matrix,
                 index: KnowledgeIndex | None = None):
        self.settings = settings
        self.embeddings = embeddings
        self.matrix = matrix
        self._index = index
        self._lock = threading.Lock()
        self.retriever: HybridRetriever | None = None
        self._version: float | str | None = None
        self._checked = 0.0

    @property
    def index(self) -> KnowledgeIndex:
        """The Chroma index, opened on first use (answering from a snapshot never needs it)."""
        if self._index is None:
            self._index = KnowledgeIndex(self.settings, self.embeddings)
        return self._index

    def reload(self) -> None:
        """(Re)load every chunk into memory: from the published snapshot, else from Chroma itself."""
        dense_search = None
        if self.settings.chroma_url:
            # BM25 and citations need the texts here; dense search runs on the server. The version is
            # read first: an ingest landing in between only makes the next refresh load again.
            version = self.index.server_version()
            snap, dense_search = self.index.snapshot(vectors=False), self.index.dense_search
        else:
            path = self.settings.snapshot_path
            version = snapshot.version(path)
            # An exact scan of the snapshot grows with the corpus; past a measured size Chroma's HNSW index
            # answers in near-constant time (and the snapshot's vectors are not read at all).
            # Without a snapshot (an index from before snapshots, or one deleted by hand) read Chroma but
            # publish nothing: a reader writing the snapshot could race an ingest and publish half of it.
            snap = snapshot.load(path, vectors=self._scans) if version is not None else self.index.snapshot()
            if not self._scans(len(snap.ids)):
                dense_search = self.index.dense_search
        corpus = Corpus(snap, vectors=dense_search is None)  # searched by Chroma: no copy of its vectors here
        if dense_search is not None and 0 < len(corpus.curated) <= self.settings.dense_exact_max_chunks:
            corpus.set_curated_vectors(self.index.vectors_of([corpus.ids[i] for i in corpus.curated]))
        retriever = HybridRetriever(corpus=corpus, embed_query=self.embeddings.embed_query,
                                    dense_search=dense_search, mode=self.settings.retriever, k=self.settings.k)
        with self._lock:
            self.retriever, self._version, self._checked = retriever, version, time.monotonic()
        if len(corpus):
            _check_notes(self.settings.matrix_path, self.matrix, set(corpus.by_doc))

    def _scans(self, chunks: int) -> bool:
        """Whether dense search scans the snapshot here (exact) rather than asking Chroma's HNSW index."""
        mode = self.settings.dense_search
        return mode == "snapshot" or (mode == "auto" and chunks <= self.settings.dense_exact_max_chunks)

    def refresh(self) -> None:
        """Pick up an index published by an ingest elsewhere: one stat per call, or with a Chroma
        server one small read every `server_refresh_seconds`."""
        if not self.settings.chroma_url:
            if snapshot.version(self.settings.snapshot_path) != self._version:
                self.reload()
            return
        now = time.monotonic()
        if now - self._checked >= self.settings.server_refresh_seconds:
            self._checked = now
            if self.index.server_version() != self._version:
                self.reload()

    @property
    def ready(self) -> bool:
        return self.retriever is not None and len(self.retriever.corpus) > 0

    def ensure_ready(self) -> HybridRetriever:
        """The current retriever, reloading once if empty; IndexNotReadyError when there is no index."""
        self.refresh()
        if not self.ready:
            self.reload()
            if not self.ready:
                self.index.require_ready()
        return self.retriever

    def sources(self) -> list[SourceInfo]:
        """The documents this advisor answers from (its loaded index), with their chunk counts."""
        self.refresh()
        retriever = self.retriever
        return summarize_sources(d.metadata for d in retriever.corpus.docs) if retriever else []
