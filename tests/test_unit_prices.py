"""Prices per unit the asker gave, multiplied by the units they have (no model needed)."""

from __future__ import annotations

import pytest

from advisor.unit_prices import capex, gpu_utilisation, priced


def _one(text: str | list[str]):
    found = priced([text] if isinstance(text, str) else text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, gpus", [
    ("Self-hosting would run on 8x H100 at about $2.50 per GPU-hour.", 8),
    ("8×H100 reserved at $2.50/GPU-hr", 8),
    ("we'd rent 64 GPUs at $2/hour", 64),
])
def test_a_gpu_hour_price_is_a_month_around_the_clock_for_every_gpu(text, gpus):
    p = _one(text)
    assert (p.kind, p.count, p.side) == ("gpu_hours", gpus, "own")
    assert p.monthly == pytest.approx(gpus * p.price * 730)


def test_people_paid_by_the_hour_are_not_gpu_hours():
    found = priced(["We have 4 GPUs and 20k images; contractors at $40/hour label 50 images an hour."])
    assert [p.kind for p in found] == ["items"] and found[0].total == pytest.approx(20_000 * 40 / 50)


def test_a_seat_price_is_multiplied_by_the_seats_and_says_when_the_period_is_assumed():
    p = _one("W&B quoted $50/seat for 25 seats.")
    assert (p.kind, p.count, p.monthly, p.side) == ("seats", 25, 1250, "vendor")
    assert p.assumed  # no period given: a monthly seat price is an assumption, and the answer says so
    yearly = _one("Labelbox is $1,200 per user per year and we need 12 users")
    assert (yearly.count, yearly.monthly, yearly.assumed) == (12, 1200, "")  # the price's own number is no count


def test_a_per_item_price_is_a_one_off_total_over_the_items_in_the_conversation():
    p = _one(["We need ~120k chest X-ray images labelled.", "The vendor quoted $9.40 per image."])
    assert (p.kind, p.count, p.total, p.monthly) == ("items", 120_000, pytest.approx(1_128_000), None)
    monthly = _one("About 30k tickets a month need tags; the service charges $0.50 per ticket.")
    assert monthly.total is None and monthly.monthly == pytest.approx(15_000)


def test_people_by_the_hour_cost_per_item_at_their_pace_and_their_passes():
    p = _one("120k images, each read by two radiologists. Contracting them at $150/hour; in our pilot they "
             "averaged 45 reads per hour.")
    assert (p.side, p.passes) == ("own", 2)
    assert p.total == pytest.approx(120_000 * 2 * 150 / 45)
    assert priced(["annotators at $18/hr, we have 400k images"]) == []  # no pace: no honest sum


def test_machines_and_part_of_a_person_are_running_costs():
    said = "3 r6i.4xlarge nodes at ~$750/month each, plus about 0.3 FTE of an SRE (fully loaded $190k/yr)"
    machines, person = priced([said])
    assert (machines.kind, machines.count, machines.monthly) == ("machines", 3, 2250)
    assert (person.kind, person.count, person.monthly) == ("people", 0.3, pytest.approx(4750))
    assert machines.count_text == "3 r6i.4xlarge nodes" and person.count_text == "0.3 FTE of an SRE"


def test_a_price_for_one_machine_counts_the_machines_said_elsewhere():
    said = "The node quote is ~$62k/month on-demand, ~$38k/month with a 1-year commit. We'd want two nodes for redundancy."
    found = priced([said])
    assert [(p.count, p.monthly) for p in found] == [(2, 124_000), (2, 76_000)]
    assert priced(["The node quote is ~$62k/month."]) == []  # one machine: the price is already the month's


def test_numbers_without_a_unit_price_are_left_alone():
    assert priced(["We spend $38k/month on the OpenAI API and have 3 engineers."]) == []
    assert priced(["2 labels"]) == []


def test_growth_told_year_by_year_or_as_a_yearly_rate():
    from advisor.shapes.figures import yearly_steps

    assert yearly_steps(["the vector count doubles in year 2 (and stays flat in year 3)"], 36) == [1, 2, 2]
    assert yearly_steps(["traffic grows 50% a year"], 24) == [1, 1.5]
    assert yearly_steps(["it triples by the third year"], 36) == [1, 1, 3]
    assert yearly_steps(["we have 3 nodes"], 36) is None


