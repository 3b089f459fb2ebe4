"""Answer shapes through the real chain: picks that use what the asker runs, follow-ups that never repeat the last
card, and the asks a turn makes after its background (2026-12-04 second session; wordings are our own)."""

from __future__ import annotations

import re

from test_chain import assert_citations_resolve

MARKER = re.compile(r"\[\d+\]")


def bare(text: str) -> str:
    return MARKER.sub("", text).strip()


def titled(answer, title: str):
    return next((s for s in answer.sections if s.title == title), None)


def test_is_the_postgres_extension_enough_answers_about_the_extension(advisor):
    a = advisor.ask("Our app data lives in Aurora Postgres. Around 3 million embeddings, 15 searches a second. Should "
                    "we get a dedicated engine like Milvus or Weaviate, or is pgvector enough?")
    assert a.act == "enough"
    assert a.lead.startswith("Yes") and "pgvector is a sound choice" in a.lead
    assert "will not be enough" not in a.lead
    assert_citations_resolve(a)


def test_products_and_building_weighed_together_get_the_call_and_a_pick(advisor):
    a = advisor.ask("We run Kubernetes on our own GPU nodes, 40 GPUs shared by three research groups. Slurm, Kueue, "
                    "Run:ai, or should we write our own queueing service?")
    assert a.verdict == "buy"
    assert "Kueue" in a.lead.split(". ", 2)[-1] and re.search(r"fits best|both fit|is what fits", a.lead)
    assert titled(a, "Side by side") is not None and titled(a, "Options to buy") is None


def test_who_is_right_between_named_options_is_a_pick_not_general_guidance(advisor):
    a = advisor.ask("For tagging our warehouse camera images, one colleague says Labelbox, another says just install "
                    "CVAT. Who is right?")
    assert a.act == "vendor" and a.component == "data-labeling"
    assert "four questions" not in a.lead.lower()


def test_a_follow_up_never_repeats_a_line_of_the_answer_before(advisor):
    first = advisor.ask("Feature store for a fraud model: build or buy? Our features already sit in Redis and Kafka.")
    second = advisor.ask("And if lookups grow to 8,000 a second with a 15 ms budget?", first.conversation_id)
    before = bare(first.text)
    for section in second.sections:
        for item in section.items:
            assert bare(item) not in before
        if section.text:
            assert bare(section.text) not in before


def test_why_not_just_write_it_after_a_verdict_is_answered_not_refused(advisor):
    first = advisor.ask("Experiment tracker for 12 data scientists: build or buy?")
    a = advisor.ask("Why not just write one? It's a table of runs and a page of charts, a week of work.",
                    first.conversation_id)
    assert a.verdict != "refuse" and a.act == "why" and a.component == "experiment-tracking"
    assert_citations_resolve(a)


def test_what_stays_ours_names_the_product_they_said_they_take(advisor):
    first = advisor.ask("Evals for our LLM summariser: build a harness or buy a tool?")
    a = advisor.ask("Suppose we go with Langfuse self-hosted. What would we still write ourselves?",
                    first.conversation_id)
    connect = next(s for s in a.sections if s.title.startswith("How it connects"))
    assert "Langfuse, which you are going with, is the bought side" in connect.text
    assert not any(name in connect.text for name in ("LangSmith", "Braintrust", "Phoenix"))
    assert connect.title == "How it connects to what you buy"


def test_a_middle_ground_follow_up_asks_which_part_to_build(advisor):
    first = advisor.ask("Should our platform team build an in-house ML platform instead of paying for Vertex AI?")
    a = advisor.ask("Is there some middle ground where they build only the part they care about?",
                    first.conversation_id)
    assert a.act == "build-part" and a.component == "ml-platform"


def test_which_of_the_two_after_new_facts_picks_the_product_they_already_pay_for(advisor):
    first = advisor.ask("ML platform for 15 data scientists on AWS: Databricks or SageMaker, or assemble our own from "
                        "open source?")
    a = advisor.ask("Forgot to mention: our analysts already do everything in Spark and we have a Databricks contract "
                    "for ETL. Which of the two would you take?", first.conversation_id)
    assert a.act == "vendor" and "Databricks fits best" in a.lead
    assert "SageMaker, its own offering, is the option to weigh first" not in a.lead


