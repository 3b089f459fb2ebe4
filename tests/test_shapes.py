"""Answer shapes through the chain on the real index: keeping what runs, several rows at once, the asker's numbers."""

from __future__ import annotations

import pytest
from test_chain import assert_citations_resolve

from advisor.render import markdown


def titled(answer, title: str):
    """The answer's section with this title (StopIteration, failing the test, when there is none)."""
    return next(s for s in answer.sections if s.title == title)


def test_keeping_a_simple_setup_that_is_enough_says_keep_it_first(advisor):
    a = advisor.ask("KServe or should we just keep our Flask app? 2 models, about 30 requests an hour.")
    assert a.verdict == "build" and "scale" not in a.conditions
    assert a.lead.startswith("Keep your Flask app:")
    assert not any(s.kind == "options" for s in a.sections)  # nothing to buy offered under a build call
    assert_citations_resolve(a)


def test_keeping_what_the_call_says_to_replace_says_so_first(advisor):
    a = advisor.ask("Should we stick with cron for our ETL or move to Airflow?")
    assert a.verdict == "buy" and a.part == "orchestration"
    assert a.lead.startswith("Rather than keep cron, buy")


def test_several_rows_asked_together_get_one_line_each(advisor):
    a = advisor.ask("We need experiment tracking, a model registry and model serving. Which should we build and "
                    "which should we buy?")
    assert a.lead.startswith("Buy experiment tracking and the model registry")
    each = titled(a, "Each of them")
    assert [i.split(":")[0] for i in each.items] == ["**Experiment tracking", "**Model registry", "**Model serving"]
    assert all(i.rstrip().endswith("]") for i in each.items)  # every line cited
    # No one verdict heads answers about several rows: the doors say "side by side" instead.
    assert a.rows == ["experiment-tracking", "model-registry", "model-serving"]
    assert "Recommendation:" not in a.text
    from advisor.slack_blocks import headline
    from advisor.ui_render import verdict_badge

    assert headline(a).startswith("Side by side: experiment tracking") and "Side by side" in verdict_badge(a)
    assert_citations_resolve(a)


def test_which_row_is_hardest_to_leave_ranks_them_by_migration_cost(advisor):
    a = advisor.ask("which is hardest to migrate off later: feature store, model registry or experiment tracker?")
    assert a.lead.startswith("The feature store and the model registry would be the hardest to move off")
    assert a.lead.endswith("experiment tracking the easiest.")
    moves = next(s for s in a.sections if s.kind == "migration")
    assert moves.items[-1].startswith("**Experiment tracking: cheap to leave.**")


def test_one_row_with_a_second_named_as_background_is_not_several(advisor):
    a = advisor.ask("Should we build our own vector database? We have about 2 million documents and 10 queries "
                    "per second.")
    assert not any(s.title == "Each of them" for s in a.sections)
    assert a.verdict == "buy" and "scale" not in a.conditions  # stored documents are no rate


def test_a_cost_question_with_the_askers_numbers_is_answered_with_a_sum(advisor):
    a = advisor.ask("Tecton quoted us $150k a year. Building our own would take 3 engineers for 6 months. "
                    "Which is cheaper over 3 years?")
    assert a.act == "cost" and "early-stage" not in a.conditions  # the build's people are no team size
    assert a.lead.startswith("Building it with 3 engineers comes to about $")
    assert "over three years" in a.lead and "Tecton at $12.5k a month" in a.lead
    assert "so Tecton is the cheapest on these numbers" in a.lead
    held = next(s for s in a.sections if s.title.startswith("Placeholders"))
    assert any("Loaded cost per engineer" in i for i in held.items)
    assert not any("Months to build" in i for i in held.items)  # they said six months: no placeholder for it
    assert_citations_resolve(a)


def test_a_cost_question_without_a_price_gives_the_price_that_breaks_even(advisor):
    a = advisor.ask("What would a feature store cost us over three years if we built it ourselves, versus Tecton? "
                    "We'd need 2 engineers on it.")
    assert a.lead.startswith("Building it with 2 engineers comes to about")
    assert "buying is cheaper over that time at any price under about" in a.lead


def test_is_a_product_enough_quotes_what_it_does_for_the_row_asked(advisor):
    a = advisor.ask("Is MLflow's model registry enough for us or do we need something like a paid registry? "
                    "8 models in prod, 2 teams.")
    assert a.component == "model-registry" and a.lead.startswith("Yes")
    assert any(c.doc_id == "mlflow" and "registry" in c.section.lower() for c in a.citations)


def test_a_growing_bill_against_a_flat_price_of_running_it_is_summed_over_their_horizon(advisor):
    a = advisor.ask("We pay $5,000/month for a hosted LLM API and usage grows 8% a month. A GPU server to self-host "
                    "would be $12k/month. Do the math over two years: is self-hosting cheaper?")
    assert a.component == "llm-inference"
    first = a.lead.split(". ")[0]
    assert "over two years" in first and "$288k" in first  # 24 months at $12k
    assert "passes $12k a month in month 13" in a.lead  # 5,000 x 1.08^12 is the first month above 12,000
    assert_citations_resolve(a)


def test_prices_given_for_named_products_are_summed_each(advisor):
    a = advisor.ask("ML platform costs over three years: Databricks quoted $240k/year, Vertex AI would be about "
                    "$120k/year, and the open-source route means hiring 2 engineers at $170k fully loaded each. "
                    "Which is cheapest?")
    summed = a.lead if a.lead.startswith("Building it") else next(
        i for s in a.sections for i in s.items if i.startswith("*Your numbers:*"))
    assert "for Databricks at $20k a month" in summed and "for Vertex AI at $10k a month" in summed
    assert "so Vertex AI is the cheapest on these numbers" in summed


def test_a_shortlist_to_standardise_on_gets_a_pick_and_the_rollout_asked_beside_it(advisor):
    a = advisor.ask("We run 30 models behind hand-made Flask apps on Kubernetes at about 1,500 rps. Shortlist: "
                    "BentoML, Seldon or SageMaker endpoints. Which would you standardise on, and how should we roll "
                    "it out across the models?")
    assert a.act == "vendor" and a.verdict == "buy"
    assert "fits best" in a.lead
    assert any(s.kind == "comparison" for s in a.sections)
    assert any(s.title == "Rolling it out" for s in a.sections)


def test_telling_what_else_runs_mid_conversation_keeps_the_question_and_says_what_it_changes(advisor):
    first = advisor.ask("Is the MLflow model registry enough for 9 models and an approval step before production?")
    a = advisor.ask("For context: everything else we run is on Vertex AI (training, endpoints, pipelines).",
                    first.conversation_id)
    assert a.component == "model-registry"
    assert a.lead.startswith("That does not change it: still Buy. With the rest of your stack on Google Cloud, "
                             "Vertex AI Model Registry is the option to weigh first.")


