"""The decision matrix and the condition taxonomy: YAML files validated by pydantic models."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .datafiles import check_patterns
from .errors import ConfigError

MigrationCost = Literal["low", "medium", "high"]
MatrixVerdict = Literal["buy", "build", "hybrid", "depends"]
Basis = Literal["source", "framework"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """A named tool to buy, with the knowledge note that describes it."""

    name: str
    doc: str
    aliases: list[str] = Field(default_factory=list)


class Provenance(_Strict):
    """Where a verdict comes from: stated in a source article (`source` names it) or our framework."""

    basis: Basis  # required: the validator rejects a verdict or rule that does not say where it comes from
    source: str | None = None

    @model_validator(mode="after")
    def _source_matches_basis(self) -> Provenance:
        if self.basis == "source" and not self.source:
            raise ValueError("basis 'source' needs `source:` naming the article (an id under `sources:`)")
        if self.basis == "framework" and self.source:
            raise ValueError("basis 'framework' takes no `source:`; the note explains the reasoning")
        return self


class _Depends(_Strict):
    """A `depends` verdict names what it turns on, so an answer never says "it depends" and stops there."""

    # Completes "it depends on ...": what the asker has to know about themselves to settle it.
    depends_on: str | None = None

    @model_validator(mode="after")
    def _depends_says_on_what(self):
        if getattr(self, "verdict", None) == "depends" and not self.depends_on:
            raise ValueError("verdict 'depends' needs `depends_on:` (what the answer turns on, completing "
                             "'it depends on ...')")
        return self


# Facts about the asker that void a rule written for the usual case ("rent GPUs" to a team whose GPUs are its own).
RuleFact = Literal["owns-hardware", "provider-approved"]


class ConditionRule(Provenance, _Depends):
    """How one condition moves a component's verdict, and the note that supports it."""

    condition: str
    verdict: MatrixVerdict
    advice: str
    note: str
    unless: list[RuleFact] = Field(default_factory=list)  # the rule does not hold for an asker with these facts


class FactRule(Provenance):
    """How a fact about the asker, not a condition, sets a part's verdict when no condition decides it (GPUs they
    already own make the GPU compute theirs to run, with rented capacity beside it)."""

    fact: RuleFact
    label: str  # how the answer names the fact ("the GPUs you already have")
    verdict: MatrixVerdict
    advice: str
    note: str


class Part(Provenance, _Depends):
    """A part of a component whose verdict differs from the whole (e.g. orchestration vs transforms)."""

    name: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    label: str
    verdict: MatrixVerdict
    advice: str
    note: str
    # Words that name this part and never the whole row ("annotation tool", "the registry itself"): said in the
    # sentence that asks, they settle which part is asked about where the part head reads the whole row.
    names: list[str] = Field(default_factory=list)
    conditions: list[ConditionRule] = Field(default_factory=list)
    given: list[FactRule] = Field(default_factory=list)  # verdicts set by a fact about the asker (`FactRule`)
    # How a buy or build verdict reads for this part when "buy <label>" or "build <label> yourselves" would
    # not ("buy self-hosted open-weight models" means: call a hosted API instead).
    buy_clause: str | None = None
    build_clause: str | None = None
    # A part that is the answer only while a condition holds ("a thin wrapper" while needs are simple): a turn
    # that says the condition does not hold ("14 models") is about another part, whatever its words.
    holds_while: str | None = None
    # A part built on top of another part of the row ("a custom optimisation layer" on "the serving platform"): a
    # product they run sells the part underneath, never this one.
    on_top_of: str | None = None

    def rule_for(self, condition: str, facts: dict[str, str] | None = None) -> ConditionRule | None:
        """The rule for `condition`, unless the asker's facts void it (`unless`)."""
        return next((r for r in self.conditions if r.condition == condition
                     and not any(f in (facts or {}) for f in r.unless)), None)


