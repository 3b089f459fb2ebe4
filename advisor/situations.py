"""Other ways askers state the situations the component notes describe (knowledge/understanding/situations.yaml)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field, RootModel, field_validator

from .datafiles import load_model
from .errors import ConfigError

SITUATIONS_FILE = "situations.yaml"
SITUATIONS_SECTION = "situations that change"  # the heading of a note's situation sentences (lower case)
_OPENING = re.compile(r"^(?:when|if|where|with)\s+", re.IGNORECASE)


def is_situations_section(title: str) -> bool:
    """Whether a note's section title is its 'Situations that change the details' section."""
    return SITUATIONS_SECTION in title.lower()


def situation_head(sentence: str) -> str:
    """The situation a note's sentence describes: its words after the opening 'When' up to the first comma
    ('' when the sentence does not open that way or has no comma)."""
    s = sentence.lstrip("-* ").strip()
    head = _OPENING.sub("", s.split(",")[0]).strip()
    return "" if not head or head == s else head


class Phrasings(BaseModel):
    """One situation of a note and how askers say it of themselves."""

    when: str = Field(min_length=3)
    said: list[str] = Field(min_length=1)
    # Words an asker's clause must hold to tell this situation, where likeness alone is fooled by a shared name ("IT
    # runs on Azure" is like "a migration to Azure is planned" but moves nothing): a regular expression.
    needs: str = ""
    # Words that tell this situation outright, where likeness is too weak to see it through the asker's own details
    # ("we score all 55M subscribers nightly for churn (LightGBM, a Spark job)"): a regular expression; a clause that
    # matches it states the situation.
    told: str = ""
    # Words that tell the opposite of this situation ("scored in batch nightly and also in real time via a quote API"
    # is no batch-only shop): a regular expression; when any clause matches it, the situation is not theirs.
    unless: str = ""

    @field_validator("needs", "told", "unless")
    @classmethod
    def _compiles(cls, v: str) -> str:
        try:
            re.compile(v)
        except re.error as e:
            raise ValueError(f"not a regular expression: {e}") from None
        return v

    @field_validator("said")
    @classmethod
    def _not_blank(cls, v: list[str]) -> list[str]:
        if any(not s.strip() for s in v):
            raise ValueError("a phrasing is empty")
        return [s.strip() for s in v]


class SituationsFile(RootModel[dict[str, list[Phrasings]]]):
    """The file: note name (guidance/<name>.md) -> its situations' phrasings."""


def note_heads(note: Path) -> list[str]:
    """The situation heads of a guidance note's 'Situations that change the details' section, in order."""
    heads, inside = [], False
    for line in note.read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            inside = is_situations_section(line[3:])
        elif inside and line.startswith("- "):
            head = situation_head(line)
            if head:
                heads.append(head)
    return heads


class SituationPhrasings:
    """The asker-side phrasings of each note situation, and their sentence vectors (computed once, on first use)."""

    def __init__(self, said: dict[str, list[str]] | None = None, needs: dict[str, str] | None = None,
                 told: dict[str, str] | None = None, unless: dict[str, str] | None = None):
        self.said = said or {}  # situation head -> phrasings
        self.needs = {h: re.compile(p, re.IGNORECASE) for h, p in (needs or {}).items() if p}  # head -> words it needs
        self.told = {h: re.compile(p, re.IGNORECASE) for h, p in (told or {}).items() if p}  # head -> words telling it
        self.unless = {h: re.compile(p, re.IGNORECASE) for h, p in (unless or {}).items() if p}  # head -> its opposite
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    @classmethod
    def load(cls, knowledge_dir: Path) -> SituationPhrasings:
        """The phrasings in `knowledge_dir`/understanding/situations.yaml, each checked against its note;
        none when the file is absent."""
        path = knowledge_dir / "understanding" / SITUATIONS_FILE
        if not path.exists():
            return cls()
        data = load_model(path, SituationsFile, "each entry is `when:` (a situation of the note, word for word) "
                          "and `said:` (a list of phrasings)").root
        said: dict[str, list[str]] = {}
        needs: dict[str, str] = {}
        told: dict[str, str] = {}
        unless: dict[str, str] = {}
        for name, entries in data.items():
            note = knowledge_dir / "guidance" / f"{name}.md"
            if not note.exists():
                raise ConfigError(f"{path}: '{name}': no note {note}", "use a guidance note's file name without .md")
            heads = set(note_heads(note))
            for i, entry in enumerate(entries):
                if entry.when not in heads:
                    raise ConfigError(f"{path}: '{name}'[{i}]: field 'when': {entry.when!r} is not a situation of "
                                      f"{note}", "copy the words after 'When' up to the first comma of one of "
                                      "its 'Situations that change the details' sentences")
                said.setdefault(entry.when, []).extend(entry.said)
                if entry.needs:
                    needs[entry.when] = entry.needs
                if entry.told:
                    told[entry.when] = entry.told
                if entry.unless:
                    unless[entry.when] = entry.unless
        return cls(said, needs, told, unless)

    def told_in(self, head: str, clauses: list[str]) -> int | None:
        """The first clause that tells the situation in the words that state it outright; None when none does."""
        rx = self.told.get(head)
        return next((i for i, c in enumerate(clauses) if rx is not None and rx.search(c)), None)

    def contradicted(self, head: str, clauses: list[str]) -> bool:
        """Whether a clause tells the opposite of the situation (its `unless:` words)."""
        rx = self.unless.get(head)
        return rx is not None and any(rx.search(c) for c in clauses)

    def allows(self, head: str, clause: str) -> bool:
        """Whether a clause holds the words its situation needs (every clause, for a situation that needs none)."""
        rx = self.needs.get(head)
        return rx is None or bool(rx.search(clause))

    def vectors(self, head: str, embed: Callable[[list[str]], list[list[float]]]) -> np.ndarray:
        """Unit vectors of the note's own words (first row) and of every phrasing of that situation."""
        with self._lock:
            hit = self._vectors.get(head)
        if hit is not None:
            return hit
        own = np.asarray(embed([head])[0], dtype=np.float32)
        rows = [own / (np.linalg.norm(own) + 1e-12)]
        if self.said.get(head):
            v = np.asarray(embed(self.said[head]), dtype=np.float32)
            rows += list(v / (np.linalg.norm(v, axis=1, keepdims=True) + 1e-12))
        out = np.vstack(rows)
        with self._lock:
            self._vectors[head] = out
        return out