def test_saying_no_model_is_involved_puts_a_first_question_out_of_scope(advisor):
    a = advisor.ask("Envoy, or a reverse proxy we write ourselves, in front of our REST APIs? No ML anywhere in this "
                    "stack.")
    assert a.refused
    b = advisor.ask("We have no models in production yet. Should we buy a feature store?")  # early, still ML
    assert not b.refused and b.component == "feature-store"


def test_moving_to_another_platform_keeps_the_thing_being_moved(advisor):
    first = advisor.ask("Our model registry is MLflow with 70 models and years of lineage.")
    a = advisor.ask("If we moved to Vertex AI next year, what would be the hardest part to bring across?",
                    first.conversation_id)
    assert a.component == "model-registry" and a.act == "switch"
    assert "MLflow" in a.lead and "expensive" in a.lead


def test_moving_or_keeping_what_runs_is_the_decision_not_the_cost_of_moving(advisor):
    first = advisor.ask("Our feature ETL runs as Jenkins jobs chained by triggers.")
    a = advisor.ask("it's 90 jobs now with backfills and nobody wants to touch it. time to move to Dagster, or keep "
                    "Jenkins?", first.conversation_id)
    assert a.act == "verdict" and a.part == "orchestration"
    assert a.lead.startswith("Rather than keep Jenkins, buy")


def test_a_price_per_gpu_hour_is_multiplied_out_against_the_bill(advisor):
    a = advisor.ask("We spend about $38k/month on the OpenAI API. Would self-hosting Llama 70B on 8x H100 at $2.50 "
                    "per GPU-hour pay off?")
    assert a.act in ("cost", "verdict")  # blind writers label "would it pay off?" either way; the sum leads both
    assert "8 H100s at $2.50 a GPU-hour around the clock come to $14.6k a month" in a.lead
    assert "the bill of $38k a month comes to about $1.4M over three years" in a.lead
    # The monthly gap is what has to pay for the people, and "it depends on why" is not asked back after the sum.
    assert "about $23.4k a month less from the start" in a.lead and "It depends on why" not in a.lead
    assert_citations_resolve(a)


def test_a_quote_against_priced_self_hosting_names_the_cheaper_side(advisor):
    a = advisor.ask("Pinecone quoted $6,500/month. Self-hosting Qdrant: 3 nodes at $750/month each plus 0.3 FTE at "
                    "$190k/yr. Compare over 3 years.")
    assert "early-stage" not in a.conditions  # part of a person is an effort, not a team of 0.3
    assert a.lead.startswith("Pay for Pinecone unless someone on your team will own running Qdrant")
    summed = titled(a, "Your numbers").items[0]
    assert summed.startswith("Pinecone at $6,500 a month comes to about $234k over three years")
    assert "3 nodes at $750 a month each come to $2,250 a month" in summed
    assert "so Pinecone costs less each month" in summed and "with the engineer time you gave" in summed


def test_seat_and_per_item_prices_are_multiplied_out_whatever_the_act(advisor):
    a = advisor.ask("W&B quoted $50/seat/mo for 25 seats. Pay for it or keep our self-hosted MLflow?")
    numbers = titled(a, "Your numbers")
    assert numbers.items[0].startswith("25 seats of Weights & Biases at $50 each come to $1,250 a month")
    b = advisor.ask("We need 120k images labelled. Scale quoted $9.40 per image. Or contract annotators at $30/hour; "
                    "in our pilot they did 20 images per hour. What do the numbers look like?")
    # Each option summed: the vendor's price per image times the images, the annotators' hours at the pace they
    # measured (120k / 20 an hour = 6,000 hours at $30).
    assert "Scale about $1.1M once" in b.lead and "about $180k once" in b.lead
    assert "costs least, by about $948k." in b.lead
    assert_citations_resolve(b)


def test_is_what_we_have_enough_or_pay_for_a_product_is_about_what_they_have(advisor):
    a = advisor.ask("Our researchers keep asking for W&B, but we log everything to TensorBoard event files on S3. "
                    "10 researchers can't compare runs across people. Is TensorBoard on S3 enough or should we pay "
                    "for W&B?")
    assert a.act == "enough" and a.lead.startswith("No, TensorBoard will not be enough")


def test_a_follow_up_that_ends_a_condition_says_so_in_plain_words(advisor):
    first = advisor.ask("We have 80 A100s and 40 researchers. Build our own GPU scheduler or buy one?")
    a = advisor.ask("Correction: it's a single 8-GPU box running 3 jobs a week. Does that change it?",
                    first.conversation_id)
    assert "scale, throughput" not in a.lead  # no taxonomy label read out
    assert a.lead.startswith("That does not change it") or a.lead.startswith("That moves the verdict")


def test_is_the_registry_we_currently_use_sufficient_answers_about_it(advisor):
    a = advisor.ask("We currently use the open-source MLflow Model Registry, self-hosted, for 8 models. We are "
                    "preparing an EU AI Act high-risk submission. Is our current setup sufficient, or do we need to "
                    "purchase a commercial registry?")
    assert a.act == "enough"
    assert a.lead.startswith("Yes") and "MLflow Model Registry is a sound choice" in a.lead.split(".")[0]


def test_how_to_evaluate_a_named_shortlist_puts_them_through_one_trial(advisor):
    a = advisor.ask("We are 4 ML engineers at a fintech. 12 fraud models in production. We are looking at Arize, "
                    "Evidently and WhyLabs. How we should evaluate these vendors, which criteria is most important? "
                    "We are under supervision so data must stay in our own data centre.")
    assert a.act == "evaluate"
    assert a.lead.startswith("Put Arize AI, WhyLabs and Evidently AI through the same proof of concept")
    # Under a rule on their own network, a product the notes say cannot be self-hosted is named as out of the trial.
    assert "Arize AI cannot run inside your own network" in a.lead
    # A rule that names only a region is met by a hosted service in that region: nobody is ruled out for it.
    b = advisor.ask("We are 4 ML engineers at a fintech. 12 fraud models in production. We are looking at Arize, "
                    "Evidently and WhyLabs. How we should evaluate these vendors, which criteria is most important? "
                    "We are under supervision so data must stay in EU.")
    assert "cannot run inside your own network" not in b.lead and "where each keeps your data" in b.lead
    assert_citations_resolve(a)
    # Guidance leads itself: no verdict line heads it in Markdown, while Slack's header still carries the verdict.
    from advisor.render import markdown
    from advisor.slack_blocks import headline

    assert "Recommendation:" not in markdown(a) and headline(a) == "Recommendation: Buy (ML monitoring)"


def test_pressed_for_a_pick_after_a_comparison_names_one_and_drops_the_table(advisor):
    a = advisor.ask("~200 cron jobs on 2 VMs. airflow self hosted vs dagster cloud vs prefect cloud? 3 data engs.")
    b = advisor.ask("legal says no customer data can leave our frankfurt datacenter. budget is ~30k eur/yr max",
                    a.conversation_id)
    c = advisor.ask("ok so which one would u actually pick", b.conversation_id)
    assert c.act == "vendor" and not c.sections  # never the comparison again
    first = c.lead.split(":")[0].split(".")[0]
    assert first in ("Airflow", "Prefect", "Dagster"), c.lead
    assert "both fit" not in c.lead
    assert_citations_resolve(c)


