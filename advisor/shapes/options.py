"""The products to offer: which fit the asker's facts, what each does well, and what each note says about their
constraint (where it runs, a regional option, maintenance mode, its price or how hard it is to leave)."""

from __future__ import annotations

from ..compose import Citations, Context, sentences, usable
from ..models import Section
from ..retrieval import Passage, tokenize
from .phrasing import listed


def outside_their_boundary(ctx: Context, doc: str) -> bool:
    from ..vendors import outside_boundary

    if "provider-approved" in ctx.state.facts:
        return False  # their compliance cleared a hosted provider's deployment: hosted products are weighed on merit
    return outside_boundary(ctx.vendor_facts, ctx.decision.conditions, doc, ctx.state.facts.get("data-location", ""))


def regional_rule(ctx: Context) -> bool:
    """Whether the asker's data rule names only a region or country ("must stay in the EU"), not their network."""
    return data_rule_of(ctx) == "region"


def data_rule_of(ctx: Context) -> str:
    """What the asker's regulation asks of where a product runs ('inside', 'region', 'review'; '' if unregulated)."""
    from ..vendors import data_rule

    return data_rule(ctx.decision.conditions, ctx.state.facts.get("data-location", ""))


def strength_of(ctx: Context, cites: Citations, doc: str) -> Passage | None:
    """What a product does well for the component asked about: a note's section on that component when it covers
    several ("MLflow" has one on its model registry), else its strengths, else its first passage."""
    comp = ctx.decision.component
    for heading in (comp.name, comp.noun) if comp else ():
        if heading and (p := cites.section(doc, heading)) and p.doc.metadata.get("section", "").lower() != "what it is":
            return p
    return cites.section(doc, "strength") or next(iter(ctx.evidence.of(doc)), None)


def options_section(ctx: Context, cites: Citations, limit: int = 4) -> Section | None:
    from ..vendors import cloud_of, fit

    comp = ctx.decision.component
    out = set(ctx.state.rejected)  # products the asker ruled out are never offered
    # A shortlist named earlier in the conversation ("Evidently or Arize?") stays the shortlist for its follow-ups.
    asked = ctx.plan.vendors or (ctx.state.asked_vendors if ctx.plan.previous.component == comp.slug else [])
    # A shortlist carried from earlier turns drops another cloud's own service once they say which cloud they are on
    # ("Databricks, SageMaker or Kubeflow?", then "we're an Azure-only shop"); one named this turn stays asked about.
    carried = not ctx.plan.vendors
    home = ctx.state.cloud
    mentioned = [o for o in comp.buy if o.doc in asked and o.doc not in out
                 and not (carried and home and cloud_of(o.doc) not in (None, home))]
    facts = ctx.vendor_facts or {}
    # The options that fit the asker's facts first (self-hostable when regulated, open source on a budget).
    # The cloud the asker already runs on (named in any turn) puts that cloud's own option first; a team
    # that said it runs on one cloud is not offered another cloud's own service.
    clouds = {cloud_of(v) for v in ctx.state.vendors} - {None}
    clouds |= {home} if home else set()

    def rank(o) -> float:
        score = fit(facts[o.doc], ctx.decision.conditions, ctx.reading.managed_cue, ctx.state.kubernetes,
                    data_rule_of(ctx) or "inside")[0] \
            if o.doc in facts else 0
        return -(score + (3 if cloud_of(o.doc) in clouds else 0))

    # A project in maintenance mode is never offered unasked; named, it is shown with that said.
    rest = sorted((o for o in comp.buy if o not in mentioned and o.doc not in out
                   and not (o.doc in facts and facts[o.doc].status == "maintenance")
                   and not outside_their_boundary(ctx, o.doc)
                   and not (home and cloud_of(o.doc) not in (None, home))), key=rank)
    # Two or more products named ("LiteLLM or Portkey, or write our own?") are the shortlist the asker is weighing:
    # those, not a catalogue with others added.
    # A named product that cannot run inside their boundary goes last: it is there to say why it does not fit.
    mentioned.sort(key=lambda o: outside_their_boundary(ctx, o.doc))
    inside = [o for o in mentioned if not outside_their_boundary(ctx, o.doc)]
    outside = [o for o in mentioned if outside_their_boundary(ctx, o.doc)]
    ordered = mentioned if len(inside) >= 2 else [*inside, *rest[:limit - len(mentioned)], *outside]
    lines = []
    for opt in ordered[:limit]:
        strength = strength_of(ctx, cites, opt.doc)
        first = cites.sentence_from(strength)
        if first:
            # A product the asker named that cannot run inside their boundary says so.
            hosted_only = opt.doc in facts and not facts[opt.doc].self_hostable
            caveat = (" It cannot be self-hosted, so it does not fit data that must stay inside your network."
                      + cites.support(f"{facts[opt.doc].hosting} hosting self-hosted", opt.doc)) \
                if outside_their_boundary(ctx, opt.doc) else _regional(ctx, cites, opt.doc) \
                if hosted_only and regional_rule(ctx) else (
                " It needs a Kubernetes cluster, which you do not run." + cites.support("Kubernetes cluster", opt.doc)) \
                if ctx.state.kubernetes is False and opt.doc in facts and facts[opt.doc].needs_kubernetes else ""
            if not caveat and opt.doc in facts and facts[opt.doc].status == "maintenance":
                caveat = maintenance_line(cites, opt.doc)
            lines.append(f"**{opt.name}**: {first[0]}{caveat}{suits(ctx, cites, opt, facts) if not caveat else ''}")
    return Section(kind="options", title="Options to buy", items=lines) if lines else None


