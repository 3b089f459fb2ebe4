"""Classes of question fixed in the fifth 2026-12-06 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.quantities import Quantity, extract, implications, load_thresholds
from advisor.settings import Settings
from advisor.train import corpus_dir


def _thresholds():
    return load_thresholds(corpus_dir(Settings().knowledge_dir) / "quantities.yaml")


def test_items_sorted_into_classes_by_hand_are_a_labelling_backlog():
    q = extract("about 4 million listing photos to sort into 25 room types")
    assert [x.kind for x in q] == ["items_backlog"] and q[0].value == 4_000_000


def test_a_daily_labelling_volume_weighs_more_than_the_same_volume_processed():
    t = _thresholds()
    labels = [Quantity(kind="items_per_day", value=8000, text="3 million chats a year")]
    assert implications(labels, t.for_component("data-labeling")).get("scale") == "stated"
    assert implications(labels, t.for_component("data-pipeline")).get("scale") != "stated"


def test_llm_requests_weigh_more_than_classic_model_requests():
    t = _thresholds()
    calls = [Quantity(kind="traffic_rps", value=60, text="60 requests a second")]
    assert implications(calls, t.for_component("llm-inference")).get("scale") == "stated"
    assert implications(calls, t.for_component("model-serving")).get("scale") != "stated"


def test_a_labelling_question_the_component_head_is_torn_on_names_its_row(advisor):
    a = advisor.ask("Loan files at our credit union must stay inside our own environment by provincial law. Who "
                    "should tag them for the underwriting model: our own staff or an outsourced annotation team?")
    assert a.component == "data-labeling"
    assert a.verdict != "refuse"


def test_the_sentence_that_asks_outranks_a_background_about_another_row(advisor):
    a = advisor.ask("We serve 80 pricing models answering about 30 million predictions a day for a grocery chain. "
                    "The nightly job that joins actual outcomes back onto each logged prediction so we can measure "
                    "accuracy: build it or buy it?")
    assert a.component == "ml-monitoring"
    assert a.part == "ground-truth"
    assert a.verdict == "build"


def test_owned_hardware_on_premises_is_no_data_rule(advisor):
    r = advisor.reader.read("Our physics group owns 32 A100s in four nodes, on-prem. People grab GPUs by hand. "
                            "Slurm, Kueue or a paid scheduler?")
    assert "regulated" not in r.conditions


def test_data_kept_on_premises_is_a_data_rule(advisor):
    r = advisor.reader.read("Patient records must stay on-prem. Experiment tracking: build or buy?")
    assert "regulated" in r.conditions


def test_machines_they_own_are_no_option_to_buy(advisor):
    a = advisor.ask("We own 24 H100s in our own rack and pay nothing for them now. The options are Slurm, Kueue, "
                    "or Run:ai at about $80k a year. What is the three-year cost view?")
    assert "purchase price" not in a.lead
    assert "Run:ai" in a.lead or "quote" in a.lead


def test_a_tool_named_only_as_an_option_is_not_what_they_run(advisor):
    a = advisor.ask("Small robotics lab, 16 GPUs in two boxes, no cluster software today. Options on the table: "
                    "Slurm, or Kubernetes plus Kueue. Which one?")
    assert "you already use" not in a.lead


def test_work_under_a_tool_is_run_by_it(advisor):
    a = advisor.ask("300 engineers share 900 GPUs under Slurm. The job templates and a small submit command that "
                    "hides its flags: build or buy?")
    assert a.part == "job-definitions"
    assert a.verdict == "build"


def test_a_spending_stop_is_a_tight_budget(advisor):
    r = advisor.reader.read("Every tool over 300 dollars a month needs the board, and the board won't approve "
                            "anything new this year. Our team shares some rented GPUs. GPU scheduling: build or buy?")
    assert "budget" in r.conditions


def test_a_capped_tooling_spend_is_a_tight_budget(advisor):
    r = advisor.reader.read("Our total tooling spend is capped at 900 euros a month. ML monitoring: build or buy?")
    assert "budget" in r.conditions


def test_what_to_do_now_so_a_later_change_is_cheap(advisor):
    first = advisor.ask("We serve one gradient-boosted model at 4,000 requests a second on our own FastAPI pods. "
                        "Build or buy serving?")
    a = advisor.ask("What if we move to a GPU model next year? And what should we do now so we don't have to "
                    "rebuild everything?", first.conversation_id)
    titles = [s.title for s in a.sections]
    assert "What to do now" in titles


def test_a_speech_model_service_is_not_llm_inference(advisor):
    a = advisor.ask("We transcribe 5,000 hours of Dutch and Frisian call audio a month. Fine-tune Whisper on our "
                    "own recordings and run it, or pay a transcription vendor? Build or buy?")
    assert a.component is None
    assert a.verdict == "depends"


def test_an_absolute_said_as_a_fact_is_a_data_rule(advisor):
    r = advisor.reader.read("Insurance broker in Lyon, no customer data leaves France. MLflow or Neptune for tracking?")
    assert "regulated" in r.conditions


def test_a_request_said_as_a_need_gets_its_second_ask(advisor):
    a = advisor.ask("Our clinic group must keep patient notes in our own data centre. Self-host an open-weight model "
                    "for summaries or wait for a hosted provider's contract? I need a recommendation and the main "
                    "risks for the board.")
    assert any(s.title == "Risks" for s in a.sections)


def test_self_hosting_advised_runs_on_the_machines_they_own(advisor):
    a = advisor.ask("By law our case files cannot leave our own servers. We already own 4 servers with 8x A100 from "
                    "an old project. Host an open-weight model for drafting letters, or use a hosted API?")
    assert "self-host" in a.lead.lower()
    assert "4 servers with 8x A100" in a.lead


def test_money_no_longer_short_takes_the_budget_back(advisor):
    first = advisor.ask("Fish wholesaler in Bergen and cash is very tight this quarter. Feature store: build or buy?")
    a = advisor.ask("Forget the money bit: the new investor came through and our budget was restored. Still the "
                    "same answer?", first.conversation_id)
    assert "budget" not in a.conditions


def test_a_team_counted_in_persons_is_a_headcount():
    q = extract("hello, we are three persons and we started in may")
    assert [(x.kind, x.value) for x in q] == [("headcount", 3)]


def test_a_plan_to_build_judged_gets_yes_or_no_first(advisor):
    a = advisor.ask("Our head of data wants us to code our own model registry rather than use MLflow's. Nothing we "
                    "need is missing from the usual tools; he just likes owning things. Is he right?")
    assert a.act == "verdict"
    assert a.lead.startswith("No.")


def test_monitoring_named_with_the_models_it_watches_is_in_scope(advisor):
    a = advisor.ask("insurer in almaty, regulator says policyholder data stays in kazakhstan. monitoring for our 9 "
                    "pricing models: build or buy?")
    assert a.component == "ml-monitoring"
    assert a.verdict != "refuse"


def test_the_rows_name_as_verbs_names_the_row(advisor):
    a = advisor.ask("We run a travel-booking chatbot, live for a year, 2,000 chats a day. For evaluating and "
                    "observing the LLM side of it: build or buy?")
    assert a.component == "llm-observability"


def test_measures_of_a_tool_already_run_skip_its_rollout(advisor):
    a = advisor.ask("We bought Arize five months ago to monitor our churn models. The CFO asks how we know it is "
                    "worth the money. What KPIs should we report each quarter?")
    assert "which you already run" in a.lead
    assert not any(s.title == "Rolling it out" for s in a.sections)


def test_the_rule_for_their_situation_answers_before_a_pick_it_does_not_name(advisor):
    a = advisor.ask("Labelbox or Scale AI for tagging our shop's product photos? We have almost no money this year.")
    assert a.lead.count("Label Studio") >= 1
    assert "safe default" not in a.lead


def test_a_product_that_does_the_work_asked_is_partly_enough(advisor):
    first = advisor.ask("Our insurance chatbot calls Azure OpenAI. We need guardrails that mask policy numbers before "
                        "the model sees them and stop prompt injection. Build them ourselves or buy a guardrails "
                        "vendor?")
    a = advisor.ask("we already use Portkey as our gateway and it has guardrail hooks. is that enough, or do we "
                    "still need a separate thing?", first.conversation_id)
    assert a.lead.startswith("Partly")
