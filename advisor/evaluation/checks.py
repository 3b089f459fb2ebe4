"""Per-case checks: verdict, component, act, part, conditions, mentions, the lead, citations and support."""

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


# -- the lead: the first sentences a reader sees ---------------------------------------------------
# Citation markers in any common shape: [1], [1][2], [1, 2], [1-3].
_LEAD_MARKER = re.compile(r"\s*\[\d+(?:\s*[,;\u2013-]\s*\d+)*\]")
_LINK = re.compile(r"\[([^\]]+)\]\([^)]*\)")
_PREFIX = re.compile(r"^\s*(?:>\s*)*(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)?")
_EMPHASIS = re.compile(r"\*\*|__|`|(?<!\w)[*_](?=\S)|(?<=\S)[*_](?!\w)")
# A line that is only an emphasised span (plus an optional short tail): "**Recommendation: Buy** (x)", "**Why**".
_EMPH_LINE = re.compile(r"^\W*?(\*\*|__|\*|_)(?P<body>[^*_]+?)\1(?P<tail>.*)$")
_BADGE_WORD = re.compile(r"^\W*(?:recommendation|verdict|answer|tl;?dr|summary|bottom line)\b[^.!?]*:", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?]+[\"'\u201d\u2019)\]]*\s+")
_ABBREV = re.compile(r"(?:\b(?:etc|vs|cf|incl|approx|esp|resp|fig|mr|ms|dr)\.|(?:\b[a-z]\.){2,})$", re.IGNORECASE)


def _is_heading(line: str) -> bool:
    """A badge or heading line ("# Title", "**Recommendation: Buy** (x)", "**Why**"), not a sentence."""
    bare = _LEAD_MARKER.sub("", line).strip()
    if re.match(r"^\s*(?:>\s*)*#{1,6}\s", bare):
        return True
    bare = re.sub(r"^\s*(?:>\s*)+", "", bare)
    m = _EMPH_LINE.match(bare)
    if m and not re.search(r"[.!?]\W*$", m["body"]):
        tail = m["tail"].strip()
        if not tail or (not re.search(r"[.!?]", tail) and len(tail.split()) <= 8):
            return True
    plain = _EMPHASIS.sub("", bare).strip()
    return bool(_BADGE_WORD.match(plain)) and not re.search(r"[.!?]\W*$", plain) and len(plain.split()) <= 12


def _plain(line: str) -> str:
    text = _LINK.sub(r"\1", _LEAD_MARKER.sub("", line))
    text = _EMPHASIS.sub("", _PREFIX.sub("", text))
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).strip(" -:;")


def _split_sentences(text: str) -> list[str]:
    """Split at . ! ? followed by a space and a capital, digit or quote; not after e.g., i.e., vs., U.S."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        nxt = text[m.end():m.end() + 2]
        if not nxt or not re.match(r"[\"'\u201c(]?[A-Z0-9]", nxt):
            continue
        if _ABBREV.search(text[start:m.start() + 1].rstrip()):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def lead_sentences(text: str, n: int = 2) -> list[str]:
    """The first `n` sentences of an answer, as plain text.

    Markdown, `[n]` markers and links are stripped; badge and heading lines (the composer's
    "**Recommendation: Buy** (experiment tracking)", "**Why**", "# ...") are skipped; a line break
    ends a sentence (bullets often have no full stop); the `Sources` list ends the search.
    """
    out: list[str] = []
    for line in text.splitlines():
        if _SOURCES_HEADING.match(line):
            break
        if not line.strip() or _SOURCE_LINE.match(line) or _is_heading(line):
            continue
        out += _split_sentences(_plain(line))
        if len(out) >= n:
            break
    return out[:n]


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2019", "'")).lower()


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
    if e.act is not None:
        checks.append(Check("act", e.act, answer.act, answer.act == e.act))
    if e.part is not None:
        got = answer.part or "whole"
        checks.append(Check("part", e.part, got, got == e.part))
    if e.scores_conditions:
        got = sorted(set(answer.conditions))
        checks.append(Check("conditions", sorted(e.conditions), got, set(got) == set(e.conditions)))
    if e.lead:
        lead = " ".join(lead_sentences(answer.text))
        missing = [p for p in e.lead if _fold(p) not in _fold(lead)]
        checks.append(Check("lead", e.lead, {"lead": lead, "missing": missing}, not missing))
    if e.not_mention:
        text = _fold(answer.text)
        found = [p for p in e.not_mention if _fold(p) in text]
        checks.append(Check("not_mention", e.not_mention, {"found": found}, not found))
    return checks


def as_dicts(checks: list[Check]) -> list[dict]:
    return [asdict(c) for c in checks]
