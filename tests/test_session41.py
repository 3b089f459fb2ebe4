"""Classes of question fixed in the fourth 2026-12-07 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.lexicon import normalize
from advisor.quantities import extract


def test_how_often_training_runs_is_no_traffic():
    assert not [q for q in extract(normalize("We retrain the demand models three times a week.")) if q.kind == "traffic_rps"]
    assert not [q for q in extract(normalize("we fine-tune small models maybe once a month")) if q.kind == "traffic_rps"]
    # Calls still count: how often a model is asked is its traffic.
    assert [q for q in extract(normalize("The dispatch screen calls it about 40 times a day.")) if q.kind == "traffic_rps"]


def test_a_count_for_each_thing_is_the_data_grain_not_its_volume():
    assert not extract(normalize("The job writes one record per vessel per day for the forecast."))
    assert [q.value for q in extract(normalize("We label 4,000 images per day."))] == [4000.0]


def test_a_few_machines_of_gpus_shared_by_a_lab_are_no_scale(advisor):
    r = advisor.reader.read("Our lab shares 24 GPUs between three research groups through a calendar. Write a small "
                            "queueing tool ourselves or adopt an existing scheduler?")
    assert "scale" not in r.conditions
    r = advisor.reader.read("About 90 researchers share 400 GPUs across two clusters. Write a queueing tool ourselves "
                            "or adopt an existing scheduler?")
    assert "scale" in r.conditions


def test_a_judged_cost_claim_or_the_real_tco_is_the_cost_act(advisor):
    r = advisor.reader.read("We pay about $30k a month for GPT-4.1 through the API. Our architect claims self-hosting "
                            "Llama on rented GPUs would cost half. Is that saving realistic? What does the full TCO of "
                            "each route look like?")
    assert r.act == "cost"


def test_a_background_either_or_asks_nothing_before_the_cost(advisor):
    r = advisor.reader.read("The team wants to run Mistral or Qwen ourselves on rented H100s. Our bill is $20k a month "
                            "with a hosted API. What would each option really cost us over two years?")
    assert r.act == "cost"


def test_a_pilot_set_between_options_is_an_evaluation(advisor):
    r = advisor.reader.read("We are choosing between an annotation vendor and our own crew of nurses labelling in CVAT. "
                            "We'd like a fair six-week pilot comparing them. How do we set it up, and what outcome should "
                            "make us pick one?")
    assert r.act == "evaluate"
    # A pilot of one choice before going wide is its rollout.
    r = advisor.reader.read("We picked Arize for monitoring. We'll pilot it on two models for a month before all "
                            "twelve. What should we track to decide whether to go wide?")
    assert r.act != "evaluate"


def test_what_changes_if_supposes_a_fact(advisor):
    r = advisor.reader.read("Our training jobs run on rented A100s in AWS Frankfurt. What changes if a hospital client "
                            "insists its scans never leave the Netherlands?")
    assert r.act == "what-if"


def test_a_spending_freeze_is_a_tight_budget(advisor):
    first = advisor.ask("Freight forwarder, 25 data scientists on Azure. One ML platform or assemble our own?")
    a = advisor.ask("Update: finance froze spending, so no new software licences this year.",
                    conversation_id=first.conversation_id)
    assert "budget" in a.conditions


def test_control_for_a_named_future_year_is_control_later(advisor):
    r = advisor.reader.read("Our architect wants us to write our own feature store so that whatever we need in 2031 we "
                            "can build it ourselves. Feast covers everything today. Is he right?")
    assert "control-later" in r.conditions


def test_a_data_rule_that_no_longer_applies_ends_the_regulation(advisor):
    first = advisor.ask("We label call recordings for a speech model and, under GDPR, the audio may not leave our "
                        "servers. Labelling: build or buy?")
    assert "regulated" in first.conditions
    a = advisor.ask("Legal checked again: the voices are anonymised before storage, so the recordings are not personal "
                    "data any more and can go to an outside vendor after all.", conversation_id=first.conversation_id)
    assert "regulated" not in a.conditions


def test_data_protection_laws_of_more_countries_are_regulation(advisor):
    for law in ("Korea's PIPA", "Nigeria's NDPA", "the Philippine Data Privacy Act"):
        r = advisor.reader.read(f"Under {law} our customer embeddings stay in our own data centre. Vector search: "
                                "build or buy?")
        assert "regulated" in r.conditions, law


def test_a_cost_asked_beside_a_move_gets_the_cost_answer(advisor):
    first = advisor.ask("We are 10 data scientists moving off a tracker that is shutting down. MLflow self-hosted or "
                        "W&B self-managed?")
    a = advisor.ask("My manager asks two things: must we move the 20,000 archived runs at all, and if so, how? And "
                    "what would self-hosted MLflow on our Kubernetes cost a year in engineer time next to a W&B "
                    "licence?", conversation_id=first.conversation_id)
    titles = [s.title for s in a.sections]
    assert a.act == "switch"
    assert any("cost" in t.lower() for t in titles), titles


def test_risks_asked_of_uncovered_infrastructure_are_answered(advisor):
    a = advisor.ask("We need realistic test data for our insurance core system and the DPO suggested a synthetic data "
                    "generator. What are the risks of that, and should we buy a tool or build one ourselves?")
    assert a.component is None
    assert any(s.title.startswith("Risks") for s in a.sections)


def test_is_the_tool_we_run_enough_is_not_answered_with_a_hosting_choice_told_in_passing(advisor):
    a = advisor.ask("Our chatbot runs on Azure OpenAI and the whole company is on Datadog, which now has LLM "
                    "Observability. Two of our engineers would rather self-host Langfuse or Arize Phoenix. Is Datadog "
                    "enough for tracing and evals, or do we need another tool?")
    assert a.lead.startswith("Datadog")


def test_alerts_nobody_reads_get_the_notes_line_on_alert_noise(advisor):
    first = advisor.ask("We have 8 recommendation models in production and no ML monitoring. Evidently OSS or Arize?")
    a = advisor.ask("Say we go with Evidently. What are the risks, and how do we keep from drowning in drift alerts "
                    "that people just mute?", conversation_id=first.conversation_id)
    alerts = next(s for s in a.sections if s.title == "What to alert on")
    assert any("stopped reading" in x or "ignored" in x for x in alerts.items)


def test_managed_or_run_it_ourselves_asked_beside_the_pick_is_answered(advisor):
    a = advisor.ask("Two data engineers, about 30 Python jobs in cron on one VM, and money is tight. Airflow, Dagster "
                    "or Prefect? And should we pay for the managed version or run it ourselves?")
    assert any(s.title.startswith("Managed or run it yourselves") for s in a.sections)
    r = advisor.reader.read("We self-host Airflow on our cluster today. Which tool should we use for data quality "
                            "checks?")
    assert "hosting" not in r.also


def test_the_kind_whose_products_they_list_is_the_subject_over_the_warehouse_they_run(advisor):
    r = advisor.reader.read("Our product teams run about 30 feature experiments a quarter and analysts write SQL per "
                            "test. Events land in Snowflake. We looked at Statsig, Eppo and a self-hosted GrowthBook. "
                            "Build or buy?")
    assert r.other_component == "experimentation platform"


def test_build_or_buy_then_which_part_asks_the_call_with_the_part_beside_it(advisor):
    r = advisor.reader.read("We want a proper feature-flag driven experimentation setup for our models. Build or buy, "
                            "and if we end up building some of it, which part?")
    assert r.act == "verdict" and "build" in r.also


def test_every_placeholder_a_cost_sum_uses_is_shown_under_it(advisor):
    a = advisor.ask("Management wants a three-year cost comparison for building our own drift monitoring against "
                    "buying a tool. Give us the cost lines and rough numbers.")
    placeholders = next(s for s in a.sections if s.title.startswith("Placeholders"))
    assert any("growth of the maintenance" in x for x in placeholders.items)


def test_risks_of_an_open_source_engine_they_run_are_those_of_running_it(advisor):
    first = advisor.ask("We already run vLLM on 16 H100s in our own colo for document extraction. Just the inference "
                        "engine itself: keep vLLM or write our own engine?")
    a = advisor.ask("OK. What are the main risks of what you recommend, and how do we guard against them?",
                    conversation_id=first.conversation_id)
    titles = [s.title for s in a.sections]
    assert a.verdict == "buy" and a.act == "risks"
    assert "Risks of running it yourselves" in titles and "Risks of buying" not in titles


def test_go_or_stop_numbers_for_a_pilot_ask_for_the_baseline(advisor):
    r = advisor.reader.read("We will pilot the new labelling vendor on one project for six weeks. What should we track, "
                            "and which numbers mean go or stop?")
    assert "baseline" in r.also


def test_a_rollout_names_only_a_product_they_run_or_chose(advisor):
    first = advisor.ask("We tried two hosted LLM APIs, OpenAI and Anthropic, on 300 past support tickets; both were "
                        "fine in English. Use an API with retrieval, or fine-tune an open model?")
    a = advisor.ask("We'll pilot it in one region for six weeks first. How do we roll it out?",
                    conversation_id=first.conversation_id)
    assert not a.lead.startswith("Roll OpenAI")
