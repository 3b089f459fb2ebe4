"""Eval datasets: YAML lists of cases, validated with pydantic against the matrix and the knowledge base."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from ..errors import ConfigError

ExpectedVerdict = Literal["buy", "build", "hybrid", "depends", "refuse"]
# What the question asked for (Answer.act) and which part of a component the verdict is for (Answer.part).
ACTS = ("verdict", "build-part", "vendor", "enough", "what-if", "why", "risks", "cost", "switch", "evaluate",
        "implement", "general", "statement", "off-topic")
DEFAULT_DIR = Path("evals/datasets")


class Expect(BaseModel):
    """What a case expects of the answer to its last turn; a field left out is not scored."""

    model_config = ConfigDict(extra="forbid")

    component: str | None = None
    # None (written `verdict: null`) means "no verdict": a general-topic answer, not a refusal.
    verdict: ExpectedVerdict | None = None
    mention: list[str] = Field(default_factory=list)
    cite: list[str] = Field(default_factory=list)
    act: str | None = None
    # The answer's part; an answer without one counts as "whole".
    part: str | None = None
    # The condition ids in force for the last answer, compared as a set ([] = none may be in force).
    conditions: list[str] | None = None
    # Phrases the first two sentences must contain (badge/heading lines and markers skipped).
    lead: list[str] = Field(default_factory=list)
    not_mention: list[str] = Field(default_factory=list)

    @field_validator("mention", "cite", "lead", "not_mention", "conditions")
    @classmethod
    def _non_empty_items(cls, value: list[str] | None) -> list[str]:
        if value is None:
            raise ValueError("must be a list (use [] for none)")
        if any(not isinstance(v, str) or not v.strip() for v in value):
            raise ValueError("every item must be a non-empty string")
        return list(dict.fromkeys(v.strip() for v in value))

    @field_validator("act")
    @classmethod
    def _known_act(cls, value: str | None) -> str:
        if value not in ACTS:
            raise ValueError(f"{value!r} is not an act; use one of {', '.join(ACTS)}")
        return value

    @field_validator("part")
    @classmethod
    def _part_shape(cls, value: str | None) -> str:
        # Which parts exist is the matrix's business: _check_refs checks the name against the component's row.
        if not isinstance(value, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", value):
            raise ValueError(f"{value!r} is not a part name; use 'whole' or a part listed in the matrix row")
        return value

    @property
    def scores_component(self) -> bool:
        return "component" in self.model_fields_set

    @property
    def scores_verdict(self) -> bool:
        return "verdict" in self.model_fields_set

    @property
    def scores_conditions(self) -> bool:
        return self.conditions is not None

    @property
    def expects_refusal(self) -> bool:
        return self.verdict == "refuse"

    def scored(self) -> dict:
        """Only the expectations the case actually sets (what reports show as 'expected')."""
        out: dict = {}
        if self.scores_component:
            out["component"] = self.component
        if self.scores_verdict:
            out["verdict"] = self.verdict
        if self.mention:
            out["mention"] = self.mention
        if self.cite:
            out["cite"] = self.cite
        if self.act is not None:
            out["act"] = self.act
        if self.part is not None:
            out["part"] = self.part
        if self.scores_conditions:
            out["conditions"] = self.conditions
        if self.lead:
            out["lead"] = self.lead
        if self.not_mention:
            out["not_mention"] = self.not_mention
        return out


class Case(BaseModel):
    """One eval case: a question (or a conversation's turns) and what the last answer must satisfy."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    question: str | None = None
    turns: list[str] | None = None
    expect: Expect
    tags: list[str] = Field(default_factory=list)
    file: str = Field("", exclude=True)

    @model_validator(mode="after")
    def _one_form(self) -> Case:
        if (self.question is None) == (self.turns is None):
            raise ValueError("give exactly one of `question` or `turns`")
        if self.turns is not None and not self.turns:
            raise ValueError("`turns` must list at least one question")
        if any(not t.strip() for t in self.conversation):
            raise ValueError("questions must not be empty")
        if not self.expect.scored():
            raise ValueError("`expect` sets nothing to score: add component, verdict, mention, cite, act, "
                             "part, conditions, lead or not_mention")
        if self.expect.expects_refusal and (self.expect.mention or self.expect.cite):
            raise ValueError("a case expecting `refuse` cannot also expect mentions or citations")
        return self

    @property
    def conversation(self) -> list[str]:
        return list(self.turns) if self.turns is not None else [self.question or ""]


def _where(loc: tuple) -> str:
    return ".".join(str(p) for p in loc) or "(case)"


def parse_cases(raw: object, file: str) -> list[Case]:
    """Validate the parsed YAML of one dataset file; errors name the file, the case and the field."""
    if not isinstance(raw, list):
        raise ConfigError(f"{file}: a dataset must be a YAML list of cases, got {type(raw).__name__}",
                          "start each case with '- id: ...'")
    cases = []
    for i, item in enumerate(raw, 1):
        cid = item.get("id") if isinstance(item, dict) and isinstance(item.get("id"), str) else f"#{i}"
        if not isinstance(item, dict):
            raise ConfigError(f"{file}: case {cid}: expected a mapping with id, question/turns and expect",
                              "see evals/README.md for the case schema")
        try:
            case = Case.model_validate(item)
        except ValidationError as exc:
            err = exc.errors()[0]
            field = _where(err["loc"])
            raise ConfigError(f"{file}: case {cid!r}: field {field!r}: {err['msg']}",
                              "fix the case; the schema is in evals/README.md") from exc
        case.file = file
        cases.append(case)
    return cases


def _check_refs(case: Case, components: set[str] | None, docs: set[str] | None,
                conditions: set[str] | None = None, parts: dict[str, set[str]] | None = None) -> None:
    e = case.expect
    if parts is not None and e.part not in (None, "whole"):
        known = parts.get(e.component or "", set())
        if e.part not in known:
            raise ConfigError(f"{case.file}: case {case.id!r}: field 'expect.part': {e.part!r} is not a part of "
                              f"{e.component or 'the (missing) component'}",
                              f"use 'whole' or one of: {', '.join(sorted(known)) or 'none (the row has no parts)'}")
    if components is not None and e.component is not None and e.component not in components:
        raise ConfigError(f"{case.file}: case {case.id!r}: field 'expect.component': "
                          f"{e.component!r} is not a matrix component",
                          f"use one of {', '.join(sorted(components))}, or null when no matrix row applies")
    for doc in e.cite:
        if docs is not None and doc not in docs:
            raise ConfigError(f"{case.file}: case {case.id!r}: field 'expect.cite': "
                              f"{doc!r} is not a knowledge document id",
                              "doc ids are the note file names under knowledge/ without .md")
    for cond in e.conditions or []:
        if conditions is not None and cond not in conditions:
            raise ConfigError(f"{case.file}: case {case.id!r}: field 'expect.conditions': "
                              f"{cond!r} is not a condition id",
                              f"use ids from knowledge/conditions.yaml: {', '.join(sorted(conditions))}")


def dataset_files(paths: list[Path] | None) -> list[Path]:
    """The files to load: the given files (or YAML files in given dirs), default evals/datasets/*.yaml."""
    paths = list(paths or [DEFAULT_DIR])
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted([*p.glob("*.yaml"), *p.glob("*.yml")])
        elif p.is_file():
            files.append(p)
        else:
            raise ConfigError(f"dataset {p} does not exist", "pass a YAML file or a directory of them")
    if not files:
        raise ConfigError(f"no dataset files found in {', '.join(map(str, paths))}",
                          "add YAML files under evals/datasets/ or pass --dataset FILE")
    return files


def load_cases(paths: list[Path] | None = None, *, components: set[str] | None = None,
               docs: set[str] | None = None, conditions: set[str] | None = None,
               tags: list[str] | None = None, parts: dict[str, set[str]] | None = None) -> list[Case]:
    """Load and validate every case; optionally keep only cases carrying one of `tags`.

    `components`, `docs` and `conditions` (matrix slugs, knowledge doc ids, taxonomy condition ids), when
    given, are what `expect.component`, `expect.cite` and `expect.conditions` are checked against.
    """
    cases: list[Case] = []
    seen: dict[str, str] = {}
    for path in dataset_files(paths):
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {exc}", "fix the YAML syntax") from exc
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read: {exc}", "check the path and permissions") from exc
        extra = {p.stem for d in _ingest_of(path) for p in d.rglob("*.md")}
        for case in parse_cases(raw, str(path)):
            if case.id in seen:
                raise ConfigError(f"{path}: case {case.id!r}: field 'id': duplicate id (also in {seen[case.id]})",
                                  "give every case a unique id")
            seen[case.id] = str(path)
            _check_refs(case, components, docs | extra if docs is not None else None, conditions, parts)
            cases.append(case)
    if tags:
        cases = [c for c in cases if set(c.tags) & set(tags)]
        if not cases:
            raise ConfigError(f"no case is tagged {', '.join(tags)}", "check the --tag value against the datasets")
    return cases


def _ingest_of(path: Path) -> list[Path]:
    """The user documents a dataset's cases need in the index: the directory beside it named like it
    with `.docs` (evals/datasets/your_documents.yaml -> your_documents.docs/), when there is one."""
    docs = path.with_suffix(".docs")
    return [docs.resolve()] if docs.is_dir() else []


def ingest_paths(cases: list[Case]) -> list[Path]:
    """The user documents the datasets of `cases` need ingested (none for most datasets)."""
    out: list[Path] = []
    for file in dict.fromkeys(c.file for c in cases):
        out += [d for d in _ingest_of(Path(file)) if d not in out]
    return out


def knowledge_doc_ids(knowledge_dir: Path) -> set[str]:
    """Knowledge document ids: the Markdown file names (without .md) under the knowledge dir."""
    return {p.stem for p in Path(knowledge_dir).rglob("*.md")}
