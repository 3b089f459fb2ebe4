"""Classes of question fixed in the first 2026-12-07 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.unit_prices import priced


def test_products_offered_as_options_are_not_in_use(advisor):
    r = advisor.reader.read("Two proposals on the table: buy Dataiku (we're already on GCP) or build our own on GKE "
                            "with Kubeflow and Feast, run by three new hires. Which?")
    assert not {"dataiku", "kubeflow", "feast"} & set(r.running)


def test_a_product_chosen_instead_of_building_is_in_use(advisor):
    r = advisor.reader.read("Two years ago we decided to buy SageMaker as our ML platform instead of building one. "
                            "Which numbers should I show the board to prove it paid off?")
    assert "sagemaker" in r.running
    assert "sagemaker" not in r.rejected


def test_a_rule_told_through_its_verb_is_a_data_rule(advisor):
    r = advisor.reader.read("Our hospital partners require that all scan data is processed in Norway. Should we "
                            "self-host the labelling tool?")
    assert "regulated" in r.conditions
    assert r.data_location


def test_customers_asking_about_sovereignty_is_no_rule(advisor):
    r = advisor.reader.read("We run a SaaS for architects in Lyon and call a hosted LLM; prospects ask a lot about "
                            "data sovereignty. Should we host our own model to save money?")
    assert "regulated" not in r.conditions


def test_a_saas_ruled_out_by_its_owner_is_a_data_rule(advisor):
    r = advisor.reader.read("Legal says the transcripts may not go to any US-based SaaS at all. Which tracing tool "
                            "then?")
    assert r.data_location


def test_a_departure_with_no_replacement_is_no_lock_in_but_nobody_to_run_it(advisor):
    r = advisor.reader.read("Change of plan: our only platform engineer handed in his notice and we can't hire "
                            "anyone before summer. It will be two analysts looking after this. What now?")
    assert "lock-in" not in r.conditions
    assert r.managed_cue


def test_batch_scoring_beside_live_scoring_is_no_batch_only_shop(advisor):
    a = advisor.ask("Credit team in Lisbon: our 9 scorecards are scored in a nightly batch and also in real time "
                    "through the loan-application API. We have a weekly drift notebook. Is that enough monitoring?")
    assert "scheduled run" not in a.lead
    assert "nightly batch runs with no online inference" not in a.text


def test_the_way_off_an_own_system_step_by_step_leads_with_the_rollout(advisor):
    first = advisor.ask("Our homemade feature service (Spark to S3 to Redis) keeps drifting from training. Move to "
                        "Feast or repair it?")
    a = advisor.ask("Say we pick Feast. What does the migration off our own service look like, step by step, "
                    "without taking down the ranking API?", first.conversation_id)
    assert a.act == "switch"
    assert any(w in a.lead.lower() for w in ("one model", "shadow", "first"))
    assert any(s.title == "How to move over" for s in a.sections)


def test_leaving_a_platform_and_what_to_build_on_the_other_side_is_the_way_over(advisor):
    a = advisor.ask("We have run everything on Vertex AI since 2020 and the company is moving to AWS next year. How "
                    "do we get off Vertex without breaking production, and what do we build vs buy on the AWS side?")
    assert any(s.title == "How to move over" for s in a.sections)


def test_a_proof_of_concept_plan_is_how_to_evaluate(advisor):
    r = advisor.reader.read("We spend about $40k a month across three LLM providers. I'd like a four-week pilot "
                            "plan comparing Portkey and LiteLLM, with what to measure to choose between them.")
    assert r.act == "evaluate"


def test_a_named_regime_wins_over_a_generic_word():
    from advisor.matrix import load_matrix, load_taxonomy
    from advisor.settings import Settings
    from advisor.train import lexicon_for

    s = Settings()
    lex = lexicon_for(s.knowledge_dir, load_matrix(s.matrix_path), load_taxonomy(s.taxonomy_path))
    assert lex.regimes("the slides are phi under phipa") == ["PHIPA"]
    assert lex.regimes("the slides are phi") == ["HIPAA"]


def test_minutes_per_item_price_the_labelling_time():
    text = "We need 40k invoices labelled; two annotators charge EUR 60/hr and take about 3 min per invoice."
    found = priced([text])
    items = [p for p in found if p.kind == "items"]
    assert items and round(items[0].total) == 120000  # 40,000 x 3/60 h x 60


def test_kubernetes_skills_count_as_kubernetes(advisor):
    r = advisor.reader.read("Our three infra people are very good at k8s. Slurm or Kueue for our 32 GPUs?")
    assert r.kubernetes is True


def test_do_we_need_asked_again_under_new_facts_answers_yes(advisor):
    first = advisor.ask("We keep 1.5M product embeddings in the Postgres we already run and get 30 queries a "
                        "second. Do we need a dedicated vector database?")
    a = advisor.ask("Update: it will be 400M vectors by launch, with filters on brand and date. Still the same "
                    "answer?", first.conversation_id)
    assert not a.lead.split("That does not change it")[-1].lstrip(": ").startswith("No")
    assert "400M" in a.lead


def test_a_what_if_names_the_load_it_supposes(advisor):
    first = advisor.ask("Our ranking model is served by a FastAPI app on three VMs at about 100 requests a second; "
                        "one ML engineer. Keep it or move to BentoML?")
    a = advisor.ask("And what if we grow to 4,000 requests a second next year, does that change it?",
                    first.conversation_id)
    assert "4,000" in a.lead


def test_control_wished_as_steering_its_direction_later(advisor):
    r = advisor.reader.read("Arize covers everything we need today. Our CTO still wants our own monitoring because "
                            "eventually she wants to set its direction herself instead of following a supplier's "
                            "roadmap. Worth building?")
    assert "control-later" in r.conditions


def test_infrastructure_customers_are_billed_for_is_the_core(advisor):
    r = advisor.reader.read("We run a labelling platform for insurers; the platform is what our customers get "
                            "invoiced for. Keep our own annotation tool or move to Label Studio?")
    assert "core-differentiator" in r.conditions


def test_being_cornered_by_a_proprietary_format_is_lock_in(advisor):
    r = advisor.reader.read("Their managed pipelines look great, but I don't want to box ourselves in: our jobs would "
                            "only run on their proprietary runner. Build or buy the orchestration?")
    assert "lock-in" in r.conditions


def test_rows_of_a_cost_spreadsheet_ask_the_cost(advisor):
    r = advisor.reader.read("Building a comparison sheet: Weaviate Cloud in one column, pgvector on our own RDS in "
                            "the other. What rows should go in it?")
    assert r.act == "cost"


def test_the_side_the_asking_sentence_names_is_the_argument(advisor):
    r = advisor.reader.read("Our team loves writing its own tools. Play devil's advocate: what are the best reasons "
                            "to buy ML infrastructure?")
    assert r.topic == "arguments-for-buying"


def test_anything_left_to_write_after_a_product_asks_which_part_is_ours(advisor):
    r = advisor.reader.read("We moved our features into Tecton in the spring. Is anything around it still ours to "
                            "write?")
    assert r.act == "build-part"


def test_the_thing_that_answers_prediction_requests_is_serving(advisor):
    r = advisor.reader.read("We need something that loads our exported models and answers the prediction requests "
                            "from the pricing app. Build it or install a product?")
    assert r.component == "model-serving"


def test_a_scheduler_for_training_jobs_is_gpu_orchestration(advisor):
    r = advisor.reader.read("two founders, renting GPUs by the hour. is a scheduler for our training jobs worth it, "
                            "and do we write it?")
    assert r.component == "gpu-orchestration"
