"""Classes of question fixed in the eighth 2026-12-05 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""


def test_two_products_of_one_row_weighed_name_the_subject_over_background_infrastructure(advisor):
    a = advisor.ask("Grocery chain, 200 stores. Our data sits in BigQuery and the jobs run on Cloud Composer. The "
                    "Databricks sales team offered a two-year contract; our Google rep says we could instead use more "
                    "of Vertex AI. Which of the two should we pick?")
    assert a.component == "ml-platform"
    assert a.lead.split(":")[0].split(",")[-1].strip().startswith("Vertex AI")


def test_infrastructure_without_a_row_is_named_as_itself(advisor):
    a = advisor.ask("We need to know which exact images trained each model. Adopt DVC or lakeFS, or keep our own "
                    "manifest files per run?")
    assert a.component is None and not a.refused
    assert "data versioning tool" in a.subject


def test_owned_gpus_are_hardware_not_a_load(advisor):
    r = advisor.reader.read("We own 32 GPUs in our basement server room. For compute from now on: our own machines, "
                            "rented ones, or both?")
    assert r.owns_hardware
    assert "scale" not in r.conditions


def test_a_law_that_keeps_data_in_the_country_is_regulated(advisor):
    r = advisor.reader.read("Peruvian law keeps our patients' records inside the country. Experiment tracking: build "
                            "or buy?")
    assert "regulated" in r.conditions


def test_a_budget_called_small_is_the_budget_condition(advisor):
    assert "budget" in advisor.reader.read("Tiny budget at our bakery in Lille. Feature store: build or buy?").conditions
    assert "budget" not in advisor.reader.read("Our budget isn't small at all. Feature store: build or "
                                               "buy?").conditions


def test_choosing_between_open_engines_for_a_model_they_will_self_host_is_a_product_choice(advisor):
    a = advisor.ask("We're going to self-host Mistral for our support bot. Which engine, vLLM or TGI?")
    assert a.act == "vendor"


def test_the_submission_command_is_the_job_definitions_part(advisor):
    a = advisor.ask("Forty researchers share 120 GPUs under Slurm. The submission command and job templates they "
                    "use: build or buy?")
    assert a.part == "job-definitions" and a.verdict == "build"


def test_when_their_edge_is_the_build_part_the_rest_is_still_bought(advisor):
    a = advisor.ask("We call three model providers for our support-automation product. Should we adopt LiteLLM or "
                    "write our own gateway?")
    b = advisor.ask("I should add: our pitch to customers is smart per-request routing to the cheapest model that "
                    "meets their quality bar. It is what we compete on.", a.conversation_id)
    c = advisor.ask("So what exactly do we build and what do we take from LiteLLM?", b.conversation_id)
    assert c.verdict == "build"
    assert c.lead.startswith("Build the routing policy")
    bought = " ".join(i for s in c.sections for i in s.items)
    assert "LiteLLM" in bought and "gateway service" in bought


def test_options_priced_by_machine_and_engineer_days_are_summed_per_year(advisor):
    a = advisor.ask("Two of us, no Kubernetes. Pinecone quoted $900 a month, Qdrant Cloud about $700 a month, or "
                    "self-hosted Qdrant on 2 servers at $150 a month each plus about 2 days a month of an engineer "
                    "who costs us $8,000 a month loaded. What is each per year, and which do we take?")
    assert "Qdrant run yourselves about $" in a.lead
    assert "2 machines at $150 a month each" in a.lead


def test_a_gpu_machine_priced_by_the_hour_is_the_machine_not_each_gpu(advisor):
    a = advisor.ask("We train on rented p4d.24xlarge (8x A100) on demand at about $32.77/hour. The alternative is "
                    "8x H100 nodes at $2.99 per GPU-hour from another provider. What does each cost a month?")
    # The machine's hour around the clock (8 GPUs' worth, not 8 x $32.77), beside 8 GPUs at their GPU-hour price.
    assert "$23.9k a month" in a.lead and "$17.5k a month" in a.lead


def test_a_model_reached_through_a_platform_is_one_provider(advisor):
    lex = advisor.reader.lex
    assert lex.providers_together("we translate with claude sonnet via bedrock in seoul") == []
    assert lex.providers_together("our services call openai, anthropic and gemini") == ["openai", "anthropic", "google"]


def test_a_gateway_for_one_app_on_one_provider_is_overkill(advisor):
    a = advisor.ask("One internal app calls GPT-4o through Azure OpenAI, about 1M requests a month, three developers. "
                    "Our architect wants LiteLLM in front of it. Is that overkill, or do we just write a small client "
                    "with retries ourselves? No second provider is planned.")
    assert a.component == "llm-gateway" and a.verdict == "build"
    assert a.lead.startswith("Probably overkill")


def test_options_named_earlier_and_priced_later_are_each_summed(advisor):
    a = advisor.ask("Legal search over 10M clauses. Pinecone, Qdrant Cloud or self-hosted Qdrant?")
    b = advisor.ask("Prices: Pinecone quoted $900 a month, Qdrant Cloud about $700 a month, or self-hosted Qdrant on 2 "
                    "servers at $150 a month each plus about 2 days a month of an engineer who costs us $8,000 a month "
                    "loaded. What is each per year, and which do we take?", a.conversation_id)
    assert "Qdrant Cloud about $" in b.lead and "Qdrant run yourselves about $" in b.lead and "Pinecone about $" in b.lead
