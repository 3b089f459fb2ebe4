"""Vendor facts from the notes' front matter, and the side-by-side comparison answer ("X or Y?")."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from .errors import ConfigError
from .models import Section, Table

_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)


class VendorFacts(BaseModel):
    """The checkable facts a comparison table shows for one option."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    title: str  # "Weights & Biases (experiment tracking)": the product, then the row it is filed under
    open_source: bool
    self_hostable: bool
    managed: bool
    hosting: str
    pricing: str
    strength: str
    lock_in: Literal["low", "medium", "high"]
    updated: dt.date  # vendor facts age: every note says when they were last checked
    # "maintenance": the project takes only minor fixes; never offered first for a new deployment.
    status: Literal["active", "maintenance"] = "active"
    needs_kubernetes: bool = False  # runs only on a Kubernetes cluster (Kueue, Kubeflow, Seldon Core, Run:ai)

    @property
    def on_kubernetes(self) -> bool:
        """Runs on Kubernetes, whether it needs it or offers it as one way to deploy."""
        return self.needs_kubernetes or "kubernetes" in self.hosting.lower()

    @property
    def product(self) -> str:
        """The product's name alone ("Weights & Biases")."""
        return self.title.partition(" (")[0]

    @property
    def filed_under(self) -> str:
        """The row its note files it under ("experiment tracking"), '' when the title names none."""
        return self.title.partition(" (")[2].rstrip(")")


def load_vendor_facts(knowledge_dir: Path) -> dict[str, VendorFacts]:
    """Front matter of every vendor note; a note missing a field fails naming the file and the field."""
    out: dict[str, VendorFacts] = {}
    for path in sorted((knowledge_dir / "vendors").glob("*.md")):
        m = _FRONT.match(path.read_text(encoding="utf-8"))
        meta = yaml.safe_load(m.group(1)) if m else None
        if not isinstance(meta, dict) or meta.get("kind") != "vendor":
            continue
        try:
            facts = VendorFacts.model_validate(meta)
        except ValidationError as exc:
            err = exc.errors()[0]
            raise ConfigError(f"{path}: front matter field '{'.'.join(map(str, err['loc']))}': {err['msg']}",
                              "every vendor note states open_source, self_hostable, managed, hosting, pricing, "
                              "strength, lock_in and updated (YYYY-MM-DD)") from exc
        out[facts.id] = facts
    return out


def cloud_of(doc: str) -> str | None:
    """Which public cloud a vendor note belongs to (its own services name it in their id)."""
    for prefix, cloud in (("vertex-ai", "gcp"), ("gcp", "gcp"), ("sagemaker", "aws"), ("aws", "aws"), ("amazon", "aws"),
                          ("azure", "azure")):
        if doc.startswith(prefix):
            return cloud
    return None


CLOUD_NAMES = {"aws": "AWS", "gcp": "Google Cloud", "azure": "Azure"}
# Tools of a stack that only one cloud offers: running them says which cloud the asker is on ("all our data is in
# BigQuery" is Google Cloud), as a product of that cloud's own would.
STACK_CLOUDS = {"BigQuery": "gcp", "Redshift": "aws", "DynamoDB": "aws", "S3": "aws", "AWS Lambda": "aws"}


# Where a rule keeps data: a region or country ("must stay in the EU"), or their own network ("on-prem only").
_REGION = re.compile(r"\b(?:eu|e\.u\.|europe|european union|eea|us|usa|u\.s\.|uk|country|in-country|region|regional|"
                     r"germany|france|switzerland|canada|india|indonesia|australia|japan|brazil|singapore|korea|"
                     r"saudi arabia|uae|poland|netherlands|spain|italy|mexico|south africa|philippines|vietnam|"
                     r"malaysia|thailand|china|nigeria|kenya|turkey|israel|norway|sweden|denmark|finland|ireland)\b",
                     re.IGNORECASE)
