"""The answer when several rows are asked about together: one line per row, the direct comparison first."""

from __future__ import annotations

import re

from ..compose import Citations, Context
from ..decision import Decision
from ..models import Section
from ..render import VERDICT_WORD
from .phrasing import listed

# "Which would be hardest to move off later?" compares how costly each row is to leave, not what to do about it.
_MOVING = re.compile(r"\b(?:move|moving|migrat\w*|leav\w*|switch\w*|lock(?:ed)?[- ]in|undo|replac\w*|get off|exit)\b",
                     re.IGNORECASE)
_COST_RANK = {"high": 0, "medium": 1, "low": 2}
_COST_WORD = {"high": "costly", "medium": "moderate work", "low": "cheap"}


def _noun(d: Decision) -> str:
    noun = d.component.noun or d.component.name.lower()
    return re.sub(r"^(?:a|an) ", "the ", noun)


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def several_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """Each row asked about, side by side: how hard it is to leave, or what to do about it."""
    rows = [d for d in ctx.several if d.component is not None]
    if ctx.plan.act == "switch" or _MOVING.search(ctx.reading.normalized):
        return _leaving(rows, cites)
    return _verdicts(rows, cites)


def _leaving(rows: list[Decision], cites: Citations) -> tuple[str, list[Section]]:
    ranked = sorted(rows, key=lambda d: _COST_RANK[d.component.migration_cost])
    hardest = [d for d in ranked if d.component.migration_cost == ranked[0].component.migration_cost]
    easiest = [d for d in ranked if d.component.migration_cost == ranked[-1].component.migration_cost]
    lead = f"{_cap(listed([_noun(d) for d in hardest]))} would be the hardest to move off later"
    if easiest[0] is not hardest[0]:
        lead += f", and {listed([_noun(d) for d in easiest])} the easiest"
    elif len(hardest) > 1:
        lead = f"{_cap(listed([_noun(d) for d in hardest]))} would be about as hard to move off as each other"
    lead += "."
    items = []
    for d in ranked:
        comp = d.component
        items.append(f"**{comp.name}: {_COST_WORD[comp.migration_cost]} to leave.** {comp.migration}"
                     + cites.support(comp.migration, comp.note, "migration"))
    return lead, [Section(kind="migration", title="How hard each is to move off", items=items)]


def _verdicts(rows: list[Decision], cites: Citations) -> tuple[str, list[Section]]:
    by: dict[str, list[Decision]] = {}
    for d in rows:
        by.setdefault(d.verdict, []).append(d)
    said = []
    if "buy" in by:
        said.append(f"buy {listed([_noun(d) for d in by['buy']])}")
    if "build" in by:
        said.append(f"build {listed([_noun(d) for d in by['build']])}")
    if "hybrid" in by:
        said.append(f"split {listed([_noun(d) for d in by['hybrid']])} between a bought core and a part of your own")
    for d in by.get("depends", []):
        said.append(f"{_noun(d)} depends on {d.component.depends_on or 'your requirements'}")
    lead = _cap("; ".join(said)) + "."
    items = []
    for d in rows:
        rule = d.deciding
        reason, note = (rule.advice, rule.note) if rule else (d.component.summary, d.component.note)
        items.append(f"**{d.component.name}: {VERDICT_WORD[d.verdict]}.** {reason}" + cites.support(reason, note))
    return lead, [Section(kind="reasons", title="Each of them", items=items)]