def test_which_part_to_build_of_a_part_that_splits_is_that_parts_own_split(advisor):
    a = advisor.ask("We call the Claude API for our legal assistant. Our edge is fine-tuning on 2 million court "
                    "decisions nobody else has. If we fine-tune, what part exactly do we build and what do we buy?")
    assert a.part == "fine-tuning" and a.act == "build-part"
    assert a.lead.startswith("Buy the fine-tuning machinery") and "Very little is yours" not in a.lead


def test_a_serving_migration_off_sagemaker_endpoints_to_kserve_is_about_serving(advisor):
    a = advisor.ask("We serve 30 models on SageMaker real-time endpoints and the bill is $22k/month. Our MLOps team "
                    "wants to move everything to self-managed KServe on our EKS cluster. Worth it?")
    assert a.component == "model-serving"
    # Tens of requests a second is steady traffic, past the simple case: keeping Flask is no longer the call.
    b = advisor.ask("KServe or should we just keep our Flask app? 2 models, about 50 requests per second.")
    assert b.verdict == "depends" and "scale" not in b.conditions and "simple" not in b.conditions


def test_a_situation_the_asker_tells_of_brings_the_notes_line_on_it(advisor):
    a = advisor.ask("We have been running self hosted MLflow on a single VM for two years and it keeps breaking. "
                    "W&B quoted us $50 a seat for 20 people. Pay for it or fix our MLflow?")
    told = titled(a, "What your situation changes")
    assert len(told.items) == 1 and "no owner" in told.items[0]
    assert_citations_resolve(a)
    # A question that tells of no such situation gets no such section.
    b = advisor.ask("Experiment tracking: build or buy?")
    assert not any(s.title == "What your situation changes" for s in b.sections)


def test_growth_told_year_by_year_is_in_the_sum(advisor):
    a = advisor.ask("Weaviate Cloud quoted $4,000/month. Self-hosting: 2 nodes at $500/month each plus 0.25 FTE "
                    "at $240k/yr. Compare over 3 years if our data triples in year 2 and stays flat after that.")
    summed = " ".join([a.lead, *(i for s in a.sections for i in s.items)])
    # Weaviate: 4,000 x (12 + 24 + 24 x ... ) = 4,000 x (12 x 1 + 24 x 3) = $336k; ours: 1,000 x (12 + 72) + 5,000 x 36
    assert "comes to about $336k over three years" in summed and "about $264k for running it yourselves" in summed
    assert "the people's time to stay the same" in summed and "the growth you describe is not in it" not in summed


def test_renting_against_hardware_bought_once_is_summed_with_the_month_it_pays_back(advisor):
    a = advisor.ask("We rent about 2,000 GPU-hours a month at $2.10 per GPU-hour for training. The CTO wants to "
                    "buy our own 8x A100 server for $250k instead, plus about $1,500/month for colo and power. "
                    "Over 3 years, which is cheaper?")
    assert a.act == "cost"
    # 2,000 x $2.10 = $4,200 a month, $151k over 36 months; $250k + 36 x $1,500 = $304k; back after 250k / 2.7k.
    assert "about $151k over three years, against $250k for the 8 A100 server" in a.lead
    assert "renting costs about $153k less" in a.lead and "after about 93 months" in a.lead


def test_what_stays_ours_after_moving_many_models_is_not_the_thin_wrapper(advisor):
    a = advisor.ask("We're moving our 14 models onto a serving platform next quarter. What stays ours after the "
                    "move? My manager worries the team will have nothing left to own.")
    assert a.act == "build-part" and a.component == "model-serving" and a.part != "wrapper"
    assert "FastAPI wrapper" not in a.lead and "request handling" in a.lead, a.lead
    assert_citations_resolve(a)


def test_the_build_half_of_an_evaluation_question_is_answered(advisor):
    a = advisor.ask("How should we evaluate Langfuse, LangSmith and Braintrust for our support bot, and what do we "
                    "build ourselves?")
    assert a.act == "evaluate"
    (build,) = [s for s in a.sections if s.kind == "build"]
    assert "eval sets" in build.text
    assert_citations_resolve(a)


def test_a_redaction_step_in_front_of_an_llm_is_not_llm_inference(advisor):
    a = advisor.ask("Before prompts go to the OpenAI API we must strip names and emails. Write it ourselves with "
                    "regex and spaCy, or buy a PII redaction product?")
    assert a.component is None and a.verdict == "depends"
    assert "PII redaction" in a.subject


def test_rent_or_own_with_both_priced_leads_with_their_sum(advisor):
    a = advisor.ask("We rent 64 H100s around the clock at $2.50 per GPU-hour, steady all year. Buying them would "
                    "cost $1.9M plus $15k a month for colo and power. Should we buy our own GPUs or keep renting?")
    assert a.component == "training-infrastructure"
    assert a.lead.startswith("On your numbers, renting 64 H100s"), a.lead
    assert "pays for itself after about 19 months" in a.lead and "before the people who would run it" in a.lead
    assert_citations_resolve(a)


def test_what_would_have_to_be_true_leads_with_what_turns_the_call(advisor):
    a = advisor.ask("What would have to change for building our own feature store to be the right call?")
    assert a.component == "feature-store"
    assert a.lead.startswith("Build becomes the right call only if production measurements show a gap"), a.lead
    assert "on what you told us it is Depends" in a.lead
    # The product rule holds for every row and says least: it comes after the row's own circumstance.
    assert a.lead.index("production measurements") < a.lead.index("what you sell")
    assert_citations_resolve(a)


def test_running_it_yourselves_told_as_a_share_of_an_engineer_is_set_against_the_quote(advisor):
    a = advisor.ask("We run Airflow ourselves on EKS and spend 30-40% of one engineer's time on upgrades and "
                    "scheduler issues. A managed Airflow vendor quoted us $95k/year. Where is the break-even?")
    assert a.act == "cost"
    assert a.lead.startswith("On your numbers, running it yourselves takes 30%-40% of one engineer, about $60k-$80k"), a.lead
    assert "stays cheaper by about $15k-$35k a year" in a.lead
    assert "placeholder team" not in a.text  # no software-build template for a tool they already run
    assert_citations_resolve(a)


def test_a_bill_against_machines_not_yet_priced_says_what_the_other_side_needs(advisor):
    a = advisor.ask("We pay about $180k/month for on-demand GPUs on AWS for fine-tuning. Keep renting, or buy 4 "
                    "nodes of 8xH100 and colocate them? Rough 3-year TCO please.")
    assert a.lead.startswith(("Buy", "Rent", "Keep")), a.lead  # the call first, then their bill over the horizon
    assert "the current $180k a month comes to about $6.5M over three years" in a.lead, a.lead
    assert "placeholder team" not in a.text and "loaded years" not in a.text  # the sum weighs the bill once
    assert_citations_resolve(a)