_BOUNDARY = re.compile(r"\b(?:network|prem\w*|data ?cent\w*|air[- ]?gapped|vpc|boundary|house|servers|infrastructure|"
                       r"account|walls|third[- ]part\w*|saas|public cloud|private cloud|tenant|external|"
                       r"outside (?:of )?(?:our|the))\b",
                       re.IGNORECASE)


# A hosted service the buyer can place: in a chosen region, in their own cloud account or network.
_PLACEABLE = re.compile(r"\b(?:regions?|aws|azure|gcp|google cloud|byoc|vpc|your (?:own )?(?:account|project|s3|cloud "
                        r"storage|subscription))\b", re.IGNORECASE)


def placeable(f: VendorFacts) -> bool:
    """Whether a product can run where the buyer chooses: self-hosted, or hosted in a region or account they pick."""
    return f.self_hostable or bool(_PLACEABLE.search(f.hosting))


def region_only(where: str) -> bool:
    """Whether a data rule, in the asker's words, names only a region or country the data stays in ("must stay in
    the EU"): a provider's hosting in that region meets it, where a rule on their own network needs self-hosting."""
    return bool(_REGION.search(where or "")) and not _BOUNDARY.search(where or "")


def outside_boundary(facts: dict[str, VendorFacts] | None, conditions: list[str], doc: str, where: str = "") -> bool:
    """Whether an option cannot run inside the asker's boundary when their data must stay there (`where`: the words of
    their data rule). A rule that only names a region leaves hosted services in, since they may run there; a sector's
    regulation that says nothing of where data lives asks for a compliance review, not for their own network."""
    f = (facts or {}).get(doc)
    return data_rule(conditions, where) == "inside" and f is not None and not f.self_hostable


def data_rule(conditions: list[str], where: str) -> str:
    """What the asker's regulation asks of where a product runs: 'inside' their own network, a 'region', or only a
    compliance 'review' (a sector's rules that say nothing of where data lives); '' when they are not regulated."""
    if "regulated" not in conditions:
        return ""
    return "review" if not where else "region" if region_only(where) else "inside"


# The usual way, said first in `hosting`, is run by the user ("self-hosted", "any PostgreSQL you run", "runs locally"):
# a managed offer of it comes from others, not from a vendor of its own.
_RUN_BY_YOU = re.compile(r"\bself-hosted\b|\byou run\b|\byour own\b|\blocal(?:ly)?\b|\binstalled\b|\bruns on your\b",
                         re.IGNORECASE)


def fit(f: VendorFacts, conditions: list[str], wants_managed: bool, kubernetes: bool | None = None,
        rule: str = "inside") -> tuple[int, list[str]]:
    """How well an option fits the asker's facts (their conditions, whether anyone can run it, whether they run
    Kubernetes), and the reasons in words."""
    score, why = (-5 if f.status == "maintenance" else 0), []
    if kubernetes and f.on_kubernetes:
        # The stack they already run decides between otherwise equal options ("everything runs on Kubernetes").
        score, why = score + (2 if f.needs_kubernetes else 1), why + ["it runs on the Kubernetes you already have"]
    elif kubernetes is False and f.needs_kubernetes:
        score -= 4  # said as a caveat where the option is shown, never as a reason it fits
    if "regulated" in conditions and rule == "region":
        # A rule on the region data stays in is met by self-hosting there or by a managed service hosted there; a
        # hosted service with no say over where it runs may not meet it.
        if f.self_hostable:
            score, why = score + 1, why + ["you can run it yourselves in the region your rule names"]
        elif not placeable(f):
            score -= 2
    elif "regulated" in conditions and rule == "review":
        # A sector's rules ask for control and audit: running it yourselves keeps both within reach.
        if f.self_hostable:
            score, why = score + 2, why + ["running it yourselves keeps its records where your own controls and audits reach"]
    elif "regulated" in conditions and f.self_hostable:
        if f.open_source:  # open source runs inside the boundary without a special enterprise deal
            score, why = score + 4, why + ["it is open source and can run inside your own network"]
        else:
            score, why = score + 3, why + ["a self-managed deployment keeps it inside your network"]
    if ("budget" in conditions or "lock-in" in conditions) and f.open_source:
        # Said once: "open source and can run inside your own network" already says it.
        score, why = score + 2, why + ([] if any("open source" in w for w in why) else ["it is open source"])
    if "lock-in" in conditions and f.lock_in == "low":
        score, why = score + 1, why + ["its lock-in is low"]
    if wants_managed and f.managed:
        # `hosting` lists the usual way first: "self-hosted, or managed on ..." is run by a third party.
        if _RUN_BY_YOU.search(re.split(r"[,;]", f.hosting, maxsplit=1)[0]):
            score, why = score + 1, why + ["others offer it managed, so nobody on your team has to run it"]
        else:
            score, why = score + 2, why + ["its vendor runs it, so nobody on your team has to"]
    if wants_managed and not f.managed:
        score -= 1
    if "early-stage" in conditions and not wants_managed:
        # A small team is served by either: open source costs nothing to start, managed costs no ops time.
        score += int(f.open_source) + int(f.managed)
        why += ["it is cheap to start with and easy to leave"] if f.open_source and f.lock_in == "low" else []
    return score, why


