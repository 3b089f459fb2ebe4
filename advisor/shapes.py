"""Answer shapes, one per question act: the lead (the direct answer) and only the sections that act needs."""

from __future__ import annotations

import re

from .applied import applied_questions, applied_section
from .compose import Citations, Context, sentences, usable, yours
from .decision import Change
from .hosting import answer as hosting_answer, hosting_choice, quote
from .models import Section, TurnChange
from .render import VERDICT_WORD
from .retrieval import tokenize
from .understanding import HYPOTHETICAL

# Quantity kinds that show the asker's situation for a condition ("3 requests per minute").
FACT_KINDS = {"scale": ("traffic_rps", "models", "gpus", "latency_ms", "items_per_day", "tokens_per_day", "jobs_per_day"),
              "simple": ("models", "traffic_rps", "items_per_day", "tokens_per_day"),
              "early-stage": ("engineers", "headcount")}
# Quantity kinds that show the asker's numbers rule a condition out ("three model providers": past the simple case).
UNLIKE_KINDS = {"simple": ("providers", "traffic_rps", "models", "items_per_day", "tokens_per_day", "teams"),
                "scale": ("traffic_rps", "models", "items_per_day", "tokens_per_day"),
                "early-stage": ("teams", "engineers", "headcount")}
GUIDANCE_SECTIONS = {
    "risks-build": [("risk-of-building", "biggest risk"), ("risk-of-building", "cost of a wrong build"),
                    ("risk-of-building", "cost to the core product")],
    "risks-buy": [("overview", "cost of a wrong buy"), ("evaluating-vendors", "roadmap"),
                  ("evaluating-vendors", "security"), ("key-factors", "lock-in")],
    "cost": [("four-questions", "question 2"), ("overview", "underestimated"), ("key-factors", "total cost")],
    "switch": [("switching-buy-to-build", "whether"), ("switching-buy-to-build", "how to switch"),
               ("switching-buy-to-build", "keeping a later switch cheap")],
    "evaluate": [("evaluating-vendors", "capability"), ("evaluating-vendors", "security"),
                 ("evaluating-vendors", "documentation"), ("evaluating-vendors", "roadmap"),
                 ("evaluating-vendors", "lock-in"), ("evaluating-vendors", "proof-of-concept")],
    "implement": [("implementing-the-decision", "start small"), ("implementing-the-decision", "kpis"),
                  ("implementing-the-decision", "cross-functional")],
}
_BUY_WORDS = {"buy", "buying", "bought", "vendor", "vendors", "managed", "saas", "purchase", "purchasing", "paying",
              "rely", "relying", "depend", "depending", "dependence", "adopt", "adopting", "subscription"}


def compose(ctx: Context, cites: Citations) -> tuple[str, list[Section], TurnChange | None]:
    """The lead and sections for this turn's act."""
    d, act = ctx.decision, ctx.plan.reasked or ctx.plan.act
    if ctx.plan.act == "what-if" and ctx.previous is not None and ctx.previous.verdict != d.verdict:
        act = "what-if"  # a supposition that moves the call says so first ("that would move it from Build to Buy")
    changed = _turn_change(ctx)
    if d.component is None and d.other_component:
        return (*_other(ctx, cites), changed)
    if d.component is None:
        if act == "statement" and not ctx.topic_note:
            return _noted(ctx), [], changed
        if act == "what-if" and (ctx.plan.added or ctx.plan.removed):
            return (*_across(ctx, cites), changed)
        key = _risk_key(ctx) if act == "risks" else act
        if key in GUIDANCE_SECTIONS:
            return (*_guidance_for_component(ctx, cites), changed)
        return (*_guidance(ctx, cites, ctx.topic_note or "four-questions"), changed)
    change = _change_sentence(ctx) if changed and act in ("verdict", "what-if", "statement", "why") else ""
    prev = ctx.previous
    if (not change and ctx.plan.recheck and prev
            and prev.component is d.component and prev.part is d.part and prev.verdict == d.verdict):
        # "Correction: we're moving from Azure to GCP. Does that change your answer?" with no condition moved: say
        # it stands, then only what did change (the cloud's own option), never the whole card again.
        lean = _home_cloud_lean(ctx, cites) if ctx.state.cloud != ctx.plan.previous.cloud else ""
        return (f"That does not change it: still {VERDICT_WORD[d.verdict]}. {lean or _reason(ctx, cites)}",
                _keep(_alongside(ctx, cites), _options(ctx, cites, 3) if lean else None), changed)
    if change:
        # A follow-up says what moved, then why; never the whole card again.
        return f"{change} {_reason(ctx, cites)}", _keep(_alongside(ctx, cites), _changes(ctx, cites)), changed
    choice = hosting_choice(ctx) if act in ("vendor", "cost", "enough") else None
    if choice is not None:
        # "W&B at $54k/yr, or self-host MLflow?" weighs two ways of buying: who runs it, not build or buy.
        lead, sections = hosting_answer(ctx, cites, choice, _situation(ctx))
        build = _build_asked(ctx, cites) if "build" in ctx.reading.also else None
        return lead, _keep(_alongside(ctx, cites), *sections, build), changed
    shape = {"vendor": _vendor, "enough": _enough, "why": _why, "build-part": _build_part,
             "risks": _guidance_for_component, "cost": _guidance_for_component, "switch": _switch,
             "evaluate": _guidance_for_component, "implement": _guidance_for_component,
             "general": _guidance_for_component, "what-if": _what_if}.get(act, _verdict)
    lead, sections = shape(ctx, cites)
    if "build" in ctx.reading.also and act in ("vendor", "enough") and not any(x.kind == "build" for x in sections):
        # "..., and which parts would we build ourselves regardless?" is answered beside the choice.
        sections = [*sections, *_keep(_build_asked(ctx, cites))]
    if ctx.plan.reasked and act == ctx.plan.reasked and ctx.plan.act != "what-if" and d.verdict:
        # A correction asked of a choice ("actually 40, not 4: same answer?") says first whether the call moved,
        # then answers the choice again under the new facts.
        moved = _change_sentence(ctx) if changed else ""
        lead = f"{moved or f'That does not change it: still {VERDICT_WORD[d.verdict]}.'} {lead}"
    return lead, _keep(_alongside(ctx, cites), _attested(ctx, cites), *sections), changed


# -- the asker's situation -----------------------------------------------------------------------
ALONGSIDE = "Alongside what you already run"


ATTESTED = ("evaluating-vendors", "Attestations such as SOC 2")


def _attested(ctx: Context, cites: Citations, limit: int = 2) -> Section | None:
    """What an attestation the asker named ("our customers require SOC 2") asks of the route, when it is no
    residency rule; named this turn, or earlier when this is the first answer about this component."""
    comp, prev = ctx.decision.component, ctx.plan.previous
    named = [t for t in (ctx.state.stack if comp and prev.component != comp.slug else ctx.reading.stack)
             if t in ctx.attestations]
    if not named or "regulated" in ctx.decision.conditions:
        return None
    passage = cites.section(*ATTESTED)
    # Choosing among vendors wants what to ask of them; a decision wants why it is no reason to build.
    first = 1 if ctx.plan.act in ("vendor", "evaluate") else 0
    picked = [s for s in sentences(passage.doc.page_content) if usable(s)][first:first + limit] if passage else []
    if not picked:
        return None
    return Section(kind="facts", title="Under " + " and ".join(named[:2]),
                   items=[f"{s} [{cites.cite(passage, s)}]" for s in picked])


def _alongside(ctx: Context, cites: Citations, limit: int = 2) -> Section | None:
    """The component note's sentences about tools the asker named ("we already run Prometheus and Grafana"), cited.

    Tools named this turn, or earlier when this is the first answer about this component (facts told first)."""
    comp = ctx.decision.component
    prev = ctx.plan.previous
    tools = list(ctx.reading.stack)
    if comp and prev.component != comp.slug:
        tools = list(dict.fromkeys([*ctx.state.stack, *tools]))
    passage = cites.section(comp.note, ALONGSIDE) if comp and tools else None
    if passage is None:
        return None
    rx = {t: re.compile(rf"\b{re.escape(t.rstrip('s'))}s?\b", re.IGNORECASE) for t in tools}
    picked, named = [], []
    for s in (x for x in sentences(passage.doc.page_content) if usable(x)):
        hit = [t for t in tools if rx[t].search(s)]
        if hit and any(t not in named for t in hit):
            picked.append(s)
            named += [t for t in hit if t not in named]
        if len(picked) == limit:
            break
    if not picked:
        return None
    shown = [t for t in tools if t in named]
    title = "Alongside " + (" and ".join(shown) if len(shown) <= 2 else ", ".join(shown[:-1]) + " and " + shown[-1])
    return Section(kind="facts", title=title, items=[f"{s} [{cites.cite(passage, s)}]" for s in picked])


