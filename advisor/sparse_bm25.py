"""BM25 as a sparse matrix: every (chunk, term) weight precomputed once, a query touches only its terms.

The same scores as `rank_bm25.BM25Okapi` (k1 1.5, b 0.75, negative idf floored at 0.25 x the mean idf;
a query term counted as often as it occurs), so rankings do not change. Scoring costs the number of
postings of the query's terms, not the number of chunks times the query length in Python.
"""

from __future__ import annotations

from array import array
from collections import Counter
from collections.abc import Iterable

import numpy as np
from scipy import sparse

K1, B, EPSILON = 1.5, 0.75, 0.25


class SparseBM25:
    def __init__(self, corpus: Iterable[list[str] | Counter]):
        """`corpus`: each chunk's tokens, or their counts; consumed once (a generator keeps no token
        lists alive: at 500k chunks those would be millions of strings)."""
        vocab: dict[str, int] = {}
        cols, tfs, lengths, terms = array("q"), array("q"), array("q"), array("q")
        for toks in corpus:
            counts = toks if isinstance(toks, Counter) else Counter(toks)
            for term in counts:
                cols.append(vocab.setdefault(term, len(vocab)))
            tfs.extend(counts.values())
            lengths.append(sum(counts.values()))
            terms.append(len(counts))
        self.n = len(lengths)
        self.vocab = vocab
        c = np.frombuffer(cols, dtype=np.int64) if cols else np.zeros(0, dtype=np.int64)
        tf = np.frombuffer(tfs, dtype=np.int64).astype(np.float64) if tfs else np.zeros(0)
        lens = np.frombuffer(lengths, dtype=np.int64).astype(np.float64) if lengths else np.zeros(0)
        r = np.repeat(np.arange(self.n, dtype=np.int64), np.frombuffer(terms, dtype=np.int64) if terms else 0)
        df = np.bincount(c, minlength=len(vocab)).astype(np.float64)
        idf = np.log(self.n - df + 0.5) - np.log(df + 0.5)
        if len(idf):
            idf[idf < 0] = EPSILON * idf.mean()
        avgdl = lens.sum() / self.n if self.n else 1.0
        norm = K1 * (1 - B + B * lens / (avgdl or 1.0))
        weights = idf[c] * tf * (K1 + 1) / (tf + norm[r])
        # Column-major: a query's terms are a few columns, each a contiguous run of postings.
        self.matrix = sparse.csc_matrix((weights, (r, c)), shape=(self.n, len(vocab)))
        self.matrix.sort_indices()

    def scores(self, query: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """The positions with a positive score, ascending, and their scores. Costs the query terms'
        postings (plus one pass over the chunks when those postings are a good share of them)."""
        counts = Counter(t for t in query if t in self.vocab)
        if not counts or not self.n:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        m = self.matrix
        spans = [(m.indptr[self.vocab[t]], m.indptr[self.vocab[t] + 1], float(k)) for t, k in counts.items()]
        postings = sum(end - start for start, end, _ in spans)
        if postings * 8 >= self.n:
            # Common terms: add each term's column into one array (no sort); the columns are added in
            # the same order as below, so every score is bit-for-bit the same either way.
            acc = np.zeros(self.n)
            for start, end, k in spans:
                acc[m.indices[start:end]] += m.data[start:end] * k
            pos = np.flatnonzero(acc > 0)
            return pos, acc[pos]
        idx = np.concatenate([m.indices[start:end] for start, end, _ in spans])
        data = np.concatenate([m.data[start:end] * k for start, end, k in spans])
        rows, inverse = np.unique(idx, return_inverse=True)
        scores = np.bincount(inverse, weights=data, minlength=len(rows))
        keep = scores > 0
        return rows[keep], scores[keep]

    def top(self, query: list[str], depth: int, mask: np.ndarray | None = None,
            scored: tuple[np.ndarray, np.ndarray] | None = None) -> list[int]:
        """Chunk positions with a positive score, best first (ties by position), at most `depth`;
        only positions where `mask` is true when one is given. `scored`: `scores(query)`, already computed."""
        rows, scores = scored if scored is not None else self.scores(query)
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
