"""Answer shapes, one per question act: the lead (the direct answer) and only the sections that act needs."""

from __future__ import annotations

import re
from dataclasses import replace

from ..compose import Citations, Context, sentences, yours
from ..hosting import answer as hosting_answer
from ..hosting import hosting_choice
from ..models import Section, TurnChange
from ..render import VERDICT_WORD
from ..understanding import HYPOTHETICAL
from .decision import (
    also_sections,
    build_part_shape,
    enough_shape,
    hosting_is_buying,
    verdict_shape,
    what_if_shape,
    why_shape,
)
from .figures import (
    already_said,
    bill_against_own,
    multiplied,
    projection,
    rent_against_own,
    their_sum,
    told_sum,
    untitled,
)
from .guidance import (
    across,
    guidance_for_component,
    guidance_shape,
    noted,
    other_build_shape,
    other_shape,
    reused_shape,
    risk_key,
    switch_shape,
)
from .options import home_cloud_lean, only_fitting, options_section, outside_their_boundary
from .phrasing import (
    hypothetical_words,
    listed,
    lower_first,
    named_in,
    plan_judged,
    reason_sentence,
    situation_phrase,
    subject_of,
)
from .pitfalls import pitfalls_shape
from .reasons import reason_shape
from .sections import (
    GUIDANCE_SECTIONS,
    alerts_section,
    alongside,
    attested,
    build_asked,
    changes_section,
    estimate_section,
    guidance_section,
    keep,
    own_sentences,
    situations_section,
    stack_covers,
)
from .several import several_shape


def compose(ctx: Context, cites: Citations) -> tuple[str, list[Section], TurnChange | None]:
    """The lead and sections for this turn's act, each sentence said once."""
    lead, sections, changed = _compose(ctx, cites)
    if "model-product" in ctx.state.facts and "model-product" not in ctx.plan.previous.facts and \
            ctx.plan.previous.turns and "Your edge is" not in lead and \
            (edge := _model_edge(ctx, cites)):
        # "He now argues it's our edge: the forecasts are what we sell, so the training stack is core. Is he right?":
        # where their edge sits answers the argument before the call it leaves standing.
        lead = f"No. {edge} {lead}"
    # Only machines told with their count ("2 servers with 8x H100"): "our own servers" in a data rule says where data
    # stays, not what they have to run a model on.
    if (owned := ctx.state.facts.get("owns-hardware")) and re.search(r"\d", owned) and \
            re.search(r"\bself-host", lead, re.IGNORECASE) and \
            not re.search(r"\b(?:you|machines you) (?:already )?own\b", lead):
        # "We already own 2 servers with 8x H100 ... self-host or wait for a vendor contract?": the self-hosting the
        # call advises runs on what they own, said in their words.
        lead = f"{lead} Run it on the hardware you already have ({_their_words(_as_said(owned, ctx.question))})."
    return lead, _said_once(lead, [*sections, *keep(_prepare(ctx, cites, sections))]), changed


def _as_said(told: str, question: str) -> str:
    """`told` (read lower-cased) with the asker's own capitals, when the question holds it."""
    at = question.lower().find(told.lower())
    return question[at:at + len(told)] if at >= 0 else told


def _their_words(told: str) -> str:
    """A fact as they told it, without its opening pronoun ("we already own 2 servers" -> "2 servers")."""
    return re.sub(r"^(?:we|i|they)\s+(?:already\s+|still\s+)?(?:own|have|bought|purchased|got)\s+", "", told.strip(),
                  flags=re.IGNORECASE)


def _prepare(ctx: Context, cites: Citations, sections: list[Section]) -> Section | None:
    """"..., and what should we do now so we don't redo everything?": the row's guard for what they buy, which keeps
    the later change cheap, done today; None unless asked (or already said)."""
    d = ctx.decision
    if "prepare" not in ctx.reading.also or d.component is None or d.verdict == "build" or \
            any(x.title == "Keeping a later move cheap" for x in sections):
        return None
    guard = [x for x in own_sentences(ctx, cites, "risks", "buy") if "guard" in x.lower()][:1]
    return Section(kind="guidance", title="What to do now", items=guard) if guard else None


_MARKS = re.compile(r"\s*\[\d+\]")


def _said_once(lead: str, sections: list[Section]) -> list[Section]:
    """The sections without a bullet that repeats the lead or a later bullet word for word (citations aside); a
    section left empty goes. The later copy stays: sections asked for on their own ("how long should the trial run?",
    "what should we alert on?") come after the general ones."""
    seen = {_MARKS.sub("", x).strip() for x in re.split(r"(?<=[.!?])\s+(?=[A-Z])|(?<=\])\s+", lead) if x.strip()}
    out = []
    for x in reversed(sections):
        items = []
        for item in x.items:
            key = _MARKS.sub("", item).strip()
            if key not in seen:
                items.append(item)
                seen.add(key)
        if items or x.text or x.table or not x.items:
            out.append(x.model_copy(update={"items": items}) if items != x.items else x)
    return out[::-1]