def _fact(ctx: Context, kind: str) -> str:
    """A number the asker gave, as a phrase ("we are 5 people" -> "5 people")."""
    return re.sub(r"^(?:you|we) (?:are|'re)\s+|^(?:you|we)'re\s+", "", yours(ctx.state.facts[kind]), flags=re.IGNORECASE)


def _phrase(ctx: Context, cond: str) -> str:
    """How the lead names one of the asker's conditions, with their own numbers when they gave some."""
    kinds = FACT_KINDS.get(cond, ())
    if cond == "early-stage" and "engineers" in ctx.state.facts:
        kinds = ("engineers",)  # the small team is the fact; the company around it ("400 employees") is not
    # "we are 5 people" is echoed as "5 people": the lead says "with 5 people", never "with you are 5 people".
    facts = [_fact(ctx, k) for k in kinds if k in ctx.state.facts]
    # A fact that opened the asker's sentence ("Three ML engineers.") continues ours in lower case.
    facts = [f[:1].lower() + f[1:] if re.match(r"[A-Z][a-z]+\b", f) else f for f in facts]
    if facts:
        return _with_facts(facts)
    if cond == "regulated" and "regime" in ctx.state.facts:
        return f"under {ctx.state.facts['regime']}"  # the regime they named, not a generic "your rules"
    if cond == "early-stage" and ctx.reading.managed_cue:
        # "No ops people" is what they said: echo that rather than calling them an early-stage company.
        return "with nobody to run infrastructure"
    c = next((c for c in ctx.taxonomy.conditions if c.id == cond), None) if ctx.taxonomy else None
    return c.phrase if c and c.phrase else ctx.labels.get(cond, cond)


def _with_facts(facts: list[str]) -> str:
    """The asker's facts as a phrase: who they are "as a 6-person startup", what they have "with 3 models"."""
    # "6-person startup", "team of 4" are singular noun phrases: "with a team of 4", but "with 3 models".
    singular = r"\d[\d,.]*\s*-?\s*(?:person|people|member|man|strong|employee)\s+\w|\d[\d,.]*-\w+\s+\w|" \
               r"(?:team|company|startup|group|org)\b"
    # Who they are ("a 6-person startup", "a 40-person research lab") reads "as a ...", what they have "with".
    who = r"\d[\d,.]*\s*-?\s*(?:person|people|member|man|strong|employee)\s+(?:[a-z-]+\s+)?" \
          r"(?:startup|company|team|lab|firm|shop|business|org|organi[sz]ation|group|agency|studio)\b|" \
          r"\d[\d,.]*-(?:person|member|strong|employee)\s+[a-z-]+$"  # "a 12-person fintech"
    if len(facts) == 1 and re.match(who, facts[0], re.IGNORECASE):
        return f"as a {facts[0]}"
    return "with " + " and ".join(("a " + f) if re.match(singular, f, re.IGNORECASE) else f for f in facts[:2])


def _situation(ctx: Context, only: list[str] | None = None) -> str:
    conds = only if only is not None else ctx.decision.conditions
    phrases = [_phrase(ctx, c) for c in conds[:2]]
    if len(phrases) == 2 and all(p.startswith("with ") for p in phrases):
        # "with 4k rps and 3 models" + "with 6 engineers" reads "with 4k rps, 3 models and 6 engineers".
        items = [*phrases[0][5:].split(" and "), phrases[1][5:]]
        return "with " + ", ".join(items[:-1]) + " and " + items[-1]
    return " and ".join(phrases)


def _unlike(ctx: Context) -> str:
    """With no condition of theirs in play, the number they gave that rules out the case which would have changed
    the call ("with three model providers (past the simple case)"); '' when none does."""
    d = ctx.decision
    rules = {r.condition: r.verdict for r in (d.part.conditions if d.part else d.component.conditions)}
    for cond in ctx.state.negated:
        un = next((c.unlike for c in ctx.taxonomy.conditions if c.id == cond), "") if ctx.taxonomy else ""
        facts = [_fact(ctx, k) for k in UNLIKE_KINDS.get(cond, ()) if k in ctx.state.facts]
        if un and facts and rules.get(cond, d.verdict) != d.verdict:
            return f"{_with_facts(facts[:1])} ({un})"
    return ""


def _subject(ctx: Context) -> str:
    d = ctx.decision
    if d.part:
        return d.part.label
    return d.component.noun or d.component.name.lower()


def _verdict_clause(ctx: Context) -> str:
    d, comp = ctx.decision, ctx.decision.component
    subject = _subject(ctx)
    if d.verdict == "buy":
        if d.part and d.part.buy_clause:
            return f"buy rather than build: {d.part.buy_clause}"  # the verdict word first, then what it means
        return f"buy {subject} rather than build {'them' if subject.endswith('s') and not d.part else 'it'}"
    if d.verdict == "build":
        if d.part and d.part.build_clause:
            return f"build: {d.part.build_clause}"
        return f"build {subject} yourselves"
    if d.verdict == "hybrid":
        buy = next((p for p in comp.parts if p.verdict == "buy"), None)
        build = comp.build_part
        if buy and build and not d.part:
            return f"go hybrid: buy {buy.label} and build {build.label}"
        return f"go hybrid on {subject}"
    return f"it depends on {_depends_on(ctx)}"


def _depends_on(ctx: Context) -> str:
    """What a `depends` verdict turns on: the deciding rule's, else the part's, else the row's (from the matrix)."""
    d = ctx.decision
    for item in (d.deciding, d.part, d.component):
        if item is not None and getattr(item, "verdict", None) == "depends" and getattr(item, "depends_on", None):
            return item.depends_on
    return "requirements no managed option may meet"


def _lower_first(ctx: Context, s: str) -> str:
    """A sentence continued after a comma: its first word in lower case, unless a name or acronym ("MLflow")."""
    first = s.split(" ", 1)[0].rstrip(",.:;")
    names = ctx.matrix.option_names if ctx.matrix else frozenset()
    if first in names or first[1:] != first[1:].lower() or (len(first) > 1 and first.isupper()):
        return s
    return s[:1].lower() + s[1:]


def _cap(s: str, names: set[str] = frozenset()) -> str:
    # Product names keep their own spelling at the start of a sentence ("pgvector", "vLLM", "promptfoo").
    first = s.split(" ", 1)[0].rstrip(",.:;")
    if first[:1].islower() and (any(c.isupper() for c in first) or first in names):
        return s
    return s[:1].upper() + s[1:]


def _two_sentences(text: str) -> str:
    parts = sentences(text)
    return " ".join(parts[:2]) if len(parts) > 2 else text


def _reason(ctx: Context, cites: Citations) -> str:
    """The sentence that says why, cited: the deciding rule, else the part, else the component summary."""
    d, comp = ctx.decision, ctx.decision.component
    if d.deciding:
        return d.deciding.advice + cites.support(d.deciding.advice, d.deciding.note)
    if d.part:
        return d.part.advice + cites.support(d.part.advice, d.part.note)
    return comp.summary + cites.support(comp.summary, comp.note)


_OPENER = re.compile(r"^(?:Under|On|At|With|For|Early|In|Once|When)\b[^,.;:]{0,40},\s+(?=[a-z])")


