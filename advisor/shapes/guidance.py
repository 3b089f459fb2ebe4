"""Answer shapes for acts answered from guidance: switching, risks, cost, evaluating, rolling out, general questions."""

from __future__ import annotations

import re

from ..applied import applied_questions, applied_section, article, way_of_buying, who_runs
from ..compose import Citations, Context, sentences, usable, yours
from ..models import Section
from ..quantities import count_of
from ..render import VERDICT_WORD
from ..retrieval import tokenize
from .claims import claim_tests
from .figures import (
    bill_against_hardware,
    bill_against_own,
    build_effort,
    gpu_use_against_owning,
    move_weighed,
    multiplied,
    options_a_year,
    people_both_ways,
    projection,
    quote_against_running,
    quotes_against_people,
    rent_against_own,
    rise_weighed,
    run_against_quote,
    weighs_hardware,
)
from .option_sums import option_sums
from .options import options_section
from .phrasing import (
    BUILD_WORDS,
    BUY_WORDS,
    cap,
    depends_on,
    lead_verdict,
    listed,
    lower_first,
    move_answer,
    named_in,
    reason_sentence,
    risk_ask,
    situation_phrase,
    subject_of,
    verdict_clause,
    words_of,
)
from .sections import build_section, guidance_section, keep, migration_section, own_sentences

MEASURE_WORDS = {"measure", "measures", "metric", "metrics", "kpi", "kpis", "worked", "success", "succeeded"}


# The words before a product that is where a move goes ("if we go MLflow", "switching to Qdrant").
_TOWARD = re.compile(r"\b(?:go|going|move|moving|switch|switching|migrate|migrating)\s+(?:to\s+|with\s+|onto\s+)?$")


_BOTH_WAYS = re.compile(r"\b(?:build|buy)\w* (?:vs\.?|versus|or|and|and what to) (?:buy|build)\w*\b")

def _open_against_paid(ctx: Context) -> bool:
    """Whether the options named weigh a paid product against a free open-source one they would run themselves
    ("Slurm, Kubernetes + Kueue, or paying for Run:ai (quote ~CAD 90k/year)")."""
    facts = ctx.vendor_facts or {}
    named = [facts[o.doc] for o in ctx.decision.component.buy if o.doc in ctx.reading.vendors and o.doc in facts]
    return any(f.open_source for f in named) and any(not f.open_source for f in named)


def switch_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """How costly moving is, and the way over; led by their own sum when they priced the move ("our bill is $50k a
    month; 2 more engineers would cut it by 30%: does leaving save money?")."""
    lead, sections = _switch(ctx, cites)
    return _priced_first(ctx, cites, lead, sections)


def _priced_first(ctx: Context, cites: Citations, lead: str, sections: list[Section]) -> tuple[str, list[Section]]:
    """The answer led by the sum of their own build effort against a price they gave, when they gave both."""
    figures = projection(ctx, cites, build_side=True) if ctx.decision.component is not None and (
        ctx.reading.quantities and any(q.kind == "money_per_month" for q in ctx.reading.quantities)) else None
    if figures is None:
        return lead, sections
    said, placeholders = figures
    return f"{said} {lead}", keep(placeholders, *sections)


