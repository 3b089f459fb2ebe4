"""Answer shapes for acts about the call itself: the verdict, a what-if, why, is-it-enough and what-to-build."""

from __future__ import annotations

import re

from ..compose import Citations, Context, sentences, usable, yours
from ..lexicon import ENOUGH_WORDS
from ..models import Section
from ..quantities import extract
from ..render import VERDICT_WORD
from .figures import bill_against_hardware
from .options import home_cloud_lean, options_section, outside_their_boundary, strength_of, suits
from .phrasing import (
    BUILD_WORDS,
    fact_phrase,
    hypothetical_words,
    lead_verdict,
    listed,
    lower_first,
    move_answer,
    named_in,
    plan_judged,
    reason_sentence,
    risk_ask,
    side_named,
    situation_phrase,
    subject_of,
    two_sentences,
    unlike_phrase,
    verdict_clause,
    with_facts,
    words_of,
)
from .sections import (
    alongside,
    build_section,
    changes_section,
    estimate_sentence,
    fact_reasons,
    keep,
    migration_section,
    own_sentences,
    plausible,
    reasons_section,
    situation_suffices,
    situations_section,
    stack_covers,
)


def _keeping(ctx: Context, cites: Citations) -> str:
    """The lead when keeping a tool they run is one side of the choice ("KServe, or just keep our Flask app?"):
    keep it or move off it, first; '' when they named nothing to keep."""
    d, kept = ctx.decision, yours(ctx.reading.kept)
    if not kept or d.component is None or d.verdict == "depends":
        return ""
    bought = any(named_in(o, kept) for o in d.component.buy)
    if d.verdict == "build" and not bought:
        # What they run is the simple thing the call says is enough: keep it, and say what they do not need yet.
        situation = situation_phrase(ctx) or unlike_phrase(ctx)
        buy = next((p for p in d.component.parts if p.verdict == "buy"), None)
        enough = f"you do not need {buy.label} yet" if buy else "what you run is enough for now"
        return f"Keep {kept}: {situation + ', ' if situation else ''}{enough}. {reason_sentence(ctx, cites)}"
    if d.verdict == "buy" and bought:
        return f"Keep {kept}. {lead_verdict(ctx, cites)}"
    if d.verdict in ("buy", "hybrid") and not bought:
        lead = lead_verdict(ctx, cites)
        return f"Rather than keep {kept}, {lower_first(ctx, lead)}"
    return ""


def _settled(ctx: Context) -> str:
    """"Airflow stays: it covers the orchestration." when a product they run covers the bought part of the row and
    they ask about another part ("Airflow runs our DAGs. The transformations: write or buy?"); '' otherwise."""
    d = ctx.decision
    if d.part is None:
        return ""
    running = set(ctx.reading.running) | set(ctx.state.running)
    names = [o.name for o in d.component.buy if o.doc in running]
    bought = next((p for p in d.component.parts if p.verdict == "buy"), None)
    if not names or bought is None or d.part is bought or "self-host" in d.part.name:
        # Running it yourselves is the other way to get the bought part ("self-host Llama instead of the OpenAI API"),
        # not another part beside it.
        return ""
    return f"{' and '.join(names[:2])} {'stay' if len(names) > 1 else 'stays'}: {'they cover' if len(names) > 1 else 'it covers'} {bought.label}."


def verdict_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    asked = [o for o in ctx.decision.component.buy if o.doc in ctx.reading.vendors] if ctx.decision.component else []
    if len(asked) == 1 and ctx.history and (not_yet := not_yet_covered(ctx, cites, asked[0])):
        # A product proposed mid-conversation when what they run covers the need: not yet, first.
        return not_yet, keep(changes_section(ctx, cites))
    lead = _keeping(ctx, cites) or lead_verdict(ctx, cites)
    settled = _settled(ctx)
    lead = f"{settled} {lead}" if settled else lead
    lean = home_cloud_lean(ctx, cites)
    lead = f"{lead} {lean}" if lean else lead
    judged = plan_judged(ctx)
    lead = f"{judged} {lead}" if judged else lead
    # "Should we move serving to a managed platform?" asks about a move: yes or no to it first, then the call.
    moved = move_answer(ctx) if not judged and not lead.startswith(("Yes", "No")) else ""
    lead = f"{moved}. {lead}" if moved else lead
    d = ctx.decision
    options = options_section(ctx, cites, 3) if d.verdict != "build" else None
    named = [o for o in d.component.buy if o.doc in ctx.plan.vendors] if d.component else []
    # Not when the named products are the two sides of the call: "the OpenAI API or vLLM on our own GPUs?" is settled
    # by the call itself (hosted or run yourselves), and a pick between them could contradict it.
    facts = ctx.vendor_facts or {}
    kinds = {("hosted" if f.managed and not f.self_hostable else "own" if f.self_hostable and not f.managed else "both")
             for o in named if (f := facts.get(o.doc)) is not None}
    if len(named) >= 2 and d.verdict in ("buy", "hybrid") and ctx.plan.act == "verdict" and not (
            settled or judged or lean) and not {"hosted", "own"} <= kinds:
        # "Slurm, Kueue, Run:ai, or write our own?": the call settles building; which of the products they named
        # fits them is the rest of the answer, with the table in place of a list of blurbs.
        from ..vendors import comparison
        from .options import maintenance_line

        pick, compared = comparison(ctx, cites, "")
        table = next((x for x in compared if x.table is not None), None)
        if table is not None:
            # A named project that only takes minor fixes now is said so where it is weighed.
            stale = "".join(maintenance_line(cites, o.doc) for o in named
                            if o.doc in facts and facts[o.doc].status == "maintenance")
            lead, options = f"{lead} {pick}{stale}", table
    reasons = fact_reasons(ctx, cites)
    if not (settled or judged or lean or _keeping(ctx, cites)):
        from .figures import told_sum

        # "Would self-hosting pay off?" with their bill and their GPU price, or "buy our own GPUs or keep renting?"
        # with the rent and the purchase price: their numbers answer it, so the sum leads and the rule follows; it is
        # not repeated below.
        summed = told_sum(ctx, cites)
        if summed:
            lead = f"{summed} {reason_sentence(ctx, cites)}"
            reasons = _money_weighed(reasons, "*Your numbers:*")
        elif unpriced := bill_against_hardware(ctx, cites):
            # Their bill over the horizon, after the call, when the machines they might buy are not priced yet.
            lead = f"{lead} {unpriced}"
            reasons = _money_weighed(reasons)
    build = build_section(ctx, cites)
    if build is None and "build" in ctx.reading.also and d.component and d.verdict == "hybrid":
        # "... and if we adopt one, which parts do we still have to build?" beside a split call: the row's own build
        # side, since the call's advice names it only in general.
        build = Section(kind="build", title="What you still build", text=d.component.build
                        + cites.support(d.component.build, d.component.note))
    return lead, keep(reasons, options, build, *also_sections(ctx, cites),
                       changes_section(ctx, cites), migration_section(ctx, cites) if _leaving_matters(ctx) else None)


# Words that show the asker cares how hard it is to change course later.
_LATER = re.compile(r"\b(?:lock[- ]?in|locked|switch\w*|migrat\w*|leav\w*|exit|move off|moving off|later|reversib\w*|"
                    r"undo|portab\w*|stuck)\b", re.IGNORECASE)