def only_fitting(ctx: Context, cites: Citations) -> str:
    """"Slurm, Kueue or Run:ai?" where all but one named option need what they lack (a Kubernetes cluster, a place
    outside their network): that one, said as the pick, with why the others drop out; '' otherwise."""
    comp, facts = ctx.decision.component, ctx.vendor_facts or {}
    if comp is None or ctx.decision.verdict not in ("buy", "hybrid"):
        return ""
    named = [o for o in comp.buy if o.doc in (ctx.plan.vendors or ctx.state.asked_vendors) and o.doc in facts
             and o.doc not in ctx.state.rejected]
    if len(named) < 2:
        return ""
    boundary = [o for o in named if outside_their_boundary(ctx, o.doc)]
    cluster = [o for o in named if o not in boundary and ctx.state.kubernetes is False and facts[o.doc].needs_kubernetes]
    fitting = [o for o in named if o not in boundary and o not in cluster and facts[o.doc].status != "maintenance"]
    if len(fitting) != 1 or not (boundary or cluster):
        return ""
    why = []
    if cluster:
        marks = "".join(cites.support("Kubernetes cluster", o.doc) for o in cluster)
        why.append(f"{listed([o.name for o in cluster])} {'needs' if len(cluster) == 1 else 'need'} a Kubernetes "
                   f"cluster, which you do not run{marks}")
    if boundary:
        marks = "".join(cites.support(f"{facts[o.doc].hosting} hosting self-hosted", o.doc) for o in boundary)
        why.append(f"{listed([o.name for o in boundary])} cannot run inside your own network{marks}")
    return f"Of the options you named, {fitting[0].name} is the one that fits: {' and '.join(why)}."




def _regional(ctx: Context, cites: Citations, doc: str) -> str:
    """For a rule on the region data stays in ("all processing within the EU"), a hosted-only product's own way of
    running in a chosen region (its note's hosting line), cited; '' for a rule on their own network."""
    if not regional_rule(ctx):
        return ""
    hosting = cites.section(doc, "hosting")
    lines = [s for s in sentences(hosting.doc.page_content) if usable(s)] if hosting else []
    region = next((s for s in lines[1:] if "region" in s), "")
    if not region:
        from ..vendors import placeable

        facts = (ctx.vendor_facts or {}).get(doc)
        if facts is None or placeable(facts) or hosting is None:
            return ""
        # "hosted service only": nothing in its note says it can run in the region the rule names.
        return (" It is a hosted service, and its note names no way to choose the region it runs in: check it can "
                f"keep your data where your rule says before you rely on it. [{cites.cite(hosting)}]")
    # "Microsoft offers ..." keeps its capital after "but"; "The same models ..." does not.
    said = region[:1].lower() + region[1:] if region.split(" ", 1)[0] in ("The", "A", "An", "It", "Its", "This") \
        else region
    return f" It cannot be self-hosted, but {said} [{cites.cite(hosting, region)}]"


def maintenance_line(cites: Citations, doc: str) -> str:
    """The line of a product's note that says it only takes minor fixes now, cited; '' when there is none."""
    for passage in cites.evidence.of(doc):
        line = next((x for x in sentences(passage.doc.page_content) if "maintenance mode" in x and usable(x)), "")
        if line:
            return f" {line} [{cites.cite(passage, line)}]"
    return ""


def suits(ctx: Context, cites: Citations, opt, facts) -> str:
    """What the option's own note says about the constraint the asker stated (where it runs, what it costs,
    how hard it is to leave), quoted and cited; '' when they stated none it speaks to."""
    from ..vendors import fit

    f = facts.get(opt.doc)
    if f is None or not fit(f, ctx.decision.conditions, ctx.reading.managed_cue, rule=data_rule_of(ctx) or "inside")[1]:
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


def home_cloud_lean(ctx: Context, cites: Citations) -> str:
    """For a `depends` verdict, what the asker's own cloud tips it toward: that cloud's own option, cited."""
    from ..vendors import CLOUD_NAMES, cloud_of

    d, home = ctx.decision, ctx.state.cloud
    if d.verdict != "depends" or not home or d.component is None:
        return ""
    opt = next((o for o in d.component.buy if cloud_of(o.doc) == home and not outside_their_boundary(ctx, o.doc)), None)
    if opt is None or not cites.section(opt.doc, "strength"):
        return ""
    cloud = CLOUD_NAMES.get(home, home)
    text = f"You already run on {cloud}, so {opt.name}, its own offering, is the option to weigh first."
    return text + cites.support(f"{opt.name} {cloud} team integrated", opt.doc, "strength")
