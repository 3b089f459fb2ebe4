"""The result type every door and the evals share."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Verdict = Literal["buy", "build", "hybrid", "depends"]
VERDICTS: tuple[str, ...] = ("buy", "build", "hybrid", "depends")


class Citation(BaseModel):
    """One numbered source in an answer."""

    n: int
    doc_id: str
    title: str
    section: str = ""
    source: str = ""
    snippet: str = ""
    score: float = 0.0


class Timings(BaseModel):
    """Milliseconds spent in each stage."""

    understand_ms: float = 0.0
    retrieve_ms: float = 0.0
    decide_ms: float = 0.0
    generate_ms: float = 0.0
    total_ms: float = 0.0


class Answer(BaseModel):
    """A grounded answer: text with [n] markers, the verdict, and the sources they point to."""

    text: str
    verdict: Verdict | None = None
    component: str | None = None
    components: list[str] = Field(default_factory=list)
    topic: str | None = None
    act: str | None = Field(None, description="What the question asked for: verdict, vendor, enough, what-if, ...")
    part: str | None = Field(None, description="The part of the component the verdict is for ('whole' when not split).")
    conditions: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    refused: bool = False
    flagged: bool = Field(False, description="True when an LLM answer kept no valid citation or contradicted the matrix verdict.")
    conversation_id: str | None = None
    turn: int = 0
    generator: str = "composer"
    timings: Timings = Field(default_factory=Timings)
