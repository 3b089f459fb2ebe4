"""How an answer says things: the asker's facts as phrases, the verdict as a clause, the lead of a decision."""

from __future__ import annotations

import re

from ..compose import Citations, Context, sentences, yours
from ..understanding import HYPOTHETICAL

# Quantity kinds that show the asker's situation for a condition ("3 requests per minute").
FACT_KINDS = {"scale": ("traffic_rps", "latency_missed_ms", "models", "gpus", "latency_ms", "items_per_day", "tokens_per_day",
                        "jobs_per_day", "items_backlog", "stored_vectors", "corpus_docs"),
              "simple": ("models", "traffic_rps", "items_per_day", "tokens_per_day"),
              "early-stage": ("engineers", "headcount")}


# Quantity kinds that show the asker's numbers rule a condition out ("three model providers": past the simple case).
UNLIKE_KINDS = {"simple": ("providers", "traffic_rps", "models", "items_per_day", "tokens_per_day", "teams"),
                "scale": ("traffic_rps", "models", "items_per_day", "tokens_per_day"),
                "early-stage": ("teams", "engineers", "headcount")}


BUY_WORDS = {"buy", "buying", "bought", "vendor", "vendors", "managed", "saas", "purchase", "purchasing", "paying",
              "rely", "relying", "depend", "depending", "dependence", "adopt", "adopting", "subscription"}


BUILD_WORDS = {"build", "building", "write", "writing", "own", "homegrown", "in-house", "inhouse", "ourselves", "diy",
                "roll", "custom"}


def fact_phrase(ctx: Context, kind: str) -> str:
    """A number the asker gave, as a phrase ("we are 5 people" -> "5 people")."""
    said = re.sub(r"^(?:you|we) (?:are|'re)\s+|^(?:you|we)'re\s+", "", yours(ctx.state.facts[kind]), flags=re.IGNORECASE)
    # A fact that opened the asker's sentence ("Five product teams ...") continues ours in lower case.
    return said[:1].lower() + said[1:] if re.match(r"[A-Z][a-z]+\b", said) else said


def condition_phrase(ctx: Context, cond: str) -> str:
    """How the lead names one of the asker's conditions, with their own numbers when they gave some."""
    kinds = FACT_KINDS.get(cond, ())
    if cond == "early-stage" and "engineers" in ctx.state.facts:
        kinds = ("engineers",)  # the small team is the fact; the company around it ("400 employees") is not
    # A number told in this turn ("it's ~300M vectors now") is the one that moved the call: it is named first.
    now = {q.kind for q in ctx.reading.quantities}
    kinds = sorted(kinds, key=lambda k: k not in now)
    # "we are 5 people" is echoed as "5 people": the lead says "with 5 people", never "with you are 5 people".
    facts = [fact_phrase(ctx, k) for k in kinds if k in ctx.state.facts]
    if facts:
        return with_facts(facts)
    if cond == "regulated" and "regime" in ctx.state.facts:
        return f"under {ctx.state.facts['regime']}"  # the regime they named, not a generic "your rules"
    if cond == "early-stage" and ctx.reading.managed_cue:
        # "No ops people" is what they said: echo that rather than calling them an early-stage company.
        return "with nobody to run infrastructure"
    c = next((c for c in ctx.taxonomy.conditions if c.id == cond), None) if ctx.taxonomy else None
    if c and c.phrase_general and cond == "regulated" and "data-location" not in ctx.state.facts:
        return c.phrase_general  # a bank under model-risk rules said nothing about where its data lives
    if c and c.phrase_general and cond == "early-stage" and ctx.young is not None and not any(
            ctx.young.search(q) for q in (ctx.question, *(h[0] for h in ctx.history))):
        return c.phrase_general  # "a small data science team inside a big pharma company" is no young company
    return c.phrase if c and c.phrase else ctx.labels.get(cond, cond)


