"""Classes of question fixed in the fourth 2026-12-06 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.quantities import extract, missed_target


def test_two_parts_of_a_row_weighed_ask_about_the_row(advisor):
    a = advisor.ask("Logistics firm in Porto. Should we standardise on one ML platform, or stitch together separate "
                    "tools ourselves?")
    assert a.component == "ml-platform"
    assert a.part in (None, "whole")
    assert a.verdict == "depends"


def test_one_part_named_alone_is_that_part(advisor):
    a = advisor.ask("Our tooling budget is small. Should we go for one end-to-end ML platform?")
    assert a.part == "platform"


def test_the_part_named_where_it_asks_outranks_the_backgrounds_pains(advisor):
    a = advisor.ask("Three squads call OpenAI and Gemini with their own keys and nobody knows the monthly spend. I'd "
                    "like one central service that all model calls go through. Write it or adopt one?")
    assert a.component == "llm-gateway"
    assert a.part == "gateway"
    assert a.verdict == "buy"


def test_a_provider_count_carried_on_in_ordinals():
    q = {x.kind: x.value for x in extract("Search runs on one model provider, support replies on a second, and "
                                          "the data team is testing a third.")}
    assert q["providers"] == 3


def test_providers_told_across_clauses_are_past_the_simple_case(advisor):
    r = advisor.reader.read("Our tutoring app sends essays to one model vendor, quizzes go to a second, and the voice "
                            "team is piloting a third. Someone wants a single internal proxy in front of them. Build "
                            "or buy?")
    assert "simple" not in r.conditions


def test_a_measure_told_with_its_circumstances_misses_its_target():
    missed = missed_target(extract("The best p99 for feature reads that either vendor managed on our traffic was "
                                   "45 ms; the dispatch loop needs it under 5 ms."))
    assert missed is not None and missed.value == 45


def test_a_shortfall_said_with_a_negative_word_is_evidence(advisor):
    r = advisor.reader.read("We run 30 million vectors on Qdrant. In production we measured p99 of 300 ms against a "
                            "target of 60 ms, and a bake-off of Weaviate and Pinecone never got below 200 ms.")
    assert "production-evidence" in r.conditions
    assert "production-evidence" not in r.negated


def test_a_product_with_nothing_for_the_gap_is_evidence(advisor):
    r = advisor.reader.read("We serve on Seldon. Tokenisation takes 60% of request time, Seldon has nothing that "
                            "addresses it, and its maintainers said it is out of scope for them. Build or buy from here?")
    assert "production-evidence" in r.conditions


def test_servers_in_a_named_country_under_a_rule_is_regulated(advisor):
    for text in ("The ministry's rules keep patients' data on servers in Portugal. Feature store: build or buy?",
                 ("Two models score loan files about 100 times a day. The bank's rules say all customer data stays on "
                  "servers in Kenya. Build the serving ourselves or use a product?"),
                 ("Slovak law and our contracts with the clinics keep the scans on our own servers in Slovakia. Who "
                  "should label them: a managed workforce or our own staff?")):
        assert "regulated" in advisor.reader.read(text).conditions, text


def test_money_counted_coin_by_coin_is_a_tight_budget(advisor):
    for text in ("After a bad harvest the owners cut IT spending to almost nothing. Data pipelines: build or buy?",
                 ("We pay the hosting out of our own savings, so every euro hurts. Should we run our own model or use "
                  "an API?")):
        assert "budget" in advisor.reader.read(text).conditions, text


def test_a_group_of_friends_opening_the_story_is_a_small_team():
    assert {x.kind: x.value for x in extract("Two friends, started in June. We make a flyer app.")}["engineers"] == 2


def test_infrastructure_customers_license_from_us_is_what_they_sell(advisor):
    r = advisor.reader.read("Our Tallinn company sells a workflow engine for factories: it schedules and retries the "
                            "batch steps, and that engine is what plants license from us. Keep building the "
                            "orchestration ourselves or move onto Airflow?")
    assert "core-differentiator" in r.conditions


def test_machines_given_back_are_no_longer_owned(advisor):
    first = advisor.ask("We have 32 GPUs of our own in a colo rack and train weather models. Should next year's "
                        "training compute stay on our machines or be rented?")
    a = advisor.ask("Correction: the GPUs belong to our former parent company and go back to them in March. After "
                    "that we own no hardware at all. Same question.", first.conversation_id)
    assert a.verdict == "buy"


def test_which_product_then_asks_for_the_pick(advisor):
    first = advisor.ask("Should we write our own vector index for the catalogue search of a tea exporter?")
    a = advisor.ask("Which database, then, given that our lawyers say customer data has to stay on our own servers "
                    "in Kenya?", first.conversation_id)
    assert a.act == "vendor"
    assert "regulated" in a.conditions


def test_a_how_that_tells_the_need_before_build_or_buy_asks_the_call(advisor):
    r = advisor.reader.read("An LLM writes the product descriptions in our shop. How do we keep checking they are any "
                            "good as things change - build our own checking setup or buy a tool?")
    assert r.act == "verdict"


def test_outputs_gone_wrong_unseen_are_a_monitoring_question(advisor):
    a = advisor.ask("Our yield forecasts for the mango orchards went badly wrong after the cyclone and nobody noticed "
                    "for a month. Build something that would have caught it, or buy one?")
    assert a.component == "ml-monitoring"
    assert a.verdict == "buy"


def test_lock_in_told_in_the_storys_words(advisor):
    for text in ("I'm wary of tying every training script to one vendor's scheduler. Should we write our own?",
                 "The board wants an exit path from any platform we adopt. ML platform: build or buy?",
                 ("Our last vendor was acquired and the product was shut down within a year. Feature store: build or "
                  "buy this time?"),
                 "Four of us. We don't want to marry one model provider. Gateway: build or buy?"):
        assert "lock-in" in advisor.reader.read(text).conditions, text


def test_lock_in_waved_away_is_negated(advisor):
    r = advisor.reader.read("Our advisor keeps asking about lock-in, but honestly none of us care: trackers are easy "
                            "to swap. Experiment tracking: build or buy?")
    assert "lock-in" not in r.conditions


def test_a_hosted_deployment_cleared_by_compliance_is_the_rules_exception(advisor):
    first = advisor.ask("We're a Zurich insurer. Client data may not leave Switzerland under FINMA rules. We want an "
                        "assistant that drafts claim letters, about 2,000 requests a day. Self-host an open model or "
                        "use a hosted API?")
    a = advisor.ask("Update: compliance confirmed that Azure OpenAI in Switzerland North is acceptable under our "
                    "outsourcing agreement. Does your answer change?", first.conversation_id)
    assert first.verdict != "buy"
    assert a.verdict == "buy"
    assert a.lead.startswith("That moves the verdict from")
    assert "compliance review" in a.lead


def test_is_the_tool_we_run_enough_judges_that_tool_not_the_products_before_it(advisor):
    a = advisor.ask("We run Elasticsearch for ticket search and it has vector search. About 20M chunks. Do we need a "
                    "separate vector DB (Qdrant / Pinecone) or is Elasticsearch enough?")
    assert a.act == "enough"
    assert a.lead.startswith("Elasticsearch")
    assert "Pinecone is not what fits" not in a.lead


def test_the_model_as_the_product_answers_a_claim_that_the_infrastructure_is_core(advisor):
    first = advisor.ask("We forecast solar output and own 2 GPU nodes. A researcher wants to write our own distributed "
                        "training framework instead of PyTorch Lightning. Should we?")
    a = advisor.ask("He says it's our edge: the forecasts are what we sell to our clients, so the training stack is "
                    "core. Is he right?", first.conversation_id)
    assert a.lead.startswith("No. Your edge is the model and its data")


def test_me_plus_colleagues_is_a_team_that_includes_the_asker():
    q = {x.kind: x.value for x in extract("we're 3 ppl (me + 2 DS) at a travel startup")}
    assert q["engineers"] == 3


def test_models_still_to_come_are_no_count_of_what_they_run():
    assert not [x for x in extract("we may add 4 more models next year") if x.kind == "models"]


def test_asking_what_to_offer_a_hire_is_not_selling_infrastructure(advisor):
    r = advisor.reader.read("What salary should we offer an MLOps engineer for our GPU servers?")
    assert "core-differentiator" not in r.conditions


def test_a_cost_question_weighing_self_hosting_against_a_quote_gives_the_sums(advisor):
    a = advisor.ask("Need a 3-year TCO for our exec team: W&B vs self-hosted MLflow. Legal requires our results stay "
                    "in Germany. W&B quoted a dedicated cloud in Frankfurt at USD 200k/year for 30 seats. Alternative: "
                    "MLflow on our EKS cluster. Our platform team estimates 4 weeks to set it up. A platform engineer "
                    "costs us EUR 150k/year fully loaded. Give me the numbers both ways.")
    assert a.act == "cost"
    assert a.lead.startswith("Running MLflow yourselves")
    assert "over three years" in a.lead


def test_pay_and_hiring_questions_are_declined_with_their_reason(advisor):
    first = advisor.ask("Six of us track experiments in spreadsheets. MLflow self-hosted, W&B or Comet?")
    a = advisor.ask("Different question: what salary should we offer an MLOps engineer in Oslo, and is it better to "
                    "hire or to keep a consultancy on retainer?", first.conversation_id)
    assert a.refused
    assert "no salary data" in a.lead


def test_a_growth_supposed_multiplies_the_loads_told_before(advisor):
    first = advisor.ask("Support SaaS: about 30M chunks in OpenSearch with the k-NN plugin. Do we need a separate vector "
                        "DB or is OpenSearch enough?")
    a = advisor.ask("What if we grow 10x in two years?", first.conversation_id)
    assert "scale" in a.conditions
    assert a.act == "what-if"


def test_what_if_we_just_use_a_product_of_the_row_judges_that_product(advisor):
    first = advisor.ask("Our support chatbot runs on GPT-4o with RAG over our manuals. We need tracing and evals for "
                        "it; call transcripts must stay in our own Azure tenant. Build or buy?")
    a = advisor.ask("What if we just self-host Arize Phoenix next to our Elastic and buy nothing?",
                    first.conversation_id)
    assert a.lead.startswith("No reason not to: Arize Phoenix fits this.")
