"""A conversation exported as an Architecture Decision Record (MADR): context, drivers, options, outcome, consequences."""

from __future__ import annotations

import datetime as dt
import re

from .matrix import Matrix, Taxonomy
from .models import Answer, Citation
from .planning import ConversationState
from .render import VERDICT_WORD

_MARK = re.compile(r"\[(\d+)\]")


class _Sources:
    """Renumbers each answer's citations into one list for the whole record."""

    def __init__(self):
        self.cited: list[Citation] = []

    def remap(self, text: str, answer: Answer) -> str:
        local = {c.n: c for c in answer.citations}

        def one(m: re.Match) -> str:
            c = local.get(int(m.group(1)))
            if c is None:
                return ""
            key = (c.doc_id, c.section)
            for i, seen in enumerate(self.cited, 1):
                if (seen.doc_id, seen.section) == key:
                    return f"[{i}]"
            self.cited.append(c)
            return f"[{len(self.cited)}]"

        return " ".join(_MARK.sub(one, text).split())


def _per_subject(answers: list[Answer]) -> list[list[Answer]]:
    """The answers with a verdict, grouped by what they decide (component and part), in first-asked order."""
    groups: dict[tuple, list[Answer]] = {}
    for a in answers:
        if a.refused or not a.verdict or not a.component:
            continue
        groups.setdefault((a.component, a.part or "whole"), []).append(a)
    return list(groups.values())


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def decision_record(conversation_id: str, turns: list[dict], state: ConversationState, matrix: Matrix,
                    taxonomy: Taxonomy) -> str:
    """The conversation as MADR Markdown; every claim keeps its citation, renumbered for the record."""
    answers = [Answer.model_validate(t["answer"]) for t in turns]
    questions = [t["question"] for t, a in zip(turns, answers, strict=True) if not a.refused]
    groups = _per_subject(answers)
    decided = [g[-1] for g in groups]  # the verdict as the conversation left it
    src = _Sources()
    labels = {c.id: c.label for c in taxonomy.conditions}
    subjects = [_cap(a.subject or a.component) for a in decided]
    when = dt.datetime.fromtimestamp(turns[-1]["created"], dt.UTC).date().isoformat() if turns else ""
    out = [f"# {'Build or buy: ' + '; '.join(subjects) if subjects else 'Build or buy: no decision yet'}", "",
           "- Status: proposed", f"- Date: {when}", f"- Conversation: {conversation_id}", ""]

    out += ["## Context and Problem Statement", ""]
    out += ["The team asked:", ""] + [f"- \"{q}\"" for q in questions] if questions else ["No question in scope was asked."]
    if state.facts:
        out += ["", "Facts they gave: " + "; ".join(dict.fromkeys(state.facts.values())) + "."]
    out += ["", "## Decision Drivers", ""]
    out += [f"- {labels.get(c, c)}" for c in state.conditions] or \
        ["- No special conditions were stated, so the decision matrix's defaults apply."]
    for c in state.negated:
        out.append(f"- Stated not to hold: {labels.get(c, c)}")

    out += ["", "## Considered Options", ""]
    for a in decided:
        comp = matrix.get(a.component)
        named = [o.name for o in comp.buy if o.doc in state.vendors or o.name.lower() in a.text.lower()]
        options = ", ".join(named) if named else ", ".join(o.name for o in comp.buy[:3])
        out += [f"- {_cap(a.subject or comp.name)}: build in-house", f"- {_cap(a.subject or comp.name)}: buy ({options})"]
        if a.verdict == "hybrid" and (part := comp.build_part):
            out.append(f"- {_cap(a.subject or comp.name)}: hybrid (buy the rest, build {part.label})")

    out += ["", "## Decision Outcome", ""]
    if not decided:
        out.append("No verdict was reached in this conversation.")
    for group in groups:
        a = group[-1]
        # The reasoning comes from the last answer that gave a verdict; a vendor answer adds the option chosen.
        why = next((x for x in reversed(group) if x.act not in ("vendor",)), a)
        line = f"- **{_cap(a.subject or a.component)}: {VERDICT_WORD.get(a.verdict, a.verdict)}.** {src.remap(why.lead, why)}"
        if (pick := next((x for x in reversed(group) if x.act == "vendor"), None)) is not None and pick is not why:
            line += f" Option: {src.remap(pick.lead, pick)}"
        out.append(line)
        if a.provenance and a.provenance.line:
            out.append(f"  {a.provenance.line}")

    out += ["", "## Consequences", ""]
    if not decided:
        out.append("None yet.")
    for a in decided:
        comp = matrix.get(a.component)
        out.append(f"- {_cap(a.subject or comp.name)}: cost of changing course later is {comp.migration_cost}. "
                   f"{' '.join(comp.migration.split())}")
        for s in a.sections:
            if s.kind == "changes":
                out += [f"  - Would change it: {src.remap(item, a)}" for item in s.items]

    out += ["", "## Sources", ""]
    out += [f"{i}. {c.title}{': ' + c.section if c.section else ''} ({c.source or c.doc_id})"
            for i, c in enumerate(src.cited, 1)] or ["None cited."]
    return "\n".join(out) + "\n"
