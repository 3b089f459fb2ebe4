"""Hybrid retrieval: dense plus BM25, fused by reciprocal rank, boosted toward the topic.

Dense search runs in memory over the snapshot's vectors (a 238 x 384 matrix product beats a Chroma
round trip), or on the Chroma server when one is configured (`dense_search`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr

from .snapshot import Snapshot
from .sparse_bm25 import SparseBM25

RRF_K = 60
_TOKEN = re.compile(r"[a-z0-9]+")
STOPWORDS = frozenset(
    ["a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "from", "how", "i", "if", "in", "is", "it", "its", "of", "on", "or", "our", "should", "so", "that", "the", "their", "them", "then", "there", "these", "this", "to", "was", "we", "what", "when", "which", "who", "why", "will", "with", "would", "you", "your", "us"])


def tokenize(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text.lower()) if t not in STOPWORDS]


@dataclass
class Passage:
    """A retrieved chunk with its fused score and its dense similarity to the query."""

    doc: Document
    score: float
    dense: float = 0.0
    tokens: frozenset[str] = field(default_factory=frozenset)

    @property
    def doc_id(self) -> str:
        return self.doc.metadata.get("doc_id", "")


class Corpus:
    """All chunks in memory: texts, metadata, normalised embeddings and a sparse BM25 index.

    Per-chunk Python objects are what costs time and memory at 500k chunks, so the chunks stay as the
    snapshot's lists and LangChain `Document`s are made only for the chunks a search returns; a chunk's
    topic labels and words are computed when a search needs them. `vectors=False` (dense search done by
    Chroma) keeps no vectors at all.
    """

    def __init__(self, snap: Snapshot, vectors: bool = True):
        self.ids = snap.ids
        self.texts = snap.texts
        self.metadatas = [m or {} for m in snap.metadatas]
        self.docs = _Documents(self)
        n = len(self.ids)
        if vectors:
            # An empty index has no vectors: reshape(0, -1) is ambiguous, so give it an explicit (0, 0) shape.
            self.vectors = np.asarray(snap.vectors, dtype=np.float32).reshape(n, -1 if n else 0)
            if len(self.vectors):
                self.vectors /= np.linalg.norm(self.vectors, axis=1, keepdims=True) + 1e-12
        else:
            self.vectors = np.zeros((n, 0), dtype=np.float32)
        self.bm25 = SparseBM25(_counts(self.indexed_text(i)) for i in range(n))
        # The user's own documents (ingested files with kind "document", not guidance or vendor notes).
        self.user_mask = np.fromiter((m.get("kind") == "document" for m in self.metadatas), dtype=bool, count=n)
        self.user = np.flatnonzero(self.user_mask)
        # The curated chunks (guidance, vendor notes): few, and what answers are built on. With dense search
        # in Chroma's HNSW index they are also scanned exactly here (`set_curated_vectors`): among tens of
        # thousands of similar user chunks the graph search reached only half of them.
        self.curated = np.flatnonzero(~self.user_mask)
        self.curated_vectors = np.zeros((0, 0), dtype=np.float32)
        self.by_doc: dict[str, list[int]] = {}
        for i, m in enumerate(self.metadatas):
            self.by_doc.setdefault(m.get("doc_id", ""), []).append(i)
        self._position: dict[str, int] | None = None
        self._tokens: dict[int, frozenset[str]] = {}

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def position(self) -> dict[str, int]:
        """Chunk id -> position (built on first use: only a search done by Chroma needs it)."""
        if self._position is None:
            self._position = {cid: i for i, cid in enumerate(self.ids)}
        return self._position

    def set_curated_vectors(self, vectors: dict[str, np.ndarray]) -> None:
        """The curated chunks' vectors by chunk id (normalised here); a chunk without one (deleted from
        Chroma by a later ingest) is left to Chroma's search."""
        self.curated = np.asarray([i for i in self.curated if self.ids[i] in vectors], dtype=np.int64)
        if len(self.curated):
            v = np.vstack([vectors[self.ids[i]] for i in self.curated]).astype(np.float32)
            self.curated_vectors = v / (np.linalg.norm(v, axis=1, keepdims=True) + 1e-12)

    def indexed_text(self, i: int) -> str:
        m = self.metadatas[i]
        return f"{m.get('title', '')} {m.get('section', '')} {self.texts[i]}"

    def labels(self, i: int) -> frozenset[str]:
        """What a topic boost matches for the chunk: its note's id and its components."""
        m = self.metadatas[i]
        return frozenset([m.get("doc_id", ""), *m.get("components", "").split(",")])

    def tokens_of(self, i: int) -> frozenset[str]:
        """The chunk's searchable words (computed when needed: keeping them all costs memory at scale)."""
        toks = self._tokens.get(i)
        if toks is None:
            toks = self._tokens[i] = frozenset(tokenize(self.indexed_text(i)))
        return toks


