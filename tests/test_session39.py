"""Classes of question fixed in the second 2026-12-07 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.shapes.sections import _side_of


def test_compliance_clearing_a_hosted_api_ends_the_data_rule(advisor):
    first = advisor.ask("Retail bank in Karachi, 5 app developers, no ML staff. Management says the central bank wants "
                        "all customer data kept in Pakistan, so they want to run Llama on our own GPUs for the support "
                        "bot. Or should we call an API?")
    assert "regulated" in first.conditions
    a = advisor.ask("Legal looked again: the rule is for core banking records, so it is not true for the bot. "
                    "Compliance says using an API in a cloud region abroad is acceptable if we mask account numbers. "
                    "What now?", first.conversation_id)
    assert "regulated" not in a.conditions
    assert a.verdict == "buy"


def test_llm_chats_a_day_are_no_scale_problem(advisor):
    r = advisor.reader.read("Our support assistant handles about 20,000 chats a day through a hosted model. Should we "
                            "host our own model instead?")
    assert r.component == "llm-inference"
    assert "scale" not in r.conditions


def test_risks_of_doing_that_refer_to_the_plan_told_just_before(advisor):
    first = advisor.ask("Should we buy an LLM evaluation platform or keep our notebooks? 200 labelled cases so far.")
    a = advisor.ask("Suppose we build the eval harness ourselves. What are the biggest risks of doing that, and how "
                    "do we limit them?", first.conversation_id)
    assert a.act == "risks"
    assert "risk of building" in a.lead.lower()
    assert "risk of buying" not in a.lead.lower()


def test_a_risk_sentence_is_about_the_side_it_names_first():
    assert _side_of("The main risk of buying a hosted gateway is that prompts leave, unless it is self-hosted.") == "buy"
    assert _side_of("The main risk of self-hosting inference is running GPUs that a vendor would run.") == "build"
    assert _side_of("For an assembled ML platform, the guard is one named owner.") == "build"


def test_a_reservation_ending_is_no_deadline(advisor):
    r = advisor.reader.read("We have 16 A100s reserved at CoreWeave (until March) and spot GPUs elsewhere. Should we "
                            "write our own scheduler or adopt SkyPilot?")
    assert not r.deadline
    r = advisor.reader.read("The scheduler has to be live by March. Should we write our own or adopt SkyPilot?")
    assert r.deadline


def test_a_fair_evaluation_asked_for_is_the_evaluate_act(advisor):
    a = advisor.ask("Our Comet renewal doubled. Leadership wants us to look at MLflow, ClearML and W&B. What is a "
                    "fair way to run this evaluation over a month?")
    assert a.act == "evaluate"
    r = advisor.reader.read("We built our own ML platform in 2018 and it runs 40 models. The new CTO got offers from "
                            "Databricks and Dataiku. How should I make the comparison in a fair way?")
    assert r.act == "evaluate"


def test_a_row_named_among_listed_options_is_the_subject(advisor):
    r = advisor.reader.read("We need our Postgres data in Snowflake every hour for the churn model. Options we have: "
                            "Airbyte, Snowflake's own connectors, or Debezium with Kafka ourselves. Which one?")
    assert r.component == "data-pipeline"


def test_options_no_note_covers_get_the_call_not_other_products(advisor):
    a = advisor.ask("We need our Postgres data in Snowflake every hour for the churn model. Options we have: Airbyte, "
                    "Snowflake's own connectors, or Debezium with Kafka ourselves. Which one?")
    assert not any(s.kind == "comparison" for s in a.sections)


def test_human_transcription_for_training_data_is_labelling(advisor):
    r = advisor.reader.read("We need 800 hours of Wolof audio transcribed for our speech model. Hire our own "
                            "transcribers or pay an agency per minute?")
    assert r.component == "data-labeling"


def test_models_deployed_to_edge_devices_are_serving(advisor):
    r = advisor.reader.read("We want to push our defect models to 300 factory cameras. Azure IoT Edge, or our own "
                            "agent that pulls the model files: build or buy?")
    assert r.component == "model-serving"


def test_do_we_after_someone_says_we_need_it_asks_the_need(advisor):
    a = advisor.ask("Retail forecasting team, 3 people. Our demand models are recomputed weekly and the store "
                    "allocation scores run as a daily batch, all in dbt on BigQuery. Our VP read about Feast and "
                    "thinks we need a feature store. Do we?")
    assert a.lead.startswith("Not yet")


def test_a_request_time_need_supposed_ends_not_yet(advisor):
    first = advisor.ask("Retail forecasting team, 3 people. Our demand models are recomputed weekly and the store "
                        "allocation scores run as a daily batch, all in dbt on BigQuery. Our VP read about Feast and "
                        "thinks we need a feature store. Do we?")
    a = advisor.ask("What if the web shop had to show a personalised price in under a second while the customer "
                    "waits? Does that change it?", first.conversation_id)
    assert a.lead.startswith("Yes")
    assert "request time" in a.lead


def test_what_customers_pay_for_told_of_the_row_is_the_core(advisor):
    r = advisor.reader.read("We run a patent-drawing search service. The similarity index over 30 million drawings is "
                            "what customers pay us for, tuned over eight years. Should we move it onto Qdrant?")
    assert r.component == "vector-database"
    assert "core-differentiator" in r.conditions
    r = advisor.reader.read("We sell a fitness app and customers pay for the coaching plans. Should we build our own "
                            "feature store?")
    assert "core-differentiator" not in r.conditions


def test_a_spending_cap_is_a_tight_budget(advisor):
    r = advisor.reader.read("Our director set a hard cap of 300 euros a month on all our tooling. Write our own "
                            "experiment tracker or use one?")
    assert "budget" in r.conditions
    r = advisor.reader.read("Finance capped the whole ML spend at 5,000 dollars a month. What do we build for training?")
    assert "budget" in r.conditions


def test_owning_it_for_a_special_need_one_day_is_control_later(advisor):
    r = advisor.reader.read("Our head of data wants an in-house feature service so that one day, if we ever need "
                            "something special, it is ours. Feast covers everything today. Your view?")
    assert "control-later" in r.conditions


def test_which_work_stays_with_us_asks_the_build_part(advisor):
    first = advisor.ask("Drift monitoring for our churn models: buy or build?")
    a = advisor.ask("Evidently Cloud is now live for all four model teams. Which work stays with us from here on?",
                    first.conversation_id)
    assert a.act == "build-part"


def test_what_will_bite_us_on_a_supposed_route_asks_the_risks(advisor):
    r = advisor.reader.read("If we go ahead and write our own feature store after all, what's going to bite us in the "
                            "second year?")
    assert r.act == "risks"


def test_a_pilot_designed_on_request_is_the_evaluate_act(advisor):
    r = advisor.reader.read("Shortlist is BentoML vs KServe. Sketch us a two-week pilot: what traffic do we send and "
                            "which numbers mean it passed?")
    assert r.act == "evaluate"


def test_a_cost_broken_down_line_by_line_is_the_cost_act(advisor):
    first = advisor.ask("Clinic network in Porto: patient notes may not leave Portugal. LLM for summaries: what do we "
                        "do?")
    a = advisor.ask("Fine. Break down what the first year of self-hosting it would cost, line by line, for our "
                    "finance lead.", first.conversation_id)
    assert a.act == "cost"
    assert any("lines to count" in s.title for s in a.sections)


def test_a_gateway_in_front_of_several_providers_is_in_scope(advisor):
    a = advisor.ask("Four apps, three providers. Gateway: build or buy?")
    assert not a.refused
    assert a.component == "llm-gateway"


def test_is_what_we_have_enough_is_answered_yes_or_no_first(advisor):
    a = advisor.ask("Fraud team, 5 people. Monitoring today is a Grafana board on latency and a monthly notebook. Last "
                    "quarter a feed change broke the card model for two weeks before anyone saw it. Is what we have "
                    "enough, or do we need a real ML monitoring product? What would you add?")
    assert a.act == "enough"
    assert a.lead.startswith("No")


def test_gpus_they_own_of_any_model_are_no_load(advisor):
    first = advisor.ask("Money is tight this year. Training infrastructure for our bird-song models: what do we build "
                        "and what do we buy?")
    a = advisor.ask("Forgot to mention: we already own 40 V100s, left over from an old project, in the lab's server "
                    "room.", first.conversation_id)
    assert "scale" not in a.conditions


def test_a_fragment_that_narrows_switches_the_part(advisor):
    first = advisor.ask("Training infrastructure for our crop-yield models: build or buy?")
    a = advisor.ask("Specifically the GPUs themselves.", first.conversation_id)
    assert a.part == "compute"


def test_what_about_a_part_described_asks_its_verdict(advisor):
    first = advisor.ask("Drift detection for our loan models: buy or build?")
    a = advisor.ask("And what about pulling the actual outcomes back from the core system and lining them up with the "
                    "predictions we made?", first.conversation_id)
    assert a.part == "ground-truth"
    assert a.verdict == "build"
    assert a.act == "verdict"


def test_a_rule_on_who_may_read_the_data_where_is_a_data_rule(advisor):
    a = advisor.ask("Land-registry digitisation in Skopje. The ministry contract says the deeds may only be seen by "
                    "staff inside its own buildings. Who should do the labelling: our own people or a managed "
                    "workforce?")
    assert "regulated" in a.conditions
    assert a.part == "workforce"


def test_keep_paying_the_api_or_our_own_weighs_the_row(advisor):
    a = advisor.ask("we send roughly 3 billion tokens a day through a hosted model for ticket summaries. keep paying "
                    "the api or stand up our own models?")
    assert a.part == "whole"
    assert a.verdict == "depends"


def test_pipelines_no_customer_sees_are_no_product(advisor):
    first = advisor.ask("Our pipelines are the product: we sell cleaned shipping data to insurers. Orchestration and "
                        "transforms: build everything?")
    assert first.verdict == "build"
    a = advisor.ask("Correction: we sell risk scores; the pipelines just feed our own models and no customer ever "
                    "sees them. Same question.", first.conversation_id)
    assert "core-differentiator" not in a.conditions


def test_engineers_held_by_upkeep_are_no_small_team(advisor):
    r = advisor.reader.read("Our home-made Flask wrapper now fronts nine models at about 4,000 requests a second, and "
                            "three engineers spend their weeks on its batching. Keep investing in it?")
    assert "early-stage" not in r.conditions


def test_every_component_at_once_is_no_row(advisor):
    a = advisor.ask("We have decided build or buy for each ML component already. How do we actually carry it out "
                    "without chaos, and what do we check afterwards?")
    assert a.component is None
    assert a.act == "implement"


def test_a_purchase_listed_as_an_option_is_no_hardware_owned(advisor):
    r = advisor.reader.read("Options: (1) a managed fine-tuning API, (2) rent GPUs by the hour, (3) buy one 8x H100 "
                            "server and put it in our own data centre. Which is best for us?")
    assert not r.owns_hardware


def test_a_small_team_rule_is_no_caveat_to_a_pick(advisor):
    a = advisor.ask("Marketplace in Izmir, 4 ML engineers. KVKK limits sending personal data abroad. To fine-tune an "
                    "open model on our support logs: OpenAI fine-tuning or Together AI?")
    assert "small or early-stage team should call a hosted" not in a.lead
    assert "early-stage team should call" not in a.lead


def test_parts_a_row_builds_stay_that_part_when_weighed_against_a_vendor(advisor):
    a = advisor.ask("The people who label our X-rays: a vendor's crowd or our own radiographers?")
    assert a.part == "workforce"


def test_the_call_asked_first_stays_the_act_beside_what_to_build(advisor):
    a = advisor.ask("Should our shipping firm buy a vector database for searching bills of lading, and what would we "
                    "still have to build around it?")
    assert a.act == "verdict"
    assert a.verdict == "buy"