def _leaving_matters(ctx: Context) -> bool:
    """Whether a verdict answer says what changing course later costs: when the asker worries about it, or when the
    move is costly (high) and so part of the call itself; a cheap move is no news to a question that did not ask."""
    comp = ctx.decision.component
    return bool(comp and (comp.migration_cost == "high" or "lock-in" in ctx.decision.conditions
                          or _LATER.search(ctx.question)))


def also_sections(ctx: Context, cites: Citations, skip: set[str] = frozenset()) -> list[Section]:
    """The second ask of a turn that also wants a decision ("..., and how would we roll it out?"), answered from the
    component's own note: its rollout or the way over, how to tell it worked, the risks of the route recommended."""
    also, verdict = [x for x in ctx.reading.also if x not in skip], ctx.decision.verdict
    out: list[Section] = []
    if verdict != "build" and ("move" in also or "rollout" in also):
        if steps := own_sentences(ctx, cites, "rolling it out"):
            out.append(Section(kind="guidance", title="How to move over" if "move" in also else "Rolling it out",
                               items=steps))
    elif verdict != "build" and "measures" in also and (steps := own_sentences(ctx, cites, "rolling it out", last=True)):
        out.append(Section(kind="guidance", title="How to tell it worked", items=steps))
    if "leave" in also:
        out.extend(keep(_leaving(ctx, cites)))
    if "risks" in also:
        # "If we stay on Grafana until July, what breaks first?" asks the risks of keeping their own setup.
        side = "build" if ctx.reading.kept else {"buy": "buy", "build": "build"}.get(verdict)
        # "What are the risks of buying a monitoring tool, and what would we still build?": the side they name.
        side = side_named(risk_ask(ctx.reading.normalized)) or side
        risks = own_sentences(ctx, cites, "risks", side, limit=3)
        if risks:
            out.append(Section(kind="guidance", title="Risks", items=risks))
    return out


def _leaving(ctx: Context, cites: Citations) -> Section | None:
    """What leaving the product they may pick takes ("and if we go SageMaker, how hard is it to get off later?"):
    that product's lock-in from its note, else the component's migration cost."""
    comp = ctx.decision.component
    if comp is None:
        return None
    norm = ctx.reading.normalized
    ask = next((m for m in [re.search(r"[^.?!]*\b(?:later|leav\w*|get off|move off|switch\w*|locked)\b[^.?!]*", norm)] if m),
               None)
    clause = ask.group(0) if ask else ""
    option = next((o for o in comp.buy if o.doc in ctx.plan.vendors and
                   any(re.search(rf"(?<![a-z0-9]){re.escape(n.lower())}(?![a-z0-9])", clause)
                       # "if we go SageMaker" names SageMaker endpoints by its maker's word.
                       for n in (o.name, *o.aliases, o.name.split()[0]) if len(n) >= 5)),
                  None)
    said = cites.sentence_from(cites.section(option.doc, "lock-in"), 2) if option else []
    if not said:
        return migration_section(ctx, cites)
    return Section(kind="migration", title=f"Leaving {option.name} later", items=said)


# The numbers of a load a what-if may change ("~3,000 TPS by Q3"): named back when it moves nothing.
_LOAD_KINDS = ("traffic_rps", "models", "gpus", "stored_vectors", "items_per_day", "tokens_per_day", "jobs_per_day",
               "items_backlog", "corpus_docs")


def what_if_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """"Would X change it?" asked cold: yes or no first, against the same question without X, then why."""
    prev, d = ctx.previous, ctx.decision
    if prev is None or prev.component is not d.component or prev.part is not d.part:
        return verdict_shape(ctx, cites)
    if ctx.plan.previous.turns:
        if ctx.state.asked_need and d.verdict != "build" and _ONLINE_NEED.search(ctx.reading.normalized) and \
                (enough := _online_ends_suffices(ctx, cites)):
            # "Do we need a feature store?" answered "not yet" for a batch-only team, then "what if the app must return
            # a price in under 2 seconds?": the request-time need is what the note says ends the "not yet".
            return (f"Yes: answering while someone waits is the change that makes it worth having. {enough}",
                    keep(options_section(ctx, cites, 3), build_section(ctx, cites)))
        if not ctx.plan.supposed and (fits := _why_not_option(ctx, cites)):
            # "What if we just self-host Arize Phoenix and buy nothing?" proposes a product of the row: whether it
            # fits the call is the answer, not "that would not change it".
            return f"{fits} {reason_sentence(ctx, cites)}", keep(build_section(ctx, cites))
        # A follow-up whose hypothetical moves no condition ("suppose we had 400 engineers"): say so briefly.
        # The fact they changed is named back, so the asker sees it was read ("No: with 2 platform engineers, ...").
        told = next((q.text.strip() for q in ctx.reading.quantities if q.kind in ("engineers", "headcount")
                     and not q.text.strip().startswith("team of")), "") or next(
            (q.text.strip() for q in ctx.reading.quantities if q.kind in _LOAD_KINDS), "")
        fewer = " Fewer people to build and run it only makes buying the safer side." if told and d.verdict in (
            "buy", "hybrid") and any(q.kind == "engineers" and p.kind == "engineers" and q.value < p.value
                                     for q in ctx.reading.quantities for p in ctx.plan.previous.quantities) else ""
        head = f"No: with {told}, that would not change it" if told else "No: that would not change it"
        lead = f"{head}; still {VERDICT_WORD[d.verdict]}.{fewer} {reason_sentence(ctx, cites)}"
        # What the note says about the situation they now tell ("a reply must come back within a few seconds") is
        # what the news changes, when the call stays; a line the last answer already gave is not said again.
        before = ctx.history[-1][1] if ctx.history else ""
        return lead, keep(situations_section(ctx, cites, f"{lead} {before}"))
    if not ctx.plan.supposed and d.verdict in ("buy", "hybrid"):
        # "What if we just push drift metrics into the Grafana we already run? What would we miss?" supposes a plan,
        # not a condition: doing it that way means building what the products already do, and the call stands.
        situation = situation_phrase(ctx)
        said = (f"You would be building and keeping up yourselves what the products already do, so "
                f"{situation + ' ' if situation else ''}it stays {VERDICT_WORD[d.verdict]}.")
        options = options_section(ctx, cites, 3)
        return f"{said} {reason_sentence(ctx, cites)}", keep(options, build_section(ctx, cites))
    hypo = hypothetical_words(ctx, ctx.plan.supposed)
    what = f"if {hypo}" if hypo else "with " + " and ".join(ctx.labels.get(c, c) for c in ctx.plan.supposed)
    # "Would serving our own models still make sense?" judges their plan under the hypothetical: the yes or no
    # is about the plan; asked plainly ("would that change it?"), it is about whether the call moves.
    judged = plan_judged(ctx).rstrip(".")
    if prev.verdict != d.verdict:
        said = f"{judged or 'Yes'}: {what}, it would move from {VERDICT_WORD[prev.verdict]} to {VERDICT_WORD[d.verdict]}."
    else:
        said = f"{judged or 'No'}: {what}, it would stay {VERDICT_WORD[d.verdict]}."
    options = options_section(ctx, cites, 3) if d.verdict in ("buy", "hybrid") else None
    return f"{said} {reason_sentence(ctx, cites)}", keep(options, build_section(ctx, cites))


