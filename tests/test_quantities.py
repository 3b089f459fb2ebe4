"""Numbers with units, and the conditions their magnitude settles (thresholds from the data file)."""

from pathlib import Path

import pytest

from advisor.errors import ConfigError
from advisor.lexicon import normalize
from advisor.quantities import extract, implications, load_thresholds, missed_target

THRESHOLDS = load_thresholds(Path("knowledge/understanding/quantities.yaml"))


def said(text: str) -> dict[str, str]:
    return implications(extract(text), THRESHOLDS)


@pytest.mark.parametrize("text, expected", [
    ("our model gets 3 requests per minute", {"scale": "negated", "simple": "stated"}),
    ("2 models and 10 predictions per day", {"scale": "negated", "simple": "stated"}),
    ("a handful of calls a day", {"scale": "negated", "simple": "stated"}),
    ("we need 20k requests per second", {"scale": "stated"}),
    ("peak is 5k rps", {"scale": "stated"}),
    ("2 million predictions per second", {"scale": "stated"}),
    ("around two billion tokens a day", {"scale": "stated"}),  # a number word, then how many of it
    ("ten thousand requests a second", {"scale": "stated"}),
    ("we run 200 models in production", {"scale": "stated"}),
    ("we serve 9 models", {"simple": "negated"}),  # more than a few models, short of many
    ("p99 under 10 ms", {"scale": "stated"}),
    ("p99 under 10ms", {"scale": "stated"}),  # the unit glued to the number
    ("we are a 4-person startup", {"early-stage": "stated"}),
    ("a team of 6 engineers", {"early-stage": "stated"}),
    ("we are 300 people now", {"early-stage": "negated"}),
    ("we just got acquired by a 3,000-person bank", {"early-stage": "negated"}),
    ("a 600-employee insurer", {"early-stage": "negated"}),
    ("our 8-person startup", {"early-stage": "stated"}),
    ("a 4-person research team", {"early-stage": "stated"}),
    ("a 40-person data team inside the group", {"early-stage": "negated"}),  # a team, counted as engineers
    # How often, in words or as "N times": a small load however it is spelled.
    ("we'd call the model maybe 2 times a minute", {"scale": "negated", "simple": "stated"}),
    ("it answers about 30 questions a day", {"scale": "negated", "simple": "stated"}),
    # How often training runs is a job's cadence, no calls to serve: it settles neither (fourth 2026-12-07 session).
    ("we retrain it twice a month", {}),
    ("it runs 50 times a day", {"scale": "negated", "simple": "stated"}),
    # A count per second with the noun left out is traffic; going from a trickle to it is scale.
    ("what if traffic went from 50 requests a day to 20k per second", {"scale": "stated"}),
    ("peaks of 3k/s", {"scale": "stated"}),
    ("we pay $5 per second of GPU time", {}),
    # Team size counted in words, and an organisation counted in staff.
    ("four of us share one server", {"early-stage": "stated"}),
    ("just the two of us", {"early-stage": "stated"}),
    ("an EU telecom with 3,000 staff", {"early-stage": "negated"}),
    # One model is a small need only while its traffic is small too.
    ("one model at about 2 million requests a day", {"scale": "negated", "simple": "negated"}),
    ("3 models at a few requests an hour", {"scale": "negated", "simple": "stated"}),
    # Words that say what kind of request stand between the number and the noun; people counted are no rate.
    ("~350k bid requests/sec at peak", {"scale": "stated"}),
    ("40k search API calls per second", {"scale": "stated"}),
    ("we have 3 engineers handling calls per day", {"early-stage": "stated"}),
    # A bound written as a symbol is the same bound in words.
    (normalize("so scoring has to be p99 < 5ms"), {"scale": "stated"}),
])
def test_magnitude_settles_condition(text, expected):
    assert said(text) == expected


def test_middle_values_settle_only_that_it_is_not_scale():
    # 5 requests per second is neither a small load nor a scale problem; from 10 a second it is no small need.
    assert said("about 5 requests per second") == {"scale": "negated"}
    assert said("about 10 requests per second") == {"scale": "negated", "simple": "negated"}


def test_who_did_something_is_not_team_size():
    assert said("one engineer wrote our serving layer years ago; we re 300 people now") == {"early-stage": "negated"}


