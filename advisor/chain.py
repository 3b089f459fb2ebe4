"""The advisor chain: understand -> plan -> retrieve -> decide -> generate, one direction, per turn."""

from __future__ import annotations

import time
from collections.abc import Iterator

from langchain_core.runnables import RunnableLambda

from .assembly import Parts, build_parts, make_generator
from .compose import Context, Draft, Generator, provenance, subject_of
from .embeddings import LocalEmbeddings
from .evidence import Evidence, gather
from .index import KnowledgeIndex, SourceInfo
from .inputs import KeyedLocks, clean_question
from .loader import IndexLoader
from .models import Answer, Timings
from .settings import Settings
from .store import ConversationBusyError, Store

TURN_WAIT_S = 300.0  # how long a follow-up waits for the same conversation's answer in progress

__all__ = ["Advisor", "make_generator"]


class Advisor:
    """Runs turns. The parts are built once (`build_parts`); the index is kept fresh by an `IndexLoader`."""

    def __init__(self, settings: Settings, *, embeddings: LocalEmbeddings | None = None,
                 index: KnowledgeIndex | None = None, store: Store | None = None,
                 generator: Generator | None = None):
        self.settings = settings
        self.parts: Parts = build_parts(settings, embeddings=embeddings, store=store, generator=generator)
        self.loader = IndexLoader(settings, self.parts.embeddings, self.parts.matrix, index)
        self._turns = KeyedLocks()
        self.pipeline = RunnableLambda(self._prepare)
        self.loader.reload()

    # -- what the doors and tools read ---------------------------------------------------------
    store = property(lambda self: self.parts.store)
    matrix = property(lambda self: self.parts.matrix)
    embeddings = property(lambda self: self.parts.embeddings)
    generator = property(lambda self: self.parts.generator)
    engine = property(lambda self: self.parts.engine)
    reader = property(lambda self: self.parts.reader)
    index = property(lambda self: self.loader.index)
    retriever = property(lambda self: self.loader.retriever)
    ready = property(lambda self: self.loader.ready)

    def reload(self) -> None:
        self.loader.reload()

    def refresh(self) -> None:
        self.loader.refresh()

    def sources(self) -> list[SourceInfo]:
        return self.loader.sources()

    def validate(self, question: object) -> str:
        """The question, cleaned; InputError saying what is wrong if unusable."""
        return clean_question(question, self.settings.max_question_chars)

    # -- answering -----------------------------------------------------------------------------
    def ask(self, question: str, conversation_id: str | None = None, channel: str = "") -> Answer:
        answer = None
        for piece in self.stream(question, conversation_id, channel):
            if isinstance(piece, Answer):
                answer = piece
        assert answer is not None
        return answer

    def stream(self, question: str, conversation_id: str | None = None,
               channel: str = "") -> Iterator[str | Answer]:
        """Yield text pieces as the answer is written, then the final `Answer`."""
        q = self.validate(question)
        self.loader.ensure_ready()
        cid = conversation_id or self.store.create_conversation(channel)
        # One turn at a time per conversation: concurrent follow-ups would read the same state and both
        # claim its next turn number. The lock is held while the answer streams, so the next turn sees it.
        if not self._turns.acquire(cid, TURN_WAIT_S):
            raise ConversationBusyError("the conversation is still answering an earlier question",
                                        "wait for that answer, then ask again")
        answer = None
        try:
            for piece in self._turn(q, cid):
                if isinstance(piece, Answer):
                    answer = piece
                else:
                    yield piece
        finally:
            self._turns.release(cid)
        yield answer

    def _turn(self, q: str, cid: str) -> Iterator[str | Answer]:
        ctx, timings = self.pipeline.invoke({"question": q, "cid": cid})
        t0 = time.perf_counter()
        draft: Draft | None = None
        for piece in self.generator.stream(ctx):
            if isinstance(piece, Draft):
                draft = piece
            else:
                yield piece
        timings.generate_ms = (time.perf_counter() - t0) * 1000
        timings.total_ms = timings.understand_ms + timings.retrieve_ms + timings.decide_ms + timings.generate_ms
        d, plan = ctx.decision, ctx.plan
        refused = plan.refuse
        answer = Answer(
            text=draft.text, lead=draft.lead, sections=draft.sections, changed=draft.changed,
            verdict=None if refused else d.verdict, provenance=None if refused else provenance(ctx),
            subject="" if refused else subject_of(d, draft.for_now),
            component=None if refused or not d.component else d.component.slug,
            components=[] if refused else plan.state.components,
            rows=[] if refused or len(ctx.several) < 2 else list(plan.several),
            topic=None if refused else plan.topic, act=plan.act,
            part=None if refused or not d.component else (d.part.name if d.part else "whole"),
            conditions=[] if refused else d.conditions, citations=draft.citations, refused=refused,
            flagged=draft.flagged, conversation_id=cid, turn=plan.state.turns, generator=self.generator.name,
            timings=timings)
        self.store.add_turn(cid, plan.state, q, answer)
        yield answer

    def _prepare(self, inp: dict) -> tuple[Context, Timings]:
        """understand -> plan -> retrieve -> decide, each once; the generator gets the result."""
        q, cid = inp["question"], inp["cid"]
        parts = self.parts
        # One retriever for the whole answer: a reload in another thread must not give the passages
        # and the citations two different snapshots.
        retriever = self.loader.retriever
        # A caller may pass the state directly (a dry run over no stored conversation).
        state = inp["state"] if inp.get("state") is not None else self.store.state(cid)
        timings = Timings()
        t0 = time.perf_counter()
        reading = parts.reader.read(q)
        plan = parts.planner.plan(state, reading)
        t1 = time.perf_counter()
        timings.understand_ms = (t1 - t0) * 1000
        evidence = Evidence(passages=[]) if plan.refuse else gather(
            retriever, reading, plan, parts.matrix, parts.planner, documents=self.settings.document_passages,
            min_similarity=self.settings.document_min_similarity,
            situation_min=self.settings.situation_min_similarity, situation_margin=self.settings.situation_min_margin,
            situations_shown=self.settings.situations_shown, phrasings=parts.situations,
            embed=parts.embeddings.embed_documents, phrasing_min=self.settings.situation_phrasing_min_similarity)
        t2 = time.perf_counter()
        timings.retrieve_ms = (t2 - t1) * 1000
        decision = parts.engine.decide(plan.state if not plan.refuse else state)
        previous = parts.engine.decide(plan.previous) if plan.previous.component else None
        if previous is None and plan.act == "what-if" and plan.added and plan.state.component:
            # A what-if asked cold is answered against the same question without its hypothetical.
            previous = parts.engine.decide(plan.state.model_copy(
                update={"conditions": [c for c in plan.state.conditions if c not in plan.supposed]}))
        # Rows asked about together are each decided under the same conversation ("which of these should we buy?").
        several = [parts.engine.decide(plan.state.model_copy(update={"component": slug, "part": "whole"}))
                   for slug in plan.several] if not plan.refuse else []
        timings.decide_ms = (time.perf_counter() - t2) * 1000
        history = [(t["question"], t["answer"].get("text", "")) for t in self.store.turns(cid, last=4)] \
            if state.turns and cid else []
        ctx = Context(question=q, reading=reading, plan=plan, decision=decision, previous=previous, several=several,
                      evidence=evidence, history=history, labels=parts.labels,
                      topic_note=parts.planner.note_for(plan.topic), matrix=parts.matrix,
                      taxonomy=parts.taxonomy, vendor_facts=parts.vendor_facts, tco=parts.tco,
                      attestations=parts.reader.lex.attestations, privacy_laws=parts.reader.lex.privacy_laws,
                      covers_need=parts.reader.lex.covers_need,
                      strained=parts.reader.lex.strained,
                      suffices=parts.reader.lex.situation_suffices, young=parts.reader.lex.young_company,
                      data_tools=parts.reader.lex.data_tools, enough_asks=parts.reader.lex.enough_asks,
                      chosen=parts.reader.lex.chosen, stack_of=parts.reader.lex.stack)
        return ctx, timings
