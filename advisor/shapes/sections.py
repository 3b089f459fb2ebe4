"""Sections several answer shapes share: the asker's tools, reasons, options, what to build, what would change it."""

from __future__ import annotations

import re

from ..compose import Citations, Context, sentences, usable
from ..decision import Change
from ..hosting import quote
from ..lexicon import normalize
from ..models import Section
from ..render import VERDICT_WORD
from ..retrieval import tokenize
from ..vendors import only_as_option
from .phrasing import BUY_WORDS, cap, condition_phrase, listed

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
    "duration": [("evaluating-vendors", "how long a trial runs")],
    "implement": [("implementing-the-decision", "start small"), ("implementing-the-decision", "kpis"),
                  ("implementing-the-decision", "cross-functional")],
}


ALONGSIDE = "Alongside what you already run"


ATTESTED = ("evaluating-vendors", "Attestations such as SOC 2")


def attested(ctx: Context, cites: Citations, limit: int = 2) -> Section | None:
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


_OPTION = re.compile(r"\b(?:or|vs\.?|versus|move to|moving to|switch to|migrate to|build (?:it |ours |our own )?on|"
                     r"instead of|rather than|looked at|looking at|considering|evaluating|weighing|just put"
                     r")\s+(?:[\w/&:+.-]+\s+){0,4}$", re.IGNORECASE)


_BOUGHT = re.compile(r"\b(?:bought|buy|buying|purchased?)\b", re.IGNORECASE)
_HOSTED = re.compile(r"\b(?:managed|hosted|cloud's|saas)\b", re.IGNORECASE)


_CONTENT = re.compile(r"[a-z][a-z0-9'-]{3,}")


def _mostly_said(sentence: str, said: str) -> bool:
    """Whether the answer already says the sentence, in full or most of its words ("the purchase is behind you:
    run the jobs they can carry on them" in the lead makes the situation line that says it again filler)."""
    if sentence in said:
        return True
    words = set(_CONTENT.findall(sentence.lower()))
    return bool(words) and len(words & set(_CONTENT.findall(said.lower()))) >= 0.6 * len(words)


def situations_section(ctx: Context, cites: Citations, said: str = "") -> Section | None:
    """What the component's note says about situations the asker told of ("fraud labels arrive 30-60 days late"),
    cited; none already said in `said`."""
    # Under residency rules a line that recommends a managed or hosted service would contradict the call.
    bound = "regulated" in ctx.decision.conditions
    items = [f"{s.sentence} [{cites.cite(s.passage, s.sentence)}]" for s in ctx.evidence.situations
             if not _mostly_said(s.sentence, said) and not (bound and _HOSTED.search(s.sentence))]
    return Section(kind="facts", title="What your situation changes", items=items) if items else None


def situation_suffices(ctx: Context, cites: Citations) -> str:
    """The note's sentence, cited, on a situation the asker told of in which a simpler setup does the job ("When
    models only score in nightly batch jobs ..., a warehouse feature table ... usually covers the need"); ''."""
    for s in ctx.evidence.situations if ctx.suffices is not None else []:
        if ctx.suffices.search(s.sentence):
            return f"{s.sentence} [{cites.cite(s.passage, s.sentence)}]"
    return ""


def _in_place(ctx: Context, tools: list[str]) -> tuple[list[str], dict[str, re.Pattern]]:
    """The tools named at least once other than as an option they weigh ("Slurm, Run:ai, or build on Kubernetes?",
    "fix our MLflow (move to RDS + S3)?" name no tool in place), with the pattern that finds each."""
    # "PostgreSQL" and "JupyterHub" are the Postgres and Jupyter they run: the name may run on into a longer word.
    rx = {t: re.compile(rf"\b{re.escape(t.rstrip('s'))}s?(?:ql|hub|lab|tab)?\b", re.IGNORECASE) for t in tools}
    said = " ".join([*(h for h, _ in ctx.history), ctx.question])
    return [t for t in tools if any(not _OPTION.search(said[max(0, m.start() - 30):m.start()])
                                    for m in rx[t].finditer(said))], rx


def _claims_more(ctx: Context, opening: str, theirs: set[str]) -> bool:
    """Whether a note's opening clause also sets a tool they never named as its premise ("Teams that already schedule
    work with Airflow and write SQL models in dbt", said to a dbt team without Airflow); tools it offers as
    alternatives ("Where Snowflake or BigQuery holds ...") set no premise."""
    if ctx.stack_of is None or re.search(r"\bor\b", opening):
        return False
    return any(t not in theirs for t in ctx.stack_of(normalize(opening)))


