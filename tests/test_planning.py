"""Folding readings into the conversation: component, part, act, conditions, refusal settled once."""

from pathlib import Path

import pytest

from advisor.decision import DecisionEngine
from advisor.matrix import load_matrix, load_taxonomy
from advisor.planning import ConversationState, Planner
from advisor.understanding import Reading

MATRIX = load_matrix(Path("knowledge/decision_matrix.yaml"))
TAXONOMY = load_taxonomy(Path("knowledge/conditions.yaml"))


@pytest.fixture
def planner():
    return Planner(MATRIX, TAXONOMY)


def reading(**kw) -> Reading:
    return Reading(question=kw.pop("question", "q"), normalized="q", **kw)


def run(planner, *readings, state=None):
    state = state or ConversationState()
    plan = None
    for r in readings:
        plan = planner.plan(state, r)
        state = plan.state
    return plan


def test_statement_without_component_updates_conditions(planner):
    plan = run(planner, reading(act="statement", conditions=["regulated"]),
               reading(act="verdict", component="feature-store", components=["feature-store"]))
    assert plan.state.component == "feature-store" and plan.state.conditions == ["regulated"]
    assert DecisionEngine(MATRIX, TAXONOMY).decide(plan.state).verdict == "hybrid"


def test_negation_and_retraction_remove_conditions(planner):
    plan = run(planner, reading(component="feature-store", conditions=["early-stage", "budget"]),
               reading(act="what-if", negated=["early-stage"], retracted=["budget"]))
    assert plan.state.conditions == [] and sorted(plan.removed) == ["budget", "early-stage"]
    assert DecisionEngine(MATRIX, TAXONOMY).decide(plan.state).verdict == "depends"


def test_refused_turn_keeps_the_thread(planner):
    first = run(planner, reading(component="data-pipeline", conditions=["regulated"]))
    plan = planner.plan(first.state, reading(act="off-topic"))
    assert plan.refuse and plan.state.component == "data-pipeline" and plan.state.conditions == ["regulated"]
    assert plan.state.turns == 2


def test_a_follow_up_giving_numbers_stays_in_the_conversation_unless_surely_off_topic(planner):
    from advisor.quantities import Quantity

    first = run(planner, reading(component="llm-inference", named=["llm-inference"], part_scores={
        "llm-inference/self-hosted": 0.9}))
    assert first.state.part == "self-hosted"
    bill = [Quantity(kind="money_per_month", value=2000, text="$2k a month")]
    # "Our API invoices are about $2k a month. Does that change anything?": the heads half read it as off-topic.
    plan = planner.plan(first.state, reading(act="off-topic", act_in_scope="verdict", quantities=bill,
                                             confidence={"act": 0.41}, part_scores={"llm-inference/hosted-api": 0.8}))
    assert not plan.refuse and plan.state.component == "llm-inference" and plan.recheck
    assert plan.state.part == "self-hosted"  # facts qualify the question; they do not change its subject
    # "unrelated: we pay $300 a month for HubSpot, build our own CRM?": the act head is sure.
    plan = planner.plan(first.state, reading(act="off-topic", quantities=bill, confidence={"act": 0.9}))
    assert plan.refuse and plan.state.component == "llm-inference"


def test_build_part_question_gets_the_build_part(planner):
    plan = run(planner, reading(component="ml-monitoring"), reading(act="build-part", anaphoric=True))
    assert plan.state.part == "ground-truth"
    assert DecisionEngine(MATRIX, TAXONOMY).decide(plan.state).verdict == "build"


def test_part_scores_pick_a_part_of_the_component_in_play(planner):
    plan = run(planner, reading(component="data-pipeline",
                                part_scores={"whole": 0.2, "orchestration": 0.7, "compute": 0.1}))
    assert plan.state.part == "orchestration"
    assert DecisionEngine(MATRIX, TAXONOMY).decide(plan.state).verdict == "buy"


def test_part_of_another_component_is_ignored(planner):
    plan = run(planner, reading(component="feature-store", part_scores={"compute": 0.9, "whole": 0.1}))
    assert plan.state.part == "whole"


def test_general_question_leaves_the_component_unless_it_points_back(planner):
    first = run(planner, reading(component="ml-monitoring"))
    assert planner.plan(first.state, reading(act="general", topic="key-factors")).state.component is None
    assert planner.plan(first.state, reading(act="general", anaphoric=True)).state.component == "ml-monitoring"