# A need told as answering while someone waits: online lookups, a response time in seconds, "instant".
_ONLINE_NEED = re.compile(r"\breal[- ]?time\b|\bonline (?:inference|serving|scoring|predictions?|lookups?)\b|"
                          r"\bat request time\b|\brequest time\b|\bwhile (?:the|a|our) \w+ waits?\b|\binstant\w*\b|"
                          r"\b(?:in|within) (?:under |less than )?\d+(?:\.\d+)? ?(?:ms|milliseconds?|seconds?|s)\b|"
                          r"\blive (?:lookups?|scoring|predictions?|requests?)\b|\blook \w+ up\b", re.IGNORECASE)


def _online_ends_suffices(ctx: Context, cites: Citations) -> str:
    """The note's sentence, cited, on a situation that needs no product yet until answers are needed while someone
    waits ("... earns its place once a model must look features up at request time"); ''."""
    comp = ctx.decision.component
    passage = cites.section(comp.note, "situations that change the details") if comp and ctx.suffices else None
    if passage is None:
        return ""
    found = next((x for x in sentences(passage.doc.page_content) if usable(x) and ctx.suffices.search(x)
                  and _ONLINE_NEED.search(x)), "")
    return f"{found} [{cites.cite(passage, found)}]" if found else ""


_WHY_NOT = re.compile(r"\bwhy not\b|\bwhy (?:don't|do not|can't|cannot|shouldn't|should not|wouldn't) we\b|"
                      r"\bwhat about (?:just )?(?:using|going with|self-hosting)\b|\breasons? not to\b|"
                      # "what if we just self-host Arize Phoenix next to Elastic and buy nothing?" proposes a product
                      r"\bwhat if we (?:just |simply |only )?(?:use|self-host|self host|run|go with|adopt|stick with|"
                      r"stay on)\b", re.IGNORECASE)


# "It's free", "it's open source anyway", "no licence to pay": the case for a self-hosted tool made on its price.
_FREE = re.compile(r"\b(?:it'?s|it is|they'?re|they are|is|are)\s+(?:\w+\s+)?(?:free|open[- ]source)\b|\bno licen[cs]e\b|"
                   r"\bcosts? (?:us )?nothing\b|\bfree of charge\b", re.IGNORECASE)


def _why_not_option(ctx: Context, cites: Citations) -> str:
    """"Why not just self-host Label Studio?": whether the product they name fits the call, in its note's words."""
    d = ctx.decision
    if d.verdict == "build" or not _WHY_NOT.search(ctx.reading.normalized):
        return ""
    facts = ctx.vendor_facts or {}
    # The product must be what "why not" proposes ("why not just self-host Label Studio?"), not one named elsewhere
    # in the turn ("why not do it anyway, in case OpenAI raises prices?" proposes self-hosting).
    m = _WHY_NOT.search(ctx.reading.normalized)
    proposal = re.split(r"[,.;:?!]| so | in case | if | because ", ctx.reading.normalized[m.end():], maxsplit=1)[0]
    opt = next((o for o in d.component.buy if o.doc in ctx.reading.vendors and named_in(o, proposal)), None)
    if opt is None or outside_their_boundary(ctx, opt.doc):
        return ""
    f = facts.get(opt.doc)
    if _FREE.search(ctx.reading.normalized) and f is not None and f.self_hostable:
        # "Why not build it on Kubeflow then? It's free.": free to license is not free to run; who would run it is
        # the answer, with when a managed service fits a small team.
        cost = cites.sentence_from(cites.section("managed-or-self-hosted", "what self-hosting costs"), 1)
        small = "early-stage" in d.conditions or "budget" in d.conditions
        fits = cites.sentence_from(cites.section("managed-or-self-hosted",
                                                 "when a managed service fits" if small else "when self-hosting fits"), 1)
        if cost:
            return f"{opt.name} costs nothing to license, but not to run. {' '.join(cost + fits)}"
    said = suits(ctx, cites, opt, facts).strip()
    if not said:
        strength = strength_of(ctx, cites, opt.doc)
        said = " ".join(cites.sentence_from(strength)[:1])
    return f"No reason not to: {opt.name} fits this. {said}".strip()


def hosting_is_buying(ctx: Context, cites: Citations) -> str:
    """"Feast is open source, we still run Redis ... how is that not building?": running an open-source tool is still
    buying it, nobody writes it, and what it adds is the operating (the note on managed or self-hosted, cited); '' when
    the turn does not argue that."""
    if not ctx.reading.hosting_is_build:
        return ""
    said = cites.sentence_from(cites.section("managed-or-self-hosted", "the choice"), 3)
    return " ".join(said)


def why_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    # Asked cold ("why would a startup buy X?"), the verdict in a few words and the reason that decides it;
    # asked of the answer just given ("why is that?"), the verdict is known: the reason alone, then more.
    from .figures import their_sum

    if hosting := hosting_is_buying(ctx, cites):
        # "Feast is open source, we still have to run it: how is that not building?" asks what running it is.
        return f"{hosting} {reason_sentence(ctx, cites)}", keep(build_section(ctx, cites))
    summed = their_sum(ctx, cites)
    if summed:
        # "Why not just buy our own cluster? On paper the math looks better": their numbers answer why, first, then
        # what the sum leaves out (the row's own words on running it yourselves), not the general words on building.
        from .guidance import left_out_section

        return f"{summed} {reason_sentence(ctx, cites)}", keep(left_out_section(ctx, cites), build_section(ctx, cites))
    fits = _why_not_option(ctx, cites)
    if fits:
        return f"{fits} {reason_sentence(ctx, cites)}", keep(build_section(ctx, cites))
    told = alongside(ctx, cites, limit=1) if ctx.reading.proposes_stack else None
    if told and told.items:
        # "Why not just use Redis and the Airflow jobs we already run?": what the note says those tools cover and
        # what they leave out answers it, first; then why the call stands.
        return f"{told.items[0]} {reason_sentence(ctx, cites)}", keep(build_section(ctx, cites))
    prev, d = ctx.previous, ctx.decision
    words = words_of(ctx.reading.normalized)
    if d.verdict in ("buy", "hybrid") and _WHY_NOT.search(ctx.reading.normalized) and words & (BUILD_WORDS | {
            "small", "simple", "simpler", "script", "cron", "literally", "quick", "tiny"}) and \
            (not d.part or d.part.verdict == "buy"):
        # "Why not a small tracker on Postgres?" proposes building it small: why the bought side is worth buying
        # (the row's own summary), then what decides it for them.
        summary = d.component.summary + cites.support(d.component.summary, d.component.note)
        # "Two tables and a few scripts, two weeks, done": the estimate is what they ask us to weigh.
        # Else what building it costs for as long as it runs (the note's own risk of building), which a small first
        # version hides, rather than the verdict's general reason.
        risk = own_sentences(ctx, cites, "risks", "build", limit=1) if d.deciding is None else []
        reason = estimate_sentence(ctx, cites) or (risk[0] if risk else reason_sentence(ctx, cites))
        return (summary if reason == summary else f"{summary} {reason}"), keep(build_section(ctx, cites))
    known = prev is not None and prev.component is d.component and prev.part is d.part and prev.verdict == d.verdict
    here = told_situations(ctx) if known else []
    if here:
        # "Our PM says the thumbs-up button already is our eval. What do I tell him?" pushes back with a situation the
        # note speaks to: its line answers the pushback first, then why the call stands.
        line = f"{here[0].sentence} [{cites.cite(here[0].passage, here[0].sentence)}]"
        return f"{line} {reason_sentence(ctx, cites)}", keep(reasons_section(ctx, cites, line, n=2))
    lead = reason_sentence(ctx, cites) if known else lead_verdict(ctx, cites)
    return lead, keep(reasons_section(ctx, cites, lead, n=3), changes_section(ctx, cites))


