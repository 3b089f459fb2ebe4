"""The default generator: writes the structured answer (lead + typed sections) from the decision, no LLM."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

from .decision import Decision
from .evidence import Evidence
from .matrix import Matrix, Taxonomy
from .models import GUIDANCE_ACTS, Citation, Provenance, Section, TurnChange
from .planning import ConversationState, Plan
from .render import VERDICT_WORD, section_markdown, sources_markdown, verdict_heading
from .retrieval import Passage, tokenize
from .tco import TcoDefaults
from .understanding import Reading

# A new sentence may start with a product spelled in lower case ("vLLM", "pgvector", "promptfoo"); an
# abbreviation ("e.g.", "i.e.", "vs.", "etc.") does not end one.
_SENT = re.compile(r"(?<=[.!?])(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\bvs\.)(?<!\betc\.)\s+(?=[A-Za-z0-9\"'(*])")
_MD = re.compile(r"\*\*|__|`|^#+\s*|^[-*]\s+|^\d+\.\s+", re.MULTILINE)
_MARKER = re.compile(r"\[(\d+)\]")  # a citation marker in answer text

__all__ = ["VERDICT_WORD", "Citations", "Composer", "Context", "Draft", "Generator", "provenance", "refusal_text",
           "sentences"]


@dataclass
class Context:
    """Everything a generator needs for one turn: the reading, the plan, the decision and the evidence."""

    question: str
    reading: Reading
    plan: Plan
    decision: Decision
    evidence: Evidence
    previous: Decision | None = None  # the decision before this turn, for follow-ups
    several: list[Decision] = field(default_factory=list)  # one per row asked about together, in the asker's order
    history: list[tuple[str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    topic_note: str | None = None
    matrix: Matrix | None = None
    taxonomy: Taxonomy | None = None
    vendor_facts: dict = field(default_factory=dict)  # vendor note id -> VendorFacts
    tco: TcoDefaults | None = None  # knowledge/tco.yaml: the cost model's placeholders, for the asker's own numbers
    attestations: frozenset[str] = frozenset()  # regimes that attest controls, not where data lives ("SOC 2")
    privacy_laws: frozenset[str] = frozenset()  # regimes that are data-protection laws, no rule to self-host ("POPIA")
    data_tools: frozenset[str] = frozenset()  # tools that hold or carry the asker's data (cues.yaml data_tools)
    enough_asks: re.Pattern | None = None  # asks whether a product will do ("does Evidently cut it?", cues.yaml)
    chosen: re.Pattern | None = None  # says which product they take ("we go with promptfoo", cues.yaml)
    covers_need: re.Pattern | None = None  # a note's line saying a tool they run may do the row's job (cues.yaml)
    strained: re.Pattern | None = None  # a tool they run told as falling short under their load (cues.yaml)
    young: re.Pattern | None = None  # words saying the company itself is young (cues.yaml young_company)
    suffices: re.Pattern | None = None  # a note's situation line saying a simpler setup does the job (cues.yaml)
    stack_of: Callable[[str], list[str]] | None = None  # the tools a normalised text names (the lexicon's stack)

    @property
    def loaded_cost_year(self) -> float:
        """A placeholder engineer's loaded yearly cost; 0 when no cost model is loaded."""
        return self.tco.defaults["loaded_cost_year"].value if self.tco else 0.0

    @property
    def privacy_law_only(self) -> list[str]:
        """The regimes the regulated condition rests on, when all are privacy or AI laws and no rule on where data
        must stay was told ("POPIA applies"); [] otherwise."""
        facts = self.state.facts
        regimes = [x for x in facts.get("regime", "").split(" and ") if x]
        if facts.get("data-location") or not regimes or not all(x in self.privacy_laws for x in regimes):
            return []
        return regimes

    @property
    def refuse(self) -> bool:
        return self.plan.refuse

    @property
    def state(self) -> ConversationState:
        return self.plan.state

    @property
    def passages(self) -> list[Passage]:
        return self.evidence.passages

    def falls_short(self, rx: re.Pattern) -> bool:
        """Whether a sentence of theirs naming what `rx` finds says it falls short under their load ("index builds
        are starting to hurt the app")."""
        if self.strained is None:
            return False
        said = " ".join([*(h for h, _ in self.history), self.question])
        return any(self.strained.search(x) for x in re.split(r"(?<=[.!?])\s+|\n", said) if rx.search(x))


