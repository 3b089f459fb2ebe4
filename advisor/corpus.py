"""The understanding corpus: labelled utterances and clauses in YAML, validated against the matrix."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError

ACTS: tuple[str, ...] = ("verdict", "build-part", "vendor", "enough", "what-if", "why", "risks", "cost",
                         "switch", "evaluate", "implement", "general", "statement", "off-topic")
TOPICS: tuple[str, ...] = ("four-questions", "key-factors", "hybrid-approaches", "arguments-for-building",
                           "arguments-for-buying", "common-mistake", "startup-build", "overview")
POLARITIES: tuple[str, ...] = ("stated", "negated", "retracted")
WHOLE = "whole"
OTHER, NONE = "other", "none"


class Utterance(BaseModel):
    """One whole turn and what it means."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    component: str
    part: str = WHOLE
    act: Literal[ACTS]  # type: ignore[valid-type]
    topic: Literal[TOPICS] | None = None  # type: ignore[valid-type]
    conditions: list[str] = Field(default_factory=list)
    negated: list[str] = Field(default_factory=list)


class Clause(BaseModel):
    """One fact and whether the asker states, denies or takes it back."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    condition: str
    polarity: Literal[POLARITIES] | None = None  # type: ignore[valid-type]


class Corpus(BaseModel):
    """Everything the understanding stage trains on."""

    utterances: list[Utterance]
    clauses: list[Clause]
    digest: str


def _load_list(path: Path) -> list:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc}", "check ADVISOR_KNOWLEDGE_DIR") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}", "fix the syntax") from exc
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a YAML list of items", "start each item with '- text: ...'")
    return data


def _validate(path: Path, i: int, item: object, model: type[BaseModel]) -> BaseModel:
    try:
        return model.model_validate(item)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(x) for x in err["loc"]) or "(item)"
        text = item.get("text", "") if isinstance(item, dict) else ""
        raise ConfigError(f"{path}: item {i} ({str(text)[:40]!r}): field '{field}': {err['msg']}",
                          "fix the item; the schema is in knowledge/understanding/README.md") from exc


def load_corpus(directory: Path, components: dict[str, list[str]], conditions: list[str]) -> Corpus:
    """Load utterances/*.yaml and clauses/*.yaml; labels are checked against the matrix and taxonomy.

    `components` maps each matrix slug to its part names.
    """
    utterances: list[Utterance] = []
    clauses: list[Clause] = []
    digest = hashlib.sha256()
    files = sorted((directory / "utterances").glob("*.yaml")) + sorted((directory / "clauses").glob("*.yaml"))
    if not files:
        raise ConfigError(f"{directory}: no utterances/*.yaml or clauses/*.yaml",
                          "the understanding corpus ships in knowledge/understanding/")
    known_components = {*components, OTHER, NONE}
    known_conditions = set(conditions)
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
        is_clause = path.parent.name == "clauses"
        for i, item in enumerate(_load_list(path), 1):
            if is_clause:
                c = _validate(path, i, item, Clause)
                if c.condition != NONE and c.condition not in known_conditions:
                    raise ConfigError(f"{path}: item {i}: field 'condition': unknown condition {c.condition!r}",
                                      f"use none or one of {', '.join(conditions)}")
                if c.condition != NONE and c.polarity is None:
                    raise ConfigError(f"{path}: item {i}: field 'polarity': required for a condition",
                                      "use stated, negated or retracted")
                clauses.append(c)
                continue
            u = _validate(path, i, item, Utterance)
            if u.component not in known_components:
                raise ConfigError(f"{path}: item {i}: field 'component': unknown component {u.component!r}",
                                  f"use one of {', '.join(sorted(known_components))}")
            if u.part != WHOLE and u.part not in components.get(u.component, []):
                raise ConfigError(f"{path}: item {i}: field 'part': {u.part!r} is not a part of {u.component}",
                                  f"use whole or one of {', '.join(components.get(u.component, [])) or '(none)'}")
            for fld in ("conditions", "negated"):
                bad = [c for c in getattr(u, fld) if c not in known_conditions]
                if bad:
                    raise ConfigError(f"{path}: item {i}: field '{fld}': unknown condition(s) {', '.join(bad)}",
                                      f"use ids from conditions.yaml: {', '.join(conditions)}")
            utterances.append(u)
    return Corpus(utterances=utterances, clauses=clauses, digest=digest.hexdigest()[:16])