def _asking_text(ctx: Context) -> str:
    """The words that asked the question: this turn's, or for a question asked again under new facts ("and at
    200M vectors?"), the earlier turn that named the products."""
    if ctx.plan.reasked:
        named = [o for o in ctx.decision.component.buy if o.doc in ctx.plan.vendors]
        for question, _ in reversed(ctx.history):
            if any(named_in(o, question) for o in named):
                return question.lower()
    return ctx.reading.normalized


# Between a product and a tool of theirs judged together ("Evidently OSS + our Grafana", "MLflow plus our Postgres").
_JOINED = re.compile(r"(?:\s+\w+)?\s*(?:\+|&|plus|and|with|on|in|inside|on top of|behind)\s+(?:our |the |a |an |their )?")


def _asked_about(ctx: Context, option) -> bool:
    """Whether `option` is what "is it enough?" asks about, not the alternative after it ("is cron enough, or do
    we need Airflow?" asks about cron)."""
    norm = _asking_text(ctx)
    if ctx.reading.incumbent and not ctx.reading.adopted:
        # "X wants KServe or Seldon. Is what we have enough?": the named products are the alternative.
        return False
    # "Do we need a dedicated one (Pinecone, Qdrant ...) or is pgvector enough?": "enough" judges what stands before
    # it, so the last such word is the cue; "do we need" only when nothing says "enough".
    cue = ([*re.finditer(r"\b(?:enough|suffic\w*|get by)\b", norm)] or [None])[-1] or \
        re.search(r"\b(?:do we need|is it worth)\b", norm)
    if cue is None and ctx.enough_asks is not None:
        will_do = ctx.enough_asks.search(norm)  # "does evidently OSS cut it or do we pay for arize?"
        cue = re.search(r"\S+$", norm[:will_do.end()]) if will_do else None  # its verb, after the product
    names = [n.lower() for n in (option.name, *option.aliases)]
    if cue:
        # Named in the sentence that asks, the option's place there decides ("researchers keep asking for W&B ...
        # is tensorboard on s3 enough or should we pay for W&B?" asks about TensorBoard).
        start = max(norm.rfind(c, 0, cue.start()) for c in ".!?\n") + 1
        stop = min((i for i in (norm.find(c, cue.end()) for c in ".!?\n") if i >= 0), default=len(norm))
        inside = [i for i in (norm.find(n, start, stop) for n in names) if i >= 0]
        if inside:
            if min(inside) >= cue.start():
                return False
            # "do we need a serving platform (KServe, Seldon ...) or is the batch table enough?": what follows "or
            # is" is what is judged; the products before it are the alternative.
            turn = [m.end() for m in _OR_IS.finditer(norm[start:cue.start()])]
            if turn and max(i for i in (norm.rfind(n, start, cue.start()) for n in names) if i >= 0) < start + turn[-1]:
                return False
            # Of several products before the cue, the one nearest it is the one judged.
            mine = max(i for i in (norm.rfind(n, start, cue.start()) for n in names) if i >= 0)
            others = [norm.rfind(n.lower(), start, cue.start()) for o in ctx.decision.component.buy
                      if o.doc != option.doc for n in (o.name, *o.aliases)]
            # A tool they run named nearer ("a separate vector DB (Qdrant / Pinecone) or is OpenSearch enough?") is
            # the one judged; the products before it are the alternative.
            tools = [norm.rfind(t.lower(), start, cue.start()) for t in ctx.reading.stack]
            # "Is Evidently OSS + our Grafana enough?" judges the two together: a tool joined to the product is part
            # of what is judged, not a rival named nearer the cue.
            end = mine + max(len(n) for n in names if norm.startswith(n, mine))
            tools = [i for i in tools if not (i > mine and _JOINED.fullmatch(norm[end:i]))]
            return all(i < mine for i in [*others, *tools])
        if any(norm.find(t.lower(), start, cue.start()) >= 0 for t in ctx.reading.stack):
            # "... our engineers would rather run Langfuse. Is Datadog enough for tracing, or do we need a dedicated
            # tool?": the sentence that asks judges the tool they run; the product told before it is the alternative.
            return False
    at = min((i for i in (norm.find(n) for n in names) if i >= 0), default=-1)
    return not (cue and at > cue.end())


# Answers wanted as things happen ("real-time", "what the user did in the last few minutes"): what a scheduled run
# cannot give, whatever it covers today.
_AT_ONCE = re.compile(r"\breal[- ]?time\b|\bat request time\b|\bonline (?:scoring|inference|serving|predictions?)\b|"
                      r"\b(?:last|past) (?:few )?(?:minutes?|seconds?)\b|\bwithin (?:seconds|a few seconds|minutes)\b")


def _suffices_lead(ctx: Context, plain: str) -> str:
    """How "what you have is enough" opens: plainly, or, when they also want answers as things happen, only for what
    can wait (the note's line then says when to add more)."""
    if _AT_ONCE.search(ctx.reading.normalized):
        return "Only for what can wait for the scheduled run; what must react as it happens needs more."
    return plain


# "... or is the batch table enough?": where the thing judged begins, after the alternative.
_OR_IS = re.compile(r"(?:\bor|\band|\bbut|,)\s+(?:is|are)\b")


def _product_offers(ctx: Context, cites: Citations, tool: str) -> str:
    """The cited sentence of the product's own note ("what it is", then "strengths") that says it does the thing in
    play, by the row's own words ("... Delta Lake tables and job orchestration"); '' when its note says no such thing."""
    facts = ctx.vendor_facts or {}
    doc = next((v for v in dict.fromkeys([*ctx.reading.vendors, *ctx.plan.vendors])
                if v in facts and facts[v].product.lower() == tool.lower()), None)
    comp = ctx.decision.component
    if doc is None or comp is None or any(o.doc == doc for o in comp.buy):
        return ""
    words = comp.mentions
    for heading in ("what it is", "strengths"):
        for passage in cites.sections(doc, heading):
            hit = next((x for x in sentences(passage.doc.page_content) if usable(x) and words.search(x)), None)
            if hit:
                return f"{hit} [{cites.cite(passage, hit)}]"
    return ""


def _judged_tool(ctx: Context) -> str:
    """The tool they run that "is X enough?" judges: the one named between "or is" and "enough" when the question
    turns that way ("we run Spark nightly ... or is the batch table enough?" judges the table, not Spark); else the
    first they name."""
    norm = ctx.reading.normalized
    named = [t for t in ctx.reading.stack if t.lower() in norm]
    cue = ([*re.finditer(r"\b(?:enough|suffic\w*|get by)\b", norm)] or [None])[-1]
    if cue and named:
        start = max(norm.rfind(c, 0, cue.start()) for c in ".!?\n") + 1
        turn = [m.end() for m in _OR_IS.finditer(norm[start:cue.start()])]
        if turn:
            return next((t for t in named if norm.find(t.lower(), start + turn[-1], cue.start()) >= 0), "")
        if not any(norm.find(t.lower(), start, cue.start()) >= 0 for t in named):
            # "We are not strong in Kubernetes. Is Azure APIM enough as our LLM gateway?": a tool of theirs named
            # elsewhere is not what is judged; the words between "is" and "enough" are, as they wrote them.
            judged = next(iter(ctx.reading.judged), "") or _enough_words(ctx.reading.question)
            if judged:
                return judged
            # "Is what we have enough?", "Is its vector search enough?" point back at the tool they named.
    return named[0] if named else ""


