"""Classes of question fixed in the sixth 2026-12-06 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.option_costs import cost_options
from advisor.quantities import extract


def test_a_role_written_as_two_fields_is_one_team():
    q = extract("we are 22 ML/data engineers across two sites")
    assert [(x.kind, x.value) for x in q] == [("engineers", 22.0)]


def test_renting_machines_a_few_times_a_year_is_no_request_rate():
    assert not [x for x in extract("we rent GPUs on Lambda in bursts a few times a year") if x.kind == "traffic_rps"]


def test_a_count_before_a_price_is_what_the_price_buys():
    options = cost_options([("(a) keep renting at $12k a month; (b) buy 3 servers with 8 GPUs each, about $900k "
                             "all in, plus colo at $3k/month")])
    once = [line.once for o in options for line in o.lines if line.once]
    assert once and max(once) == 900_000


def test_money_spent_over_a_span_is_a_yearly_rate():
    options = cost_options([("Over the last 3 months of testing: (a) on-demand cloud, we spent $30k; (b) a reserved "
                             "cluster at $8k a month")])
    yearly = [line.per_year for o in options for line in o.lines if line.per_year]
    assert 120_000 in [round(y) for y in yearly]


def test_a_rule_told_as_a_wish_is_no_data_rule(advisor):
    r = advisor.reader.read("Our lawyers would prefer that support chats stay in Brazil, but it is only a "
                            "preference, not a legal requirement. Self-host an open model or keep the API?")
    assert "regulated" not in r.conditions


def test_a_binding_rule_stays_a_data_rule(advisor):
    r = advisor.reader.read("Support chats must stay in Brazil by law. Self-host an open model or keep the API?")
    assert "regulated" in r.conditions


def test_case_law_and_law_firms_are_no_rule(advisor):
    r = advisor.reader.read("We build retrieval over case law for small law firms; each firm sees only its own "
                            "briefs. Is pgvector enough or do we need a vector database?")
    assert "regulated" not in r.conditions


def test_twenty_engineers_named_by_two_fields_are_past_the_early_stage(advisor):
    r = advisor.reader.read("We're a logistics group, 20 data/ML engineers on AWS. Should we buy an ML platform?")
    assert "early-stage" not in r.conditions


def test_products_in_the_weighing_sentence_name_the_row(advisor):
    a = advisor.ask("Six squads call OpenAI, Anthropic and Mistral straight from their services with their own "
                    "keys. We're weighing LiteLLM vs Portkey vs a small proxy of our own; what would you do?")
    assert a.component == "llm-gateway"


def test_a_cloud_named_in_passing_adds_no_second_row(advisor):
    a = advisor.ask("Our data lake is on AWS. For scoring loan applications we shortlisted SageMaker endpoints, "
                    "BentoML and KServe. Which of the three should we pick, or do we write our own?")
    assert a.component == "model-serving"
    assert not any(s.kind == "reasons" and s.title == "Each of them" for s in a.sections)


def test_a_tool_in_place_of_another_row_does_not_settle_the_part_weighed(advisor):
    a = advisor.ask("We already have Grafana for service latency. For drift on our 9 churn models, Fiddler quoted "
                    "$40k a year; the other idea is Evidently. Which one?")
    assert a.component == "ml-monitoring"
    assert a.part != "ground-truth"
    assert a.verdict == "buy"


def test_products_weighed_against_a_table_we_would_build_is_a_pick(advisor):
    a = advisor.ask("Our 20 models sit in GCS folders today. Vertex AI Model Registry, MLflow, or a little "
                    "Postgres table we write ourselves?")
    assert a.component == "model-registry"
    assert a.act in ("vendor", "verdict")
    assert a.part != "promotion-policy"


def test_how_to_count_the_cost_leads_with_the_method(advisor):
    a = advisor.ask("I must take a build-vs-buy cost comparison for our feature store to finance. How do we "
                    "calculate the total cost, and which line items do teams forget?")
    assert a.act == "cost"
    assert "horizon" in a.lead and "first version" in a.lead
    assert not a.lead.lower().startswith(("buy", "build"))


def test_a_smaller_team_in_a_what_if_keeps_the_part_and_is_named_back(advisor):
    first = advisor.ask("Telecom in Lima, 30 data scientists. The CTO wants our own ML platform on Kubernetes run "
                        "by 5 platform engineers, or we buy Databricks. Which?")
    a = advisor.ask("What if we only keep 2 platform engineers?", first.conversation_id)
    assert a.part == first.part
    assert a.verdict == first.verdict
    assert "2 platform engineers" in a.lead


def test_a_sellers_benchmark_figures_are_not_the_askers_load(advisor):
    r = advisor.reader.read("Our one model is called about 900 times a day. A salesperson showed us their server "
                            "handling 20,000 requests a second in a demo. Do we need a serving platform?")
    assert "scale" not in r.conditions


def test_a_bare_build_question_is_yes_or_no(advisor):
    a = advisor.ask("The vendor's blog claims custom CUDA kernels double throughput, so our lead wants a custom "
                    "optimisation layer on top of Triton. We have no production traffic yet. Write that layer now?")
    assert a.act == "verdict"
    assert a.part == "optimisation"


def test_a_part_named_in_a_follow_up_stays_on_the_thread(advisor):
    first = advisor.ask("Nightly ETL for our churn models at a Tbilisi bank: build or buy the pipelines?")
    a = advisor.ask("Only the scheduling part then: is that ours to write?", first.conversation_id)
    assert a.component == "data-pipeline"
    assert a.part == "orchestration"


def test_facts_withdrawn_mid_thread_keep_its_subject(advisor):
    first = advisor.ask("We serve one demand model at about 300 calls a day. Build or buy the serving?")
    advisor.ask("Next year maybe ten models on GPUs at 4,000 requests a second.", first.conversation_id)
    a = advisor.ask("Scrap that plan, the contract fell through; still one model, 300 calls a day. So?",
                    first.conversation_id)
    assert a.component == "model-serving"


def test_a_withdrawn_approval_brings_the_rule_back(advisor):
    first = advisor.ask("Our regulator keeps customer data in Chile. LLM inference for our claims bot: build or buy?")
    advisor.ask("Update: compliance approved Bedrock in the Santiago region.", first.conversation_id)
    a = advisor.ask("Sorry, legal revoked that approval today. What now for LLM inference?", first.conversation_id)
    assert "regulated" in a.conditions