def _lead_verdict(ctx: Context, cites: Citations) -> str:
    situation = _situation(ctx) or _unlike(ctx)
    reason = _reason(ctx, cites)
    if situation and ctx.decision.deciding:
        # The rule's own opener ("Under residency rules, ...") restates the situation the lead already named.
        stripped = _OPENER.sub("", reason)
        names = ctx.matrix.option_names if ctx.matrix else frozenset()
        reason = _cap(stripped, names) if stripped != reason else reason
    words = set(re.findall(r"[a-z]+", reason.lower()))
    if reason.split(" ", 1)[0].lower() in ("buy", "build", "rent", "write") and (
            ctx.decision.verdict != "hybrid" or {"buy", "build"} <= words):
        # A hybrid call needs both halves said: "rent GPUs ..." alone would not say what is theirs to build.
        # The reason already opens with the verdict ("Buy the orchestration: ..."): say it once.
        return f"{_cap(situation)}, {reason[:1].lower()}{reason[1:]}" if situation else reason
    clause = _verdict_clause(ctx)
    core = clause.split(": ", 1)[-1]
    if len(core) > 20 and core.lower() in reason.lower():
        # The reason says the verdict in full ("For training infrastructure, buy the GPU compute and build the
        # training code: ..."): the clause before it would say it twice.
        return f"{_cap(situation)}: {_lower_first(ctx, reason)}" if situation else reason
    first = f"{_cap(situation)}, {clause}." if situation else f"{_cap(clause)}."
    return f"{first} {reason}"


# -- sections shared by several shapes -----------------------------------------------------------
def _plausible(ctx: Context) -> list[Change]:
    """At most two changes most plausible for this asker: the `next` of what they said, else the first."""
    d = ctx.decision
    if not d.would_change or ctx.taxonomy is None:
        return []
    order: list[str] = []
    by_id = {c.id: c for c in ctx.taxonomy.conditions}
    for cond in d.conditions:
        order += [n for n in by_id[cond].next if n not in order] if cond in by_id else []
    # With nothing stated, the circumstances most askers are in; never a stock line for everyone.
    order = order or list(ctx.taxonomy.next_when_nothing_stated)
    rank = {c: i for i, c in enumerate(order)}
    denied = set(ctx.state.negated)  # "we're well past seed" rules out the early-stage line
    return sorted((c for c in d.would_change if c.condition in rank and c.condition not in denied),
                  key=lambda c: rank[c.condition])[:2]


def _changes(ctx: Context, cites: Citations) -> Section | None:
    lines = [f"*If {c.label}:* **{VERDICT_WORD[c.verdict]}**. {c.advice}" + cites.support(c.advice, c.note)
             for c in _plausible(ctx)]
    return Section(kind="changes", title="What would change this", items=lines) if lines else None


def _reasons(ctx: Context, cites: Citations, exclude: str, n: int = 2) -> Section | None:
    """Supporting sentences from the retrieved passages, scored by the question and the asker's facts."""
    d, comp = ctx.decision, ctx.decision.component
    focus = set(tokenize(ctx.question)) | set(tokenize(comp.name if comp else ""))
    for c in d.conditions:
        focus |= set(tokenize(ctx.labels.get(c, c)))
    preferred = {comp.note} if comp else set()
    if d.deciding:
        preferred.add(d.deciding.note)
    scored = []
    kinds = ("guidance",) if d.verdict == "build" else ("guidance", "vendor")
    passages = list(ctx.passages)
    if d.deciding:
        passages = ctx.evidence.of(d.deciding.note) + passages  # the rule's own note explains it best
    for rank, p in enumerate(passages):
        if p.doc.metadata.get("kind") not in kinds:
            continue  # user-added documents inform retrieval but do not speak for the advisor; a build
            # verdict is not explained by a vendor's strengths
        section = p.doc.metadata.get("section", "").lower()
        if "verdict changes" in section or section == "verdict":
            continue  # the verdict itself is not a reason for it; other circumstances would muddle it
        for s in sentences(p.doc.page_content):
            if not usable(s) or "default verdict" in s.lower() or "matrix" in s.lower():
                continue
            toks = set(tokenize(s))
            score = len(toks & focus) / (len(toks) ** 0.5 or 1) + (1.0 if p.doc_id in preferred else 0) - 0.1 * rank
            scored.append((score, s, p))
    chosen: list[str] = []
    used = [set(tokenize(exclude))]
    for _, s, p in sorted(scored, key=lambda t: -t[0]):
        toks = set(tokenize(s))
        if any(len(toks & u) / (len(toks | u) or 1) > 0.4 for u in used):
            continue
        used.append(toks)
        chosen.append(f"{s} [{cites.cite(p, s)}]")
        if len(chosen) == n:
            break
    return Section(kind="reasons", title="Why", items=chosen) if chosen else None


def _fact_reasons(ctx: Context, cites: Citations) -> Section | None:
    """What each of the asker's other circumstances means here (the deciding one is already in the lead)."""
    d = ctx.decision
    row = d.part or d.component
    items = []
    for cond in d.conditions:
        if d.deciding and cond == d.deciding.condition:
            continue
        rule = next((g for g in ctx.matrix.global_rules if g.condition == cond), None) or row.rule_for(cond)
        if rule and rule.verdict == d.verdict:  # one pointing elsewhere is outranked; quoting it would contradict
            items.append(f"*{_cap(_phrase(ctx, cond))}:* {rule.advice}" + cites.support(rule.advice, rule.note))
    items += _weighed_facts(ctx, cites)
    return Section(kind="reasons", title="Your other circumstances", items=items) if items else None


def _weighed_facts(ctx: Context, cites: Citations) -> list[str]:
    """Facts that state no condition but bear on the call: a date to meet, a vendor's quote for this row."""
    d, facts, out = ctx.decision, ctx.state.facts, []
    if d.verdict == "build":
        return out
    if "deadline" in facts:
        said = "A managed service can often be running within about a week, while a build ties up months of " \
               "senior engineering time, so buying protects the date."
        out.append(f"*{_cap(facts['deadline'])}:* {said}" + cites.support(said, "arguments-for-buying", "speed"))
    quoted = quote(ctx)
    if quoted and any(o.doc in ctx.plan.vendors for o in d.component.buy):
        said = ("Set it against what building costs: the build itself, then the maintenance, operational staff, "
                "patching and upgrades that follow it.")
        out.append(f"*{quoted[0]}:* {said}" + cites.support(said, "key-factors", "total cost"))
    return out


def _outside_boundary(ctx: Context, doc: str) -> bool:
    from .vendors import outside_boundary

    return outside_boundary(ctx.vendor_facts, ctx.decision.conditions, doc)


def _options(ctx: Context, cites: Citations, limit: int = 4) -> Section | None:
    from .vendors import cloud_of, fit

    comp = ctx.decision.component
    out = set(ctx.state.rejected)  # products the asker ruled out are never offered
    # A shortlist named earlier in the conversation ("Evidently or Arize?") stays the shortlist for its follow-ups.
    asked = ctx.plan.vendors or (ctx.state.asked_vendors if ctx.plan.previous.component == comp.slug else [])
    mentioned = [o for o in comp.buy if o.doc in asked and o.doc not in out]
    facts = ctx.vendor_facts or {}
    # The options that fit the asker's facts first (self-hostable when regulated, open source on a budget).
    # The cloud the asker already runs on (named in any turn) puts that cloud's own option first; a team
    # that said it runs on one cloud is not offered another cloud's own service.
    clouds = {cloud_of(v) for v in ctx.state.vendors} - {None}
    home = ctx.state.cloud
    clouds |= {home} if home else set()

    def rank(o) -> float:
        score = fit(facts[o.doc], ctx.decision.conditions, ctx.reading.managed_cue, ctx.state.kubernetes)[0] \
            if o.doc in facts else 0
        return -(score + (3 if cloud_of(o.doc) in clouds else 0))

    rest = sorted((o for o in comp.buy if o not in mentioned and o.doc not in out
                   and not _outside_boundary(ctx, o.doc)
                   and not (home and cloud_of(o.doc) not in (None, home))), key=rank)
    # Two or more products named ("LiteLLM or Portkey, or write our own?") are the shortlist the asker is weighing:
    # those, not a catalogue with others added.
    ordered = mentioned if len(mentioned) >= 2 else mentioned + rest
    lines = []
    for opt in ordered[:limit]:
        strength = cites.section(opt.doc, "strength") or next(iter(ctx.evidence.of(opt.doc)), None)
        first = cites.sentence_from(strength)
        if first:
            # A product the asker named that cannot run inside their boundary says so.
            caveat = (" It cannot be self-hosted, so it does not fit data that must stay inside your network."
                      + cites.support(f"{facts[opt.doc].hosting} hosting self-hosted", opt.doc)) \
                if _outside_boundary(ctx, opt.doc) else (
                " It needs a Kubernetes cluster, which you do not run." + cites.support("Kubernetes cluster", opt.doc)) \
                if ctx.state.kubernetes is False and opt.doc in facts and facts[opt.doc].needs_kubernetes else ""
            lines.append(f"**{opt.name}**: {first[0]}{caveat}{_suits(ctx, cites, opt, facts) if not caveat else ''}")
    return Section(kind="options", title="Options to buy", items=lines) if lines else None


