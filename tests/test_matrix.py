"""The decision matrix and taxonomy validators: the shipped files load; broken ones name file, entry, field."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from advisor import knowledge
from advisor.errors import ConfigError
from advisor.matrix import check_consistency, load_matrix, load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
MATRIX = ROOT / "knowledge" / "decision_matrix.yaml"
TAXONOMY = ROOT / "knowledge" / "conditions.yaml"
SLUGS = ["experiment-tracking", "feature-store", "model-serving", "data-pipeline", "ml-monitoring",
         "training-infrastructure", "vector-database", "llm-inference", "llm-gateway", "llm-observability",
         "data-labeling", "model-registry", "ml-platform", "gpu-orchestration"]


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load(MATRIX.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def note_ids() -> set[str]:
    return {d.meta.id for d in knowledge.load([ROOT / "knowledge"]).docs}


def dump(tmp_path: Path, data) -> Path:
    path = tmp_path / "decision_matrix.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def broken(raw: dict, edit) -> dict:
    data = copy.deepcopy(raw)
    edit(data)
    return data


def test_shipped_matrix_is_valid_and_complete(note_ids):
    matrix = load_matrix(MATRIX, known_notes=note_ids)
    taxonomy = load_taxonomy(TAXONOMY)
    check_consistency(matrix, taxonomy, MATRIX)
    assert matrix.slugs == SLUGS
    for c in matrix.components:
        assert c.verdict in {"buy", "build", "hybrid", "depends"}
        assert c.synonyms and c.summary and c.build and c.migration
        assert c.migration_cost in {"low", "medium", "high"}
        assert c.note in note_ids
        for rule in c.conditions:
            assert rule.condition in taxonomy.ids and rule.note in note_ids
            assert c.rule_for(rule.condition) is rule
    assert matrix.get("feature-store").name and matrix.get("nope") is None


def test_every_verdict_and_rule_has_a_basis_and_sources_are_titled():
    matrix = load_matrix(MATRIX)
    rows = [*matrix.global_rules]
    for c in matrix.components:
        rows += [c, *c.conditions]
        for p in c.parts:
            rows += [p, *p.conditions]
    assert all(r.basis in {"source", "framework"} for r in rows)
    assert all(matrix.source_title(r.source) for r in rows if r.basis == "source")
    # The articles name six components; the rows added for LLM-era infrastructure are mostly our framework.
    assert matrix.get("experiment-tracking").basis == "source"
    assert matrix.get("vector-database").basis == "framework"


@pytest.mark.parametrize("edit, expected", [
    (lambda d: d["components"][1].update(verdict="maybe"),
     ["entry 1 (feature-store)", "field 'verdict'", "'buy', 'build', 'hybrid' or 'depends'"]),
    (lambda d: d["components"][2].pop("migration_cost"),
     ["entry 2 (model-serving)", "field 'migration_cost'", "Field required"]),
    (lambda d: d["components"][0]["conditions"][0].update(verdict="purchase"),
     ["entry 0 (experiment-tracking)", "field 'conditions.0.verdict'"]),
    (lambda d: d["components"][3]["buy"][0].pop("doc"),
     ["entry 3 (data-pipeline)", "field 'buy.0.doc'", "Field required"]),
    (lambda d: d["components"][4].update(migration_cost="enormous"),
     ["entry 4 (ml-monitoring)", "field 'migration_cost'"]),
    (lambda d: d["components"][5].update(colour="blue"),
     ["entry 5 (training-infrastructure)", "field 'colour'", "Extra inputs are not permitted"]),
    (lambda d: d["components"][0].update(synonyms=[]),
     ["entry 0 (experiment-tracking)", "field 'synonyms'"]),
    (lambda d: d["components"].append(copy.deepcopy(d["components"][0])),
     ["field 'components'", "duplicate component slugs: experiment-tracking"]),
    (lambda d: d.update(components=[]), ["field 'components'"]),
    # Provenance: every verdict and rule says where it comes from, and a source names a known article.
    (lambda d: d["components"][7]["conditions"][0].pop("basis"),
     ["entry 7 (llm-inference)", "field 'conditions.0.basis'", "Field required"]),
    (lambda d: d["components"][6].pop("basis"), ["entry 6 (vector-database)", "field 'basis'", "Field required"]),
    (lambda d: d["components"][2]["parts"][0].pop("basis"),
     ["entry 2 (model-serving)", "field 'parts.0.basis'", "Field required"]),
    (lambda d: d["global_rules"][0].pop("basis"), ["global_rules.0.basis", "Field required"]),
    (lambda d: d["components"][0]["conditions"][0].pop("source"),
     ["entry 0 (experiment-tracking)", "field 'conditions.0'", "needs `source:`"]),
    (lambda d: d["components"][6].update(basis="vibes"), ["entry 6 (vector-database)", "field 'basis'"]),
    (lambda d: d["components"][0].update(source="a-blog-post"),
     ["entry experiment-tracking, field 'source': unknown article 'a-blog-post'"]),
    (lambda d: d["components"][6].pop("example"), ["entry 6 (vector-database)", "field 'example'"]),
    # A `depends` verdict says what it turns on, so no answer stops at "it depends".
    (lambda d: d["components"][1].pop("depends_on"),
     ["entry 1 (feature-store)", "needs `depends_on:`"]),
    (lambda d: d["components"][1]["conditions"][1].update(verdict="depends", depends_on=None),
     ["entry 1 (feature-store)", "field 'conditions.1'", "needs `depends_on:`"]),
    # A rule voided by the asker's facts names a fact the reader knows, not free text.
    (lambda d: d["components"][0]["conditions"][0].update(unless=["owns-a-boat"]),
     ["entry 0 (experiment-tracking)", "field 'conditions.0.unless.0'"]),
    # A part built on top of another names a part of the same row.
    (lambda d: d["components"][2]["parts"][2].update(on_top_of="kernel"),
     ["entry 2 (model-serving)", "field 'parts'", "on_top_of must name another part of the row",
      "optimisation.on_top_of: 'kernel'"]),
])
def test_malformed_matrix_names_file_entry_and_field(tmp_path, raw, edit, expected):
    path = dump(tmp_path, broken(raw, edit))
    with pytest.raises(ConfigError) as err:
        load_matrix(path)
    message = err.value.message
    assert str(path) in message
    for part in expected:
        assert part in message, (part, message)
    assert err.value.hint and err.value.exit_code == 2


def test_unknown_note_id_is_named(tmp_path, raw, note_ids):
    def edit(d):
        d["components"][1]["buy"][0]["doc"] = "no-such-vendor"
        d["components"][2]["conditions"][0]["note"] = "no-such-note"

    path = dump(tmp_path, broken(raw, edit))
    load_matrix(path)  # structurally fine: only the note check fails
    with pytest.raises(ConfigError) as err:
        load_matrix(path, known_notes=note_ids)
    message = err.value.message
    assert str(path) in message
    fs_buy = raw["components"][1]["buy"][0]["name"]
    assert f"entry feature-store, field 'buy.{fs_buy}': unknown note 'no-such-vendor'" in message
    ms_cond = raw["components"][2]["conditions"][0]["condition"]
    assert f"entry model-serving, field 'conditions.{ms_cond}.note': unknown note 'no-such-note'" in message


def test_a_fact_rule_names_a_known_note_and_a_known_fact(tmp_path, raw, note_ids):
    def training(d):
        return next(c for c in d["components"] if c["slug"] == "training-infrastructure")

    def compute(d):
        return next(p for p in training(d)["parts"] if p["name"] == "compute")

    path = dump(tmp_path, broken(raw, lambda d: compute(d)["given"][0].update(note="no-such-note")))
    load_matrix(path)
    with pytest.raises(ConfigError) as err:
        load_matrix(path, known_notes=note_ids)
    assert "entry training-infrastructure, field 'parts.compute.given.owns-hardware.note': unknown note" in \
        err.value.message
    path = dump(tmp_path, broken(raw, lambda d: compute(d)["given"][0].update(fact="owns-a-yacht")))
    with pytest.raises(ConfigError) as err:
        load_matrix(path)
    assert "owns-a-yacht" in err.value.message or "fact" in err.value.message


def test_unknown_condition_is_named(tmp_path, raw):
    path = dump(tmp_path, broken(raw, lambda d: d["components"][3]["conditions"][0].update(condition="full-moon")))
    matrix = load_matrix(path)
    with pytest.raises(ConfigError) as err:
        check_consistency(matrix, load_taxonomy(TAXONOMY), path)
    assert str(path) in err.value.message
    assert "entry data-pipeline, field 'conditions.full-moon'" in err.value.message
    assert "core-differentiator" in err.value.hint  # lists the valid ids


def test_unreadable_matrix_files(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_matrix(tmp_path / "missing.yaml")
    bad = tmp_path / "decision_matrix.yaml"
    bad.write_text("components: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML") as err:
        load_matrix(bad)
    assert str(bad) in err.value.message
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"field '\(top level\)'"):
        load_matrix(bad)


def test_malformed_taxonomy_names_entry_and_field(tmp_path):
    data = yaml.safe_load(TAXONOMY.read_text(encoding="utf-8"))
    data["conditions"][1]["patterns"] = ["(unclosed"]
    path = tmp_path / "conditions.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_taxonomy(path)
    cid = data["conditions"][1]["id"]
    assert str(path) in err.value.message
    assert f"entry 1 ({cid}), field 'patterns'" in err.value.message
    assert "not a valid regular expression" in err.value.message