class Component(Provenance, _Depends):
    """One row of the matrix; `basis`/`source` are the provenance of its default verdict."""

    slug: str
    name: str
    noun: str = ""  # how a sentence names it ("a feature store", "data pipelines")
    note: str
    synonyms: list[str] = Field(min_length=1)
    verdict: MatrixVerdict
    summary: str
    buy: list[Option] = Field(default_factory=list)
    # Products of this row with no vendor note ("Ragas", "Kognic"): they tell which row a question is about, like a
    # vendor's name does, but are never offered as options (nothing checked is known about them).
    products: list[str] = Field(default_factory=list)
    build: str
    parts: list[Part] = Field(default_factory=list)
    conditions: list[ConditionRule] = Field(default_factory=list)
    migration_cost: MigrationCost
    migration: str
    example: str = Field(min_length=10)  # a question this row answers, shown in the refusal text and the UI examples

    @field_validator("parts")
    @classmethod
    def _unique_parts(cls, parts: list[Part]) -> list[Part]:
        names = [p.name for p in parts]
        dupes = sorted({n for n in names if names.count(n) > 1 or n == "whole"})
        if dupes:
            raise ValueError(f"duplicate or reserved part names: {', '.join(dupes)}")
        wrong = [f"{p.name}.on_top_of: {p.on_top_of!r}" for p in parts
                 if p.on_top_of is not None and (p.on_top_of not in names or p.on_top_of == p.name)]
        if wrong:
            raise ValueError(f"on_top_of must name another part of the row: {', '.join(wrong)}")
        return parts

    def rule_for(self, condition: str, facts: dict[str, str] | None = None) -> ConditionRule | None:
        """The rule for `condition`, unless the asker's facts void it (`unless`)."""
        return next((r for r in self.conditions if r.condition == condition
                     and not any(f in (facts or {}) for f in r.unless)), None)

    @cached_property
    def mentions(self) -> re.Pattern[str]:
        """Any of the row's own names in text ("orchestration", "data pipelines"), longest first, case-insensitive."""
        words = sorted({self.name.lower(), self.noun.lower(), *(w.lower() for w in self.synonyms)} - {""}, key=len,
                       reverse=True)
        return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)

    def part(self, name: str | None) -> Part | None:
        """The named part, or None for the whole component (or a part this row does not split out)."""
        return next((p for p in self.parts if p.name == name), None)

    @property
    def build_part(self) -> Part | None:
        """The part that is yours to build, when the row splits one out."""
        return next((p for p in self.parts if p.verdict == "build"), None)

    def build_part_given(self, negated: list[str]) -> Part | None:
        """The part yours to build, unless it holds only while a condition the asker ruled out ("14 models")."""
        part = self.build_part
        return None if part and part.holds_while in negated else part


class GlobalRule(Provenance):
    """A rule that holds for every component (e.g. infrastructure as the product means build)."""

    condition: str
    verdict: MatrixVerdict
    advice: str
    note: str


class Matrix(_Strict):
    """The whole decision matrix."""

    version: int = 1
    sources: dict[str, str] = Field(default_factory=dict)  # article id -> its title, for `basis: source`
    global_rules: list[GlobalRule] = Field(default_factory=list)
    components: list[Component] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_sources(self) -> Matrix:
        bad = []
        for g in self.global_rules:
            if g.source and g.source not in self.sources:
                bad.append(f"global_rules.{g.condition}, field 'source': unknown article '{g.source}'")
        for c in self.components:
            rows: list[tuple[str, Provenance]] = [("", c)]
            rows += [(f"conditions.{r.condition}.", r) for r in c.conditions]
            for p in c.parts:
                rows += [(f"parts.{p.name}.", p)] + [(f"parts.{p.name}.conditions.{r.condition}.", r)
                                                     for r in p.conditions]
                rows += [(f"parts.{p.name}.given.{g.fact}.", g) for g in p.given]
            bad += [f"entry {c.slug}, field '{where}source': unknown article '{r.source}'"
                    for where, r in rows if r.source and r.source not in self.sources]
        if bad:
            raise ValueError("; ".join(bad) + f" (known: {', '.join(self.sources) or 'none'})")
        return self

    @cached_property
    def option_names(self) -> frozenset[str]:
        """Every option's name as spelled by its vendor ("pgvector", "vLLM"), for sentence casing."""
        return frozenset(o.name for c in self.components for o in c.buy)

    def source_title(self, source: str | None) -> str:
        return self.sources.get(source or "", "")

    @field_validator("components")
    @classmethod
    def _unique_slugs(cls, comps: list[Component]) -> list[Component]:
        slugs = [c.slug for c in comps]
        dupes = sorted({s for s in slugs if slugs.count(s) > 1})
        if dupes:
            raise ValueError(f"duplicate component slugs: {', '.join(dupes)}")
        # A product with no note must not also be a row's name or a noted vendor's name: the lexicon would read it
        # one way or the other depending on order.
        names = {n.lower(): c.slug for c in comps for n in [c.name, *c.synonyms, *(x for o in c.buy for x in
                                                                                   (o.name, *o.aliases))]}
        seen: dict[str, str] = {}
        clash = []
        for c in comps:
            for p in c.products:
                if p.lower() in names or p.lower() in seen:
                    clash.append(f"entry {c.slug}, field 'products': {p!r} already names "
                                 f"{names.get(p.lower()) or seen.get(p.lower())}")
                seen[p.lower()] = c.slug
        if clash:
            raise ValueError("; ".join(clash))
        return comps

    @cached_property
    def by_slug(self) -> dict[str, Component]:
        return {c.slug: c for c in self.components}

    def get(self, slug: str) -> Component | None:
        return self.by_slug.get(slug)

    @property
    def slugs(self) -> list[str]:
        return [c.slug for c in self.components]