_JUDGED = re.compile(r"\b(?:is|are|would|will|can)\s+(?:our\s+|the\s+|an?\s+|just\s+)?(?P<x>[A-Za-z][\w.+/-]*"
                     r"(?:\s+[A-Za-z0-9][\w.+/-]*){0,3}?)\s+(?:really\s+|still\s+|alone\s+|by itself\s+)?(?:be\s+)?"
                     r"(?:enough|sufficient|good enough)\b", re.IGNORECASE)
_NOT_A_TOOL = re.compile(r"^(?:it|this|that|these|those|we|they|what we have|ours|one|there|something)$", re.IGNORECASE)


def _enough_words(question: str) -> str:
    """The thing an "is X enough?" sentence judges, in the asker's words ("Azure APIM"); '' when it is a pronoun."""
    m = [*_JUDGED.finditer(question)]
    x = m[-1].group("x") if m else ""
    # A name has a capital somewhere ("Azure APIM", "pgBouncer"); "its vector search" or "what we have" points back.
    return "" if not x or _NOT_A_TOOL.match(x) or not any(c.isupper() for c in x) else x


# How an answer opens when what they have is enough for now: the verdict then is for when they outgrow it, and the
# header says so (compose.for_now).
FOR_NOW_LEADS = ("Yes, for now.", "Not yet.", "Yes, while your use is small.", "Not yet, while your use is small.")


def not_yet_covered(ctx: Context, cites: Citations, vendor, situation: str = "") -> str:
    """"Our senior dev wants to self-host Milvus now for the billions of vectors we may have one day. Is he right?"
    when the note says the tool they already run does the job: not yet, and what they run is why; '' otherwise."""
    d = ctx.decision
    if d.verdict not in ("buy", "hybrid") or d.deciding or vendor.doc in ctx.state.running:
        return ""
    covered = stack_covers(ctx, cites)
    if covered is None or covered[0].lower() in vendor.name.lower():
        return ""
    return (f"Not yet{(', ' + situation) if situation else ''}: the {covered[0]} you already run covers it for now, "
            f"and nothing you have measured needs {vendor.name}. {covered[1]}")


def _need_asked(ctx: Context) -> bool:
    """Whether the question answered asks "do we need ...?" (now, or the question a fact-only follow-up asks again)."""
    if ctx.reading.asks_need and not _ENOUGH.search(ctx.reading.normalized):
        return True
    return bool(ctx.plan.reasked and ctx.state.asked_need)


# Their own code or scripts beside a bought piece ("SageMaker training jobs plus our own scripts").
_OWN_BESIDE = re.compile(r"\b(?:plus|\+|and|with|on top of|alongside)\s+(?:some\s+)?(?:our|my)\s+own\s+(?:\w+\s+)?"
                         r"(?:scripts?|code|training code|glue|jobs?|tooling|loops?|pipelines?|wrappers?)\b")


def _asking(ctx: Context) -> list[str]:
    """The sentences of the turn that ask (normalised)."""
    return [x for x in re.split(r"(?<=[.!?])\s+", ctx.reading.normalized) if x.rstrip().endswith("?")]


