"""Hybrid retrieval: dense plus BM25, fused by reciprocal rank, boosted toward the topic.

Dense search runs in memory over the snapshot's vectors (a 238 x 384 matrix product beats a Chroma
round trip), or on the Chroma server when one is configured (`dense_search`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, PrivateAttr
from rank_bm25 import BM25Okapi

from .snapshot import Snapshot

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
    """All chunks in memory: texts, metadata, normalised embeddings and a BM25 index."""

    def __init__(self, snap: Snapshot):
        self.docs = [Document(page_content=t, metadata=m or {}, id=i)
                     for i, t, m in zip(snap.ids, snap.texts, snap.metadatas)]
        # An empty index has no vectors: reshape(0, -1) is ambiguous, so give it an explicit (0, 0) shape.
        self.vectors = np.asarray(snap.vectors, dtype=np.float32).reshape(len(self.docs), -1 if self.docs else 0)
        if len(self.vectors):
            self.vectors /= np.linalg.norm(self.vectors, axis=1, keepdims=True) + 1e-12
        self.tokens = [tokenize(f"{d.metadata.get('title', '')} {d.metadata.get('section', '')} {d.page_content}")
                       for d in self.docs]
        self.bm25 = BM25Okapi(self.tokens) if self.docs else None
        self.by_doc: dict[str, list[int]] = {}
        self.position = {d.id: i for i, d in enumerate(self.docs)}
        for i, d in enumerate(self.docs):
            self.by_doc.setdefault(d.metadata.get("doc_id", ""), []).append(i)

    def __len__(self) -> int:
        return len(self.docs)


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

    def dense_scores(self, query: str) -> np.ndarray:
        if not len(self.corpus):
            return np.zeros(0)
        q = np.asarray(self.embed_query(query), dtype=np.float32)
        q /= np.linalg.norm(q) + 1e-12
        if self.dense_search is None:
            return self.corpus.vectors @ q
        scores = np.zeros(len(self.corpus))  # chunks beyond the server's top `depth` rank last
        for cid, sim in self.dense_search(q.tolist(), min(self.depth, len(self.corpus))):
            if cid in self.corpus.position:
                scores[self.corpus.position[cid]] = sim
        return scores

    def search(self, query: str, prefer: set[str] | None = None, k: int | None = None) -> list[Passage]:
        """Top passages for `query`; chunks of docs in `prefer` (component, vendor, topic notes) rank higher."""
        k = k or self.k
        if not len(self.corpus):
            return []
        dense = self.dense_scores(query)
        fused = np.zeros(len(self.corpus))
        if self.mode in ("hybrid", "dense"):
            for rank, i in enumerate(np.argsort(-dense)[: self.depth]):
                fused[i] += 1.0 / (RRF_K + rank + 1)
        if self.mode in ("hybrid", "bm25"):
            q_tokens = tokenize(query)
            if q_tokens:
                lexical = self.corpus.bm25.get_scores(q_tokens)
                for rank, i in enumerate(np.argsort(-lexical)[: self.depth]):
                    if lexical[i] > 0:
                        fused[i] += 1.0 / (RRF_K + rank + 1)
        if prefer:
            bonus = self.boost / (RRF_K + 1)
            for i, d in enumerate(self.corpus.docs):
                comps = set(d.metadata.get("components", "").split(","))
                if fused[i] > 0 and (d.metadata.get("doc_id") in prefer or comps & prefer):
                    fused[i] += bonus
        out: list[Passage] = []
        for i in np.argsort(-fused):
            if fused[i] <= 0 or len(out) >= k:
                break
            toks = frozenset(self.corpus.tokens[i])
            if any(_jaccard(toks, p.tokens) > 0.8 for p in out):
                continue  # near-duplicate of a passage already chosen
            out.append(Passage(self.corpus.docs[i], float(fused[i]), float(dense[i]), toks))
        return out

    def passages_of(self, doc_id: str) -> list[Passage]:
        return [Passage(self.corpus.docs[i], 0.0, 0.0, frozenset(self.corpus.tokens[i]))
                for i in self.corpus.by_doc.get(doc_id, [])]


def _jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