class _Patterned(_Strict):
    patterns: list[str] = Field(default_factory=list)

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        return check_patterns(patterns)

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in self.patterns) or "(?!)", re.IGNORECASE)


class Condition(_Patterned):
    """A circumstance that can move a verdict; how answers phrase it; what is likely to come up next."""

    id: str
    label: str
    phrase: str = ""
    phrase_general: str = ""  # the phrase when the asker said less than the label ("regulated", no rule on where data lives)
    unlike: str = ""  # how an answer says the asker's numbers rule the condition out ("past the simple case")
    when: str = ""  # how "what would change this" names it, after "If" ("your load grows: heavy traffic, ...")
    # Something a team measures or grows into: denied today ("we haven't measured anything"), it still says what would
    # have to become true; a fact about who they are (regulated, early-stage) denied is simply not them.
    measured: bool = False
    # Said in one clause or not at all (a measurement, a money problem): a long turn that only reads like it as a
    # whole does not state it (ADVISOR_CLAUSE_SUPPORT_MIN).
    clause_only: bool = False
    # Conditions that cannot hold beside this one: a later turn that states it replaces them ("low traffic", then
    # "50k messages a second").
    excludes: list[str] = Field(default_factory=list)
    next: list[str] = Field(default_factory=list)
    # The way an asker usually offers this fact ("we're a 4-person startup" argues for buying, "we measured a gap"
    # for building): a follow-up that adds it and leaves a call that goes the same way confirms it, one the other way
    # is answered "even though".
    argues: Literal["buy", "build"] | None = None


class Topic(_Patterned):
    """A general build-vs-buy topic (risks, switching later, ...) and the note that answers it."""

    id: str
    note: str


class OtherComponent(_Patterned):
    """ML/AI infrastructure with no matrix row; answered with the four questions."""

    name: str


class Taxonomy(_Strict):
    """Conditions in precedence order: when several apply, the first one listed decides."""

    conditions: list[Condition] = Field(min_length=1)
    general_topics: list[Topic] = Field(default_factory=list)
    other_components: list[OtherComponent] = Field(default_factory=list)
    act_notes: dict[str, str] = Field(default_factory=dict)  # question act -> the note that answers it
    next_when_nothing_stated: list[str] = Field(default_factory=list)

    @cached_property
    def ids(self) -> list[str]:
        return [c.id for c in self.conditions]

    def condition(self, condition_id: str) -> Condition | None:
        return next((c for c in self.conditions if c.id == condition_id), None)

    def rank(self, condition_id: str) -> int:
        return self.ids.index(condition_id) if condition_id in self.ids else len(self.ids)


