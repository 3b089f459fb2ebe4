"""The advisor chain: understand -> retrieve -> decide -> generate, with conversation memory."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator

import numpy as np
from langchain_core.runnables import RunnableLambda

from . import snapshot
from .compose import Composer, Context, Draft, Generator
from .decision import DecisionEngine
from .embeddings import LocalEmbeddings, embeddings_for
from .errors import ConfigError, InputError
from .index import KnowledgeIndex, SourceInfo, summarize_sources
from .matrix import _check_notes, check_consistency, load_matrix, load_taxonomy
from .models import Answer, Timings
from .retrieval import Corpus, HybridRetriever
from .settings import Settings
from .store import ConversationBusyError, Store
from .understanding import Understander, normalize

_GENERIC = re.compile(
    r"\b(build\w*|buy\w*|in[- ]house|vendors?|managed)\b.*\b(ml|ai|mlops|machine learning|infra\w*)\b"
    r"|\b(ml|ai|mlops|machine learning|infra\w*)\b.*\b(build\w*|buy\w*|in[- ]house|vendors?|managed)\b"
    r"|^(should|do|can|would|shall) (we|i) (build|buy)( (it|this))?( or (build|buy))?( (it|this))?$")


_SURROGATE = re.compile(r"[\ud800-\udfff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0/C1 controls except tab and newline
_ALNUM = re.compile(r"[a-z0-9]")
_VISIBLE = re.compile(r"[\s\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]+")  # blanks and zero-width marks


TURN_WAIT_S = 300.0  # how long a follow-up waits for the same conversation's answer in progress


class KeyedLocks:
    """One lock per key while anyone holds or waits for it (plain Locks: a stream may finish on another thread)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._locks: dict[str, list] = {}  # key -> [lock, holders and waiters]

    def acquire(self, key: str, timeout: float) -> bool:
        with self._guard:
            entry = self._locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        if entry[0].acquire(timeout=timeout):
            return True
        self._drop(key)
        return False

    def release(self, key: str) -> None:
        self._locks[key][0].release()
        self._drop(key)

    def _drop(self, key: str) -> None:
        with self._guard:
            entry = self._locks[key]
            entry[1] -= 1
            if entry[1] == 0:
                del self._locks[key]


def make_generator(settings: Settings) -> Generator:
    """Pick the answer generator by name: 'composer' (default) or 'llm' (when ADVISOR_LLM is set)."""
    name = settings.generator
    if name == "auto":
        name = "llm" if settings.llm else "composer"
    if name == "composer":
        return Composer()
    if name == "llm":
        from .llm import LLMGenerator

        return LLMGenerator.from_settings(settings)
    raise ConfigError(f"unknown generator {name!r} in ADVISOR_GENERATOR", "use 'composer', 'llm' or 'auto'")