def test_what_would_make_running_it_yourselves_right_is_read_from_what_follows_for(advisor):
    a = advisor.ask("We're paying ~$38k/month to OpenAI for classification. What would need to be true for "
                    "self-hosted vLLM with a fine-tuned 8B model to beat that?")
    # "for self-hosted vLLM to beat that" asks toward running it themselves, not "for classification".
    assert a.lead.startswith(("Hybrid becomes the right call", "Build becomes the right call")), a.lead
    assert "early-stage" not in a.lead
    assert_citations_resolve(a)


def test_a_follow_up_on_infrastructure_without_a_row_stays_on_it_and_says_what_stays_yours(advisor):
    a = advisor.ask("Should we buy a prompt management tool or keep prompts in our repo? 6 engineers, 4 LLM features.")
    b = advisor.ask("Which pieces would we still have to write ourselves, whatever we pick?", a.conversation_id)
    assert b.component is None and b.act == "build-part"
    assert b.lead.startswith("Whatever you choose for a prompt management tool, what stays yours to write:")
    # What not to write is said once in the conversation: with the first answer now, never again in the second.
    assert "Do not write the generic machinery" in a.text + b.text
    assert_citations_resolve(b)


def test_risks_of_infrastructure_without_a_row_are_risks_not_the_four_questions(advisor):
    a = advisor.ask("What are the risks of running our own JupyterHub notebook platform on Kubernetes for 30 analysts?")
    assert a.act == "risks" and a.component is None
    assert "risk" in a.lead.lower()
    assert not any("four questions" in s.title.lower() for s in a.sections)


def test_infrastructure_sold_as_the_product_is_owned_whole(advisor):
    a = advisor.ask("We sell a GPU inference API to developers; low latency is why they pay us. Which parts of model "
                    "serving should we own, and what should we still buy?")
    assert a.verdict == "build" and a.part == "whole"
    assert a.lead.startswith("Own model serving itself: it is what you sell")
    assert any(s.title == "What you still buy" for s in a.sections)
    assert_citations_resolve(a)


def test_one_known_product_on_a_longer_shortlist_goes_into_the_trial_with_the_rest(advisor):
    a = advisor.ask("We tried Label Studio with two contractors: quality was inconsistent. Now we're shortlisting "
                    "Scale AI and two other vendors for lidar labelling. How should we evaluate them?")
    assert a.act == "evaluate"
    assert a.lead.startswith("Put Scale AI and the rest of your shortlist through the same proof of concept")
    assert "Label Studio" not in a.lead


def test_how_to_switch_between_two_named_products_leads_with_the_rollout(advisor):
    a = advisor.ask("We're on Pinecone and want to move to Qdrant. How do we switch without breaking search for our "
                    "customers?")
    assert a.act == "switch"
    assert not a.lead.startswith("Switching")
    assert [s.title for s in a.sections][-1] == "How big the move is"


def test_is_it_enough_says_where_it_stops_being_enough(advisor):
    a = advisor.ask("We have 3 million embeddings and 20 queries per second, all in Postgres. Is pgvector enough?")
    assert a.lead.startswith("Yes")
    stops = titled(a, "Where pgvector stops being enough")
    assert "Milvus" in stops.items[0] and stops.items[0].rstrip().endswith("]")


def test_what_would_have_to_be_true_puts_a_data_rule_last_for_a_team_already_on_a_hosted_api(advisor):
    a = advisor.ask("We pay OpenAI about $30k a month for extraction. Our ML lead thinks a fine-tuned Llama on vLLM "
                    "would be cheaper. What would have to be true for self-hosting to make sense?")
    assert a.component == "llm-inference"
    assert "production measurements" in a.lead.split(";")[0]


def test_what_now_after_a_staffing_change_asks_the_call_again(advisor):
    a = advisor.ask("We built our own experiment tracker two years ago; three engineers maintain it. Keep it or move "
                    "to MLflow?")
    b = advisor.ask("Update: two of those three engineers are leaving next month and we can't hire. What now?",
                    a.conversation_id)
    assert b.act == "verdict" and b.component == "experiment-tracking"


def test_a_signed_commit_for_one_option_puts_it_first_when_the_choice_is_asked_again(advisor):
    a = advisor.ask("We're picking an ML platform for a team of 12 on AWS: SageMaker, Databricks or Kubeflow?")
    b = advisor.ask("Turns out finance signed a 3-year Databricks commit last quarter and our tables already live in "
                    "Delta. Does that change your recommendation?", a.conversation_id)
    assert a.act == "vendor" and b.component == "ml-platform" and "core-differentiator" not in b.conditions
    assert "Databricks fits best" in b.lead.split(";")[0] and "you already run it" in b.lead
    assert "still Buy" not in b.lead


def test_why_not_buy_our_own_cluster_is_answered_with_their_numbers_first(advisor):
    a = advisor.ask("We rent 32 H100s on demand for training at about $2.40 a GPU-hour.")
    b = advisor.ask("Our CTO wants to buy 32 H100s for about $1.2M plus $10k a month for colo instead. Why not just own "
                    "the cluster? The math looks better on paper.", a.conversation_id)
    assert b.component == "training-infrastructure"
    assert b.lead.startswith("On your numbers, renting 32 H100s at $2.40 a GPU-hour around the clock comes to")
    assert any(s.title == "What the sum leaves out" for s in b.sections)


def test_is_moving_to_a_product_sane_gets_its_yes_before_the_way_over(advisor):
    a = advisor.ask("We pay Pinecone for 3M product embeddings and already run Postgres on RDS. Is moving to pgvector a "
                    "sane idea, and how do we migrate without breaking search?")
    assert a.act == "switch"
    assert a.lead.startswith("Moving to pgvector is a sound plan.")


def test_a_recommendation_with_the_risks_of_each_names_the_pick_and_its_risks(advisor):
    a = advisor.ask("We serve 40 models on our own Kubernetes cluster and the data must stay on-prem. KServe, Seldon or "
                    "Triton: what's your recommendation, and what are the risks with each?")
    assert a.act == "vendor" and "fits best" in a.lead
    assert any(s.title == "Risks" for s in a.sections)


def test_a_product_in_a_subscription_they_pay_for_is_the_one_they_run(advisor):
    a = advisor.ask("Our models live in an S3 bucket with folder names, and we have a W&B subscription for the data "
                    "scientists. Should we adopt MLflow Model Registry or use W&B's registry?")
    assert a.act == "vendor" and "you already run it" in a.lead and "Weights & Biases" in a.lead.split(":")[0]