def enough_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    d = ctx.decision
    judged = plan_judged(ctx)
    if judged:
        # "We plan to buy X. Makes sense?" judges their plan, not whether something they run is enough.
        return f"{judged} {lead_verdict(ctx, cites)}", keep(options_section(ctx, cites, 3) if d.verdict != "build" else None)
    vendor = next((o for o in d.component.buy if o.doc in ctx.plan.vendors and _asked_about(ctx, o)), None)
    # A tool they run that is no product of this row ("Is GitHub Actions on a schedule enough?") is what is asked
    # about: the yes or no names it.
    tool = _judged_tool(ctx) if not vendor else ""
    offered = ""
    # With no condition of theirs in play, the sizes they gave ("150 queries per second") still say what "enough"
    # is judged against.
    sizes = [fact_phrase(ctx, k) for k in ("stored_vectors", "traffic_rps", "models", "items_per_day", "gpus")
             if k in ctx.state.facts]
    situation = situation_phrase(ctx) or (with_facts(sizes) if sizes else "")
    if sizes and situation.startswith("with ") and not any(x in situation for x in sizes) and \
            (size := with_facts(sizes[:1])).startswith("with "):
        # "with 3 backend devs" says who; "is pgvector enough?" is judged against the size they gave, said after it.
        situation = f"{situation} and {size[5:]}"
    hypo = hypothetical_words(ctx, ctx.plan.supposed) if ctx.plan.reasked else ""
    situation = f"if {hypo}" if hypo else situation
    flip = plausible(ctx)
    if d.verdict == "build" and d.deciding and d.deciding.condition == "simple" or \
            (d.part and d.part.verdict == "build" and d.verdict == "build"):
        # Name what is enough and who makes it: "that" could be read as the product they asked about.
        what = f"{tool} is" if tool else "the simple version you build yourselves is"
        yes = f"Yes{(', ' + situation) if situation else ''}: {what} enough for now."
    elif _need_asked(ctx) and d.verdict != "build" and (
            enough := situation_suffices(ctx, cites)):
        # "Someone keeps pushing Feast or Tecton: do we actually need one?" from a team that only scores in nightly
        # batches, when the note says that situation needs no such product yet: not yet, in the note's words.
        if ctx.reading.supposes and _ONLINE_NEED.search(ctx.reading.normalized):
            # "Do we? And what changes if product wants instant decisions from what the user just did?": the change
            # they suppose is the one that ends the "not yet", so it is answered beside it, not left to "what would
            # change this".
            then_do = VERDICT_WORD[d.verdict].lower()
            line = f"That is the change that makes it worth having; then {then_do} rather than write your own. " \
                f"{reason_sentence(ctx, cites)}"
            then = Section(kind="changes", title="If answers must come back while someone waits", items=[line])
            return f"Not yet. {enough}", keep(then, options_section(ctx, cites, 3))
        return f"{_suffices_lead(ctx, 'Not yet.')} {enough}", keep(changes_section(ctx, cites) if flip else None)
    elif ctx.reading.faults_plan and d.deciding and d.deciding.condition in ("simple", "early-stage") and \
            d.deciding.verdict != d.component.verdict and d.part is None:
        # "Do we need an ML platform like Databricks, or is that overkill?" from two people with three models, when
        # their size has a rule of its own that departs from the row: what that rule says is the lighter answer.
        advice = d.deciding.advice
        return (f"Probably overkill{(', ' + situation) if situation else ''}: {lower_first(ctx, advice)}"
                f"{cites.support(advice, d.deciding.note)}"), keep(changes_section(ctx, cites) if flip else None)
    elif vendor and d.deciding and d.verdict != "build" and (recommends_others(d, vendor) or _outgrown(d, vendor)):
        # The rule for their situation names the products that fit it ("at hundreds of millions of vectors, pick
        # Milvus, Qdrant, ..."), and the one they asked about is not among them.
        yes = f"No{(', ' + situation) if situation else ''}: {vendor.name} is not what fits here."
    elif vendor and not _ENOUGH.search(ctx.reading.normalized) and (
            not_yet := not_yet_covered(ctx, cites, vendor, situation)):
        # "Is pgvector enough or should we pay for Pinecone?" is answered yes or no about what they have (below).
        return not_yet, keep(changes_section(ctx, cites) if flip else None)
    elif vendor and d.verdict in ("buy", "hybrid", "depends"):
        yes = f"Yes{(', ' + situation) if situation else ''}: {vendor.name} is a sound choice."
    elif d.verdict == "build":
        yes = f"Yes{(', ' + situation) if situation else ''}: building {subject_of(ctx)} yourselves is justified."
    elif tool and d.verdict != "build" and (covered := stack_covers(ctx, cites)) and covered[0] == tool:
        # "Is Elasticsearch's vector search enough?" when the note says the tool they run may do the job itself:
        # yes, within the limits that sentence names, rather than a "no" the next section contradicts.
        yes = f"{tool} can be enough{(', ' + situation) if situation else ''}: {covered[1][:1].lower()}{covered[1][1:]}"
    elif tool and d.verdict != "build" and (offered := _product_offers(ctx, cites, tool)):
        # "Our CTO signed with Databricks: can we just use its jobs for all of it?": a product filed under another row
        # whose own note says it does this work (in the row's own words) can be enough, in its note's words.
        yes = f"{tool} can be enough{(', ' + situation) if situation else ''}: {lower_first(ctx, offered)}"
    elif not vendor and d.verdict != "build" and (enough := situation_suffices(ctx, cites)):
        # "Is a features table plus a dbt model enough?" from a team that only scores in nightly batches, when the
        # note says that situation needs no more: yes, in the note's words, which also say when it stops being so;
        # then only what would change it (no products to buy, no reason for buying one).
        return f"{_suffices_lead(ctx, 'Yes, for now.')} {enough}", keep(changes_section(ctx, cites) if flip else None)
    elif d.verdict == "depends" and not vendor and (here := told_situations(ctx)):
        # "A script copies features from BigQuery into Redis and sometimes dies: is this enough?" on a split call: the
        # note's line on the setup they describe answers it better than "it can be enough, it depends".
        line = f"{here[0].sentence} [{cites.cite(here[0].passage, here[0].sentence)}]"
        return f"{line} Beyond that, {verdict_clause(ctx)}.", keep(changes_section(ctx, cites) if flip else None)
    elif d.verdict == "hybrid" and any(_OWN_BESIDE.search(x) for x in _asking(ctx)):
        # "Are SageMaker training jobs plus our own scripts enough?" under a split call: a bought piece with their own
        # code beside it is that split, so yes, and the clause says which half is which.
        bought = next((p for p in d.component.parts if p.verdict == "buy" and not p.on_top_of), None)
        own = d.component.build_part
        split = f", {bought.label} bought and {own.label} yours" if bought and own and bought.label and own.label else ""
        yes = f"Yes{(', ' + situation) if situation else ''}: that is the split to keep{split}."
    else:
        clause = verdict_clause(ctx)
        # "No: go hybrid: buy ..." would stack two colons: the clause becomes its own sentence.
        # A split verdict is no "no": what they have can be enough, and the clause says what that turns on.
        head = (f"{tool} can be enough" if tool else "It can be") if d.verdict == "depends" else \
            (f"No, {tool} will not be enough" if tool else "No")
        yes = f"{head}{(', ' + situation) if situation else ''}" + (
            f". {clause[:1].upper()}{clause[1:]}." if ":" in clause else f": {clause}.")
    small = _small_use_rule(ctx) if not vendor else None
    if small is not None:
        # Whether the simple setup is enough turns on how much they use it, which they have not said: answer
        # with that threshold first, then what holds beyond it, rather than a flat yes or no.
        need = _need_asked(ctx)
        lead = (f"{'Not yet, while your use is small' if need else 'Yes, while your use is small'}. "
                f"{small.advice}{cites.support(small.advice, small.note)} Beyond that, {verdict_clause(ctx)}.")
        return lead, keep(options_section(ctx, cites, 3) if d.verdict != "build" else None)
    # "Do we need a feature store, and which kind?" answered with a product they do not run yet is a yes: only a
    # product they already run turns "it is a sound choice" into "no, you need nothing more".
    # "Can we just build it on Apigee, or do we need a dedicated one?" asks first whether what they have will do:
    # the need after the "or" is the alternative, and "no" answers the question they led with.
    norm = ctx.reading.normalized
    need = re.search(r"\b(?:do|does) (?:we|i|you) (?:really |even |actually )?need\b", norm)
    alternative = bool(need) and re.search(r"\bor\b", norm[max(norm.rfind(c, 0, need.start()) for c in ".?!\n") + 1:
                                                          need.start()]) is not None
    recommended = bool(vendor) and " is a sound choice" in yes and vendor.doc not in ctx.state.running and \
        not any(named_in(vendor, t) for t in ctx.state.stack) and not alternative
    if _need_asked(ctx) and " is not what fits" not in yes and not recommended:
        # "Do we need more?" is answered the other way round from "is it enough?"; "No: Tecton is not what fits here"
        # already answers "do we need Tecton?" the right way round.
        # "Will X satisfy the auditors, or do we need to build our own?": no need of their own, and X does.
        own = "No, you do not need your own" if vendor and ctx.reading.build_alternative else ""
        yes = (f"{own}, {yes[5:]}" if own and yes.startswith("Yes, ") else f"{own}: {yes[5:]}"
               if own and yes.startswith("Yes: ") else
               "No, " + yes[5:] if yes.startswith("Yes, ") else "No: " + yes[5:] if yes.startswith("Yes: ")
               else "Yes, " + yes[4:] if yes.startswith("No, ") else "Yes: " + yes[4:] if yes.startswith("No: ")
               else "Yes. " + yes[4:] if yes.startswith("No. ") else yes)
    # "Is X enough?" is about X, not about buying versus building: what X does well says why it is enough.
    strength = cites.sentence_from(strength_of(ctx, cites, vendor.doc)) \
        if vendor and d.verdict == "buy" and not d.deciding else []
    reason = strength[0] if strength else reason_sentence(ctx, cites)
    said_no = re.match(r"(No(?:, [^:]+)?): (\w+)", yes)
    if said_no and reason.split(" ", 1)[0].lower() == said_no.group(2).lower():
        # The reason opens with the same verdict ("No: buy the orchestration ... Buy the orchestration: ..."):
        # say it once.
        yes = f"{said_no.group(1)}."
    lead = f"{yes} {reason}"
    facts = (ctx.vendor_facts or {}).get(vendor.doc) if vendor else None
    if facts and facts.open_source and re.search(r"\b(?:paid|commercial|licen[cs]ed?|enterprise|premium|hosted "
                                                 r"version|managed version|cloud version|pay for)\b",
                                                 ctx.reading.normalized):
        # "Is open-source X enough or do we need a paid tool?": what the paid side of X is, from its note.
        pricing = cites.sentence_from(cites.section(vendor.doc, "pricing"), 2)
        lead = f"{lead} {' '.join(pricing)}" if pricing else lead
    stops = _stops(ctx, cites, vendor) if vendor and yes.startswith("Yes") else None
    # "Is what we have enough, and if not, what's missing?": what the note says of the setup they told of ("labels
    # arrive months later") is what their setup lacks, before the products that would add it.
    missing = situations_section(ctx, cites, lead) if not yes.startswith("Yes") else None
    return lead, keep(stops, missing, _against_other(ctx, cites, vendor), changes_section(ctx, cites) if flip else None,
                       options_section(ctx, cites, 3) if d.verdict != "build" and not vendor and not offered else None)