@dataclass
class Draft:
    """A generator's finished output: the lead, the sections and the sources they cite."""

    text: str
    citations: list[Citation]
    lead: str = ""
    sections: list[Section] = field(default_factory=list)
    changed: TurnChange | None = None
    flagged: bool = False
    for_now: bool = False  # what they have is enough for now: the verdict is for when they outgrow it


class Generator(Protocol):
    """Turns a `Context` into text pieces, then a final `Draft`."""

    name: str

    def stream(self, ctx: Context) -> Iterator[str | Draft]: ...


def sentences(text: str) -> list[str]:
    """Split passage text into clean sentences (markdown and bold labels removed)."""
    out = []
    for block in re.split(r"\n\s*\n|\n(?=[-*] )", text):
        block = _MD.sub("", block).replace("\n", " ").strip()
        out += [s.strip() for s in _SENT.split(block) if s.strip()]
    return out


def yours(text: str) -> str:
    """The asker's words, addressed back to them ("our only model" -> "your only model", "we're" -> "you're")."""
    # "I'm the only ML engineer" -> "you're the only ML engineer"; "my team" -> "your team".
    first = {"our": "your", "we": "you", "i'm": "you're", "i am": "you are", "i've": "you've", "i have": "you have",
             "my": "your", "me": "you", "ours": "yours", "myself": "yourself", "ourselves": "yourselves"}
    text = re.sub(r"\b(our|we|i'm|i am|i've|i have|my|ours|myself|ourselves)\b|(?<=\s)me\b",
                  lambda m: first[m.group(0).lower()], text, flags=re.IGNORECASE)
    # "told us" -> "told you"; lower case only, so "US-only data" keeps its country.
    return re.sub(r"\bus\b", "you", text)


def usable(sentence: str) -> bool:
    # A question is not a claim: quoting "Should we build X?" from a document as a reason says nothing.
    return 30 <= len(sentence) <= 400 and sentence[-1] in ".!)\""