class _Documents(Sequence):
    """The corpus's chunks as LangChain Documents, each made on first access (then the same object)."""

    def __init__(self, corpus: Corpus):
        self._corpus = corpus
        self._made: dict[int, Document] = {}

    def __len__(self) -> int:
        return len(self._corpus.ids)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        doc = self._made.get(i)
        if doc is None:
            c = self._corpus
            doc = self._made[i] = Document(page_content=c.texts[i], metadata=c.metadatas[i], id=c.ids[i])
        return doc


def _counts(text: str) -> Counter:
    """`Counter(tokenize(text))`, without building the token list."""
    counts = Counter(_TOKEN.findall(text.lower()))
    for word in STOPWORDS.intersection(counts):
        del counts[word]
    return counts


def _indexed_text(d: Document) -> str:
    return f"{d.metadata.get('title', '')} {d.metadata.get('section', '')} {d.page_content}"


def top_dense(scores: np.ndarray, depth: int) -> list[int]:
    """The `depth` highest-scoring positions, best first (ties by position); O(n), no full sort."""
    if len(scores) > depth:
        cut = np.argpartition(-scores, depth - 1)[:depth]
        floor = scores[cut].min()
        pos = np.flatnonzero(scores >= floor)
    else:
        pos = np.arange(len(scores))
    order = np.lexsort((pos, -scores[pos]))[:depth]
    return [int(p) for p in pos[order]]


