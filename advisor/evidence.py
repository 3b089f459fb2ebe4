"""Retrieve everything an answer needs: ranked passages for the question plus the notes it will cite."""

from __future__ import annotations

from dataclasses import dataclass, field

from .matrix import Matrix
from .planning import Plan, Planner
from .retrieval import HybridRetriever, Passage
from .understanding import Reading

# Guidance every component answer may draw on (the four questions, the common mistake, when to build).
ALWAYS = ("four-questions", "common-mistake", "startup-build", "risk-of-building", "overview", "key-factors",
          "evaluating-vendors", "implementing-the-decision", "switching-buy-to-build", "hybrid-approaches",
          "managed-or-self-hosted", "arguments-for-buying")


@dataclass
class Evidence:
    """Passages ranked for the question, and every chunk of the notes the answer may cite."""

    passages: list[Passage]
    notes: dict[str, list[Passage]] = field(default_factory=dict)
    # Passages of the user's own ingested documents that bear on the question ("From your documents").
    documents: list[Passage] = field(default_factory=list)

    def of(self, doc_id: str) -> list[Passage]:
        return self.notes.get(doc_id, [])


def gather(retriever: HybridRetriever, reading: Reading, plan: Plan, matrix: Matrix, planner: Planner, *,
           documents: int, min_similarity: float) -> Evidence:
    """Search once for the question and collect the notes the decision and the answer can refer to.

    The user's own documents: at most `documents` passages, each at least `min_similarity` similar to the
    question (ADVISOR_DOCUMENT_PASSAGES, ADVISOR_DOCUMENT_MIN_SIMILARITY).
    """
    state = plan.state
    comp = matrix.get(state.component) if state.component else None
    wanted: list[str] = list(ALWAYS)
    wanted += [r.note for r in matrix.global_rules]
    if comp:
        wanted += [comp.note, *(o.doc for o in comp.buy), *(r.note for r in comp.conditions)]
        for p in comp.parts:
            wanted += [p.note, *(r.note for r in p.conditions)]
    wanted += [matrix.get(slug).note for slug in plan.several if matrix.get(slug)]  # each row asked about together
    note = planner.note_for(plan.topic)
    if note:
        wanted.append(note)
    wanted += reading.vendors
    # The component's name joins a follow-up's query ("which vendors?") so the search stays on topic.
    named_now = comp is not None and comp.slug in reading.components
    query = " ".join(filter(None, [reading.question, comp.name if comp and not named_now else "",
                                   state.other_component if state.other_component and not reading.other_component
                                   else ""]))
    prefer = set(reading.vendors)
    if comp:
        prefer |= {comp.slug, comp.note}
    if note:
        prefer.add(note)
    passages, mine = retriever.search_with_documents(query, prefer=prefer, documents=documents,
                                                     min_similarity=min_similarity)
    return Evidence(passages=passages, notes={d: retriever.passages_of(d) for d in dict.fromkeys(wanted)},
                    documents=mine)
