"""The four questions applied to infrastructure with no matrix row: one line each, from what the asker said."""

from __future__ import annotations

from .compose import Citations, Context, yours
from .hosting import NOTE as HOSTING_NOTE
from .models import Section
from .shapes.phrasing import listed
from .vendors import data_rule

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
    """'You said "we're four people"' when the asker's words are known (once), else the condition's label; '' when
    the lead already echoed them."""
    words = ctx.reading.said.get(cond, "")
    if words and words in used:
        return ""  # one clause that said two things is echoed once, not on every line
    used.add(words)
    words = yours(words).strip(" .,;:")
    if words and len(words) <= 100:
        # "we're a bank" comes back as "you are a bank": reported speech, not a quote of words they never wrote.
        return f"You told us {words}" if words.startswith(("you ", "your ")) else f"You said “{words}”"
    from .shapes.phrasing import condition_phrase

    # Their own numbers when they gave some ("You told us of 3 ML engineers"), never the condition's label.
    phrase = condition_phrase(ctx, cond)
    if phrase.startswith("with "):
        return f"You told us of {phrase[5:]}"
    if phrase.startswith("as a "):
        return f"You told us you are {phrase[3:]}"
    return f"You told us about {ctx.labels.get(cond, cond)}"


def article(name: str) -> str:
    """'a vector database', 'an LLM gateway', 'an ML platform' ('this infrastructure' stays as it is)."""
    if name.startswith(("this ", "the ")):
        return name
    first = name.split()[0]
    vowel_sound = first[0].lower() in "aeio" or (first.isupper() and first[0] in "AEFHILMNORSX")
    return ("an " if vowel_sound else "a ") + name


def way_of_buying(conds: set[str], facts: dict, managed_cue: bool, kubernetes: bool | None) -> str:
    """Which way of buying infrastructure with no row fits these facts (the branches of `who_runs`, in its order)."""
    if "regulated" in conds:
        return "inside" if data_rule(sorted(conds), facts.get("data-location", "")) == "inside" else "reviewed"
    if managed_cue or "early-stage" in conds and "budget" not in conds and not kubernetes:
        return "hosted"
    return "open-source" if "budget" in conds else "own-cluster" if kubernetes else "default"


def who_runs(ctx: Context, cites: Citations, name: str, used: set[str]) -> str:
    """The lead for infrastructure with no row: do not write it, and whether to pay for it hosted or run an
    open-source one, from who the asker says would operate it (the managed-or-self-hosted note)."""
    conds, r = set(ctx.decision.conditions), ctx.reading
    art = article(name)
    fits, managed, costs = (cites.section(HOSTING_NOTE, h) for h in ("when self-hosting", "when a managed", "what self"))

    def cite(passage) -> str:
        return f" [{cites.cite(passage)}]" if passage else ""

    def told(cond: str, fallback: str) -> str:
        words = yours(ctx.reading.said.get(cond, "")).strip(" .,;:")
        if not words or len(words) > 100 or words in used:
            return fallback
        used.add(ctx.reading.said[cond])
        return words

    # The header says Depends (no row settles it): the lead says why, then the lean and which way of buying fits.
    lean = f"No source settles {art}, but applied to what you told us the four questions lean to buying it"
    if "regulated" in conds and ctx.privacy_law_only:
        # A privacy or AI law with no rule on where data lives ("the Garante is strict about minors", "the AI Act's
        # education category") asks nothing of who runs the tool: the asker's other facts decide that.
        conds = conds - {"regulated"}
    if "regulated" in conds:
        # Only a rule on where data lives keeps it inside; a sector's regulation asks for control and audit.
        if way_of_buying(conds, ctx.state.facts, False, None) == "inside":
            why = told("regulated", "your data has to stay inside your own network")
            return (f"{lean}, as an open-source one you run inside your own network: {why}, and a self-hosted tool "
                    f"keeps the data there.{cite(fits)}")
        why = told("regulated", "your rules say where the data must stay" if ctx.state.facts.get("data-location")
                   else "you are regulated")
        review = "from a vendor that passes your security and compliance review, or as open source you run yourselves"
        return f"{lean}, {review}: {why}.{cites.support(review, 'evaluating-vendors')}"
    # The note's order: nobody to run it, then a tight budget, then a platform already run, then a small team.
    small = "early-stage" in conds and "budget" not in conds and not ctx.state.kubernetes
    if r.managed_cue or small:
        why = told("early-stage", "nobody on your team has time to operate another system" if r.managed_cue
                   else "your team is small")
        return (f"{lean}, and to paying for a hosted one rather than running an open-source one yourselves: {why}, "
                f"and a hosted service takes the upgrades, patches, backups and alerts off your team.{cite(managed)}")
    if "budget" in conds:
        return (f"{lean}, as an open-source one you run yourselves to avoid the licence fee, as long as one named "
                f"engineer owns its upgrades and backups.{cite(fits)}")
    if ctx.state.kubernetes:
        return (f"{lean}: running an open-source one on the Kubernetes cluster you already run is reasonable if one "
                f"named engineer owns its upgrades and backups; otherwise pay for a hosted one.{cite(fits)}")
    return (f"{lean}: pay for a hosted one unless someone on your team will own running an open-source one, since "
            f"self-hosting drops the licence fee but not the upgrades, patches, backups and alerts.{cite(costs)}")


def applied_questions(ctx: Context, cites: Citations, name: str, used: set[str] | None = None
                      ) -> tuple[list[str], str]:
    """One cited line per question with what the asker told us; and which way they lean overall."""
    conds = set(ctx.decision.conditions)
    sections = {p.doc.metadata.get("section", "").lower(): p for p in ctx.evidence.of("four-questions")}
    lines, used = [], set() if used is None else used
    for n, options in _APPLIED.items():
        cond, text = next((c, t) for c, t in options if c is None or c in conds)
        passage = next((p for s, p in sections.items() if s.startswith(f"question {n}")), None)
        ask = passage.doc.metadata.get("section", "").split(":", 1)[-1].strip() if passage else f"Question {n}"
        said = _said(ctx, cond, used) if cond else ""
        said = f"{said}, so " if said else ""
        body = text.format(name=name)
        data = [t for t in ctx.state.stack if t in ctx.data_tools]
        if n == 3 and cond is None and data:
            # Integrations are one of a managed service's real limits: the tools they run are the first test.
            body = (f"check the options against the requirements you have today, starting with working with "
                    f"{listed(data)}, which you already run")
        body = said + body if said else body[:1].upper() + body[1:]
        if n != 1 and cond is None and not (n == 3 and data):
            continue  # nothing they told bears on it: the question restated would be filler
        mark = f" [{cites.cite(passage, body)}]" if passage else ""
        lines.append(f"**{ask}** {body}.{mark}")
    lean = ("building only the part your evidence points to" if "production-evidence" in conds
            else "buying or adopting an open-source option")
    return lines, lean


def applied_section(lines: list[str]) -> Section:
    return Section(kind="reasons", title="The four questions, applied to what you told us", items=lines)
