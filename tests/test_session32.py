"""Classes of question fixed in the second 2026-12-06 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.quantities import extract


def test_is_a_fact_a_reason_to_build_is_answered_yes_or_no_with_what_it_asks(advisor):
    a = advisor.ask("We're 4 engineers at a seed-stage startup with 3 models. Is avoiding lock-in a good reason to "
                    "build our own ML platform?")
    assert a.lead.startswith("No:")
    assert "What it does ask of you" in a.lead  # the lock-in rule's own advice, beside what decides


def test_mistakes_when_setting_up_a_component_are_its_own_risks_and_rollout(advisor):
    a = advisor.ask("We are about to put drift monitoring on our five credit models for the first time. What mistakes "
                    "do teams usually make with this?")
    assert a.component == "ml-monitoring"
    assert a.lead.startswith("The usual mistakes with ML monitoring")
    assert any(s.title.startswith("How to avoid them") for s in a.sections)
    assert "model serving" not in a.text.lower()  # never the other rows' lines of the general note


def test_a_correction_of_the_subject_moves_to_the_row_named(advisor):
    first = advisor.ask("Should we build or buy our feature store?")
    a = advisor.ask("Oops, I meant experiment tracking, not the feature store.", first.conversation_id)
    assert a.component == "experiment-tracking"


def test_a_correction_of_the_bill_is_set_against_the_server_quote(advisor):
    first = advisor.ask("We run Mixtral on a hosted API, about 300M tokens a day. A datacentre offered one 8x H100 "
                        "server for EUR 40,000 per month. Should we move to self-hosting the open-weight model?")
    a = advisor.ask("Sorry, wrong dashboard: it is 30M tokens a day and the API invoice is about EUR 5,000 per month. "
                    "Does that change it?", first.conversation_id)
    assert a.lead.startswith("That does not change it")
    assert "€5,000 a month" in a.lead and "€40k a month" in a.lead  # the server once, not eight machines
    assert "scale" not in a.conditions  # the corrected volume no longer makes it a scale problem


def test_options_priced_per_user_lead_a_choice_with_their_sums(advisor):
    a = advisor.ask("We're 8 ML engineers choosing a tracker: (a) Weights & Biases at $40 per user per month; (b) "
                    "Comet at $25 per user per month. Which would you pick?")
    assert a.lead.startswith("On your numbers: ")
    assert "(a) Weights & Biases about $3,800 a year" in a.lead and "(b) costs least" in a.lead


def test_a_data_rate_in_terabytes_a_day_is_scale():
    assert [q.kind for q in extract("we ingest about 2 TB a day of sensor logs")] == ["data_per_day"]


def test_listing_options_is_not_running_them(advisor):
    r = advisor.reader.read("The options we have: (1) the OpenAI API through Azure, (2) Llama on our own GPUs. "
                            "Which for summarising support tickets?")
    assert r.running == []


def test_a_rule_that_data_stay_on_servers_in_a_country_is_regulated(advisor):
    r = advisor.reader.read("Our public-sector client says every record must be processed on servers inside "
                            "Estonia. Feature store: build or buy?")
    assert "regulated" in r.conditions


def test_someone_on_leave_is_no_data_location(advisor):
    r = advisor.reader.read("Our only platform engineer is on parental leave until May. Kueue or Run:ai?")
    assert r.data_location == ""


def test_a_claimed_saving_and_cold_start_become_their_own_tests(advisor):
    a = advisor.ask("We serve a speech model on GKE. The vendor's sales engineer says cold starts are under a second "
                    "and that we would pay about 45% less than on our own nodes. How do we verify that before signing?")
    claims = [s for s in a.sections if s.title == "Their claims, as tests on your own data"]
    assert claims
    items = " ".join(claims[0].items)
    assert "scale to zero" in items and "invoice" in items
    assert "labelled set" not in items  # a saving is no share of cases caught


def test_choosing_among_a_split_rows_products_is_about_the_bought_part(advisor):
    a = advisor.ask("We have 30 cron jobs that fail silently and want retries and alerts. Airflow, Dagster or "
                    "Prefect: which one should we pick?")
    assert a.component == "data-pipeline"
    assert a.part == "orchestration" and a.verdict == "buy"


def test_nobody_to_run_it_on_a_site_with_no_cloud_claims_no_vendor_runs_it(advisor):
    a = advisor.ask("Everything we run is on-prem, no cloud at all: 32 A100s on Kubernetes. Our only platform engineer "
                    "is on leave until June. Kueue or Run:ai?")
    assert "its vendor runs it" not in a.text
    b = advisor.ask("We have no ops people and 4 models to serve. KServe or a managed endpoint on SageMaker?")
    assert "nobody" in b.text.lower()  # elsewhere, nobody to run it still counts
