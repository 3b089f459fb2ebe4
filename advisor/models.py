"""The result type every door and the evals share."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Verdict = Literal["buy", "build", "hybrid", "depends"]
VERDICTS: tuple[str, ...] = ("buy", "build", "hybrid", "depends")



# Acts answered with guidance (how to roll out, what it costs, how to judge vendors, ...): the verdict heads no such
# answer (the UI badge and Slack header still carry it).
GUIDANCE_ACTS = frozenset({"risks", "cost", "switch", "evaluate", "implement", "general"})

class Citation(BaseModel):
    """One numbered source in an answer."""

    n: int
    doc_id: str
    title: str
    section: str = ""
    source: str = ""
    snippet: str = ""
    score: float = 0.0
    yours: bool = Field(False, description="True when the source is one of the user's own ingested documents "
                        "(kind 'document'), not the advisor's guidance or vendor notes.")


class Timings(BaseModel):
    """Milliseconds spent in each stage."""

    understand_ms: float = 0.0
    retrieve_ms: float = 0.0
    decide_ms: float = 0.0
    generate_ms: float = 0.0
    total_ms: float = 0.0


SectionKind = Literal["reasons", "options", "comparison", "build", "changes", "migration", "guidance", "facts",
                      "documents"]  # documents: "From your documents", passages of the user's own files


class Table(BaseModel):
    """A small table (a side-by-side comparison of options)."""

    columns: list[str]
    rows: list[list[str]]


class Section(BaseModel):
    """One typed part of an answer after its lead: a paragraph, bullets or a table (inline Markdown, [n] markers)."""

    kind: SectionKind
    title: str
    text: str = ""
    items: list[str] = Field(default_factory=list)
    table: Table | None = None


class TurnChange(BaseModel):
    """What this turn changed compared with the previous answer in the conversation."""

    previous_verdict: Verdict | None = None
    verdict: Verdict | None = None
    added: list[str] = Field(default_factory=list)  # condition ids
    removed: list[str] = Field(default_factory=list)


class Provenance(BaseModel):
    """Where the verdict comes from: a source article, or the articles' framework applied by this knowledge base."""

    basis: Literal["source", "framework"]
    source: str = Field("", description="The article's title when basis is 'source'.")
    line: str = Field("", description="One short sentence saying so, for the doors to show next to the verdict.")


class Answer(BaseModel):
    """A grounded answer: the lead, typed sections and citations; `text` is its Markdown rendering."""

    text: str
    lead: str = Field("", description="The direct answer to what was asked, in at most two sentences.")
    sections: list[Section] = Field(default_factory=list)
    changed: TurnChange | None = None
    verdict: Verdict | None = None
    provenance: Provenance | None = None
    subject: str = Field("", description="What the verdict is for, as a header names it ('LLM gateway: the routing policy').")
    component: str | None = None
    components: list[str] = Field(default_factory=list)
    rows: list[str] = Field(default_factory=list, description="Components answered side by side, one line each, when "
                            "the question asked about several at once; `verdict` is then the first one's.")
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
