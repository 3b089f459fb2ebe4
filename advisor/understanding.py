"""Understand a question: which component, which conditions, which general topic, and follow-ups."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from .matrix import Matrix, Taxonomy

_ZERO_WIDTH = re.compile(r"[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff]")
_NON_WORD = re.compile(r"[^a-z0-9&$'/\- ]+")
_NEGATION = re.compile(r"\b(not|no|never|aren ?t|isn ?t|don ?t|doesn ?t|without|non|nor)\b(?:\s+\w+){0,2}\s*$")
# Text that addresses the assistant instead of asking a question: ignored for understanding.
INJECTION = re.compile(
    r"(ignore|disregard|forget|override)\s+(all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+"
    r"|decision\s+)*(instructions?|rules?|prompts?|guidelines|matrix|context|system)"
    r"|\bsystem prompt\b|\byou are now\b|\bnew instructions?\b|\bact as\b|\bpretend (to be|you)\b"
    r"|\btell the user\b"
    r"|\b(always|must|only) (recommend|answer|say|respond)\b",
    re.IGNORECASE,
)
_FOLLOW_UP = re.compile(
    r"^(and|but|so|ok|okay|what about|how about|what if|why|how come|and if|also|then|tell me more|more"
    r"|which|what would|what else|what options|what should we (buy|build)|alternatives|options|really|even if"
    r"|does that|would that|is that|in that case|same|what changes)\b"
)


def normalize(text: str) -> str:
    """Lower-case, strip control and zero-width characters, fold punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _ZERO_WIDTH.sub("", text)
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    text = text.lower().replace("\u2019", "'").replace("'", " ")
    text = _NON_WORD.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def strip_injection(text: str) -> tuple[str, bool]:
    """Drop sentences that try to instruct the advisor; report whether any were found."""
    parts = re.split(r"(?<=[.!?;\n])\s+", text)
    kept = [p for p in parts if not INJECTION.search(p)]
    return " ".join(kept), len(kept) != len(parts)


@dataclass
class Understanding:
    """What one turn says, before the conversation's memory is applied."""

    question: str
    normalized: str
    components: list[str] = field(default_factory=list)
    vendors: list[str] = field(default_factory=list)
    other_component: str | None = None
    conditions: list[str] = field(default_factory=list)
    negated: list[str] = field(default_factory=list)
    topic: str | None = None
    in_scope: bool = False
    follow_up: bool = False
    injection: bool = False
    component_by: str = ""


class ConversationState(BaseModel):
    """What a conversation has established so far; stored between turns."""

    component: str | None = None
    components: list[str] = Field(default_factory=list)
    other_component: str | None = None
    conditions: list[str] = Field(default_factory=list)
    topic: str | None = None
    turns: int = 0


