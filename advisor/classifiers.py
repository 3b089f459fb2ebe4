"""Logistic heads over sentence embeddings (plus a few word features): trained, saved, loaded, applied."""

from __future__ import annotations

import json
from dataclasses import dataclass
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

    def proba(self, X: np.ndarray) -> np.ndarray:
        z = X @ self.W.T + self.b
        if self.multilabel:
            return 1.0 / (1.0 + np.exp(-z))
        if len(self.classes) == 2 and z.shape[1] == 1:  # sklearn's binary form
            z = np.hstack([-z, z])
        z = z - z.max(axis=1, keepdims=True)
        e = np.exp(z)
        return e / e.sum(axis=1, keepdims=True)


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


def ngrams_many(texts: list[str]) -> np.ndarray:
    """Hashed word uni- and bigrams (l2-normalised): the cue words an embedding blurs ("or", "vs", "enough")."""
    global _HASHER
    if _HASHER is None:
        from sklearn.feature_extraction.text import HashingVectorizer

        _HASHER = HashingVectorizer(n_features=NGRAM_FEATURES, ngram_range=(1, 2), alternate_sign=False,
                                    norm="l2", token_pattern=r"(?u)\b\w+\b|\?")
    return _HASHER.transform(texts).toarray().astype(np.float32)


def ngrams(text: str) -> np.ndarray:
    return ngrams_many([text])[0]


def turn_features(lex: Lexicon, norm: str, emb: np.ndarray, hits=None, grams: np.ndarray | None = None) -> np.ndarray:
    """Embedding + which components/vendors are named + question shape."""
    named = np.zeros(len(lex.slugs) + 1, dtype=np.float32)
    vendor = np.zeros(len(lex.slugs) + 1, dtype=np.float32)
    for h in lex.hits(norm) if hits is None else hits:
        i = lex.slugs.index(h.slug) if h.slug in lex.slugs else len(lex.slugs)
        (named if h.by_name else vendor)[i] = 1.0
    n_words = len(norm.split())
    shape = np.asarray([float("?" in norm), float(n_words <= 6), float(bool(lex.anaphora.search(norm))),
                        min(n_words, 60) / 60.0], dtype=np.float32)
    return np.concatenate([emb.astype(np.float32), named, vendor, shape, ngrams(norm) if grams is None else grams])


def clause_features(lex: Lexicon, clause: str, emb: np.ndarray, grams: np.ndarray | None = None) -> np.ndarray:
    """Embedding + negation and retraction cue counts."""
    neg, ret = lex.cue_counts(clause)
    return np.concatenate([emb.astype(np.float32), np.asarray([min(neg, 2), min(ret, 2)], dtype=np.float32),
                           ngrams(clause) if grams is None else grams])


# -- training ------------------------------------------------------------------------------------
def condition_examples(lex: Lexicon, corpus: Corpus, utterances=None) -> list[tuple[str, dict[str, str]]]:
    """(text, {condition: polarity}) pairs: every clause of the clause corpus, every whole utterance
    (several facts at once), and the clauses of utterances that state nothing (hard negatives)."""
    from .lexicon import normalize

    out = [(normalize(c.text), {c.condition: c.polarity} if c.condition != NONE else {}) for c in corpus.clauses]
    for u in corpus.utterances if utterances is None else utterances:
        norm = normalize(u.text)
        labels = {c: "stated" for c in u.conditions} | {c: "negated" for c in u.negated}
        out.append((norm, labels))
        parts = lex.clauses(norm)
        if not labels and len(parts) > 1:
            out += [(p, {}) for p in parts]
    return out


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
    """Fit every head. `embed(texts) -> np.ndarray` (normalised rows); `utterances` defaults to all."""
    from .lexicon import normalize

    utts = corpus.utterances if utterances is None else utterances
    norms = [normalize(u.text) for u in utts]
    E = embed(norms)
    X = np.stack([turn_features(lex, n, e) for n, e in zip(norms, E)])
    heads: dict[str, Head] = {}
    heads["component"] = _fit(X, [u.component for u in utts], C["component"])
    heads["act"] = _fit(X, [u.act for u in utts], C["act"])
    split = [i for i, u in enumerate(utts) if u.component not in (NONE, OTHER) and u.component in lex.split]
    # Parts are learned per row ("ml-platform/platform" is not "model-serving/platform"); see Reading.part_for.
    heads["part"] = _fit(X[split], [f"{utts[i].component}/{utts[i].part}" for i in split], C["part"])
    gen = [i for i, u in enumerate(utts) if u.act == "general" and u.topic]
    heads["topic"] = _fit(X[gen], [utts[i].topic for i in gen], C["topic"])
    ex = condition_examples(lex, corpus, utts)
    CE = embed([t for t, _ in ex])
    XC = np.stack([clause_features(lex, t, e) for (t, _), e in zip(ex, CE)])
    heads["condition"] = _fit_multilabel(XC, [set(lab) for _, lab in ex], list(conditions), C["condition"])
    # Polarity is learned from texts that state exactly one fact (a clause, or a one-fact utterance).
    pol = [i for i, (_, lab) in enumerate(ex) if len(lab) == 1]
    heads["polarity"] = _fit(XC[pol], [next(iter(ex[i][1].values())) for i in pol], C["polarity"])
    for name in HEADS:
        heads.setdefault(name, Head([WHOLE], np.zeros((1, X.shape[1]), np.float32), np.zeros(1, np.float32)))
    return Heads(heads, {"digest": corpus.digest, "utterances": len(utts), "clauses": len(ex)})