class Citations:
    """Numbers passages as they are cited; one number per chunk."""

    def __init__(self, evidence: Evidence):
        self.evidence = evidence
        self.items: list[Citation] = []
        self._ids: dict[str, int] = {}

    def cite(self, passage: Passage, sentence: str = "") -> int:
        """Number for this passage's section; the snippet collects the sentences cited from it."""
        m = passage.doc.metadata
        key = f"{m.get('doc_id', '')}#{m.get('section', '')}"
        if key not in self._ids:
            self._ids[key] = len(self.items) + 1
            self.items.append(Citation(
                n=self._ids[key], doc_id=m.get("doc_id", ""), title=m.get("title", ""),
                section=m.get("section", ""), source=m.get("file", ""), snippet="",
                score=round(passage.score, 4), yours=m.get("kind") == "document"))
        c = self.items[self._ids[key] - 1]
        text = sentence or passage.doc.page_content
        if text not in c.snippet:
            c.snippet = f"{c.snippet} {text}".strip()
        return c.n

    def renumber(self, lead: str, sections: list[Section]) -> tuple[str, list[Section]]:
        """Number the sources in the order the reader meets them (sections are built in whatever order their
        content needs, so a later section may have cited first)."""
        texts = [lead] + [x for s in sections for x in [s.text, *s.items, *(c for r in (s.table.rows if s.table
                                                                                         else []) for c in r)]]
        known = {c.n for c in self.items}
        seen = [n for n in dict.fromkeys(int(n) for t in texts for n in _MARKER.findall(t)) if n in known]
        # A source registered while an answer was drafted but whose sentence did not make it into the text is left
        # out: every source listed is one the reader can find a marker for.
        order = seen
        new = {old: k for k, old in enumerate(order, 1)}
        if len(order) == len(self.items) and all(old == k for old, k in new.items()):
            return lead, sections

        def fix(text: str) -> str:
            return _MARKER.sub(lambda m: f"[{new.get(int(m.group(1)), int(m.group(1)))}]", text)

        by_old = {c.n: c for c in self.items}
        self.items = [by_old[old].model_copy(update={"n": new[old]}) for old in order]
        self._ids = {key: new[n] for key, n in self._ids.items() if n in new}
        sections = [s.model_copy(update={"text": fix(s.text), "items": [fix(x) for x in s.items], "table": s.table
                                         and s.table.model_copy(update={"rows": [[fix(c) for c in r]
                                                                                 for r in s.table.rows]})})
                    for s in sections]
        return fix(lead), sections

    def support(self, claim: str, doc_id: str, heading: str | None = None) -> str:
        """Cite the chunk of `doc_id` under `heading` when given and present, else the one that shares the
        most words with `claim`; '' if none exists."""
        chunks = self.evidence.of(doc_id)
        if not chunks:
            return ""
        words = set(tokenize(claim))
        best = (self.section(doc_id, heading) if heading else None) or \
            max(chunks, key=lambda p: len(words & p.tokens) / (len(words) or 1))
        return f" [{self.cite(best, best_sentence(best, words))}]"

    def section(self, doc_id: str, heading: str) -> Passage | None:
        """The chunk of `doc_id` under a heading that contains `heading` (case-insensitive)."""
        return next(iter(self.sections(doc_id, heading)), None)

    def sections(self, doc_id: str, heading: str) -> list[Passage]:
        """Every chunk of `doc_id` under such a heading (a long section is stored as several)."""
        return [p for p in self.evidence.of(doc_id) if heading.lower() in p.doc.metadata.get("section", "").lower()]

    def sentence_from(self, passage: Passage | None, n: int = 1) -> list[str]:
        """The first `n` usable sentences of a passage, each with its marker."""
        if passage is None:
            return []
        out = [s for s in sentences(passage.doc.page_content) if usable(s)][:n]
        return [f"{s} [{self.cite(passage, s)}]" for s in out]


def best_sentence(p: Passage, words: set[str]) -> str:
    sents = sentences(p.doc.page_content)
    if not sents:
        return p.doc.page_content
    return max(sents, key=lambda s: len(words & set(tokenize(s))))


class Composer:
    """Writes the answer a colleague would: the direct answer first, then only what the question needs."""

    name = "composer"

    def stream(self, ctx: Context) -> Iterator[str | Draft]:
        if ctx.refuse:
            thread = ctx.plan.state.component and ctx.matrix and ctx.matrix.get(ctx.plan.state.component)
            text = refusal_text(ctx.matrix, thread.name if thread else "", people=ctx.reading.asks_people)
            yield text
            yield Draft(text=text, citations=[], lead=text)
            return
        from .shapes import compose  # the per-act shapes; imported here to keep this module small
        from .user_docs import documents_section

        cites = Citations(ctx.evidence)
        lead, sections, changed = compose(ctx, cites)
        yours = documents_section(ctx.evidence.documents, ctx.question, cites)
        if yours:
            sections = [*sections, yours]
        # "What would we build versus get from the provider?" asks for both sides, even when one was said before.
        sections = not_again(lead, sections, [a for _, a in ctx.history] if ctx.plan.act != "build-part" else [])
        lead, sections = cites.renumber(lead, sections)
        lead, sections = named_once(ctx, lead, sections)
        now = for_now(lead)
        pieces = [p for p in [header(ctx, now), lead, basis_note(ctx), *(section_markdown(s) for s in sections)] if p]
        for piece in pieces:
            yield piece + "\n\n"
        if cites.items:
            tail = sources_markdown(cites.items)
            pieces.append(tail)
            yield tail
        yield Draft(text="\n\n".join(pieces), citations=cites.items, lead=lead, sections=sections,
                    changed=changed, for_now=now)


