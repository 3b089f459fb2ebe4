"""Logistic heads over sentence embeddings (plus a few word features): trained, saved, loaded, applied."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .corpus import NONE, OTHER, WHOLE, Corpus
from .errors import ConfigError
from .lexicon import Lexicon

FORMAT = 1
HEADS = ("component", "act", "part", "topic", "condition", "polarity")


@dataclass
class Head:
    """A softmax classifier: probabilities = softmax(X @ W.T + b)."""

    classes: list[str]
    W: np.ndarray
    b: np.ndarray
    multilabel: bool = False  # one independent sigmoid per class instead of one softmax
    _halves: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def proba(self, X: np.ndarray | Features) -> np.ndarray:
        if isinstance(X, Features):
            # A turn asks one head about the same features several times ("off-topic?" at each scope rule): the
            # product is made once per head and features; each caller gets its own copy to change.
            done = X._probas.get(id(self))
            if done is not None and done[0] is self:
                return done[1].copy()
            dense_w, grams_w = self._split(X.dense.shape[1])
            z = X.dense @ dense_w + X.grams @ grams_w + self.b
            X._probas[id(self)] = (self, p := self._softmax(z))
            return p.copy()
        return self._softmax(X @ self.W.T + self.b)

    def _softmax(self, z: np.ndarray) -> np.ndarray:
        if self.multilabel:
            return 1.0 / (1.0 + np.exp(-z))
        if len(self.classes) == 2 and z.shape[1] == 1:  # sklearn's binary form
            z = np.hstack([-z, z])
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)

    def _split(self, width: int) -> tuple[np.ndarray, np.ndarray]:
        # Contiguous transposed halves, made once: scipy would copy a strided view on every product.
        if self._halves is None or self._halves[0].shape[0] != width:
            self._halves = (np.ascontiguousarray(self.W[:, :width].T), np.ascontiguousarray(self.W[:, width:].T))
        return self._halves


@dataclass
class Heads:
    """Every head, and what they were trained on."""

    heads: dict[str, Head]
    meta: dict

    def __getitem__(self, name: str) -> Head:
        return self.heads[name]

    def save(self, path: Path) -> None:
        arrays = {}
        for name, h in self.heads.items():
            arrays[f"{name}__W"] = h.W.astype(np.float32)
            arrays[f"{name}__b"] = h.b.astype(np.float32)
        meta = {**self.meta, "classes": {n: h.classes for n, h in self.heads.items()}, "format": FORMAT,
                "multilabel": sorted(n for n, h in self.heads.items() if h.multilabel)}
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.stem + ".tmp.npz")  # np.savez adds .npz to names without it
        np.savez_compressed(tmp, meta=np.asarray(json.dumps(meta, sort_keys=True)), **arrays)
        tmp.replace(path)

    @classmethod
    def load(cls, path: Path) -> Heads:
        if not path.is_file():
            raise ConfigError(f"{path}: the understanding classifiers are missing",
                              "run `advisor train` to build them from knowledge/understanding/")
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = json.loads(str(data["meta"]))
                heads = {n: Head(list(c), data[f"{n}__W"], data[f"{n}__b"], n in meta.get("multilabel", []))
                         for n, c in meta["classes"].items()}
        except (OSError, ValueError, KeyError) as exc:
            raise ConfigError(f"{path}: unreadable classifier file: {exc}", "run `advisor train` to rebuild it") from exc
        if meta.get("format") != FORMAT or set(heads) != set(HEADS):
            raise ConfigError(f"{path}: classifier file of another format", "run `advisor train` to rebuild it")
        return cls(heads, meta)


# -- features ------------------------------------------------------------------------------------
NGRAM_FEATURES = 2 ** 14
_HASHER = None


def ngrams_sparse(texts: list[str]):
    """Hashed word uni- and bigrams (l2-normalised, a sparse row per text): the cue words an embedding
    blurs ("or", "vs", "enough")."""
    global _HASHER
    if _HASHER is None:
        from sklearn.feature_extraction import FeatureHasher
        from sklearn.feature_extraction.text import HashingVectorizer

        # HashingVectorizer's own analyzer and hasher, applied directly: its transform() re-validates its
        # parameters and input on every call, which cost more than the hashing for one short turn.
        analyzer = HashingVectorizer(ngram_range=(1, 2), token_pattern=r"(?u)\b\w+\b|\?").build_analyzer()
        _HASHER = (analyzer, FeatureHasher(n_features=NGRAM_FEATURES, input_type="string", alternate_sign=False,
                                           dtype=np.float32))
    analyzer, hasher = _HASHER
    X = hasher.transform(analyzer(t) for t in texts).tocsr()
    X.sum_duplicates()
    counts = np.diff(X.indptr)
    rows = np.repeat(np.arange(len(counts)), counts)
    norms = np.sqrt(np.bincount(rows, weights=X.data.astype(np.float64) ** 2, minlength=len(counts)))
    X.data /= np.where(norms > 0, norms, 1.0)[rows].astype(np.float32)
    return X


def ngrams_many(texts: list[str]) -> np.ndarray:
    return ngrams_sparse(texts).toarray()


def ngrams(text: str) -> np.ndarray:
    return ngrams_many([text])[0]


@dataclass
class Features:
    """Rows of features as a dense part and the sparse n-gram part that follows it (the heads' columns
    in the same order); multiplying the sparse part skips the ~16k zero columns of every row."""

    dense: np.ndarray
    grams: object  # scipy.sparse CSR, one row per dense row
    _probas: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # see Head.proba


def turn_dense(lex: Lexicon, norm: str, emb: np.ndarray, hits=None) -> np.ndarray:
    """Embedding + which components/vendors are named + question shape."""
    named = np.zeros(len(lex.slugs) + 1, dtype=np.float32)
    vendor = np.zeros(len(lex.slugs) + 1, dtype=np.float32)
    for h in lex.hits(norm) if hits is None else hits:
        i = lex.slugs.index(h.slug) if h.slug in lex.slugs else len(lex.slugs)
        (named if h.by_name else vendor)[i] = 1.0
    n_words = len(norm.split())
    shape = np.asarray([float("?" in norm), float(n_words <= 6), float(bool(lex.anaphora.search(norm))),
                        min(n_words, 60) / 60.0], dtype=np.float32)
    return np.concatenate([emb.astype(np.float32), named, vendor, shape])


def clause_dense(lex: Lexicon, clause: str, emb: np.ndarray) -> np.ndarray:
    """Embedding + negation and retraction cue counts."""
    neg, ret = lex.cue_counts(clause)
    return np.concatenate([emb.astype(np.float32), np.asarray([min(neg, 2), min(ret, 2)], dtype=np.float32)])


def turn_features(lex: Lexicon, norm: str, emb: np.ndarray, hits=None) -> np.ndarray:
    return np.concatenate([turn_dense(lex, norm, emb, hits), ngrams(norm)])


def clause_features(lex: Lexicon, clause: str, emb: np.ndarray) -> np.ndarray:
    return np.concatenate([clause_dense(lex, clause, emb), ngrams(clause)])


# -- training ------------------------------------------------------------------------------------
def condition_examples(lex: Lexicon, corpus: Corpus, utterances=None) -> list[ConditionExample]:
    """Every clause of the clause corpus, every whole utterance (several facts at once), and the clauses
    of utterances that state nothing (hard negatives), each pooled the way a turn's units are when read."""
    from .lexicon import normalize

    out = []
    for c in corpus.clauses:
        norm = normalize(c.text)
        out.append(ConditionExample(norm, {c.condition: c.polarity} if c.condition != NONE else {}, (0, len(norm))))
    for u in corpus.utterances if utterances is None else utterances:
        norm = normalize(u.text)
        labels = {c: "stated" for c in u.conditions} | {c: "negated" for c in u.negated}
        out.append(ConditionExample(norm, labels))
        spans = lex.clause_spans(norm)
        if not labels and len(spans) > 1:
            out += [ConditionExample(norm, {}, span) for span in spans]
    return out


