""""What would have to be true for building to be right?": the circumstances that would turn the call, first."""

from __future__ import annotations

from ..compose import Citations, Context
from ..models import Section
from ..render import VERDICT_WORD
from .decision import also_sections, verdict_shape
from .phrasing import BUILD_WORDS, BUY_WORDS
from .sections import keep

# Which verdicts count as the way the asker asks about ("for building to be right" wants build or part-build).
_TOWARD = {"build": ("build", "hybrid"), "buy": ("buy",)}


def _direction(ctx: Context) -> str | None:
    words = set(ctx.reading.normalized.replace("?", " ").replace(",", " ").replace(".", " ").split())
    if words & BUILD_WORDS and not words & BUY_WORDS:
        return "build"
    if words & BUY_WORDS and not words & BUILD_WORDS:
        return "buy"
    return None


def turning_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """The conditions that would move the call the way they ask, said as "if ..." first, each with its rule."""
    d = ctx.decision
    toward = _direction(ctx)
    if toward and d.verdict in _TOWARD[toward]:
        return verdict_shape(ctx, cites)  # it already goes their way: the call and why, not what would turn it
    denied = set(ctx.state.negated)
    turns = [c for c in d.would_change if c.condition not in denied and (not toward or c.verdict in _TOWARD[toward])]
    # The row's own circumstances first; "if it became your product" holds for every row and says least.
    turns.sort(key=lambda c: c.global_rule)
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