def _compose(ctx: Context, cites: Citations) -> tuple[str, list[Section], TurnChange | None]:
    d, act = ctx.decision, ctx.plan.reasked or ctx.plan.act
    if ctx.plan.act == "what-if" and ctx.previous is not None and ctx.previous.verdict != d.verdict:
        act = "what-if"  # a supposition that moves the call says so first ("that would move it from Build to Buy")
    changed = _turn_change(ctx)
    if len(ctx.several) >= 2:
        lead, sections = several_shape(ctx, cites)
        return f"{edge} {lead}" if (edge := _model_edge(ctx, cites)) else lead, sections, changed
    if d.component is None and d.other_component:
        if ctx.plan.reuses:
            return (*reused_shape(ctx, cites), changed)
        if act == "build-part" and not d.deciding:
            return (*other_build_shape(ctx, cites), changed)
        if (risk_key(ctx) if act == "risks" else act) in GUIDANCE_SECTIONS:
            # Risks, cost, switching, evaluating or rolling out infrastructure without a row asks that, not the verdict:
            # the general guidance on it answers, not the four questions again.
            return (*guidance_for_component(ctx, cites), changed)
        return (*other_shape(ctx, cites), changed)
    if d.component is None:
        if act == "statement" and not ctx.topic_note:
            return noted(ctx), [], changed
        if act == "what-if" and (ctx.plan.added or ctx.plan.removed):
            return (*across(ctx, cites), changed)
        key = risk_key(ctx) if act == "risks" else act
        if key in GUIDANCE_SECTIONS:
            return (*guidance_for_component(ctx, cites), changed)
        return (*guidance_shape(ctx, cites, ctx.topic_note or "four-questions"), changed)
    if reason := reason_shape(ctx, cites):
        # "Is lock-in a good reason to build here?": yes or no on that fact, before anything else the turn moved.
        return (*reason, changed)
    # "Why not the Elasticsearch our team of 5 knows inside out?" proposes a tool they run: that is the question, and
    # what the tool covers answers it before anything the same turn's facts move.
    proposes = act == "why" and ctx.reading.proposes_stack
    change = _change_sentence(ctx, cites) if changed and act in ("verdict", "what-if", "statement", "why") and not proposes \
        else ""
    prev = ctx.previous
    if (not change and ctx.plan.recheck and prev
            and prev.component is d.component and prev.part is d.part and prev.verdict == d.verdict):
        # "Correction: we're moving from Azure to GCP. Does that change your answer?" with no condition moved: say
        # it stands, then only what did change (the cloud's own option), never the whole card again.
        lean = home_cloud_lean(ctx, cites) if ctx.state.cloud != ctx.plan.previous.cloud else ""
        if summed := told_sum(ctx, cites):
            # "With those numbers, is buying still worth it?": what their numbers come to answers it, then the call.
            lead = f"{summed} That does not change the call: still {VERDICT_WORD[d.verdict]}. {reason_sentence(ctx, cites)}"
            return lead, keep(alongside(ctx, cites)), changed
        # What the note says about the situation they just told ("labels arrive a year late") is what the news changes
        # in the details, even when the call stays: that is the answer, not the call's reason again.
        lead, rest = _news_in_details(ctx, cites, lean)
        return (lead, keep(alongside(ctx, cites), rest, options_section(ctx, cites, 3) if lean else None), changed)
    lean = _stack_lean(ctx, cites) if ctx.plan.aside and not change and d.verdict else ""
    if ctx.plan.aside and not change and d.verdict and (lean or not ctx.plan.reasked):
        # "Should have said: everything else we run is on Vertex AI." moves no condition: say the call stands, then
        # what the stack they told changes in it (their cloud's own product), never the whole card again. Without a
        # product of their cloud, facts after a product choice ask the choice again (below).
        lead, rest = _news_in_details(ctx, cites, lean)
        return lead, keep(alongside(ctx, cites), rest), changed
    if change:
        # A follow-up says what moved, then why; never the whole card again.
        # "... so what now, and which parts do we still build?" gets that part beside the change.
        build = build_asked(ctx, cites) if "build" in ctx.reading.also else None
        reason = hosting_is_buying(ctx, cites) or reason_sentence(ctx, cites)
        # The news came with prices: their sum is what it changes in money, said before the rule behind the call.
        summed = told_sum(ctx, cites) if act == "verdict" else ""
        lead = f"{change} {summed} {reason}" if summed else f"{change} {reason}"
        reopened = _reopened(ctx, cites)
        if reopened is not None:
            # "The on-prem rule was a misunderstanding. So what changes?": the call may stand, the options do not.
            lead += " What it does change: editions that someone else runs for you are open to you again."
        # What the note says about the situation they just told ("the platform team shrank to two") is what the
        # news changes even when the call stays.
        return lead, keep(alongside(ctx, cites), reopened, situations_section(ctx, cites, lead),
                          _weighed_under_rule(ctx, cites), changes_section(ctx, cites), build), changed
    choice = hosting_choice(ctx) if act in ("vendor", "cost", "enough") else None
    if choice is not None and act == "enough" and not _choice_asked(ctx, choice):
        # "The data scientists want Langfuse self-hosted or Phoenix. Is Datadog's LLM Observability enough?": the
        # choice is told, what is asked is whether the tool they have will do.
        choice = None
    if choice is not None:
        # "W&B at $54k/yr, or self-host MLflow?" weighs two ways of buying: who runs it, not build or buy.
        lead, sections = hosting_answer(ctx, cites, choice, situation_phrase(ctx))
        lead = _covered_first(ctx, cites, lead) if act == "vendor" else lead
        if act == "cost" and not re.search(r"\d", _MARKS.sub("", lead)) and (summed := projection(
                ctx, cites, horizon_enough=True, own_side=f"Running {choice.own.name} yourselves")) is not None:
            # "Need a 3-year TCO: W&B vs self-hosted MLflow. Give me the numbers both ways": when who runs it came with
            # no figure of theirs, running it yourselves is the side with people on it, so the sum of that against
            # their quote leads, then who runs it.
            lead = f"{summed[0]} {lead}"
            sections = [*sections, summed[1]] if summed[1] is not None else sections
        lead, sections = _sums_first(ctx, lead, sections) if act == "vendor" else (lead, sections)
        build = build_asked(ctx, cites) if "build" in ctx.reading.also else None
        leave = also_sections(ctx, cites) if "leave" in ctx.reading.also else []
        return lead, keep(alongside(ctx, cites), situations_section(ctx, cites, lead), _numbers(ctx, cites, lead, sections),
                          *sections, build, *leave), changed
    if act in ("general", "risks") and d.component.slug in ctx.reading.components and \
            (pitfalls := pitfalls_shape(ctx, cites)):
        # "What mistakes do teams make when they first set up monitoring?": the traps of that component, not the
        # general rule on building for control.
        return (*pitfalls, changed)
    if act == "general" and ctx.plan.topic_sure and ctx.topic_note and ctx.plan.topic in _topic_ids(ctx) \
            and (ctx.topic_note != "four-questions" or ctx.reading.told_only):
        # "Where do teams in my position go wrong?" asked over a stack they describe: the note on that topic answers;
        # what it means for the component they lead with follows as one line. A row named only in the background
        # ("the vendor of our labelling tool shut down ... what's a general rule for build vs buy?") is history, not
        # the subject: the general rule answers alone.
        lead, sections = guidance_shape(ctx, cites, ctx.topic_note)
        if _POSITION.search(ctx.reading.normalized) and d.verdict:
            # "What is the general principle, and what would your position be for our situation?": the principle,
            # then the call on the row they told of, in the first two sentences.
            from .decision import lead_verdict

            call = f"For {subject_of(ctx)} in your case: {lower_first(ctx, lead_verdict(ctx, cites))}"
            return f"{lead} {call}", sections, changed
        tail = None if ctx.reading.told_only else Section(kind="reasons", title=f"For {subject_of(ctx)}",
                                                          items=[reason_sentence(ctx, cites)])
        return lead, keep(*sections, tail), changed
    shape = {"vendor": _vendor, "enough": enough_shape, "why": why_shape, "build-part": build_part_shape,
             "risks": guidance_for_component, "cost": guidance_for_component, "switch": switch_shape,
             "evaluate": guidance_for_component, "implement": guidance_for_component,
             "general": guidance_for_component, "what-if": what_if_shape}.get(act, verdict_shape)
    if ctx.reading.asks_turning and act not in ("vendor", "evaluate", "implement", "switch") and d.verdict:
        from .turning import turning_shape  # "what would have to be true for building to be right?"

        shape = turning_shape
    elif (act in ("verdict", "vendor") or act == "what-if" and not ctx.plan.previous.turns) and \
            ctx.reading.asks_need and not ctx.reading.asks_call and not ctx.plan.recheck:
        # "Do we even need a gateway in front of one provider?" asks for the call on buying it; its yes or no comes
        # first, the way "is what we have enough?" is answered. So does "they pitch LiteLLM or Portkey: do we really
        # need this?", where the products named are the proposal, not a choice asked between them, and "Do we need
        # one? And what changes if the app must answer in 2 seconds?" asked cold: the need first, the change beside it.
        shape = enough_shape
    lead, sections = shape(ctx, cites)
    lead = _covered_first(ctx, cites, lead) if act == "vendor" else _pitch_against_theirs(ctx, cites, lead) \
        if act == "evaluate" else lead
    lead = f"{outside} {lead}" if (outside := _proposed_outside(ctx, cites)) else lead
    if act == "build-part" and (edge := _model_edge(ctx, cites)):
        # "The ranking is basically our product ... what do the engineers write?": what they own starts with the model.
        lead = f"{edge} {lead}"
    if act in ("verdict", "vendor", "why") and (pick := only_fitting(ctx, cites)) and pick.split(":")[0] not in lead:
        # The pick left after what they lack rules the others out, said right after the call.
        end = re.search(r"[.!?](?: \[\d+\])?(?= )", lead)
        lead = f"{lead[:end.end()]} {pick}{lead[end.end():]}" if end else f"{lead} {pick}"
    if "build" in ctx.reading.also and act not in ("verdict", "build-part", "why", "what-if") and \
            not any(x.kind == "build" for x in sections):
        # "..., and which parts would we build ourselves regardless?" is answered beside the choice, the
        # evaluation, the risks or the rollout it came with: half a two-part question is no answer.
        sections = [*sections, *keep(build_asked(ctx, cites))]
    if {"rollout", "measures", "move", "risks", "leave"} & set(ctx.reading.also) and d.component:
        # "Which would you standardise on, and how do we roll it out and know it worked?" (or "... and the risks of
        # each?", "which parts do we write, and what are the risks?"): that beside it, unless the act's own shape
        # answers it already or has put it in.
        titles = {x.title for x in sections} | {x.kind for x in sections if x.kind == "migration"}
        sections = [*sections, *(x for x in also_sections(ctx, cites, skip=_OWN_ASKS.get(act, set()))
                                 if x.title not in titles and x.kind not in titles)]
    if "choice" in ctx.reading.also and act in ("switch", "cost") and d.component:
        # "..., and which way would you go?" after how costly the move is: the pick among their options, beside it.
        pick, compared = _vendor(ctx, cites)
        if act == "cost":
            # "Which gives the best use for the money, and what does each cost?": the pick is the first answer, what
            # each costs follows it.
            lead = f"{pick} {lead}"
            sections = [*sections, *compared]
        else:
            sections = [*sections, Section(kind="reasons", title="Which way to go", items=[pick]), *compared]
    if "hosting" in ctx.reading.also and act in ("vendor", "verdict", "enough", "cost") and d.component and \
            d.verdict != "build" and hosting_choice(ctx) is None:
        # "Which orchestrator, and is it worth paying for managed or do we run it ourselves?": who runs the pick,
        # from what they told of their team, money and data, beside the pick.
        sections = [*sections, *keep(_who_runs(ctx, cites))]
    if "limit" in ctx.reading.also and act == "risks" and d.component:
        # "What are the real risks of staying, and how do we limit them?": the guards the notes give, beside them.
        sections = [*sections, *keep(_limits(ctx, cites))]
    if "alerts" in ctx.reading.also and act in ("verdict", "vendor", "enough", "implement", "risks") and d.component:
        sections = [*sections, *keep(alerts_section(ctx, cites))]
    if "duration" in ctx.reading.also and act in ("evaluate", "vendor", "implement"):
        # "..., what do we measure and for how long?": how long a trial runs, beside the rest.
        sections = [*sections, *keep(guidance_section(ctx, cites, "duration", "How long to run it", limit=2))]
    if "cost" in ctx.reading.also and act in ("verdict", "vendor", "enough", "build-part", "risks") and d.component:
        sections = [*sections, *keep(_when_it_pays(ctx, cites, lead))]
    elif "cost" in ctx.reading.also and act in _COST_BESIDE and d.component:
        # "Do we need to migrate the old runs, and what does self-hosting cost us a year in people time against a
        # licence?": the cost question gets the cost answer, beside the move, the rollout or the trial.
        sections = [*sections, *_cost_beside(ctx, cites, lead, sections)]
    if ctx.plan.reasked and act == ctx.plan.reasked and ctx.plan.act != "what-if" and d.verdict:
        # A correction asked of a choice ("actually 40, not 4: same answer?") says first whether the call moved,
        # then answers the choice again under the new facts.
        # A choice asked again under news that leaves the call where it was is answered by the pick: "That does not
        # change it: still Buy" would speak of a call nobody asked about, and the pick may well have changed.
        moved = _change_sentence(ctx, cites) if changed else ""
        if moved.startswith("That does not change it: still") and act == "vendor" and not _same_pick(ctx, lead):
            # The call stands but the pick moved (a rule that rules out the hosted editions): "does not change it"
            # would deny the change they asked about; the news is still said, as the reason the pick moves.
            moved = re.sub(r"^That does not change it: still (\w+)\. Noted: (.*); this call does not turn on that\.$",
                           r"It is still \1, but the pick changes, since \2.", moved)
            moved = re.sub(r"^That does not change it: still (\w+)(?:, and more clearly so, since|, even though) ",
                           r"It is still \1, but the pick changes, since ", moved)
            moved = re.sub(r"^That does not change it: still (\w+)(?:, though | \(|\.)",
                           lambda m: f"It is still {m.group(1)}, but the pick changes" +
                           {", though ": ": ", " (": " (", ".": "."}[m.group(0)[m.end(1) - m.start():]], moved)
        # A choice asked again says which option fits now; "still Buy" would speak of a call nobody asked about.
        still = "" if act == "vendor" else f"That does not change it: still {VERDICT_WORD[d.verdict]}."
        lead = f"{moved or still} {lead}".strip()
    lead, sections = _numbers_first(ctx, lead, keep(
        _runs_a_product(ctx, cites, lead), alongside(ctx, cites), attested(ctx, cites), situations_section(ctx, cites, lead),
        estimate_section(ctx, cites, lead), _numbers(ctx, cites, lead, sections), *sections,
        _reopened(ctx, cites) if ctx.plan.reasked else None))
    return lead, sections, changed


