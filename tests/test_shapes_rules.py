"""Answers where a row's rule meets the part asked about, where what they have is enough for now, and facts taken
back without being named (2026-12-04 sixth session; wordings are our own, not eval or rubric questions)."""

from __future__ import annotations

from test_chain import assert_citations_resolve

from advisor.lexicon import normalize
from advisor.render import verdict_label


def titled(answer, title_start: str):
    return next((s for s in answer.sections if s.title.startswith(title_start)), None)


def test_a_stronger_row_rule_outranks_the_weaker_rule_of_the_part_asked_about(advisor):
    # The gateway part rules on "one app, one provider" (build a small client); the row rules on a data rule (buy a
    # self-hostable gateway), and the data rule comes first in conditions.yaml.
    a = advisor.ask("Our bank has one internal app calling one model vendor, and the regulator says prompts with "
                    "customer details may not leave our own cloud tenancy. The gateway service itself: write it or "
                    "adopt one?")
    assert a.component == "llm-gateway"
    assert "regulated" in a.conditions and "simple" in a.conditions
    assert a.verdict == "buy"


def test_named_hosted_apis_under_a_data_rule_are_no_safe_default(advisor):
    a = advisor.ask("Bedrock or the OpenAI API for our claims assistant? Customer data must stay in our own data "
                    "centre.")
    assert a.act == "vendor" and a.component == "llm-inference"
    assert "any of these is a sound buy" not in a.lead
    assert "neither is a safe default" in a.lead and "compliance review" in a.lead
    assert_citations_resolve(a)


def test_a_trial_under_a_data_rule_shows_where_each_product_keeps_the_data(advisor):
    a = advisor.ask("How should we trial Langfuse and LangSmith against each other? Our traces may not leave the EU.")
    assert a.act == "evaluate"
    where = titled(a, "Where each keeps your data")
    assert where is not None
    assert any(i.startswith("*Langfuse:*") for i in where.items) and any(i.startswith("*LangSmith:*")
                                                                      for i in where.items)
    assert "where each keeps your data" in a.lead
    assert_citations_resolve(a)


def test_what_they_have_is_enough_for_now_heads_the_verdict_as_for_later(advisor):
    a = advisor.ask("All our models are scored in nightly batch jobs from BigQuery. Is a warehouse features table "
                    "built with dbt enough, or do we need a feature store?")
    assert a.act == "enough"
    assert a.lead.startswith(("Yes, for now.", "Yes, while your use is small."))
    assert a.subject.endswith("once what you have stops being enough")
    assert "once what you have stops being enough" in verdict_label(a)


def test_which_part_to_build_and_which_to_buy_says_the_bought_side_first(advisor):
    a = advisor.ask("Three racks of our own GPUs, 50 researchers queueing work on them by hand today. Which part "
                    "should we write ourselves and which should we buy?")
    assert a.act == "build-part" and a.component == "gpu-orchestration"
    assert a.lead.startswith("Buy")
    assert "yourselves" in a.lead  # the part that is theirs follows in the same lead
    assert not any(s.title.startswith("How it connects") for s in a.sections)


def test_build_and_buy_asked_under_measured_gaps_gets_the_split_rule_and_their_product(advisor):
    a = advisor.ask("Our ranking models have been served on Seldon for a year. Production profiling shows a gap no "
                    "serving product closes: feature decoding takes 70% of each request, and a trial of BentoML hit "
                    "the same wall. What should we build and what should we buy?")
    assert a.component == "model-serving" and a.part == "whole"
    assert a.verdict == "hybrid"
    assert "Seldon you already run" in a.lead


def test_an_unnamed_retraction_takes_back_the_rule_said_just_before(advisor):
    first = advisor.ask("Our data has to stay in the country by law. Experiment tracking: build or buy?")
    assert "regulated" in first.conditions
    a = advisor.ask("Legal checked again: the law only covers payment data, which never reaches our experiments. "
                    "Please disregard that constraint.", first.conversation_id)
    assert "regulated" not in a.conditions


def test_a_bare_retraction_takes_back_the_condition_told_last(advisor):
    first = advisor.ask("We're a bank and client data may not leave our network. Vector database: build or buy?")
    assert "regulated" in first.conditions
    a = advisor.ask("Scratch that requirement.", first.conversation_id)
    assert "regulated" not in a.conditions


def test_a_follow_up_that_only_tells_facts_keeps_the_part_in_play(advisor):
    first = advisor.ask("Should we write our own orchestrator for our nightly training-data jobs or use Airflow?")
    assert first.part == "orchestration"
    a = advisor.ask("For context: no regulator involved, we're 300 people, money is not the issue.",
                    first.conversation_id)
    assert a.part == "orchestration"


def test_said_as_a_whole_the_question_is_about_the_whole_row(advisor):
    a = advisor.ask("Profiling our KServe deployment shows image resizing is most of every request and no setting "
                    "helps. For serving as a whole: still buy, or build?")
    assert a.component == "model-serving" and a.part == "whole"


def test_a_product_run_for_months_is_in_use(advisor):
    r = advisor.reader.read("Our fraud models have run on Triton for two years. Should we keep buying serving?")
    assert "triton-inference-server" in r.running
    r = advisor.reader.read("Should we move to Triton for serving, or build our own?")
    assert "triton-inference-server" not in r.running


def test_a_dash_between_words_separates_clauses():
    assert ";" in normalize("that's not what legal said — we have a signed agreement")
    assert ";" not in normalize("a real-time feature store")


def test_a_line_wrapped_inside_a_sentence_is_one_clause():
    text = normalize("we measured that its\nonline lookups add 40 ms.\nNext we tried Feast")
    assert "its online lookups" in text
    assert "\nnext we tried" in text  # a break after a stop still ends the clause


def test_a_product_in_place_does_not_settle_the_layer_built_on_top_of_it(advisor):
    first = advisor.ask("Our recommender runs on BentoML.")
    a = advisor.ask("We measured in production: feature decoding is 65% of p99 and BentoML has no setting that "
                    "helps; a prototype batching layer halved p99 in a shadow test. Should we build that optimisation "
                    "layer on top of BentoML?", first.conversation_id)
    assert a.component == "model-serving" and a.part == "optimisation"
    assert "production-evidence" in a.conditions and a.verdict == "build"


def test_settings_that_cannot_fix_what_was_measured_are_production_evidence(advisor):
    r = advisor.reader.read("Profiling in production: decoding is 65% of p99 and nothing in Ray Serve's settings "
                            "moves it. Do we write our own optimisation layer on top?")
    assert "production-evidence" in r.conditions


def test_a_verdict_that_states_a_splitting_rule_does_not_say_it_again_as_a_pick(advisor):
    a = advisor.ask("A year of Seldon in production; profiling shows feature decoding takes most of each request "
                    "and nothing in Seldon's or BentoML's configuration changes that. For serving as a whole, still "
                    "buy, or build?")
    assert a.act == "verdict" and a.verdict == "hybrid"
    assert "neither is a safe default" not in a.lead
