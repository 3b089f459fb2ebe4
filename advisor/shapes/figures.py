"""The asker's own numbers run through the cost model: what building would cost over their horizon, against buying."""

from __future__ import annotations

import re

from ..compose import Citations, Context
from ..models import Section
from ..quantities import extract
from ..tco import inputs_from_text, project

# The inputs an asker can give that make a projection theirs; with none of them, any figure would be ours alone.
ASKER_INPUTS = ("build_engineers", "build_months", "vendor_month", "horizon_months", "loaded_cost_year")
_CURRENCY = re.compile(r"[$€£]")


def _money(value: float, unit: str) -> str:
    """"$470k", "€1.2M", "9,500": rounded the way people say sums."""
    if value >= 1e6:
        return f"{unit}{value / 1e6:.1f}M".replace(".0M", "M")
    if value >= 1e5:
        return f"{unit}{round(value / 1e3):,}k"
    if value >= 1e4:
        return f"{unit}{value / 1e3:.1f}".rstrip("0").rstrip(".") + "k"
    return f"{unit}{round(value, -2):,.0f}"


def _span(months: float) -> str:
    if months % 12 == 0:
        years = int(months // 12)
        return {1: "one year", 2: "two years", 3: "three years", 4: "four years", 5: "five years"}.get(
            years, f"{years} years")
    return f"{months:g} months"


def _texts(ctx: Context) -> list[str]:
    """What the asker said in this conversation, oldest first (their numbers may come before the question)."""
    return [q for q, _ in ctx.history] + [ctx.question]


def given_numbers(ctx: Context) -> dict[str, float]:
    """The cost inputs the asker stated in this conversation (never the defaults)."""
    if ctx.tco is None:
        return {}
    found = inputs_from_text(_texts(ctx)).model_dump(exclude_none=True)
    return {k: v for k, v in found.items() if k in ASKER_INPUTS}


def projection(ctx: Context, cites: Citations) -> tuple[str, Section | None] | None:
    """A sentence comparing building and buying over the asker's horizon, cited, and the placeholders it rests on;
    None when the asker gave none of the numbers a projection needs."""
    given = given_numbers(ctx)
    if not given or ctx.decision.component is None:
        return None
    values, build, buy = project(given, ctx.tco)
    unit = next((m.group(0) for t in _texts(ctx) for m in [_CURRENCY.search(t)] if m), "")
    months = int(values["horizon_months"])
    team = values["build_engineers"]
    who = f"{team:g} engineer{'s' if team != 1 else ''}"
    said = f"Building it with {who} comes to about {_money(build[-1], unit)} over {_span(months)}"
    if "vendor_month" in given:
        named = [o.name for o in ctx.decision.component.buy if o.doc in ctx.plan.vendors]
        vendor = named[0] if len(named) == 1 else "the bought option"
        cheaper = "buying" if buy[-1] < build[-1] else "building"
        gap = abs(build[-1] - buy[-1])
        said += (f", against about {_money(buy[-1], unit)} for {vendor} at {_money(given['vendor_month'], unit)} "
                 f"a month, so {cheaper} is cheaper by about {_money(gap, unit)}")
    else:
        # With no price for the bought side, the price below which buying is cheaper is the number to take to vendors.
        said += f"; buying is cheaper over that time at any price under about {_money(build[-1] / months, unit)} a month"
    said += "." + cites.support("total cost of ownership maintenance operational staff upkeep", "key-factors",
                                "total cost")
    # Every default the projection used is shown as an assumption to replace, with the reason it was chosen.
    placeholders = []
    for field in ("build_months", "loaded_cost_year", "maintenance_share", "vendor_growth"):
        if field in given or (field == "vendor_growth" and "vendor_month" not in given):
            continue
        d = ctx.tco.defaults[field]
        shown = f"{d.value:.0%}" if d.value < 1 else _money(d.value, unit) if d.value >= 1000 else f"{d.value:g}"
        placeholders.append(f"*{d.label[:1].upper()}{d.label[1:]}: {shown}.* {d.why}" + cites.support(d.why, d.note))
    section = Section(kind="facts", title="Placeholders in that sum (replace them with yours)",
                      items=placeholders) if placeholders else None
    return said, section


def build_effort(ctx: Context) -> bool:
    """Whether the asker said what a build would take ("2 engineers for 6 months")."""
    return any(q.kind == "build_engineers" for t in _texts(ctx) for q in extract(t)) or \
        "build_months" in given_numbers(ctx)
