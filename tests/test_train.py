"""`advisor train` on the real embedding model: a small corpus trains, saves, loads and reads."""

import random
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from advisor.classifiers import Heads
from advisor.matrix import load_matrix, load_taxonomy
from advisor.quantities import load_thresholds
from advisor.train import artefact_path, corpus_dir, cross_validate, lexicon_for, load_heads, train
from advisor.understanding import Reader

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_knowledge(tmp_path_factory) -> Path:
    """A copy of the knowledge dir whose corpus is a fixed 30% sample (training stays a few seconds)."""
    dest = tmp_path_factory.mktemp("k") / "knowledge"
    shutil.copytree(ROOT / "knowledge", dest)
    rng = random.Random(7)
    for f in (corpus_dir(dest) / "utterances").glob("*.yaml"):
        items = yaml.safe_load(f.read_text())
        f.write_text(yaml.safe_dump([x for x in items if rng.random() < 0.3], sort_keys=False))
    for f in (corpus_dir(dest) / "clauses").glob("*.yaml"):
        items = yaml.safe_load(f.read_text())
        f.write_text(yaml.safe_dump([x for x in items if rng.random() < 0.3], sort_keys=False))
    artefact_path(dest).unlink()
    return dest


def test_train_writes_heads_that_load_and_read(small_knowledge, embeddings):
    heads = train(small_knowledge, embeddings, "bundled")
    again = load_heads(small_knowledge, "bundled")  # digest and model recorded, so it loads
    assert again.meta["digest"] == heads.meta["digest"]
    lex = lexicon_for(small_knowledge, load_matrix(small_knowledge / "decision_matrix.yaml"),
                      load_taxonomy(small_knowledge / "conditions.yaml"))
    reader = Reader(lex, again, load_thresholds(corpus_dir(small_knowledge) / "quantities.yaml"),
                    embeddings.embed_spans)
    r = reader.read("Should we build our own feature store or buy Tecton?")
    assert r.component == "feature-store" and r.in_scope
    assert not reader.read("What's a good recipe for banana bread?").in_scope


def test_training_is_reproducible(small_knowledge, embeddings, tmp_path):
    first = Heads.load(artefact_path(small_knowledge))
    train(small_knowledge, embeddings, "bundled")
    second = Heads.load(artefact_path(small_knowledge))
    for name, head in first.heads.items():
        assert head.classes == second[name].classes
        assert np.allclose(head.W, second[name].W, atol=1e-4), name


def test_cross_validation_reports_every_field(small_knowledge, embeddings):
    figures = cross_validate(small_knowledge, embeddings, folds=2)
    for key in ("component_accuracy", "act_accuracy", "part_accuracy", "condition_f1",
                "condition_f1_with_negation", "scope_accuracy"):
        assert 0.0 <= figures[key] <= 1.0, key
    assert figures["component_accuracy"] > 0.6  # well above chance with 8 classes

