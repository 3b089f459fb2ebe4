"""Classes of question fixed in the fifth 2026-12-05 session, through the real chain on the real index.

Each question is a paraphrase written for these tests (not an eval case): it checks a class, not one wording.
"""

from advisor.quantities import extract, missed_target


def test_a_full_stop_after_a_figure_ends_its_sentence(advisor):
    spans = advisor.reader.lex.clause_spans("recall fell to 0.62. we also fear being stuck with one vendor")
    assert len(spans) == 2
    # a list number is no clause, and a decimal stays whole
    lex = advisor.reader.lex
    clauses = [("1. what does it cost?\n2. when does it pay off?")[b:e] for b, e in
               lex.clause_spans("1. what does it cost?\n2. when does it pay off?")]
    assert clauses == ["what does it cost", "when does it pay off"]
    assert len(lex.clause_spans("it costs 2.5 times as much")) == 1


def test_a_target_told_with_is_is_a_target_a_measure_can_miss():
    found = extract("our latency target is 150 ms and p95 is 260 ms today")
    assert any(q.kind == "latency_ms" and q.value == 150 for q in found)
    assert missed_target(found) is not None


def test_money_in_local_styles_is_read_whole():
    assert [q.value for q in extract("a budget of 45 000 pln a year")] == [45000 / 12]
    assert [q.value for q in extract("we pay 3.500 eur per month")] == [3500]
    assert [q.value for q in extract("about inr 2 lakh a month")] == [200000]
    assert [q.value for q in extract("idr 3 miliar for servers")] == [3e9]
    assert [q.value for q in extract("$0.004 a call")] == [0.004]


def test_profiled_short_of_a_target_on_a_product_is_production_evidence(advisor):
    a = advisor.ask("Speech analytics startup, 12 people. We host our models on Triton. We profiled for two months: "
                    "our target is 200 ms and p95 is 340 ms, and most of it is the Python pre-processing backend. "
                    "Should we write our own inference server?")
    assert "production-evidence" in a.conditions
    assert a.verdict in ("build", "hybrid")


def test_new_facts_with_does_that_change_it_keep_the_part_in_play(advisor):
    a = advisor.ask("We run our fraud models on Seldon. Serving: build or buy from now on?")
    b = advisor.ask("Six months of production traces: feature decoding takes 60% of each request and Seldon offers "
                    "nothing for it. Does that change your advice?", a.conversation_id)
    assert b.part == "whole" and b.verdict == "hybrid"
    assert "six months of production traces:" in b.lead.lower() and "feature decoding" in b.lead


def test_facts_that_name_the_thread_among_other_rows_keep_the_thread(advisor):
    a = advisor.ask("Our recommender serving is on Triton, 4 people. Should we build our own inference runtime?")
    b = advisor.ask("More context: the board wants us to own everything, our own serving, our own monitoring, our own "
                    "job scheduler, so we have control later if we need it.", a.conversation_id)
    assert b.component == "model-serving"
    assert "control-later" in b.conditions


def test_which_option_with_an_if_that_takes_up_an_option_is_the_choice(advisor):
    r = advisor.reader.read("Proposals: A) SageMaker for everything, B) Kubeflow plus MLflow on EKS, C) our own "
                            "platform. Which option would you pick, and if we buy, what (if anything) should the "
                            "platform team still build?")
    assert r.act in ("verdict", "vendor")
    assert "build" in r.also


def test_how_painful_is_the_migration_is_the_move_asked_and_a_phased_way_follows(advisor):
    a = advisor.ask("Fintech, 30 ML engineers, on Comet for 2 years with 9k experiments and a model registry our "
                    "deploy pipeline reads. Leadership wants self-hosted MLflow. How painful is the migration, what "
                    "breaks, and can we do it in phases instead of a big-bang?")
    assert a.act == "switch"
    assert any(s.title == "How to move over" for s in a.sections)


def test_what_you_recommend_without_do_and_take_existing_ask_for_the_call(advisor):
    q = ("we are small team in a hospital in Brno, pathologists must mark tumour regions on slide images. what you "
         "recommend, build the tool or take existing?")
    assert advisor.reader.read(q).asks_call
    a = advisor.ask(q)
    assert not a.refused and a.component == "data-labeling" and a.act == "verdict"


def test_a_stated_exchange_rate_adds_the_sums_in_the_currency_asked_and_growth_gives_the_month(advisor):
    a = advisor.ask("Hosted LLM API today: 200M tokens a month, USD 600 a month, growing 10% month over month. "
                    "Alternative: one H100 at USD 2.40/hr always on plus a fifth of an engineer at EUR 120k/year. "
                    "Take 1 USD = 0.92 EUR. What does each cost per year in EUR, and when does self-hosting pay?")
    assert "at your rate of 0.92" in a.lead and "a year at today's volume" in a.lead
    assert "months" in a.lead and "convert them" not in a.lead


def test_mixed_currencies_are_not_added_into_one_sum(advisor):
    a = advisor.ask("We pay about USD 600 a month for a hosted LLM API at 150M tokens a month. The alternative: one "
                    "H100 rented at USD 2.40/hr always on, plus a fifth of an engineer at EUR 120k/year. Which is "
                    "cheaper per year?")
    assert "convert them to one currency" in a.lead


def test_an_online_lookup_budget_in_tens_of_ms_is_no_scale_for_a_feature_store(advisor):
    r = advisor.reader.read("Feature store for a 5-person lending startup: 8 lookups a second at peak, under 40 ms "
                            "p99. Build on Postgres and Redis or buy?")
    assert "scale" not in r.conditions
    s = advisor.reader.read("Feature store: online lookups must come back under 3 ms at our volume. Build or buy?")
    assert "scale" in s.conditions


def test_evals_and_monitoring_for_an_llm_application_are_llm_observability(advisor):
    a = advisor.ask("Our HR assistant is a RAG bot on the Anthropic API with Qdrant, 25k chats a month. Last week a "
                    "prompt change broke its answers on leave policy and nobody noticed for days. We need proper "
                    "evals and monitoring by March: what do we build and what do we buy?")
    assert a.component == "llm-observability"


def test_asking_for_the_reasoning_is_the_why_act(advisor):
    assert advisor.reader.read("Why? Walk me through the reasoning, the board will ask.").act == "why"
    a = advisor.ask("Should a 4-person team build its own DAG scheduler?")
    b = advisor.ask("Our lead has a 1,500-line Rust scheduler designed and it looks simpler than Airflow. Give me a "
                    "real reason not to do that.", a.conversation_id)
    assert b.act == "why" and b.verdict == "buy"
    assert "risk of building" in b.lead


def test_roles_abbreviated_count_as_one_team():
    assert [(q.kind, q.value) for q in extract("we are 2 ds + 3 mles")] == [("engineers", 5.0)]


def test_a_budget_the_product_should_hand_out_is_no_money_constraint(advisor):
    r = advisor.reader.read("Platform team of 30 at a retailer. We want one service in front of OpenAI and Mistral "
                            "that holds the keys, gives each team a budget and logs every prompt. Build or buy?")
    assert "budget" not in r.conditions


def test_a_clause_with_no_negative_word_and_a_torn_polarity_does_not_deny_a_rule(advisor):
    a = advisor.ask("Our plant network is air-gapped, everything on-prem. Weaviate or Qdrant for 10M chunks?")
    b = advisor.ask("And the LLM? Our CTO likes Azure OpenAI since it's certified for our industry.", a.conversation_id)
    assert "regulated" in b.conditions
    # a clear denial with no negative word still denies
    assert "regulated" in advisor.reader.read("It's all public data. Vector DB: build or buy?").negated