def test_risks_and_costs_asked_mid_conversation_apply_to_the_component(planner):
    first = run(planner, reading(component="feature-store", conditions=["early-stage"]))
    plan = planner.plan(first.state, reading(act="switch"))
    assert plan.state.component == "feature-store" and plan.topic == "switch"


def test_unsure_part_reads_as_the_whole_component(planner):
    plan = run(planner, reading(component="data-pipeline", act="cost",
                                part_scores={"transforms": 0.45, "whole": 0.4, "orchestration": 0.15}))
    assert plan.state.part == "whole"
    assert DecisionEngine(MATRIX, TAXONOMY).decide(plan.state).verdict == "hybrid"


def test_a_follow_up_correcting_the_facts_is_not_general_guidance_unless_the_head_is_sure(planner):
    first = run(planner, reading(act="verdict", component="llm-inference", components=["llm-inference"],
                                 conditions=["early-stage"]))
    unsure = reading(act="general", confidence={"act": 0.33}, negated=["early-stage"])
    plan = planner.plan(first.state, unsure)
    assert plan.act == "verdict" and plan.state.component == "llm-inference" and plan.removed == ["early-stage"]
    sure = reading(act="general", confidence={"act": 0.9}, topic="common-mistake", negated=["early-stage"])
    assert planner.plan(first.state, sure).act == "general"


def test_a_facts_only_follow_up_does_not_move_the_part():
    """Part scores spread over other rows ("we're a bank, in case that matters") say nothing about this
    row's parts, however they split what little they give it."""
    planner = Planner(MATRIX, TAXONOMY, part_threshold=0.6, part_min_mass=0.3)
    first = run(planner, reading(component="model-registry", part_scores={"model-registry/whole": 0.95}))
    plan = planner.plan(first.state, reading(act="statement", conditions=["regulated"], part_scores={
        "data-labeling/workforce": 0.6, "model-registry/promotion-policy": 0.03, "model-registry/whole": 0.01}))
    assert plan.state.part == "whole"
    plan = planner.plan(first.state, reading(part_scores={"model-registry/promotion-policy": 0.7,
                                                          "model-registry/whole": 0.1}))
    assert plan.state.part == "promotion-policy"


def test_a_product_already_in_place_settles_its_part():
    """"pgvector is settled; what about re-ranking?": the name pulls the head toward the store it sells, but
    that part is decided, so the question is about the other one; named as an option, it means the whole."""
    planner = Planner(MATRIX, TAXONOMY, part_threshold=0.6)
    scores = {"vector-database/store": 0.5, "vector-database/retrieval-logic": 0.4, "vector-database/whole": 0.1}
    settled = run(planner, reading(component="vector-database", vendors=["pgvector"], adopted=True, part_scores=scores))
    assert settled.state.part == "retrieval-logic"
    assert DecisionEngine(MATRIX, TAXONOMY).decide(settled.state).verdict == "build"
    option = {"vector-database/retrieval-logic": 0.8, "vector-database/whole": 0.2}
    asked = run(planner, reading(component="vector-database", vendors=["pgvector"], part_scores=option))
    assert asked.state.part == "whole"


def test_guidance_acts_get_their_note(planner):
    plan = run(planner, reading(act="switch"))
    assert plan.topic == "switch" and planner.note_for(plan.topic) == "switching-buy-to-build"
    plan = run(planner, reading(act="general", topic="common-mistake"))
    assert planner.note_for(plan.topic) == "common-mistake"


def test_global_rule_outranks_a_part(planner):
    plan = run(planner, reading(component="training-infrastructure", conditions=["control-later"],
                                part_scores={"training-code": 0.9}))
    assert DecisionEngine(MATRIX, TAXONOMY).decide(plan.state).verdict == "buy"


def test_simple_serving_is_a_thin_wrapper_build(planner):
    plan = run(planner, reading(component="model-serving", conditions=["simple", "early-stage"]))
    d = DecisionEngine(MATRIX, TAXONOMY).decide(plan.state)
    assert d.verdict == "build" and d.deciding.condition == "simple"


def test_elliptical_follow_up_keeps_the_question_asked(planner):
    first = run(planner, reading(act="risks"))
    follow = reading(act="verdict", component="model-serving", components=["model-serving"], anaphoric=True,
                     question="and for model serving?")
    follow = follow.model_copy(update={"normalized": "and for model serving?"})
    plan = planner.plan(first.state, follow)
    assert plan.act == "risks" and plan.state.component == "model-serving"


