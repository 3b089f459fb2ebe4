"""Each option the asker priced, summed for a year in a sentence and a table ("(a) ... about $256k a year; ...")."""

from __future__ import annotations

import re

from ..compose import Context
from ..models import Section, Table
from ..option_costs import OptionCost, cost_options
from .figures import _money

HORIZON_YEARS = 3  # when an option costs something once, the years over which the options are also set side by side


def _texts(ctx: Context) -> list[str]:
    return [q for q, _ in ctx.history] + [ctx.question]


# "What does each cost a month?": the sums in the period asked for.
_MONTHLY = re.compile(r"\b(?:a|per|each|every) month\b|\bmonthly\b", re.IGNORECASE)
_YEARLY = re.compile(r"\b(?:a|per|each|every) year\b|\byearly\b|\bannual\w*\b|\bper annum\b", re.IGNORECASE)


def _amounts(o: OptionCost, monthly: bool = False) -> str:
    """"about $186.6k a year plus $19k once", per currency when an option mixes them."""
    parts = []
    for sign in sorted(o.signs):
        year = sum(x.per_year for x in o.lines if x.sign.strip() == sign)
        once = sum(x.once for x in o.lines if x.sign.strip() == sign)
        unit = next(x.sign for x in o.lines if x.sign.strip() == sign)
        said = " plus ".join(p for p in ((f"{_money(year / 12, unit)} a month" if monthly else
                                          f"{_money(year, unit)} a year") if year else "",
                                         f"{_money(once, unit)} once" if once > 0 else "") if p)
        if once < 0:
            said += f", less {_money(-once, unit)} for the months free"  # a free start, counted once
        parts.append(said)
    return "about " + " plus ".join(parts) if parts else "not priced"


def _named(o: OptionCost, short: bool = False) -> str:
    """The option as they wrote it ("(b) a 1-year Compute Savings Plan"), or only its mark once it has been named."""
    said = o.tag if short and o.tag else o.label
    return said[:1].upper() + said[1:] if not said.startswith("(") else said


def option_sums(ctx: Context) -> tuple[str, Section] | None:
    """The sentence that answers "what does each option cost per year?" from their own prices and usage, and the table
    of how each sum was counted; None when they did not price two or more options."""
    options = cost_options(_texts(ctx))
    if not options:
        return None
    from .figures import given_numbers

    # Over the years they asked about ("side by side over 2 years"), else a few years when something is paid once.
    years = given_numbers(ctx).get("horizon_months", HORIZON_YEARS * 12) / 12
    asks = [x for x in re.split(r"(?<=[.!?])\s+", ctx.question) if x.rstrip().endswith("?")] or [ctx.question]
    monthly = any(_MONTHLY.search(x) and not _YEARLY.search(x) for x in asks)
    said = []
    for o in options:
        if not o.lines:
            said.append(f"{_named(o)}: no price given")
            continue
        left = f", before {', '.join(o.unpriced)} (not priced)" if o.unpriced else ""
        said.append(f"{_named(o)} {_amounts(o, monthly)}{left}")
    lead = "On your numbers: " + "; ".join(said) + "."
    priced = [o for o in options if o.lines and len(o.signs) == 1]
    signs = {next(iter(o.signs)) for o in priced}
    if len(priced) >= 2 and len(signs) == 1 and len(priced) == sum(bool(o.lines) for o in options):
        unit = priced[0].lines[0].sign
        # A one-off cost beside yearly ones is set against them over a few years; one-offs alone compare as they are.
        over = any(o.once for o in priced) and any(o.per_year for o in priced)
        total = (lambda o: o.per_year * years + o.once) if over else (lambda o: o.per_year + o.once)
        yearly = not any(o.once for o in priced)
        first = min(priced, key=lambda o: o.per_year + o.once)
        ranked = sorted(priced, key=total)
        low, gap = ranked[0], total(ranked[1]) - total(ranked[0])
        if low.unpriced:
            # Cheapest only before a part they did not price: that part decides it, so no ranking is claimed.
            lead += (f" {_named(low, True)} looks cheapest, but its sum leaves out {', '.join(low.unpriced)}, which "
                     f"decides whether it beats {_named(ranked[1], True)}.")
        elif over and first is not low:
            lead += (f" {_named(first, True)} costs least in the first year, {_named(low, True)} over "
                     f"{years:g} years (by about {_money(gap, unit)}).")
        else:
            lead += (f" {_named(low, True)} costs least, by about "
                     + (f"{_money(gap, unit)} over {years:g} years." if over else
                        f"{_money(gap, unit)}." if not yearly else
                        f"{_money(gap / 12, unit)} a month." if monthly else f"{_money(gap, unit)} a year."))
    elif len(signs) > 1 or any(len(o.signs) > 1 for o in options):
        lead += " They are priced in different currencies: convert at your rate before ranking them."
    rows = [[_named(o), "; ".join([*(x.how for x in o.lines), *(f"not priced: {u}" for u in o.unpriced if o.lines)])
             or "no price given", _amounts(o, monthly)] for o in options]
    table = Section(kind="comparison", title="How each sum was counted",
                    table=Table(columns=["Option", "Counted from your numbers", "Comes to"], rows=rows))
    return lead, table