def alongside(ctx: Context, cites: Citations, limit: int = 2) -> Section | None:
    """The component note's sentences about tools the asker named ("we already run Prometheus and Grafana"), cited.

    Tools named this turn, or earlier when this is the first answer about this component (facts told first)."""
    comp = ctx.decision.component
    prev = ctx.plan.previous
    tools = list(ctx.reading.stack)
    if comp and prev.component != comp.slug:
        tools = list(dict.fromkeys([*ctx.state.stack, *tools]))
    tools, rx = _in_place(ctx, tools)
    # "Options: Slurm, Kubernetes + Kueue, or Run:ai" names Kubernetes as a choice, not as what they run.
    tools = [t for t in tools if not only_as_option(t, ctx.reading.normalized) and not ctx.falls_short(rx[t])]
    passages = cites.sections(comp.note, ALONGSIDE) if comp and tools else []
    everything = {*ctx.state.stack, *ctx.reading.stack}
    picked, named = [], []
    for passage, s in ((p, x) for p in passages for x in sentences(p.doc.page_content) if usable(x)):
        # A note's sentence is about the tool its opening clause names ("Where events already flow through Kafka,
        # ... a Spark or Flink job" is about Kafka, not Flink).
        hit = [t for t in tools if rx[t].search(s.split(",")[0])]
        if ctx.decision.verdict == "build" and _BOUGHT.search(s):
            continue  # a line about what a bought product adds beside their tool contradicts a call to build
        if hit and _claims_more(ctx, s.split(",")[0], everything):
            continue  # "Teams that schedule with Airflow and write dbt models" is about a stack they do not run
        if hit and any(t not in named for t in hit):
            picked.append((passage, s))
            named += [t for t in hit if t not in named]
        if len(picked) == limit:
            break
    if not picked:
        return None
    shown = [t for t in tools if t in named]
    title = "Alongside " + listed(shown)
    return Section(kind="facts", title=title, items=[f"{s} [{cites.cite(p, s)}]" for p, s in picked])


def stack_covers(ctx: Context, cites: Citations) -> tuple[str, str] | None:
    """A tool the asker already runs that the component's note says may do the job itself ("so a separate vector
    database is often unnecessary"), with that cited sentence; None when there is none."""
    comp = ctx.decision.component
    if comp is None or ctx.covers_need is None:
        return None
    # Run today, not only weighed ("turn on k-NN in OpenSearch, or ...?" counts when the same post says "we already
    # run a 12-node OpenSearch cluster").
    tools, rx = _in_place(ctx, list(dict.fromkeys([*ctx.state.stack, *ctx.reading.stack])))
    # "Today it's pgvector inside our main Postgres, and index builds are starting to hurt the app": a tool they say
    # falls short under their load is what they are leaving, not the answer.
    tools = [t for t in tools if not ctx.falls_short(rx[t])]
    for passage in cites.sections(comp.note, ALONGSIDE) if tools else []:
        for x in sentences(passage.doc.page_content):
            hit = next((t for t in tools if rx[t].search(x.split(",")[0])), None)
            if hit and usable(x) and ctx.covers_need.search(x):
                return hit, f"{x} [{cites.cite(passage, x)}]"
    return None


def estimate_sentence(ctx: Context, cites: Citations) -> str:
    """What a build estimate they report ("two weeks, done") leaves out, in the row's own words on the risk of
    building it (else the general one), cited; '' when no estimate was told or the call is to build."""
    said = ctx.reading.estimate
    if not said or ctx.decision.verdict == "build" or ctx.decision.component is None:
        return ""
    # The note's main risk of building, not a line on self-hosting the bought side under a rule.
    passage = cites.section(ctx.decision.component.note, "risks")
    main = next((x for x in sentences(passage.doc.page_content) if re.search(r"\bmain risk of (?:building|writing)\b", x,
                                                                              re.IGNORECASE)), None) if passage else None
    risk = [f"{main} [{cites.cite(passage, main)}]"] if main else own_sentences(ctx, cites, "risks", "build", limit=1) or cites.sentence_from(
        cites.section("four-questions", "Question 2"))
    if not risk:
        return ""
    return f"{said[:1].upper()}{said[1:]} is an estimate for the first version, not for running it: " \
        f"{risk[0][:1].lower()}{risk[0][1:]}"


def estimate_section(ctx: Context, cites: Citations, lead: str) -> Section | None:
    """The estimate they reported, weighed, unless the lead already does."""
    line = estimate_sentence(ctx, cites)
    return Section(kind="facts", title=f"The estimate of {ctx.reading.estimate}", items=[line]) \
        if line and line not in lead else None


def plausible(ctx: Context) -> list[Change]:
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