class HybridRetriever(BaseRetriever):
    """LangChain retriever over a `Corpus`; `mode` picks hybrid, dense-only or BM25-only."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    corpus: Corpus
    embed_query: object  # callable(str) -> list[float]
    # callable(vector, n) -> [(chunk id, cosine)]: dense search done by a Chroma server instead of here
    dense_search: object | None = None
    mode: Literal["hybrid", "dense", "bm25"] = "hybrid"
    k: int = 6
    depth: int = 30
    boost: float = 0.5
    _last: list[Passage] = PrivateAttr(default_factory=list)

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        return [p.doc for p in self.search(query)]

    def query_vector(self, query: str) -> np.ndarray:
        q = np.asarray(self.embed_query(query), dtype=np.float32)
        return q / (np.linalg.norm(q) + 1e-12)

    def dense_top(self, q: np.ndarray) -> tuple[list[int], dict[int, float] | np.ndarray]:
        """The `depth` nearest chunks to the unit vector `q`, best first, and the similarities: every
        chunk's (searched here) or, searched by Chroma, those of its hits and of the curated chunks'
        exact top (by position, best first; the ranking is the best `depth` of both)."""
        corpus = self.corpus
        if self.dense_search is None:
            scores = corpus.vectors @ q
            return top_dense(scores, self.depth), scores
        # Twice `depth` from the graph: the user's documents get their own top from these hits. The graph
        # search costs the same (Chroma's ef_search, 100, exceeds either).
        found = {corpus.position[cid]: sim
                 for cid, sim in self.dense_search(q.tolist(), min(2 * self.depth, len(corpus)))
                 if cid in corpus.position}
        if len(corpus.curated_vectors):
            exact = corpus.curated_vectors @ q
            for j in top_dense(exact, self.depth):
                found[int(corpus.curated[j])] = float(exact[j])
        hits = sorted(found.items(), key=lambda h: (-h[1], h[0]))
        return [i for i, _ in hits[:self.depth]], dict(hits)

    def dense_scores(self, query: str) -> np.ndarray:
        """Every chunk's similarity to `query` (chunks beyond a server's top `depth` score 0)."""
        if not len(self.corpus):
            return np.zeros(0)
        q = self.query_vector(query)
        if self.dense_search is None:
            return self.corpus.vectors @ q
        scores = np.zeros(len(self.corpus))
        for i, sim in self.dense_top(q)[1].items():  # type: ignore[union-attr]
            scores[i] = sim
        return scores

    def search(self, query: str, prefer: set[str] | None = None, k: int | None = None) -> list[Passage]:
        """Top passages for `query`; chunks of docs in `prefer` (component, vendor, topic notes) rank higher."""
        if not len(self.corpus):
            return []
        return self._search(query, self.query_vector(query), prefer, k or self.k)[0]

    def search_with_documents(self, query: str, prefer: set[str] | None = None, documents: int = 3,
                              min_similarity: float = 0.35) -> tuple[list[Passage], list[Passage]]:
        """`search`, plus up to `documents` passages from the user's own documents that bear on the
        query (dense similarity at least `min_similarity`), from the same query embedding."""
        if not len(self.corpus):
            return [], []
        q = self.query_vector(query)
        lexical = self.corpus.bm25.scores(tokenize(query))  # scored once for both searches
        passages, sims = self._search(query, q, prefer, self.k, lexical)
        return passages, self._documents(query, q, sims, documents, min_similarity, lexical)

    def _search(self, query: str, q: np.ndarray, prefer: set[str] | None, k: int, lexical=None):
        """Reciprocal-rank fusion only ever scores the two lists' top `depth` chunks, so everything after
        the two searches works on at most 2 x depth candidates, whatever the corpus size."""
        dense_rank, sims = self.dense_top(q)
        fused: dict[int, float] = {}
        if self.mode in ("hybrid", "dense"):
            _fuse(fused, dense_rank)
        if self.mode in ("hybrid", "bm25"):
            _fuse(fused, self.corpus.bm25.top(tokenize(query), self.depth, scored=lexical))
        if prefer:
            bonus = self.boost / (RRF_K + 1)
            for i in fused:
                if self.corpus.labels(i) & prefer:
                    fused[i] += bonus
        return self._passages(fused, sims, q, k), sims

    def _documents(self, query: str, q: np.ndarray, sims, n: int, min_similarity: float,
                   lexical=None) -> list[Passage]:
        corpus = self.corpus
        user = corpus.user
        if not n or not len(user):
            return []
        fused: dict[int, float] = {}
        if isinstance(sims, np.ndarray):
            _fuse(fused, [int(user[j]) for j in top_dense(sims[user], self.depth)])
        else:  # searched by Chroma: the user's chunks among its nearest
            _fuse(fused, [i for i in sims if corpus.user_mask[i]])
        _fuse(fused, corpus.bm25.top(tokenize(query), self.depth, mask=corpus.user_mask, scored=lexical))
        return self._passages(fused, sims, q, n, min_dense=min_similarity)

    def _passages(self, fused: dict[int, float], sims, q: np.ndarray, k: int,
                  min_dense: float | None = None) -> list[Passage]:
        """The best `k` of the fused candidates, near-duplicates of a chosen one skipped; with
        `min_dense`, only candidates at least that similar are considered (and compared)."""
        out: list[Passage] = []
        for i in sorted(fused, key=lambda j: (-fused[j], j)):
            if len(out) >= k:
                break
            sim = float(sims[i]) if isinstance(sims, np.ndarray) else sims.get(i, 0.0)
            if min_dense is not None and sim < min_dense:
                continue
            toks = self.corpus.tokens_of(i)
            if any(_jaccard(toks, p.tokens) > 0.8 for p in out):
                continue  # near-duplicate of a passage already chosen
            out.append(Passage(self.corpus.docs[i], float(fused[i]), float(sim), toks))
        return out

    def passages_of(self, doc_id: str) -> list[Passage]:
        return [Passage(self.corpus.docs[i], 0.0, 0.0, self.corpus.tokens_of(i))
                for i in self.corpus.by_doc.get(doc_id, [])]


def _fuse(fused: dict[int, float], ranked: list[int]) -> None:
    for rank, i in enumerate(ranked):
        fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
