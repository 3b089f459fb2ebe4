""""What would have to be true for building to be right?": the circumstances that would turn the call, first."""

from __future__ import annotations

import re

from ..compose import Citations, Context
from ..models import Section
from ..render import VERDICT_WORD
from .decision import also_sections, verdict_shape
from .phrasing import side_named
from .sections import keep

# Which verdicts count as the way the asker asks about ("for building to be right" wants build or part-build).
_TOWARD = {"build": ("build", "hybrid"), "buy": ("buy",)}


# "what would need to be true for self-hosted vLLM to beat the API": the way asked about is what comes after "for".
_SUBJECT = re.compile(r"\bfor\s+((?:(?!\bfor\b)[^.?!]){3,80}?)\s+to\s+(?:make sense|beat|be\b|pay|win|work|become|come out)")
_SELF_RUN = re.compile(r"\bself[- ]?host|\bon[- ]?prem|\bhome[- ]?grown\b|\bin[- ]house\b|\bbespoke\b|\bour own\b")


def _direction(ctx: Context) -> str | None:
    """Which way the asker asks the call could turn: toward building (or running it themselves) or buying."""
    said = list(_SUBJECT.finditer(ctx.reading.normalized))
    text = said[-1].group(1) if said else ctx.reading.normalized
    return "build" if _SELF_RUN.search(text) else side_named(text)


def _self_hostable(ctx: Context) -> set[str]:
    facts = ctx.vendor_facts or {}
    return {doc for doc, f in facts.items() if f.self_hostable}


def turning_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """The conditions that would move the call the way they ask, said as "if ..." first, each with its rule."""
    d = ctx.decision
    toward = _direction(ctx)
    if toward and d.verdict in _TOWARD[toward]:
        return verdict_shape(ctx, cites)  # it already goes their way: the call and why, not what would turn it
    # What they deny of who they are rules a circumstance out; what is not measured yet is what would have to be true.
    measured = {c.id for c in ctx.taxonomy.conditions if c.measured} if ctx.taxonomy else set()
    denied = set(ctx.state.negated) - measured
    changes = list(d.would_change)
    if d.part is not None and all(c.global_rule for c in changes):
        # A part that only the product rule would turn ("the inference engine"): what would turn the row as a whole
        # is what the asker is weighing ("for self-hosted vLLM to beat the API").
        changes += d.row_would_change
    turns = [c for c in changes if c.condition not in denied and (not toward or c.verdict in _TOWARD[toward])]
    # The row's own circumstances first; "if it became your product" holds for every row and says least. A data rule
    # says little to a team that already sends this data to a hosted service ("we pay OpenAI $38k a month").
    hosted = bool(set(ctx.state.running) - _self_hostable(ctx))
    # The side named exactly first: "for building our own tool to make sense" is answered by when Build is right,
    # with the part-build (Hybrid) after it.
    turns.sort(key=lambda c: (bool(toward) and c.verdict != toward, c.global_rule, hosted and c.condition == "regulated"))
    if not turns:
        return verdict_shape(ctx, cites)
    when = {c.id: c.when for c in ctx.taxonomy.conditions if c.when} if ctx.taxonomy else {}
    first = turns[0]
    # A second circumstance joins the lead only when it turns the call the same way ("Build ... if A or if B").
    same = [c for c in turns[1:] if c.verdict == first.verdict][:1]
    said = "".join(f" or if {when.get(c.condition, c.label)}" for c in same)
    lead = (f"{VERDICT_WORD[first.verdict]} becomes the right call only if {when.get(first.condition, first.label)}"
            f"{said}; on what you told us it is {VERDICT_WORD[d.verdict]}. {first.advice}"
            + cites.support(first.advice, first.note))
    lines = [f"*If {when.get(c.condition, c.label)}:* **{VERDICT_WORD[c.verdict]}**. {c.advice}"
             + cites.support(c.advice, c.note) for c in [c for c in turns[1:] if c not in same][:2]]
    more = Section(kind="changes", title="The other ways it turns", items=lines) if lines else None
    return lead, keep(more, *also_sections(ctx, cites))