def _choice_asked(ctx: Context, choice) -> bool:
    """Whether a sentence that asks names a side of the hosting choice (every sentence, when none ends in "?")."""
    asking = re.findall(r"[^.?!\n]*\?", ctx.reading.normalized) or [ctx.reading.normalized]
    names = [n.lower() for o in (choice.own, choice.paid) if o is not None for n in (o.name, *o.aliases)]
    return any(re.search(rf"(?<![a-z0-9]){re.escape(n)}(?![a-z0-9])", a) for n in names for a in asking)


def _who_runs(ctx: Context, cites: Citations) -> Section | None:
    """Managed or self-hosted, by the note's order: data that may not leave, nobody to run it or a small team, a tight
    budget with people to run it, a platform team that runs similar services; cited from the hosting note."""
    conds, facts = set(ctx.decision.conditions), ctx.state.facts
    inside = "regulated" in conds and bool(facts.get("data-location"))
    small = ctx.reading.managed_cue or "early-stage" in conds and "budget" not in conds
    # (the line said, the note's section, the words that pick its sentence that gives the reason)
    line, heading, words = (
        ("Run it yourselves inside your own network", "when self-hosting", r"may not leave") if inside else
        ("Pay for the managed service", "when a managed", r"small|nobody") if small else
        ("Run it yourselves, with one named engineer owning its upgrades and backups", "when self-hosting",
         r"budget" if "budget" in conds else r"platform team") if "budget" in conds or ctx.state.kubernetes else
        ("Pay for the managed service unless someone will own running it", "what self", r"not free|quote"))
    passage = cites.section("managed-or-self-hosted", heading)
    if passage is None:
        return None
    said = sentences(passage.doc.page_content)
    why = [x for x in said if re.search(words, x)][:2] or said[:1]
    owner = [x for x in said if "named engineer" in x and x not in why] if line.startswith("Run") else []
    items = [f"{x} [{cites.cite(passage, x)}]" for x in [*why, *owner[:1]]]
    return Section(kind="guidance", title=f"Managed or run it yourselves: {line[:1].lower()}{line[1:]}", items=items)