def changes_section(ctx: Context, cites: Citations) -> Section | None:
    when = {c.id: c.when for c in ctx.taxonomy.conditions if c.when} if ctx.taxonomy else {}
    lines = [f"*If {when.get(c.condition, c.label)}:* **{VERDICT_WORD[c.verdict]}**. {c.advice}"
             + cites.support(c.advice, c.note) for c in plausible(ctx)]
    return Section(kind="changes", title="What would change this", items=lines) if lines else None


# Note sections that say what to do once decided, not why: never quoted as a reason.
NOT_REASONS = ("what to buy", "rolling it out", "alongside", "situations", "migration cost", "pricing", "hosting",
               "what it is")


def reasons_section(ctx: Context, cites: Citations, exclude: str, n: int = 2) -> Section | None:
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
        if any(h in section for h in NOT_REASONS):
            continue  # which products to buy, how to roll out or move, what runs beside it: no reason for the call
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


def fact_reasons(ctx: Context, cites: Citations) -> Section | None:
    """What each of the asker's other circumstances means here (the deciding one is already in the lead)."""
    d = ctx.decision
    row = d.part or d.component
    items = [law] if (law := privacy_law_only(ctx, cites)) else []
    for cond in d.conditions:
        if d.deciding and cond == d.deciding.condition:
            continue
        rule = next((g for g in ctx.matrix.global_rules if g.condition == cond), None) or row.rule_for(cond, ctx.state.facts)
        if rule and rule.verdict == d.verdict:  # one pointing elsewhere is outranked; quoting it would contradict
            items.append(f"*{cap(condition_phrase(ctx, cond))}:* {rule.advice}" + cites.support(rule.advice, rule.note))
    items += _weighed_facts(ctx, cites)
    return Section(kind="reasons", title="Your other circumstances", items=items) if items else None


_INSIDE = re.compile(r"\b(?:self-host\w*|inside your (?:own )?(?:boundary|network)|run it yourselves)\b", re.IGNORECASE)


def privacy_law_only(ctx: Context, cites: Citations) -> str:
    """When the call to run it inside their boundary rests only on a data-protection law they named ("POPIA applies"),
    with no rule told on where the data must stay: what that law asks, so the asker can check the premise."""
    d, regimes = ctx.decision, ctx.privacy_law_only
    if not (d.deciding and d.deciding.condition == "regulated" and regimes and _INSIDE.search(d.deciding.advice)):
        return ""
    said = f"{listed(regimes)} by itself does not require running it yourselves: if your legal review accepts a " \
           "provider's hosting region, data-processing agreement and subprocessors, a managed service meets it too."
    return f"*{cap(condition_phrase(ctx, 'regulated'))}:* {said}" + cites.support(
        said, "managed-or-self-hosted", "a privacy law is not a rule to self-host")


def _weighed_facts(ctx: Context, cites: Citations) -> list[str]:
    """Facts that state no condition but bear on the call: a date to meet, a vendor's quote for this row."""
    d, facts, out = ctx.decision, ctx.state.facts, []
    from .figures import bill_against_own, multiplied, projection, rent_against_own, untitled

    # Their own numbers, summed over their horizon, say more than any general line on cost.
    summed = rent_against_own(ctx, cites) or bill_against_own(ctx, cites) or (projection(ctx, cites, build_side=True) or ("",))[0] or \
        multiplied(ctx, cites)
    if summed:
        out.append(f"*Your numbers:* {untitled(summed)}")
    if d.verdict == "build":
        return out
    if "deadline" in facts:
        said = "A managed service can often be running within about a week, while a build ties up months of " \
               "senior engineering time, so buying protects the date."
        if "regulated" in d.conditions:
            # Where the data may not leave, no managed service is on the table; what protects the date is starting
            # from existing infrastructure at all.
            said = "Buying existing infrastructure, even one you run inside your own network, sharply reduces " \
                   "development time, while a build ties up months of senior engineering time, so it protects the date."
        out.append(f"*{cap(facts['deadline'])}:* {said}" + cites.support(said, "arguments-for-buying", "speed"))
    quoted = quote(ctx)
    from .figures import engineer_share, is_price_quote

    # Only a price for the bought option weighs against building; a bill they pay, a cloud commitment or their
    # spend on something else ("the LLM bill went to $61k a month", "a $1.2M EDP") is no quote. The quote is set
    # against what it would buy in people, the cost a build never stops paying.
    share = engineer_share(ctx, quoted[1]) if quoted else ""
    if share and not summed and any(o.doc in ctx.plan.vendors for o in d.component.buy) \
            and is_price_quote(ctx, quoted[0]):
        said = f"That is {share}, while a system you build needs maintenance for as long as it runs."
        out.append(f"*{quoted[0]}:* {said}" + cites.support("an in-house system needs continuous maintenance after "
                                                             "launch; a permanent commitment", "risk-of-building"))
    return out


