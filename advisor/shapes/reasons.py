"""Is this fact a reason to build (or to buy)? Yes or no first, then what the fact asks of them and what decides."""

from __future__ import annotations

import re

from ..compose import Citations, Context
from ..models import Section
from ..render import VERDICT_WORD
from .options import options_section
from .phrasing import condition_phrase, reason_sentence
from .sections import build_section, keep

# "Is lock-in a good reason to build here?", "does the AWS lock-in justify building our own?", "is our scale enough of
# an argument for writing it ourselves?": the asker weighs one fact as the case for a side.
_ASKED = re.compile(
    r"\b(?:is|isn'?t|are|aren'?t|would|wouldn'?t|does|doesn'?t|do|can|could|should)\s+(?P<subj>[^?.!;]{1,70}?)\s+"
    r"(?:(?:a|an|enough|of|good|valid|strong|real|sufficient|legitimate|solid|the|any|really|actually|reason)\s+){0,4}"
    r"(?:reason|argument|case|justification|grounds)\s+(?:enough\s+)?(?:to|for)\s+(?P<way>\w+)"
    r"|\b(?:does|do|would|can|could)\s+(?P<subj2>[^?.!;]{1,70}?)\s+(?:justify|warrant)\s+(?P<way2>\w+)",
    re.IGNORECASE)
_BUILD = re.compile(r"^(?:build\w*|writ\w*|roll\w*|mak\w*|develop\w*|own\w*|self-?host\w*|in-?hous\w*)$", re.IGNORECASE)
_BUY = re.compile(r"^(?:buy\w*|pay\w*|purchas\w*|adopt\w*|go\w*|us\w*|sign\w*|outsourc\w*)$", re.IGNORECASE)
_VAGUE = re.compile(r"^(?:that|this|it|those|these|that worry|this worry|their point|his point|her point)$",
                    re.IGNORECASE)


def asked_reason(ctx: Context) -> tuple[str, str] | None:
    """(the fact as they named it, 'build' or 'buy') when the turn asks whether a fact is a reason for a side."""
    m = _ASKED.search(ctx.reading.normalized)
    if m is None:
        return None
    way = m["way"] or m["way2"]
    side = "build" if _BUILD.match(way) else "buy" if _BUY.match(way) else None
    if side is None:
        return None
    subject = (m["subj"] or m["subj2"]).strip()
    subject = re.sub(r"^(?:there|it|that)\s+(?=\w)", "", subject) if len(subject.split()) > 1 else subject
    return subject, side


def reason_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]] | None:
    """"Is lock-in a good reason to build here?": no or yes for this asker, what the fact asks of them, and what
    decides; None when the turn asks no such thing or names no fact the call knows."""
    d = ctx.decision
    asked = asked_reason(ctx)
    if asked is None or d.component is None or d.verdict is None:
        return None
    subject, side = asked
    told = [c for c in ctx.reading.conditions if c in d.conditions]
    if not told:
        return None
    fact = told[-1]
    named = ctx.labels.get(fact, fact).split(" (")[0] if _VAGUE.match(subject) else subject
    row = d.part or d.component
    rule = row.rule_for(fact, ctx.state.facts) or d.component.rule_for(fact, ctx.state.facts)
    decides = rule is not None and d.deciding is not None and rule.condition == d.deciding.condition
    if decides and d.verdict not in (side, "hybrid"):
        answer = f"No: here {named} points the other way, to {VERDICT_WORD[d.verdict]}"
    elif d.verdict == side:
        answer = f"Yes: here {named} points to {VERDICT_WORD[d.verdict]}"
    elif d.verdict == "hybrid":
        answer = f"Partly: here {named} argues for building only part of it ({VERDICT_WORD[d.verdict]})"
    else:
        answer = f"No: {named} is not reason enough to {side} here; it stays {VERDICT_WORD[d.verdict]}"
    lead = f"{answer}."
    if rule is not None and not decides:
        # What the fact asks of them on its own ("assemble open-source parts so each can be replaced"), then what
        # outranks it for this asker.
        advice = rule.advice + cites.support(rule.advice, rule.note)
        deciding = d.deciding.condition if d.deciding else None
        why = condition_phrase(ctx, deciding) if deciding and deciding != fact else ""
        lead += (f" What it does ask of you: {advice[:1].lower()}{advice[1:]} What decides it"
                 f"{' (' + why + ')' if why else ''}: {reason_sentence(ctx, cites)}")
    else:
        lead += f" {reason_sentence(ctx, cites)}"
    options = options_section(ctx, cites, 3) if d.verdict in ("buy", "hybrid") else None
    return lead, keep(options, build_section(ctx, cites))