@dataclass(frozen=True)
class ConditionExample:
    """A unit the condition heads learn from: the whole `text`, or the clause at `span` within it."""

    text: str
    labels: dict[str, str]
    span: tuple[int, int] | None = None

    @property
    def unit(self) -> str:
        return self.text if self.span is None else self.text[self.span[0]:self.span[1]]


def example_vectors(examples: list[ConditionExample], embed_spans) -> np.ndarray:
    """One vector per example, pooled the way a turn's clauses are at reading time (see Reader.read)."""
    groups: dict[str, list[tuple[int, int]]] = {}
    for ex in examples:
        spans = groups.setdefault(ex.text, [])
        if ex.span is not None and ex.span not in spans:
            spans.append(ex.span)
    texts = list(groups)
    rows = dict(zip(texts, embed_spans(texts, [groups[t] for t in texts])))
    return np.stack([rows[ex.text][0 if ex.span is None else 1 + groups[ex.text].index(ex.span)]
                     for ex in examples])


def _fit_multilabel(X: np.ndarray, labels: list[set[str]], classes: list[str], C: float) -> Head:
    """One binary logistic regression per class (a text can state several facts)."""
    from sklearn.linear_model import LogisticRegression

    W = np.zeros((len(classes), X.shape[1]), dtype=np.float32)
    b = np.zeros(len(classes), dtype=np.float32)
    for k, cls in enumerate(classes):
        y = np.asarray([cls in lab for lab in labels])
        if y.all() or not y.any():
            b[k] = 10.0 if y.all() else -10.0
            continue
        clf = LogisticRegression(C=C, max_iter=3000)
        clf.fit(X, y)
        W[k], b[k] = clf.coef_[0], clf.intercept_[0]
    return Head(list(classes), W, b, multilabel=True)