_LOCK_ORDER = {"low": 0, "medium": 1, "high": 2}
# Said to own no GPUs ("we're 4 MLEs, no GPUs", "we don't have any GPUs"), for rows whose self-run options need them.
_NO_GPUS = re.compile(r"\b(?:no|zero) (?:own |spare |in-house )?gpus?\b|\b(?:don'?t|do not) (?:have|own|run) (?:any )?gpus?\b|"
                      r"\bwithout (?:any )?gpus?\b", re.IGNORECASE)
_GPU_ROWS = ("llm-inference", "model-serving")


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def side_by_side(options, facts, cites) -> Table:
    """The options' checkable facts from their vendor notes, one row each, cited."""
    rows = []
    for o in options:
        f = facts[o.doc]
        mark = cites.support(f"{f.hosting} {f.pricing} {f.strength}", o.doc)
        rows.append([f"**{o.name}**{mark}", f.hosting, "yes" if f.open_source else "no", f.pricing, f.strength,
                     f.lock_in])
    return Table(columns=["Option", "Hosting", "Open source", "Pricing", "Strengths", "Lock-in"], rows=rows)


# Words of a vendor's strength that say nothing about the kind of work it suits.
_GENERIC = frozenset(re.findall(r"\S+", """and or for with of the a an on to in at by many model models ml ai management managed open source
tool tools tooling tracking support one api plus fit fully large across inside wide range broad existing several multi
very easy mature native based also more most best high fast new data types type control hosted panel key keys bill
policy comparison comparisons quality volume scale work server service platform system cloud gpu cluster node run
 running compatible shared proven"""))


_ON_SITE = re.compile(r"\bno (?:public )?cloud\b|\bon[- ]?prem(?:ises)?\b|\bair[- ]?gapped\b|\bour own data ?cent(?:er|re)\b",
                      re.IGNORECASE)


def _shared_terms(strength: str, said: str) -> set[str]:
    """The content words of a vendor's strength that the asker also used ("image" in "photos ... images")."""
    def words(text: str) -> set[str]:
        return {w.rstrip("s") for w in re.findall(r"[a-z][a-z-]+", text.lower())
                if w not in _GENERIC and w.rstrip("s") not in _GENERIC and len(w) > 2}

    return words(strength) & words(said)


# A sentence that weighs options or puts a plan ("Options on the table: Slurm, Kubernetes + Kueue, or Run:ai", "a senior
# DS says we should just assemble MLflow + Airflow") names tools as choices, not as what they run.
_CHOICE = re.compile(r"\b(?:or|vs|versus|options?|alternatives?|shortlist\w*|candidates?|should|could|wants?|"
                     r"propos\w*|suggest\w*|recommend\w*|considering|thinking of|looking at)\b")


