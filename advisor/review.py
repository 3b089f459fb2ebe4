"""Stack review: one verdict, action, migration cost and cited reason per component a team runs."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .datafiles import load_model
from .decision import DecisionEngine
from .errors import InputError
from .matrix import Matrix, Taxonomy
from .models import Citation, Verdict
from .notes import NoteCiter
from .planning import ConversationState
from .quantities import Quantity, Thresholds, implications, load_thresholds

State = Literal["built", "bought", "none"]


class StackEntry(BaseModel):
    """What the team runs for one component."""

    model_config = ConfigDict(extra="forbid")
    state: State = Field(description="built (in-house), bought (a tool or service, open source included) or none")
    what: str = Field("", max_length=200, description="What it is: 'Weights & Biases', 'cron and bash'.")


class Team(BaseModel):
    model_config = ConfigDict(extra="forbid")
    engineers: int | None = Field(None, ge=1, le=100000)


class Stack(BaseModel):
    """A stack file (`advisor review stack.yaml`, POST /api/v1/review)."""

    model_config = ConfigDict(extra="forbid")
    team: Team = Field(default_factory=Team)
    conditions: list[str] = Field(default_factory=list)
    components: dict[str, StackEntry] = Field(min_length=1)


class ActionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    benefit: int
    says: str


class ReviewRules(BaseModel):
    """knowledge/review.yaml."""

    model_config = ConfigDict(extra="forbid")
    actions: dict[str, ActionSpec]
    table: dict[State, dict[Verdict, str]]
    high_cost_migrate: str
    migration_cost_rank: dict[str, int]
    top: int = Field(3, ge=1)

    def model_post_init(self, _context) -> None:
        used = {a for row in self.table.values() for a in row.values()} | {self.high_cost_migrate}
        if unknown := sorted(used - set(self.actions)):
            raise ValueError(f"actions used in the table but not defined under `actions`: {unknown}")


class ReviewRow(BaseModel):
    """One component of the review."""

    component: str
    name: str
    state: State
    what: str = ""
    verdict: Verdict
    action: str
    migration_cost: str
    reason: str = Field(description="Why, with [n] markers into `citations`.")


class StackReview(BaseModel):
    """The whole review: the table, the actions that matter most first, and the sources."""

    rows: list[ReviewRow]
    priorities: list[str]
    conditions: list[str]
    citations: list[Citation]


def load_rules(knowledge_dir: Path) -> ReviewRules:
    return load_model(Path(knowledge_dir) / "review.yaml", ReviewRules, "see the comments in knowledge/review.yaml")


def _where(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "(top level)"


def parse_stack(data: object, matrix: Matrix, taxonomy: Taxonomy, source: str = "stack") -> Stack:
    """A validated stack; InputError naming the row or field that is wrong, with what would be accepted."""
    if isinstance(data, str):
        try:
            data = yaml.safe_load(data)
        except yaml.YAMLError as exc:
            raise InputError(f"{source}: not valid YAML or JSON: {exc}", "fix the syntax") from exc
    try:
        stack = Stack.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(f"{source}: field '{_where(err['loc'])}': {err['msg']}",
                          "expected {team: {engineers: N}, conditions: [...], components: {SLUG: {state: built|bought|none, "
                          "what: ...}}}") from exc
    for slug in stack.components:
        if matrix.get(slug) is None:
            near = difflib.get_close_matches(slug, matrix.slugs, n=1)
            hint = f"did you mean '{near[0]}'? " if near else ""
            raise InputError(f"{source}: components.{slug}: unknown component",
                             f"{hint}known components: {', '.join(matrix.slugs)}")
    for i, cond in enumerate(stack.conditions):
        if cond not in taxonomy.ids:
            raise InputError(f"{source}: conditions[{i}]: unknown condition {cond!r}",
                             f"known conditions: {', '.join(taxonomy.ids)}")
    return stack


def _conditions(stack: Stack, thresholds: Thresholds) -> list[str]:
    conds = list(dict.fromkeys(stack.conditions))
    if stack.team.engineers:
        q = Quantity(kind="engineers", value=stack.team.engineers, text=f"{stack.team.engineers} engineers")
        for cond, polarity in implications([q], thresholds).items():
            if polarity == "stated" and cond not in conds:
                conds.append(cond)
            elif polarity == "negated" and cond in conds and cond not in stack.conditions:
                conds.remove(cond)
    return conds


def review(stack: Stack, matrix: Matrix, taxonomy: Taxonomy, knowledge_dir: Path,
           thresholds: Thresholds | None = None) -> StackReview:
    """Apply the matrix to every component of the stack under the team's conditions."""
    rules = load_rules(knowledge_dir)
    if thresholds is None:
        thresholds = load_thresholds(Path(knowledge_dir) / "understanding" / "quantities.yaml")
    engine = DecisionEngine(matrix, taxonomy)
    citer = NoteCiter(Path(knowledge_dir))
    conds = _conditions(stack, thresholds)
    rows: list[ReviewRow] = []
    for slug, entry in stack.components.items():
        comp = matrix.get(slug)
        d = engine.decide(ConversationState(component=slug, components=[slug], conditions=conds))
        verdict = d.verdict or comp.verdict
        action = rules.table[entry.state][verdict]
        if action == "migrate" and comp.migration_cost == "high":
            action = rules.high_cost_migrate
        if d.deciding:
            why, note = d.deciding.advice, d.deciding.note
        elif action in ("narrow", "build") and (part := comp.build_part):
            why, note = part.advice, part.note
        else:
            why, note = comp.summary, comp.note
        reason = f"{_first_sentence(why)} {citer.cite(note)}".strip()
        rows.append(ReviewRow(component=slug, name=comp.name, state=entry.state, what=entry.what, verdict=verdict,
                              action=action, migration_cost=comp.migration_cost, reason=reason))
    return StackReview(rows=rows, priorities=_priorities(rows, rules), conditions=conds, citations=citer.citations())


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    m = re.search(r"(?<=[.!?])\s+(?=[A-Z])", text)
    return text[: m.start()] if m else text


