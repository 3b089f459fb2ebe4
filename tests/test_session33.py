"""Classes of question fixed in the third 2026-12-06 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""


def test_a_count_inside_a_larger_model_count_is_part_of_it(advisor):
    r = advisor.reader.read("We host 12 models for a news app: rankers, three image models on GPU and a summariser. "
                            "Each one is its own Flask app. BentoML or KServe?")
    assert "simple" not in r.conditions  # twelve models, not three


def test_a_rule_of_another_division_denied_for_the_asker_is_not_theirs(advisor):
    r = advisor.reader.read("Our sister company in the group handles patient data and its client contracts forbid any "
                            "SaaS. Our own contracts have no such clause, we only label photos of parcels. Label Studio "
                            "or Labelbox?")
    assert "regulated" not in r.conditions
    assert "regulated" in r.negated


def test_that_does_not_apply_to_us_denies_the_rule_just_told(advisor):
    r = advisor.reader.read("The parent bank must keep its data in Germany. That does not apply to us, we sell garden "
                            "tools online. Should we buy a feature store?")
    assert "regulated" in r.negated


def test_the_asker_s_own_rule_told_after_anothers_still_counts(advisor):
    r = advisor.reader.read("Our clients' contracts forbid sending their data to any third-party SaaS. Should we "
                            "self-host Label Studio?")
    assert "regulated" in r.conditions


def test_a_tool_only_proposed_is_not_in_place(advisor):
    r = advisor.reader.read("Our new head of engineering wants to move us to Seldon on Kubernetes. Today one model "
                            "runs in FastAPI on a VM. Is FastAPI enough?")
    assert "Kubernetes" not in r.stack


def test_stack_facts_after_a_choice_pick_again_with_what_they_run(advisor):
    first = advisor.ask("We serve 15 models, several on GPU, each a Flask app on its own VM. 2 MLOps engineers. "
                        "BentoML, Ray Serve or KServe?")
    a = advisor.ask("forgot to say: our data scientists already run Ray on Anyscale for training every day, and we "
                    "have no Kubernetes.", first.conversation_id)
    assert a.act == "vendor"
    assert "Ray Serve fits best" in a.lead and "Ray you already use" in a.lead
    assert not a.lead.startswith("That does not change it")


def test_facts_that_leave_the_call_say_what_they_change_in_the_details(advisor):
    first = advisor.ask("Should we buy an ML monitoring tool for our 5 credit models? We are 4 data scientists.")
    a = advisor.ask("Something I left out: defaults only show up a year after we score an applicant.",
                    first.conversation_id)
    assert a.lead.startswith("That does not change it: still Buy.")
    assert "What it does change" in a.lead and "ground-truth" in a.lead  # the note's line on late labels


def test_what_changes_after_news_asks_the_call_again_not_risks(advisor):
    first = advisor.ask("Customer contracts forbid third-party LLM APIs, so we will self-host Llama 3 70B on our own "
                        "8 H100s with vLLM. Is that the right call? We are 5 ML engineers.")
    a = advisor.ask("Update: one customer now allows a hosted model inside their own cloud tenant; the rest keep the "
                    "clause. What changes?", first.conversation_id)
    assert a.act == "verdict"


def test_what_would_have_to_change_for_building_is_a_what_if_led_by_build(advisor):
    a = advisor.ask("What would need to be true for writing our own labelling tool to make sense?")
    assert a.act == "what-if"
    assert a.lead.startswith("Build becomes the right call only if")


def test_is_a_quoted_price_reasonable_asks_the_cost(advisor):
    r = advisor.reader.read("Evidently Cloud quoted EUR 30k a year for our 12 models. Is that fair against two "
                            "engineers writing drift checks at about EUR 90k each?")
    assert r.act == "cost"


def test_machines_that_are_ours_are_owned_hardware(advisor):
    r = advisor.reader.read("Our lab already owns 24 A100s, paid by a grant. For training compute, buy more or rent?")
    assert "scale" not in r.conditions


def test_the_risks_of_buying_machines_are_the_risks_of_owning_them(advisor):
    a = advisor.ask("A board member wants us to buy four GPU servers for a colo instead of renting from a cloud. We "
                    "are 9 people. What are the risks of buying versus renting?")
    assert a.component == "training-infrastructure" and a.act == "risks"
    assert "owning the GPUs" in a.lead  # the build side: buying, housing, powering and replacing hardware
    assert "already yours" not in a.text  # machines only proposed are not theirs


def test_a_renewal_price_rise_is_the_gain_a_move_weighs(advisor):
    a = advisor.ask("We have used Weights & Biases for 3 years. The renewal came in at $90,000/year (it was $35,000). "
                    "Should we switch to self-hosted MLflow, and if so how do we get off W&B without losing our runs?")
    assert a.act == "switch"
    assert a.lead.startswith("Likely yes: staying now costs about $90k a year, $55k more than the $35k before")


def test_numbers_asked_for_lead_with_the_api_bill_against_the_server(advisor):
    a = advisor.ask("Our Anthropic API bill is about EUR 2,000 per month. My manager wants to buy a GPU server for "
                    "EUR 60,000 and self-host an open model instead; we are 5 developers. Give me numbers I can show "
                    "him.")
    assert a.lead.startswith("On your numbers") and "your API bill of €2,000 a month" in a.lead
    assert "pays for itself after about 30 months" in a.lead
    assert "stays: it covers" not in a.lead  # self-hosting is the other way to get it, not a part beside it


def test_no_bullet_repeats_an_earlier_one(advisor):
    a = advisor.ask("We must pick an ML monitoring vendor for 11 models among Arize, WhyLabs and Evidently Cloud. "
                    "How should we structure the evaluation, what do we test in the trial, and how long should it take?")
    items = [i.split(" [")[0] for s in a.sections for i in s.items]
    assert len(items) == len(set(items))


def test_infrastructure_told_as_a_feature_of_what_they_sell_is_not_their_product(advisor):
    first = advisor.ask("Vector search is what we sell, so do we build our own vector database?")
    a = advisor.ask("Let me put that better: we sell a language-learning app; search is just one feature in it.",
                    first.conversation_id)
    assert "core-differentiator" not in a.conditions
    assert a.verdict != "build"


def test_what_we_sell_said_in_so_many_words_outweighs_a_guessed_negation(advisor):
    r = advisor.reader.read("The system we are asking about is exactly what we sell to our customers.")
    assert "core-differentiator" in r.conditions


def test_a_data_rule_taken_back_reopens_the_managed_editions(advisor):
    first = advisor.ask("Hospital group, 4 data engineers. Patient data must stay on-prem by law. Airflow, Dagster or "
                        "Prefect for our pipelines?")
    a = advisor.ask("Legal checked again: the on-prem rule only covers patient records, and our pipelines only touch "
                    "anonymised counts, so cloud is allowed. So what changes?", first.conversation_id)
    assert "regulated" not in a.conditions
    reopened = next(s for s in a.sections if s.title == "Managed editions, open again")
    assert any("Prefect Cloud" in item for item in reopened.items)
