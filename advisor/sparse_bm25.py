"""BM25 as a sparse matrix: every (chunk, term) weight precomputed once, a query touches only its terms.

The same scores as `rank_bm25.BM25Okapi` (k1 1.5, b 0.75, negative idf floored at 0.25 x the mean idf;
a query term counted as often as it occurs), so rankings do not change. Scoring costs the number of
postings of the query's terms, not the number of chunks times the query length in Python.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from scipy import sparse

K1, B, EPSILON = 1.5, 0.75, 0.25


class SparseBM25:
    def __init__(self, corpus: list[list[str]]):
        self.n = len(corpus)
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        tfs: list[int] = []
        lengths = np.fromiter((len(toks) for toks in corpus), dtype=np.float64, count=self.n)
        for i, toks in enumerate(corpus):
            for term, tf in Counter(toks).items():
                rows.append(i)
                cols.append(vocab.setdefault(term, len(vocab)))
                tfs.append(tf)
        self.vocab = vocab
        r = np.asarray(rows, dtype=np.int64)
        c = np.asarray(cols, dtype=np.int64)
        tf = np.asarray(tfs, dtype=np.float64)
        df = np.bincount(c, minlength=len(vocab)).astype(np.float64)
        idf = np.log(self.n - df + 0.5) - np.log(df + 0.5)
        if len(idf):
            idf[idf < 0] = EPSILON * idf.mean()
        avgdl = lengths.sum() / self.n if self.n else 1.0
        norm = K1 * (1 - B + B * lengths / (avgdl or 1.0))
        weights = idf[c] * tf * (K1 + 1) / (tf + norm[r])
        # Column-major: a query's terms are a few columns, each a contiguous run of postings.
        self.matrix = sparse.csc_matrix((weights, (r, c)), shape=(self.n, len(vocab)))

    def top(self, query: list[str], depth: int, mask: np.ndarray | None = None) -> list[int]:
        """Chunk positions with a positive score, best first (ties by position), at most `depth`;
        only positions where `mask` is true when one is given."""
        counts = Counter(t for t in query if t in self.vocab)
        if not counts or not self.n:
            return []
        cols = [self.vocab[t] for t in counts]
        sub = self.matrix[:, cols]
        per_col = np.diff(sub.indptr)
        data = sub.data * np.repeat(np.asarray([counts[t] for t in counts], dtype=np.float64), per_col)
        rows, inverse = np.unique(sub.indices, return_inverse=True)
        scores = np.bincount(inverse, weights=data, minlength=len(rows))
        if mask is not None:
            keep = mask[rows]
            rows, scores = rows[keep], scores[keep]
        return top_positions(rows, scores, depth)

    def get_scores(self, query: list[str]) -> np.ndarray:
        """Every chunk's score (rank_bm25's interface; tests compare the two)."""
        counts = Counter(t for t in query if t in self.vocab)
        out = np.zeros(self.n)
        if counts:
            cols = [self.vocab[t] for t in counts]
            out += self.matrix[:, cols] @ np.asarray([counts[t] for t in counts], dtype=np.float64)
        return out


def top_positions(positions: np.ndarray, scores: np.ndarray, depth: int) -> list[int]:
    """The `depth` best positive-scored positions, best first, ties broken by lower position."""
    keep = scores > 0
    positions, scores = positions[keep], scores[keep]
    if len(scores) > depth:
        cut = np.argpartition(-scores, depth - 1)[:depth]
        floor = scores[cut].min()
        chosen = scores >= floor  # all tied at the cut-off, so the tie-break below stays by position
        positions, scores = positions[chosen], scores[chosen]
    order = np.lexsort((positions, -scores))[:depth]
    return [int(p) for p in positions[order]]