@pytest.mark.parametrize("text, expected", [
    # The team that would build and run it is what "early stage or a small team" is about ...
    ("we're 3 data scientists inside a 4000-person retailer", "stated"),
    ("a 4-person ML team at a 900-employee insurer", "stated"),
    # ... but a company counted alone, a large team, or many teams using it are past that stage.
    ("a 4000-person retailer", "negated"),
    ("a team of 4 serving 15 product teams at a 600-person fintech", "negated"),
    ("40 ml engineers at a 70-person startup", "negated"),
])
def test_a_small_team_inside_a_large_company_is_still_a_small_team(text, expected):
    assert said(text)["early-stage"] == expected


def test_model_as_a_modifier_counts_something_else():
    # "three model providers" are providers used together (past the simple case), never three models.
    assert said("five product teams call three model providers") == {"simple": "negated", "early-stage": "negated"}
    assert [q.kind for q in extract("we keep 2 model registries in sync")] == []


def test_a_gpu_model_name_is_not_a_count():
    assert [(q.kind, q.value) for q in extract("14 pytorch models behind fastapi on T4 GPUs")] == [("models", 14)]
    assert [q.kind for q in extract("we run on A10 gpus")] == []
    assert [(q.kind, q.value) for q in extract("8 H100s")] == [("gpus", 8)]


def test_volume_without_time_unit_is_not_a_rate():
    assert [q.kind for q in extract("10k predictions so far")] == []


def test_money_per_year_is_normalised_to_months():
    (q,) = [q for q in extract("the vendor quoted $24,000 a year") if q.kind == "money_per_month"]
    assert q.value == pytest.approx(2000)


def test_bad_thresholds_file_names_file_and_field(tmp_path):
    bad = tmp_path / "quantities.yaml"
    bad.write_text("traffic_rps: {scale_at_least: lots}\n")
    with pytest.raises(ConfigError) as err:
        load_thresholds(bad)
    assert "quantities.yaml" in err.value.message and "traffic_rps" in err.value.message


def test_model_size_is_not_a_model_count():
    # "a 70B model" is one model of 70 billion parameters, not 70 billion models (which would read as scale).
    assert [q.kind for q in extract("we want to self-host a 70B model in 4-bit")] == []
    assert [q.kind for q in extract("a 13 billion parameter model on two GPUs")] == ["gpus"]
    assert [(q.kind, q.value) for q in extract("we serve two 7b models")] == [("models", 2.0)]
    assert "scale" not in said("we want to self-host a 70B model")


@pytest.mark.parametrize("text, expected", [
    # Work that is not a request is a volume per day with thresholds per kind of work.
    ("we get about 3 million support tickets to tag every quarter", {"scale": "stated"}),
    ("roughly 40 scanned invoices an hour", {"scale": "negated", "simple": "stated"}),
    ("our chatbot burns 2 billion tokens per day", {"scale": "stated"}),
    ("about 300k tokens a month", {"scale": "negated", "simple": "stated"}),
    ("we kick off 5,000 training jobs weekly", {"scale": "stated"}),
    ("about 5000 documents daily", {}),  # between the thresholds: settles nothing
])
def test_volumes_of_work_settle_by_their_own_thresholds(text, expected):
    assert said(text) == expected


def test_a_volume_takes_no_period_from_the_next_count():
    # "2 million documents and 10 queries per second": the documents are stored, the queries arrive.
    found = extract("about 2 million documents and 10 queries per second")
    assert [q.kind for q in found] == ["traffic_rps", "corpus_docs"]  # a collection's size, never a rate


def test_a_document_collection_is_a_size_whose_magnitude_settles_scale():
    t = THRESHOLDS
    small = extract("the manuals come to roughly 60,000 pages in three languages")
    assert [(q.kind, q.value) for q in small] == [("corpus_docs", 60_000)]
    assert implications(small, t) == {"scale": "negated"}  # an overnight indexing job is no load to engineer for
    assert implications(extract("search across 80 million documents"), t) == {"scale": "stated"}
    assert [q.kind for q in extract("we label 40,000 documents every week")] == ["items_per_day"]  # a flow, not a size