def test_global_rule_answers_a_general_question():
    planner = Planner(MATRIX, TAXONOMY)
    plan = run(planner, reading(act="statement", conditions=["control-later"]))
    assert planner.note_for(plan.topic) == "common-mistake"


def test_no_platform_needed_while_serving_is_simple(planner):
    plan = run(planner, reading(component="model-serving", conditions=["simple"],
                                part_scores={"platform": 0.9, "whole": 0.1}))
    assert plan.state.part == "platform"
    assert DecisionEngine(MATRIX, TAXONOMY).decide(plan.state).verdict == "build"


def test_weak_unnamed_guess_mid_conversation_keeps_the_thread(planner):
    first = reading(component="feature-store", components=["feature-store"], named=["feature-store"])
    # "What if our data must stay in the EU?": the head weakly guesses data-pipeline from the word "data".
    weak = reading(act="what-if", component="data-pipeline", components=["data-pipeline"], conditions=["regulated"],
                   confidence={"component": 0.28})
    plan = run(planner, first, weak)
    assert plan.state.component == "feature-store" and plan.state.conditions == ["regulated"]
    # The same guess made confidently, or a component named outright, does move the conversation.
    sure = weak.model_copy(update={"confidence": {"component": 0.9}})
    assert run(planner, first, sure).state.component == "data-pipeline"
    named = weak.model_copy(update={"named": ["data-pipeline"]})
    assert run(planner, first, named).state.component == "data-pipeline"
    # A first turn has no thread to keep: the guess stands.
    assert run(planner, weak).state.component == "data-pipeline"


def test_the_asking_sentence_alone_may_single_out_a_part_the_background_hides():
    """"Registry is MLflow, fine. The checks before prod and who signs off: buy or build?": the whole turn reads as
    the row; the asking sentence alone reads as the promotion policy, and counts when it is mostly about the row."""
    planner = Planner(MATRIX, TAXONOMY, part_threshold=0.6, part_min_mass=0.3, asked_part_min_mass=0.6)
    whole = {"model-registry/whole": 0.7, "model-registry/promotion-policy": 0.25}
    asked = {"model-registry/promotion-policy": 0.6, "model-registry/whole": 0.1, "data-labeling/guidelines": 0.3}
    plan = run(planner, reading(component="model-registry", part_scores=whole, asked_part_scores=asked))
    assert plan.state.part == "promotion-policy"
    assert DecisionEngine(MATRIX, TAXONOMY).decide(plan.state).verdict == "build"
    # An asking sentence that is mostly about something else ("how hard to switch to MLflow later?") does not.
    thin = {"model-registry/promotion-policy": 0.3, "model-registry/whole": 0.05, "experiment-tracking/whole": 0.65}
    plan = run(planner, reading(component="model-registry", part_scores=whole, asked_part_scores=thin))
    assert plan.state.part == "whole"


def test_a_what_if_after_is_it_enough_asks_the_same_question_again(planner):
    plan = run(planner, reading(act="enough", component="vector-database", components=["vector-database"],
                                vendors=["pgvector", "pinecone"]),
               reading(act="what-if", conditions=["scale"], supposes=True))
    assert plan.act == "what-if" and plan.reasked == "enough" and plan.vendors == ["pgvector", "pinecone"]
    assert plan.state.conditions == ["scale"]


def test_a_correction_after_a_choice_asks_for_the_choice_again(planner):
    plan = run(planner, reading(act="vendor", component="data-pipeline", components=["data-pipeline"],
                                vendors=["airflow", "dagster"], conditions=["early-stage"]),
               reading(act="verdict", negated=["early-stage"], recheck=True))
    assert plan.act == "verdict" and plan.reasked == "vendor" and not plan.recheck
    assert plan.vendors == ["airflow", "dagster"] and plan.state.conditions == []


def test_a_what_if_after_a_verdict_stays_a_what_if(planner):
    plan = run(planner, reading(act="verdict", component="vector-database", components=["vector-database"]),
               reading(act="what-if", conditions=["scale"], supposes=True))
    assert plan.act == "what-if" and not plan.reasked


def test_facts_told_before_a_recheck_keep_the_subject(planner):
    plan = run(planner, reading(act="verdict", component="model-serving", components=["model-serving"]),
               reading(act="verdict", component="gpu-orchestration", components=["gpu-orchestration"],
                       named=["gpu-orchestration"], recheck=True, told_only=True))
    assert plan.state.component == "model-serving"
    plan = run(planner, reading(act="vendor", component="ml-platform", components=["ml-platform"]),
               reading(act="what-if", other_component="data warehouse", other_named=True, told_only=True,
                       recheck=True))
    assert plan.state.component == "ml-platform" and plan.state.other_component is None


