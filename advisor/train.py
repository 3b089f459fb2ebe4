"""`advisor train`: fit the understanding heads on the corpus, cross-validate them, save the artefact."""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from pathlib import Path

import numpy as np
from pydantic import BaseModel, ConfigDict

from .classifiers import Heads, train_heads
from .corpus import WHOLE, Corpus, load_corpus
from .datafiles import load_model
from .errors import ConfigError
from .lexicon import Lexicon, load_cues
from .matrix import Matrix, Taxonomy, load_matrix, load_taxonomy
from .quantities import load_thresholds
from .understanding import Reader

ARTEFACT = "classifiers.npz"


class TrainingConfig(BaseModel):
    """Regularisation per head and the cross-validation split (knowledge/understanding/training.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    C: dict[str, float]
    folds: int = 5
    seed: int = 13


def corpus_dir(knowledge_dir: Path) -> Path:
    return knowledge_dir / "understanding"


def artefact_path(knowledge_dir: Path) -> Path:
    return corpus_dir(knowledge_dir) / ARTEFACT


def corpus_digest(directory: Path) -> str:
    """Hash of the corpus files (cheap: no parsing), to tell whether the artefact is up to date."""
    digest = hashlib.sha256()
    for path in sorted((directory / "utterances").glob("*.yaml")) + sorted((directory / "clauses").glob("*.yaml")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def load_config(directory: Path) -> TrainingConfig:
    return load_model(directory / "training.yaml", TrainingConfig, "fix the training settings")


def lexicon_for(knowledge_dir: Path, matrix: Matrix, taxonomy: Taxonomy) -> Lexicon:
    return Lexicon(matrix, taxonomy, load_cues(corpus_dir(knowledge_dir) / "cues.yaml"))


def load_heads(knowledge_dir: Path, model_name: str) -> Heads:
    """The committed heads; a clear error when they are missing or older than the corpus."""
    path = artefact_path(knowledge_dir)
    heads = Heads.load(path)
    if heads.meta.get("digest") != corpus_digest(corpus_dir(knowledge_dir)):
        raise ConfigError(f"{path}: the classifiers were trained on a different corpus than "
                          f"{corpus_dir(knowledge_dir)} holds now", "run `advisor train` to retrain them")
    if heads.meta.get("model") != model_name:
        raise ConfigError(f"{path}: the classifiers were trained on embeddings of {heads.meta.get('model')!r}, "
                          f"not {model_name!r}", "run `advisor train` with this ADVISOR_EMBEDDING_MODEL")
    return heads


class CachedEmbed:
    """Embeds each distinct text once (training and cross-validation see the same texts many times)."""

    def __init__(self, embeddings):
        self.embeddings = embeddings
        self.cache: dict[str, np.ndarray] = {}
        self.span_cache: dict[tuple, np.ndarray] = {}

    def __call__(self, texts: list[str]) -> np.ndarray:
        todo = list(dict.fromkeys(t for t in texts if t not in self.cache))
        if todo:
            for t, v in zip(todo, np.asarray(self.embeddings.embed_documents(todo), dtype=np.float32)):
                self.cache[t] = v
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384), np.float32)

    def spans(self, texts: list[str], spans: list[list[tuple[int, int]]]) -> list[np.ndarray]:
        keys = [(t, tuple(s)) for t, s in zip(texts, spans)]
        todo = [k for k in dict.fromkeys(keys) if k not in self.span_cache]
        if todo:
            rows = self.embeddings.embed_spans([t for t, _ in todo], [list(s) for _, s in todo])
            self.span_cache.update(zip(todo, rows))
        return [self.span_cache[k] for k in keys]


def _setup(knowledge_dir: Path):
    matrix = load_matrix(knowledge_dir / "decision_matrix.yaml")
    taxonomy = load_taxonomy(knowledge_dir / "conditions.yaml")
    lex = lexicon_for(knowledge_dir, matrix, taxonomy)
    parts = {c.slug: [p.name for p in c.parts] for c in matrix.components}
    corpus = load_corpus(corpus_dir(knowledge_dir), parts, taxonomy.ids)
    return matrix, taxonomy, lex, corpus


def train(knowledge_dir: Path, embeddings, model_name: str) -> Heads:
    """Fit every head on the whole corpus and write the artefact next to it."""
    _, taxonomy, lex, corpus = _setup(knowledge_dir)
    cfg = load_config(corpus_dir(knowledge_dir))
    heads = train_heads(lex, corpus, CachedEmbed(embeddings), cfg.C, taxonomy.ids)
    heads.meta.update(model=model_name)
    heads.save(artefact_path(knowledge_dir))
    return heads


def _f1(tp: int, fp: int, fn: int) -> float:
    return round(2 * tp / (2 * tp + fp + fn), 4) if tp + fp + fn else 1.0


_PART_SHARES = (0.4, 0.5, 0.6, 0.7)


def cross_validate(knowledge_dir: Path, embeddings, folds: int | None = None, part_threshold: float = 0.5,
                   condition_threshold: float = 0.5) -> dict:
    """k-fold figures for every field of the reading, over the utterance corpus."""
    matrix, taxonomy, lex, corpus = _setup(knowledge_dir)
    cfg = load_config(corpus_dir(knowledge_dir))
    k = folds or cfg.folds
    embed = CachedEmbed(embeddings)
    thresholds = load_thresholds(corpus_dir(knowledge_dir) / "quantities.yaml")
    order = list(range(len(corpus.utterances)))
    random.Random(cfg.seed).shuffle(order)
    parts = {c.slug: [p.name for p in c.parts] for c in matrix.components}
    hits = Counter()
    n = Counter()
    conf = {"with": [0, 0, 0], "stated": [0, 0, 0]}
    acts: dict[str, Counter] = {}
    by_share: Counter = Counter()
    for f in range(k):
        test_idx = set(order[f::k])
        train_u = [u for i, u in enumerate(corpus.utterances) if i not in test_idx]
        heads = train_heads(lex, Corpus(utterances=train_u, clauses=corpus.clauses, digest=""), embed, cfg.C,
                            taxonomy.ids)
        reader = Reader(lex, heads, thresholds, embed.spans, condition_threshold)
        for i in sorted(test_idx):
            u = corpus.utterances[i]
            r = reader.read(u.text)
            got_comp = r.component or ("other" if r.other_component else "none")
            n["component"] += 1
            hits["component"] += got_comp == u.component
            n["act"] += 1
            hits["act"] += r.act == u.act
            acts.setdefault(u.act, Counter())[r.act] += 1
            n["scope"] += 1
            hits["scope"] += (r.act == "off-topic") == (u.act == "off-topic")
            if parts.get(u.component):
                n["part"] += 1
                hits["part"] += r.part_for(u.component, parts[u.component], part_threshold) == u.part
                for share in _PART_SHARES:  # how the part threshold itself is chosen (ADVISOR_PART_THRESHOLD)
                    by_share[share] += r.part_for(u.component, parts[u.component], share) == u.part
            if u.act == "general" and u.topic:
                n["topic"] += 1
                hits["topic"] += r.topic == u.topic
            for key, want, got in (("stated", set(u.conditions), set(r.conditions)),
                                   ("with", {*u.conditions, *(f"not {c}" for c in u.negated)},
                                    {*r.conditions, *(f"not {c}" for c in (*r.negated, *r.retracted))})):
                conf[key][0] += len(want & got)
                conf[key][1] += len(got - want)
                conf[key][2] += len(want - got)
    out = {f"{name}_accuracy": round(hits[name] / n[name], 4) for name in n}
    tp, fp, fn = conf["stated"]
    out["condition_precision"] = round(tp / (tp + fp), 4) if tp + fp else 1.0
    out["condition_recall"] = round(tp / (tp + fn), 4) if tp + fn else 1.0
    out["condition_f1"] = _f1(*conf["stated"])
    out["condition_f1_with_negation"] = _f1(*conf["with"])
    out["part_accuracy_by_threshold"] = {str(s): round(by_share[s] / n["part"], 4) for s in _PART_SHARES} \
        if n["part"] else {}
    out["counts"] = dict(n)
    out["folds"] = k
    out["act_confusion"] = {a: dict(c) for a, c in sorted(acts.items())}
    out["utterances"] = len(corpus.utterances)
    out["clauses"] = len(corpus.clauses)
    return out


__all__ = ["WHOLE", "artefact_path", "corpus_digest", "cross_validate", "load_heads", "train"]