@pytest.mark.parametrize("text", ["we'd need 2 engineers on it", "it would take three devs for six months",
                                  "we would have to hire 2 engineers to build it"])
def test_people_a_build_would_take_are_effort_not_team_size(text):
    assert [q.kind for q in extract(text)] == ["build_engineers"]
    assert said(text) == {}


def test_a_volume_without_a_period_is_not_a_rate():
    assert said("we have 10 million labelled images") == {}


@pytest.mark.parametrize("text", ["why not just have 2 devs review 50 answers", "we could get three engineers to check it",
                                  "is it not enough to have three senior engineers check 50 answers"])
def test_people_put_on_a_task_are_an_effort_not_team_size(text):
    assert [q.kind for q in extract(text)] == ["build_engineers"]
    assert said(text) == {}


@pytest.mark.parametrize("text", ["before rolling it out to 1,500 engineers we need to know",
                                  "it is used by 200 data scientists across the group",
                                  "we will make it available to all 90 developers"])
def test_the_people_a_system_serves_are_not_the_team(text):
    assert not any(q.kind in ("engineers", "build_engineers") for q in extract(text))
    assert said(text) == {}


@pytest.mark.parametrize("text", ["two ml researchers and an intern", "i am a solo developer on this",
                                  "we are 5 data scientists"])
def test_researchers_and_solo_developers_are_team_size(text):
    assert said(text) == {"early-stage": "stated"}


def test_a_rate_weighs_against_the_thresholds_of_the_row_asked_about():
    # 500 searches a second is moderate work for a vector index and high throughput for a model server.
    assert said("500 QPS of search") == {"scale": "stated"}
    index = THRESHOLDS.for_component("vector-database")
    assert implications(extract("500 QPS of search"), index) == {"scale": "negated", "simple": "negated"}
    assert THRESHOLDS.for_component("model-serving") is THRESHOLDS and THRESHOLDS.for_component(None) is THRESHOLDS


@pytest.mark.parametrize("text, expected", [
    ("64 GPUs shared by 5 research teams", {"scale": "stated", "early-stage": "negated"}),
    ("12 internal teams now call it", {"early-stage": "negated"}),
    ("we are two teams", {}),  # a couple of teams says nothing about the stage
])
def test_several_teams_are_past_the_early_stage(text, expected):
    assert said(text) == expected


@pytest.mark.parametrize("text", ["one engineer wants to write our own orchestrator; another wants Dagster",
                                  "two engineers think we should just buy it"])
def test_engineers_who_want_something_are_not_the_team_size(text):
    assert said(text) == {}


@pytest.mark.parametrize("text, kind, value", [
    # Thousands grouped with a space or an apostrophe, as much of Europe writes them.
    ("we need about 50 000 images labelled per month", "items_per_day", 50_000 / 30),
    ("peaks around 1 200 rps", "traffic_rps", 1200),
    ("about 12'000 predictions a day", "traffic_rps", 12_000 / 86_400),
])
def test_thousands_grouped_with_a_space_are_one_number(text, kind, value):
    found = [q for q in extract(normalize(text)) if q.kind == kind]
    assert found and found[0].value == pytest.approx(value, rel=0.01), extract(normalize(text))


@pytest.mark.parametrize("text, kind, value", [
    ("about 4 million bounding boxes on shelf photos over the next quarter", "items_per_day", 4e6 / 90),
    ("sellers upload about 3 million new listings every quarter", "items_per_day", 3e6 / 90),
    ("training infra q: 6 ppl, cash is tight", "headcount", 6),
    ("the ML team is 45 people. Two engineers have offered to write a shared layer", "engineers", 45),
])
def test_counts_read_in_more_wordings(text, kind, value):
    found = [q for q in extract(text) if q.kind == kind]
    assert len(found) == 1 and found[0].value == pytest.approx(value, rel=0.02), found


def test_how_often_they_ship_changes_is_no_traffic():
    assert not [q for q in extract("we ship prompt changes 3-4 times a week") if q.kind == "traffic_rps"]
    assert [q for q in extract("we call the API 3 times a day") if q.kind == "traffic_rps"]


