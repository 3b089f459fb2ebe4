"""The decision engine applies the matrix, its precedence and the two global rules."""

import pytest
from conftest import KNOWLEDGE

from advisor.decision import DecisionEngine
from advisor.matrix import load_matrix, load_taxonomy
from advisor.planning import ConversationState

MATRIX = load_matrix(KNOWLEDGE / "decision_matrix.yaml")
TAXONOMY = load_taxonomy(KNOWLEDGE / "conditions.yaml")
ENGINE = DecisionEngine(MATRIX, TAXONOMY)


def decide(component=None, conditions=(), other=None):
    return ENGINE.decide(ConversationState(component=component, components=[component] if component else [],
                                           conditions=list(conditions), other_component=other))


@pytest.mark.parametrize("comp", MATRIX.components, ids=lambda c: c.slug)
def test_default_verdict_is_the_matrix_row(comp):
    d = decide(comp.slug)
    assert d.verdict == comp.verdict and d.deciding is None


@pytest.mark.parametrize("comp, rule", [(c, r) for c in MATRIX.components for r in c.conditions],
                         ids=lambda x: getattr(x, "slug", None) or getattr(x, "condition", None))
def test_each_condition_leads_to_its_verdict(comp, rule):
    d = decide(comp.slug, [rule.condition])
    assert d.verdict == rule.verdict and d.deciding.condition == rule.condition


@pytest.mark.parametrize("comp", MATRIX.components, ids=lambda c: c.slug)
def test_global_rules_hold_for_every_component(comp):
    assert decide(comp.slug, ["core-differentiator"]).verdict == "build"
    assert decide(comp.slug, ["control-later"]).verdict == "buy"
    # The product rule outranks the "control later" rule and everything else.
    assert decide(comp.slug, ["control-later", "early-stage", "core-differentiator"]).verdict == "build"


def test_evidence_outranks_control_later():
    assert decide("feature-store", ["control-later", "production-evidence"]).verdict == "build"


def test_precedence_regulation_over_early_stage():
    d = decide("feature-store", ["early-stage", "regulated"])
    assert d.verdict == "hybrid" and d.deciding.condition == "regulated"


def test_conditions_without_a_rule_are_reported_as_not_changing():
    d = decide("ml-monitoring", ["scale"])
    assert d.verdict == "buy" and d.not_changing == ["scale"]


def test_would_change_lists_only_verdict_moving_rules():
    d = decide("experiment-tracking")
    assert {c.condition for c in d.would_change} == {"core-differentiator"}
    assert all(c.verdict != d.verdict for c in d.would_change)


def test_component_outside_matrix_depends():
    d = decide(other="prompt management")
    assert d.verdict == "depends" and d.component is None


def test_general_topic_has_no_verdict():
    assert decide().verdict is None


def test_a_rule_for_renting_does_not_hold_for_an_asker_who_owns_the_machines():
    def decide_with(facts):
        return ENGINE.decide(ConversationState(component="gpu-orchestration", components=["gpu-orchestration"],
                                               conditions=["early-stage"], facts=facts))
    rented = decide_with({})
    assert rented.deciding and rented.deciding.condition == "early-stage" and "rented GPUs" in rented.deciding.advice
    owned = decide_with({"owns-hardware": "2 boxes with 8x A100 each in a colo"})
    # The small team still gets the row's own call (buy a scheduler), never "SkyPilot onto rented GPUs".
    assert owned.verdict == "buy" and owned.deciding is None and "early-stage" in owned.not_changing
    assert not any(c.condition == "early-stage" for c in owned.would_change)
