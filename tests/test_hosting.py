"""Managed service or self-hosted open source: two ways of buying, answered with who runs it, through the chain."""

from __future__ import annotations

from test_chain import assert_citations_resolve


def _cites_note(a, heading: str) -> bool:
    return any(c.doc_id == "managed-or-self-hosted" and heading in c.section for c in a.citations)


def test_a_quote_against_self_hosting_is_weighed_in_engineer_time(advisor):
    a = advisor.ask('12 researchers. W&B quoted us $54k/yr. self-hosted MLflow on our existing k8s cluster would be '
                    '"free". worth self-hosting to save the money or not?')
    assert a.verdict == "buy"
    first = a.lead.split(". ")[0]
    assert "MLflow" in first and "Weights & Biases" in first and "Kubernetes" in first
    assert "$54k/yr" in a.lead and "%" in a.lead  # their quote, set against a share of an engineer's year
    assert _cites_note(a, "What self-hosting costs")
    table = next(s.table for s in a.sections if s.table)
    assert {r[0].split("**")[1] for r in table.rows} == {"MLflow", "Weights & Biases"}
    assert_citations_resolve(a)


def test_nobody_to_run_it_pays_for_the_service(advisor):
    a = advisor.ask("Our team of 3 has no ops people. Self-hosted MLflow or W&B?")
    assert "pay for Weights & Biases" in a.lead
    assert _cites_note(a, "When a managed service fits")


def test_data_that_must_stay_inside_self_hosts_the_open_source_tool(advisor):
    a = advisor.ask("Traces may not leave our own VPC. Self-host Label Studio or pay for Labelbox?")
    assert "self-host Label Studio" in a.lead and "regulated" in a.conditions
    # When the paid product can run inside the boundary too, where it runs no longer separates them: the
    # products are compared instead.
    b = advisor.ask("Traces may not leave our own VPC. Self-host Langfuse or pay for LangSmith?")
    assert "Langfuse fits best" in b.lead and "open source" in b.lead


def test_running_our_own_model_is_still_the_build_question_not_a_hosting_choice(advisor):
    a = advisor.ask("Budget's tight. Should we self-host Llama instead of paying per token?")
    assert a.component == "llm-inference" and a.part == "self-hosted"
    assert not _cites_note(a, "")


def test_a_what_if_after_is_it_enough_answers_whether_it_still_is(advisor):
    a = advisor.ask("We run Postgres already. ~3M embeddings, 20 qps. Is pgvector enough or should we pay for "
                    "Pinecone?")
    assert a.act == "enough" and a.lead.startswith("Yes")
    b = advisor.ask("and if we grow to 200M vectors next year?", a.conversation_id)
    assert b.act == "what-if" and b.lead.startswith("No") and "pgvector" in b.lead
    assert "would still be" not in b.lead  # no build-or-buy verdict nobody asked for


def test_a_correction_after_a_choice_picks_again_and_what_they_run_counts(advisor):
    a = advisor.ask("our data team already runs Airflow for 300 DAGs. ML team of 4 wants training pipelines: "
                    "Dagster or Airflow?")
    assert a.act == "vendor" and "Airflow fits best" in a.lead and "already run" in a.lead
    b = advisor.ask("actually we're 40 engineers, not 4. same answer?", a.conversation_id)
    # A choice among orchestrators is the orchestration part of the pipeline, a buy.
    assert b.act == "verdict" and b.lead.startswith("That does not change it: still Buy")
    assert "past the early stage and past the early stage" not in b.lead
    assert "Airflow fits best" in b.lead  # then the choice again, under the corrected facts


def test_a_correction_naming_gpus_stays_on_the_serving_question(advisor):
    a = advisor.ask("our serving is fastapi in docker on k8s, 4 models, ~50 rps. is our current setup enough?")
    b = advisor.ask("typo: it's 40 models not 4, about 2k rps at peak, and 6 of them need a GPU each. same answer?",
                    a.conversation_id)
    assert b.component == "model-serving"


def test_a_loaded_cost_is_no_quote_and_the_askers_own_figure_replaces_the_placeholder(advisor):
    a = advisor.ask("W&B quoted us $30k/yr. Our engineers cost about $150k/year fully loaded. Self-host MLflow on "
                    "our k8s cluster instead?")
    assert "$30k/yr is about 20% of one engineer's loaded year at your $150k a year" in a.lead
    assert "placeholder" not in a.lead and "$150k/year is" not in a.lead