# Acts whose own shape says nothing of money: a cost asked beside them gets the cost question's own answer.
_COST_BESIDE = ("switch", "implement", "evaluate", "why")


def _cost_beside(ctx: Context, cites: Citations, lead: str, sections: list[Section]) -> list[Section]:
    """The answer the cost question alone would get, as sections after the first ask's: its lead under "What it
    costs", then its own sections that say something not already said."""
    plan = ctx.plan.model_copy(update={"act": "cost"})
    cost_lead, cost_sections = guidance_for_component(replace(ctx, plan=plan), cites)
    said = {x.title for x in sections} | {lead}
    # Its lead is kept when it sums something (their figures or the placeholders); the call restated is no cost.
    out = [Section(kind="facts", title="What it costs", items=[untitled(cost_lead)])] \
        if cost_lead and cost_lead not in said and re.search(r"\d", cost_lead.split("[")[0]) \
        else []
    return out + [x for x in cost_sections if x.title not in said and x.kind != "migration"]


# The second asks an act's own shape answers: nothing to add beside it.
_OWN_ASKS = {"risks": {"risks", "limit"}, "implement": {"rollout", "measures"}, "switch": {"move", "leave"}}
_THEIR_NUMBERS = "*Your numbers:* "
# Asks for the advisor's own position on their case beside a general question ("and what would your position be for
# our situation?").
_POSITION = re.compile(r"\b(?:your) (?:position|recommendation|view|take|advice|call)\b|\bwhat would you (?:do|recommend|"
                       r"advise|suggest)\b|\bfor (?:our|my) (?:situation|case|company|team|setup)\b")


