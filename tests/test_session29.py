"""Classes of question fixed in the seventh 2026-12-05 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.quantities import extract


def test_the_askers_trade_is_not_the_infrastructure_asked_about(advisor):
    a = advisor.ask("We're a small OCR company in Lyon, 7 ML people. We have 12 GPUs in three workstations in our "
                    "office and runs keep colliding when two people use the same card. Write a job queue ourselves "
                    "or use something ready?")
    assert a.component == "gpu-orchestration"
    assert not a.refused


def test_gpus_in_the_office_are_theirs(advisor):
    r = advisor.reader.read("We have 10 GPUs in two workstations in our office server room. Who should schedule them?")
    assert r.owns_hardware


def test_a_turn_that_only_tells_mid_conversation_is_not_refused(advisor):
    a = advisor.ask("We have 8 GPUs in one server in our lab and four researchers fighting over them. Build a queue "
                    "or install a scheduler?")
    b = advisor.ask("the server runs plain Debian, no containers, and nobody here knows Kubernetes.",
                    a.conversation_id)
    assert not b.refused
    assert b.component == a.component


def test_does_the_answer_change_keeps_the_subject(advisor):
    a = advisor.ask("Our team shares 16 GPUs in our own server room. Should we write our own scheduler?")
    assert a.component == "gpu-orchestration"
    b = advisor.ask("What if next year we sell the servers and train everything on rented cloud GPUs? Does the answer "
                    "change?", a.conversation_id)
    assert b.component == "gpu-orchestration"


def test_a_tool_they_would_get_is_not_a_tool_they_run(advisor):
    r = advisor.reader.read("Two analysts, three models. Do we need an ML platform like Databricks or SageMaker, or "
                            "is that overkill?")
    assert "Databricks" not in r.stack
    r = advisor.reader.read("We run everything on Databricks. Do we need a separate feature store?")
    assert "Databricks" in r.stack


def test_a_proposal_for_a_far_future_need_when_what_they_run_covers_it(advisor):
    a = advisor.ask("We run Elasticsearch for our help-centre search and want semantic search over 200k articles. "
                    "Elasticsearch's vectors or a vector database?")
    b = advisor.ask("A colleague wants us to self-host Milvus now because one day we might index billions of images; "
                    "no such project exists. Is he right?", a.conversation_id)
    assert b.lead.startswith("Not yet")
    assert "Elasticsearch" in b.lead


def test_risks_of_a_self_hosting_plan_are_the_risks_of_running_it(advisor):
    a = advisor.ask("Our plan: buy two GPU servers, self-host an open-weight model with vLLM for our support "
                    "assistant, and fine-tune it on our transcripts. None of us has run LLM inference before. What "
                    "are the main risks of this plan?")
    assert a.act == "risks"
    assert "self-host" in a.lead.lower()
    assert "risk of buying" not in a.lead.lower()


def test_what_to_build_and_what_to_buy_of_a_split_row_is_the_split(advisor):
    a = advisor.ask("Three of us, a young company doing freight forecasts. For our data pipelines, what should we "
                    "build and what should we buy?")
    assert a.component == "data-pipeline"
    assert a.verdict == "hybrid" and a.part in (None, "whole")


def test_rates_with_two_kinds_joined_and_frequencies_that_are_no_calls():
    assert [(q.kind, q.value) for q in extract("about 20,000 search and ranking calls a second")] == \
        [("traffic_rps", 20000.0)]
    assert not [q for q in extract("the mill sends its production figures once a week") if q.kind == "traffic_rps"]


def test_a_team_that_has_models_is_no_team_size():
    kinds = {q.kind: q.value for q in extract("My team has two models at about 500 requests a day")}
    assert "engineers" not in kinds and kinds["models"] == 2.0
    assert {q.kind: q.value for q in extract("our team has 6 engineers")}["engineers"] == 6.0


def test_part_of_a_person_priced_by_a_loaded_year_said_apart():
    from advisor.unit_prices import priced

    text = ("Their plan costs EUR 9,000 per month in nodes, plus half of an MLOps engineer to run it. An MLOps "
            "engineer costs us EUR 120,000 per year fully loaded.")
    found = priced([text])
    people = [p for p in found if p.kind == "people"]
    assert len(people) == 1 and people[0].count == 0.5 and round(people[0].monthly) == 5000


def test_a_cost_question_sums_the_option_with_its_people(advisor):
    a = advisor.ask("Our eight models each have their own managed endpoint and the bill is about EUR 20,000 per month. "
                    "The platform team proposes moving them to KServe on our Kubernetes cluster: EUR 6,000 per month "
                    "in nodes, plus half of an MLOps engineer to run it. An MLOps engineer costs us EUR 120,000 per "
                    "year fully loaded. What does each option cost per year, and is the move worth it?")
    assert a.act == "cost"
    # 6,000 + 5,000 a month for running it themselves: about 132k a year against 240k
    assert "240k" in a.lead and "132k" in a.lead


def test_mistakes_asked_across_the_decisions_ahead_are_general_guidance(advisor):
    a = advisor.ask("I'm the first ML lead at a port operator, team of four. This year we must decide build or buy "
                    "for experiment tracking, serving and monitoring. What mistakes do teams make in these calls?")
    assert a.act == "general" and a.component is None
    assert any("common-mistake" in c.source for c in a.citations)


def test_a_reason_told_as_a_condition_reads_after_since(advisor):
    a = advisor.ask("Should we self-host an open model or call a hosted API for our tutoring assistant? 3 developers.")
    b = advisor.ask("A ministry offers us free servers, on the condition that student data stays in Chile. Does that "
                    "change it?", a.conversation_id)
    assert "since on the condition" not in b.lead


def test_a_pitch_weighed_against_the_tool_they_run_lists_the_claims_to_measure(advisor):
    a = advisor.ask("We run Slurm on 24 GPUs for 30 researchers and utilisation is about 40%. A partner pitches "
                    "Run:ai and claims \"utilisation goes above 75%\" and \"it pays for itself within a year\". The "
                    "quote is USD 120,000 a year. How much of this should I believe, and how would I test it before "
                    "signing?")
    assert a.act == "evaluate"
    assert "against the Slurm you already run" in a.lead
    assert "pays for itself within a year" in a.lead


def test_a_pushback_the_note_speaks_to_is_answered_with_that_line(advisor):
    a = advisor.ask("Our chatbot runs on a hosted model, 3 developers. Should we buy eval tooling or build our own?")
    b = advisor.ask("Our product owner says the thumbs up and down buttons in the app already are our evaluation, so "
                    "why spend time on more? What do I tell her?", a.conversation_id)
    assert b.act == "why"
    assert "ratings" in b.lead.split("[")[0]


def test_each_option_over_the_asked_horizon_with_seats_and_engineer_days(advisor):
    a = advisor.ask("We're 6 data scientists choosing a tracker. Comet quoted $40 per user per month; we are 6 now and "
                    "will be 10 next year. Self-hosted MLflow would run on a VM at about $200/month, plus 1 day a "
                    "month of an engineer, and an engineer costs us $110,000 a year loaded. What does each option "
                    "cost over the next two years?")
    assert a.act == "cost"
    assert "over two years" in a.lead
    # 40 a seat x (6 + 10) / 2 seats x 24 months = 7,680: growth from 6 to 10 taken as even
    assert "$7,700" in a.lead and "growing evenly" in a.lead


def test_overkill_asked_by_a_small_team_gets_the_lighter_answer_first(advisor):
    a = advisor.ask("We are 2 analysts with 3 models at a furniture maker. Do we need an ML platform like Vertex AI or "
                    "Databricks, or is that overkill?")
    assert a.lead.startswith("Probably overkill")


def test_a_hand_rolled_sync_into_redis_is_answered_with_its_situation(advisor):
    a = advisor.ask("Our ranking features live in BigQuery, and a cron job we wrote copies the latest values into "
                    "Redis every few minutes so the online model can read them at about 900 requests a second; last "
                    "month the job silently stopped for a day. Is that enough, or do we need a feature store?")
    assert a.act == "enough"
    assert "your own script" in a.lead.split("[")[0] and "Feast" in a.lead


def test_the_model_as_the_product_keeps_serving_bought(advisor):
    a = advisor.ask("Our recommendation model is basically our product; people pick us for it. 3k requests a second. "
                    "What exactly do our backend engineers write for serving, and what do we take off the shelf?")
    assert a.component == "model-serving" and a.verdict != "build"
    assert a.lead.startswith("Your edge is the model")


def test_a_payback_claim_is_turned_into_what_it_must_save(advisor):
    a = advisor.ask("We run Slurm on 40 GPUs and a partner pitches Run:ai: they claim \"it pays for itself within 6 "
                    "months\". The quote is USD 200,000 per year. How far should I believe it, and how would I test it?")
    assert "it has to save about USD 100,000" in a.lead
    assert "Kubernetes" in a.lead


def test_a_company_that_sells_the_infrastructure_is_told_to_build_it(advisor):
    a = advisor.ask("Our company sells an LLM gateway to insurers: they route their model calls through it, and that "
                    "gateway is our entire revenue. Should we build it ourselves or on top of an existing one?")
    assert "core-differentiator" in a.conditions and a.verdict == "build"
    b = advisor.ask("Our company sells furniture online. Should we build an LLM gateway?")
    assert "core-differentiator" not in b.conditions