def not_again(lead: str, sections: list[Section], earlier: list[str] = ()) -> list[Section]:
    """The sections without a line the lead or an earlier answer of the conversation already says (a note's sentence
    quoted in the lead is not repeated under "Alongside ..."; a follow-up never shows the last card again); a section
    left empty goes."""
    said = _MARKER.sub("", lead)
    before = [_MARKER.sub("", a) for a in earlier]

    def fresh(item: str) -> bool:
        text = _MARKER.sub("", item).strip()
        return text not in said and not any(text in b for b in before)

    lead_words = [_words(x) for x in re.split(r"(?<=[.!?])\s+", said)]
    out: list[Section] = []
    for s in sections:
        if any(o.title == s.title and o.items == s.items and o.text == s.text for o in out):
            continue  # the same section reached twice (a shape's own and a second ask's): once
        # Within a section and against the lead; a section a second ask brought ("How long to run it") keeps its
        # line even when another section said it too.
        shown = list(lead_words)
        items = [x for x in s.items if fresh(x) and _says_more(x, shown)]
        if s.items and not items and not s.text and not s.table:
            continue
        if not s.items and s.text and not fresh(s.text):
            continue  # "Cost of changing course later", said word for word in the answer before
        if s.table and before and not s.items and not s.text and all(
                fresh(_table_row(s, row)) is False for row in s.table.rows):
            continue  # the same side-by-side table again
        out.append(s.model_copy(update={"items": items}) if len(items) != len(s.items) else s)
    return out


_NEAR_SAME = 0.7  # share of words two lines have in common (of all their words) for the second to say nothing new


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.lower()))


def _says_more(item: str, shown: list[set[str]]) -> bool:
    """Whether a line says more than the lines in `shown` (their word sets, which it joins when it does): two notes
    can say one thing in nearly the same words ("Teams systematically underestimate the cost of building ML
    infrastructure." and "... the total cost of ownership of building ML infrastructure.")."""
    words = _words(_MARKER.sub("", item))
    if len(words) >= 6 and any(len(words & w) / len(words | w) >= _NEAR_SAME for w in shown if w):
        return False
    shown.append(words)
    return True


def _table_row(section: Section, row: list[str]) -> str:
    """One row of a section's table as the Markdown renderer writes it."""
    one = section.model_copy(update={"table": section.table.model_copy(update={"rows": [row]})})
    return section_markdown(one).rsplit("\n", 1)[-1]


def named_once(ctx: Context, lead: str, sections: list[Section]) -> tuple[str, list[Section]]:
    """Sentences quoted from a note open "For a feature store, ..." to stand alone; after the first, the answer
    says it once and the rest start with what they say (every line opening so reads as a form letter)."""
    d = ctx.decision
    if not d.component:
        return lead, sections
    noun = re.escape(in_sentence(d.component.name))
    opener = re.compile(rf"(^|(?<=[.!?] )|(?<=\] ))For (?:an? )?{noun}, (\w)")
    seen = [False]

    def once(text: str) -> str:
        def strip(m: re.Match) -> str:
            if not seen[0]:
                seen[0] = True
                return m.group(0)
            return m.group(1) + m.group(2).upper()
        return opener.sub(strip, text)

    lead = once(lead)
    return lead, [s.model_copy(update={"text": once(s.text), "items": [once(x) for x in s.items]}) for s in sections]


def for_now(lead: str) -> bool:
    """Whether the answer opens by saying what they have is enough for now (see shapes.decision.FOR_NOW_LEADS)."""
    from .shapes.decision import FOR_NOW_LEADS

    return lead.startswith(FOR_NOW_LEADS)


