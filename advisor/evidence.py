"""Retrieve everything an answer needs: ranked passages for the question plus the notes it will cite."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .matrix import Matrix
from .planning import Plan, Planner
from .retrieval import HybridRetriever, Passage
from .situations import SituationPhrasings, is_situations_section, situation_head
from .understanding import Reading

# Guidance every component answer may draw on (the four questions, the common mistake, when to build).
ALWAYS = ("four-questions", "common-mistake", "startup-build", "risk-of-building", "overview", "key-factors",
          "evaluating-vendors", "implementing-the-decision", "switching-buy-to-build", "hybrid-approaches",
          "managed-or-self-hosted", "arguments-for-buying", "cost-line-items")


@dataclass
class Evidence:
    """Passages ranked for the question, and every chunk of the notes the answer may cite."""

    passages: list[Passage]
    notes: dict[str, list[Passage]] = field(default_factory=dict)
    # Passages of the user's own ingested documents that bear on the question ("From your documents").
    documents: list[Passage] = field(default_factory=list)
    # What the component's note says about situations the asker told of, best match first.
    situations: list[Situation] = field(default_factory=list)

    def of(self, doc_id: str) -> list[Passage]:
        return self.notes.get(doc_id, [])


@dataclass
class Situation:
    """A situation a note describes that one of the asker's clauses tells of, and the note's sentence on it."""

    said: str  # the asker's clause (normalised)
    passage: Passage
    sentence: str
    similarity: float  # how much more alike the two are than either is to the component's name


def situations(retriever: HybridRetriever, reading: Reading, passages: list[Passage], subject: str,
               min_similarity: float, min_margin: float, limit: int,
               phrasings: SituationPhrasings | None = None,
               embed: Callable[[list[str]], list[list[float]]] | None = None,
               phrasing_min: float = 1.0) -> list[Situation]:
    """The note's situation sentences whose situation (the words before the first comma) one of the asker's clauses
    says in other words: at least `min_similarity` alike to the note's own words or `phrasing_min` to one of
    `phrasings`, and by at least `min_margin` more than either is like the component's name (`subject`), so a clause
    that only names the component ("model registry: ...") matches no situation that mentions it. Each sentence once,
    best first, at most `limit`."""
    vectors = reading.clause_vectors
    if vectors is None or not limit or not reading.clauses or not len(vectors):
        return []
    from .compose import sentences

    def unit(text: str) -> np.ndarray:
        v = np.asarray(retriever.embed_query(text), dtype=np.float32)
        return v / (np.linalg.norm(v) + 1e-12)

    topic = unit(subject)
    clause_topic = vectors @ topic
    found: list[Situation] = []
    for p in passages:
        for s in sentences(p.doc.page_content):
            head = situation_head(s)
            if not head:
                continue
            if phrasings is not None and phrasings.contradicted(head, reading.clauses):
                continue
            if phrasings is not None and (at := phrasings.told_in(head, reading.clauses)) is not None:
                # Said outright in the words that state it: no likeness needed.
                found.append(Situation(reading.clauses[at], p, s.lstrip("-* ").strip(), 1.0))
                continue
            said = phrasings.vectors(head, embed) if phrasings is not None and embed is not None \
                else unit(head)[None, :]
            sims = vectors @ said.T  # clause x (the note's words, then each phrasing)
            # Six phrasings give six more chances of a chance likeness, so each must be closer than the note's own
            # words need to be.
            floor = np.full(said.shape[0], phrasing_min, dtype=np.float32)
            floor[0] = min_similarity
            sims = np.where(sims >= floor, sims, -1.0)
            if phrasings is not None and head in phrasings.needs:
                sims[[not phrasings.allows(head, c) for c in reading.clauses], :] = -1.0
            i, j = np.unravel_index(int(np.argmax(sims)), sims.shape)
            # Unlike the component's name (a negative likeness adds nothing: it is no evidence of the situation).
            margin = float(sims[i, j]) - max(0.0, float(said[j] @ topic), float(clause_topic[i]))
            if sims[i, j] >= min_similarity and margin >= min_margin:
                found.append(Situation(reading.clauses[i], p, s.lstrip("-* ").strip(), margin))
    return sorted(found, key=lambda x: -x.similarity)[:limit]


def gather(retriever: HybridRetriever, reading: Reading, plan: Plan, matrix: Matrix, planner: Planner, *,
           documents: int, min_similarity: float, situation_min: float = 1.0, situation_margin: float = 1.0,
           situations_shown: int = 0, phrasings: SituationPhrasings | None = None,
           embed: Callable[[list[str]], list[list[float]]] | None = None, phrasing_min: float = 1.0) -> Evidence:
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
    notes = {d: retriever.passages_of(d) for d in dict.fromkeys(wanted)}
    told = [p for p in notes.get(comp.note, []) if is_situations_section(p.doc.metadata.get("section", ""))] \
        if comp else []
    return Evidence(passages=passages, notes=notes, documents=mine,
                    situations=situations(retriever, reading, told, comp.name if comp else "", situation_min,
                                          situation_margin, situations_shown, phrasings, embed,
                                          phrasing_min))