def _describe(exc: ValidationError, data: object, list_key: str | None) -> str:
    """Turn pydantic's error list into 'entry <slug>, field <path>: message' lines."""
    lines = []
    for err in exc.errors():
        loc = list(err["loc"])
        entry = ""
        if list_key and len(loc) >= 2 and loc[0] == list_key and isinstance(loc[1], int):
            try:
                item = data[list_key][loc[1]]  # type: ignore[index]
                name = item.get("slug") or item.get("id") if isinstance(item, dict) else None
            except (KeyError, IndexError, TypeError):
                name = None
            entry = f"entry {loc[1]}" + (f" ({name})" if name else "") + ", "
            loc = loc[2:]
        field = ".".join(str(x) for x in loc) or "(top level)"
        lines.append(f"{entry}field '{field}': {err['msg']}")
    return "; ".join(lines)


def _load_yaml(path: Path) -> object:
    if not path.is_file():
        raise ConfigError(f"{path}: file not found", "check ADVISOR_KNOWLEDGE_DIR points at the knowledge base")
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}", "fix the syntax and try again") from exc


def load_matrix(path: Path, known_notes: set[str] | None = None) -> Matrix:
    """Load and validate the decision matrix; errors name the file, the entry and the field."""
    data = _load_yaml(path)
    try:
        matrix = Matrix.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_describe(exc, data, 'components')}", "fix the matrix entry") from exc
    if known_notes is not None:
        _check_notes(path, matrix, known_notes)
    return matrix


def _check_notes(path: Path, matrix: Matrix, known: set[str]) -> None:
    missing = []
    for c in matrix.components:
        refs = [("note", c.note)] + [(f"buy.{o.name}", o.doc) for o in c.buy]
        refs += [(f"conditions.{r.condition}.note", r.note) for r in c.conditions]
        for part in c.parts:
            refs += [(f"parts.{part.name}.note", part.note)]
            refs += [(f"parts.{part.name}.conditions.{r.condition}.note", r.note) for r in part.conditions]
            refs += [(f"parts.{part.name}.given.{g.fact}.note", g.note) for g in part.given]
        missing += [f"entry {c.slug}, field '{f}': unknown note '{d}'" for f, d in refs if d not in known]
    missing += [f"global_rules.{r.condition}, field 'note': unknown note '{r.note}'"
                for r in matrix.global_rules if r.note not in known]
    if missing:
        raise ConfigError(f"{path}: " + "; ".join(missing), "every note id must be a knowledge document id")


def load_taxonomy(path: Path) -> Taxonomy:
    """Load the condition taxonomy; errors name the file, the entry and the field."""
    data = _load_yaml(path)
    try:
        return Taxonomy.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_describe(exc, data, 'conditions')}", "fix the taxonomy entry") from exc


def check_consistency(matrix: Matrix, taxonomy: Taxonomy, path: Path) -> None:
    """Fail when the matrix names a condition the taxonomy does not define."""
    known = set(taxonomy.ids)
    bad = [f"entry {c.slug}, field 'conditions.{r.condition}'" for c in matrix.components
           for r in c.conditions if r.condition not in known]
    bad += [f"entry {c.slug}, field 'parts.{p.name}.conditions.{r.condition}'" for c in matrix.components
            for p in c.parts for r in p.conditions if r.condition not in known]
    bad += [f"global_rules, field '{r.condition}'" for r in matrix.global_rules if r.condition not in known]
    bad += [f"entry {c.slug}, field 'parts.{p.name}.holds_while': {p.holds_while}" for c in matrix.components
            for p in c.parts if p.holds_while and p.holds_while not in known]
    bad += [f"conditions.yaml entry {c.id}, field 'next': {n}" for c in taxonomy.conditions for n in c.next
            if n not in known]
    bad += [f"conditions.yaml entry {c.id}, field 'excludes': {n}" for c in taxonomy.conditions for n in c.excludes
            if n not in known or n == c.id]
    bad += [f"conditions.yaml, field 'next_when_nothing_stated': {n}" for n in taxonomy.next_when_nothing_stated
            if n not in known]
    if bad:
        raise ConfigError(f"{path}: unknown condition(s): " + "; ".join(bad),
                          f"use one of: {', '.join(taxonomy.ids)}")
