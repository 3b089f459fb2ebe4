"""Where teams go wrong with one component: its risks on the side they take, what their situation changes, and how
to roll it out so the mistakes are avoided."""

from __future__ import annotations

import re

from ..compose import Citations, Context, sentences, usable
from ..models import Section
from .guidance import risk_key
from .phrasing import subject_of
from .sections import keep, situations_section

# "What mistakes do teams make when they set up monitoring?", "typical pitfalls of this kind of project", "where do
# people go wrong with it?": the asker wants the traps of doing it, not the build-or-buy call.
_PITFALLS = re.compile(r"\b(?:mistakes?|pitfalls?|gotchas?|traps?|footguns?|anti-?patterns?|lessons learn\w*|"
                       r"go(?:es)? wrong|went wrong|trip (?:up|over)|stumble|screw(?:s|ed)? up|mess(?:es|ed)? up)\b",
                       re.IGNORECASE)
# A risk sentence is about one side when it says so ("The main risk of building ...", "the guard for bought ...").
_SIDE = {"build": re.compile(r"\b(?:building|built|homegrown|in-house|assembl\w*|your own)\b", re.IGNORECASE),
         "buy": re.compile(r"\b(?:buy|buying|bought|vendor|vendors)\b", re.IGNORECASE)}


# "What could go wrong during it?" about a move they are weighing: the traps of the move, not of building.
_DURING_MOVE = re.compile(r"\b(?:during|in|while|with) (?:the |this |that |a |our )?(?:migration|move|switch|switchover|"
                          r"cut-?over|transition|port)\b|\bmigrat\w*\b|\b(?:during|while) (?:it|we (?:migrate|move|switch|port))\b",
                          re.IGNORECASE)


def _asked(ctx: Context) -> str:
    """The sentences that ask (those ending with a question mark), else the whole turn."""
    asked = [s for s in re.split(r"(?<=[.!?])\s+", ctx.reading.normalized) if s.rstrip().endswith("?")]
    return " ".join(asked) or ctx.reading.normalized


def asks_pitfalls(ctx: Context) -> bool:
    """Whether the sentences that ask ask for the traps."""
    return bool(_PITFALLS.search(_asked(ctx)))


def pitfalls_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]] | None:
    """The component's risks on the side they take, led by the main one; None when no component is the subject or
    the turn asks for something else."""
    comp = ctx.decision.component
    if comp is None or not asks_pitfalls(ctx):
        return None
    risks = [(s, p) for p in cites.sections(comp.note, "Risks") for s in sentences(p.doc.page_content) if usable(s)]
    if not risks:
        return None
    products = {o.doc for o in comp.buy} & {*ctx.reading.vendors, *ctx.state.running}
    if products and _DURING_MOVE.search(_asked(ctx)):
        return _moving_pitfalls(ctx, cites)
    key = risk_key(ctx)
    sides = ["build", "buy"] if key == "risks-both" else [key.removeprefix("risks-")]
    picked = [(s, p) for s, p in risks if any(_SIDE[x].search(s) for x in sides)] or risks
    # The main risk leads, its guard follows; the rest keep the note's order.
    picked.sort(key=lambda sp: not re.search(r"\bmain risk\b", sp[0], re.IGNORECASE))
    (first, fp), rest = picked[0], picked[1:]
    lead = f"The usual mistakes with {subject_of(ctx)}: {first[:1].lower()}{first[1:]} [{cites.cite(fp, first)}]"
    items = [f"{s} [{cites.cite(p, s)}]" for s, p in rest[:3]]
    if "build" in sides:
        # What any build costs when it turns out wrong: the risk the component's note takes for granted.
        items += cites.sentence_from(cites.section("risk-of-building", "cost of a wrong build"), 1)
    mistakes = Section(kind="guidance", title="Other mistakes to avoid", items=items) if items else None
    rollout = [(s, p) for p in cites.sections(comp.note, "Rolling it out") for s in sentences(p.doc.page_content)
               if usable(s)][:3]
    steps = Section(kind="guidance", title="How to avoid them as you roll it out",
                    items=[f"{s} [{cites.cite(p, s)}]" for s, p in rollout]) if rollout else None
    return lead, keep(situations_section(ctx, cites, lead), mistakes, steps)


def _moving_pitfalls(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """What goes wrong when moving from the product they run to another: what the move takes (the row's migration
    line), the traps of the product they move to, and the rollout that keeps the old path running meanwhile."""
    comp = ctx.decision.component
    rollout = [(s, p) for p in cites.sections(comp.note, "Rolling it out") for s in sentences(p.doc.page_content)
               if usable(s)][:3]
    lead = "The usual trap is moving before the new setup has been proven beside the old one" + (
        f": {rollout[0][0][:1].lower()}{rollout[0][0][1:]} [{cites.cite(rollout[0][1], rollout[0][0])}]"
        if rollout else ".") + f" {comp.migration}{cites.support(comp.migration, comp.note, 'migration')}"
    risks = [(s, p) for p in cites.sections(comp.note, "Risks") for s in sentences(p.doc.page_content)
             if usable(s) and _SIDE["buy"].search(s)]
    mistakes = Section(kind="guidance", title="Other traps", items=[f"{s} [{cites.cite(p, s)}]" for s, p in risks[:2]]) \
        if risks else None
    steps = Section(kind="guidance", title="How to move without breaking what works",
                    items=[f"{s} [{cites.cite(p, s)}]" for s, p in rollout[1:]]) if rollout[1:] else None
    return lead, keep(steps, mistakes)
