"""One renderer per format for the structured `Answer`: Markdown, Slack Block Kit, terminal, plain text."""

from __future__ import annotations

import re

from .models import GUIDANCE_ACTS, Answer, Citation, Section

VERDICT_WORD = {"buy": "Buy", "build": "Build", "hybrid": "Hybrid", "depends": "Depends"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def section_markdown(section: Section) -> str:
    """A section as Markdown: bold title, then its paragraph, bullets and/or table."""
    body = []
    if section.text:
        body.append(section.text)
    if section.items:
        body.append("\n".join(f"- {item}" for item in section.items))
    if section.table:
        t = section.table
        body.append("| " + " | ".join(_cell(c) for c in t.columns) + " |\n"
                    + "|" + "---|" * len(t.columns) + "\n"
                    + "\n".join("| " + " | ".join(_cell(c) for c in row) + " |" for row in t.rows))
    return f"**{section.title}**\n" + "\n\n".join(body)


YOURS = "your document"  # how every door marks a source that is the user's own material


def sources_markdown(citations: list[Citation]) -> str:
    return "**Sources**\n" + "\n".join(
        f"[{c.n}] {c.title}" + (f" — {c.section}" if c.section else "") + (f" ({c.source})" if c.source else "")
        + (f" · _{YOURS}_" if c.yours else "") for c in citations)


def verdict_heading(verdict: str, subject: str) -> str:
    """'**Recommendation: Buy** (LLM gateway)'."""
    return f"**Recommendation: {VERDICT_WORD[verdict]}** ({subject})"


def verdict_line(answer: Answer) -> str:
    """The bold verdict line that opens the Markdown of an answer with a verdict (guidance leads itself)."""
    return "" if answer.act in GUIDANCE_ACTS else verdict_label(answer)


def verdict_label(answer: Answer) -> str:
    """'**Recommendation: Buy** (LLM gateway)' for any answer with one verdict (the badge, Slack's header)."""
    if answer.refused or not answer.verdict or len(answer.rows) >= 2:
        return ""  # several rows answered side by side have no one verdict to head them
    subject = answer.subject or (answer.component or "").replace("-", " ")
    if not answer.subject and answer.part and answer.part != "whole":
        subject += f": {answer.part.replace('-', ' ')}"
    return verdict_heading(answer.verdict, subject)


def basis_shown(answer: Answer) -> bool:
    """An answer says where its verdict comes from when it is our framework, not a source article's word."""
    return bool(answer.provenance and answer.provenance.basis == "framework" and not answer.refused)


def markdown_pieces(answer: Answer, header: bool = True, sources: bool = True) -> list[str]:
    """The Markdown of an answer in the order it is written (the stream sends these one by one)."""
    pieces = []
    line = verdict_line(answer) if header else ""
    if line:
        pieces.append(line)
    if answer.lead:
        pieces.append(answer.lead)
    if line and basis_shown(answer):  # provenance follows the answer it qualifies, never before it
        pieces.append(f"_{answer.provenance.line}_")
    pieces += [section_markdown(s) for s in answer.sections]
    if sources and answer.citations:
        pieces.append(sources_markdown(answer.citations))
    return pieces


def markdown(answer: Answer, header: bool = True, sources: bool = True) -> str:
    """Markdown for the UI, the OpenAI-compatible route and files."""
    return "\n\n".join(markdown_pieces(answer, header, sources))


_MARKDOWN_BOLD = re.compile(r"\*\*(.+?)\*\*")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\(([^)]+)\)")


def _mrkdwn(text: str) -> str:
    """Slack's mrkdwn: *bold*, <url|text>, and &, <, > escaped (so <!here> in a text pings nobody)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_BOLD.sub(r"*\1*", text)
    return _MARKDOWN_LINK.sub(r"<\2|\1>", text)


SLACK_TEXT_LIMIT = 2900  # a section's text may hold 3,000 characters


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def slack_blocks(answer: Answer, question: str | None = None) -> list[dict]:
    """Block Kit body: the lead, one compact section per part, sources as context (the door adds its header)."""
    blocks: list[dict] = []
    if question:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(f"> {_mrkdwn(question)}", 2900)}]})
    if answer.lead:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(_mrkdwn(answer.lead), SLACK_TEXT_LIMIT)}})
    for s in answer.sections:
        body = section_markdown(s) if s.table else "\n".join(
            [f"**{s.title}**", s.text, *(f"• {i}" for i in s.items)])
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _clip(_mrkdwn(body.strip()), SLACK_TEXT_LIMIT)}})
    if answer.citations:
        blocks.append(slack_sources(answer.citations))
    return blocks[:50]  # Slack accepts at most 50 blocks in a message


def slack_sources(citations: list[Citation]) -> dict:
    """A context block listing the sources (a context block holds at most 10 elements)."""
    items = [f"[{c.n}] {_mrkdwn(c.title)}" + (f" — {_mrkdwn(c.section)}" if c.section else "")
             + (f" (`{_mrkdwn(c.source)}`)" if c.source else "") + (f" · _{YOURS}_" if c.yours else "")
             for c in citations]
    elements = items[:9] + (["\n".join(items[9:])] if items[9:] else [])
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": _clip(e, 2000)} for e in elements]}


def plain(answer: Answer) -> str:
    """Plain text for a pipe: the Markdown without emphasis marks."""
    return _MARKDOWN_BOLD.sub(r"\1", markdown(answer))