@pytest.mark.parametrize(("text", "expected"), [("12 million chunks sit in FAISS files", {"scale": "negated"}),
                                                ("2.5M 768-dim vectors in pgvector", {"scale": "negated"}),
                                                ("we hold 900 million embeddings", {"scale": "stated"})])
def test_vectors_held_in_an_index_settle_scale_by_their_count(text, expected):
    assert said(text) == expected


def test_a_number_after_a_slash_or_before_model_risk_is_no_count_of_models():
    # "PRA SS1/23 model risk rules" names a supervisory statement, not 23 models.
    assert [q.kind for q in extract("under PRA SS1/23 model risk rules")] == []
    assert [(q.kind, q.value) for q in extract("we run 23 models")] == [("models", 23)]


def test_part_of_a_person_is_an_effort_not_a_team():
    assert [(q.kind, q.value) for q in extract("about 0.3 FTE of an SRE")] == [("build_engineers", 0.3)] or \
        all(q.kind not in ("engineers", "headcount") for q in extract("about 0.3 FTE of an SRE"))


@pytest.mark.parametrize("text, kind, value", [
    ("about 8k prediction requests/sec at dinner peak", "traffic_rps", 8000),
    ("2,500 inference requests per second", "traffic_rps", 2500),
    ("p99 budget of 20 ms for the feature lookup", "latency_ms", 20),
    ("a p95 target of 30ms", "latency_ms", 30),
    ("latency SLO: 15 ms", "latency_ms", 15),
    # Teams counted in other words, the people a build would take, and a labelling backlog without a period.
    ("we are a 60-person data org", "engineers", 60),
    ("my lab is 3 people", "engineers", 3),
    ("build it over the next 6 months with 3 engineers", "build_engineers", 3),
    ("4 million receipts to annotate", "items_backlog", 4_000_000),
    ("tens of millions of call transcripts that need labelling", "items_backlog", 10_000_000),
    ("label 30,000 scanned letters", "items_backlog", 30_000),
])
def test_one_quantity_is_read_with_its_kind_and_value(text, kind, value):
    assert [(q.kind, q.value) for q in extract(normalize(text))] == [(kind, value)]


def test_a_measured_latency_sets_no_target():
    found = extract("p95 search latency is 180 ms and product wants it under 100 ms")
    assert [(q.kind, q.value) for q in found] == [("latency_ms", 100), ("latency_measured_ms", 180)]


@pytest.mark.parametrize("text, measured, target", [
    ("measured p99 at 140 ms against a 60 ms target", 140, 60),
    ("Measured p99 online latency sits at 22 ms against our 5 ms budget", 22, 5),
    ("p99 is 180 ms against the 60 ms our checkout page allows", 180, 60),
    ("Neither met our 4 ms p99 target at 45,000 lookups per second; both levelled off near 11 ms.", 11, 4),
    ("measured p99 on BentoML in production is 180 ms against a 60 ms target", 180, 60),
])
def test_a_measured_latency_beside_the_target_it_misses(text, measured, target):
    missed = missed_target(extract(text))
    assert missed is not None and missed.value == measured and f"against a {target} ms target" in missed.text
    assert implications([missed], THRESHOLDS)["scale"] == "stated"


@pytest.mark.parametrize("text", ["p99 is 40 ms and our target is under 200 ms", "we need p99 at 20 ms",
                                  "latency is fine, around 30 ms"])
def test_a_latency_within_its_target_or_alone_misses_nothing(text):
    assert missed_target(extract(text)) is None


@pytest.mark.parametrize("text", ["C) build a custom labelling app first: 2 engineers x 6 weeks",
                                  "the build would be 2 engineers for 6 weeks"])
def test_engineers_for_a_number_of_weeks_are_an_effort(text):
    assert [(q.kind, q.value) for q in extract(text) if "engineers" in q.kind] == [("build_engineers", 2)]


def test_a_vector_width_is_no_count_of_vectors():
    found = extract("about 2.5M chunks today (1536-dim embeddings), 768-dimensional vectors for images")
    assert [q.text for q in found if q.kind == "stored_vectors"] == ["2.5M chunks"]