def _priorities(rows: list[ReviewRow], rules: ReviewRules) -> list[str]:
    todo = [r for r in rows if rules.actions[r.action].benefit > 0]
    cost = rules.migration_cost_rank
    # Adopting where nothing runs today moves nothing, so it carries no migration cost.
    todo.sort(key=lambda r: (-rules.actions[r.action].benefit, 0 if r.state == "none" else cost.get(r.migration_cost, 9)))
    out = []
    for r in todo[: rules.top]:
        now = f" ({r.what})" if r.what else " (nothing today)" if r.state == "none" else ""
        out.append(f"**{r.name}**{now}: {rules.actions[r.action].says} {r.reason}")
    return out


_NONE = re.compile(r"\b(no|none|without|nothing for|don'?t have|do not have|lack|missing)\b", re.IGNORECASE)
# A named tool counts as bought (open source included) unless the clause says the team wrote it.
_BUILT = re.compile(r"\b(home-?grown|in-?house|custom|hand-?rolled|self-built|we (?:built|wrote)|diy|fork(?:ed)?)\b",
                    re.IGNORECASE)


def parse_text(text: str, reader, matrix: Matrix) -> Stack:
    """A stack from free text ("Airflow, a homegrown feature store, W&B, no monitoring, 12 engineers, HIPAA")."""
    whole = reader.read(text)
    by_doc: dict[str, list[tuple[str, str]]] = {}
    for c in matrix.components:
        for o in c.buy:
            by_doc.setdefault(o.doc, []).append((c.slug, o.name))
    components: dict[str, StackEntry] = {}
    for clause in (c.strip() for c in re.split(r"[,;\n]|\s+and\s+|\s+plus\s+", text)):
        if not clause:
            continue
        r = reader.read(clause)
        # A tool listed under several rows (W&B tracks runs and keeps a registry) goes to the row the clause
        # reads as, else to the first row that lists it.
        rows = [hit for v in r.vendors for hit in by_doc.get(v, [])]
        vendor = next((h for h in rows if h[0] == r.component), rows[0] if rows else None)
        slug = vendor[0] if vendor else (r.named[0] if r.named else r.component)
        if not slug or matrix.get(slug) is None or slug in components:
            continue
        if _NONE.search(clause):
            entry = StackEntry(state="none")
        elif vendor and not _BUILT.search(clause):
            entry = StackEntry(state="bought", what=vendor[1])
        else:
            entry = StackEntry(state="built", what=clause[:200])
        components[slug] = entry
    if not components:
        raise InputError("no component of the matrix found in the stack description",
                         "name what you run per component, e.g. 'Airflow, a homegrown feature store, no monitoring'")
    engineers = next((int(q.value) for q in whole.quantities if q.kind == "engineers"), None)
    return Stack(team=Team(engineers=engineers), conditions=list(whole.conditions), components=components)


def markdown(rv: StackReview) -> str:
    """The review as Markdown: the actions first, then the table, then the sources."""
    lines = ["**Do these first**", ""]
    lines += [f"{i}. {p}" for i, p in enumerate(rv.priorities, 1)] or ["Nothing to change: keep what you run."]
    lines += ["", "| Component | Now | Verdict | Action | Migration cost | Why |", "|---|---|---|---|---|---|"]
    for r in rv.rows:
        now = r.state if not r.what else f"{r.state}: {r.what}"
        cells = [r.name, now, r.verdict.capitalize(), r.action.replace("-", " "), r.migration_cost, r.reason]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    if rv.conditions:
        lines += ["", "Conditions applied: " + ", ".join(rv.conditions) + "."]
    lines += ["", "**Sources**", ""] + [f"[{c.n}] {c.title} ({c.source})" for c in rv.citations]
    return "\n".join(lines)