def test_a_rollout_question_that_asks_for_a_baseline_says_what_to_record_first(advisor):
    a = advisor.ask("We're adopting MLflow Model Registry next month. How will we know it worked, and what baseline "
                    "should we capture before the rollout?")
    assert a.act == "implement"
    record = titled(a, "What to record before the change")
    assert "record where each chosen KPI stands today" in record.items[0]
    assert_citations_resolve(a)


def test_a_growing_bill_against_machines_priced_today_says_the_machines_must_grow_too(advisor):
    a = advisor.ask("Our LLM API bill is $8,000 a month and growing 10% a month. Self-hosting would take 2 H100s at "
                    "$2.50 a GPU-hour. Where is the break-even?")
    assert a.act == "cost"
    assert "The machines are counted at today's size" in a.lead


def test_how_to_evaluate_vendors_and_what_the_pilot_should_measure_are_both_answered(advisor):
    a = advisor.ask("We're shortlisting Labelbox and Scale AI for image labelling. How should we run the evaluation, "
                    "and what exactly should the pilot measure?")
    assert a.act == "evaluate" and a.lead.startswith("Put ")
    worked = titled(a, "How to tell it worked")
    assert "gold set" in worked.items[0]


def test_is_what_we_have_enough_under_a_split_verdict_is_no_flat_no(advisor):
    a = advisor.ask("Our two sklearn models sit behind one Flask app on a VM, about 10 requests a second, no "
                    "incidents. A consultant says we need KServe. Is what we have enough?")
    assert a.act == "enough" and a.verdict == "depends"
    assert not a.lead.startswith("No") and "can be enough" in a.lead.split(":")[0]


def test_a_migration_follow_up_keeps_its_thread_when_context_words_near_another_row(advisor):
    a = advisor.ask("We run Mixtral on rented A100s with vLLM and plan to move to a hosted open-weights API.")
    b = advisor.ask("How do we move over without our users getting worse answers, and what if the provider retires the "
                    "model version we rely on?", a.conversation_id)
    assert b.component == "llm-inference" and b.act == "switch"


def test_a_general_rule_asked_over_a_story_about_one_tool_is_answered_as_the_general_rule(advisor):
    a = advisor.ask("I run engineering at a 70-person agritech company. Our annotation vendor folded last spring and "
                    "moving off it took months. Now everyone wants to build in-house. What general rule should a company "
                    "our size follow for build versus buy, and which questions should we ask each time?")
    assert a.act == "general"
    assert "four questions" in a.lead and "labelling" not in a.lead.lower()
    assert not any(s.title.startswith("For ") for s in a.sections)


def test_the_infrastructure_asked_about_is_the_one_in_the_asking_sentence(advisor):
    a = advisor.ask("We're a recipe app and Snowflake is our warehouse. Should we build our own experimentation "
                    "platform for A/B testing the ranking model, or buy one?")
    assert a.component is None and "(experimentation platform)" in markdown(a).split("\n")[0]


def test_a_pick_then_how_hard_leaving_it_is_gets_both(advisor):
    a = advisor.ask("Eight models, spiky traffic up to 5,000 requests a second, all on EKS. BentoML on our cluster or "
                    "SageMaker endpoints: which one? And if we go with SageMaker, how hard is getting off it later?")
    assert a.act == "vendor"
    leaving = next(s for s in a.sections if s.kind == "migration")
    assert leaving.title == "Leaving SageMaker endpoints later"
    assert_citations_resolve(a)


def test_pick_one_after_a_comparison_picks_among_the_options_on_the_table(advisor):
    a = advisor.ask("Insurance analytics team of 9 on Azure, data in Snowflake, a homegrown stack on AKS that eats our "
                    "time. Databricks or Azure ML?")
    b = advisor.ask("if you could only choose one, which?", a.conversation_id)
    assert b.act == "vendor"
    assert b.lead.startswith(("Databricks", "Azure Machine Learning")) and "Kubeflow" not in b.lead


def test_a_tool_they_run_that_may_do_the_job_comes_before_new_products(advisor):
    a = advisor.ask("News archive search: 30M article chunks, 150 qps, we already run an 8-node OpenSearch cluster for "
                    "keyword search. Switch on k-NN in OpenSearch, Pinecone, or Weaviate? Which one?")
    assert a.act == "vendor" and a.lead.startswith("Start with the OpenSearch you already run.")
    # The note's line about OpenSearch is said once, in the lead, not again under "Alongside".
    assert not any(s.title.startswith("Alongside") for s in a.sections)


def test_a_build_estimate_they_report_is_weighed(advisor):
    a = advisor.ask("Team of 4 at an insurer, experiments live in spreadsheets. One engineer proposes writing our own "
                    "tracker on Postgres and estimates three weeks of work. Or we pay for Comet. What do you recommend?")
    estimate = titled(a, "The estimate of three weeks")
    assert estimate.items[0].startswith("Three weeks is an estimate for the first version, not for running it:")
    b = advisor.ask("why not just build it? it's one table and a dashboard, a week, done.", a.conversation_id)
    assert b.act == "why" and "A week is an estimate for the first version" in b.lead


def test_rent_against_a_quoted_purchase_gives_the_break_even(advisor):
    a = advisor.ask("We rent 24 H100s (3 nodes) at $2.20/GPU-hr reserved. Finance asks if we should buy 3 8xH100 "
                    "servers instead, quoted at about $300k each, plus $5k/month colocation. Where is the break-even?")
    assert a.act == "cost"
    assert "pays for itself after about" in a.lead and "owning them costs" in a.lead


def test_their_gpus_priced_against_their_token_volume_give_the_price_to_beat(advisor):
    a = advisor.ask("We run Qwen 72B ourselves on 4 H100s rented at $2.00/GPU-hr. Thinking of a hosted API instead.")
    b = advisor.ask("We do about 400M tokens/month. What would moving save us each month?", a.conversation_id)
    assert b.act == "cost"
    assert "a hosted API costs less only while its price" in b.lead and "per million tokens" in b.lead


def test_products_of_one_row_weighed_together_name_the_subject(advisor):
    a = advisor.ask("Ad-ranking API, 5 models, 2,000 to 7,000 requests a second, everything on EKS. SageMaker real-time "
                    "endpoints vs KServe vs BentoML: which one? And if we go SageMaker, how hard is it to get off later?")
    assert a.component == "model-serving" and a.act == "vendor"
    titles = [s.title for s in a.sections]
    assert titles.count("Leaving SageMaker endpoints later") == 1


def test_build_or_buy_with_a_second_general_ask_is_the_call_first(advisor):
    a = advisor.ask("We predict pump failures for a water utility; true outcomes arrive months later. Monitoring: build "
                    "or buy? And what should we alert on in the meantime?")
    assert a.act == "verdict" and a.component == "ml-monitoring" and a.verdict == "buy"