def _numbers_first(ctx: Context, lead: str, sections: list[Section]) -> tuple[str, list[Section]]:
    """"Please give me numbers I can show my director": the sum of their own numbers is the first thing said, not a
    line under "Your other circumstances"."""
    if not ctx.reading.asks_numbers:
        return lead, sections
    for i, x in enumerate(sections):
        at = next((j for j, item in enumerate(x.items) if item.startswith(_THEIR_NUMBERS)), None)
        if at is None:
            continue
        said = x.items[at][len(_THEIR_NUMBERS):]
        rest = x.model_copy(update={"items": [*x.items[:at], *x.items[at + 1:]]})
        return f"On your numbers: {said[:1].lower()}{said[1:]} {lead}", [*sections[:i], *([rest] if rest.items or rest.text else []), *sections[i + 1:]]
    return lead, sections


def _news_in_details(ctx: Context, cites: Citations, lean: str) -> tuple[str, Section | None]:
    """"That does not change it: still Buy." then what the facts just told change in the details (the note's line on
    their situation), else the call's reason; the other situation lines as a section."""
    still = f"That does not change it: still {VERDICT_WORD[ctx.decision.verdict]}."
    told = situations_section(ctx, cites, lean) if not lean else None
    if told is None or not told.items:
        return f"{still} {lean or reason_sentence(ctx, cites)}", None
    first = told.items[0]
    rest = Section(kind="facts", title="What else your situation changes", items=told.items[1:]) \
        if len(told.items) > 1 else None
    return f"{still} What it does change is how you go about it. {first}", rest


# A guard sentence about the built side ("for an assembled platform, the guard is ...").
_BUILT_SIDE = re.compile(r"\b(?:assembled|build|building|built|homegrown|home-grown|in-house|your own|write|writing)\b",
                         re.IGNORECASE)


def _reopened(ctx: Context, cites: Citations) -> Section | None:
    """A data rule taken back: the row's managed editions, in their notes' words, which the rule had kept out; None
    when no rule was taken back or the row has none."""
    comp = ctx.decision.component
    if comp is None or "regulated" not in ctx.plan.removed or ctx.decision.verdict not in ("buy", "hybrid"):
        return None
    facts = ctx.vendor_facts or {}
    items = []
    for o in [o for o in comp.buy if o.doc in facts and facts[o.doc].managed][:3]:
        lines = [x for x in cites.sentence_from(cites.section(o.doc, "hosting"), 4)
                 if re.search(r"\b(?:managed|cloud|as a service|saas)\b|(?<!self-)(?<!self )\bhosted\b", x, re.IGNORECASE)]
        if lines:
            items.append(f"**{o.name}**: {lines[0]}")
    return Section(kind="options", title="Managed editions, open again", items=items) if items else None


def _limits(ctx: Context, cites: Citations) -> Section | None:
    """What keeps the risks small: the row's own guards, and what the note of a product they run says keeps a move
    moderate (its lock-in lines after the first, which the risks already say); None when the notes give none."""
    comp = ctx.decision.component
    # The guards for the side they are on: staying on a product is not assembling or writing one.
    on_build = risk_key(ctx) == "risks-build"
    guards = [x for x in own_sentences(ctx, cites, "risks") if "guard" in x.lower()
              and bool(_BUILT_SIDE.search(x)) == on_build][:2]
    running = [o for o in comp.buy if o.doc in ctx.state.running or o.doc in ctx.reading.vendors][:1]
    moves = []
    for o in running:
        passage = cites.section(o.doc, "lock-in")
        moves = cites.sentence_from(passage, 3)[1:] if passage else []
    items = [*guards, *moves]
    return Section(kind="guidance", title="How to limit them", items=items) if items else None


def _weighed_under_rule(ctx: Context, cites: Citations) -> Section | None:
    """A data rule added to a conversation that weighed products ("what if a bank buys us and everything moves into
    its private cloud?"): which of the options on the table stop fitting, in their notes' words, and which still do."""
    comp = ctx.decision.component
    if comp is None or "regulated" not in ctx.plan.added:
        return None
    weighed = [o for o in comp.buy if o.doc in ctx.state.asked_vendors]
    gone = [o for o in weighed if outside_their_boundary(ctx, o.doc)]
    if not gone:
        return None
    items = []
    for o in gone:
        hosting = cites.section(o.doc, "hosting")
        line = cites.sentence_from(hosting)
        if line:
            items.append(f"*{o.name} would no longer fit:* {line[0]}")
    kept = [o.name for o in weighed if o not in gone]
    if kept and items:
        items.append(f"*Still in:* {listed(kept)}, which can run inside your own boundary.")
    return Section(kind="facts", title="The options you weighed, under that rule", items=items) if items else None