def header(ctx: Context, now: bool = False) -> str:
    """The verdict line, written from the decision (the UI shows it as a badge instead)."""
    d = ctx.decision
    if ctx.plan.act in GUIDANCE_ACTS or len(ctx.several) >= 2:
        # A guidance answer leads with the guidance (the badge still shows the verdict); several rows answered side
        # by side have no one verdict to head them.
        return ""
    subject = subject_of(d, now)
    if not subject:
        return ""
    return verdict_heading(d.verdict, subject)


def basis_note(ctx: Context) -> str:
    """The framework basis line, in italics, after the lead: the answer comes first, its provenance next."""
    if not header(ctx):
        return ""
    prov = provenance(ctx)
    return f"_{prov.line}_" if prov and prov.basis == "framework" else ""


def in_sentence(name: str) -> str:
    """A component name inside a sentence: 'Feature store' -> 'feature store', 'LLM gateway' stays."""
    return name if name[1:2].isupper() else name[:1].lower() + name[1:]


def subject_of(d: Decision, now: bool = False) -> str:
    """What the verdict is for, as the header names it: 'model serving: the serving platform', 'LLM gateway'."""
    if d.component and now:
        # "Yes, for now" under a bare "Buy" would contradict itself: the verdict is for when they outgrow it.
        return f"{subject_of(d)}, once what you have stops being enough"
    if d.component:
        name = in_sentence(d.component.name)
        if d.part:
            # "Buy (LLM inference: self-hosted open-weight models)" would read as buying the self-hosting: a part whose
            # own default the call goes against is named by what the call means for it.
            clause = d.part.buy_clause if d.verdict == "buy" and d.part.verdict != "buy" else \
                d.part.build_clause if d.verdict == "build" and d.part.verdict != "build" else None
            return f"{name}: {clause}" if clause else f"{name}: {d.part.label}"
        # A build because the need is small builds the small thing ("Build (LLM gateway)" above "No, a small client is
        # enough" would read as a contradiction).
        small = d.verdict == "build" and d.deciding is not None and d.deciding.condition == "simple"
        return f"{name}: the simple version yourselves" if small else name
    return d.other_component or ""


def provenance(ctx: Context) -> Provenance | None:
    """Where the verdict comes from, with the one line the doors show next to it."""
    basis = None if ctx.refuse else ctx.decision.basis
    if basis is None:
        return None
    kind, source = basis
    if kind == "source":
        title = ctx.matrix.source_title(source) if ctx.matrix else ""
        return Provenance(basis="source", source=title, line=f"Basis: stated in the source article “{title}”.")
    return Provenance(basis="framework", line="Basis: our application of the source articles' four questions, "
                                              "not a verdict they state.")


def covered(matrix: Matrix | None) -> str:
    """The components the advisor covers, from the matrix."""
    names = [in_sentence(c.name) for c in matrix.components] if matrix else []
    return ", ".join(names[:-1]) + f", and {names[-1]}" if len(names) > 1 else "".join(names)


def matrix_examples(matrix: Matrix, n: int) -> list[str]:
    """`n` example questions from the matrix rows, spread over the rows (old and new alike)."""
    rows = matrix.components
    step = max(1, len(rows) / max(n, 1))
    return [rows[int(i * step)].example for i in range(min(n, len(rows)))]


def refusal_text(matrix: Matrix, thread: str = "", people: bool = False) -> str:
    """The plain no first, then what the advisor covers and a few questions to try, generated from the matrix; a
    conversation already on a component is told it can go on there. A question about pay or hiring says so."""
    back = f" We can carry on with the {in_sentence(thread)} question whenever you like." if thread else ""
    why = ("pay and hiring are not build-or-buy questions about ML or AI infrastructure, and I hold no salary data"
           if people else "it is not ML or AI infrastructure")
    return (f"I can't advise on that one: {why}, so it is outside what I cover." + back
            + "\n\nI help with build-vs-buy decisions for " + covered(matrix)
            + "; other ML infrastructure through the four build-vs-buy questions; and general questions such as "
            "risks, costs, switching later, vendor evaluation and hybrid approaches.\n\nTry asking:\n"
            + "\n".join(f"- {e}" for e in matrix_examples(matrix, 4)))