def test_the_call_with_a_second_ask_on_when_the_other_side_pays(advisor):
    a = advisor.ask("We're a Belgian insurer. All processing of claim letters must take place within the EU, about 30 "
                    "million tokens a day. Should we use Azure OpenAI in an EU region or host an open-weight model "
                    "ourselves, and at which volume would self-hosting become the cheaper option?")
    assert a.component == "llm-inference" and a.act == "verdict"
    pays = titled(a, "When it pays")
    assert "unit economics" in pays.items[0]
    options = next(s for s in a.sections if s.kind == "options")
    openai = next(i for i in options.items if i.startswith("**OpenAI API**"))
    assert "It cannot be self-hosted, but Microsoft offers" in openai
    assert_citations_resolve(a)


def test_how_long_a_pilot_runs_is_answered_when_asked(advisor):
    a = advisor.ask("Shortlist is Langfuse and Braintrust for our LLM evals. How do we run the trial, what do we "
                    "measure, and for how long?")
    assert a.act in ("evaluate", "vendor")
    length = titled(a, "How long to run it")
    assert "a few weeks rather than a few days" in length.items[0]
    assert_citations_resolve(a)


def test_a_project_in_maintenance_mode_is_not_offered_unasked_and_is_flagged_when_named(advisor):
    a = advisor.ask("Our client data must stay inside our own data centre. Hosted LLM API or self-host an open-weight "
                    "model?")
    offered = next(s for s in a.sections if s.kind == "options").items
    assert any(i.startswith("**vLLM**") for i in offered)
    assert not any("Text Generation Inference" in i for i in offered)
    b = advisor.ask("Our data must stay inside our network. vLLM or TGI for self-hosting Llama?")
    # Weighed against vLLM, the pick says so beside the side-by-side table.
    assert "vLLM fits best" in b.lead and "maintenance mode" in b.lead
    assert any(s.kind == "comparison" for s in b.sections)
    assert_citations_resolve(b)


def test_a_data_rule_supposed_later_says_which_weighed_options_stop_fitting(advisor):
    a = advisor.ask("Talent platform, 40M profiles embedded, hybrid search at 150 qps. Pinecone serverless or a "
                    "self-hosted Qdrant or Weaviate: which?")
    b = advisor.ask("roughly what would that cost us a month?", a.conversation_id)
    c = advisor.ask("and what if an insurer buys us and all data must move into their private cloud? does that "
                    "change the pick?", b.conversation_id)
    assert "regulated" in c.conditions
    weighed = titled(c, "The options you weighed, under that rule")
    assert weighed.items[0].startswith("*Pinecone would no longer fit:*")
    assert weighed.items[-1] == "*Still in:* Qdrant and Weaviate, which can run inside your own boundary."
    assert_citations_resolve(c)


@pytest.mark.parametrize("question, lead", [
    # Nobody with time to run it: a hosted one, in their words.
    ("Our one platform engineer is already overloaded. Build or buy a notebook platform for 30 analysts?",
     "paying for a hosted one"),
    # A rule on where data may go: an open-source one inside their network.
    ("Prompts may not leave our network. Should we build our own prompt management tool?",
     "open-source one you run inside your own network"),
    # A cluster they already run, and nothing else said: self-hosting is reasonable with a named owner.
    ("Everything runs on our EKS cluster. Build or buy a synthetic data generator?",
     "on the Kubernetes cluster you already run"),
])
def test_infrastructure_without_a_row_leads_with_how_to_buy_it_for_their_facts(advisor, question, lead):
    a = advisor.ask(question)
    assert a.verdict == "depends" and a.component is None
    # Why the header says Depends, then the lean and which way of buying fits their facts.
    assert a.lead.startswith("No source settles") and "lean to buying it" in a.lead and lead in a.lead
    assert_citations_resolve(a)
    assert "managed-or-self-hosted" in {c.doc_id for c in a.citations}


def test_infrastructure_without_a_row_answers_which_piece_stays_theirs_beside_the_call(advisor):
    a = advisor.ask("Explanations for declined loans: compute SHAP ourselves or buy an explainability product? Build "
                    "or buy, and which piece stays ours whatever we choose?")
    stays = titled(a, "What stays yours to write")
    assert stays and "glue into your own systems" in stays.items[0]
    assert_citations_resolve(a)


def test_a_bill_cheaper_than_machines_says_the_volume_where_they_pay(advisor):
    a = advisor.ask("We use gpt-4o-mini at ~3.5B tokens/month and the bill is around $900/mo. Renting 2x H100 at "
                    "~$2.50/hr each to self-host Llama: at what volume does self-hosting start paying off?")
    assert "14.2B tokens a month" in a.lead and "4 times your" in a.lead


def test_will_it_do_or_build_our_own_says_no_need_of_their_own(advisor):
    a = advisor.ask("Our training runs as SageMaker jobs. Will SageMaker Model Registry satisfy our auditors on "
                    "lineage, or do we need to build something of our own?")
    assert a.act == "enough" and a.lead.startswith("No, you do not need your own")
    assert "SageMaker Model Registry" in a.lead.split(".")[0]


def test_a_general_cost_question_sets_their_quotes_against_their_engineers(advisor):
    a = advisor.ask("My leads say building in-house is free because the engineers are on payroll. Vendor quotes are "
                    "$60-120k/year per tool; we're 7 engineers at a loaded cost around €140k each. How do I build an "
                    "honest total-cost comparison?")
    assert a.component is None and a.act == "cost"
    assert "43%-86% of one engineer's loaded year at your €140k" in a.lead and "roughly equal" in a.lead


def test_what_breaks_if_we_keep_our_own_setup_gives_the_risks_of_keeping_it(advisor):
    a = advisor.ask("We watch our 60 pricing models with a few Grafana panels. If we stay on Grafana until July, what "
                    "breaks first? Or pay for Arize now?")
    risks = titled(a, "Risks")
    assert any("homegrown" in item for item in risks.items)


def test_which_parts_are_ours_under_a_data_rule_names_what_their_rule_lets_them_buy(advisor):
    a = advisor.ask("We're a HIPAA covered entity and traces can't go to any SaaS. For LLM evaluation and "
                    "observability, which parts do we actually write ourselves?")
    assert a.act == "build-part"
    # The rule for their situation splits the whole row: it says what they buy (self-hosted) and what they write.
    assert "self-host" in a.lead and "eval sets" in a.lead
    assert "LangSmith" not in a.text


def test_an_estimate_asked_beside_a_choice_of_products_gets_the_call_and_the_estimate(advisor):
    a = advisor.ask("My team estimates 6 weeks to turn our shared LLM client into a central proxy. Is that realistic, "
                    "or should we deploy LiteLLM or Portkey instead? And if we adopt one, what is still ours to write?")
    assert a.act == "verdict" and a.verdict == "buy"
    assert titled(a, "The estimate of 6 weeks") and any(s.kind == "build" for s in a.sections)