def _when_it_pays(ctx: Context, cites: Citations, lead: str) -> Section | None:
    """"..., and at which volume would self-hosting become cheaper?" beside the call: their own sum when their numbers
    make one, else the row's rule for measured unit economics (what has to be true for the other side to pay)."""
    summed = their_sum(ctx, cites) or multiplied(ctx, cites)
    if summed and summed not in lead:
        return Section(kind="facts", title="When it pays", items=[untitled(summed)])
    d = ctx.decision
    rule = (d.part or d.component).rule_for("production-evidence", ctx.state.facts) or \
        d.component.rule_for("production-evidence", ctx.state.facts)
    if rule is None or rule.advice in lead:
        return None
    return Section(kind="facts", title="When it pays", items=[rule.advice + cites.support(rule.advice, rule.note)])


def _proposed_outside(ctx: Context, cites: Citations) -> str:
    """"My PM wants to just use Azure OpenAI. Thoughts?" on a network data may not leave: no to that product first,
    as the asker named it; '' for any other turn."""
    r, comp = ctx.reading, ctx.decision.component
    if comp is None or not r.proposal or len(r.vendors) != 1 or "data-location" not in ctx.state.facts or \
            not outside_their_boundary(ctx, r.vendors[0]):
        return ""
    option = next((o for o in comp.buy if o.doc == r.vendors[0]), None)
    if option is None:
        return ""
    # As they wrote it, with a capitalised word before it ("Azure OpenAI" for the OpenAI API's note).
    names = "|".join(re.escape(n) for n in sorted((option.name, *option.aliases), key=len, reverse=True))
    m = re.search(rf"(?:\b[A-Z][\w-]* )?\b(?i:{names})\b", r.question)
    name = m.group(0) if m else option.name
    facts = (ctx.vendor_facts or {}).get(option.doc)
    mark = cites.support(f"{facts.hosting} hosting self-hosted", option.doc) if facts else ""
    return f"No: {name} is a hosted service and cannot run inside your own network, whatever approvals it holds.{mark}"


def _runs_a_product(ctx: Context, cites: Citations, lead: str) -> Section | None:
    """A product of this row they already run ("we already run MLflow for experiment tracking" asked about a registry)
    when the call is to buy: it is the first one to try; None when they run none or the lead already says so."""
    d = ctx.decision
    if d.verdict != "buy" or d.component is None or d.part is not None and d.part.verdict != "buy" or \
            ctx.plan.act not in ("verdict", "vendor", "enough") or ctx.reading.destination or ctx.reading.asks_move:
        return None  # a move off what they run is not answered by what they run
    opt = next((o for o in d.component.buy if o.doc in ctx.state.running), None)
    facts = (ctx.vendor_facts or {}).get(opt.doc) if opt else None
    maker = facts.product if facts else opt.name.split()[0] if opt else ""
    if opt is None or maker.lower() in lead.lower():
        return None
    said = cites.sentence_from(cites.section(opt.doc, d.component.name), 1)
    return Section(kind="reasons", title=f"Already in your stack: {opt.name}",
                   items=[(f"You already run {maker}, so {opt.name if opt.name != maker else 'it'} is the first "
                           f"option to check against your needs before buying anything new."), *said])


def _covered_first(ctx: Context, cites: Citations, lead: str) -> str:
    """A choice among products when a tool they run may need no new product ("turn on k-NN in the OpenSearch we run,
    Pinecone, or Qdrant?"): that tool first, the products as the fallback."""
    # A product of the row they run and name is the choice already made; a cloud they run on ("eu-north-1 on AWS")
    # is where it all runs, not one of the products weighed.
    row = {o.doc for o in ctx.decision.component.buy} if ctx.decision.component else set()
    covered = stack_covers(ctx, cites) if not set(ctx.state.running) & set(ctx.plan.vendors) & row else None
    if covered is None or ctx.decision.verdict != "buy":
        return lead
    tool, line = covered
    return f"Start with the {tool} you already run. {line} If it falls short: {lower_first(ctx, lead)}"


def _pitch_against_theirs(ctx: Context, cites: Citations, lead: str) -> str:
    """A vendor's pitch weighed when a tool they run may need no new product ("pgvector on the Aurora we already run;
    a rep pitches managed Milvus"): what they run is the baseline the pitch must beat, said first."""
    covered = stack_covers(ctx, cites)
    if covered is None or ctx.decision.verdict != "buy" or "scale" in ctx.decision.conditions:
        return lead
    tool, line = covered
    line = line[:1].lower() + line[1:] if line[1:2].islower() else line
    # A seller's pitch told is what is judged; a trial among products they list ("a 6-week POC of LiteLLM, Portkey
    # or Kong") judges the options.
    what = "the pitch" if ctx.reading.pitched or re.search(r"\b(?:pitch\w*|rep|sales\w*|claims?)\b",
                                                           ctx.reading.normalized) else "each option"
    return f"Judge {what} against the {tool} you already run, on your own data: {line} {lead}"


def _topic_ids(ctx: Context) -> set[str]:
    return {t.id for t in ctx.taxonomy.general_topics} if ctx.taxonomy else set()


def _numbers(ctx: Context, cites: Citations, lead: str, sections: list[Section]) -> Section | None:
    """Their prices per unit multiplied out ("25 seats at $50 each come to $1,250 a month"), unless already said."""
    if already_said(ctx, " ".join([lead, *(i for s in sections for i in s.items)])) or lead.startswith("On your numbers: "):
        return None  # the options they priced were summed in the lead already
    said = multiplied(ctx, cites)
    if not said:
        return None
    # With the self-hosted side priced, the sum against the bill or quote says more than the multiplication alone.
    summed = rent_against_own(ctx, cites) or bill_against_own(ctx, cites)
    shown = untitled(summed if summed and already_said(ctx, summed) else said)
    if any(shown[:80] in answer for _, answer in ctx.history):
        return None  # "OK, which part do we write?" after the sum was given: not the sum again
    return Section(kind="facts", title="Your numbers", items=[shown])


