"""The four questions applied to infrastructure with no matrix row: one line each, from what the asker said."""

from __future__ import annotations

from .compose import Citations, Context, yours
from .models import Section

# For each question: (the condition that answers it, what that tells us), in order of strength; the
# last entry (None) is the line when the asker said nothing that bears on the question.
_APPLIED: dict[int, list[tuple[str | None, str]]] = {
    1: [("production-evidence", ("your evidence may show a real gap; build only the part it points to, on top of "
                                "what you can buy")),
        ("control-later", "a possible need for control later is not differentiation, so this points to buying"),
        (None, ("you did not say it is what sets you apart, and for most teams it is not what customers pay for, "
               "so this points to buying"))],
    2: [("budget", "the permanent upkeep of a homegrown {name} is the cost that weighs heaviest"),
        ("early-stage", ("a small team pays for a build with time taken from the product, and the upkeep never "
                        "stops")),
        (None, "a build's cost keeps growing after launch: count upkeep and incidents, not just the first version")],
    3: [("regulated", ("your rules are the requirement to test: look for an open-source or self-hostable option "
                      "that runs inside your boundary before writing your own")),
        ("scale", ("test the managed options against the volumes and latency you have measured, not hypothetical "
                  "ones")),
        ("simple", "needs this simple are almost certainly met by an existing option"),
        (None, "check the existing options against the requirements you have today")],
    4: [("lock-in", "prefer open-source or standard formats so a later move stays cheap"),
        # The note's own point: what reversing a wrong choice would cost is one input to the decision.
        (None, "count what moving off it would cost if the choice proves wrong, as one input to the decision")],
}


def _said(ctx: Context, cond: str, used: set[str]) -> str:
    """'You said "we're four people"' when the asker's words are known (once), else the condition's label."""
    words = ctx.reading.said.get(cond, "")
    if words in used:
        words = ""  # one clause that said two things is echoed once, not on every line
    used.add(words)
    words = yours(words).strip(" .,;:")
    if words and len(words) <= 100:
        # "we're a bank" comes back as "you are a bank": reported speech, not a quote of words they never wrote.
        return f"You told us {words}" if words.startswith(("you ", "your ")) else f"You said “{words}”"
    return f"You told us about {ctx.labels.get(cond, cond)}"


def applied_questions(ctx: Context, cites: Citations, name: str) -> tuple[list[str], str]:
    """One cited line per question with what the asker told us; and which way they lean overall."""
    conds = set(ctx.decision.conditions)
    sections = {p.doc.metadata.get("section", "").lower(): p for p in ctx.evidence.of("four-questions")}
    lines, used = [], set()
    for n, options in _APPLIED.items():
        cond, text = next((c, t) for c, t in options if c is None or c in conds)
        passage = next((p for s, p in sections.items() if s.startswith(f"question {n}")), None)
        ask = passage.doc.metadata.get("section", "").split(":", 1)[-1].strip() if passage else f"Question {n}"
        said = f"{_said(ctx, cond, used)}, so " if cond else ""
        body = text.format(name=name)
        body = said + body if said else body[:1].upper() + body[1:]
        mark = f" [{cites.cite(passage, body)}]" if passage else ""
        lines.append(f"**{ask}** {body}.{mark}")
    lean = ("building only the part your evidence points to" if "production-evidence" in conds
            else "buying or adopting an open-source option")
    return lines, lean


def applied_section(lines: list[str]) -> Section:
    return Section(kind="reasons", title="The four questions, applied to what you told us", items=lines)
