"""Vendor notes: every matrix option has checkable facts with a date; a broken note names file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from advisor.errors import ConfigError
from advisor.matrix import load_matrix
from advisor.vendors import load_vendor_facts

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"


def test_every_option_in_the_matrix_has_dated_vendor_facts():
    facts = load_vendor_facts(KNOWLEDGE)
    matrix = load_matrix(KNOWLEDGE / "decision_matrix.yaml")
    docs = {o.doc for c in matrix.components for o in c.buy}
    missing = sorted(d for d in docs if d not in facts)
    assert not missing, f"options without a vendor note: {missing}"
    for f in facts.values():
        assert f.updated.year >= 2026 and f.hosting and f.pricing and f.strength
        # No prices: a pricing model in general terms only (prices go stale and cannot be checked here).
        assert "$" not in f.pricing and "€" not in f.pricing, f.id


def test_vendor_note_without_a_date_names_file_and_field(tmp_path):
    (tmp_path / "vendors").mkdir()
    src = KNOWLEDGE / "vendors" / "qdrant.md"
    text = src.read_text(encoding="utf-8")
    bad = tmp_path / "vendors" / "qdrant.md"
    bad.write_text("\n".join(line for line in text.splitlines() if not line.startswith("updated:")) + "\n",
                   encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_vendor_facts(tmp_path)
    assert str(bad) in err.value.message and "'updated'" in err.value.message
    assert "updated" in err.value.hint
    shutil.copy(src, bad)  # the same note with its date loads
    assert "qdrant" in load_vendor_facts(tmp_path)


def test_options_that_need_kubernetes_say_so():
    facts = load_vendor_facts(KNOWLEDGE)
    assert {d for d, f in facts.items() if f.needs_kubernetes} >= {"kueue", "kubeflow", "seldon", "run-ai"}
    assert not facts["slurm"].on_kubernetes and facts["qdrant"].on_kubernetes and not facts["qdrant"].needs_kubernetes


def test_a_choice_takes_the_option_the_rule_for_their_situation_names(advisor):
    a = advisor.ask("BentoML or a plain FastAPI container for our one model at 5 requests a minute?")
    assert a.verdict == "build" and a.act == "vendor"
    assert "FastAPI is what fits" in a.lead and "sound buy" not in a.lead
    b = advisor.ask("pgvector or Milvus for 600 million vectors?")
    assert b.lead.startswith(("At your scale, Milvus is what fits", "With 600 million vectors, Milvus is what fits"))