def _same_pick(ctx: Context, lead: str) -> bool:
    """Whether the product a pick answer names first is the one the previous answer named first ("Airflow fits best"
    both times): only then may "that does not change it" stand before it."""
    if not ctx.history or ctx.decision.component is None:
        return False
    options = ctx.decision.component.buy

    def first(text: str):
        at = [(m.start(), o.doc) for o in options for n in (o.name, *o.aliases)
              for m in re.finditer(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)]
        return min(at)[1] if at else None

    now, before = first(lead), first(ctx.history[-1][1])
    return now is not None and now == before


def _model_edge(ctx: Context, cites: Citations) -> str:
    """"The valuation model itself is our product": where their edge sits (the model and its data), cited, before
    what to build and buy under it; '' unless they told so and the four-questions note is at hand."""
    if "model-product" not in ctx.state.facts:
        return ""
    passage = cites.section("four-questions", "question 1")
    said = next((x for x in sentences(passage.doc.page_content) if "advantage usually sits" in x), "") if passage else ""
    if not said:
        return ""
    told = said[:1].lower() + said[1:] if said[1:2].islower() else said
    return f"Your edge is the model and its data, not the infrastructure under it: {told} [{cites.cite(passage, said)}]"


def _sums_first(ctx: Context, lead: str, sections: list[Section]) -> tuple[str, list[Section]]:
    """"Put the three side by side over 2 years and tell me which you'd pick": what each option costs on their numbers
    comes before the pick, with how each sum was counted; unchanged when they priced fewer than two."""
    from .option_sums import option_sums

    if lead.startswith("On your numbers: ") or not (summed := option_sums(ctx)):
        return lead, sections
    return f"{summed[0]} {lead}", [summed[1], *sections]


