"""Apply the decision matrix to what the conversation has established."""

from __future__ import annotations

from dataclasses import dataclass, field

from .matrix import Component, Matrix, Part, Taxonomy
from .planning import ConversationState


@dataclass
class Change:
    """A condition and the verdict it leads to (applied, or one that would change the verdict)."""

    condition: str
    label: str
    verdict: str
    advice: str
    note: str
    global_rule: bool = False
    basis: str = "framework"
    source: str | None = None
    depends_on: str | None = None  # what a `depends` verdict turns on


@dataclass
class Decision:
    """The verdict and everything the answer needs to explain it."""

    verdict: str | None
    component: Component | None = None
    part: Part | None = None  # set when the question is about one part of the component
    other_component: str | None = None
    topic: str | None = None
    conditions: list[str] = field(default_factory=list)
    deciding: Change | None = None
    not_changing: list[str] = field(default_factory=list)
    would_change: list[Change] = field(default_factory=list)
    # With a part decided, what would turn the row as a whole (its own rules, not the global ones).
    row_would_change: list[Change] = field(default_factory=list)
    also: list[Component] = field(default_factory=list)

    @property
    def basis(self) -> tuple[str, str | None] | None:
        """Provenance of the verdict: ('source', article id) or ('framework', None); None with no verdict."""
        if self.verdict is None:
            return None
        if self.deciding:
            return self.deciding.basis, self.deciding.source
        row = self.part or self.component
        if row is not None:
            return row.basis, row.source
        return "framework", None  # infrastructure with no matrix row: the four questions, applied by us


class DecisionEngine:
    """Verdicts from the matrix; global rules (product/differentiator, control-later) come first."""

    def __init__(self, matrix: Matrix, taxonomy: Taxonomy):
        self.matrix = matrix
        self.taxonomy = taxonomy
        self.labels = {c.id: c.label for c in taxonomy.conditions}

    def _rule(self, row: Component | Part, condition: str, facts: dict[str, str] | None = None) -> Change | None:
        g = next((r for r in self.matrix.global_rules if r.condition == condition), None)
        if g:
            return Change(condition, self.labels.get(condition, condition), g.verdict, g.advice, g.note, True,
                          g.basis, g.source)
        r = row.rule_for(condition, facts)
        if r:
            return Change(condition, self.labels.get(condition, condition), r.verdict, r.advice, r.note,
                          basis=r.basis, source=r.source, depends_on=r.depends_on)
        return None

    def decide(self, state: ConversationState) -> Decision:
        conditions = sorted(state.conditions, key=self.taxonomy.rank)
        comp = self.matrix.get(state.component) if state.component else None
        if comp is None:
            d = Decision(verdict="depends" if state.other_component else None, other_component=state.other_component,
                         topic=state.topic, conditions=conditions)
            if state.other_component:
                # The two global rules hold for infrastructure without a matrix row too.
                for cond in conditions:
                    g = next((r for r in self.matrix.global_rules if r.condition == cond), None)
                    if g:
                        d.deciding = Change(cond, self.labels.get(cond, cond), g.verdict, g.advice, g.note, True,
                                            g.basis, g.source)
                        d.verdict = g.verdict
                        break
            return d
        # A question about one part gets that part's verdict and rules (the global rules still come first).
        part = comp.part(state.part)
        row: Component | Part = part or comp
        d = Decision(verdict=row.verdict, component=comp, part=part, topic=state.topic, conditions=conditions,
                     also=[self.matrix.by_slug[s] for s in state.components[1:] if s in self.matrix.by_slug])
        # The part's own rules speak only to the conditions they name; a stronger condition the row rules on
        # ("one app, one provider" is the part's, "data must stay in our tenant" the row's) outranks them, as the
        # precedence of conditions.yaml says. A part with no rule in play keeps its own default.
        weakest = next((c for c in conditions if part is not None and self._rule(part, c, state.facts)), None)
        for cond in conditions:
            change = self._rule(row, cond, state.facts)
            if change is None and weakest is not None and self.taxonomy.rank(cond) < self.taxonomy.rank(weakest):
                change = self._rule(comp, cond, state.facts)
            if change is None:
                d.not_changing.append(cond)
            elif d.deciding is None:
                d.deciding = change
                d.verdict = change.verdict
        given = next((g for g in (part.given if part else []) if g.fact in state.facts), None)
        if d.deciding is None and given is not None:
            # No condition decides and a fact about them does: "a partner offered us a rack of 32 H100s" makes the
            # compute theirs to run, whatever renting advice the part gives the usual asker.
            d.deciding = Change(given.fact, given.label, given.verdict, given.advice, given.note,
                                basis=given.basis, source=given.source)
            d.verdict = given.verdict
        # What would move the verdict from here: rules for conditions not yet in play.
        for cond in self.taxonomy.ids:
            if cond in conditions:
                continue
            if d.deciding and self.taxonomy.rank(cond) > self.taxonomy.rank(d.deciding.condition):
                continue  # a lower-precedence condition cannot override the one deciding now
            change = self._rule(row, cond, state.facts)
            if change and change.verdict != d.verdict:
                d.would_change.append(change)
        if part is not None:
            d.row_would_change = [
                Change(r.condition, self.labels.get(r.condition, r.condition), r.verdict, r.advice, r.note,
                       basis=r.basis, source=r.source, depends_on=r.depends_on)
                for r in comp.conditions if r.condition not in conditions and r.verdict != d.verdict
                and comp.rule_for(r.condition, state.facts) is r]
        return d