def _fit(X: np.ndarray, y: list[str], C: float, balanced: bool = True) -> Head:
    from sklearn.linear_model import LogisticRegression

    classes = sorted(set(y))
    if len(classes) == 1:  # nothing to learn: always that class
        return Head(classes, np.zeros((1, X.shape[1]), dtype=np.float32), np.zeros(1, dtype=np.float32))
    clf = LogisticRegression(C=C, max_iter=3000, class_weight="balanced" if balanced else None)
    clf.fit(X, y)
    return Head([str(c) for c in clf.classes_], clf.coef_.astype(np.float32), clf.intercept_.astype(np.float32))


def train_heads(lex: Lexicon, corpus: Corpus, embed, C: dict[str, float], conditions: list[str],
                utterances=None) -> Heads:
    """Fit every head. `embed(texts) -> np.ndarray` (normalised rows) with `embed.spans(texts, spans)` (see
    LocalEmbeddings.embed_spans); `utterances` defaults to all."""
    from .lexicon import normalize

    utts = corpus.utterances if utterances is None else utterances
    norms = [normalize(u.text) for u in utts]
    E = embed(norms)
    X = np.stack([turn_features(lex, n, e, lex.as_written(lex.hits(n), u.text)) for n, e, u in zip(norms, E, utts)])
    heads: dict[str, Head] = {}
    heads["component"] = _fit(X, [u.component for u in utts], C["component"])
    heads["act"] = _fit(X, [u.act for u in utts], C["act"])
    split = [i for i, u in enumerate(utts) if u.component not in (NONE, OTHER) and u.component in lex.split]
    # Parts are learned per row ("ml-platform/platform" is not "model-serving/platform"); see Reading.part_for.
    heads["part"] = _fit(X[split], [f"{utts[i].component}/{utts[i].part}" for i in split], C["part"])
    gen = [i for i, u in enumerate(utts) if u.act == "general" and u.topic]
    heads["topic"] = _fit(X[gen], [utts[i].topic for i in gen], C["topic"])
    ex = condition_examples(lex, corpus, utts)
    CE = example_vectors(ex, embed.spans)
    XC = np.stack([clause_features(lex, x.unit, e) for x, e in zip(ex, CE)])
    heads["condition"] = _fit_multilabel(XC, [set(x.labels) for x in ex], list(conditions), C["condition"])
    # Polarity is learned from texts that state exactly one fact (a clause, or a one-fact utterance).
    pol = [i for i, x in enumerate(ex) if len(x.labels) == 1]
    heads["polarity"] = _fit(XC[pol], [next(iter(ex[i].labels.values())) for i in pol], C["polarity"])
    for name in HEADS:
        heads.setdefault(name, Head([WHOLE], np.zeros((1, X.shape[1]), np.float32), np.zeros(1, np.float32)))
    return Heads(heads, {"digest": corpus.digest, "utterances": len(utts), "clauses": len(ex)})