def test_a_hosted_product_proposed_for_a_network_data_may_not_leave_gets_no_first(advisor):
    first = advisor.ask("We're on a fully air-gapped network, on-prem only. Qdrant or Milvus for 30M chunks?")
    a = advisor.ask("And for the LLM itself, my PM wants to just use Azure OpenAI because it's approved for our "
                    "sector. Thoughts?", first.conversation_id)
    assert a.lead.startswith("No: Azure OpenAI is a hosted service")
    assert_citations_resolve(a)


def test_does_the_tool_we_run_cut_it_is_about_that_tool_not_the_part_we_write(advisor):
    a = advisor.ask("4 xgboost models, nightly batch; labels only arrive 90 days later. Right now we run Evidently "
                    "reports in a notebook. Does Evidently OSS cut it or do we pay for Arize?")
    assert a.act == "enough" and a.part in (None, "whole") and a.verdict == "buy"
    assert a.lead.startswith("Yes") and "Evidently AI is a sound choice" in a.lead


def test_a_build_on_production_evidence_names_the_products_they_measured(advisor):
    a = advisor.ask("We've been on Tecton for 18 months; measured p99 for online reads is 45 ms against an 8 ms budget. "
                    "We benchmarked Tecton and Feast on our real traffic and neither got under 20 ms. Build our own?")
    assert a.verdict == "build" and "What you measured on Feast and Tecton is that evidence." in a.lead


def test_what_to_alert_on_beside_the_call_comes_from_the_notes_lines_on_alerting(advisor):
    a = advisor.ask("Credit scoring, 4 xgboost models in a nightly batch; the default label is only known 90 days "
                    "later. What should we actually alert on, and does Evidently OSS cut it or do we pay for Arize?")
    alerts = titled(a, "What to alert on")
    assert any("early warnings" in item for item in alerts.items)
    assert_citations_resolve(a)


def test_the_one_named_option_left_after_what_they_lack_is_said_as_the_pick(advisor):
    a = advisor.ask("Research institute, 5 GPU nodes in our own server room, people book GPUs in a spreadsheet. Nobody "
                    "here operates Kubernetes. Slurm, Kueue, Run:ai, or let a postdoc write a scheduler?")
    first_two = " ".join(a.lead.split(". ")[:2])
    assert "Slurm is the one that fits" in first_two and "Kueue and Run:ai need a Kubernetes cluster" in first_two
    assert_citations_resolve(a)


def test_a_switch_in_a_situation_the_note_covers_leads_with_that_line(advisor):
    first = advisor.ask("Legal tech, 4 engineers. Fine-tune our own model on 12k reviewed clause pairs or prompt a "
                        "hosted one?")
    a = advisor.ask("say we fine-tune a Mistral model now and a clearly better open model comes out next year. are we "
                    "stuck? what do we have to redo?", first.conversation_id)
    assert a.act == "switch" and a.lead.startswith("When a better open model comes out")


def test_moving_from_one_named_product_to_another_says_what_leaving_the_first_takes(advisor):
    a = advisor.ask("W&B renewal came in at $62k. If we go MLflow, how painful is it to bring two years of W&B run "
                    "history over?")
    assert a.act == "switch"
    assert "public API" in a.lead and "MLflow carries low lock-in" not in a.lead


def test_a_rule_whose_opening_holds_an_aside_is_not_cut_inside_it(advisor):
    a = advisor.ask("We benchmarked pgvector on 40M chunks and p95 stayed at 220ms; product wants under 50ms. Qdrant or "
                    "Milvus, or write our own index?")
    assert a.verdict == "hybrid" and "With measured gaps (recall, latency or cost no engine meets)" in a.lead
    # The product they measured is the evidence; the options their question weighs are not.
    assert "What you measured on pgvector is that evidence." in a.lead


def test_is_a_tool_they_run_enough_says_it_can_be_when_the_note_says_it_may_do_the_job(advisor):
    a = advisor.ask("We run a 30-node Elasticsearch cluster for keyword search. Is its vector search enough, or do we "
                    "need a vector database?")
    assert a.act == "enough" and a.component == "vector-database"
    # Not "No, Elasticsearch will not be enough" above a note line saying a separate database is often unnecessary.
    assert a.lead.startswith("Elasticsearch can be enough") and "often unnecessary" in a.lead
    assert_citations_resolve(a)


def test_risks_asked_of_building_after_a_comma_are_the_risks_of_building(advisor):
    first = advisor.ask("We serve a CTR model at 40k requests a second with a 10 ms p99 budget. Build our own serving "
                        "or buy managed endpoints?")
    a = advisor.ask("So if we build, what are the main risks and how do we reduce them?", first.conversation_id)
    # "build," is the word build: the risks of the route they name, not of the route recommended.
    assert a.act == "risks" and a.lead.startswith("The main risk of building model serving")
    assert not any(s.title == "Risks of buying" for s in a.sections)


def test_why_not_the_tools_we_run_stays_on_the_thread_and_says_what_they_cover(advisor):
    first = advisor.ask("Our ranking models need real-time features at 4k lookups a second with a 25 ms budget, and "
                        "the same values for training without leakage. Build or buy a feature store?")
    a = advisor.ask("Why not just use Redis and the Airflow jobs we already run for this?", first.conversation_id)
    # Airflow is a data-pipeline product, but here it is proposed for the feature store in play.
    assert a.component == "feature-store" and a.act == "why"
    assert a.lead.startswith("If features already live in Redis") and "point-in-time" in a.lead
    assert_citations_resolve(a)


def test_is_our_simple_setup_enough_in_a_situation_the_note_says_needs_no_more_is_yes(advisor):
    a = advisor.ask("Two of us score churn once a night in a batch job, features come from SQL views in Snowflake. Is "
                    "that enough, or do we need a feature store?")
    assert a.act == "enough" and a.component == "feature-store"
    assert a.lead.startswith("Yes, for now. When models only score in nightly batch jobs")
    assert not any(s.kind == "options" for s in a.sections)
    assert_citations_resolve(a)


@pytest.mark.parametrize("question, young", [
    ("Our data science team is 3 people, inside a large insurance group. Build or buy a feature store?", False),
    ("We're a small seed-stage startup. Build or buy a feature store?", True),
])
def test_a_small_team_is_called_early_stage_only_when_they_say_the_company_is_young(advisor, question, young):
    a = advisor.ask(question)
    assert "early-stage" in a.conditions
    # Their team size is echoed either way ("with a team of 3"); "early-stage" only when they said the company is young.
    assert ("As an early-stage team" in a.lead) is young and ("early-stage" in a.lead.lower()) is young


def test_a_cost_question_that_asks_for_numbers_outright_gets_the_cost_model_on_placeholders(advisor):
    first = advisor.ask("Our nightly ETL is cron plus Python on two VMs. Orchestrate it with Airflow ourselves or buy a "
                        "managed orchestrator?")
    a = advisor.ask("What would each way cost? I need ballpark numbers for the budget meeting.", first.conversation_id)
    assert a.act == "cost"
    # No figure of theirs: the sum runs on the cost model's placeholders, each labelled as one to replace.
    assert a.lead.startswith("Building it with a placeholder team of 2 engineers comes to about")
    assert any(s.title.startswith("Placeholders in that sum") for s in a.sections)
    assert_citations_resolve(a)