def _switch(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    comp = ctx.decision.component
    # Worded for now or later alike: "could we move later?" and "what would it take to move now?" both ask it.
    how = {"low": "Switching is cheap", "medium": "Switching is moderate work",
           "high": "Switching is possible but expensive"}
    if ctx.reading.yes_no:
        # A yes/no question gets its yes first, then why ("Could we move off Pinecone later?"), said once.
        how = {"low": "Yes, and it is cheap", "medium": "Yes, with moderate work", "high": "Yes, but it is expensive"}
    said = how[comp.migration_cost]
    # Only their size says how big the move is ("with 30 models reading from it"); regulation or team size does not.
    situation = situation_phrase(ctx, only=[c for c in ctx.decision.conditions if c in ("scale", "simple")])
    if situation and not ctx.reading.yes_no:
        # Their own facts say how big the move is ("with 30 models reading from it").
        said = f"{cap(situation)}, {said[:1].lower()}{said[1:]}"
    migration = comp.migration
    if migration.split(" ", 1)[0].lower() in ("switching", "moving", "leaving", "migrating"):
        # The row's own sentence already says how costly the move is ("Switching trackers is cheap; ..."):
        # "Switching is cheap: switching trackers is cheap" would say it twice.
        said = said.split(",")[0] if ctx.reading.yes_no else (cap(situation) if situation else "")
    lead = (f"{said}: {migration[:1].lower()}{migration[1:]}" if said else migration) \
        + cites.support(comp.migration, comp.note, "migration")
    base = lead  # how big the move is, without the yes or no put before it
    judged = _move_asked(ctx, cites)
    if judged:
        # "Should we move serving to a managed platform?" asks for a decision: yes or no on the move, and why, before
        # what the move takes.
        lead = f"{judged} {lead}"
    elif ctx.evidence.situations and not ctx.reading.how_to_move:
        # "If a better open model comes out after we fine-tune, what do we redo?": the note's line on the situation
        # they told of is the answer; how costly moving is in general follows it.
        sit = ctx.evidence.situations[0]
        lead = f"{sit.sentence} [{cites.cite(sit.passage, sit.sentence)}] {lead}"
    # A product the asker named: what its own note says about lock-in is the detail that follows.
    # The products named now, else the one of this row they named earlier ("Our registry is MLflow." then "if we
    # moved to Vertex AI, what is hardest to bring across?" is about leaving MLflow).
    named = [o for o in comp.buy if o.doc in ctx.reading.vendors] or \
        [o for o in comp.buy if o.doc in ctx.state.vendors and o.doc in ctx.state.running][:1] or \
        [o for o in comp.buy if o.doc in ctx.state.vendors][-1:]
    # Moving from one named product to another: what the note of the one they leave (the one they run) says about
    # leaving it, not the lock-in of where they go.
    heading = {o.doc for o in named[:2] if any(_TOWARD.search(ctx.reading.normalized[max(0, m.start() - 20):m.start()])
                                              for n in (o.name, *o.aliases)
                                              for m in re.finditer(rf"\b{re.escape(n.lower())}\b", ctx.reading.normalized))}
    leaving = [o for o in named[:2] if o.doc in ctx.state.running or heading and o.doc not in heading] \
        if len(named) >= 2 else []
    specific = cites.sentence_from(cites.section(leaving[0].doc, "lock-in"), 2) if len(leaving) == 1 else \
        [x for o in named[:2] for x in cites.sentence_from(cites.section(o.doc, "lock-in"))]
    words = words_of(ctx.reading.normalized)
    # "What would we need to build vs buy on the other side?" names both ways, not a move toward building.
    toward_build = bool(words & BUILD_WORDS) and not ctx.reading.leaving_build and not _BOTH_WAYS.search(
        ctx.reading.normalized)
    if not toward_build and ctx.reading.how_to_move and ctx.decision.verdict != "build":
        # "How do we migrate off our FastAPI service without downtime?", "how do we switch from Pinecone to pgvector
        # without risking search?" ask for the way over to what they buy: the component's own rollout (one piece
        # first, side by side with the old path, then the rest), before how big the move is.
        steps = own_sentences(ctx, cites, "rolling it out")
        if steps:
            size = f"{lead} {specific[0]}" if specific else lead
            if ctx.reading.size_first:
                # "How painful is the migration really, what breaks, and is there a smarter way than big-bang?" asks
                # how big the move is first; the way over follows.
                return size, keep(Section(kind="guidance", title="How to move over", items=steps))
            # "Should we switch, and how do we get off it?": whether the move is worth it on their numbers, then how.
            # A yes or no said in the lead is not said again under how big the move is.
            judged = _move_judged(ctx, cites, named) or rise_weighed(ctx)
            size = (f"{base} {specific[0]}" if specific else base) if judged else size
            return (f"{judged} {' '.join(steps[:2])}" if judged else " ".join(steps[:2])), keep(
                Section(kind="guidance", title="How to move over", items=steps[2:]),
                Section(kind="migration", title="How big the move is", text=size))
    if len(named) >= 2:
        # From one product to another ("W&B to self-hosted MLflow"): what each note says about leaving and
        # arriving, not the general advice on moving from bought to built; what each offers ("what do we lose?")
        # side by side.
        from ..vendors import side_by_side

        facts = ctx.vendor_facts or {}
        both = [o for o in named[:2] if o.doc in facts]
        table = Section(kind="comparison", title="Side by side", table=side_by_side(both, facts, cites)) \
            if len(both) == 2 and ctx.reading.compares else None
        return f"{lead} {' '.join(specific[:2])}" if specific else lead, keep(table)
    if specific:
        lead = f"{lead} {' '.join(specific[:1])}"
    # The advice on moving from bought to built is for a move toward building; leaving one product for another
    # ("if we pick Databricks now, how hard is it to leave?") gets the row's and the product's own words only.
    if toward_build or ctx.decision.verdict == "build":
        return lead, keep(guidance_section(ctx, cites, "switch", "Switching later") if toward_build else None)
    # What keeps a later move cheap is what to do now: the row's own guard for the bought side.
    guard = [x for x in own_sentences(ctx, cites, "risks", "buy") if "guard" in x.lower()][:1]
    return lead, keep(Section(kind="guidance", title="Keeping a later move cheap", items=guard) if guard else None)


def _move_asked(ctx: Context, cites: Citations) -> str:
    """Yes or no on a move they ask whether to make, between building and buying ("should we move our serving to a
    managed platform?" when it is what they sell: "No: ..."), with the reason; '' when no such decision is asked, the
    move is between two products, or the call is split."""
    word = move_answer(ctx)
    return f"{word}: {verdict_clause(ctx)}. {reason_sentence(ctx, cites)}" if word else move_weighed(ctx)


def _move_judged(ctx: Context, cites: Citations, named: list) -> str:
    """"Is moving to pgvector a sane idea or a trap?": yes or no on the product they would move to, with what it does
    well, before how to move; '' when no such judgement is asked or no one product is the destination."""
    from .decision import recommends_others
    from .options import outside_their_boundary, strength_of

    d = ctx.decision
    if not ctx.reading.proposal or d.verdict not in ("buy", "hybrid"):
        return ""
    # The destination is the product after "moving to"; else the one named they do not run yet.
    dest = ctx.reading.destination
    target = [o for o in named if dest and named_in(o, dest)] or \
        [o for o in named if o.doc not in ctx.state.running and o.doc not in ctx.state.rejected]
    if len(target) != 1:
        return ""
    target = target[0]
    if outside_their_boundary(ctx, target.doc) or (d.deciding and recommends_others(d, target)):
        return f"Moving to {target.name} is a risk here: {lower_first(ctx, reason_sentence(ctx, cites))}"
    strength = cites.sentence_from(strength_of(ctx, cites, target.doc))
    return f"Moving to {target.name} is a sound plan. {strength[0]}" if strength else ""


_BUYS_MACHINES = re.compile(r"\b(?:buy|buying|purchas\w*|bought|own|owning)\b(?:\s+[\w$€£~,.-]+){0,4}?\s+"
                            r"(?:dgx\w*|gpus?|a100s?|h100s?|h200s?|l40s?|gpu servers?|servers?|nodes|boxes|machines|"
                            r"hardware|racks?)\b")


def risk_key(ctx: Context) -> str:
    # Only the words that ask about risks: "what would we still have to build?" after them names no side.
    words = words_of(risk_ask(ctx.reading.normalized))
    # Naming a product to buy asks about the risks of buying it ("how risky is LangSmith for our tracing?").
    comp = ctx.decision.component
    named = bool(comp and any(o.doc in ctx.reading.vendors for o in comp.buy))
    build = words & {"build", "building", "write", "writing", "own", "homegrown", "in-house"}
    # "We plan to self-host Qwen with vLLM on our own servers. What are the main risks of this plan?": the plan they
    # tell is running it themselves, whatever open-source engine it names.
    build = build or (ctx.reading.self_hosting and not words & BUY_WORDS)
    # "Risks of buying two DGX nodes for a colo vs keep renting?": buying machines is owning them, the build side.
    build = build or bool(_BUYS_MACHINES.search(ctx.reading.normalized) and not named)
    facts = ctx.vendor_facts or {}
    if comp and not (words & BUY_WORDS or named or build) and ctx.decision.verdict == "buy" and any(
            o.doc in ctx.state.running and o.doc in facts and facts[o.doc].open_source and facts[o.doc].self_hostable
            for o in comp.buy):
        # "What are the main risks of what you now recommend?" when the pick is the open-source engine they already
        # run on their own machines: the risks are those of running it themselves.
        return "risks-build"
    if comp and not (words & BUY_WORDS or named or build):
        # "What are the risks of that?" asks about the route recommended: buying, building, or each side of a split.
        return {"buy": "risks-buy", "build": "risks-build"}.get(ctx.decision.verdict, "risks-both")
    return "risks-buy" if (words & BUY_WORDS or named) and not build else "risks-build"


def _risks_both(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """"What are the risks either way?": which way the call goes and why, then each side's risks."""
    comp = ctx.decision.component
    reason = reason_sentence(ctx, cites)
    situation = situation_phrase(ctx)
    lead = f"Both ways carry risk; {situation + ', ' if situation else ''}the lower-risk call for {subject_of(ctx)} " \
           f"is {VERDICT_WORD[ctx.decision.verdict]}. {reason}"
    if ctx.decision.verdict == "depends":
        lead = f"Both ways carry risk; {situation + ', ' if situation else ''}which is lower for {subject_of(ctx)} " \
               f"depends on {depends_on(ctx)}. {reason}"
    build = guidance_section(ctx, cites, "risks-build", "Risks of building and running it yourselves")
    own_build = own_sentences(ctx, cites, "risks", "build", limit=2)
    if own_build:
        build = Section(kind="guidance", title="Risks of building and running it yourselves",
                        items=[*own_build, *(build.items[:1] if build else [])])
    # Buying's main risk for this component is how hard it is to reverse: its own sentence leads that side, in
    # place of the general words on lock-in.
    how = {"low": "small", "medium": "real but manageable", "high": "serious"}[comp.migration_cost]
    lock = (f"The lock-in risk of buying {subject_of(ctx)} is {how}: {comp.migration[:1].lower()}{comp.migration[1:]}"
            + cites.support(comp.migration, comp.note, "migration"))
    buy = guidance_section(ctx, cites, "risks-buy", "Risks of buying", limit=2, skip=(("key-factors", "lock-in"),))
    own_buy = own_sentences(ctx, cites, "risks", "buy", limit=2, unlike=lock)
    items = [lock, *own_buy, *(buy.items[:1] if buy and own_buy else buy.items if buy else [])]
    return lead, keep(build, Section(kind="guidance", title="Risks of buying", items=items))


# A reason that opens with the call itself ("Buy ...", "Rent ...") needs no verdict said before it.
_OPENERS = ("buy", "build", "rent", "write")
_OPENERS_SUM = (*_OPENERS, "self-host", "go")


def _call(ctx: Context, cites: Citations, openers: tuple[str, ...]) -> str:
    """The call and why, in one or two sentences, after a sum or a cost line."""
    reason = reason_sentence(ctx, cites)
    if ctx.decision.verdict == "depends" and openers == _OPENERS_SUM:
        # After their own sum, "it depends on why you would run it yourselves" asks what the numbers just answered:
        # the rule that says which reasons count follows the sum directly.
        return reason
    return reason if reason.split(" ", 1)[0].lower() in openers else f"{cap(verdict_clause(ctx))}. {reason}"


def left_out(ctx: Context, cites: Citations) -> list[str]:
    """What a sum of their running costs leaves out: the row's own line on self-hosting it, else on building it when
    building is what they weigh, else the hours self-hosting any tool takes."""
    own = _forgotten(ctx, cites)
    hosted = [x for x in own if "self-host" in x.lower()]
    words = words_of(ctx.reading.normalized)
    if hosted or own and (words & BUILD_WORDS or weighs_hardware(ctx)):
        return (hosted or own)[:1]  # machines of their own are what "building" means for compute
    from ..hosting import NOTE

    return cites.sentence_from(cites.section(NOTE, "what self"), 2)[1:2]


def left_out_section(ctx: Context, cites: Citations, fallback: list[str] = ()) -> Section | None:
    """"What the sum leaves out" under a sum of their numbers: the row's own line (see left_out), else `fallback`."""
    missing = left_out(ctx, cites) or list(fallback)
    return Section(kind="guidance", title="What the sum leaves out", items=missing) if missing else None


def _forgotten(ctx: Context, cites: Citations) -> list[str]:
    """The row's own sentence on the main risk of building or running it yourselves (the cost comparisons leave out)."""
    return [x for x in own_sentences(ctx, cites, "risks") if x.startswith("The main risk of")
            and not re.match(r"The main risk of (?:buying|a bought|bought|using a hosted)", x)]


def guidance_for_component(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """Risks, cost, evaluation, rollout or general guidance, applied to the component in play; a rollout question
    that asks for a baseline ("what should we capture this week before we roll it out?") gets what to record first."""
    lead, sections = _guidance_for_component(ctx, cites)
    if ctx.plan.act == "evaluate":
        # "Two engineers for six months, or Arize at $42k a year: how should I compare those?": the comparison their
        # own numbers make comes first, then what a trial and the vendor questions add to it.
        lead, sections = _priced_first(ctx, cites, lead, sections)
    if ctx.decision.component is None and ctx.state.other_component and (
            ctx.plan.act == "implement" and {"measures", "baseline"} & set(ctx.reading.also)
            or ctx.plan.act == "evaluate" and "measures" in ctx.reading.also):
        # "How do we measure whether the synthetic data helps, and what numbers would make us drop it?" of
        # infrastructure with no row: no row says what shows it worked, so what to measure and when to stop lead.
        base = cites.sentence_from(cites.section("implementing-the-decision", "baselines"), 3)
        if base:
            stop = [x for x in base if "stops it" in x]
            first = stop[0] if stop else base[0]
            return first, [Section(kind="guidance", title="What to record before the change",
                                   items=[x for x in base if x != first])]
    if ctx.plan.act == "implement" and "baseline" in ctx.reading.also:
        # The third sentence says to agree beforehand which result keeps it and which stops it ("which numbers mean
        # go or stop?").
        now = cites.sentence_from(cites.section("implementing-the-decision", "baselines"), 3)
        sections = [*sections, *keep(Section(kind="guidance", title="What to record before the change", items=now)
                                     if now else None)]
    return lead, sections


# A cost question that asks how to count, not which side is cheaper: "how should I compute the TCO", "what line items
# do people forget", "over what time horizon should I compare?".
_HOW_TO_COUNT = re.compile(
    r"\bhow (?:should|do|would|can|could|to|shall) (?:i |we |you |one )?(?:properly |best |actually |even )?(?:compute|"
    r"calculate|estimate|count|model|work out|put (?:a )?(?:number|price|figure)s? on|structure|lay out|set up|build)\b"
    r"[^.?!]{0,40}\b(?:tco|costs?|price|number|total|comparison)\b|\b(?:line items?|cost items?|hidden costs?|line by line|item "
    r"by item)\b|\bbreak(?: it)? down (?:what|the|how much)\b[^.?!]{0,60}\bcosts?\b|"
    r"\bwhat (?:do|did|will) (?:people|teams|companies|others|folks|most teams) (?:usually |typically |often |tend to )?"
    r"(?:forget|miss|leave out|overlook|underestimate)\b|\bover (?:what|which|how many|how long (?:a|of a))"
    r" (?:time )?(?:horizon|period|years|timeframe)\b|\b(?:what|which) (?:time )?horizon\b")


_ITEMS_ASKED = re.compile(r"\b(?:line items?|cost items?|cost lines|budget lines|line by line|item by item|lines? (?:of|in) (?:the|a|my|our) budget|"
                          r"what (?:goes|belongs|should go) (?:in|into) (?:the|a|my|our) (?:budget|spreadsheet|cost model))\b")
_AFTER_FUNDING = re.compile(r"\b(?:grant|funding|donor|budget|money|subsidy|credits?)\b[^.?!]{0,40}\b(?:ends?|ended|runs? "
                            r"out|stops?|expires?|not renew\w*|isn't renewed|is not renewed|gone)\b|\bafter the "
                            r"(?:grant|funding|credits)\b|\bdoes(?:n't| not) renew\b")


def _line_items(ctx: Context, cites: Citations, specific: list[str]) -> tuple[str, list[Section]] | None:
    """"List the cost line items for year 1 and year 4": the lines of each side, from the line-items note."""
    buy = cites.section("cost-line-items", "buying")
    build = cites.section("cost-line-items", "building")
    if buy is None or build is None:
        return None
    said = " ".join([*(q for q, _ in ctx.history), ctx.question])
    later = cites.sentence_from(cites.section("cost-line-items", "money runs out"), 2) \
        if _AFTER_FUNDING.search(said.lower()) else []
    horizon = cites.support("total cost of ownership looks past initial costs", "key-factors", "total cost").rstrip()
    lead = ("Put both sides on the same horizon of several years and count the same lines each year: the first year "
            "carries the one-off setup or build on top of the yearly lines, and the later years keep only the yearly "
            f"ones{horizon}. ") + (later[0] if later else _build_estimate(cites))
    bought = Section(kind="guidance", title="If you buy: the lines to count",
                     items=[*cites.sentence_from(buy, 5), *specific[:2]])
    built = Section(kind="guidance", title="If you build or run it yourselves: the lines to count",
                    items=[x for x in cites.sentence_from(build, 5) if x not in lead])
    rest = Section(kind="guidance", title="After the money runs out", items=later[1:]) if later[1:] else None
    return lead.strip(), keep(bought, built, rest)


def _build_estimate(cites: Citations, fallback: bool = False) -> str:
    """The four-questions note's sentence on what a realistic build estimate counts, cited ('' when absent, or the
    section's first sentence with `fallback`)."""
    build = cites.sentence_from(cites.section("four-questions", "question 2"), 3)
    return next((x for x in build if x.startswith("A realistic build estimate")),
                build[0] if fallback and build else "")


def _how_to_count(ctx: Context, cites: Citations, specific: list[str]) -> tuple[str, list[Section]]:
    """How to count the cost of both sides, from the general notes, with what their component's products charge."""
    if _ITEMS_ASKED.search(ctx.reading.normalized) and (items := _line_items(ctx, cites, specific)):
        return items
    horizon = cites.support("total cost of ownership looks past initial costs", "key-factors", "total cost")
    estimate = _build_estimate(cites, fallback=True)
    lead = ("Put both sides on the same horizon of several years, not the first year, because the "
            f"running cost is what a first-year sum hides{horizon.rstrip()}. {estimate}").strip()
    sides = [x for x in cites.sentence_from(cites.section("key-factors", "total cost"), 3) if "For " in x]
    lasting = [x for x in cites.sentence_from(cites.section("overview", "underestimated"), 2) if "never stops" in x or
               "rises" in x][:1]
    forgot = Section(kind="guidance", title="What cost comparisons often leave out",
                     items=[*lasting, *sides, *specific[:2]][:5])
    return lead, keep(forgot if forgot.items else None, migration_section(ctx, cites))


def _asked_about(ctx: Context, option) -> bool:
    """Whether a product is named in a sentence that asks (not only in the story around it)."""
    asks = [s for s in re.split(r"(?<=[.?!])\s+", ctx.reading.normalized) if s.rstrip().endswith("?")]
    return not asks or any(named_in(option, s) for s in asks)


def _guidance_for_component(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    act = ctx.plan.act
    key = risk_key(ctx) if act == "risks" else act
    if act == "risks" and (ctx.reading.both_sides or key == "risks-both") and ctx.decision.component:
        return _risks_both(ctx, cites)
    titles = {"risks-build": "Risks of building", "risks-buy": "Risks of buying", "cost": "What building really costs",
              "evaluate": "How to evaluate vendors", "implement": "Rolling it out", "general": "Guidance"}
    if key == "risks-build" and ctx.decision.verdict == "buy":
        titles["risks-build"] = "Risks of running it yourselves"  # the bought open-source tool, on their machines
    section = guidance_section(ctx, cites, key, titles.get(key, "Guidance"))
    comp = ctx.decision.component
    first = section.items[0] if section and section.items else ""
    if not comp:
        rest = Section(kind="guidance", title=section.title, items=section.items[1:]) if section and \
            len(section.items) > 1 else None
        # "Building is free, the engineers are on payroll": their quotes against their own engineer's year.
        numbers = quotes_against_people(ctx) if key == "cost" and first else ""
        return (f"{first} {numbers}".strip() if first else "I have no guidance on that in the knowledge base."), \
            keep(rest)
    named = [o for o in comp.buy if o.doc in ctx.reading.vendors and o.doc not in ctx.state.rejected]
    if not named and key == "implement":
        # "We're going with Kueue." then "how do we roll it out?": the one product of this row the conversation
        # settled on is what is rolled out (of several, the one they run).
        told = [o for o in comp.buy if o.doc in ctx.state.vendors and o.doc not in ctx.state.rejected]
        # Only one they run or said they take: one they "tried on 500 past questions" is no settled choice.
        said = [q.lower() for q, _ in ctx.history] + [ctx.reading.normalized]
        settled = [o for o in told if o.doc in ctx.state.running or ctx.chosen is not None and any(
            ctx.chosen.search(q) and named_in(o, q) for q in said)]
        named = settled if len(settled) == 1 else [o for o in settled if o.doc in ctx.state.running][:1]
    vendor_section = {"risks-buy": "lock-in", "switch": "lock-in", "cost": "pricing"}.get(key)
    # A product named only in the story ("we had shortlisted WhyLabs, then they shut down ... how do we protect
    # ourselves?") is not the one whose risks are asked about: the row's own risks answer.
    if key == "risks-buy":
        named = [o for o in named if _asked_about(ctx, o)]
    specific = [x for o in named[:2] for x in cites.sentence_from(cites.section(o.doc, vendor_section))] \
        if vendor_section else []
    words = words_of(ctx.reading.normalized)
    d = ctx.decision
    hardware = weighs_hardware(ctx)
    weighs_build = bool(words & (BUILD_WORDS | {"ourself", "hardware"})) or ctx.reading.self_hosting or (
        d.part is not None and d.part.verdict != "buy") or hardware
    if key == "cost" and ctx.state.turns and not ctx.reading.quantities and _HOW_TO_COUNT.search(ctx.reading.normalized):
        # "The board wants a 3-year comparison of those options: what line items belong in it?" after the numbers were
        # told: the method is what this turn asks. Machines to buy have line items of their own (the row's line on
        # owning them), and the sum of their earlier figures shows the assumption that decides it.
        lead, sections = _how_to_count(ctx, cites, specific)
        if hardware:
            # The build estimate of software says nothing of machines: the horizon, then how busy the machines would
            # be on their own numbers, which is the assumption that flips a hardware sum.
            owning = left_out_section(ctx, cites)
            told = gpu_use_against_owning(ctx, cites) or rent_against_own(ctx, cites)
            horizon = lead.split(". ", 1)[0] + "."
            lead = f"{horizon} {told} How busy the machines would be is the assumption that decides it." if told \
                else horizon
            owned = Section(kind="guidance", title="Line items of owning the machines", items=owning.items) \
                if owning else None
            return lead, keep(owned, *sections)
        return lead, sections
    summed = option_sums(ctx) if key == "cost" else None
    if summed:
        # "(a) stay on-demand; (b) a savings plan; (c) move to Lambda: what does each cost per year?": each option
        # summed from their own prices and usage leads, the call follows, then how each sum was counted.
        return f"{summed[0]} {_call(ctx, cites, _OPENERS_SUM)}", keep(
            summed[1], left_out_section(ctx, cites, section.items[:1] if section else []))
    bills = (options_a_year(ctx, cites) or rent_against_own(ctx, cites) or bill_against_own(ctx, cites) or run_against_quote(ctx, cites)
             or people_both_ways(ctx, cites) or (quote_against_running(ctx, cites) if ctx.state.running or _open_against_paid(ctx) else "")
             or gpu_use_against_owning(ctx, cites)) if key == "cost" else ""
    # Prices per unit they gave ("$9.40 an image", "25 seats at $50") multiplied out say more than a sum whose build
    # side is all placeholders.
    units = multiplied(ctx, cites) if key == "cost" and not bills else ""
    # The cost model prices software a team writes; when the other side is hardware they would buy ("buy 4 nodes of
    # 8xH100 and colocate") or a tool they already run themselves, its placeholder team would answer another question.
    facts = ctx.vendor_facts or {}
    runs_own = any(facts[v].open_source for v in ctx.state.running if v in facts)
    software = not (hardware or ctx.reading.self_hosting or runs_own)
    figures = projection(ctx, cites, horizon_enough=True) if key == "cost" and not bills and software and (
        not units or build_effort(ctx)) else None
    if bills or units and figures is None:
        # "API at $3,200 a month growing 10% a month, or GPUs at $14k a month: do the math over 24 months", "25 seats at
        # $50": the sum, then the call and why, and what the sum leaves out.
        # What the sum leaves out: the row's own words on the lasting cost of running it yourselves, else the first
        # general line; three general lines on building under a sum of their own numbers read as filler.
        return f"{bills or units} {_call(ctx, cites, _OPENERS_SUM)}", keep(
            left_out_section(ctx, cites, section.items[:1] if section else []), migration_section(ctx, cites))
    if figures is not None:
        # "What would it cost over three years if we built it, with 2 engineers?": their numbers, run through the cost
        # model, answer first; then the call and why, what the named products charge, and what the sum leaves out.
        said, placeholders = figures
        call = _call(ctx, cites, _OPENERS)
        charges = Section(kind="guidance", title="What " + " and ".join(o.name for o in named[:2]) + " charge"
                          if len(named) > 1 else f"What {named[0].name} charges", items=specific[:2]) \
            if specific and named else None
        return f"{said} {call}", keep(placeholders, charges, section, migration_section(ctx, cites))
    if key == "cost" and _HOW_TO_COUNT.search(ctx.reading.normalized):
        # "How should I compute the TCO properly, what line items do people forget, over what horizon?": the method
        # is the answer, applied to their component; nobody asked for the call.
        return _how_to_count(ctx, cites, specific)
    if specific and key == "cost" and weighs_build:
        # A cost question that weighs building ("buy our own GPUs or keep renting from AWS?", "run Llama ourself:
        # really cheaper?"): the call and its reason lead; the cost of the built side that comparisons leave out
        # (the row's own words) and what the named products charge are the first things to weigh.
        forgotten = _forgotten(ctx, cites)[:1]
        section = Section(kind="guidance", title=section.title if section else "What building really costs",
                          items=[*forgotten, *specific[:2], *(section.items if section else [])][:4])
        # Their bill over the horizon when the machines are not priced yet: after the call, what it sets against.
        unpriced = bill_against_hardware(ctx, cites)
        return f"{_call(ctx, cites, _OPENERS)} {unpriced}".strip(), keep(section, migration_section(ctx, cites))
    if specific:
        # The asker named the products: what their notes say about lock-in or pricing comes first.
        lead = " ".join(specific[:2])
        rest_items = ([first] if first else []) + (section.items[1:] if section else [])
        return lead, keep(Section(kind="guidance", title=section.title if section else "Guidance",
                                   items=rest_items[:3]) if rest_items else None,
                           migration_section(ctx, cites) if key != "switch" else None)
    if key == "risks-buy":
        # How much buying risks depends on the component: its cost of reversing comes first.
        how = {"low": "small", "medium": "real but manageable", "high": "serious"}[comp.migration_cost]
        lead = (f"For {subject_of(ctx)} the lock-in risk of buying is {how}: {comp.migration[:1].lower()}"
                f"{comp.migration[1:]}" + cites.support(comp.migration, comp.note, "migration"))
        own = own_sentences(ctx, cites, "risks", "buy", limit=3, unlike=lead)
        if own:
            # What this component's note says about buying it comes before the general words on vendors.
            section = Section(kind="guidance", title="Risks of buying",
                              items=[*own, *(section.items[:1] if section else [])])
        return lead, keep(section)
    if not first:
        return lead_verdict(ctx, cites), keep(options_section(ctx, cites, 3) if key == "evaluate" and comp.buy else None)
    # A build verdict for one part of a row that is bought as a whole (the routing policy of a bought gateway) rolls
    # out with the row: "how do we move the 15 teams over?" after "which part is ours?" is the gateway's rollout.
    bought_row = ctx.decision.part is not None and comp.verdict != "build"
    if key == "implement" and (ctx.decision.verdict != "build" or bought_row) and \
            (steps := own_sentences(ctx, cites, "rolling it out")):
        # The component's own rollout: where to start, how to run it beside the old path, and the measures that
        # show it worked; then the part that stays theirs to build.
        measures = bool(set(tokenize(ctx.question)) & MEASURE_WORDS) or "measures" in ctx.reading.also
        if measures:
            # "How will we know it worked?", "which numbers should we track?" ask for the measures first; a note's
            # rollout ends with them.
            steps = [steps[-1], *steps[:-1]]
        # The lead says what is rolled out (the product they named, or the call for their situation), then the first
        # step or the measures asked for. A component's rollout is written for the bought route: a build verdict
        # takes the general guidance below instead.
        prev = ctx.previous
        running = set(ctx.reading.running) | set(ctx.state.running)
        if named and named[0].doc in running and measures and \
                "rollout" not in ctx.reading.also:
            # "We bought Evidently four months ago; leadership asks how we know it works: which KPIs?": it is rolled
            # out already, so the measures answer, without the steps of a rollout that is behind them.
            return f"For {named[0].name}, which you already run: {lower_first(ctx, steps[0])}", \
                keep(build_section(ctx, cites))
        if named:
            lead = f"Roll {named[0].name} out small and measure it: {lower_first(ctx, steps[0])}"
        elif prev and prev.component is ctx.decision.component and prev.verdict == ctx.decision.verdict and measures:
            # "Which numbers should we track to decide whether to keep it?" after the call: the measures, then the
            # steps they close.
            lead = steps[0]
        elif prev and prev.component is ctx.decision.component and prev.verdict == ctx.decision.verdict:
            # Asked after the call was given ("ok we'll buy. how do we roll it out?"): the steps, not the call again.
            lead = " ".join(steps[:2])
            steps = steps[1:]
        elif ctx.decision.verdict in ("buy", "hybrid"):
            lead = f"{cap(verdict_clause(ctx))}, and roll it out in small steps. {steps[0]}"
        else:
            lead = f"Whichever way you go, roll it out in small steps. {steps[0]}"
        rest = Section(kind="guidance", title="Rolling it out", items=steps[1:]) if len(steps) > 1 else None
        # A move between two products they named (SageMaker endpoints to KServe) builds nothing new of theirs.
        between = sum(o.doc in ctx.state.vendors for o in comp.buy) >= 2
        return lead, keep(rest, None if between else build_section(ctx, cites))
    if key == "implement":
        # How to roll it out and how to tell it worked (the KPIs), for the product they named when they named one;
        # then what is being rolled out, and the part that stays theirs to build.
        passage = cites.section("implementing-the-decision", "kpis")
        kpis = [x for x in sentences(passage.doc.page_content) if usable(x) and "include" in x] if passage else []
        if not kpis:
            return f"{first} For {subject_of(ctx)}, {verdict_clause(ctx)}.", keep(section)
        kpi = f"{kpis[0]} [{cites.cite(passage, kpis[0])}]"
        name = named[0].name if named else subject_of(ctx)
        rest = Section(kind="guidance", title=section.title, items=[x for x in section.items if x != kpi])
        return (f"Roll {name} out small and measure it: {lower_first(ctx, kpi)} For {subject_of(ctx)}, "
                f"{verdict_clause(ctx)}."), keep(rest if rest.items else None, build_section(ctx, cites))
    # The general risk or cost comes first; what it means for this component (its own rule, part or summary,
    # cited) right after, so the answer is about their component, not ML infrastructure at large. How to
    # evaluate vendors asks no verdict: the heading carries it, the lead does not repeat it.
    subject = subject_of(ctx)
    if key in ("risks-build", "cost"):
        # Then what it means for their component: the verdict and the reason that decides it, cited.
        reason = reason_sentence(ctx, cites)
        words = set(re.findall(r"[a-z]+", reason.lower()))
        if reason.split(" ", 1)[0].lower() in ("buy", "build", "rent", "write") and (
                ctx.decision.verdict != "hybrid" or {"buy", "build"} <= words):
            lead = f"{first} {reason}"  # the reason already opens with the verdict
        else:
            lead = f"{first} {cap(verdict_clause(ctx))}. {reason}"
        own = own_sentences(ctx, cites, "risks", "build", limit=3) if key == "risks-build" else []
        if ctx.decision.verdict == "build":
            # "Which risks go in the board deck?" after a call to build: "the guard against building is to measure
            # first" argues against the call they were just given, so it is no risk of theirs.
            own = [x for x in own if "guard against building" not in x.lower()]
        if own:
            # What building this component risks, from its own note, leads; the general words on building follow.
            lead = f"{own[0]} {lead[len(first):].strip()}"
            general = [x for x in (section.items if section else []) if x != first]
            section = Section(kind="guidance", title=section.title, items=[first, *own[1:3], *general][:3])
        if key == "risks-build" and build_effort(ctx) and (figures := projection(ctx, cites, build_side=True)):
            # "His estimate is 2 engineers for 4 months": what that estimate comes to over the years it must be kept
            # running is the first risk to put a number on.
            section = Section(kind="guidance", title=section.title if section else "Risks of building",
                              items=[*(section.items if section else []), f"*Your estimate:* {figures[0]}"])
    elif key == "evaluate" and len(named) < 2 and claim_tests(ctx, cites) is not None:
        # "Their sales engineer says p99 under 60 ms at 300 QPS ... how do we check?": none of it counts until measured
        # on their own data; each claim becomes a test below.
        facts = ctx.state.facts
        rules = f", starting with what {facts['regime']} asks of where your data goes" if facts.get("regime") else \
            ", starting with where it keeps your data" if "regulated" in ctx.decision.conditions else ""
        who = named[0].name if named else "their product"
        lead = (f"Believe each claim only once you have measured it: run a proof of concept of {who} on your own data "
                f"and traffic{rules}, before you sign."
                + cites.support("proof of concept tests real requirements", "evaluating-vendors", "proof-of-concept"))
    elif key == "evaluate" and (len(named) >= 2 or named and ctx.reading.shortlist):
        lead = _trial(ctx, cites, named)
    elif key == "evaluate":
        lead = f"When you compare {re.sub(r'^(?:an?|the) ', '', subject)} vendors, {lower_first(ctx, first)}"
    else:
        lead = first
    rest = Section(kind="guidance", title=section.title, items=section.items[1:]) if section and \
        len(section.items) > 1 else None
    extra = migration_section(ctx, cites) if key in ("cost", "evaluate") else None
    if key == "evaluate":
        # What a trial of this component has to show: the note's own sign that it works, the guard to check before
        # buying, and how long to run it; the products are theirs already when they named a shortlist.
        shows = [*own_sentences(ctx, cites, "rolling it out", last=True),
                 *[x for x in own_sentences(ctx, cites, "risks", "buy") if "guard" in x][:1],
                 *cites.sentence_from(cites.section("evaluating-vendors", "how long a trial runs"))]
        trial = Section(kind="guidance", title="What the trial should show", items=shows) if shows else None
        return lead, keep(_where_data_lives(ctx, cites, named), claim_tests(ctx, cites), trial, rest, extra,
                          options_section(ctx, cites, 3) if comp.buy and len(named) < 2 else None)
    return lead, keep(rest, extra)


_MARK_END = re.compile(r" \[\d+\]$")  # one sentence's citation marker, where the next sentence carries the same


def _where_data_lives(ctx: Context, cites: Citations, named: list) -> Section | None:
    """Under a data rule, where each product on their shortlist keeps their data, from its note's hosting section,
    cited: the first thing their trial has to settle ("client documents must stay in the EU")."""
    if "regulated" not in ctx.decision.conditions or len(named) < 2:
        return None
    items = []
    for o in named[:4]:
        line = cites.sentence_from(cites.section(o.doc, "hosting"), 2)
        if line:
            # Both sentences: "mainly a managed cloud service" says little until "self-hosting on enterprise plans".
            first = [_MARK_END.sub("", x) for x in line[:-1]]
            items.append(" ".join([f"*{o.name}:*", *first, line[-1]]))
    return Section(kind="facts", title="Where each keeps your data, the first thing to settle under your rules",
                   items=items) if len(items) >= 2 else None


_PAYS_BACK = re.compile(r"\bpays? (?:for )?itself (?:back )?(?:with)?in (?P<n>\d+|one|two|three|six|nine|twelve|eighteen) "
                        r"(?P<unit>months?|years?)\b", re.IGNORECASE)


_PITCHED = re.compile(r"\b(?:pitch\w*|propos\w*|offer\w*|quot\w*|sells?|selling|recommends?|demo\w*)\b", re.IGNORECASE)


def _pitch_window(question: str, option) -> str:
    """The few words before the first mention of a product ("a partner pitches Run:ai"), '' when not named."""
    at = [m.start() for n in (option.name, *option.aliases)
          for m in [re.search(rf"(?<!\w){re.escape(n)}(?!\w)", question, re.IGNORECASE)] if m]
    return " ".join(question[:min(at)].split()[-4:]) if at else ""


def _payback(ctx: Context) -> str:
    """"It pays for itself within 6 months" beside a yearly quote: what it must save in that time, on their numbers."""
    claim = next((m for c in ctx.reading.pitched if (m := _PAYS_BACK.search(c))), None)
    quoted = next((q for q in ctx.reading.quantities if q.kind == "money_per_month"), None)
    if claim is None or quoted is None:
        return ""
    n = int(count_of(claim["n"]))
    months = n * 12 if claim["unit"].lower().startswith("year") else n
    need = quoted.value * months
    sign = next(iter(re.findall(r"[$€£¥]|\b[A-Z]{3}\b", quoted.text)), "")
    amount = f"{sign} {need:,.0f}".strip() if sign.isalpha() else f"{sign}{need:,.0f}"
    return (f" To pay for itself in {months} months at {quoted.text.strip()}, it has to save about {amount} in that "
            f"time, in GPU-hours you would otherwise buy or work you would otherwise wait for.")


def _needs_cluster(ctx: Context, cites: Citations, new, run) -> str:
    """A product that runs only on Kubernetes weighed against one they run without it: the trial needs a cluster."""
    facts = (ctx.vendor_facts or {})
    f, g = facts.get(new.doc), facts.get(run.doc)
    if f is None or not f.needs_kubernetes or ctx.state.kubernetes or (g is not None and g.needs_kubernetes):
        return ""
    return (f" {new.name} runs on Kubernetes{cites.support(f'{new.name} runs on Kubernetes clusters', new.doc, 'hosting')}, "
            f"so a trial beside {run.name} also means standing up and running a Kubernetes cluster.")


def _trial(ctx: Context, cites: Citations, named: list) -> str:
    """"Put Portkey, Kong and LiteLLM through the same proof of concept ...": how to compare the products they named,
    and, under residency rules, which of them can take part at all."""
    facts = ctx.state.facts
    # What they must prove first is what their rules ask ("under HIPAA").
    rules = f", starting with what {facts['regime']} asks of each" if facts.get("regime") else \
        ", starting with where each keeps your data" if "regulated" in ctx.decision.conditions else ""
    # One product we know of on a longer shortlist ("Scale AI, Segments.ai and a managed-workforce BPO"): the others
    # go through the same trial.
    names = listed([o.name for o in named[:4]]) if len(named) > 1 else f"{named[0].name} and the rest of your shortlist"
    said = (f"Put {names} through the same proof of concept, on your own data and "
            f"requirements{rules}, before you choose: a trial shows whether each meets them in practice.")
    pitched = [o for o in named[:4] if _PITCHED.search(_pitch_window(ctx.question, o))]
    run = [o for o in named[:4] if o not in pitched and (
        o.doc in ctx.state.running or any(named_in(o, t) for t in ctx.state.stack))]
    new = [o for o in named[:4] if o not in run]
    if len(run) == 1 and len(new) == 1:
        # "We run Slurm; a partner pitches Run:ai": the product they run is the baseline the pitch must beat.
        claims = "; ".join(f"“{c.strip()}”" for c in ctx.reading.pitched[:4])
        said = (f"Test {new[0].name} against the {run[0].name} you already run, on your own jobs and "
                f"requirements{rules}, before you sign: a trial shows whether it beats what you have in practice.")
        after = f" Measure each of their claims in it on your own numbers: {claims}." if claims else ""
        after += _payback(ctx) + _needs_cluster(ctx, cites, new[0], run[0])
    else:
        after = ""
    lead = said + cites.support("proof of concept tests real requirements", "evaluating-vendors", "proof-of-concept") \
        + after
    from .options import outside_their_boundary

    outside = [o for o in named[:4] if outside_their_boundary(ctx, o.doc)]
    inside = [o for o in named[:4] if o not in outside]
    if outside and inside:
        # Under residency rules a hosted-only product cannot pass the trial: say so before anyone runs it.
        notes = "".join(cites.support("hosted service hosting", o.doc, "hosting") for o in outside)
        # One product left is no contest: the trial is of it alone.
        trial = (f"so the trial is between {listed([o.name for o in inside])}" if len(inside) > 1 else
                 f"so only {inside[0].name} can go into the trial")
        lead += (f" Under your residency rules {listed([o.name for o in outside])} cannot run inside your own network, "
                 f"{trial}.{notes}")
    return lead


def guidance_shape(ctx: Context, cites: Citations, note: str) -> tuple[str, list[Section]]:
    """A general question: the guidance note's most relevant sentences, the first as the lead."""
    chunks = ctx.evidence.of(note)
    if note == "four-questions":
        return _four_questions(ctx, cites)
    focus = set(tokenize(ctx.question))
    picked = []
    for p in chunks:
        for i, s in enumerate(sentences(p.doc.page_content)):
            if usable(s):
                picked.append((len(set(tokenize(s)) & focus) + (0.5 if i == 0 else 0), s, p))
    best = sorted(picked, key=lambda t: -t[0])[:4]
    order = {id(t): k for k, t in enumerate(picked)}
    best.sort(key=lambda t: order[id(t)])
    if not best:
        return "I have no guidance on that in the knowledge base.", []
    lines = [f"{s} [{cites.cite(p, s)}]" for _, s, p in best]
    title = chunks[0].doc.metadata.get("title", note)
    return lines[0], keep(Section(kind="guidance", title=title, items=lines[1:]) if len(lines) > 1 else None)


def _four_questions(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """Lead with the four questions themselves; one cited line on each."""
    items, asks = [], []
    for p in ctx.evidence.of("four-questions"):
        sec = p.doc.metadata.get("section", "")
        if not sec.lower().startswith("question"):
            continue
        ask = sec.split(":", 1)[-1].strip().rstrip("?")
        if ask[:1].lower() + ask[1:] in asks:
            continue  # a long section is stored as several chunks: one line per question
        asks.append(ask[:1].lower() + ask[1:])
        # The general point, not one component's example ("experiment tracking is easy to migrate").
        names = [c.name.lower() for c in ctx.matrix.components] if ctx.matrix else []
        names += ["model registr", "training job", "feature stores", "data pipelines"]
        body = [s for s in sentences(p.doc.page_content)[1:] if usable(s)
                and not any(n in s.lower() for n in names)][:1] or \
            [s for s in sentences(p.doc.page_content) if usable(s)][:1]
        if body:
            items.append(f"**{ask}?** {body[0]} [{cites.cite(p, body[0])}]")
    if not asks:
        return "I have no guidance on that in the knowledge base.", []
    lead = "Decide each component with four questions: " + "; ".join(asks) + "?"
    return lead, keep(Section(kind="guidance", title="The four questions", items=items))


def other_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    d = ctx.decision
    name = d.other_component
    if d.deciding:
        word = {"buy": "Buy", "build": "Build"}.get(d.verdict, VERDICT_WORD[d.verdict])
        advice = d.deciding.advice
        lead = f"{word}: {advice[:1].lower()}{advice[1:]}" + cites.support(advice, d.deciding.note)
        return lead, keep(guidance_section(ctx, cites, "risks-build", "Why building for its own sake is risky")
                           if d.verdict == "buy" else None)
    used: set[str] = set()
    if "production-evidence" in d.conditions:
        lines, lean = applied_questions(ctx, cites, name, used)
        # No internal words ("matrix", "row"): the asker hears that no settled verdict exists, then the lean.
        lead = (f"It depends: there is no settled verdict for {article(name)}, but applied to what you told us the "
                f"four questions lean towards {lean}.")
        return lead, [applied_section(lines)]
    # The call first (which way of buying fits who would run it), then the four questions with their facts.
    lead = who_runs(ctx, cites, name, used)
    before, plan = ctx.plan.previous, ctx.plan
    if before.other_component == name and before.turns and (plan.added or plan.removed):
        # "Correction: it's per day, and there's HIPAA. Does that change your answer?": yes or no first, by whether
        # the way of buying it changed.
        was = way_of_buying(set(before.conditions), before.facts, ctx.reading.managed_cue, before.kubernetes)
        now = way_of_buying(set(d.conditions), ctx.state.facts, ctx.reading.managed_cue, ctx.state.kubernetes)
        lead = ("Yes, that changes how to buy it. " if was != now else "That does not change it. ") + lead
    lines, _ = applied_questions(ctx, cites, name, used)
    split = _stays_yours(ctx, cites)
    # "Build or buy, and which piece stays ours whatever we choose?": that piece beside the call.
    stays = Section(kind="build", title="What stays yours to write", items=list(split)) if split else None
    # "What are the risks of it, and should we buy a tool or build it?": the risks of the way the lead leans, from the
    # general notes; none of them speaks of this infrastructure itself, and the title says so.
    risks = guidance_section(ctx, cites, "risks-buy", f"Risks of buying {article(name)} (what the notes say of any "
                             "bought infrastructure; none covers this one)", limit=2,
                             skip=(("evaluating-vendors", "security"),)) if "risks" in ctx.reading.also else None
    return lead, keep(stays, risks, applied_section(lines))


def reused_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """"Can't we just use W&B for the product A/B tests too?": what the product they run is built for, from its note,
    set against the infrastructure in play, then the four questions on that infrastructure."""
    doc, name = ctx.plan.reuses, ctx.decision.other_component
    facts = (ctx.vendor_facts or {}).get(doc)
    product, row = (facts.product, facts.filed_under) if facts else (doc, "")
    what = cites.sentence_from(cites.section(doc, "what it is"))
    built = f" {what[0]}" if what else ""
    # "Portkey has guardrail hooks: is that enough?": when its own note says it does that work ("The Portkey gateway
    # handles ... guardrail checks"), that is the answer's start, not "it is built for something else".
    head = re.escape(name.split()[0].lower().rstrip("s"))
    does = [f"{x} [{cites.cite(p, x)}]" for p in [cites.section(doc, h) for h in ("strengths", "what it is")] if p
            for x in sentences(p.doc.page_content) if usable(x) and re.search(rf"\b{head}", x.lower())][:1]
    if does:
        lead = (f"Partly: {product} does some of that work itself. {does[0]} Check those checks against each thing you "
                f"need {article(name)} to do before counting on them; whatever they leave out needs {article(name)} "
                f"of its own.")
    else:
        lead = (f"Only if it already does what {article(name)} has to do: {product} is built for {row or 'other work'}, "
                f"not as {article(name)}.{built} Check it against that need before counting on it; otherwise weigh "
                f"{article(name)} on its own.")
    lines, _ = applied_questions(ctx, cites, name, set())
    return lead, keep(applied_section(lines))


def _stays_yours(ctx: Context, cites: Citations) -> tuple[str, str] | None:
    """What stays the asker's to write whatever they adopt for infrastructure without a row, and what not to write:
    the hybrid note's split applied to any component, each cited; None when the note does not say it."""
    passage = cites.section("hybrid-approaches", "what stays yours")
    said = [s for s in sentences(passage.doc.page_content) if usable(s)] if passage else []
    yours_ = re.search(r"adopts, (.+?) stay the team's work", said[0]) if len(said) >= 2 else None
    machinery = re.search(r"inside such a tool, such as (.+?), is what", said[1]) if len(said) >= 2 else None
    if not yours_ or not machinery:
        return None
    own = yours_.group(1).replace("its own", "your own").replace("its ", "your ")
    never = (f"Do not write the generic machinery ({machinery.group(1)}): products and open-source projects already "
             f"maintain it. [{cites.cite(passage, said[1])}]")
    return f"{own} [{cites.cite(passage, said[0])}]", never


def other_build_shape(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """"Which pieces do we write regardless?" of infrastructure without a row: what stays theirs, then what not to
    write, from the hybrid note's split applied to any component."""
    split = _stays_yours(ctx, cites)
    if split is None:
        return other_shape(ctx, cites)
    own, never = split
    mark = own[own.rindex(" ["):]
    lead = f"Whatever you choose for {article(ctx.decision.other_component)}, what stays yours to write: " \
           f"{own[:own.rindex(' [')]}.{mark}"
    return lead, [Section(kind="build", title="What not to write yourselves", items=[never])]


def noted(ctx: Context) -> str:
    """Acknowledge the facts in the asker's own words, then ask what they want to decide."""
    plan, said = ctx.plan, ctx.reading.said

    def echo(cond: str) -> str:
        words = yours(said[cond]).strip(" .,;:") if cond in said else ""
        label = ctx.labels.get(cond, cond)
        return f"{words} ({label})" if words and len(words) <= 140 else label

    bits = []
    if plan.added:
        bits.append("Noted: " + "; ".join(echo(c) for c in plan.added) + ".")
    if plan.removed:
        bits.append("Dropped: " + "; ".join(echo(c) for c in plan.removed) + ".")
    tools = [t for t in ctx.reading.stack if t not in ctx.attestations]
    if tools:
        # The tools they run come back in the answer about the component, beside what it needs.
        bits.append(f"{'Also noted' if bits else 'Noted'}: {listed(tools)}.")
    ask = "Which piece of ML infrastructure are you deciding on?"
    return " ".join(bits + [ask]) if bits else f"Noted. {ask}"


def across(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    cond = (ctx.plan.added or ctx.plan.removed)[0]
    lines = []
    for comp in ctx.matrix.components:
        rule = comp.rule_for(cond)
        if rule:
            lines.append(f"**{comp.name}: {VERDICT_WORD[rule.verdict]}.** {rule.advice}"
                         + cites.support(rule.advice, rule.note))
    lead = (f"It depends on the component: {ctx.labels.get(cond, cond)} moves some verdicts and not others. "
            "Tell me which component you are deciding on and I will apply it with everything else you said.")
    return lead, keep(Section(kind="guidance", title="By component", items=lines) if lines else None)
