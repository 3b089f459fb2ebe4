"""Classes of question fixed in the seventh 2026-12-06 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from pathlib import Path

from advisor.quantities import implications, load_thresholds

THRESHOLDS = load_thresholds(Path(__file__).resolve().parents[1] / "knowledge" / "understanding" / "quantities.yaml")


def test_a_few_dozen_models_are_scale_for_serving_but_not_for_a_registry():
    from advisor.quantities import extract

    found = extract("we have 30 models in production")
    assert implications(found, THRESHOLDS.for_component("model-serving")).get("scale") == "stated"
    assert implications(found, THRESHOLDS.for_component("model-registry")).get("scale") != "stated"
    assert implications(found, THRESHOLDS.for_component("ml-monitoring")).get("scale") != "stated"
    # Hundreds of models to watch or register are scale for those rows too.
    many = extract("we have 400 models in production")
    assert implications(many, THRESHOLDS.for_component("ml-monitoring")).get("scale") == "stated"


def test_monitoring_two_dozen_models_is_no_scale(advisor):
    r = advisor.reader.read("Fiddler, Arize or Evidently for our 24 sales-forecasting models? Which would you pick?")
    assert r.component == "ml-monitoring"
    assert "scale" not in r.conditions


def test_what_follows_or_is_is_what_enough_judges(advisor):
    a = advisor.ask("We compute every churn score in a nightly Spark job and write it to a Postgres table the "
                    "CRM reads. Do we really need a serving platform (KServe, Seldon or similar) or is that "
                    "table enough for now?")
    assert a.act == "enough"
    first = a.lead.split(".")[0]
    assert "Seldon" not in first and "KServe" not in first  # the products are the alternative, not what is judged
    assert "Spark" not in first  # nor the job that fills the table


def test_a_row_named_outright_beats_a_warehouse_in_the_background(advisor):
    a = advisor.ask("Our freelancer's Python scripts copy vessel positions and port-call data into BigQuery every "
                    "hour; he has gone and two scripts broke last month. Airbyte Cloud, Fivetran, or rewrite them "
                    "ourselves with an orchestrator: which is cheapest over three years?")
    assert a.component == "data-pipeline"


def test_a_warehouse_weighed_in_the_asking_sentence_stays_the_subject(advisor):
    r = advisor.reader.read("We load everything with Airflow today. Should we stay on Redshift or move to "
                            "Snowflake?")
    assert r.component is None and r.other_component


def test_point_in_time_training_sets_and_fast_lookups_describe_a_feature_store(advisor):
    a = advisor.ask("Each player aggregate is coded twice, once in Python for training and once in Go in the "
                    "betting service, and the two drifted apart. We want each aggregate defined once, readable in "
                    "a few milliseconds online, with point-in-time correct training sets. Buy, open source, or "
                    "build it on Redis?")
    assert a.component == "feature-store"


def test_a_skew_follow_up_stays_on_the_feature_store(advisor):
    first = advisor.ask("Should we buy Tecton for our bidding models? 6 ML engineers, features land in Redis.")
    a = advisor.ask("OK, we keep our own. What do we build to stop training-serving skew? Twice the training "
                    "join used feature values from after the event.", first.conversation_id)
    assert a.component == "feature-store"


def test_the_company_age_says_the_stage():
    from advisor.quantities import extract

    young = extract("four names on the payroll, company registered eleven weeks ago")
    assert implications(young, THRESHOLDS).get("early-stage") == "stated"
    old = extract("we are a bootstrapped business: 14 years old, 60 people, cash is always tight")
    assert implications(old, THRESHOLDS).get("early-stage") == "negated"
    assert not [q for q in extract("the model is 3 years old") if q.kind == "company_age_months"]
    # A small team inside an old company is still a small team.
    small = extract("we are 3 data scientists at a 40-year-old insurer")
    assert implications(small, THRESHOLDS).get("early-stage") == "stated"


def test_money_counted_coin_by_coin_is_a_tight_budget(advisor):
    r = advisor.reader.read("small bakery co-op in guatemala, we count every quetzal at the moment. should we "
                            "build our own tool to tag pastry photos or use an existing one?")
    assert "budget" in r.conditions


def test_a_fear_of_being_welded_to_one_cloud_is_lock_in(advisor):
    r = advisor.reader.read("Cost is not a problem for us. My worry is ending up welded to a single cloud's "
                            "proprietary services and paying whatever they ask in five years. ML platform: build, "
                            "buy or assemble?")
    assert "lock-in" in r.conditions


def test_control_wanted_one_day_is_control_later(advisor):
    r = advisor.reader.read("Nothing we handle is sensitive and the API bill is small. The CTO's argument for "
                            "hosting open-weight models ourselves is that eventually we will want control over the "
                            "model roadmap. Should we self-host?")
    assert "control-later" in r.conditions
    assert "production-evidence" not in r.conditions


def test_the_gpus_a_team_trains_on_are_no_load_for_its_tracker(advisor):
    r = advisor.reader.read("Nine of us train on our own 32 H100s. Our hosted tracker is shutting down: move to "
                            "W&B or self-host MLflow?")
    assert r.component == "experiment-tracking"
    assert "scale" not in r.conditions


def test_a_lock_in_worry_picks_the_tool_that_comes_both_ways(advisor):
    a = advisor.ask("Our tracking vendor was acquired and is shutting its service down, and we never want to be "
                    "stranded like that again. Weights & Biases or self-hosted MLflow for our 6 researchers?")
    assert "lock-in" in a.conditions
    assert a.lead.lower().split(":")[0].count("mlflow") or "pick MLflow" in a.lead
    assert "pay for Weights & Biases" not in a.lead


def test_the_tool_in_the_asking_sentence_is_what_enough_judges(advisor):
    a = advisor.ask("We run a support chatbot and already pay for Datadog APM; two of our engineers would prefer "
                    "Langfuse. Is Datadog enough for tracing our LLM calls, or do we need a dedicated tool?")
    assert a.component == "llm-observability"
    assert "Langfuse is a sound choice" not in a.lead
    assert a.lead.startswith("Datadog")


def test_a_product_the_thread_already_named_keeps_the_subject(advisor):
    first = advisor.ask("Our 5 models are served on Vertex AI endpoints and the bill keeps rising. Move serving to "
                        "our own GKE cluster with KServe, or stay on Vertex?")
    a = advisor.ask("Suppose we move and our only DevOps engineer quits next year. How hard would it be to go back "
                    "to Vertex then, and what should we do now to keep that option?", first.conversation_id)
    assert first.component == "model-serving"
    assert a.component == "model-serving"
    assert a.act == "switch"


def test_scores_made_overnight_answer_whether_serving_is_needed(advisor):
    a = advisor.ask("We score 12,000 insurance claims overnight and the adjusters read the scores from a table "
                    "each morning. Build or buy model serving?")
    assert a.component == "model-serving"
    assert "pipeline step that writes predictions to a table" in a.lead


def test_a_batch_table_is_enough_only_for_what_can_wait(advisor):
    a = advisor.ask("Our churn scores are computed nightly in a Spark job and written to a table the app reads. "
                    "Marketing now wants offers that react to what a customer did in the last few minutes. Do we "
                    "need a serving platform, or is the nightly table enough?")
    assert a.act == "enough"
    assert a.lead.startswith("Only for what can wait")
    assert "request time" in a.lead


def test_scoring_told_as_real_time_is_no_batch_situation(advisor):
    r = advisor.reader.read("We score card payments in real time, 300 a second, and retrain nightly. Serving: "
                            "build or buy?")
    a = advisor.ask("We score card payments in real time, 300 a second, and retrain nightly. Serving: build or buy?")
    assert r.component == "model-serving"
    assert "writes predictions to a table" not in a.lead


def test_a_row_listed_in_brackets_among_a_suites_pieces_is_not_the_subject(advisor):
    r = advisor.reader.read("Our analytics group went all-in on SageMaker three years ago (Studio, Pipelines, "
                            "endpoints, Model Registry). The bill has doubled and the new CIO likes Databricks. Stay on "
                            "SageMaker, move to Databricks, or build our own platform on Kubernetes?")
    assert r.component == "ml-platform"


def test_a_gateway_described_in_front_of_named_providers_is_the_gateway(advisor):
    r = advisor.reader.read("Nine departments each have their own contract with Azure OpenAI or Mistral and nobody "
                            "knows the total spend. We want one shared service that all their apps send model calls "
                            "through, with quotas and billing per department and audit logs. Build it or buy it?")
    assert r.component == "llm-gateway"


def test_line_items_asked_after_the_numbers_get_the_method(advisor):
    first = advisor.ask("We train for about 10 days a month on 16 H100s rented from a cloud. Buy our own GPUs into a "
                        "colo, or keep renting?")
    a = advisor.ask("Finance wants a 3-year cost comparison of both options. Which line items belong in it, and "
                    "which assumptions would flip it?", first.conversation_id)
    assert a.act == "cost"
    assert a.lead.startswith("Put both sides on the same horizon")


def test_a_regression_run_on_prompt_changes_is_llm_evaluation(advisor):
    r = advisor.reader.read("We extract fields from contracts with an LLM. Each time we change the prompt or the "
                            "model version we must show accuracy did not drop; today two people re-check 150 "
                            "documents by hand. We want something that runs our labelled set automatically and "
                            "reports field-level accuracy. Build it, use open source, or buy?")
    assert r.component == "llm-observability"


def test_serving_adapters_already_tuned_is_not_the_fine_tuning_part(advisor):
    a = advisor.ask("Each of our 80 customers has its own LoRA adapter, fine-tuned on their past emails, on top of "
                    "one 8B model. Serve them from a serverless multi-LoRA provider, or run vLLM with multi-LoRA on "
                    "our own GPUs?")
    assert a.component == "llm-inference"
    assert a.part != "fine-tuning"
    b = advisor.ask("Should we fine-tune an open model on our support tickets or keep prompting a hosted one?")
    assert b.part == "fine-tuning"