def test_a_gpu_bill_against_a_quoted_server_is_summed_over_the_horizon(advisor):
    a = advisor.ask("We fine-tune open LLMs with LoRA about once a month on rented cloud GPUs; the GPU bill is around "
                    "$4,000 a month. A reseller quoted $300k for an 8-GPU server. Should we buy it?")
    assert a.component == "training-infrastructure" and a.verdict == "buy"
    assert a.lead.startswith("On your numbers, your GPU bill of $4,000 a month comes to about $144k over three years")
    assert "$300k" in a.lead and "renting costs about" in a.lead
    assert_citations_resolve(a)


def test_do_we_even_need_one_when_the_note_says_batch_scoring_needs_none_is_not_yet(advisor):
    a = advisor.ask("three of us maintain two churn models. All scoring is done in batch, run nightly from BigQuery. A "
                    "colleague wants Feast or Tecton. Do we really need one, or is it overkill?")
    assert a.lead.startswith("Not yet.")
    assert "is a sound choice" not in a.lead and "fits best" not in a.lead
    assert_citations_resolve(a)


def test_a_proposed_pair_of_products_with_do_we_need_this_gets_yes_or_no_first(advisor):
    a = advisor.ask("One internal tool calls one model provider, roughly 200 requests a day. An adviser says we need "
                    "an LLM gateway, either LiteLLM run by us or Portkey's hosted plan. Do we really need this?")
    assert a.lead.startswith("No")
    assert "fits best" not in a.lead and "Pricing" not in a.lead


def test_an_apm_stack_for_web_services_is_declined_even_when_a_sentence_opens_with_we_run_a(advisor):
    a = advisor.ask("We run a ticket shop with 50 microservices on Kubernetes. Traces are a mess during sales peaks. "
                    "Datadog APM or our own Prometheus, Tempo and OpenTelemetry stack? Build or buy?")
    assert a.refused


def test_background_about_the_business_does_not_hide_a_plain_question_about_a_row(advisor):
    a = advisor.ask("We're a three-person company making software for freight forwarders. Customer contracts keep all "
                    "shipment data inside our own cloud tenant in France. Hosted LLM or not?")
    assert not a.refused and a.component == "llm-inference"
    assert "regulated" in a.conditions


def test_a_corrected_gpu_price_replaces_the_old_one_and_the_busy_share_enters_the_sum(advisor):
    a = advisor.ask("Robotics lab, 6 researchers. We'll need 24 H100s for the coming year. A cloud quotes $1.60 per "
                    "GPU-hour, or we could buy 3 x 8-H100 servers at about $260k each plus ~$50k of networking. "
                    "Rent or buy?")
    assert "renting 24 H100s" in a.lead and "$830k for the 3 x 8-H100 servers and the networking" in a.lead
    b = advisor.ask("Correction: the $1.60 is the preemptible rate, the reserved one is $2.30 per GPU-hour. Also our "
                    "logs say the GPUs were busy about 35% of the time. Can you redo it?", a.conversation_id)
    assert "$1.60" not in b.lead and "24 H100s at $2.30 a GPU-hour" in b.lead
    assert "At the 35% use you measured" in b.lead and "busy more than about" in b.lead
    # At that use, paying only for the hours used beats owning, so the call to rent needs no reconciling.
    assert "renting costs less: owning wins only while" in b.lead and "On price alone" not in b.lead
    assert "On price alone that favours owning" in a.lead  # around the clock, owning is cheaper than the call


def test_leaving_a_product_they_pay_for_carries_its_bill_until_the_move_is_done(advisor):
    a = advisor.ask("We pay Databricks about $70k a month. Our architect wants open-source Spark and MLflow on "
                    "Kubernetes instead, which she says would cut the bill by 35%, with 3 additional engineers at "
                    "$160k a year loaded each; the migration would take 9-12 months. Does leaving save money?")
    assert a.lead.startswith("Building the replacement with 3 engineers, plus the 65% of today's bill you would "
                             "still pay for compute and Databricks until the move is done, comes to about")
    # 3 x $160k x 3 years + 12 months of $70k + 24 months of 65% of it = $3.37M, against $2.5M for staying.
    assert "about $3.4M over three years, against about $2.5M for Databricks" in a.lead
    assert "so staying on Databricks is the cheapest on these numbers" in a.lead
    assert "integrate the vendor" not in a.text  # nothing to integrate: they run it already


def test_a_sector_rule_that_says_nothing_of_where_data_lives_rules_no_hosted_product_out(advisor):
    a = advisor.ask("We're a regulated insurer under model-risk rules. For our claims summaries, OpenAI API or "
                    "Anthropic API?")
    assert "regulated" in a.conditions
    assert "inside your own network" not in a.text and "must stay inside your network" not in a.text
    b = advisor.ask("We're a regulated insurer and claims data may not leave our own data centre. For our claims "
                    "summaries, OpenAI API or vLLM?")
    assert "OpenAI API cannot run inside your own network" in b.text


def test_how_to_compare_a_build_estimate_with_a_quote_leads_with_their_sum(advisor):
    b = advisor.ask("Four backend developers at roughly $90k a year each, for three months, to write our own LLM "
                    "gateway, or Portkey quoted at $24k a year. How should we evaluate those options?")
    assert b.act == "evaluate" and b.lead.startswith("Building it with 4 engineers comes to about")
    a = advisor.ask("Three data engineers at about $120k a year each, for five months, to write our own experiment "
                    "tracker, or a Weights & Biases quote of $30k a year. How do we weigh these two up?")
    assert a.act in ("evaluate", "cost")  # a comparison of their own numbers, read either way
    assert a.lead.startswith("Building it with 3 engineers comes to about")
    assert "Weights & Biases at $2,500 a month" in a.lead


def test_under_a_regional_rule_the_pick_is_for_running_it_in_that_region(advisor):
    a = advisor.ask("Our prompt logs must stay in the EU. For a gateway in front of three model providers: LiteLLM, "
                    "Portkey or OpenRouter?")
    assert "regulated" in a.conditions
    assert "OpenRouter cannot run inside your own network" not in a.text  # a region, not their network
    assert "LiteLLM fits best: you can run it yourselves in the region your rule names" in a.lead


def test_a_named_hosted_service_with_no_say_over_its_region_carries_that_caveat(advisor):
    a = advisor.ask("Our prompt logs must stay in the EU. LLM gateway in front of OpenAI and Mistral: build one or "
                    "buy? We also looked at OpenRouter.")
    line = next(x for s in a.sections for x in s.items if x.startswith("**OpenRouter**"))
    assert "its note names no way to choose the region it runs in" in line
    assert_citations_resolve(a)