def only_as_option(tool: str, norm: str) -> bool:
    """Whether this turn names `tool` only in sentences that weigh options or put a plan, never as theirs ("our
    Airflow"), so it is a choice, not what they already run."""
    name = re.escape(tool.lower())
    said = [x for x in re.split(r"(?<=[.?!])\s+", norm) if re.search(rf"\b{name}\b", x)]
    # "a team that's all-in on Snowflake", "we're on AWS and Snowflake": said as where they are, whatever else the
    # sentence weighs.
    theirs = rf"\b(?:our|my|on|in|use|uses|using|run|runs|running|already|have|has)\b(?:\s+[\w&+-]+){{0,2}}?\s+{name}\b"
    return bool(said) and all(_CHOICE.search(x) and not re.search(theirs, x) for x in said)


def _row_caveat(ctx):
    """The row's rule for a fact the asker told that points away from buying, when the part asked about has no rule
    for it (a data rule for a hosted model API); None otherwise. The first in precedence order."""
    d = ctx.decision
    if d.part is None:
        # Asked of the whole row: the rule that decides the call, when that call is not a plain buy ("Bedrock or the
        # OpenAI API? data must stay in our data centre" under a split call). Only when the choice is the question:
        # a verdict answer has already said that rule before the pick.
        if ctx.plan.act != "vendor":
            return None
        g = d.deciding
        return g if g is not None and not getattr(g, "global_rule", False) and g.verdict != "buy" else None
    for cond in sorted(d.conditions, key=ctx.taxonomy.rank) if ctx.taxonomy else d.conditions:
        rule = d.component.rule_for(cond, ctx.state.facts)
        # Only a rule that points away from buying: "a small team should call a hosted API" is no caveat to a pick.
        if d.part.rule_for(cond, ctx.state.facts) is None and rule is not None and rule.verdict != "buy":
            return rule
    return None


_LISTED = re.compile(r"\b(?:options?|alternatives?|candidates) (?:i see|we see|we have|are|on the table|we(?:'re| are) "
                     r"(?:looking at|considering|weighing))\b|\boptions?:|\(a\)|\b(?:we(?:'re| are)|i(?:'m| am)) "
                     r"(?:looking at|considering|weighing|evaluating) (?!(?:two|three|four|five|several|a few|some|the|a|an|\d+) )[a-z]",
                     re.IGNORECASE)


