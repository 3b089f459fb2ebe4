"""Managed service or self-hosted open source: the answer when both options are ways of buying."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Section
from .vendors import comparison, data_rule, side_by_side

NOTE = "managed-or-self-hosted"


@dataclass
class HostingChoice:
    """The open-source option the asker would run themselves, and the paid one it is weighed against."""

    own: object  # the matrix option (name, doc, aliases) they would self-host
    paid: object | None  # another option they would pay for; None when it is `own`'s managed form
    paid_name: str  # how the lead names the paid side ("Weights & Biases", "managed Airflow")


def hosting_choice(ctx) -> HostingChoice | None:
    """The choice when the turn weighs running an open-source tool themselves against paying for a service;
    None for every other question (building something, or self-hosting a model, which is a build)."""
    d = ctx.decision
    if d.component is None or d.verdict == "build":
        return None
    return find_choice(d.component, d.part, ctx.reading, ctx.plan.vendors, ctx.vendor_facts or {}, ctx.state.rejected)


def find_choice(comp, part, reading, vendors, facts, rejected=()) -> HostingChoice | None:
    """The open-source option of `comp` the turn would run itself and the paid side it weighs it against."""
    if comp is None or not reading.self_hosting:
        return None
    if self_hosting_is_a_part(comp) or (part is not None and part.verdict != "buy"):
        # Running your own open-weight model is the build side of its row, not a way of buying.
        return None
    named = [o for o in comp.buy if o.doc in vendors and o.doc in facts]
    if len(named) > 2:
        return None  # a shortlist of three or more is a comparison of products, not of who runs one
    own = next((o for o in sorted(named, key=lambda o: _position(reading.normalized, o))
                if facts[o.doc].open_source and facts[o.doc].self_hostable), None)
    if own is None:
        return None
    paid = next((o for o in named if o is not own and facts[o.doc].managed and o.doc not in rejected), None)
    # A price alone may be for something else (a labelling workforce per item): the same tool's managed form
    # is the other side only when the turn speaks of paying someone to run it.
    if paid is None and not (facts[own.doc].managed and reading.paid_service):
        return None
    return HostingChoice(own=own, paid=paid, paid_name=paid.name if paid else f"managed {own.name}")


def self_hosting_is_a_part(comp) -> bool:
    """Whether running it themselves is a part of the row with its own verdict (an open-weight model)."""
    return any("self-host" in p.name for p in comp.parts)


def _position(text: str, option) -> int:
    at = [m.start() for n in (option.name, *option.aliases)
          for m in [re.search(rf"\b{re.escape(n.lower())}\b", text)] if m]
    return min(at, default=len(text))


# "loaded cost ~$160k/year each", "salaries of $150k": what a person costs, not a price for the product.
_PAY = re.compile(r"\b(?:loaded|salar(?:y|ies)|per (?:engineer|person|head)|fte|each engineer|wages?)\b", re.IGNORECASE)


_OWN_RUNNING = re.compile(r"\bself[- ]?host(?:ed|ing)?\b|\b(?:vms?|virtual machines?)\b|\bon our own\b", re.IGNORECASE)


_SPEND = re.compile(r"\b(?:spend|spends|spending|spent|token bill|api bill|usage bill|provider bill)\b", re.IGNORECASE)


def quote(ctx) -> tuple[str, float] | None:
    """The price the asker was quoted or pays, as written and per year; None when they gave none (a person's loaded
    cost is no price)."""
    question = ctx.reading.question
    for q in ctx.reading.quantities:
        if q.kind != "money_per_month":
            continue
        at = question.lower().find(q.text.strip().lower())
        if at >= 0 and _PAY.search(question[max(0, at - 40):at + len(q.text) + 20]):
            continue
        # "Self-hosted MLflow would run on a VM at about €180/month": what running it themselves costs, not a quote.
        # Read in its own part of the sentence: "self-host MLflow on our k8s or pay for Comet at 900 EUR/mo" quotes Comet.
        part = next((x for x in re.split(r"(?<=[.;!?])\s+|,\s+|\s+or\s+", question)
                     if q.text.strip().lower() in x.lower()), "")
        if _OWN_RUNNING.search(part) or _SPEND.search(part):
            # "~1.2M msgs/month, spend around US$9k/month": what flows through the tool (the model providers' bill),
            # not the price of the tool.
            continue
        return q.text.strip(), q.value * 12
    return None


def share_of_engineer(per_year: float, loaded: float) -> str:
    """A yearly price as a share of one engineer's loaded year, in words."""
    share = per_year / loaded
    if share >= 1.5:
        return f"about {share:.0f} engineers' loaded years" if share >= 2.5 else "more than one engineer's loaded year"
    # Under a tenth, to the whole percent ("about 7%"): rounding 6.9% to the nearest five reads as a wrong sum.
    pct = max(1, round(share * 100)) if share < 0.1 else round(share * 20) * 5
    return f"about {pct}% of one engineer's loaded year"


