"""The default generator: composes a cited answer from the decision and retrieved passages, no LLM."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

from .decision import Decision
from .evidence import Evidence
from .matrix import Matrix
from .models import Citation
from .planning import ConversationState, Plan
from .retrieval import Passage, tokenize
from .understanding import Reading

VERDICT_WORD = {"buy": "Buy", "build": "Build", "hybrid": "Hybrid", "depends": "Depends"}
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(*])")
_MD = re.compile(r"\*\*|__|`|^#+\s*|^[-*]\s+|^\d+\.\s+", re.MULTILINE)
EXAMPLES = [
    "Should a 5-person startup build or buy a feature store?",
    "We are regulated: should we build our own experiment tracking?",
]


@dataclass
class Context:
    """Everything a generator needs for one turn: the reading, the plan, the decision and the evidence."""

    question: str
    reading: Reading
    plan: Plan
    decision: Decision
    evidence: Evidence
    previous: Decision | None = None  # the decision before this turn, for follow-ups
    history: list[tuple[str, str]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    topic_note: str | None = None
    matrix: Matrix | None = None

    @property
    def refuse(self) -> bool:
        return self.plan.refuse

    @property
    def state(self) -> ConversationState:
        return self.plan.state

    @property
    def passages(self) -> list[Passage]:
        return self.evidence.passages


@dataclass
class Draft:
    """A generator's finished output."""

    text: str
    citations: list[Citation]
    flagged: bool = False


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


def _usable(sentence: str) -> bool:
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
                score=round(passage.score, 4)))
        c = self.items[self._ids[key] - 1]
        text = sentence or passage.doc.page_content
        if text not in c.snippet:
            c.snippet = f"{c.snippet} {text}".strip()
        return c.n

    def support(self, claim: str, doc_id: str) -> str:
        """Cite the chunk of `doc_id` that shares the most words with `claim`; '' if none exists."""
        chunks = self.evidence.of(doc_id)
        if not chunks:
            return ""
        words = set(tokenize(claim))
        best = max(chunks, key=lambda p: len(words & p.tokens) / (len(words) or 1))
        return f" [{self.cite(best, _best_sentence(best, words))}]"

    def markdown_list(self) -> str:
        return "\n".join(f"[{c.n}] {c.title}" + (f" — {c.section}" if c.section else "") + f" ({c.source})"
                         for c in self.items)


def _best_sentence(p: Passage, words: set[str]) -> str:
    sents = sentences(p.doc.page_content)
    if not sents:
        return p.doc.page_content
    return max(sents, key=lambda s: len(words & set(tokenize(s))))


