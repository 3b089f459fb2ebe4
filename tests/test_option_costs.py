"""The options an asker priced, each summed for a year from their own prices and usage (pure functions, no model)."""

import pytest

from advisor.option_costs import cost_options, segments, usage


def _by_label(options):
    return {o.label.split()[0]: o for o in options}


def test_lettered_options_are_priced_at_the_hours_they_use():
    text = ("Last year our training used about 5,000 node-hours of 8x A100 machines at $30/hour on demand.\n\n"
            "(a) keep paying on demand;\n(b) reserve one node 24/7 for a year at $19.50/hour;\n"
            "(c) rent 8x H100 nodes from a GPU cloud at $2.50 per GPU-hour, copying our 200 TB out at $0.04/GB.\n\n"
            "What would each cost per year?")
    opts = _by_label(cost_options([text]))
    assert set(opts) == {"(a)", "(b)", "(c)"}
    assert opts["(a)"].per_year == pytest.approx(5000 * 30)  # the stay option takes today's price at their hours
    assert opts["(b)"].per_year == pytest.approx(8760 * 19.5)  # "24/7" is every hour of the year
    assert opts["(c)"].per_year == pytest.approx(5000 * 8 * 2.5)  # a GPU-hour price times the GPUs of each node-hour
    assert opts["(c)"].once == pytest.approx(200_000 * 0.04)  # data moved once


def test_prose_options_split_at_or_and_count_people_items_and_months():
    text = ("We need about 80,000 photos labelled. Options: a vendor quoted USD 0.30 per image; or hire 6 temporary "
            "annotators for 4 months, each costs EUR 2.500 per month; or build a small tool in our admin app. "
            "What do you recommend and what does it cost?")
    opts = cost_options([text])
    assert len(opts) == 3
    vendor, people, tool = opts
    assert vendor.once == pytest.approx(80_000 * 0.30)
    assert people.once == pytest.approx(6 * 2500 * 4)  # six people, each per month, for four months
    assert not tool.lines and tool.unpriced == ["no price given"]


def test_hardware_is_depreciated_and_tokens_are_priced_from_requests_and_their_size():
    text = ("Our assistant gets 2,000 requests a day, averaging 1,500 tokens in and 500 out. Self-hosting: a GPU server "
            "costs EUR 250,000 and we'd need two, depreciated over 5 years; hosting EUR 3,000 a month per server; plus "
            "one more engineer at EUR 120,000 a year. Alternatively, a regional provider charges EUR 0.01 per 1,000 "
            "tokens. What does each cost per year?")
    own, hosted = cost_options([text])
    assert own.per_year == pytest.approx(2 * 250_000 / 5 + 2 * 3000 * 12 + 120_000)
    assert hosted.per_year == pytest.approx(2000 * 365 * 2000 / 1000 * 0.01)


def test_a_share_of_an_engineer_is_priced_at_their_loaded_year():
    text = ("Choices:\n1. Managed endpoints: about $2,000/month.\n2. Our own cluster: $900/month of nodes plus roughly "
            "25% of one engineer (loaded cost $160,000 a year).\n\nWhat is each per year?")
    managed, own = cost_options([text])
    assert managed.per_year == pytest.approx(24_000)
    assert own.per_year == pytest.approx(900 * 12 + 0.25 * 160_000)


def test_a_rented_cluster_for_some_weeks_is_priced_for_those_weeks_only():
    text = ("Buy or rent? A vendor quoted EUR 1.5M for 4 nodes of 8x H100, plus EUR 10k/month for power. The "
            "alternative is renting: 32 H100 at EUR 2.00 per GPU-hour for just the 6 weeks we train each year.")
    buy, rent = cost_options([text])
    assert buy.once == pytest.approx(1_500_000)  # the quote is for all four nodes, not per node
    assert buy.per_year == pytest.approx(120_000)
    assert rent.per_year == pytest.approx(32 * 6 * 168 * 2.0)


def test_no_options_no_sums():
    assert cost_options(["We pay $4,000 a month for our tracker. Is that a lot?"]) == []
    assert segments("Should we build a feature store or buy one?") == []


def test_usage_reads_hours_tokens_and_data_from_the_whole_conversation():
    u = usage(["We used 12,000 GPU-hours last year.", "Each call is about 800 tokens per request.", "We keep 3 TB."])
    assert u.hours_a_year == 12_000 and u.hours_of == "gpu"
    assert u.tokens_per_request == 800
    assert u.data_gb == 3000


def test_summed_options_lead_a_cost_answer_through_the_chain(advisor):
    a = advisor.ask("Model serving costs. (a) managed endpoints at about $2,500/month; (b) our own Kubernetes "
                    "cluster at $1,100/month of nodes plus 20% of one engineer (loaded $150,000 a year). What is each "
                    "per year, and which is cheaper?")
    assert a.lead.startswith("On your numbers: (a)")
    assert "$30k a year" in a.lead and "$43.2k a year" in a.lead and "(a) costs least" in a.lead
    tables = [s for s in a.sections if s.table is not None and s.title == "How each sum was counted"]
    assert len(tables) == 1 and len(tables[0].table.rows) == 2


def test_seats_are_priced_for_the_team_with_free_months_and_weeks_of_work_at_their_engineer_cost():
    text = ("We're 5 data scientists at a freight broker. Choices:\n"
            "1. Tracker A: free for 6 months, then $30 per user per month.\n"
            "2. Tracker B: $45 per seat per month.\n"
            "3. Repair our own server: about 3 weeks of work.\n"
            "One engineer costs us about EUR 8,000 per month loaded. Which would you take?")
    opts = cost_options([text])
    assert len(opts) == 3
    a, b, c = opts
    assert a.per_year == pytest.approx(5 * 30 * 12) and a.once == pytest.approx(-5 * 30 * 6)  # the free start, once
    assert b.per_year == pytest.approx(5 * 45 * 12)
    assert c.once == pytest.approx(3 * 12 / 52 * 8000)  # weeks of one engineer at their monthly cost
    assert "EUR 8,000" not in " ".join(x.how for x in c.lines if x.per_year)  # the cost told after the list is no price of option 3


def test_one_server_of_eight_gpus_is_one_machine():
    from advisor.unit_prices import priced

    assert priced(["The host offered one 8x H100 server for EUR 60,000 per month."]) == []
    assert [p.count for p in priced(["3 H100 servers at $2,000 per month"])] == [3]
