"""The understanding corpus: validated, broad enough, and the committed classifiers match it."""

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml

from advisor.classifiers import Heads
from advisor.corpus import ACTS, load_corpus
from advisor.errors import ConfigError
from advisor.matrix import load_matrix, load_taxonomy
from advisor.train import artefact_path, corpus_digest, load_heads

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
MATRIX = load_matrix(KNOWLEDGE / "decision_matrix.yaml")
TAXONOMY = load_taxonomy(KNOWLEDGE / "conditions.yaml")
PARTS = {c.slug: [p.name for p in c.parts] for c in MATRIX.components}


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(KNOWLEDGE / "understanding", PARTS, TAXONOMY.ids)


def test_corpus_covers_every_label(corpus):
    u = corpus.utterances
    assert len(u) >= 1500
    comps = Counter(x.component for x in u)
    assert all(comps[s] >= 100 for s in PARTS) and comps["other"] >= 100 and comps["none"] >= 200
    assert {x.act for x in u} == set(ACTS)
    assert all(sum(x.act == a for x in u) >= 30 for a in ACTS)
    parts = Counter((x.component, x.part) for x in u)
    assert all(parts[(slug, p)] >= 10 for slug, names in PARTS.items() for p in names)
    stated = Counter(c for x in corpus.clauses if x.polarity == "stated" for c in [x.condition])
    negated = Counter(c for x in corpus.clauses if x.polarity in ("negated", "retracted") for c in [x.condition])
    assert all(stated[c] >= 30 and negated[c] >= 15 for c in TAXONOMY.ids)


def test_committed_classifiers_match_the_corpus():
    heads = load_heads(KNOWLEDGE, "bundled")  # raises when the corpus changed without `advisor train`
    assert heads.meta["digest"] == corpus_digest(KNOWLEDGE / "understanding")
    assert set(heads["component"].classes) == {*PARTS, "other", "none"}
    assert set(heads["act"].classes) == set(ACTS)
    assert set(heads["condition"].classes) == set(TAXONOMY.ids)


def _copy(tmp_path: Path) -> Path:
    dest = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, dest)
    return dest


def test_bad_label_names_file_item_and_field(tmp_path):
    k = _copy(tmp_path)
    bad = k / "understanding" / "utterances" / "zz-bad.yaml"
    bad.write_text(yaml.safe_dump([{"text": "should we buy a feature store", "component": "feature-store",
                                    "act": "purchase"}]))
    with pytest.raises(ConfigError) as err:
        load_corpus(k / "understanding", PARTS, TAXONOMY.ids)
    assert "zz-bad.yaml" in err.value.message and "item 1" in err.value.message and "act" in err.value.message


def test_part_of_the_wrong_component_is_rejected(tmp_path):
    k = _copy(tmp_path)
    (k / "understanding" / "utterances" / "zz-bad.yaml").write_text(yaml.safe_dump(
        [{"text": "rent gpus?", "component": "feature-store", "part": "compute", "act": "verdict"}]))
    with pytest.raises(ConfigError) as err:
        load_corpus(k / "understanding", PARTS, TAXONOMY.ids)
    assert "'part'" in err.value.message and "feature-store" in err.value.message


def test_unknown_condition_in_clause_is_rejected(tmp_path):
    k = _copy(tmp_path)
    (k / "understanding" / "clauses" / "zz-bad.yaml").write_text(yaml.safe_dump(
        [{"text": "we love kubernetes", "condition": "k8s", "polarity": "stated"}]))
    with pytest.raises(ConfigError) as err:
        load_corpus(k / "understanding", PARTS, TAXONOMY.ids)
    assert "zz-bad.yaml" in err.value.message and "condition" in err.value.message


def test_stale_or_missing_classifiers_say_to_retrain(tmp_path):
    k = _copy(tmp_path)
    (k / "understanding" / "utterances" / "zz-new.yaml").write_text(yaml.safe_dump(
        [{"text": "feature store, build or buy?", "component": "feature-store", "act": "verdict"}]))
    with pytest.raises(ConfigError) as err:
        load_heads(k, "bundled")
    assert "advisor train" in err.value.hint
    artefact_path(k).unlink()
    with pytest.raises(ConfigError) as err:
        Heads.load(artefact_path(k))
    assert "advisor train" in err.value.hint


def _tokens(text: str) -> set[str]:
    import re

    from advisor.lexicon import normalize

    return set(re.findall(r"[a-z0-9]+", normalize(text)))


def test_corpus_holds_no_copy_of_a_held_out_question(corpus):
    """The held-out sets judge the stage; a training utterance that nearly repeats one would inflate them."""
    held = []
    for d in (ROOT / "evals" / "datasets").glob("heldout*"):
        for f in d.glob("*.yaml"):
            for case in yaml.safe_load(f.read_text()) or []:
                held += case.get("turns") or [case.get("question")]
    held_tokens = [_tokens(t) for t in held if t]
    close = []
    for u in corpus.utterances:
        t = _tokens(u.text)
        if any(len(t & h) / len(t | h) >= 0.6 for h in held_tokens if t | h):
            close.append(u.text)
    assert not close, close[:5]


def _runs(text: str, n: int = 8) -> set[tuple[str, ...]]:
    import re

    from advisor.lexicon import normalize

    w = re.findall(r"[a-z0-9]+", normalize(text))
    return {tuple(w[k:k + n]) for k in range(len(w) - n + 1)}


def test_training_text_shares_no_eight_word_run_with_a_held_out_turn(corpus):
    """Utterances, clauses and situation phrasings never copy a stretch of a held-out question (frozen sets are never
    trained on); a shared run of eight words is a copy, whichever came first."""
    from advisor.situations import SituationPhrasings

    held: set[tuple[str, ...]] = set()
    for d in (ROOT / "evals" / "datasets").glob("heldout*"):
        for f in d.glob("*.yaml"):
            for case in yaml.safe_load(f.read_text()) or []:
                for turn in case.get("turns") or [case.get("question") or ""]:
                    held |= _runs(turn)
    texts = [u.text for u in corpus.utterances] + [c.text for c in corpus.clauses]
    texts += [s for said in SituationPhrasings.load(KNOWLEDGE).said.values() for s in said]
    copied = [t for t in texts if _runs(t) & held]
    assert not copied, copied[:5]