class Understander:
    """Recognises matrix components (by synonym, vendor, typo or meaning), conditions and topics."""

    def __init__(self, matrix: Matrix, taxonomy: Taxonomy, similarity=None, fallback_threshold: float = 0.5):
        self.matrix = matrix
        self.taxonomy = taxonomy
        self.similarity = similarity  # callable(question) -> {slug: cosine}; None disables the fallback
        self.fallback_threshold = fallback_threshold
        # phrase -> (slug, vendor doc or None); longest phrases first so "sagemaker feature store"
        # wins over "feature store".
        phrases: dict[str, tuple[str, str | None]] = {}
        for comp in matrix.components:
            for syn in [comp.name, *comp.synonyms]:
                phrases.setdefault(normalize(syn), (comp.slug, None))
            for opt in comp.buy:
                for name in [opt.name, *opt.aliases]:
                    phrases.setdefault(normalize(name), (comp.slug, opt.doc))
        self._phrases = sorted(phrases.items(), key=lambda kv: -len(kv[0]))
        self._regex = {p: re.compile(rf"(?<![a-z0-9]){re.escape(p)}(?![a-z0-9])") for p, _ in self._phrases}

    def understand(self, question: str) -> Understanding:
        cleaned, injected = strip_injection(question)
        norm = normalize(cleaned)
        u = Understanding(question=question, normalized=norm, injection=injected)
        self._find_components(u)
        for cond in self.taxonomy.conditions:
            m = cond.regex.search(norm)
            if m:
                (u.negated if _NEGATION.search(norm[: m.start()]) else u.conditions).append(cond.id)
        u.topic = next((t.id for t in self.taxonomy.general_topics if t.regex.search(norm)), None)
        if not u.components:
            u.other_component = next((o.name for o in self.taxonomy.other_components if o.regex.search(norm)), None)
        if not u.components and not u.other_component and not u.topic and self.similarity and norm:
            self._fallback(u)
        u.follow_up = bool(_FOLLOW_UP.match(norm)) or len(norm.split()) <= 4
        u.in_scope = bool(u.components or u.other_component or u.topic or u.conditions
                          or self.taxonomy.scope_regex.search(norm))
        return u

    def _find_components(self, u: Understanding) -> None:
        text = u.normalized
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, str, str | None, int]] = []
        for phrase, (slug, doc) in self._phrases:
            for m in self._regex[phrase].finditer(text):
                if any(m.start() < e and s < m.end() for s, e in taken):
                    continue
                taken.append((m.start(), m.end()))
                found.append((m.start(), slug, doc, len(phrase)))
        if found:
            u.component_by = "name"
        else:
            found = self._fuzzy(text)
            u.component_by = "typo" if found else ""
        for _, slug, doc, _ in sorted(found):
            if doc and doc not in u.vendors:
                u.vendors.append(doc)
        # Component words outrank vendor names ("move from SageMaker to a feature store"), and a
        # specific product outranks a generic cloud ("SageMaker Feature Store" over "AWS").
        words = [s for pos, s, d, _ in sorted(found) if d is None]
        vendors = [s for pos, s, d, n in sorted(found, key=lambda f: (-f[3], f[0])) if d]
        named = words + vendors
        for slug in named:
            if slug not in u.components:
                u.components.append(slug)

    def _fuzzy(self, text: str) -> list[tuple[int, str, str | None, int]]:
        words = text.split()
        hits = []
        for phrase, (slug, doc) in self._phrases:
            n = len(phrase.split())
            if len(phrase) < 6:
                continue  # short names (AWS, W&B) only match exactly
            for i in range(len(words) - n + 1):
                window = " ".join(words[i:i + n])
                if abs(len(window) - len(phrase)) > 3:
                    continue
                score = fuzz.ratio(window, phrase)
                # Two typos in a two-word name ("modle serivng") still read as that name.
                per_word = n > 1 and score >= 80 and all(
                    fuzz.ratio(a, b) >= 75 for a, b in zip(window.split(), phrase.split()))
                if score >= 86 or per_word:
                    hits.append((len(" ".join(words[:i])), slug, doc, len(phrase)))
                    break
        return hits

    def _fallback(self, u: Understanding) -> None:
        scores = self.similarity(u.normalized)
        ranked = sorted(scores.items(), key=lambda kv: -kv[1])
        if ranked and ranked[0][1] >= self.fallback_threshold and (
                len(ranked) == 1 or ranked[0][1] - ranked[1][1] >= 0.05):
            u.components = [ranked[0][0]]
            u.component_by = "meaning"

    def advance(self, state: ConversationState, u: Understanding) -> ConversationState:
        """Fold one turn into the conversation: inherit or switch component, accumulate conditions."""
        new = state.model_copy(deep=True)
        new.turns += 1
        switch = u.components and not (u.component_by == "meaning" and state.component)
        if switch:
            new.component, new.components, new.other_component = u.components[0], list(u.components), None
        elif u.components:
            pass  # a guess by meaning never overrides a component the conversation named
        elif u.other_component:
            new.component, new.components, new.other_component = None, [], u.other_component
        elif u.topic and not u.follow_up and not u.conditions:
            # A fresh general question ("what are the risks of building?") leaves the component.
            new.component, new.components, new.other_component = None, [], None
        for c in u.negated:
            if c in new.conditions:
                new.conditions.remove(c)
        for c in u.conditions:
            if c not in new.conditions:
                new.conditions.append(c)
        new.topic = u.topic
        return new