def test_a_renewal_quote_against_running_an_open_source_store_is_summed(advisor):
    first = advisor.ask("We've run Tecton for a year for our ranking features; the renewal quote is $250k/year. "
                        "Build our own instead?")
    a = advisor.ask("If we ran Feast ourselves instead, what would that cost over 3 years compared with the quote?",
                    first.conversation_id)
    assert a.act == "cost"
    assert "$750k over three years" in a.lead and "engineers a year" in a.lead
    assert a.lead.startswith("On your numbers")


def test_platform_engineers_in_a_large_company_are_no_early_stage_team(advisor):
    a = advisor.ask("We are a regional insurer with 12 models in production and 2 platform engineers who run our "
                    "Kubernetes. Should we standardise model serving on a product or write a thin layer ourselves?")
    assert "early-stage" not in a.conditions


def test_a_people_count_for_the_build_is_no_early_stage_team(advisor):
    a = advisor.ask("My tech lead wants to build our own feature store over the next 6 months with 3 engineers. What "
                    "are the risks of letting him?")
    assert "early-stage" not in a.conditions


def test_an_air_gapped_network_with_a_date_is_not_told_a_managed_service_saves_it(advisor):
    a = advisor.ask("Our production network has no outbound internet access because of our regulator. We need one "
                    "standard way to serve our 10 models by the end of Q3. Buy a serving product or write our own?")
    assert "regulated" in a.conditions
    assert "managed service can often be running within about a week" not in a.text


def test_infrastructure_without_a_row_shows_only_the_questions_their_facts_bear_on(advisor):
    a = advisor.ask("We need a guardrails layer for our support chatbot. Team of 3 backend developers, no ML people. "
                    "Build or buy?")
    applied = titled(a, "The four questions, applied to what you told us")
    assert applied is not None
    assert not any("Count what moving off it would cost" in item for item in applied.items)
    assert titled(a, "What stays yours to write") is not None


def test_a_pick_follows_the_kind_of_work_they_described(advisor):
    a = advisor.ask("We need bounding boxes drawn on 30,000 video frames from our shop-floor cameras. Label Studio, "
                    "CVAT or Labelbox: which one?")
    assert a.act == "vendor" and "CVAT fits best" in a.lead


def test_hosted_api_against_self_hosting_gets_the_call_and_no_pick_that_contradicts_it(advisor):
    a = advisor.ask("Three of us, seed stage, about 5k requests a day on the OpenAI API. Should we move to Llama on "
                    "vLLM on rented GPUs to save money?")
    assert a.verdict == "buy"
    assert "vLLM fits best" not in a.lead


def test_how_to_trial_a_shortlist_says_what_the_trial_should_show(advisor):
    a = advisor.ask("We will buy an LLM tracing tool. Langfuse, Braintrust or LangSmith: how do we evaluate them and "
                    "what should a trial cover?")
    assert a.act == "evaluate"
    shows = titled(a, "What the trial should show")
    assert shows is not None and any("is working when" in item for item in shows.items)
    assert titled(a, "Options to buy") is None  # the shortlist is theirs already
    assert_citations_resolve(a)


def test_what_would_have_to_change_is_a_what_if(advisor):
    a = advisor.ask("For our feature store you'd say buy. What would need to change for building one to make sense?")
    assert a.act == "what-if" and a.component == "feature-store"


def test_a_middle_ground_after_a_capability_gap_builds_the_component_the_gap_points_to(advisor):
    first = advisor.ask("Our lead wants an in-house ML platform to replace Vertex AI. Is that wise?")
    second = advisor.ask("He says Vertex AI doesn't support the on-device export our mobile models need.",
                         first.conversation_id)
    assert "production-evidence" in second.conditions and second.verdict == "hybrid"
    a = advisor.ask("So is there a middle ground where he builds only that part?", first.conversation_id)
    assert a.act == "build-part" and "build the specific component the evidence points to" in a.lead


def test_should_we_move_it_to_a_managed_platform_is_answered_yes_or_no_first(advisor):
    a = advisor.ask("Model serving is what our customers pay us for: they call our low-latency scoring API. Should we "
                    "move serving to a managed platform anyway?")
    assert a.verdict == "build"
    # A decision asked about the move (read as the call, or as a switch): no to moving first, and why.
    assert a.lead.startswith("No") and "core product" in a.lead