def test_a_bill_told_after_its_period_is_that_periods_bill():
    found = extract("Last month: 2.1B input tokens, 180M output tokens, bill about $9,400. Volume grows.")
    assert [(q.kind, q.value) for q in found if q.kind.startswith("money")] == [("money_per_month", 9400.0)]
    # A purchase in the same month is no monthly bill.
    assert [q.kind for q in extract("last month we bought a $3,000 laptop") if q.kind.startswith("money")] == ["money"]


def test_admins_and_sres_are_the_team():
    assert [(q.kind, q.value) for q in extract("we are only 2 admins")] == [("engineers", 2.0)]


@pytest.mark.parametrize("text, left", [
    ("one of those two engineers just resigned", "1 engineer left"),
    ("2 of our 3 MLEs are leaving next month", "1 MLE left"),
])
def test_a_departure_leaves_the_team_that_remains(text, left):
    assert [q.text for q in extract(text) if q.kind == "engineers"] == [left]


@pytest.mark.parametrize("text, said", [
    ("we push 1.1 billion tokens/month through the API", "1.1 billion tokens a month"),
    ("about 12k images/mo arrive from new sites", "12k images a month"),
    ("We need 8 million short text labels this year.", "8 million short text labels a year"),
])
def test_a_volume_per_period_written_with_a_slash_or_this_year(text, said):
    assert [q.text for q in extract(text) if q.kind.endswith("_per_day")] == [said]


def test_a_volume_with_four_words_before_its_period():
    (q,) = [q for q in extract("we need about 2 million photos of retail shelves labelled per month")
            if q.kind == "items_per_day"]
    assert q.text == "2 million photos a month" and round(q.value) == 66667


def test_the_people_who_would_own_it_are_the_team():
    assert said("2 data scientists would own it") == {"early-stage": "stated"}
    assert said("one engineer owns our serving layer; we re 300 people") == {"early-stage": "negated"}


def test_people_an_upkeep_costs_are_no_headcount():
    assert not [q for q in extract(normalize("keeping the glue alive costs us roughly 4 FTE")) if q.kind == "headcount"]
    assert [q.value for q in extract(normalize("we are 120 FTEs")) if q.kind == "headcount"] == [120]


@pytest.mark.parametrize("text, values", [
    ("vendor quotes are in the $60-120k/year range per tool", [5000, 10000]),
    ("between €2k-€5k per month", [2000, 5000]),
    ("costs €140k a year", [140000 / 12]),
])
def test_prices_in_any_currency_and_as_ranges_are_read(text, values):
    found = [q.value for q in extract(normalize(text)) if q.kind == "money_per_month"]
    assert found == pytest.approx(values)


def test_models_counted_with_a_hyphenated_word_and_groups_as_teams():
    assert [q.value for q in extract(normalize("we'll have ~30 per-customer models")) if q.kind == "models"] == [30]
    assert [q.value for q in extract(normalize("28 researchers in 6 groups")) if q.kind == "teams"] == [6]


def test_a_rate_of_labelling_is_not_also_a_backlog():
    assert [q.kind for q in extract(normalize("we label 20k images a month"))] == ["items_per_day"]


@pytest.mark.parametrize("text, expected", [
    ("we have 1 infra engineer and no on-call rotation", {}),
    ("2 platform engineers run our clusters", {}),
    ("we're 3 data scientists", {"early-stage": "stated"}),
    ("a backlog of 5 million product photos to tag", {"scale": "stated"}),
    ("50,000 forms to label", {}),
])
def test_who_runs_things_is_no_team_size_and_a_large_backlog_is_scale(text, expected):
    assert said(text) == expected


def test_a_platform_team_counted_is_who_runs_things_not_a_small_company():
    found = extract(normalize("platform team of 3 at a logistics company, 25 data scientists"))
    assert [(q.kind, q.value, q.text.strip()) for q in found] == [
        ("engineers", 3, "platform team of 3"), ("engineers", 25, "25 data scientists")]
    # The three who run the platform make no small company; the 25 who build say it is past the early stage.
    assert implications(found, THRESHOLDS).get("early-stage") == "negated"


