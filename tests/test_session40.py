"""Classes of question fixed in the first 2026-12-07 session of the third day, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.lexicon import normalize
from advisor.quantities import extract


def test_a_second_ask_no_cue_names_is_answered_beside_the_first(advisor):
    # "actually" sits where the build cue expects nothing: the act head reads the clause on its own.
    a = advisor.ask("We plan to self-host an open-weight model for our support bot instead of calling a hosted API. "
                    "Which bits do we really end up writing ourselves, and what are the risks?")
    assert a.act == "risks"
    assert any(s.kind == "build" for s in a.sections)
    r = advisor.reader.read("Should we buy a feature store? And how would we roll it out across our nine models?")
    assert "rollout" in r.also


def test_a_statement_or_a_single_ask_gets_no_second_ask(advisor):
    r = advisor.reader.read("We run 40 models on SageMaker endpoints and the bill keeps climbing. Should we keep buying "
                            "serving or build it?")
    assert not {"risks", "cost", "build", "rollout"} & set(r.also)


def test_do_we_need_one_answered_with_a_product_they_do_not_run_is_a_yes(advisor):
    a = advisor.ask("Betting operator, 5k bets a second at peak, every model computes 'deposits in the last day' its "
                    "own way and the numbers disagree. We are on AWS with Kafka. Options: Tecton, SageMaker Feature "
                    "Store, or Feast with Redis. Do we need a feature store, and which kind?")
    assert not a.lead.startswith("No")


def test_a_product_named_among_listed_options_names_its_row(advisor):
    r = advisor.reader.read("Our researchers park Jupyter kernels on whole A100s for days and the training queue "
                            "starves. Options: carve the cards up with MIG and idle timeouts ourselves, buy Run:ai, "
                            "or push notebooks to the cloud. What is more practical?")
    assert r.component == "gpu-orchestration"


def test_an_edge_option_list_names_serving_over_a_retraining_story(advisor):
    r = advisor.reader.read("We make industrial pumps and want vibration models inside the pump controller, an ARM box "
                            "with 1 GB of RAM. Customers sometimes retrain the models on their own data. Options for "
                            "pushing and updating the models: AWS IoT Greengrass, Azure IoT Edge, or our own signed "
                            "firmware package. Build or buy for that part?")
    assert r.component == "model-serving"


def test_reads_and_writes_with_a_period_are_traffic():
    found = extract(normalize("Online lookups run at 4k reads/s normally and 60k reads/s during the evening rush."))
    assert [q.value for q in found if q.kind == "traffic_rps"] == [4000.0, 60000.0]
    assert extract(normalize("She reads 3 papers before lunch.")) == []


def test_accented_letters_keep_their_base_letter():
    assert normalize("Every złoty counts in Wrocław and Zürich, Ørsted too") == \
        "every zloty counts in wroclaw and zurich, orsted too"


def test_money_counted_coin_by_coin_in_an_accented_currency_is_a_tight_budget(advisor):
    r = advisor.reader.read("For us every złoty counts this year. Should we write our own GPU job scheduler or adopt "
                            "Slurm?")
    assert "budget" in r.conditions


def test_nobody_else_getting_a_say_one_day_is_control_later(advisor):
    r = advisor.reader.read("Airflow does everything we need today. Our CTO still wants our own orchestrator so that "
                            "one day no third party gets a say in where it goes. Data pipelines: good idea or not?")
    assert "control-later" in r.conditions


def test_the_peak_rate_is_the_load_named_back(advisor):
    a = advisor.ask("Hybrid search for our legal research product over 900 million passages. Options: Solr 9 dense "
                    "vectors, Elastic Cloud, or Solr plus Qdrant. Around 2,000 QPS most of the day, 25,000 QPS at "
                    "peak on Monday mornings. What would you do?")
    assert "25,000 QPS at peak" in a.lead
    assert "2,000 QPS" not in a.lead


def test_a_number_inside_a_model_name_is_no_quantity():
    assert extract(normalize("We just have GPT-4.1 grade a sample of live chats each night.")) == []
    assert [q.value for q in extract(normalize("We serve 1.5k requests per second."))] == [1500.0]


def test_line_items_for_a_budget_are_the_cost_act(advisor):
    r = advisor.reader.read("What line items should next year's budget carry if we host CVAT ourselves for nine "
                            "annotators?")
    assert r.act == "cost"


def test_a_parts_short_name_before_a_word_for_a_piece_names_it(advisor):
    first = advisor.ask("Fishing cooperative, 8 forecasting models. Data pipelines: build or buy?")
    a = advisor.ask("What about only the orchestration piece?", first.conversation_id)
    assert a.part == "orchestration"
    assert a.verdict == "buy"


def test_a_bare_why_not_judges_the_proposal_told_before_it(advisor):
    first = advisor.ask("We run an LLM support agent with 3 engineers. Should we build our evals on Langfuse or buy "
                        "Braintrust?")
    a = advisor.ask("My manager says we can skip the golden set and just have GPT-4.1 grade a sample of live chats "
                    "each night, it is quicker. Why not?", first.conversation_id)
    assert a.act == "why"
    assert a.part == "eval-sets"
    assert a.verdict == "build"


def test_a_few_models_alone_are_no_simple_need_but_one_model_is(advisor):
    r = advisor.reader.read("Three of us, founded last spring. We have two pricing models. How should we serve them: "
                            "build or buy?")
    assert "simple" not in r.conditions
    r = advisor.reader.read("Two pricing models, about 30 calls a day between them. Serving: build or buy?")
    assert "simple" in r.conditions
    r = advisor.reader.read("We have exactly one model, scored in a nightly batch. Build or buy monitoring for it?")
    assert "simple" in r.conditions


def test_a_part_named_where_the_turn_asks_names_its_row_over_an_unsure_pick(advisor):
    a = advisor.ask("Our CTO in Accra wants one single platform from one vendor for everything ML, from notebooks "
                    "to serving. Yes or no?")
    assert a.component == "ml-platform"


def test_a_product_of_the_thread_row_keeps_the_thread(advisor):
    first = advisor.ask("Our model versions sit in the W&B registry, four teams, three years of history. Is that fine "
                        "as it is?")
    assert first.component == "model-registry"
    a = advisor.ask("Suppose we move to self-hosted MLflow. What order do we do it in?", first.conversation_id)
    assert a.component == "model-registry"


def test_a_part_named_in_a_narrowing_fragment_is_the_part_asked(advisor):
    a = advisor.ask("Only the drift-detection tool itself, please. Money is short in our lab this year. Write one or "
                    "use one?")
    assert a.part == "tool"


def test_or_not_weighs_nothing_against_a_named_part(advisor):
    a = advisor.ask("Would one end-to-end ML platform be worth it for our 30-person analytics department at a "
                    "shipping line in Durban, or not?")
    assert a.part == "platform"


def test_a_part_heading_the_ask_stays_the_part_whatever_the_either_or_after_it(advisor):
    a = advisor.ask("Small budget here. The vector store itself: pgvector in the Postgres we already run, or an HNSW "
                    "index we write in Rust?")
    assert a.part == "store"
    assert a.verdict == "buy"