def test_a_correction_that_only_comes_near_another_rows_name_keeps_the_thread(advisor):
    first = advisor.ask("We pay about $15k a month for a hosted LLM API to write product descriptions. Should we "
                        "self-host an open model instead? 6 backend developers, no ML engineers.")
    a = advisor.ask("Correction: that $15k included a one-time batch of embeddings for search. The monthly "
                    "generation spend is about $2k.", first.conversation_id)
    assert a.component == "llm-inference" and not a.refused
    b = advisor.ask("So what's the call now?", a.conversation_id)
    assert b.component == "llm-inference" and not b.refused and b.verdict == "buy"


def test_a_new_rule_asked_as_does_that_change_it_says_whether_the_call_moved(advisor):
    first = advisor.ask("Five of us keep 6 models as pickles in a bucket. Do we need a model registry, build or buy?")
    a = advisor.ask("Update: two of these models now fall under GMP rules with audit trails and e-signatures. Does "
                    "that change the answer?", first.conversation_id)
    assert a.act == "verdict" and "regulated" in a.conditions
    # The regime they named (GMP, a GxP rule) is what the answer speaks of, not a generic "your rules".
    assert re.search(r"\bG(?:x|M)P\b", a.lead) and "your rules" not in a.lead


def test_a_shortlist_carried_forward_drops_another_clouds_service_once_they_name_their_cloud(advisor):
    first = advisor.ask("40 analysts deploy models by hand. Leadership wants an ML platform: Databricks, Vertex AI, or "
                        "Kubeflow run by our infra team?")
    then = advisor.ask("We're an AWS-only company; a second cloud will not be approved.", first.conversation_id)
    a = advisor.ask("How should we evaluate the options that are left?", then.conversation_id)
    offered = next((s for s in a.sections if s.kind == "options"), None)
    assert offered is not None and not any("Vertex" in item for item in offered.items)


def test_a_follow_up_made_only_of_decision_words_stays_in_the_thread(advisor):
    first = advisor.ask("Our help-desk assistant sends about 15 million tokens a day to a hosted model API.")
    a = advisor.ask("With those figures, is self-hosting still worth it?", first.conversation_id)
    assert not a.refused and a.component == "llm-inference"
    # One word more names something else to decide: the act head judges that turn as before.
    assert not advisor.reader.read("ok and self-hosting our wiki, worth it?").names_nothing
    assert advisor.reader.read("With those figures, is self-hosting still worth it?").names_nothing


def test_a_row_named_only_in_the_news_before_a_still_question_keeps_the_thread(advisor):
    first = advisor.ask("We built our own ML platform on GKE: Kubeflow pipelines, our own serving and feature jobs, "
                        "about 30 models in production. Should we move to Vertex AI?")
    a = advisor.ask("One more thing: the team that runs it shrank from 6 engineers to 2 and the author of the serving "
                    "layer has left. Is staying on our own platform still worth it?", first.conversation_id)
    assert a.component == "ml-platform"
    assert "2 engineers" in a.lead or "from 6 engineers to 2" in a.lead
    assert "6 engineers and" not in a.lead  # the figure the change ended at, not the old one


def test_a_row_named_in_a_sentence_that_tells_moves_a_follow_up_that_asks_afresh(advisor):
    first = advisor.ask("Fraud team, 4 ML engineers, 2,000 card transactions a second. Build a real-time feature store "
                        "or buy one?")
    a = advisor.ask("Thanks. Same company, next topic is model monitoring: labels arrive 60 days late. Build or buy "
                    "for that?", first.conversation_id)
    assert a.component == "ml-monitoring"


def test_a_small_team_counted_in_people_reads_without_an_article(advisor):
    first = advisor.ask("Robotics company, about 60 people on the ML team. Should we pay for Weights & Biases or "
                        "self-host MLflow?")
    a = advisor.ask("Typo: it's 6 people on the ML team, not 60. Does that change your answer?", first.conversation_id)
    assert "a 6 people" not in a.lead and "— " not in a.lead


def test_numbers_for_both_sides_given_later_are_summed_before_the_call_is_restated(advisor):
    first = advisor.ask("Our analytics group wants to buy Dataiku for $120,000 a year for demand forecasting. Should we "
                        "buy it or build on open-source tools?")
    a = advisor.ask("Our lead says building it ourselves needs 2 additional engineers at $100,000 each fully loaded, "
                    "plus $10,000 a year in cloud; Dataiku would still need 1 additional engineer. Is buying still "
                    "worth it?", first.conversation_id)
    assert a.component == "ml-platform"
    assert a.lead.startswith("On your numbers, building comes to about $210k a year")
    assert "$220k a year for Dataiku" in a.lead and "building costs about $10k a year less" in a.lead
    assert_citations_resolve(a)