@pytest.mark.parametrize("text, kind, value", [
    ("after the reorg the platform team went from 7 engineers to 2", "engineers", 2),
    ("the team shrank from 12 engineers to 3", "engineers", 3),
    ("we went from 3 models to 25 models this year", "models", 25),
    ("traffic grew from 50 requests a second to 2,000 a second", "traffic_rps", 2000),
    ("our bill went from $4k a month to $19k a month", "money_per_month", 19000),
    ("from 50 requests a day to 20k per second", "traffic_rps", 20000),  # the new figure has its own unit
])
def test_a_change_counts_the_figure_it_ends_at(text, kind, value):
    found = [q for q in extract(normalize(text)) if q.kind == kind]
    assert [round(q.value) for q in found] == [value]


def test_people_on_a_team_named_in_three_words_are_a_team_size():
    found = extract(normalize("it's 8 people on the ML team, not 80"))
    assert [(q.kind, q.value) for q in found] == [("engineers", 8)]


def test_a_latency_a_product_adds_is_measured_against_the_budget_beside_it():
    found = extract("the feature lookups add about 70 ms against our 20 ms budget")
    missed = missed_target(found)
    assert missed is not None and missed.value == 70


@pytest.mark.parametrize("text, value", [
    ("the bill has gone from about USD 41,000 a month two years ago to about USD 88,000 a month now", 88_000),
    ("our spend climbed from EUR 12k a month in 2024 to EUR 30k a month", 30_000),
])
def test_a_bill_that_changed_is_its_latest_figure_whatever_sits_between(text, value):
    assert [(q.kind, q.value) for q in extract(text)] == [("money_per_month", value)]


def test_engineers_counted_role_by_role_in_one_list_are_one_team():
    team = extract("Our analytics group is 12 data scientists and 7 data engineers.")
    assert [(q.kind, q.value) for q in team] == [("engineers", 19)]
    # Summed, 19 people are past a small team (the 7 alone would have read as one).
    assert implications(team, THRESHOLDS).get("early-stage") == "negated"
    # People who run infrastructure stay apart: the small team is the four who build.
    assert sorted(q.value for q in extract("4 data scientists and 2 SREs")) == [2, 4]


def test_people_added_for_it_are_the_effort_not_the_team():
    assert [(q.kind, q.value) for q in extract("it would need 4 additional platform engineers")] == \
        [("build_engineers", 4)]
    assert [q.kind for q in extract("we have 5 more engineers than last year")] == ["engineers"]


def test_a_team_added_with_a_plus_sign_is_one_team():
    """"4 ML engs + a bidder team of 7" is a team of 11, as written and once normalised."""
    for text in ("4 ML engs + bidder team of 7", normalize("4 ML engs + bidder team of 7")):
        assert [q.value for q in extract(text) if q.kind == "engineers"] == [11.0]


def test_a_sum_told_with_ago_is_no_yearly_price():
    """"up from $11,000 a year ago" says when, not how often: only the $27k is a monthly bill."""
    found = extract("now about $27,000 a month, up from $11,000 a year ago")
    assert [q.value for q in found if q.kind == "money_per_month"] == [27000.0]
    assert [q.value for q in found if q.kind == "money"] == [11000.0]


def test_two_counts_of_one_kind_share_the_period_said_after_the_second():
    got = [(q.kind, q.text) for q in extract(normalize("roughly 900M input tokens and 60M output tokens per month"))]
    assert ("tokens_per_day", "900M input tokens a month") in got
    assert ("tokens_per_day", "60M output tokens a month") in got


def test_a_bill_with_its_period_between_the_word_and_the_amount_is_monthly():
    got = [(q.kind, q.value) for q in extract(normalize("our invoice last month was about $3,400"))]
    assert got == [("money_per_month", 3400.0)]


def test_money_in_a_currency_written_as_its_code_is_money():
    got = [(q.kind, q.value) for q in extract(normalize("Their quote is SEK 1.8 million per year; we pay CHF 9,000 a month"))]
    assert ("money_per_month", 150000.0) in got and ("money_per_month", 9000.0) in got
    # A code that is also a word is no currency without a figure after it.
    assert not [q for q in extract(normalize("our CAD team reviews 3 models")) if q.kind.startswith("money")]


def test_kinds_of_model_joined_before_the_noun_are_one_count():
    got = [(q.kind, q.value) for q in extract(normalize("we run 150 pricing and churn models; 3 engineers and 40 users"))]
    assert ("models", 150.0) in got
    assert ("models", 3.0) not in got