def test_a_new_subject_told_before_a_verdict_question_moves_the_thread(planner):
    plan = run(planner, reading(act="verdict", component="model-serving", components=["model-serving"]),
               reading(act="verdict", component="feature-store", components=["feature-store"],
                       named=["feature-store"], told_only=True))
    assert plan.state.component == "feature-store"


def test_a_condition_stated_later_replaces_one_that_cannot_hold_beside_it(planner):
    # "One small model at low traffic", then "now 50k messages a second": scale, no longer simple.
    first = reading(act="verdict", component="model-serving", components=["model-serving"], conditions=["simple"])
    plan = run(planner, first, reading(act="verdict", conditions=["scale"]))
    assert plan.state.conditions == ["scale"]
    # Stated together, neither is dropped here (the magnitudes settle that in the reading).
    both = run(planner, reading(act="verdict", component="model-serving", components=["model-serving"],
                                conditions=["simple", "scale"]))
    assert set(both.state.conditions) == {"simple", "scale"}


@pytest.mark.parametrize("off_topic, refused", [(0.36, False), (0.9, True)])
def test_a_follow_up_is_refused_only_when_the_act_head_is_sure_it_is_off_topic(planner, off_topic, refused):
    first = reading(act="vendor", component="data-labeling", components=["data-labeling"])
    follow = reading(act="off-topic", act_in_scope="vendor", confidence={"act": off_topic, "off-topic": off_topic})
    plan = run(planner, first, follow)
    assert plan.refuse is refused
    if not refused:
        assert plan.state.component == "data-labeling" and plan.act == "vendor"
    # With nothing in play, the same unsure turn is refused: there is no conversation to keep it in.
    assert run(planner, follow).refuse


def test_a_supposed_condition_replaces_nothing_told(planner):
    first = reading(act="verdict", component="llm-inference", components=["llm-inference"], conditions=["simple"])
    plan = run(planner, first, reading(act="what-if", conditions=["scale"]))
    assert set(plan.state.conditions) == {"simple", "scale"} and plan.supposed == ["scale"]


def test_a_part_named_in_its_own_words_is_the_part_where_the_head_reads_the_row(planner):
    """"For the model registry itself, should we write one?" names the registry part ("registry itself")."""
    scores = {"model-registry/whole": 0.8, "model-registry/registry": 0.2}
    plan = run(planner, reading(component="model-registry", part_scores=scores,
                                named_parts=["model-registry/registry"]))
    assert plan.state.part == "registry"
    # Without the part's own words the head's reading of the whole row stands.
    assert run(planner, reading(component="model-registry", part_scores=scores)).state.part in (None, "whole")


def test_a_wrapper_named_with_its_own_framework_is_the_wrapper_part(advisor):
    a = advisor.ask("A single recommendation model, about 40 calls an hour. Can we just write a small FastAPI wrapper "
                    "around it ourselves?")
    assert a.component == "model-serving" and a.part == "wrapper"


def test_a_product_told_as_what_they_run_does_not_turn_a_question_about_the_part_to_write_into_the_row(advisor):
    a = advisor.ask("All our LLM traffic goes through a LiteLLM proxy for 18 teams. Who writes the rules for which "
                    "requests go to which model and each team's spend cap: us, or do we buy that too?")
    assert a.component == "llm-gateway" and a.part == "routing-policy" and a.verdict == "build"


def test_a_product_they_will_run_told_apart_from_the_question_leaves_the_part_asked_about(advisor):
    a = advisor.ask("We'll run Prefect for scheduling. The code that cleans and joins our sensor readings: build or buy?")
    assert a.component == "data-pipeline" and a.part == "transforms"
    # A plan that names products, judged as a whole, is about the row.
    b = advisor.ask("Our plan: Pinecone serverless, OpenAI embeddings and our own chunking. Is this a reasonable "
                    "setup for search over our manuals?")
    assert b.component == "vector-database" and b.part == "whole"


def test_products_given_as_examples_of_the_part_are_not_options_weighed(advisor):
    a = advisor.ask("For the recaps in our cooking app, should we simply call a hosted model API such as Gemini or "
                    "Mistral?")
    assert a.component == "llm-inference" and a.part == "hosted-api"
    b = advisor.ask("Hosted LLM API or self-host for our recipe app?")
    assert b.part == "whole"
