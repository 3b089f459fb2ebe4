"""Facts that state no condition but bear on the call (a date to meet, a vendor's quote), through the chain."""

from __future__ import annotations

from test_chain import assert_citations_resolve


def _circumstances(a) -> list[str]:
    return next((s.items for s in a.sections if s.title == "Your other circumstances"), [])


def test_a_deadline_and_a_quote_are_weighed_not_dropped(advisor):
    a = advisor.ask("We need proper ML monitoring live by end of Q2. Arize quoted $95k/yr. 9 models, 3 data "
                    "scientists. Build or buy?")
    assert a.verdict == "buy"
    items = _circumstances(a)
    assert any(i.startswith("*Live by end of Q2:*") and "protects the date" in i for i in items), items
    # The quote set against what it buys in people: $95k a year is about half of one engineer's loaded year.
    assert any(i.startswith("*$95k/yr:* That is about 50% of one engineer's loaded year") and "maintenance" in i
               for i in items), items
    assert any(c.doc_id == "arguments-for-buying" for c in a.citations)
    assert_citations_resolve(a)


def test_a_deadline_is_no_reason_given_for_a_build(advisor):
    a = advisor.ask("Feature store is our core product and what we sell. We need v1 live by March. Build or buy?")
    assert a.verdict == "build"
    assert not any("protects the date" in i for i in _circumstances(a))


def test_a_yes_or_no_on_a_plan_answers_it_first_and_keeps_the_shortlist(advisor):
    a = advisor.ask("3 ranking models, labels arrive within 7 days. choosing between evidently and arize for "
                    "monitoring. 2 ml engineers.")
    b = advisor.ask("head of data says skip both, just build drift checks as datadog custom metrics. yes or no?",
                    a.conversation_id)
    assert b.verdict == "buy" and b.lead.startswith("No.")
    (options,) = [s for s in b.sections if s.kind == "options"]
    assert len(options.items) == 2 and not any("WhyLabs" in i for i in options.items)


def test_a_choice_with_what_to_build_regardless_answers_the_choice_and_the_part(advisor):
    a = advisor.ask("Three data scientists, drift is going unnoticed. Evidently or Arize: which one would you "
                    "recommend, and which parts would we still have to build ourselves either way?")
    assert a.act == "vendor" and a.part == "whole" and a.component == "ml-monitoring"
    assert any(s.kind == "comparison" for s in a.sections)
    (build,) = [s for s in a.sections if s.kind == "build"]
    assert "ground-truth" in build.text.lower() or "feedback" in build.text.lower()


def test_is_it_really_cheaper_is_the_cost_question_with_the_costs_comparisons_forget(advisor):
    a = advisor.ask("Our team of 3 pays about 16.000 EUR a month for GPT-4o. The CTO wants to run Llama 70B "
                    "ourself on rented GPUs. Is this really cheaper when we count everything? Which costs we forget?")
    assert a.act == "cost" and a.component == "llm-inference"
    items = next(s.items for s in a.sections if s.title == "What building really costs")
    assert "running GPUs" in items[0]  # the row's own word on what self-hosting costs, first


def test_regulation_without_a_rule_on_where_data_lives_is_not_called_residency(advisor):
    bank = advisor.ask("We're a US bank and our model risk team (SR 11-7) audits every model. Should we build a "
                       "model registry or buy one?")
    assert "regulated" in bank.conditions
    first = bank.lead.split(".")[0]
    # said in the asker's own terms (the regime they named) or as a sector's regulation, never as a residency rule
    assert "residency" not in first and ("rules you described" in first or "SR 11-7" in first), bank.lead
    eu = advisor.ask("Our client data must stay inside the EU and on our own servers. Model registry: build or buy?")
    assert "data-residency" in eu.lead.split(".")[0], eu.lead


def test_a_product_they_already_bought_is_not_sold_to_them_again(advisor):
    a = advisor.ask("We bought Arize last quarter for our 3 fraud models. Chargebacks arrive 60 days later. What "
                    "do we build and what do we leave to Arize?")
    assert a.part == "ground-truth"
    (connect,) = [s for s in a.sections if s.title.startswith("How it connects")]
    assert connect.title.endswith("you have") and connect.text.startswith("Arize AI, which you already have, covers")
    assert_citations_resolve(a)


def test_owned_gpus_get_a_scheduler_not_rented_cloud_advice(advisor):
    a = advisor.ask("5 researchers share 2 boxes with 8x A100 each in a colo rack and keep killing each other's "
                    "jobs. One engineer wants to write a little scheduler in Go. Bad idea?")
    assert a.verdict == "buy" and a.component == "gpu-orchestration"
    assert a.lead.startswith("Yes: don't build it yourselves."), a.lead
    assert "rented" not in a.text and "SkyPilot launching" not in a.text


def test_a_note_sentence_names_the_component_once(advisor):
    a = advisor.ask("We're adopting Feast for 12 models. How do we roll it out and what should we measure to know "
                    "it worked?")
    assert a.component == "feature-store"
    assert a.text.count("For a feature store,") <= 1, a.text