def comparison(ctx, cites, situation: str) -> tuple[str, list[Section]]:
    """Lead: which named option fits the asker; then a table of the options from the vendor notes."""
    comp = ctx.decision.component
    facts = ctx.vendor_facts or {}
    out = set(ctx.state.rejected)  # "Run:ai is more than we can afford": never offered back to them
    named = [o for o in comp.buy if o.doc in ctx.plan.vendors and o.doc in facts and o.doc not in out]
    where = ctx.state.facts.get("data-location", "")
    data_at = data_rule(ctx.decision.conditions, where) or "inside"  # "rule" below is the row's rule in play
    home = ctx.state.cloud
    if home and len(named) >= 2:
        # A team that said where it runs ("all-in on GCP") is not offered another cloud's own platform, even when
        # its name came up ("SageMaker came up once but we're not on AWS").
        keep = [o for o in named if cloud_of(o.doc) in (None, home)]
        named = keep if len(keep) >= 2 else named
    from .shapes.phrasing import named_in as _named_in

    # "comet or w&b?? ... right now everyone logs to local mlflow folders": the options the question weighs are the
    # ones its asking sentence names; a product told only in the background is where they are, not a candidate.
    asking = [x for x in re.split(r"(?<=[.!?])\s+", ctx.question) if x.rstrip().endswith("?")]
    in_ask = [o for o in named if any(_named_in(o, x) for x in asking)]
    if len(in_ask) >= 2:
        named = in_ask
    if len(named) >= 2:
        options = named
    else:
        # "What are the options?" names none: the ones that fit the asker's facts, never one that cannot run where
        # their data must stay (a hosted-only API for an EU-only fintech).
        fitting = [o for o in comp.buy if o.doc in facts and o.doc not in out
                   and not outside_boundary(facts, ctx.decision.conditions, o.doc, where)]
        # A team that said which cloud it is on ("we're on Azure, not AWS") is not shown another cloud's own product.
        on = {home} if home else {STACK_CLOUDS.get(t) for t in ctx.state.stack} - {None}
        fitting = [o for o in fitting if cloud_of(o.doc) in (None, *on)] if on else fitting
        options = sorted(fitting, key=lambda o: -fit(facts[o.doc], ctx.decision.conditions, ctx.reading.managed_cue,
                                                      ctx.state.kubernetes, data_at)[0])[:4]
    # "Options I see: Datastream, Fivetran with the Oracle connector, or Debezium + Kafka": options they listed that no
    # note covers are not answered with a table of other products; the call for the row is what can be said.
    theirs = not named and bool(_LISTED.search(ctx.question))
    if (len(named) == 1 and not out) or not options or theirs:
        # "CoreWeave or our own boxes?" asks for a verdict, not a vendor comparison.
        from .shapes.decision import verdict_shape

        return verdict_shape(ctx, cites)
    rule = ctx.decision.deciding
    if rule is not None and len(named) >= 2 and rule.condition in ("simple", "scale", "production-evidence"):
        from .shapes.phrasing import OPENER, named_in

        # The rule for their size names what fits ("with one or a few models at low traffic, a containerised model
        # behind FastAPI is enough"): of the options they named, that one is the answer, in the rule's words.
        picked = [o for o in options if named_in(o, rule.advice)]
        if picked and len(picked) < len(options):
            prefix = (situation[:1].upper() + situation[1:] + ", ") if situation else ""
            # The rule's own opener ("With one or a few models at low traffic, ...") restates the situation.
            advice = OPENER.sub("", rule.advice) if situation else rule.advice
            advice = advice[:1].lower() + advice[1:] if not advice[:2].isupper() else advice
            lead = f"{prefix}{picked[0].name} is what fits: {advice}{cites.support(rule.advice, rule.note)}"
            return lead, [Section(kind="comparison", title="Side by side", table=side_by_side(options, facts, cites))]
    # Nobody to run it favours a product its vendor runs, unless nothing may run outside their own site ("everything
    # on-prem, no cloud at all"): there the vendor's software still runs on their machines.
    said_all = " ".join([*(q for q, _ in ctx.history), ctx.question])
    wants_managed = ctx.reading.managed_cue and not _ON_SITE.search(said_all)
    # The cloud the asker already runs on ("we're on AWS"), from products other than the ones compared.
    compared = {o.doc for o in options}
    clouds = {home} if home else ({cloud_of(v) for v in ctx.state.vendors if v not in compared}
                                  | {STACK_CLOUDS.get(t) for t in ctx.state.stack}) - {None}

    said = " ".join([*(q for q, _ in ctx.history), ctx.question])
    # The row's own words, product names and clouds say nothing about the kind of work (the cloud has its own reason).
    own_words = " ".join([comp.name, *(o.name for o in comp.buy), *(a for o in comp.buy for a in o.aliases),
                          *CLOUD_NAMES, *CLOUD_NAMES.values()])
    names = _shared_terms(own_words, own_words)

    # "Today it's pgvector inside our main Postgres, and index builds are starting to hurt the app": what they run and
    # say falls short under their load is what they are leaving, so it earns no "you already run it".
    strained = {o.doc for o in options if ctx.falls_short(
        re.compile("|".join(rf"\b{re.escape(n)}\b" for n in (o.name, *o.aliases)), re.IGNORECASE))}

    no_gpus = bool(_NO_GPUS.search(said))

    def scored_fit(o):
        score, why = fit(facts[o.doc], ctx.decision.conditions, wants_managed, ctx.state.kubernetes, data_at)
        if cloud_of(o.doc) in clouds:
            score, why = score + 2, ["it runs in the cloud you already use", *why]
        if no_gpus and not facts[o.doc].managed and ctx.decision.component.slug in _GPU_ROWS:
            score -= 3  # "4 MLEs, no GPUs": an engine they would run themselves needs machines they do not have
        if o.doc in strained:
            score -= 2
        elif o.doc in ctx.state.running:
            # What they already run needs no new system, no new contract and no migration.
            score, why = score + 2, ["you already run it", *why]
        elif on := next((name for v in ctx.state.running if v in facts and v not in compared
                         for name in re.split(r"\s+(?:and|or)\s+|\s*/\s*", facts[v].product)
                         if re.search(rf"\b{re.escape(name)}\b", facts[o.doc].hosting)), ""):
            # "We already use Ray on Anyscale" and Ray Serve "runs on Ray clusters": it runs on what they run.
            score, why = score + 2, [f"it runs on the {on} you already use", *why]
        strength = facts[o.doc].strength
        built_on = [t for t in ctx.state.stack if re.search(rf"\b{re.escape(t)}\b", strength, re.IGNORECASE)
                    and not any(t.lower() in w.lower() for w in why) and not only_as_option(t, ctx.reading.normalized)]
        # A word every compared option is strong on ("runs" for trackers) tells them apart in nothing.
        others = set().union(*(_shared_terms(facts[x.doc].strength, facts[x.doc].strength)
                               for x in options if x is not o))
        if built_on:
            # Its strength is the tool their work already runs on ("Spark pipelines with managed MLflow").
            score, why = score + 1, [*why, f"it is built around the {built_on[0]} you already use"]
        elif (shared := _shared_terms(strength, said) - names - others) and not any(
                t in w.lower() for t in shared for w in why):
            # Its strength is the kind of work they described ("photos of welded parts": image annotation).
            score, why = score + 1, [*why, f"it is strong on {' and '.join(sorted(shared)[:2])}, which you asked about"]
        return score, why

    scored = [(o, *scored_fit(o)) for o in options]
    caveat = _row_caveat(ctx)
    cautioned = False
    best, score, why = max(scored, key=lambda t: t[1])
    tied = [o for o, sc, _ in scored if sc == score and o is not best]
    if tied:
        # Options that fit the facts equally still get one pick: the one cheaper to leave (an early call is easier to
        # undo), else the first in the row's list; the other is named with when it would be the better choice.
        pool = [best, *tied]
        # What they already run goes first among equals: keeping it needs no migration at all.
        best = min(pool, key=lambda o: (o.doc not in ctx.state.running or o.doc in strained, _LOCK_ORDER.get(facts[o.doc].lock_in, 1),
                                        pool.index(o)))
        why = next(w for o, _, w in scored if o is best)
        tied = [o for o in pool if o is not best]
    # The pick first, then the rest as they came: the table reads in the order the lead argues.
    table = side_by_side([best, *(o for o, _, _ in scored if o is not best)], facts, cites)
    gone = [o.name for o in comp.buy if o.doc in ctx.reading.rejected]
    if gone:
        situation = f"{situation}, and {' and '.join(gone)} ruled out" if situation else \
            f"with {' and '.join(gone)} ruled out"
    prefix = (situation[:1].upper() + situation[1:] + ", ") if situation else ""
    other_why = next((w for o, sc, w in scored if o is tied[0]), []) if tied else []
    common = [w for w in why if w in other_why]
    # "open source and can run inside your own network" already says "open source": each reason once.
    common = [w for w in common if not any(w != x and w in x for x in common)]
    if tied:
        other = tied[0]
        easier = _LOCK_ORDER.get(facts[best.doc].lock_in, 1) < _LOCK_ORDER.get(facts[other.doc].lock_in, 1)
        when = f"the better choice if its strengths ({facts[other.doc].strength}) matter more to you"
    if score > 0 and common:
        # Tied on their facts: the first of the row's list is only where to start, not a ranking the notes make.
        pick = f"start with {best.name}, which is easier to leave" if easier else f"start with {best.name}"
        lead = f"{prefix}{best.name} and {other.name} both fit (for both, {' and '.join(common[:2])}); {pick}, and {other.name} is {when}."
    elif score > 0 and why and tied:
        # Tied for different reasons: each with its own ("it runs in the cloud you already use" is one's alone).
        theirs = f" ({other_why[0]})" if other_why else ""
        lead = f"{prefix}{best.name} fits best ({why[0]}); {other.name} fits too{theirs} and is {when}."
    elif score > 0 and why:
        lead = f"{prefix}{best.name} fits best: {' and '.join(why[:2])}."
    elif caveat is not None:
        # Nothing in the notes sets them apart, but the row has a rule for what they told us that the part asked about
        # does not ("Azure OpenAI or Bedrock? data must stay in Brazil"): either is a buy only on that rule's terms.
        from .shapes.phrasing import OPENER

        advice = OPENER.sub("", caveat.advice) if prefix else caveat.advice
        lead = (f"{prefix}{'n' if prefix else 'N'}either is a safe default by itself: {advice[:1].lower()}{advice[1:]}"
                f"{cites.support(caveat.advice, caveat.note)} Once that is settled, pick on the integrations you already have.")
        cautioned = True
    elif (rule := ctx.decision.deciding) is not None and not getattr(rule, "global_rule", False) and (
            others := [o.name for o in comp.buy if o not in options and re.search(rf"\b{re.escape(o.name)}\b", rule.advice)]) \
            and not any(re.search(rf"\b{re.escape(o.name)}\b", rule.advice) for o in options):
        # "Scale AI or Labelbox? budget is 15,000 USD": nothing sets the two apart, and the rule for their situation
        # names other products (self-hosted Label Studio or CVAT): that rule answers before any pick between the two.
        # Asked as a choice, the rule is said here; after a call that already said it, only what it means for theirs.
        if ctx.plan.act == "vendor":
            from .shapes.phrasing import OPENER

            advice = OPENER.sub("", rule.advice) if prefix else rule.advice
            lead = _cap(f"{prefix}start with neither of those you named: {advice[:1].lower()}{advice[1:]}"
                        f"{cites.support(rule.advice, rule.note)} If you do buy one of yours, pick on the integrations "
                        "and hosting you already have.")
        else:
            lead = _cap(f"{prefix}start with neither of those you named: {' or '.join(others[:2])} "
                        f"{'is' if len(others) == 1 else 'are'} what fits here first; if you do buy one of yours, pick "
                        "on the integrations and hosting you already have.")
        cautioned = True
    else:
        lead = _cap(f"{prefix}any of these is a sound buy; {best.name} is a safe default, so pick on the "
                    "integrations and hosting you already have.")
    strength = cites.section(best.doc, "strength")
    # Under the caveat the pick's strengths are not the point yet.
    second = [] if cautioned else cites.sentence_from(strength)
    prev = ctx.plan.previous
    if prev.act == "vendor" and ctx.previous is not None and not ctx.reading.vendors and \
            not (ctx.plan.added or ctx.plan.removed) and not ctx.reading.quantities:
        # "ok so which one would you actually pick?" after the comparison: one name, why, when the other instead;
        # never the comparison again.
        reasons = [w for w in why if not any(w != x and w in x for x in why)][:2]
        lead = best.name + (f": {' and '.join(reasons)}." if reasons else ".") + cites.support(
            " ".join(reasons) or best.name, best.doc, "hosting")
        if tied:
            lead += (f" Take {tied[0].name} instead only if its strengths ({facts[tied[0].doc].strength}) matter more "
                     "to you." + cites.support(facts[tied[0].doc].strength, tied[0].doc, "strength"))
        return lead + (" " + second[0] if second else ""), []
    if second:
        lead += " " + second[0]
    verdict = ctx.decision.verdict
    note = None
    if verdict == "build":
        from .shapes.phrasing import reason_sentence

        note = Section(kind="reasons", title="But first", text=reason_sentence(ctx, cites))
    sections = [Section(kind="comparison", title="Side by side", table=table)]
    return lead, sections + ([note] if note else [])
