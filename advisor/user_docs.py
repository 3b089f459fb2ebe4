"""'From your documents': passages of the user's own ingested files that bear on the question.

The user's RFPs, vendor quotes and design notes are their material, not the advisor's: they are quoted
in a section of their own, cited like every source (and marked as the user's in the sources list),
and they never feed the verdict, the lead or the reasons, which come from the decision matrix.
"""

from __future__ import annotations

import re

from .compose import Citations, sentences
from .models import Section
from .retrieval import Passage, tokenize

TITLE = "From your documents"
NOTE = ("Quoted from your own documents for context; the recommendation above comes from the decision matrix "
        "and does not change because of them. If they state a requirement (a latency target, a budget, a "
        "contract term), say it in your question to have it weighed.")
_NUMBER = re.compile(r"\d")
MAX_QUOTE = 320
# Text that addresses the advisor instead of informing the reader: markup that imitates the prompt's source
# fences, instructions to ignore rules, orders about what to answer. A passage carrying any of it is not
# the user's material to quote (it may be a planted instruction), so none of it is shown or cited.
_INSTRUCTION = re.compile(
    r"</?[a-z][a-z0-9]*(?:\s[^>]*)?>"
    r"|\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:instructions?|rules?|prompts?|guidelines|matrix)\b"
    r"|\bsystem (?:prompt|notice|message)\b|\bfrom now on\b|\btell the user\b|\bcorrect verdict\b"
    r"|\b(?:assistant|chatbot|language model)\s*[,:]"
    r"|\b(?:you|assistant)\s+(?:must|should|shall)\s+(?:always\s+|only\s+)?(?:answer|recommend|say|respond|reply)\b"
    r"|\b(?:always|only)\s+(?:answer|recommend|say|respond)\b",
    re.IGNORECASE)


def documents_section(passages: list[Passage], question: str, cites: Citations) -> Section | None:
    """The section, or None when none of the user's documents bears on the question."""
    items = []
    words = set(tokenize(question))
    for p in passages:
        if _INSTRUCTION.search(p.doc.page_content):
            continue
        quote = _quote(p, words)
        if not quote:
            continue
        m = p.doc.metadata
        where = m.get("title", "") + (f" — {m['section']}" if m.get("section") else "")
        items.append(f"**{where}**: “{quote}” [{cites.cite(p, quote)}]")
    return Section(kind="documents", title=TITLE, text=NOTE, items=items) if items else None


def _quote(p: Passage, words: set[str]) -> str:
    """The passage's sentence that says most about the question (a stated figure counts: a target, a
    price), with the next one when it is short; the passage's start when it has no clean sentence."""
    sents = [s for s in sentences(p.doc.page_content) if len(s) >= 20]
    if not sents:
        text = " ".join(p.doc.page_content.split())
        return text if len(text) <= MAX_QUOTE else text[:MAX_QUOTE].rsplit(" ", 1)[0] + " …"

    def score(s: str) -> float:
        toks = set(tokenize(s))
        return len(toks & words) / (len(toks) ** 0.5 or 1) + (0.5 if _NUMBER.search(s) else 0.0)

    best = max(range(len(sents)), key=lambda i: (score(sents[i]), -i))
    quote = sents[best]
    if best + 1 < len(sents) and len(quote) + len(sents[best + 1]) < MAX_QUOTE and _NUMBER.search(sents[best + 1]):
        quote += " " + sents[best + 1]
    return quote if len(quote) <= MAX_QUOTE else quote[:MAX_QUOTE].rsplit(" ", 1)[0] + " …"