def _vendor(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    from ..vendors import comparison

    lead, sections = comparison(ctx, cites, situation_phrase(ctx))
    from .options import maintenance_line

    # A named project that only takes minor fixes now is said so where it is weighed ("vLLM or TGI?").
    facts = ctx.vendor_facts or {}
    lead += "".join(maintenance_line(cites, o.doc) for o in (ctx.decision.component.buy if ctx.decision.component else [])
                    if o.doc in ctx.plan.vendors and o.doc in facts and facts[o.doc].status == "maintenance")
    lead, sections = _sums_first(ctx, lead, sections)
    if not any(x.kind == "facts" and x.title.startswith("Alongside") for x in sections):
        # "We already run Azure Database for PostgreSQL": what the row's note says of a tool they run is part of the
        # pick (pgvector beside their Postgres), even when they asked between two other products.
        sections = [*keep(alongside(ctx, cites)), *sections]
    return lead, sections


# Facts about them that turn a rule on or off (matrix `unless`), and how the answer says the news in a reason.
_FACT_NEWS = {"provider-approved": (("a hosted provider's regional deployment has passed your compliance review (the "
                                     "exception your data rule allows)"), True),
              "owns-hardware": ("the machines are not yours to run", False)}


def _fact_news(ctx: Context) -> list[str]:
    """Facts gained or lost this turn that void or restore a rule (the reasons a verdict moved without a condition)."""
    before, now = ctx.plan.previous.facts, ctx.state.facts
    return [why for k, (why, gained) in _FACT_NEWS.items() if (k in now and k not in before) == gained and
            (k in now) != (k in before)]


def _turn_change(ctx: Context) -> TurnChange | None:
    prev, d, plan = ctx.previous, ctx.decision, ctx.plan
    if not plan.previous.turns or not (plan.added or plan.removed or (
            prev is not None and prev.verdict != d.verdict and _fact_news(ctx))):
        return None
    return TurnChange(previous_verdict=prev.verdict if prev else None, verdict=d.verdict,
                      added=plan.added, removed=plan.removed)


def _theirs(question: str, clause: str) -> bool:
    """Whether a clause can be echoed back as the asker's own situation: not someone else's words they quote ('our
    CTO says: "... I don't want another vendor in the path"'), and not said as "I", which "you" would misquote."""
    if re.match(r"(?:i|i'm|i've|i'd|my)\b", clause.strip(), re.IGNORECASE) or re.search(r"\b(?:i|i'm|my)\b", clause):
        return False
    at = question.lower().find(clause.strip().lower()[:40])
    return at < 0 or sum(question[:at].count(q) for q in '"“”') % 2 == 0


_CONDITION_WORDS = re.compile(r"^(?:on (?:the )?condition that|provided(?: that)?|providing(?: that)?|as long as|"
                              r"so long as|given that|assuming(?: that)?|because|since|as)\s+", re.IGNORECASE)


def _change_sentence(ctx: Context, cites: Citations) -> str:
    prev, d, plan = ctx.previous, ctx.decision, ctx.plan
    if not prev or prev.component is not d.component or prev.part is not d.part:
        return ""
    if prev.verdict != d.verdict and not (plan.added or plan.removed) and (news := _fact_news(ctx)):
        # "Compliance confirmed Azure OpenAI in Switzerland North is acceptable": no condition moved, a fact voided the
        # rule that decided before.
        return (f"That moves the verdict from {VERDICT_WORD[prev.verdict]} to {VERDICT_WORD[d.verdict]}, since "
                f"{', and '.join(news)}.")
    said = ctx.reading.said
    # What they told us, in their words ("you spend $80k a month on rented A100s"), else the condition's name.
    # A supposition echoed as a reason reads without its "what if" ("since you go to 2,000 requests/second").
    echoed = [c for c in plan.added if c in said and len(said[c]) <= 140 and _theirs(ctx.reading.question, said[c])]
    # "... on the condition that student data stays in Peru" reads after "since" without its own subordinator.
    told = [lower_first(ctx, _CONDITION_WORDS.sub("", HYPOTHETICAL.sub("", yours(said[c])).strip(" .,;:?—–-")))
            for c in echoed]
    short = {c: ctx.labels.get(c, c).split(" (")[0] for c in (*plan.added, *plan.removed)}
    added = [short[c] for c in plan.added if c not in echoed]
    # What their own words already say ("you go to ~2,000 requests/second") needs no label for what it ended (a
    # small need); otherwise the condition's own words for being ruled out ("not a scale problem").
    unlike = {c.id: c.unlike for c in ctx.taxonomy.conditions} if ctx.taxonomy else {}
    ended = [] if told else [unlike.get(c) or f"no longer {short[c]}" for c in plan.removed]
    labels = [*added, *ended]
    # Two conditions told in one sentence ("budget is capped ..., and the state boards require ...") echo it once.
    told = [t for t in dict.fromkeys(told) if not any(t != o and t in o for o in told)]
    because = " and ".join(told)
    what = "; ".join(labels)
    if ended and not added and not because and all(unlike.get(c) for c in plan.removed):
        what = ""  # said plainly below: "..., as it is not a scale problem now"
        # A fact taken back ("scratch that requirement") no longer applies; one denied is the opposite now.
        taken = [c for c in plan.removed if c in ctx.reading.retracted]
        plain = (f"it is {' and '.join(dict.fromkeys(unlike[c] for c in plan.removed if c not in taken))} now"
                 if len(taken) < len(plan.removed) else "")
        plain = " and ".join(x for x in (plain, "what you took back no longer applies" if taken else "") if x)
    hypo = hypothetical_words(ctx, plan.supposed) if plan.act == "what-if" and plan.supposed else ""
    if hypo:
        # "what if we were regulated?" is answered as a hypothetical, in their words.
        judged = plan_judged(ctx)
        return (f"{judged} " if judged else "") + (
            f"If {hypo}, that would move the verdict from {VERDICT_WORD[prev.verdict]} to "
            f"{VERDICT_WORD[d.verdict]}." if prev.verdict != d.verdict else
            f"If {hypo}, it would still be {VERDICT_WORD[d.verdict]}.")
    if prev.verdict != d.verdict:
        head = f"That moves the verdict from {VERDICT_WORD[prev.verdict]} to {VERDICT_WORD[d.verdict]}"
        if not what and not because and labels:
            return f"{head}, as {plain}."
        return f"{head}, since {because}{f' ({what})' if what else ''}." if because else f"{head} ({what})."
    still = f"That does not change it: still {VERDICT_WORD[d.verdict]}"
    row = d.part or d.component
    rules = [row.rule_for(c, ctx.state.facts) for c in plan.added]
    argues = {c.id: c.argues for c in ctx.taxonomy.conditions} if ctx.taxonomy else {}
    if because and rules and all(r is not None and r.verdict == d.verdict == argues.get(r.condition)
                                 for r in rules):
        # A fact whose rules lean the way the call already goes ("we're 6 people, not 60" to a buy) confirms it; one
        # that usually argues the other way ("we spend $80k a month") is answered "even though".
        return f"{still}, and more clearly so, since {because}."
    if because and d.part and len(plan.added) == 1 and rules[0] is None and \
            (row_rule := d.component.rule_for(plan.added[0], ctx.state.facts)) is not None and \
            row_rule.verdict != d.verdict:
        # The part asked about has no rule for the news, the row has one that points elsewhere ("150k a day, not a
        # month" on a hosted API: the row says weigh the bill against GPUs): the part stands, and the row's rule is
        # what the news asks of them.
        return (f"Still {VERDICT_WORD[d.verdict]} for {d.part.label}, but that changes how, since {because}: "
                f"{row_rule.advice[:1].lower()}{row_rule.advice[1:]}{cites.support(row_rule.advice, row_rule.note)}")
    if because and rules and all(r is None and d.component.rule_for(c, ctx.state.facts) is None
                                 for r, c in zip(rules, plan.added)):
        # A fact this call has no rule for ("it's 8 people, not 80" for a tracker) neither resists nor confirms it.
        return f"{still}. Noted: {because}; this call does not turn on that."
    if not what and not because and labels:
        return f"{still}, though {plain}."
    if because and d.deciding is not None and d.deciding.condition in plan.added and \
            (prev.deciding is None or prev.deciding.condition != d.deciding.condition) and \
            any(named_in(o, d.deciding.advice) for o in d.component.buy):
        # "It's 300M vectors from day one now. Same answer?": the call stays, but the rule that now decides it is the
        # news's own (an engine built for that size, not the Postgres they run): "does not change it" would hide that.
        return f"Still {VERDICT_WORD[d.verdict]}, but that changes how, since {because}."
    return f"{still}, even though {because}{f' ({what})' if what else ''}." if because else f"{still} ({what})."


def _stack_lean(ctx: Context, cites: Citations) -> str:
    """The row's product from the cloud platform the asker just said they run on, cited; '' when there is none."""
    from ..vendors import CLOUD_NAMES, cloud_of

    clouds = [c for c in (cloud_of(v) for v in ctx.reading.vendors) if c]
    opt = next((o for o in ctx.decision.component.buy if cloud_of(o.doc) in clouds), None)
    strength = cites.sentence_from(cites.section(opt.doc, "strength")) if opt else []
    if not strength:
        return ""
    cloud = CLOUD_NAMES.get(cloud_of(opt.doc), cloud_of(opt.doc))
    return f"With the rest of your stack on {cloud}, {opt.name} is the option to weigh first. {strength[0]}"