class Advisor:
    """One advisor per process: the model, the index and the store are loaded once and shared."""

    def __init__(self, settings: Settings, *, embeddings: LocalEmbeddings | None = None,
                 index: KnowledgeIndex | None = None, store: Store | None = None,
                 generator: Generator | None = None):
        self.settings = settings
        self.matrix = load_matrix(settings.matrix_path)
        self.taxonomy = load_taxonomy(settings.taxonomy_path)
        check_consistency(self.matrix, self.taxonomy, settings.matrix_path)
        self.embeddings = embeddings or embeddings_for(settings)
        self._index = index
        self.store = store or Store(settings.store_db)
        self.generator = generator or make_generator(settings)
        self.engine = DecisionEngine(self.matrix, self.taxonomy)
        self.labels = {c.id: c.label for c in self.taxonomy.conditions}
        self.topic_notes = {t.id: t.note for t in self.taxonomy.general_topics}
        self._lock = threading.Lock()
        self._turns = KeyedLocks()
        self._profiles: tuple[np.ndarray, list[str]] | None = None
        self._profiles_lock = threading.Lock()
        self.understander = Understander(self.matrix, self.taxonomy, similarity=self._component_similarity)
        self.retriever: HybridRetriever | None = None
        self._version: float | str | None = None
        self._checked = 0.0
        self.pipeline = RunnableLambda(self._prepare)
        self.reload()

    # -- index ---------------------------------------------------------------------------------
    @property
    def index(self) -> KnowledgeIndex:
        """The Chroma index, opened on first use (answering from a snapshot never needs it)."""
        if self._index is None:
            self._index = KnowledgeIndex(self.settings, self.embeddings)
        return self._index

    def reload(self) -> None:
        """(Re)load every chunk into memory: from the published snapshot, else from Chroma itself."""
        dense_search = None
        if self.settings.chroma_url:
            # BM25 and citations need the texts here; dense search runs on the server. The version is
            # read first: an ingest landing in between only makes the next refresh load again.
            version = self.index.server_version()
            snap, dense_search = self.index.snapshot(), self.index.dense_search
        else:
            path = self.settings.snapshot_path
            version = snapshot.version(path)
            # Without a snapshot (an index from before snapshots, or one deleted by hand) read Chroma but
            # publish nothing: a reader writing the snapshot could race an ingest and publish half of it.
            snap = snapshot.load(path) if version is not None else self.index.snapshot()
            if self.settings.dense_search == "chroma":
                dense_search = self.index.dense_search
        corpus = Corpus(snap)
        retriever = HybridRetriever(corpus=corpus, embed_query=self.embeddings.embed_query,
                                    dense_search=dense_search, mode=self.settings.retriever, k=self.settings.k)
        with self._lock:
            self.retriever, self._version, self._checked = retriever, version, time.monotonic()
        if len(corpus):
            _check_notes(self.settings.matrix_path, self.matrix, set(corpus.by_doc))

    def refresh(self) -> None:
        """Pick up an index published by an ingest elsewhere: one stat per call, or with a Chroma
        server one small read every `server_refresh_seconds`."""
        if not self.settings.chroma_url:
            if snapshot.version(self.settings.snapshot_path) != self._version:
                self.reload()
            return
        now = time.monotonic()
        if now - self._checked >= self.settings.server_refresh_seconds:
            self._checked = now
            if self.index.server_version() != self._version:
                self.reload()

    def sources(self) -> list[SourceInfo]:
        """The documents this advisor answers from (its loaded index), with their chunk counts."""
        self.refresh()
        retriever = self.retriever
        return summarize_sources(d.metadata for d in retriever.corpus.docs) if retriever else []

    @property
    def ready(self) -> bool:
        return self.retriever is not None and len(self.retriever.corpus) > 0

    def _component_similarity(self, text: str) -> dict[str, float]:
        """Cosine of the question to each component's closest description (name+summary or a synonym)."""
        # Under a lock: concurrent first requests would each embed every profile (seconds of CPU).
        with self._profiles_lock:
            if self._profiles is None:
                texts, owners = [], []
                for c in self.matrix.components:
                    for t in [f"{c.name}: {c.summary}", c.build, *c.synonyms]:
                        texts.append(t)
                        owners.append(c.slug)
                self._profiles = (np.asarray(self.embeddings.embed_documents(texts), dtype=np.float32), owners)
        vectors, owners = self._profiles
        sims = vectors @ np.asarray(self.embeddings.embed_query(text), dtype=np.float32)
        best: dict[str, float] = {}
        for slug, sim in zip(owners, sims.tolist()):
            best[slug] = max(best.get(slug, -1.0), sim)
        return best

    # -- answering -----------------------------------------------------------------------------
    def validate(self, question: object) -> str:
        """The question, trimmed and with control characters blanked; InputError saying what is wrong if unusable."""
        if not isinstance(question, str):
            raise InputError("the question must be text", "send a string")
        if _SURROGATE.search(question):
            # Only reachable through JSON \ud800-style escapes; the tokenizer and SQLite both reject them.
            raise InputError("the question is not valid Unicode text (it has unpaired surrogate code points)",
                             "send the question as plain UTF-8 text")
        q = _CONTROL.sub(" ", question).strip()
        ask = "ask about building or buying a piece of ML infrastructure"
        if not _VISIBLE.sub("", q):
            raise InputError("the question is empty", ask)
        if len(q) > self.settings.max_question_chars:
            raise InputError(f"the question is {len(q)} characters; the limit is {self.settings.max_question_chars}",
                             "shorten it to the essentials")
        if not any(ch.isalnum() for ch in q):
            raise InputError("the question has no words, only punctuation, symbols or emoji", ask)
        if not _ALNUM.search(normalize(q)):
            raise InputError("the question has no words the advisor can read: it understands English only",
                             "ask in English, e.g. 'Should we build or buy a feature store?'")
        return q

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
        self.refresh()
        if not self.ready:
            self.reload()
            if not self.ready:
                self.index.require_ready()
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
        state = self.store.state(cid)
        ctx, timings = self.pipeline.invoke({"question": q, "state": state, "cid": cid})
        t0 = time.perf_counter()
        draft: Draft | None = None
        for piece in self.generator.stream(ctx):
            if isinstance(piece, Draft):
                draft = piece
            else:
                yield piece
        timings.generate_ms = (time.perf_counter() - t0) * 1000
        timings.total_ms = timings.understand_ms + timings.retrieve_ms + timings.decide_ms + timings.generate_ms
        d = ctx.decision
        answer = Answer(
            text=draft.text, verdict=None if ctx.refuse else d.verdict,
            component=None if ctx.refuse or not d.component else d.component.slug,
            components=[] if ctx.refuse else ctx.state.components,
            topic=None if ctx.refuse else ctx.state.topic,
            conditions=[] if ctx.refuse else d.conditions, citations=draft.citations, refused=ctx.refuse,
            flagged=draft.flagged, conversation_id=cid, turn=ctx.state.turns, generator=self.generator.name,
            timings=timings)
        # A refused turn does not move the conversation (an off-topic aside keeps the thread).
        self.store.add_turn(cid, state.model_copy(update={"turns": ctx.state.turns}) if ctx.refuse else ctx.state,
                            q, answer)
        yield answer

    def _prepare(self, inp: dict) -> tuple[Context, Timings]:
        q, state = inp["question"], inp["state"]
        # One retriever for the whole answer: a reload in another thread must not give the passages
        # and the citations two different snapshots.
        retriever = self.retriever
        timings = Timings()
        t0 = time.perf_counter()
        u = self.understander.understand(q)
        new = self.understander.advance(state, u)
        has_thread = bool(state.component or state.other_component)
        if not (new.component or new.other_component):
            # The two global rules apply to infrastructure in general, too.
            if "core-differentiator" in u.conditions and new.topic in (None, "four-questions"):
                new.topic = "startup-build"
            elif "control-later" in u.conditions and new.topic in (None, "four-questions"):
                new.topic = "common-mistake"
            elif not new.topic and _GENERIC.search(u.normalized):
                new.topic = "four-questions"
        refuse = not u.in_scope and not (u.follow_up and has_thread)
        refuse = refuse or not (new.component or new.other_component or new.topic)
        t1 = time.perf_counter()
        timings.understand_ms = (t1 - t0) * 1000
        passages = []
        if not refuse:
            comp = self.matrix.get(new.component) if new.component else None
            query = " ".join(filter(None, [q, comp.name if comp and comp.slug not in u.components else "",
                                           new.other_component if not u.other_component else ""]))
            prefer = set(u.vendors)
            if comp:
                prefer |= {comp.slug, comp.note}
            if new.topic:
                prefer.add(self.topic_notes.get(new.topic, new.topic))
            passages = retriever.search(query, prefer=prefer)
            if not passages or max(p.dense for p in passages) < self.settings.min_relevance:
                refuse = not (new.component or new.other_component)
        t2 = time.perf_counter()
        timings.retrieve_ms = (t2 - t1) * 1000
        decision = self.engine.decide(new)
        timings.decide_ms = (time.perf_counter() - t2) * 1000
        if refuse:
            new = state.model_copy(update={"turns": state.turns + 1})
        history = [(t["question"], t["answer"].get("text", "")) for t in self.store.turns(inp["cid"], last=4)] \
            if state.turns else []
        ctx = Context(question=q, understanding=u, state=new, decision=decision, passages=passages,
                      retriever=retriever, history=history, topic_notes=self.topic_notes,
                      labels=self.labels, taxonomy=self.taxonomy, refuse=refuse)
        return ctx, timings