def answer(ctx, cites, choice: HostingChoice, situation: str) -> tuple[str, list[Section]]:
    """Lead: which way to run it for their facts, then the quote set against the hours self-hosting takes."""

    d, r = ctx.decision, ctx.reading
    facts = ctx.vendor_facts or {}
    own, paid = choice.own.name, choice.paid_name
    conds = d.conditions
    fits, managed_fits, costs = (cites.section(NOTE, h) for h in ("when self-hosting", "when a managed", "what self"))

    def cite(passage) -> str:
        return f" [{cites.cite(passage)}]" if passage else ""

    pre = f"{situation}, " if situation else ""
    if "regulated" in conds and choice.paid is not None and facts[choice.paid.doc].self_hostable:
        # Both can run inside their boundary (a self-managed licence against open source): where it runs no
        # longer tells them apart, so the comparison of the two products answers instead.
        return comparison(ctx, cites, situation)
    # A rule that only names the region data stays in is met by either way of running it there; any other rule, or a
    # sector's regulation that names no place, keeps the records where their own controls reach.
    data_at = data_rule(sorted(conds), ctx.state.facts.get("data-location", ""))
    regional, inside = data_at == "region", data_at in ("inside", "review")
    if inside:
        # Only a rule on where data lives says it must stay inside; a sector's regulation asks for control and audit.
        why = "your data has to stay inside your own network" if "data-location" in ctx.state.facts else \
            "it keeps the records where your own controls and audits reach"
        lead = f"{pre}self-host {own}: {why}, and {own} can run there."
        lead += cites.support(f"{own} self-hosted inside network", choice.own.doc, "hosting")
    elif r.managed_cue:
        lead = (f"{pre}pay for {paid}: with nobody to run infrastructure, self-hosting {own} would hand your team "
                f"its upgrades, patches, backups and alerts.{cite(managed_fits)}")
    elif "lock-in" in conds and facts[choice.own.doc].managed:
        # A team that fears being stranded again wants the option that comes both ways: an open-source tool keeps its
        # data format and client code whether they run it or pay someone to, so neither choice is final.
        kept = cites.section(NOTE, "keeping the choice")
        lead = (f"{pre}pick {own}, run by you or bought as a managed service: either form keeps the same data format "
                f"and client code, so moving between them later is cheap, while leaving one vendor's own product for "
                f"another tool means moving client calls, dashboards and stored history.{cite(kept)}")
    elif "budget" in conds:
        lead = (f"{pre}self-host {own}: it avoids the licence fee, as long as one named engineer owns its upgrades "
                f"and backups.{cite(fits)}")
    elif ctx.state.kubernetes or ctx.state.running:
        where = "the Kubernetes cluster you already run" if ctx.state.kubernetes else "infrastructure you already run"
        lead = (f"{pre}self-hosting {own} on {where} is reasonable if one named engineer owns its upgrades and "
                f"backups; otherwise pay for {paid}.{cite(fits)}")
    elif "early-stage" in conds:
        lead = (f"{pre}pay for {paid}: a small team's hours are better spent on the product than on operating "
                f"another service.{cite(managed_fits)}")
    else:
        lead = (f"{pre}pay for {paid} unless someone on your team will own running {own}: self-hosting drops the "
                f"licence fee, not the work of upgrades, patches, backups and alerts.{cite(costs)}")
    lead = lead[:1].upper() + lead[1:]
    if regional:
        lead += (f" Either way keeps your data where your rule says only if it runs in that region: self-hosting {own} "
                 f"puts it where you choose, and {paid} fits only if it offers hosting there.")
    from .shapes.figures import engineer_share, options_a_year, run_against_quote
    from .shapes.option_sums import option_sums

    if ctx.plan.act in ("cost", "vendor") and (summed := option_sums(ctx)):
        return f"{summed[0]} {lead}", [summed[1], *_sections(ctx, cites, choice, facts, costs, inside)]
    if ctx.plan.act in ("cost", "vendor") and (sums := options_a_year(ctx, cites)):
        # "What does each option cost over the next two years?" with both priced: the sums answer first.
        return f"{sums} {lead}", _sections(ctx, cites, choice, facts, costs, inside)
    quoted = quote(ctx)

    share = engineer_share(ctx, quoted[1]) if quoted else ""
    told = run_against_quote(ctx, cites) if not inside else ""
    if told:
        # They said how much of someone's time running it takes: the sum itself, not the threshold it must beat.
        lead = f"{told} {lead}"
    elif share and not inside:
        lead += (f" {quoted[0]} is {share}: self-hosting is cheaper only if running {own} takes less of someone's "
                 f"time than that.{cite(costs)}")
    return lead, _sections(ctx, cites, choice, facts, costs, inside)


def _sections(ctx, cites, choice: HostingChoice, facts: dict, costs, inside: bool) -> list[Section]:
    """What self-hosting costs beyond the licence, and the two options side by side."""
    items = cites.sentence_from(costs, 2)[1:2] if costs and not inside else []
    sections = [Section(kind="guidance", title="What self-hosting costs", items=items)] if items else []
    options = [o for o in (choice.own, choice.paid) if o is not None and o.doc in facts]
    if len(options) == 2:  # one row would compare nothing
        sections.append(Section(kind="comparison", title="Side by side", table=side_by_side(options, facts, cites)))
    return sections