def test_hardware_bought_once_is_a_one_off_and_gpu_hours_a_month_are_hours():
    from advisor.unit_prices import capex

    server = capex(["The CTO wants to buy our own 8x A100 server for $250k instead."])
    assert server is not None and server.total == 250_000 and server.monthly == 0
    assert capex(["buying two DGX boxes at $300k each"]).total == 600_000
    assert capex(["we buy W&B seats at $50/seat/month"]) is None
    # "Buying them would cost $1.9M": the machines are the ones counted before; a cost said with "would cost".
    them = capex(["We rent 64 H100s around the clock. Buying them would cost $1.9M plus $15k a month for power."])
    assert them is not None and them.total == 1_900_000 and them.count_text == "64 H100s"
    assert capex(["Buying it would cost $40k a month in seats."]) is None  # a monthly price is no purchase
    used = priced(["We rent about 3,000 A100 GPU-hours/month at $1.80 per GPU-hour."])
    assert [(p.kind, p.monthly) for p in used] == [("gpu_hours_used", 5400)]


def test_people_paid_by_the_hour_at_a_pace_written_per_hour_with_a_slash():
    found = priced(["We need ~180,000 product photos labelled.",
                    "B) Hire 5 contract labellers at $20/hour. Our pilot shows ~220 images/hour per person."])
    people = [p for p in found if p.side == "own"]
    assert people and round(people[0].total) == 16364  # 180,000 / 220 hours x $20


@pytest.mark.parametrize("text, total, what", [
    ("The CTO got a quote of about $320k for an 8×H100 server.", 320_000, "an 8 H100 server"),
    ("An 8-GPU box would cost us around $250k.", 250_000, "An 8-GPU box"),
    ("Dell quoted $410,000 for two DGX machines.", 410_000, "two DGX machines"),
])
def test_hardware_quoted_with_the_price_first_or_its_cost_after_is_bought_once(text, total, what):
    from advisor.unit_prices import capex

    bought = capex([text])
    assert (bought.total, bought.count_text) == (total, what)


def test_a_monthly_quote_or_a_service_quote_is_no_hardware():
    from advisor.unit_prices import capex

    assert capex(["We were quoted $30k/month for the cluster."]) is None
    assert capex(["a quote of $5k for the labelling project"]) is None


def test_a_later_price_replaces_the_earlier_one_and_a_repeated_old_price_is_only_a_reference():
    first = "We'd need 12 L40S most of the year; a provider quoted $1.20 per GPU-hour."
    again = "Sorry, $1.20 was the interruptible rate. Committed capacity is $1.90 per GPU-hour."
    found = priced([first, again])
    assert [(p.kind, p.price) for p in found] == [("gpu_hours", 1.90)]
    assert found[0].count == 12  # the count told in the first message still applies
    assert [p.price for p in priced([first])] == [1.20]
    # Two prices in one message are alternatives or two lines, and both stay.
    both = priced(["4 A100s at $1.60/GPU-hr on demand, or 4 A100s at $1.10/GPU-hr with a commit"])
    assert sorted(p.price for p in both) == [1.10, 1.60]


@pytest.mark.parametrize("text, gpus", [
    ("rent the same as buying 3 x 8-H100 servers; the cloud wants $2.40 per GPU-hour", 24),
    ("two 8xA100 nodes at $1.70/GPU-hr", 16),
    ("one 4-L40S server at $1.10 per GPU-hour", 4),
])
def test_machines_of_several_gpus_each_count_every_gpu(text, gpus):
    assert _one(text).count == gpus


def test_one_off_costs_told_with_the_machines_are_part_of_the_purchase():
    bought = capex(["or we purchase 3 x 8-H100 servers at about $250k each plus ~$45k of switches and storage."])
    assert bought.total == 3 * 250_000 + 45_000 and bought.count_text.endswith("and the switches and storage")
    assert capex(["buy two DGX at $300k each and $5k/month hosting"]).total == 600_000  # a monthly cost is no one-off


@pytest.mark.parametrize("text, share", [
    ("last quarter the cards were busy about 35% of the time", 0.35),
    ("our GPU utilisation averages 55%", 0.55),
    ("the cluster sits idle 70% of the time", 0.30),
    ("revenue grew 40% and we run 8 GPUs", None),
])
def test_the_share_of_time_gpus_are_busy(text, share):
    got = gpu_utilisation([text])
    assert (got[0] if got else None) == (pytest.approx(share) if share else None)


def test_a_later_price_that_corrects_nothing_is_weighed_beside_the_first():
    found = priced(["Weights & Biases quoted $50/seat for 25 seats.", "And Comet offers $40 a seat. Which is cheaper?"])
    assert sorted(p.price for p in found) == [40, 50]
