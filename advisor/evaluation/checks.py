"""Per-case checks: verdict, component, mentions, citations, and whether cited sentences are supported."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

import numpy as np

from ..models import Answer
from ..retrieval import tokenize
from .dataset import Case

MARKER = re.compile(r"\[(\d+)\]")
# A line that starts with a marker is the source list ("[1] Title — Section (file)"), not a claim.
_SOURCE_LINE = re.compile(r"^\s*(?:[-*]\s*)?\[\d+\]\s")
_SOURCES_HEADING = re.compile(r"^\s*[#*_\s]*sources?\s*[*_:]*\s*$", re.IGNORECASE)
# Split after sentence punctuation (markers stay with their sentence) or after a marker run.
_SPLIT = re.compile(r"(?<=[.!?])\s+(?!\[\d)|(?<=\])\s+(?=[A-Z*])")
_MD = re.compile(r"\*\*|__|`|^#+\s*|^\s*[-*]\s+|^\s*\d+\.\s+|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w)")

# citation_support: a cited sentence is supported when its cited snippet is this close in meaning...
SUPPORT_COSINE = 0.5
# ...or when this share of the sentence's content words appear in the snippet.
SUPPORT_OVERLAP = 0.5


@dataclass
class Check:
    """One scored expectation and its outcome."""

    name: str
    expected: object
    got: object
    passed: bool


def claim_sentences(text: str) -> list[tuple[str, list[int]]]:
    """Sentences of an answer with the marker numbers each carries (source list excluded)."""
    out = []
    for line in text.splitlines():
        if _SOURCES_HEADING.match(line):
            break  # everything after the sources heading is the list of sources
        if _SOURCE_LINE.match(line) or not line.strip():
            continue
        for part in _SPLIT.split(line):
            marks = [int(m) for m in MARKER.findall(part)]
            clean = _MD.sub("", MARKER.sub("", part)).strip(" -:;")
            if clean:
                out.append((clean, marks))
    return out


def _snippet_units(snippet: str) -> list[str]:
    parts = [p.strip() for p in re.split(r"(?<=[.!?])\s+", snippet) if p.strip()]
    return [snippet] + parts if len(parts) > 1 else [snippet]


def overlap(sentence: str, snippet: str) -> float:
    """Share of the sentence's content words that also appear in the snippet."""
    words = set(tokenize(sentence))
    if not words:
        return 0.0
    return len(words & set(tokenize(snippet))) / len(words)


@dataclass
class CitationStats:
    """Marker and support counts for one answer."""

    markers: int = 0
    valid_markers: int = 0
    cited_sentences: int = 0
    supported_sentences: int = 0
    unsupported: list[str] | None = None


def citation_stats(answer: Answer, embed) -> CitationStats:
    """Count markers that resolve and cited sentences their cited snippets support (see evals/README.md)."""
    stats = CitationStats(unsupported=[])
    by_n = {c.n: c for c in answer.citations}
    claims = [(s, marks) for s, marks in claim_sentences(answer.text) if marks]
    if not claims:
        return stats
    pairs: list[tuple[int, str]] = []  # (claim index, snippet unit)
    for i, (sentence, marks) in enumerate(claims):
        stats.markers += len(marks)
        valid = [by_n[n] for n in marks if n in by_n]
        stats.valid_markers += len(valid)
        for c in valid:
            pairs += [(i, u) for u in _snippet_units(c.snippet or c.title)]
    supported = [False] * len(claims)
    for i, unit in pairs:
        if overlap(claims[i][0], unit) >= SUPPORT_OVERLAP:
            supported[i] = True
    todo = [(i, u) for i, u in pairs if not supported[i]]
    if todo:
        texts = [claims[i][0] for i in sorted({i for i, _ in todo})]
        units = sorted({u for _, u in todo})
        vecs = np.asarray(embed(texts + units), dtype=np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True) + 1e-12
        row = {t: vecs[k] for k, t in enumerate(texts)}
        col = {u: vecs[len(texts) + k] for k, u in enumerate(units)}
        for i, u in todo:
            if float(row[claims[i][0]] @ col[u]) >= SUPPORT_COSINE:
                supported[i] = True
    stats.cited_sentences = len(claims)
    stats.supported_sentences = sum(supported)
    stats.unsupported = [claims[i][0] for i, ok in enumerate(supported) if not ok]
    return stats


def check_case(case: Case, answer: Answer) -> list[Check]:
    """Score the last answer of a case against every expectation the case sets."""
    e = case.expect
    checks: list[Check] = []
    if e.scores_verdict:
        got = "refuse" if answer.refused else answer.verdict
        checks.append(Check("verdict", e.verdict, got, got == e.verdict))
    if e.scores_component:
        got = None if answer.refused else answer.component
        checks.append(Check("component", e.component, got, got == e.component))
    if e.mention:
        low = answer.text.lower()
        missing = [m for m in e.mention if m.lower() not in low]
        checks.append(Check("mention", e.mention, {"missing": missing}, not missing))
    if e.cite:
        cited = list(dict.fromkeys(c.doc_id for c in answer.citations))
        checks.append(Check("cite", e.cite, cited, bool(set(cited) & set(e.cite))))
    return checks


def as_dicts(checks: list[Check]) -> list[dict]:
    return [asdict(c) for c in checks]