def listed(items: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def with_facts(facts: list[str]) -> str:
    """The asker's facts as a phrase: who they are "as a 6-person startup", what they have "with 3 models"."""
    # "6-person startup", "team of 4" are singular noun phrases: "with a team of 4", but "with 3 models".
    singular = r"\d[\d,.]*\s*-?\s*(?:person|member|man|strong|employee)\s+\w|\d[\d,.]*-\w+\s+\w|" \
               r"(?:team|company|startup|group|org)\b"
    # Who they are ("a 6-person startup", "a 40-person research lab") reads "as a ...", what they have "with".
    who = r"\d[\d,.]*\s*-?\s*(?:person|people|member|man|strong|employee)\s+(?:[a-z-]+\s+)?" \
          r"(?:startup|company|team|lab|firm|shop|business|org|organi[sz]ation|group|agency|studio)\b|" \
          r"\d[\d,.]*-(?:person|member|strong|employee)\s+[a-z-]+$"  # "a 12-person fintech"
    if len(facts) == 1 and re.match(who, facts[0], re.IGNORECASE):
        return f"as a {facts[0]}"
    return "with " + " and ".join(("a " + f) if re.match(singular, f, re.IGNORECASE) else f for f in facts[:2])


def situation_phrase(ctx: Context, only: list[str] | None = None) -> str:
    conds = only if only is not None else ctx.decision.conditions
    phrases = [condition_phrase(ctx, c) for c in conds[:2]]
    if len(phrases) == 2 and all(p.startswith("with ") for p in phrases):
        # "with 4k rps and 3 models" + "with 6 engineers" reads "with 4k rps, 3 models and 6 engineers".
        items = [*phrases[0][5:].split(" and "), phrases[1][5:]]
        return "with " + listed(items)
    return " and ".join(phrases)


def unlike_phrase(ctx: Context) -> str:
    """With no condition of theirs in play, the number they gave that rules out the case which would have changed
    the call ("with three model providers (past the simple case)"); '' when none does."""
    d = ctx.decision
    rules = {r.condition: r.verdict for r in (d.part.conditions if d.part else d.component.conditions)}
    for cond in ctx.state.negated:
        un = next((c.unlike for c in ctx.taxonomy.conditions if c.id == cond), "") if ctx.taxonomy else ""
        facts = [fact_phrase(ctx, k) for k in UNLIKE_KINDS.get(cond, ()) if k in ctx.state.facts]
        if un and facts and rules.get(cond, d.verdict) != d.verdict:
            return f"{with_facts(facts[:1])} ({un})"
    return ""


def subject_of(ctx: Context) -> str:
    d = ctx.decision
    if d.part:
        return d.part.label
    return d.component.noun or d.component.name.lower()


def verdict_clause(ctx: Context) -> str:
    d, comp = ctx.decision, ctx.decision.component
    subject = subject_of(ctx)
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
    return f"it depends on {depends_on(ctx)}"


def depends_on(ctx: Context) -> str:
    """What a `depends` verdict turns on: the deciding rule's, else the part's, else the row's (from the matrix)."""
    d = ctx.decision
    for item in (d.deciding, d.part, d.component):
        if item is not None and getattr(item, "verdict", None) == "depends" and getattr(item, "depends_on", None):
            return item.depends_on
    return "requirements no managed option may meet"


def lower_first(ctx: Context, s: str) -> str:
    """A sentence continued after a comma: its first word in lower case, unless a name or acronym ("MLflow")."""
    first = s.split(" ", 1)[0].rstrip(",.:;")
    names = ctx.matrix.option_names if ctx.matrix else frozenset()
    if first in names or first[1:] != first[1:].lower() or (len(first) > 1 and first.isupper()):
        return s
    return s[:1].lower() + s[1:]


def cap(s: str, names: set[str] = frozenset()) -> str:
    # Product names keep their own spelling at the start of a sentence ("pgvector", "vLLM", "promptfoo").
    first = s.split(" ", 1)[0].rstrip(",.:;")
    if first[:1].islower() and (any(c.isupper() for c in first) or first in names):
        return s
    return s[:1].upper() + s[1:]


def two_sentences(text: str) -> str:
    parts = sentences(text)
    return " ".join(parts[:2]) if len(parts) > 2 else text


def reason_sentence(ctx: Context, cites: Citations) -> str:
    """The sentence that says why, cited: the deciding rule, else the part, else the component summary."""
    d, comp = ctx.decision, ctx.decision.component
    if d.deciding:
        advice = d.deciding.advice
        if advice.startswith("Under residency rules, ") and "data-location" not in ctx.state.facts:
            # A sector's regulation with no rule on where data lives ("Solvency II model governance") is not a
            # residency rule: the opener must not tell them of one they never stated.
            advice = "Under the rules you described, " + advice.removeprefix("Under residency rules, ")
        return advice + cites.support(d.deciding.advice, d.deciding.note)
    if d.part:
        return d.part.advice + cites.support(d.part.advice, d.part.note)
    return comp.summary + cites.support(comp.summary, comp.note)


OPENER = re.compile(r"^(?:Under|On|At|With|For|Early|In|Once|When)\b[^,.;:(]{0,40},\s+(?=[a-z])")


def lead_verdict(ctx: Context, cites: Citations) -> str:
    d = ctx.decision
    if d.verdict == "depends" and ctx.plan.act == "verdict" and d.deciding is None:
        from .sections import situation_suffices

        if enough := situation_suffices(ctx, cites):
            # "We score 40,000 applications overnight and staff read the scores next morning: build or buy serving?"
            # when the note says that situation needs no such product yet: that line answers, not "it depends".
            return enough
    lead = _lead_verdict(ctx, cites)
    if d.deciding and d.deciding.condition == "production-evidence" and d.verdict in ("build", "hybrid"):
        # "We benchmarked Tecton, Feast and Hopsworks on our traffic": the products measured are named as the evidence.
        # Products named where they tell what they ran and measured, not the options a question weighs ("Qdrant or
        # Milvus, or write our own index?").
        told = [x for x in re.split(r"(?<=[.!?])\s+", ctx.reading.question) if not x.rstrip().endswith("?")]
        named = [o.name for o in d.component.buy if o.doc in ctx.reading.vendors and any(named_in(o, x) for x in told)]
        if named:
            lead += f" What you measured on {listed(named)} is that evidence."
    return lead


def _lead_verdict(ctx: Context, cites: Citations) -> str:
    situation = situation_phrase(ctx) or unlike_phrase(ctx)
    reason = reason_sentence(ctx, cites)
    if situation and ctx.decision.deciding:
        # The rule's own opener ("Under residency rules, ...") restates the situation the lead already named.
        stripped = OPENER.sub("", reason)
        names = ctx.matrix.option_names if ctx.matrix else frozenset()
        reason = cap(stripped, names) if stripped != reason else reason
    words = set(re.findall(r"[a-z]+", reason.lower()))
    if reason.split(" ", 1)[0].lower() in ("buy", "build", "rent", "write") and (
            ctx.decision.verdict != "hybrid" or {"buy", "build"} <= words):
        # A hybrid call needs both halves said: "rent GPUs ..." alone would not say what is theirs to build.
        # The reason already opens with the verdict ("Buy the orchestration: ..."): say it once.
        return f"{cap(situation)}, {reason[:1].lower()}{reason[1:]}" if situation else reason
    clause = verdict_clause(ctx)
    core = clause.split(": ", 1)[-1]
    if len(core) > 20 and core.lower() in reason.lower():
        # The reason says the verdict in full ("For training infrastructure, buy the GPU compute and build the
        # training code: ..."): the clause before it would say it twice.
        return f"{cap(situation)}: {lower_first(ctx, reason)}" if situation else reason
    first = f"{cap(situation)}, {clause}." if situation else f"{cap(clause)}."
    return f"{first} {reason}"


_WORD = re.compile(r"[a-z0-9]+(?:[-'][a-z0-9]+)*")


def words_of(text: str) -> set[str]:
    """The words of a (normalised) text, without the punctuation around them ("build," is "build")."""
    return set(_WORD.findall(text.lower()))


def move_answer(ctx: Context) -> str:
    """"Yes" or "No" to a move between building and buying they ask whether to make ("should we move serving to a
    managed platform?" when it is what they sell: "No"); '' when none is asked, the move is between two products, or
    the call is split."""
    d, r = ctx.decision, ctx.reading
    if not r.asks_move or r.how_to_move or d.verdict not in ("buy", "build") or d.component is None or \
            sum(o.doc in r.vendors for o in d.component.buy) >= 2:
        return ""
    if not r.destination and sum(o.doc in ctx.plan.state.vendors for o in d.component.buy) >= 2:
        # "So honestly, is the move worth it?" after "move from SageMaker to Vertex AI?": the move told earlier is
        # between two products, which no build-or-buy yes or no answers.
        return ""
    sentence = next((s for s in re.split(r"(?<=[.?!])\s+", r.normalized) if r.destination and r.destination.strip() in s), "")
    if sentence and _ALTERNATIVES.search(sentence[sentence.find(r.destination.strip()) + len(r.destination.strip()):]):
        return ""  # "move scoring to a managed service, or keep it in-process?" is answered by the call, not yes or no
    # Where they would move to says which way the move goes ("to a managed serving thing"); else the words around it.
    toward = side_named(r.destination) if r.destination else None
    toward_build = toward == "build" if toward else bool(words_of(r.normalized) & BUILD_WORDS) and not r.leaving_build
    return "Yes" if toward_build == (d.verdict == "build") else "No"


def risk_ask(norm: str) -> str:
    """The words that ask about risks ("what are the risks of buying a monitoring tool"), up to a second ask joined by
    "and" ("..., and what would we still have to build?"); the whole text when no asking sentence names risks."""
    sentences = re.split(r"(?<=[.?!])\s+", norm)
    at = next((i for i, x in enumerate(sentences) if re.search(r"\b(?:risks?|risky)\b", x)
               and x.rstrip().endswith("?")), None)
    if at is None:
        return norm
    asked = sentences[at]
    pieces = re.split(r",?\s+\band\b(?! the risks?)(?=[^?]*\b(?:what|which|how|who|where|when|should|do|does|can)\b)",
                      asked)
    piece = next(p for p in pieces if re.search(r"\b(?:risks?|risky)\b", p)) if len(pieces) > 1 else asked
    if at and not words_of(piece) & (BUY_WORDS | BUILD_WORDS) and \
            re.search(r"\b(?:of|in|with|from) (?:doing )?(?:that|this|it|so|such a (?:plan|route|move))\b", piece):
        # "Say we build the harness ourselves. What are the main risks of doing that?": the sentence before says what.
        return f"{sentences[at - 1]} {piece}"
    return piece


def side_named(text: str) -> str | None:
    """"build" or "buy" when the text speaks of one side only (its words), else None."""
    words = words_of(text)
    if words & BUILD_WORDS and not words & BUY_WORDS:
        return "build"
    return "buy" if words & BUY_WORDS and not words & BUILD_WORDS else None


_ALTERNATIVES = re.compile(r"\b(?:or|vs\.?|versus)\b(?! (?:are|am|is|do|does|did|would|should|not|no)\b)")


def plan_judged(ctx: Context) -> str:
    """"Yes." or "No." to a plan the asker asks us to judge ("build it all in-house. Good idea?"); '' otherwise."""
    d = ctx.decision
    if not ctx.reading.proposal or d.verdict not in ("buy", "build", "hybrid"):
        return ""
    plan = side_named(ctx.reading.normalized)
    if plan is None or _ALTERNATIVES.search(ctx.reading.normalized):
        # "Do we buy a feature store, adopt Feast, or just clean up what we have? Sanity check." weighs several
        # routes: no one plan is put to us to approve.
        return ""
    if d.verdict == "hybrid":
        return "Partly."
    if ctx.reading.faults_plan and re.search(r"\boverkill\b", ctx.reading.normalized) and d.deciding and \
            d.deciding.condition in ("simple", "early-stage") and d.deciding.verdict != d.component.verdict:
        # "new CTO wants Portkey in front of it: overkill, or do we write a small wrapper?" from one app on one
        # provider: the rule for their size departs from the row, so the product proposed is more than they need.
        return "Probably overkill for now."
    if ctx.reading.faults_plan:
        # "Bad idea?" asks the plan's fault: a bare "No." would read as "not a bad idea" before the body says the
        # opposite, so the yes or no is said with what it means.
        return "No, it is the right call." if d.verdict == plan else \
            f"Yes: don't {'build it yourselves' if plan == 'build' else 'buy it'}."
    return "Yes." if d.verdict == plan else "No."


def hypothetical_words(ctx: Context, conds: list[str]) -> str:
    """The hypothetical in the asker's words, addressed to them ("you got acquired by a bank"); '' if not said."""
    said = ctx.reading.said
    out = []
    for c in conds:
        text = said.get(c, "")
        if not HYPOTHETICAL.match(text) or len(text) > 120:
            return ""
        out.append(yours(HYPOTHETICAL.sub("", text)).strip(" ?.,;:"))
    return " and ".join(dict.fromkeys(out))


def named_in(option, text: str) -> bool:
    """Whether `text` names `option` (its name or an alias, as a whole word)."""
    return any(re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE) for n in (option.name, *option.aliases))