def _suits(ctx: Context, cites: Citations, opt, facts) -> str:
    """What the option's own note says about the constraint the asker stated (where it runs, what it costs,
    how hard it is to leave), quoted and cited; '' when they stated none it speaks to."""
    from .vendors import fit

    f = facts.get(opt.doc)
    if f is None or not fit(f, ctx.decision.conditions, ctx.reading.managed_cue)[1]:
        return ""
    conds = ctx.decision.conditions
    # The note's section on that constraint, and in it the sentence that speaks to it.
    heading, words = ("hosting", _INSIDE) if "regulated" in conds else ("hosting", _MANAGED) \
        if ctx.reading.managed_cue else ("pricing", _FREE) if "budget" in conds else ("lock-in", _LEAVE) \
        if "lock-in" in conds else (None, set())
    passage = cites.section(opt.doc, heading) if heading else None
    found = [x for x in sentences(passage.doc.page_content) if usable(x)] if passage else []
    if not found:
        return ""
    best = max(found, key=lambda x: len(words & set(tokenize(x))))
    return f" {best} [{cites.cite(passage, best)}]" if words & set(tokenize(best)) else ""


_INSIDE = {"self", "hosted", "hostable", "own", "environment", "inside", "premises", "premise", "managed", "deployments",
           "kept", "boundary", "vpc", "infrastructure", "run", "runs"}
_MANAGED = {"managed", "hosted", "cloud", "service", "serverless", "fully"}
_FREE = {"free", "open", "source", "tier", "licence", "license"}
_LEAVE = {"open", "export", "low", "leave", "leaving", "lock", "standard", "portable"}


def _build(ctx: Context, cites: Citations) -> Section | None:
    d = ctx.decision
    comp, part = d.component, d.part
    build = comp.build_part
    if build and part is build:
        return None
    if d.verdict == "build" and not part:
        return None  # the whole component is yours to build; a "thin wrapper" line would contradict it
    if d.deciding and d.verdict == "hybrid" and not build:
        return None  # the deciding advice already says which part to build
    if build and any(r.condition in d.conditions and r.verdict != "build" for r in build.conditions):
        build = None  # e.g. at scale the thin wrapper is no longer yours to grow
    text = build.advice + cites.support(build.advice, build.note) if build else \
        comp.build + cites.support(comp.build, comp.note)
    return Section(kind="build", title="What to build yourselves", text=text)


def _build_asked(ctx: Context, cites: Citations) -> Section | None:
    """What to build, asked beside a choice: the build part, else the rule for their situation that says it."""
    section = _build(ctx, cites)
    rule = ctx.decision.deciding
    if section is None and rule is not None and rule.verdict == "hybrid":
        section = Section(kind="build", title="What to build yourselves",
                          text=rule.advice + cites.support(rule.advice, rule.note))
    return section


def _migration(ctx: Context, cites: Citations) -> Section:
    comp = ctx.decision.component
    return Section(kind="migration", title=f"Cost of changing course later: {comp.migration_cost}",
                   text=comp.migration + cites.support(comp.migration, comp.note, "migration"))


def _keep(*sections: Section | None) -> list[Section]:
    return [s for s in sections if s is not None]


# -- shapes --------------------------------------------------------------------------------------
def _home_cloud_lean(ctx: Context, cites: Citations) -> str:
    """For a `depends` verdict, what the asker's own cloud tips it toward: that cloud's own option, cited."""
    from .vendors import CLOUD_NAMES, cloud_of

    d, home = ctx.decision, ctx.state.cloud
    if d.verdict != "depends" or not home or d.component is None:
        return ""
    opt = next((o for o in d.component.buy if cloud_of(o.doc) == home and not _outside_boundary(ctx, o.doc)), None)
    if opt is None or not cites.section(opt.doc, "strength"):
        return ""
    cloud = CLOUD_NAMES.get(home, home)
    text = f"You already run on {cloud}, so {opt.name}, its own offering, is the option to weigh first."
    return text + cites.support(f"{opt.name} {cloud} team integrated", opt.doc, "strength")


_BUILD_WORDS = {"build", "building", "write", "writing", "own", "homegrown", "in-house", "inhouse", "ourselves", "diy",
                "roll", "custom"}


def _plan_judged(ctx: Context) -> str:
    """"Yes." or "No." to a plan the asker asks us to judge ("build it all in-house. Good idea?"); '' otherwise."""
    d = ctx.decision
    if not ctx.reading.proposal or d.verdict not in ("buy", "build", "hybrid"):
        return ""
    words = set(ctx.reading.normalized.replace("?", " ").replace(",", " ").replace(".", " ").split())
    plan = "build" if words & _BUILD_WORDS and not words & _BUY_WORDS else \
        "buy" if words & _BUY_WORDS and not words & _BUILD_WORDS else None
    if plan is None:
        return ""
    return "Partly." if d.verdict == "hybrid" else "Yes." if d.verdict == plan else "No."