def build_section(ctx: Context, cites: Citations) -> Section | None:
    d = ctx.decision
    comp, part = d.component, d.part
    build = comp.build_part_given(ctx.state.negated)
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


def build_asked(ctx: Context, cites: Citations) -> Section | None:
    """What to build, asked beside a choice: the build part, else the rule for their situation that says it."""
    section = build_section(ctx, cites)
    rule = ctx.decision.deciding
    if section is None and rule is not None and rule.verdict == "hybrid":
        section = Section(kind="build", title="What to build yourselves",
                          text=rule.advice + cites.support(rule.advice, rule.note))
    return section


def migration_section(ctx: Context, cites: Citations) -> Section:
    comp = ctx.decision.component
    return Section(kind="migration", title=f"Cost of changing course later: {comp.migration_cost}",
                   text=comp.migration + cites.support(comp.migration, comp.note, "migration"))


def keep(*sections: Section | None) -> list[Section]:
    return [s for s in sections if s is not None]


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


def guidance_section(ctx: Context, cites: Citations, key: str, title: str, limit: int | None = None,
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


BUY_SIDE = BUY_WORDS | {"leave", "leaving", "lock-in", "hosted", "third", "provider", "exit", "adopted", "rented", "renting"}


BUILD_SIDE = {"build", "building", "built", "homegrown", "in-house", "write", "writing", "assemble", "assembling", "assembled"}
_SELF_HOSTED = re.compile(r"\bself[- ]host(?:ed|ing)?\b|\bin-house\b", re.IGNORECASE)


def _side_of(sentence: str) -> str | None:
    """Which side a note's sentence is about: the first side word it uses ("The main risk of buying hosted X is ...
    unless the tool is self-hosted" is about buying); running it yourselves is the build side too."""
    words = tokenize(sentence)
    buy = next((i for i, w in enumerate(words) if w in BUY_SIDE), None)
    build = next((i for i, w in enumerate(words) if w in BUILD_SIDE), None)
    if (m := _SELF_HOSTED.search(sentence)) is not None:
        at = len(tokenize(sentence[:m.start()]))
        build = at if build is None else min(build, at)
    if buy is None or build is None:
        return "buy" if buy is not None else "build" if build is not None else None
    return "buy" if buy < build else "build"


def own_sentences(ctx: Context, cites: Citations, heading: str, side: str | None = None, limit: int | None = None,
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
        if side is not None and _side_of(s) != side:
            continue
        if unlike and not not_repeating([s], unlike):
            continue
        picked.append(s)
    picked = picked[-1:] if last else picked[:limit]
    return [f"{s} [{cites.cite(passage, s)}]" for s in picked]


def not_repeating(items: list[str], said: str, share: float = 0.4) -> list[str]:
    """Items that do not restate `said` (at most `share` of an item's words also in it)."""
    words = set(tokenize(said))
    return [x for x in items if len(set(tokenize(x)) & words) <= share * len(set(tokenize(x)))]


_ALERTING = re.compile(r"\b(?:alert\w*|drift|early warning\w*|thresholds?)\b", re.IGNORECASE)


_NOISE_ASK = re.compile(r"\b(?:mut(?:e|es|ed|ing)|ignor\w*|fatigue|noise|noisy|too many alerts|spam\w*|tune[sd]? out)\b")
_NOISE_LINE = re.compile(r"\b(?:so often|stopped reading|ignored|nobody trusts|acted on|retune\w*)\b")


def alerts_section(ctx: Context, cites: Citations, limit: int = 2) -> Section | None:
    """"What should we alert on?" beside the call: the component note's lines on alerting and drift, those that share
    the most words with what the asker told first (labels that arrive late, dozens of models), cited."""
    comp = ctx.decision.component
    if comp is None:
        return None
    asked = set(tokenize(ctx.question))
    found = []
    for heading in ("situations", "rolling it out"):
        for passage in cites.sections(comp.note, heading):
            for s in (x for x in sentences(passage.doc.page_content) if usable(x) and _ALERTING.search(x)):
                # "How do we avoid 200 drift alerts a week that everybody mutes?" asks about alerts as noise: the
                # note's lines on alerts nobody reads come first, whatever words they share with the question.
                noise = 5 if _NOISE_ASK.search(ctx.reading.normalized) and _NOISE_LINE.search(s) else 0
                found.append((len(asked & set(tokenize(s))) + noise, s, passage))
    best = sorted(found, key=lambda t: -t[0])[:limit]
    items = [f"{s} [{cites.cite(p, s)}]" for _, s, p in best]
    return Section(kind="guidance", title="What to alert on", items=items) if items else None