def _against_other(ctx: Context, cites: Citations, vendor) -> Section | None:
    """"Is managed MLflow enough, or is W&B worth paying for?": the product judged and the one offered instead, side
    by side from their notes; None when no second product of the row is named."""
    from ..vendors import side_by_side

    facts = ctx.vendor_facts or {}
    if vendor is None or vendor.doc not in facts:
        return None
    other = [o for o in ctx.decision.component.buy if o.doc in ctx.reading.vendors and o.doc != vendor.doc
             and o.doc in facts]
    if len(other) != 1:
        return None
    return Section(kind="comparison", title="Side by side", table=side_by_side([vendor, other[0]], facts, cites))


def _stops(ctx: Context, cites: Citations, vendor) -> Section | None:
    """Where the product they asked about stops being enough: a rule for growing or measured needs ("at hundreds of
    millions of vectors ...") that names other products of the row and not theirs."""
    d = ctx.decision
    row = d.part or d.component
    items = []
    for c in ctx.taxonomy.conditions if ctx.taxonomy else []:
        rule = row.rule_for(c.id) if c.measured and c.id not in d.conditions else None
        if rule and not named_in(vendor, rule.advice) and any(
                named_in(o, rule.advice) for o in d.component.buy if o is not vendor):
            items.append(f"*If {c.when}:* {rule.advice}" + cites.support(rule.advice, rule.note))
    return Section(kind="changes", title=f"Where {vendor.name} stops being enough", items=items[:2]) if items else None


def _money_weighed(reasons: Section | None, *also: str) -> Section | None:
    """The reasons without the lines on their money ("*$95k/yr:* ..."): a sum above already weighs it, and a quote
    set against an engineer's year beside it would say it twice."""
    items = [i for i in (reasons.items if reasons else []) if not i.startswith((*also, "*$", "*€", "*£"))]
    return Section(kind="reasons", title=reasons.title, items=items) if items else None


def _outgrown(d, option) -> bool:
    """Whether `option` is the row's small-needs answer (its `simple` rule names it: "FastAPI") and another
    condition decides ("2,500 requests per second")."""
    simple = [r for r in d.component.conditions if r.condition == "simple"]
    return d.deciding.condition != "simple" and any(named_in(option, r.advice) for r in simple)


def recommends_others(d, option) -> bool:
    """Whether the deciding rule's advice names other products of the row but not `option`."""
    advice = d.deciding.advice
    return not named_in(option, advice) and any(named_in(o, advice) for o in d.component.buy if o is not option)


# "is it enough", "is our setup sufficient", "adequate": the turn asks whether what they have will do, so a "do
# we need to buy X" beside it is the alternative, not the question turned round.
_ENOUGH = ENOUGH_WORDS
# A clause that denies ("no incidents", "latency is not a problem") is no situation to lead with: likeness ignores "no".
_DENIED = re.compile(r"\b(?:no|not|never|without|none|nothing)\b|n't\b", re.IGNORECASE)


def told_situations(ctx: Context) -> list:
    """Situations of the note matched by a clause of this turn that describes something ("a cron job we wrote copies
    the latest values into Redis"): not a bare figure ("about 10 requests a second") or a denial ("no incidents"),
    which likeness alone mistakes for a situation."""
    return [x for x in ctx.evidence.situations if x.said and x.said in ctx.reading.normalized
            and not _DENIED.search(x.said) and len(x.said.split()) >= 6
            and not any(q.kind.startswith(("traffic", "latency")) for q in extract(x.said))]


def _small_use_rule(ctx: Context):
    """The row's (or part's) rule that makes a simple setup enough, when the asker has said nothing either way
    about how much they use it; None otherwise."""
    d = ctx.decision
    if d.verdict == "build" or {"simple", "scale", "production-evidence"} & set(d.conditions) or \
            "simple" in ctx.plan.state.negated:
        return None
    rule = (d.part or d.component).rule_for("simple")
    return rule if rule is not None and rule.verdict == "build" else None


def build_part_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    comp, asked = ctx.decision.component, ctx.decision.part
    g = ctx.decision.deciding
    if g is not None and g.global_rule and g.verdict == "build":
        return _own_it(ctx, cites)
    build = comp.build_part_given(ctx.state.negated)
    if asked is None and g is not None and not g.global_rule and g.verdict == "hybrid" and g.condition != "simple":
        # A condition that makes the whole row a split ("if lock-in is the worry, assemble open-source components
        # and build only the glue"; "with measured gaps, keep the platform and build the component the evidence
        # points to") says which part is theirs for their situation, not the row's default build line.
        running = set(ctx.reading.running) | set(ctx.state.running)
        kept = [o.name for o in comp.buy if o.doc in running]
        # The bought side is the product they already run ("fraud models on KServe for 14 months").
        mine = f" For you, the bought side is the {listed(kept[:2])} you already run." if kept else ""
        return two_sentences(g.advice + cites.support(g.advice, g.note)) + mine, []
    if asked is not None and asked is not build and asked.verdict == "hybrid":
        # "If we fine-tune, which part do we build?": the part asked about splits itself; its own rule says which
        # side is theirs, and the row's build line (about the whole) would answer a different question.
        return two_sentences(asked.advice + cites.support(asked.advice, asked.note)), []
    if build:
        lead = build.advice + cites.support(build.advice, build.note)
    else:
        first = comp.build[:1].lower() + comp.build[1:] if comp.build[1:2].islower() else comp.build
        lead = f"Very little is yours to build for {comp.noun}: {first}" + cites.support(comp.build, comp.note)
    buy = bought_part = next((p for p in comp.parts if p.verdict == "buy"), None)
    side = _bought_side(ctx, buy) if buy else ""
    rule = _products_under_their_rule(ctx) if buy and side == buy.advice else None
    if rule is not None:
        # "HIPAA, traces may go to no SaaS: which parts do we write?": what they buy is what their rule allows.
        side, buy = rule.advice, rule
    bought = side + cites.support(buy.advice, buy.note) if buy else ""
    if bought and "buy" in ctx.reading.also and "which you already have" not in side:
        # "Which part do we build and which do we buy?": the bought side first (it is most of the system), then the
        # part that is theirs, on top of it; said as a buy when the rule's words do not open with one.
        if not re.match(r"(?:buy|rent|use|adopt|keep|call)\b", side, re.IGNORECASE) and \
                not any(named_in(o, side[:40]) for o in comp.buy):
            first = side if side[:2].isupper() else side[:1].lower() + side[1:]
            bought = f"Buy {bought_part.label}: {first}" + cites.support(buy.advice, buy.note)
        return f"{two_sentences(bought)} {two_sentences(lead)}", []
    connect = Section(kind="build", title="How it connects to what you " + (
        "have" if "which you already have" in side else "buy"), text=bought) if buy else None
    # "We decided on Evidently with our Prometheus and Grafana: which parts do we write?": what the product they chose
    # does out of the box, and what the tools they run already cover, so the part that is theirs stands out.
    # Only where the connecting line is the row's generic one: a product they have or go with is named in it already
    # ("Arize AI, which you already have, covers ...", "Langfuse, which you are going with, is the bought side").
    chosen = [o for o in comp.buy if o.doc in ctx.reading.vendors and o.doc not in ctx.state.rejected]
    gives = _capabilities(chosen[0].doc, cites) if len(chosen) == 1 and buy is not None and side == buy.advice else []
    given = Section(kind="build", title=f"What {chosen[0].name} gives you out of the box", items=gives) \
        if gives else None
    # The wiring between the two is theirs too: the note's first rollout step says what it is.
    wiring = own_sentences(ctx, cites, "rolling it out")[:1] if given else []
    wired = Section(kind="build", title="What you wire up", items=wiring) if wiring else None
    return two_sentences(lead), keep(given, wired, alongside(ctx, cites) if given else None,
                                     connect if not given else None)