class Composer:
    """Writes the answer like a colleague would: verdict, reasons, options, what would change it."""

    name = "composer"

    def stream(self, ctx: Context) -> Iterator[str | Draft]:
        if ctx.refuse:
            text = refusal_text()
            yield text
            yield Draft(text=text, citations=[])
            return
        cites = Citations(ctx.evidence)
        d = ctx.decision
        if ctx.plan.act == "statement" and not d.component and not d.other_component:
            parts = self._noted(ctx, cites)
        elif d.component:
            parts = self._component(ctx, cites)
        elif d.other_component:
            parts = self._other(ctx, cites)
        elif ctx.plan.act == "what-if" and (ctx.plan.added or ctx.plan.removed):
            parts = self._across(ctx, cites)
        else:
            parts = self._topic(ctx, cites, ctx.topic_note or "four-questions", lead=True)
        body = []
        for part in parts:
            body.append(part)
            yield part + "\n\n"
        if cites.items:
            tail = "**Sources**\n" + cites.markdown_list()
            yield tail
            body.append(tail)
        yield Draft(text="\n\n".join(body), citations=cites.items)

    def _changed(self, ctx: Context) -> str:
        """What this turn changed, in words ('' when it added and removed nothing)."""
        bits = []
        if ctx.plan.added:
            bits.append("noted: " + "; ".join(self._label(ctx, c) for c in ctx.plan.added))
        if ctx.plan.removed:
            bits.append("dropped: " + "; ".join(self._label(ctx, c) for c in ctx.plan.removed))
        return ". ".join(b[0].upper() + b[1:] for b in bits) + "." if bits else ""

    def _noted(self, ctx: Context, cites: Citations) -> Iterator[str]:
        """A turn that only states facts: acknowledge them and ask what they want to decide."""
        changed = self._changed(ctx) or "Noted."
        held = ctx.state.conditions
        yield (f"{changed} I'll take {'these' if len(held) > 1 else 'this'} into account"
               if held else changed) + (
            ". Which piece of ML infrastructure are you deciding on: experiment tracking, a feature store, "
            "model serving, data pipelines, ML monitoring or training infrastructure?" if held else
            " Which piece of ML infrastructure are you deciding on?")

    def _across(self, ctx: Context, cites: Citations) -> Iterator[str]:
        """'What if we are regulated?' with no component yet: how that moves each component's verdict."""
        conds = ctx.plan.added or ctx.plan.removed
        label = self._label(ctx, conds[0])
        lines = []
        for comp in ctx.matrix.components:
            rule = comp.rule_for(conds[0])
            if rule is None:
                continue
            lines.append(f"- **{comp.name}: {VERDICT_WORD[rule.verdict]}.** {rule.advice}"
                         + cites.support(rule.advice, rule.note))
        yield f"It depends on the component: with {label}, the verdicts are these."
        if lines:
            yield "\n".join(lines)
        yield "Tell me which component you are deciding on and I will apply it with everything else you said."

    def _component(self, ctx: Context, cites: Citations) -> Iterator[str]:
        d, comp, part = ctx.decision, ctx.decision.component, ctx.decision.part
        verdict = VERDICT_WORD[d.verdict]
        subject = f"{comp.name.lower()}: {part.label}" if part else comp.name.lower()
        yield f"**Recommendation: {verdict}** ({subject})"
        prev = ctx.previous
        if prev and prev.component is comp and ctx.plan.previous.turns and (ctx.plan.added or ctx.plan.removed):
            if prev.verdict != d.verdict:
                yield (f"{self._changed(ctx)} This moves the verdict from {VERDICT_WORD[prev.verdict]} to "
                       f"{verdict}.")
            else:
                yield f"{self._changed(ctx)} That does not change the verdict: still {verdict}."
        if d.deciding:
            labels = ", ".join(self._label(ctx, c) for c in d.conditions)
            lead = (f"Given what you've told me ({labels}): {d.deciding.advice}"
                    + cites.support(d.deciding.advice, d.deciding.note))
        elif part:
            lead = part.advice + cites.support(part.advice, part.note)
        else:  # cited only when used: a number taken here but not written would list a source nothing cites
            lead = comp.summary + cites.support(comp.summary, comp.note)
        yield lead
        if d.not_changing:
            labels = "; ".join(self._label(ctx, c) for c in d.not_changing)
            yield f"What you mentioned ({labels}) does not move this verdict for {subject}."
        why = self._why(ctx, cites, exclude={d.deciding.advice if d.deciding else (part.advice if part
                                                                                   else comp.summary)})
        if why:
            yield "**Why**\n" + "\n".join(f"- {s}" for s in why)
        if d.verdict != "build" or ctx.plan.act == "vendor":
            options = self._options(ctx, cites)
            if options:
                yield "**Options to buy**\n" + "\n".join(options)
        build = comp.build_part
        if build and part is not build:
            yield f"**What to build yourselves:** {build.advice}" + cites.support(build.advice, build.note)
        elif not build:
            yield f"**What to build yourselves:** {comp.build}" + cites.support(comp.build, comp.note)
        if d.would_change:
            lines = [f"- *If {c.label}:* **{VERDICT_WORD[c.verdict]}**. {c.advice}" + cites.support(c.advice, c.note)
                     for c in d.would_change[:2]]
            yield "**What would change this**\n" + "\n".join(lines)
        yield (f"**Migration cost:** {comp.migration_cost}. {comp.migration}"
               + cites.support(comp.migration, comp.note))
        if d.also:
            names = ", ".join(c.name.lower() for c in d.also)
            yield f"You also mentioned {names}: ask about it next and I will give its own verdict."
        if ctx.topic_note:
            yield from self._topic(ctx, cites, ctx.topic_note, lead=False)

    def _label(self, ctx: Context, cond: str) -> str:
        return ctx.labels.get(cond, cond.replace("-", " "))

    def _why(self, ctx: Context, cites: Citations, exclude: set[str], n: int = 3) -> list[str]:
        comp = ctx.decision.component
        focus = set(tokenize(ctx.question)) | set(tokenize(comp.name if comp else ""))
        for c in ctx.decision.conditions:
            focus |= set(tokenize(c.replace("-", " ")))
        preferred = {comp.note} if comp else set()
        if ctx.decision.deciding:
            preferred.add(ctx.decision.deciding.note)
        scored = []
        for rank, p in enumerate(ctx.passages):
            if p.doc.metadata.get("kind") not in ("guidance", "vendor"):
                continue  # user-added documents inform retrieval but do not speak for the advisor
            if "verdict changes" in p.doc.metadata.get("section", "").lower():
                continue  # sentences about other circumstances would muddle this verdict
            for s in sentences(p.doc.page_content):
                if not _usable(s):
                    continue
                toks = set(tokenize(s))
                score = len(toks & focus) / (len(toks) ** 0.5 or 1) + (1.0 if p.doc_id in preferred else 0)
                score -= 0.1 * rank
                scored.append((score, s, p))
        chosen: list[str] = []
        used = [set(tokenize(e)) for e in exclude]
        for _, s, p in sorted(scored, key=lambda t: -t[0]):
            toks = set(tokenize(s))
            if any(len(toks & u) / (len(toks | u) or 1) > 0.5 for u in used):
                continue
            used.append(toks)
            chosen.append(f"{s} [{cites.cite(p, s)}]")
            if len(chosen) == n:
                break
        return chosen

    def _options(self, ctx: Context, cites: Citations) -> list[str]:
        comp = ctx.decision.component
        mentioned = [o for o in comp.buy if o.doc in ctx.reading.vendors]
        ordered = mentioned + [o for o in comp.buy if o not in mentioned]
        lines = []
        for opt in ordered[:4]:
            chunks = ctx.evidence.of(opt.doc)
            if not chunks:
                continue
            strengths = [p for p in chunks if "strength" in p.doc.metadata.get("section", "").lower()] or chunks
            first = next((s for s in sentences(strengths[0].doc.page_content) if _usable(s)), None)
            if first:
                lines.append(f"- **{opt.name}**: {first} [{cites.cite(strengths[0], first)}]")
        return lines

    def _topic(self, ctx: Context, cites: Citations, note: str, lead: bool) -> Iterator[str]:
        chunks = ctx.evidence.of(note)
        if not chunks:
            return
        title = chunks[0].doc.metadata.get("title", note)
        focus = set(tokenize(ctx.question))
        picked = []
        for p in chunks:
            for i, s in enumerate(sentences(p.doc.page_content)):
                if _usable(s):
                    picked.append((len(set(tokenize(s)) & focus) + (0.5 if i == 0 else 0), s, p))
        best = sorted(picked, key=lambda t: -t[0])[: 5 if lead else 2]
        order = {id(t): k for k, t in enumerate(picked)}
        best.sort(key=lambda t: order[id(t)])
        lines = "\n".join(f"- {s} [{cites.cite(p, s)}]" for _, s, p in best)
        yield (f"**General guidance: {title}**" if lead else f"**On {title.lower()}**") + "\n" + lines

    def _other(self, ctx: Context, cites: Citations) -> Iterator[str]:
        name = ctx.decision.other_component
        yield f"**Recommendation: Depends** ({name})"
        # A statement about the matrix itself, not a claim from the knowledge base: no marker.
        yield (f"The decision matrix has no row for {name}, so there is no ready-made verdict; "
               "work through the four questions below instead.")
        lines = []
        for p in ctx.evidence.of("four-questions"):
            sec = p.doc.metadata.get("section", "")
            first = next((s for s in sentences(p.doc.page_content) if _usable(s)), None)
            if sec and first and len(lines) < 4:
                lines.append(f"- **{sec.rstrip(':')}** {first} [{cites.cite(p, first)}]")
        if lines:
            yield "**The four questions**\n" + "\n".join(lines)
        rule = next((p for p in ctx.evidence.of("common-mistake")
                     if "instead" in p.doc.metadata.get("section", "").lower()), None)
        first = next((s for s in sentences(rule.doc.page_content) if _usable(s)), None) if rule else None
        if first:
            yield f"{first} [{cites.cite(rule, first)}]"


def refusal_text() -> str:
    return ("I can only help with build-vs-buy decisions for ML and AI infrastructure: experiment tracking, "
            "feature stores, model serving, data pipelines, ML monitoring and training infrastructure, plus "
            "general questions such as risks, vendor evaluation and hybrid approaches.\n\nTry asking:\n"
            + "\n".join(f"- {e}" for e in EXAMPLES))