def _verdict(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    lead = _lead_verdict(ctx, cites)
    lean = _home_cloud_lean(ctx, cites)
    lead = f"{lead} {lean}" if lean else lead
    judged = _plan_judged(ctx)
    lead = f"{judged} {lead}" if judged else lead
    d = ctx.decision
    options = _options(ctx, cites, 3) if d.verdict != "build" else None
    return lead, _keep(_fact_reasons(ctx, cites), options, _build(ctx, cites), *_also(ctx, cites),
                       _changes(ctx, cites), _migration(ctx, cites))


def _also(ctx: Context, cites: Citations) -> list[Section]:
    """The second ask of a turn that also wants a decision ("..., and how would we roll it out?"), answered from the
    component's own note: its rollout or the way over, how to tell it worked, the risks of the route recommended."""
    also, verdict = ctx.reading.also, ctx.decision.verdict
    out: list[Section] = []
    if verdict != "build" and ("move" in also or "rollout" in also):
        if steps := _own(ctx, cites, "rolling it out"):
            out.append(Section(kind="guidance", title="How to move over" if "move" in also else "Rolling it out",
                               items=steps))
    elif verdict != "build" and "measures" in also and (steps := _own(ctx, cites, "rolling it out", last=True)):
        out.append(Section(kind="guidance", title="How to tell it worked", items=steps))
    if "risks" in also:
        risks = _own(ctx, cites, "risks", {"buy": "buy", "build": "build"}.get(verdict), limit=3)
        if risks:
            out.append(Section(kind="guidance", title="Risks", items=risks))
    return out


def _hypothetical(ctx: Context, conds: list[str]) -> str:
    """The hypothetical in the asker's words, addressed to them ("you got acquired by a bank"); '' if not said."""
    said = ctx.reading.said
    out = []
    for c in conds:
        text = said.get(c, "")
        if not HYPOTHETICAL.match(text) or len(text) > 120:
            return ""
        out.append(yours(HYPOTHETICAL.sub("", text)).strip(" ?.,;:"))
    return " and ".join(dict.fromkeys(out))


def _what_if(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """"Would X change it?" asked cold: yes or no first, against the same question without X, then why."""
    prev, d = ctx.previous, ctx.decision
    if prev is None or prev.component is not d.component or prev.part is not d.part:
        return _verdict(ctx, cites)
    if ctx.plan.previous.turns:
        # A follow-up whose hypothetical moves no condition ("suppose we had 400 engineers"): say so briefly.
        return f"No: that would not change it; still {VERDICT_WORD[d.verdict]}. {_reason(ctx, cites)}", []
    hypo = _hypothetical(ctx, ctx.plan.supposed)
    what = f"if {hypo}" if hypo else "with " + " and ".join(ctx.labels.get(c, c) for c in ctx.plan.supposed)
    # "Would serving our own models still make sense?" judges their plan under the hypothetical: the yes or no
    # is about the plan; asked plainly ("would that change it?"), it is about whether the call moves.
    judged = _plan_judged(ctx).rstrip(".")
    if prev.verdict != d.verdict:
        said = f"{judged or 'Yes'}: {what}, it would move from {VERDICT_WORD[prev.verdict]} to {VERDICT_WORD[d.verdict]}."
    else:
        said = f"{judged or 'No'}: {what}, it would stay {VERDICT_WORD[d.verdict]}."
    options = _options(ctx, cites, 3) if d.verdict in ("buy", "hybrid") else None
    return f"{said} {_reason(ctx, cites)}", _keep(options, _build(ctx, cites))


_WHY_NOT = re.compile(r"\bwhy not\b|\bwhy (?:don't|do not|can't|cannot|shouldn't|should not|wouldn't) we\b|"
                      r"\bwhat about (?:just )?(?:using|going with|self-hosting)\b", re.IGNORECASE)


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
    opt = next((o for o in d.component.buy if o.doc in ctx.reading.vendors and _named_in(o, proposal)), None)
    if opt is None or _outside_boundary(ctx, opt.doc):
        return ""
    said = _suits(ctx, cites, opt, facts).strip()
    if not said:
        strength = cites.section(opt.doc, "strength") or next(iter(ctx.evidence.of(opt.doc)), None)
        said = " ".join(cites.sentence_from(strength)[:1])
    return f"No reason not to: {opt.name} fits this. {said}".strip()


def _why(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    # Asked cold ("why would a startup buy X?"), the verdict in a few words and the reason that decides it;
    # asked of the answer just given ("why is that?"), the verdict is known: the reason alone, then more.
    fits = _why_not_option(ctx, cites)
    if fits:
        return f"{fits} {_reason(ctx, cites)}", _keep(_build(ctx, cites))
    prev, d = ctx.previous, ctx.decision
    words = set(ctx.reading.normalized.replace("?", " ").replace(",", " ").split())
    if d.verdict in ("buy", "hybrid") and _WHY_NOT.search(ctx.reading.normalized) and words & (_BUILD_WORDS | {
            "small", "simple", "script", "cron", "literally", "quick", "tiny"}) and not d.part:
        # "Why not a small tracker on Postgres?" proposes building it small: why the bought side is worth buying
        # (the row's own summary), then what decides it for them.
        summary = d.component.summary + cites.support(d.component.summary, d.component.note)
        reason = _reason(ctx, cites)
        return (summary if reason == summary else f"{summary} {reason}"), _keep(_build(ctx, cites))
    known = prev is not None and prev.component is d.component and prev.part is d.part and prev.verdict == d.verdict
    lead = _reason(ctx, cites) if known else _lead_verdict(ctx, cites)
    return lead, _keep(_reasons(ctx, cites, lead, n=3), _changes(ctx, cites))


def _asking_text(ctx: Context) -> str:
    """The words that asked the question: this turn's, or for a question asked again under new facts ("and at
    200M vectors?"), the earlier turn that named the products."""
    if ctx.plan.reasked:
        named = [o for o in ctx.decision.component.buy if o.doc in ctx.plan.vendors]
        for question, _ in reversed(ctx.history):
            if any(_named_in(o, question) for o in named):
                return question.lower()
    return ctx.reading.normalized


def _asked_about(ctx: Context, option) -> bool:
    """Whether `option` is what "is it enough?" asks about, not the alternative after it ("is cron enough, or do
    we need Airflow?" asks about cron)."""
    norm = _asking_text(ctx)
    if ctx.reading.incumbent and not ctx.reading.adopted:
        # "X wants KServe or Seldon. Is what we have enough?": the named products are the alternative.
        return False
    cue = re.search(r"\b(?:enough|suffic\w*|get by|good enough|do we need|is it worth)\b", norm)
    names = [n.lower() for n in (option.name, *option.aliases)]
    at = min((i for i in (norm.find(n) for n in names) if i >= 0), default=-1)
    return not (cue and at > cue.end())


def _enough(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    d = ctx.decision
    judged = _plan_judged(ctx)
    if judged:
        # "We plan to buy X. Makes sense?" judges their plan, not whether something they run is enough.
        return f"{judged} {_lead_verdict(ctx, cites)}", _keep(_options(ctx, cites, 3) if d.verdict != "build" else None)
    vendor = next((o for o in d.component.buy if o.doc in ctx.plan.vendors and _asked_about(ctx, o)), None)
    situation = _situation(ctx)
    hypo = _hypothetical(ctx, ctx.plan.supposed) if ctx.plan.reasked else ""
    situation = f"if {hypo}" if hypo else situation
    flip = _plausible(ctx)
    if d.verdict == "build" and d.deciding and d.deciding.condition == "simple" or \
            (d.part and d.part.verdict == "build" and d.verdict == "build"):
        # Name what is enough and who makes it: "that" could be read as the product they asked about.
        yes = f"Yes{(', ' + situation) if situation else ''}: the simple version you build yourselves is enough for now."
    elif vendor and d.deciding and d.verdict != "build" and (_recommends_others(d, vendor) or _outgrown(d, vendor)):
        # The rule for their situation names the products that fit it ("at hundreds of millions of vectors, pick
        # Milvus, Qdrant, ..."), and the one they asked about is not among them.
        yes = f"No{(', ' + situation) if situation else ''}: {vendor.name} is not what fits here."
    elif vendor and d.verdict in ("buy", "hybrid", "depends"):
        yes = f"Yes{(', ' + situation) if situation else ''}: {vendor.name} is a sound choice."
    elif d.verdict == "build":
        yes = f"Yes{(', ' + situation) if situation else ''}: building {_subject(ctx)} yourselves is justified."
    else:
        clause = _verdict_clause(ctx)
        # "No: go hybrid: buy ..." would stack two colons: the clause becomes its own sentence.
        yes = f"No{(', ' + situation) if situation else ''}" + (
            f". {clause[:1].upper()}{clause[1:]}." if ":" in clause else f": {clause}.")
    small = _small_use_rule(ctx) if not vendor else None
    if small is not None:
        # Whether the simple setup is enough turns on how much they use it, which they have not said: answer
        # with that threshold first, then what holds beyond it, rather than a flat yes or no.
        need = ctx.reading.asks_need and "enough" not in ctx.reading.normalized
        lead = (f"{'Not yet, while your use is small' if need else 'Yes, while your use is small'}. "
                f"{small.advice}{cites.support(small.advice, small.note)} Beyond that, {_verdict_clause(ctx)}.")
        return lead, _keep(_options(ctx, cites, 3) if d.verdict != "build" else None)
    if ctx.reading.asks_need and "enough" not in ctx.reading.normalized:
        # "Do we need more?" is answered the other way round from "is it enough?".
        yes = ("No, " + yes[5:] if yes.startswith("Yes, ") else "No: " + yes[5:] if yes.startswith("Yes: ")
               else "Yes, " + yes[4:] if yes.startswith("No, ") else "Yes: " + yes[4:] if yes.startswith("No: ")
               else "Yes. " + yes[4:] if yes.startswith("No. ") else yes)
    # "Is X enough?" is about X, not about buying versus building: what X does well says why it is enough.
    strength = cites.sentence_from(cites.section(vendor.doc, "strength")) \
        if vendor and d.verdict == "buy" and not d.deciding else []
    reason = strength[0] if strength else _reason(ctx, cites)
    if yes.startswith("No: ") and reason.split(" ", 1)[0].lower() == yes[4:].split(" ", 1)[0].lower():
        # The reason opens with the same verdict ("No: buy the orchestration ... Buy the orchestration: ..."):
        # say it once.
        yes = "No."
    lead = f"{yes} {reason}"
    facts = (ctx.vendor_facts or {}).get(vendor.doc) if vendor else None
    if facts and facts.open_source and re.search(r"\b(?:paid|commercial|licen[cs]ed?|enterprise|premium|hosted "
                                                 r"version|managed version|cloud version|pay for)\b",
                                                 ctx.reading.normalized):
        # "Is open-source X enough or do we need a paid tool?": what the paid side of X is, from its note.
        pricing = cites.sentence_from(cites.section(vendor.doc, "pricing"), 2)
        lead = f"{lead} {' '.join(pricing)}" if pricing else lead
    return lead, _keep(_changes(ctx, cites) if flip else None,
                       _options(ctx, cites, 3) if d.verdict != "build" and not vendor else None)


def _named_in(option, text: str) -> bool:
    """Whether `text` names `option` (its name or an alias, as a whole word)."""
    return any(re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE) for n in (option.name, *option.aliases))


def _outgrown(d, option) -> bool:
    """Whether `option` is the row's small-needs answer (its `simple` rule names it: "FastAPI") and another
    condition decides ("2,500 requests per second")."""
    simple = [r for r in d.component.conditions if r.condition == "simple"]
    return d.deciding.condition != "simple" and any(_named_in(option, r.advice) for r in simple)


def _recommends_others(d, option) -> bool:
    """Whether the deciding rule's advice names other products of the row but not `option`."""
    advice = d.deciding.advice
    return not _named_in(option, advice) and any(_named_in(o, advice) for o in d.component.buy if o is not option)


def _small_use_rule(ctx: Context):
    """The row's (or part's) rule that makes a simple setup enough, when the asker has said nothing either way
    about how much they use it; None otherwise."""
    d = ctx.decision
    if d.verdict == "build" or {"simple", "scale", "production-evidence"} & set(d.conditions) or \
            "simple" in ctx.plan.state.negated:
        return None
    rule = (d.part or d.component).rule_for("simple")
    return rule if rule is not None and rule.verdict == "build" else None


def _build_part(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    comp = ctx.decision.component
    build = comp.build_part
    if build:
        lead = build.advice + cites.support(build.advice, build.note)
    else:
        lead = f"Very little is yours to build for {comp.noun}. " + comp.build + cites.support(comp.build, comp.note)
    buy = next((p for p in comp.parts if p.verdict == "buy"), None)
    connect = Section(kind="build", title="How it connects to what you buy",
                      text=buy.advice + cites.support(buy.advice, buy.note)) if buy else None
    return _two_sentences(lead), _keep(connect)


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
    situation = _situation(ctx, only=[c for c in ctx.decision.conditions if c in ("scale", "simple")])
    if situation and not ctx.reading.yes_no:
        # Their own facts say how big the move is ("with 30 models reading from it").
        said = f"{_cap(situation)}, {said[:1].lower()}{said[1:]}"
    migration = comp.migration
    if migration.split(" ", 1)[0].lower() in ("switching", "moving", "leaving", "migrating"):
        # The row's own sentence already says how costly the move is ("Switching trackers is cheap; ..."):
        # "Switching is cheap: switching trackers is cheap" would say it twice.
        said = said.split(",")[0] if ctx.reading.yes_no else (_cap(situation) if situation else "")
    lead = (f"{said}: {migration[:1].lower()}{migration[1:]}" if said else migration) \
        + cites.support(comp.migration, comp.note, "migration")
    # A product the asker named: what its own note says about lock-in is the detail that follows.
    named = [o for o in comp.buy if o.doc in ctx.reading.vendors]
    specific = [x for o in named[:2] for x in cites.sentence_from(cites.section(o.doc, "lock-in"))]
    if len(named) >= 2:
        # From one product to another ("W&B to self-hosted MLflow"): what each note says about leaving and
        # arriving, not the general advice on moving from bought to built; what each offers ("what do we lose?")
        # side by side.
        from .vendors import side_by_side

        facts = ctx.vendor_facts or {}
        both = [o for o in named[:2] if o.doc in facts]
        table = Section(kind="comparison", title="Side by side", table=side_by_side(both, facts, cites)) \
            if len(both) == 2 and ctx.reading.compares else None
        return f"{lead} {' '.join(specific[:2])}" if specific else lead, _keep(table)
    if specific:
        lead = f"{lead} {' '.join(specific[:1])}"
    # The advice on moving from bought to built is for a move toward building; leaving one product for another
    # ("if we pick Databricks now, how hard is it to leave?") gets the row's and the product's own words only.
    words = set(ctx.reading.normalized.replace("?", " ").replace(",", " ").split())
    toward_build = bool(words & _BUILD_WORDS) and not ctx.reading.leaving_build
    if not toward_build and ctx.reading.how_to_move and ctx.decision.verdict != "build":
        # "How do we migrate off our FastAPI service without downtime?" asks for the way over to what they buy: the
        # component's own rollout (one piece first, side by side with the old path, then the rest).
        steps = _own(ctx, cites, "rolling it out")
        if steps:
            # The way over leads; how big the move is follows.
            return " ".join(steps[:2]), _keep(Section(kind="guidance", title="How to move over", items=steps[2:]),
                                              Section(kind="migration", title="How big the move is", text=lead))
    if toward_build or ctx.decision.verdict == "build":
        return lead, _keep(_guidance_section(ctx, cites, "switch", "Switching later") if toward_build else None)
    # What keeps a later move cheap is what to do now: the row's own guard for the bought side.
    guard = [x for x in _own(ctx, cites, "risks", "buy") if "guard" in x.lower()][:1]
    return lead, _keep(Section(kind="guidance", title="Keeping a later move cheap", items=guard) if guard else None)


def _about_another(ctx: Context, sentence: str) -> bool:
    """Whether a general sentence is an example about another component only ("portable training code keeps
    training infrastructure easy to move", shown to someone asking about a feature store)."""
    comp = ctx.decision.component
    if comp is None or ctx.matrix is None:
        return False
    low = sentence.lower()

    def names(c) -> list[str]:
        return [n for n in {c.name.lower(), (c.noun or "").lower()} if n and not n.startswith(("a ", "an "))]

    mine = names(comp)
    others = [n for c in ctx.matrix.components if c.slug != comp.slug for n in names(c)]
    return any(n in low for n in others) and not any(n in low or n.rstrip("s") in low for n in mine)


def _guidance_section(ctx: Context, cites: Citations, key: str, title: str, limit: int | None = None,
                      skip: tuple[tuple[str, str], ...] = ()) -> Section | None:
    """The curated guidance for an act, the sentence closest to the question first."""
    passages = [p for doc, heading in GUIDANCE_SECTIONS.get(key, []) if (doc, heading) not in skip
                and (p := cites.section(doc, heading))]
    focus = set(tokenize(ctx.question))
    # A sentence that only names a framework question ("the second question is ...") answers nothing.
    found = [(s, p) for p in passages for s in sentences(p.doc.page_content)[:3]
             if usable(s) and "build-or-buy question" not in s and not _about_another(ctx, s)]
    if not found:
        return None
    # Relevance to the question first, then concreteness (a sentence that lists things says more).
    found.sort(key=lambda sp: -(len(set(tokenize(sp[0])) & focus) + 0.25 * min(sp[0].count(","), 4)))
    limit = limit or (5 if key == "evaluate" else 3)
    items = [f"{s} [{cites.cite(p, s)}]" for s, p in found[:limit]]
    return Section(kind="guidance", title=title, items=items)


_BUY_SIDE = _BUY_WORDS | {"leave", "leaving", "lock-in", "hosted", "third", "provider", "exit"}
_MEASURE_WORDS = {"measure", "measures", "metric", "metrics", "kpi", "kpis", "worked", "success", "succeeded"}
_BUILD_SIDE = {"build", "building", "built", "homegrown", "in-house", "write", "writing"}


def _own(ctx: Context, cites: Citations, heading: str, side: str | None = None, limit: int | None = None,
         unlike: str = "", last: bool = False) -> list[str]:
    """The component note's own sentences under a heading ("Rolling it out", "Risks"), cited: for risks only those
    about one side (buying or building) when `side` is given, none restating `unlike`, at most `limit`, or only the
    last one (a rollout ends with its measures). Only the sentences returned are cited, so every source listed is
    one the answer shows."""
    comp = ctx.decision.component
    passage = cites.section(comp.note, heading) if comp else None
    if passage is None:
        return []
    picked = []
    for s in (x for x in sentences(passage.doc.page_content) if usable(x)):
        words = set(tokenize(s))
        buy, build = bool(words & _BUY_SIDE), bool(words & _BUILD_SIDE)
        if side == "buy" and not (buy and not build) or side == "build" and not build:
            continue
        if unlike and not _not_repeating([s], unlike):
            continue
        picked.append(s)
    picked = picked[-1:] if last else picked[:limit]
    return [f"{s} [{cites.cite(passage, s)}]" for s in picked]


def _not_repeating(items: list[str], said: str, share: float = 0.4) -> list[str]:
    """Items that do not restate `said` (at most `share` of an item's words also in it)."""
    words = set(tokenize(said))
    return [x for x in items if len(set(tokenize(x)) & words) <= share * len(set(tokenize(x)))]


def _risk_key(ctx: Context) -> str:
    words = set(ctx.reading.normalized.replace("?", " ").split())
    # Naming a product to buy asks about the risks of buying it ("how risky is LangSmith for our tracing?").
    comp = ctx.decision.component
    named = bool(comp and any(o.doc in ctx.reading.vendors for o in comp.buy))
    build = words & {"build", "building", "write", "writing", "own", "homegrown", "in-house"}
    if comp and not (words & _BUY_WORDS or named or build):
        # "What are the risks of that?" asks about the route recommended: buying, building, or each side of a split.
        return {"buy": "risks-buy", "build": "risks-build"}.get(ctx.decision.verdict, "risks-both")
    return "risks-buy" if (words & _BUY_WORDS or named) and not build else "risks-build"


def _risks_both(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    """"What are the risks either way?": which way the call goes and why, then each side's risks."""
    comp = ctx.decision.component
    reason = _reason(ctx, cites)
    situation = _situation(ctx)
    lead = f"Both ways carry risk; {situation + ', ' if situation else ''}the lower-risk call for {_subject(ctx)} " \
           f"is {VERDICT_WORD[ctx.decision.verdict]}. {reason}"
    if ctx.decision.verdict == "depends":
        lead = f"Both ways carry risk; {situation + ', ' if situation else ''}which is lower for {_subject(ctx)} " \
               f"depends on {_depends_on(ctx)}. {reason}"
    build = _guidance_section(ctx, cites, "risks-build", "Risks of building and running it yourselves")
    own_build = _own(ctx, cites, "risks", "build", limit=2)
    if own_build:
        build = Section(kind="guidance", title="Risks of building and running it yourselves",
                        items=[*own_build, *(build.items[:1] if build else [])])
    # Buying's main risk for this component is how hard it is to reverse: its own sentence leads that side, in
    # place of the general words on lock-in.
    how = {"low": "small", "medium": "real but manageable", "high": "serious"}[comp.migration_cost]
    lock = (f"The lock-in risk of buying {_subject(ctx)} is {how}: {comp.migration[:1].lower()}{comp.migration[1:]}"
            + cites.support(comp.migration, comp.note, "migration"))
    buy = _guidance_section(ctx, cites, "risks-buy", "Risks of buying", limit=2, skip=(("key-factors", "lock-in"),))
    own_buy = _own(ctx, cites, "risks", "buy", limit=2, unlike=lock)
    items = [lock, *own_buy, *(buy.items[:1] if buy and own_buy else buy.items if buy else [])]
    return lead, _keep(build, Section(kind="guidance", title="Risks of buying", items=items))


def _guidance_for_component(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    act = ctx.plan.act
    key = _risk_key(ctx) if act == "risks" else act
    if act == "risks" and (ctx.reading.both_sides or key == "risks-both") and ctx.decision.component:
        return _risks_both(ctx, cites)
    titles = {"risks-build": "Risks of building", "risks-buy": "Risks of buying", "cost": "What building really costs",
              "evaluate": "How to evaluate vendors", "implement": "Rolling it out", "general": "Guidance"}
    section = _guidance_section(ctx, cites, key, titles.get(key, "Guidance"))
    comp = ctx.decision.component
    first = section.items[0] if section and section.items else ""
    if not comp:
        rest = Section(kind="guidance", title=section.title, items=section.items[1:]) if section and \
            len(section.items) > 1 else None
        return first or "I have no guidance on that in the knowledge base.", _keep(rest)
    named = [o for o in comp.buy if o.doc in ctx.reading.vendors and o.doc not in ctx.state.rejected]
    vendor_section = {"risks-buy": "lock-in", "switch": "lock-in", "cost": "pricing"}.get(key)
    specific = [x for o in named[:2] for x in cites.sentence_from(cites.section(o.doc, vendor_section))] \
        if vendor_section else []
    words = set(ctx.reading.normalized.replace("?", " ").split())
    d = ctx.decision
    weighs_build = bool(words & (_BUILD_WORDS | {"ourself", "hardware"})) or ctx.reading.self_hosting or (
        d.part is not None and d.part.verdict != "buy")
    if specific and key == "cost" and weighs_build:
        # A cost question that weighs building ("buy our own GPUs or keep renting from AWS?", "run Llama ourself:
        # really cheaper?"): the call and its reason lead; the cost of the built side that comparisons leave out
        # (the row's own words) and what the named products charge are the first things to weigh.
        forgotten = [x for x in _own(ctx, cites, "risks") if x.startswith("The main risk of")
                     and not re.match(r"The main risk of (?:buying|a bought|bought|using a hosted)", x)][:1]
        section = Section(kind="guidance", title=section.title if section else "What building really costs",
                          items=[*forgotten, *specific[:2], *(section.items if section else [])][:4])
        reason = _reason(ctx, cites)
        opens = reason.split(" ", 1)[0].lower() in ("buy", "build", "rent", "write")
        lead = reason if opens else f"{_cap(_verdict_clause(ctx))}. {reason}"
        return lead, _keep(section, _migration(ctx, cites))
    if specific:
        # The asker named the products: what their notes say about lock-in or pricing comes first.
        lead = " ".join(specific[:2])
        rest_items = ([first] if first else []) + (section.items[1:] if section else [])
        return lead, _keep(Section(kind="guidance", title=section.title if section else "Guidance",
                                   items=rest_items[:3]) if rest_items else None,
                           _migration(ctx, cites) if key != "switch" else None)
    if key == "risks-buy":
        # How much buying risks depends on the component: its cost of reversing comes first.
        how = {"low": "small", "medium": "real but manageable", "high": "serious"}[comp.migration_cost]
        lead = (f"For {_subject(ctx)} the lock-in risk of buying is {how}: {comp.migration[:1].lower()}"
                f"{comp.migration[1:]}" + cites.support(comp.migration, comp.note, "migration"))
        own = _own(ctx, cites, "risks", "buy", limit=3, unlike=lead)
        if own:
            # What this component's note says about buying it comes before the general words on vendors.
            section = Section(kind="guidance", title="Risks of buying",
                              items=[*own, *(section.items[:1] if section else [])])
        return lead, _keep(section)
    if not first:
        return _lead_verdict(ctx, cites), _keep(_options(ctx, cites, 3) if key == "evaluate" and comp.buy else None)
    # A build verdict for one part of a row that is bought as a whole (the routing policy of a bought gateway) rolls
    # out with the row: "how do we move the 15 teams over?" after "which part is ours?" is the gateway's rollout.
    bought_row = ctx.decision.part is not None and comp.verdict != "build"
    if key == "implement" and (ctx.decision.verdict != "build" or bought_row) and \
            (steps := _own(ctx, cites, "rolling it out")):
        # The component's own rollout: where to start, how to run it beside the old path, and the measures that
        # show it worked; then the part that stays theirs to build.
        if set(tokenize(ctx.question)) & _MEASURE_WORDS:
            # "How will we know it worked?" asks for the measures first; a note's rollout ends with them.
            steps = [steps[-1], *steps[:-1]]
        # The lead says what is rolled out (the product they named, or the call for their situation), then the first
        # step or the measures asked for. A component's rollout is written for the bought route: a build verdict
        # takes the general guidance below instead.
        prev = ctx.previous
        if named:
            lead = f"Roll {named[0].name} out small and measure it: {_lower_first(ctx, steps[0])}"
        elif prev and prev.component is ctx.decision.component and prev.verdict == ctx.decision.verdict:
            # Asked after the call was given ("ok we'll buy. how do we roll it out?"): the steps, not the call again.
            lead = " ".join(steps[:2])
            steps = steps[1:]
        elif ctx.decision.verdict in ("buy", "hybrid"):
            lead = f"{_cap(_verdict_clause(ctx))}, and roll it out in small steps. {steps[0]}"
        else:
            lead = f"Whichever way you go, roll it out in small steps. {steps[0]}"
        rest = Section(kind="guidance", title="Rolling it out", items=steps[1:]) if len(steps) > 1 else None
        return lead, _keep(rest, _build(ctx, cites))
    if key == "implement":
        # How to roll it out and how to tell it worked (the KPIs), for the product they named when they named one;
        # then what is being rolled out, and the part that stays theirs to build.
        passage = cites.section("implementing-the-decision", "kpis")
        kpis = [x for x in sentences(passage.doc.page_content) if usable(x) and "include" in x] if passage else []
        if not kpis:
            return f"{first} For {_subject(ctx)}, {_verdict_clause(ctx)}.", _keep(section)
        kpi = f"{kpis[0]} [{cites.cite(passage, kpis[0])}]"
        name = named[0].name if named else _subject(ctx)
        rest = Section(kind="guidance", title=section.title, items=[x for x in section.items if x != kpi])
        return (f"Roll {name} out small and measure it: {_lower_first(ctx, kpi)} For {_subject(ctx)}, "
                f"{_verdict_clause(ctx)}."), _keep(rest if rest.items else None, _build(ctx, cites))
    # The general risk or cost comes first; what it means for this component (its own rule, part or summary,
    # cited) right after, so the answer is about their component, not ML infrastructure at large. How to
    # evaluate vendors asks no verdict: the heading carries it, the lead does not repeat it.
    subject = _subject(ctx)
    if key in ("risks-build", "cost"):
        # Then what it means for their component: the verdict and the reason that decides it, cited.
        reason = _reason(ctx, cites)
        words = set(re.findall(r"[a-z]+", reason.lower()))
        if reason.split(" ", 1)[0].lower() in ("buy", "build", "rent", "write") and (
                ctx.decision.verdict != "hybrid" or {"buy", "build"} <= words):
            lead = f"{first} {reason}"  # the reason already opens with the verdict
        else:
            lead = f"{first} {_cap(_verdict_clause(ctx))}. {reason}"
        own = _own(ctx, cites, "risks", "build", limit=3) if key == "risks-build" else []
        if own:
            # What building this component risks, from its own note, leads; the general words on building follow.
            lead = f"{own[0]} {lead[len(first):].strip()}"
            section = Section(kind="guidance", title=section.title, items=[first, *own[1:3]])
    elif key == "evaluate":
        lead = f"When you compare {re.sub(r'^(?:an?|the) ', '', subject)} vendors, {_lower_first(ctx, first)}"
    else:
        lead = first
    rest = Section(kind="guidance", title=section.title, items=section.items[1:]) if section and \
        len(section.items) > 1 else None
    extra = _migration(ctx, cites) if key in ("cost", "evaluate") else None
    return lead, _keep(rest, extra, _options(ctx, cites, 3) if key == "evaluate" and comp.buy else None)


def _vendor(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    from .vendors import comparison

    return comparison(ctx, cites, _situation(ctx))


def _guidance(ctx: Context, cites: Citations, note: str) -> tuple[str, list[Section]]:
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
    return lines[0], _keep(Section(kind="guidance", title=title, items=lines[1:]) if len(lines) > 1 else None)


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
    return lead, _keep(Section(kind="guidance", title="The four questions", items=items))


def _article(name: str) -> str:
    """'a vector database', 'an LLM gateway', 'an ML platform' ('this infrastructure' stays as it is)."""
    if name.startswith(("this ", "the ")):
        return name
    first = name.split()[0]
    vowel_sound = first[0].lower() in "aeio" or (first.isupper() and first[0] in "AEFHILMNORSX")
    return ("an " if vowel_sound else "a ") + name


def _other(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    d = ctx.decision
    name = d.other_component
    if d.deciding:
        word = {"buy": "Buy", "build": "Build"}.get(d.verdict, VERDICT_WORD[d.verdict])
        advice = d.deciding.advice
        lead = f"{word}: {advice[:1].lower()}{advice[1:]}" + cites.support(advice, d.deciding.note)
        return lead, _keep(_guidance_section(ctx, cites, "risks-build", "Why building for its own sake is risky")
                           if d.verdict == "buy" else None)
    lines, lean = applied_questions(ctx, cites, name)
    # No internal words ("matrix", "row"): the asker hears that no settled verdict exists, then the applied lean.
    lead = (f"It depends: there is no settled verdict for {_article(name)}, but applied to what you told us the "
            f"four questions lean towards {lean}.")
    return lead, [applied_section(lines)]


def _noted(ctx: Context) -> str:
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
        listed = ", ".join(tools[:-1]) + " and " + tools[-1] if len(tools) > 1 else tools[0]
        bits.append(f"{'Also noted' if bits else 'Noted'}: {listed}.")
    ask = "Which piece of ML infrastructure are you deciding on?"
    return " ".join(bits + [ask]) if bits else f"Noted. {ask}"


def _across(ctx: Context, cites: Citations) -> tuple[str, list[Section]]:
    cond = (ctx.plan.added or ctx.plan.removed)[0]
    lines = []
    for comp in ctx.matrix.components:
        rule = comp.rule_for(cond)
        if rule:
            lines.append(f"**{comp.name}: {VERDICT_WORD[rule.verdict]}.** {rule.advice}"
                         + cites.support(rule.advice, rule.note))
    lead = (f"It depends on the component: {ctx.labels.get(cond, cond)} moves some verdicts and not others. "
            "Tell me which component you are deciding on and I will apply it with everything else you said.")
    return lead, _keep(Section(kind="guidance", title="By component", items=lines) if lines else None)


# -- follow-ups ----------------------------------------------------------------------------------
def _turn_change(ctx: Context) -> TurnChange | None:
    prev, d, plan = ctx.previous, ctx.decision, ctx.plan
    if not plan.previous.turns or not (plan.added or plan.removed):
        return None
    return TurnChange(previous_verdict=prev.verdict if prev else None, verdict=d.verdict,
                      added=plan.added, removed=plan.removed)


def _change_sentence(ctx: Context) -> str:
    prev, d, plan = ctx.previous, ctx.decision, ctx.plan
    if not prev or prev.component is not d.component or prev.part is not d.part:
        return ""
    said = ctx.reading.said
    # What they told us, in their words ("you spend $80k a month on rented A100s"), else the condition's name.
    # A supposition echoed as a reason reads without its "what if" ("since you go to 2,000 requests/second").
    told = [HYPOTHETICAL.sub("", yours(said[c])).strip(" .,;:?") for c in plan.added if c in said and len(said[c]) <= 140]
    short = {c: ctx.labels.get(c, c).split(" (")[0] for c in (*plan.added, *plan.removed)}
    labels = [*(short[c] for c in plan.added if c not in said or len(said[c]) > 140),
              # What their own words already say ("you go to ~2,000 requests/second") needs no label for what
              # it ended (a small need).
              *(f"no longer {short[c]}" for c in plan.removed if not told)]
    because = " and ".join(dict.fromkeys(told))
    what = "; ".join(labels)
    hypo = _hypothetical(ctx, plan.supposed) if plan.act == "what-if" and plan.supposed else ""
    if hypo:
        # "what if we were regulated?" is answered as a hypothetical, in their words.
        judged = _plan_judged(ctx)
        return (f"{judged} " if judged else "") + (
            f"If {hypo}, that would move the verdict from {VERDICT_WORD[prev.verdict]} to "
            f"{VERDICT_WORD[d.verdict]}." if prev.verdict != d.verdict else
            f"If {hypo}, it would still be {VERDICT_WORD[d.verdict]}.")
    if prev.verdict != d.verdict:
        head = f"That moves the verdict from {VERDICT_WORD[prev.verdict]} to {VERDICT_WORD[d.verdict]}"
        return f"{head}, since {because}{f' ({what})' if what else ''}." if because else f"{head} ({what})."
    still = f"That does not change it: still {VERDICT_WORD[d.verdict]}"
    return f"{still}, even though {because}{f' ({what})' if what else ''}." if because else f"{still} ({what})."