# A vendor note's sentence that says what the product does ("produces reports and test suites on data drift"), not
# who makes it, its licence or whom it suits.
_DOES = re.compile(r"\b(?:produces|monitors|records|handles|supports|provides|offers|tracks|detects|stores|defines|"
                   r"schedules|logs|versions|serves|runs|manages|compares|routes|evaluates|traces)\b")
_NOT_DOES = re.compile(r"\b(?:licen[cs]e|developed by|company|started|founded|project of|fits teams|good fit|suits)\b",
                       re.IGNORECASE)


def _capabilities(doc: str, cites: Citations, limit: int = 2) -> list[str]:
    """What a product does out of the box, from its note's opening and strengths, cited."""
    out = []
    for heading in ("what it is", "strengths"):
        passage = cites.section(doc, heading)
        for x in (sentences(passage.doc.page_content) if passage else []):
            if len(out) < limit and usable(x) and _DOES.search(x) and not _NOT_DOES.search(x):
                out.append(f"{x} [{cites.cite(passage, x)}]")
    return out


def _products_under_their_rule(ctx: Context):
    """The row's rule for their strongest condition when it names which of the row's products fit (a rule on where
    data lives names the self-hostable ones); None otherwise."""
    d = ctx.decision
    conds = sorted(d.conditions, key=ctx.taxonomy.rank) if ctx.taxonomy else list(d.conditions)
    for cond in conds:
        rule = d.component.rule_for(cond, ctx.state.facts)
        if rule is not None:
            return rule if any(named_in(o, rule.advice) for o in d.component.buy) else None
    return None


# Words of a part's label that say nothing of which part it is ("the training code", "the routing policy").
_PLAIN_LABEL_WORDS = {"the", "a", "an", "of", "and", "around", "itself", "your", "our", "code", "logic", "quality",
                      "policy", "checks", "tooling", "sets", "job", "thin", "self", "hosted"}


def _edge_part(ctx: Context):
    """The row's one build part when the asker's words name it as what sets them apart ("our selling point is
    per-ticket routing"), and the row has a bought part beside it; None otherwise."""
    comp = ctx.decision.component
    builds = [p for p in comp.parts if p.verdict == "build"]
    if len(builds) != 1 or not any(p.verdict == "buy" for p in comp.parts):
        return None
    row = set(re.findall(r"[a-z]+", f"{comp.name} {comp.noun} {comp.slug}".lower()))
    keys = set(re.findall(r"[a-z]+", builds[0].label.lower())) - row - _PLAIN_LABEL_WORDS
    said = " ".join([*(q for q, _ in ctx.history), ctx.question]).lower()
    return builds[0] if any(re.search(rf"\b{k}", said) for k in keys) else None


def _own_it(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """"Which parts should we own?" when the infrastructure is what they sell: all of it, on bought commodity; when
    what sets them apart is the row's build part, that part, on the bought rest."""
    d = ctx.decision
    edge = _edge_part(ctx)
    if edge is not None:
        # "Our moat is per-ticket routing ... what do we build, and what do we take from LiteLLM?": the edge is the
        # routing, so that is theirs; the gateway plumbing under it is the same commodity it is for everyone.
        bought = [p for p in d.component.parts if p.verdict == "buy"]
        named = [o.name for o in d.component.buy if o.doc in ctx.plan.vendors or o.doc in ctx.state.vendors]
        def body(advice: str) -> str:  # "Build the routing policy yourselves: which requests ..." -> "which requests ..."
            head, _, tail = advice.partition(": ")
            return tail if tail and len(head.split()) <= 8 else lower_first(ctx, advice)

        lead = (f"Build {edge.label} yourselves: it is what sets you apart, and {body(edge.advice)}"
                + cites.support(edge.advice, edge.note))
        take = f"Take {bought[0].label} from {' or '.join(named[:2])}" if named else f"Buy {bought[0].label}"
        rest = [f"{take}, the same commodity for you as for everyone else: {body(p.advice)}"
                + cites.support(p.advice, p.note) for p in bought[:1]]
        return lead, keep(Section(kind="build", title="What you still buy", items=rest))
    lead = (f"Own {d.component.noun} itself: it is what you sell, and {lower_first(ctx, d.deciding.advice)}"
            + cites.support(d.deciding.advice, d.deciding.note))
    said = cites.sentence_from(cites.section("hybrid-approaches", "commodity versus custom"))
    return two_sentences(lead), keep(Section(kind="build", title="What you still buy", items=said) if said else None)


def _bought_side(ctx: Context, buy) -> str:
    """The bought part's advice, said of the product they already run when they run one ("Evidently AI, which you
    already have, covers the monitoring tool: ..."), never "buy the monitoring tool" to a team that bought it."""
    running = set(ctx.reading.running) | set(ctx.state.running)
    names = [o.name for o in ctx.decision.component.buy if o.doc in running]
    chosen = [o.name for o in ctx.decision.component.buy if o.doc in ctx.reading.vendors and o.doc not in running] \
        if ctx.chosen is not None and ctx.chosen.search(ctx.reading.normalized) else []
    if chosen and not names:
        # "Let's say we go with promptfoo: what would we still write?": the product they take, not the row's list.
        return f"{' and '.join(chosen[:2])}, which you are going with, {'are' if len(chosen) > 1 else 'is'} the " \
               f"bought side; what you build plugs into {'them' if len(chosen) > 1 else 'it'}."
    m = re.match(r"Buy (the [^:]+): (.+)$", buy.advice)
    rented = re.match(r"Buy \(rent\) (the [^:]+): (.+)$", buy.advice)
    if rented and "owns-hardware" in ctx.state.facts:
        # "Say we buy the 8 H100s and keep renting for the big runs": the machines they own are compute they have; the
        # bought side is what they rent beyond them, not renting everything.
        return (f"The machines you own are {rented.group(1)} for the runs they can carry; for the rest, rent: "
                f"{rented.group(2)}")
    if not names or not m:
        return buy.advice
    covers = "cover" if len(names) > 1 else "covers"
    return f"{' and '.join(names[:2])}, which you already have, {covers} {m.group(1)}: {m.group(2)}"
