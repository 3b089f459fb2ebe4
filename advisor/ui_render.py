"""How the chat UI shows an answer: badge head, Markdown body with linked [n] markers, sources panel.

Pure functions over the structured `Answer` (unit-tested without a browser). Each assistant message
carries its readable Markdown in the head's `data-md` attribute: the page script (ui_assets.JS) puts
that on the clipboard when someone presses "Copy message", so the copy never contains this HTML.
"""

from __future__ import annotations

import hashlib
import html
import re

from .errors import AdvisorError
from .models import Answer, Citation
from .render import VERDICT_WORD, YOURS, basis_shown, markdown

# The composer ends its text with a plain-text source list; the sources panel shows it better.
_SOURCES_FOOTER = re.compile(r"\n+\*\*Sources\*\*\n.*\Z", re.DOTALL)
# The verdict heading and the basis line after the lead: the badge says both, so the body must not repeat them.
_VERDICT_LINE = re.compile(r"\A\s*\*\*Recommendation: [A-Za-z]+\*\*[^\n]*(?:\n+|\Z)")
_BASIS_LINE = re.compile(r"\n+_Basis: [^\n]*_[ \t]*(?=\n|\Z)")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~=:$\"'")


def escape_user(text: str) -> str:
    """Render user text literally: no HTML tags, no Markdown, no LaTeX, no unpaired surrogates (they break JSON)."""
    out = []
    for ch in text.encode("utf-8", "replace").decode("utf-8"):
        if ch in "&<>":
            out.append(html.escape(ch))
        elif ch in _MD_SPECIAL:
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def strip_heading(text: str) -> str:
    """The answer text without its verdict heading and without the plain-text source list."""
    return _SOURCES_FOOTER.sub("", _BASIS_LINE.sub("", _VERDICT_LINE.sub("", text)))


def escape_answer(text: str) -> str:
    """Keep the answer's Markdown (bold, lists) but show any HTML in it as text; no verdict line, no footer."""
    return html.escape(strip_heading(text), quote=False)


def _plain(text: str) -> str:
    # One line, escaped: inside an HTML block a blank line would end the block and re-enable Markdown.
    return html.escape(" ".join((text or "").split()))


def _attr(text: str) -> str:
    # An attribute value on one physical line (newlines as entities), so the HTML block stays one block.
    return html.escape(text, quote=True).replace("\r", "").replace("\n", "&#10;")


def answer_key(answer: Answer) -> str:
    """A short id unique to one answer in the page, for the anchors of its sources."""
    if answer.conversation_id:
        return f"{answer.conversation_id[:8]}-{answer.turn}"
    return hashlib.sha1(answer.text.encode("utf-8", "replace")).hexdigest()[:8]


def source_id(key: str, n: int) -> str:
    return f"src-{key}-{n}"


def link_markers(body: str, key: str, numbers: set[int]) -> str:
    """Each [n] that names a cited source becomes a link to that source in the panel below."""
    def link(m: re.Match) -> str:
        n = int(m.group(1))
        if n not in numbers:
            return m.group(0)
        return f'<a class="advisor-cite" href="#{source_id(key, n)}" title="Show source {n}">[{n}]</a>'
    return _MARKER.sub(link, body)


def verdict_badge(answer: Answer) -> str:
    """The coloured badge: Buy / Build / Hybrid / Depends, Out of scope, or Guidance."""
    if answer.refused:
        key, label = "refused", "Out of scope"
    elif len(answer.rows) >= 2:
        key, label = "guidance", "Side by side"
    elif answer.verdict:
        key, label = answer.verdict, VERDICT_WORD[answer.verdict]
    else:
        key, label = "guidance", "Guidance"
    return f'<span class="verdict-badge verdict-{key}">{label}</span>'


def sources_panel(citations: list[Citation], key: str = "x") -> str:
    """A collapsible list of the cited passages (number, title, section, snippet, file), each with an id."""
    if not citations:
        return ""
    items = []
    for c in citations:
        section = f' <span class="src-section">— {_plain(c.section)}</span>' if c.section else ""
        if c.yours:  # the user's own material, marked as such
            section += f' <span class="src-yours">{YOURS}</span>'

        snippet = _plain(c.snippet)
        if len(snippet) > 420:
            snippet = snippet[:400].rsplit(" ", 1)[0] + " …"
        items.append(f'<div class="advisor-source" id="{source_id(key, c.n)}">'
                     f'<span class="src-n">[{c.n}]</span> '
                     f'<strong class="src-title">{_plain(c.title)}</strong>{section}'
                     f'<div class="src-snippet">{snippet}</div><div class="src-file">{_plain(c.source)}</div></div>')
    return (f'<details class="advisor-sources"><summary>Sources ({len(citations)})</summary>'
            f'{"".join(items)}</details>')


def copy_text(answer: Answer) -> str:
    """What "Copy message" puts on the clipboard: the answer's own Markdown (verdict line, text, sources)."""
    return markdown(answer) if answer.lead else answer.text


def _head(inner: str, md: str) -> str:
    return f'<div class="advisor-head" data-md="{_attr(md)}">{inner}</div>'


def render_answer(answer: Answer, component_name: str | None = None) -> str:
    """The full assistant message: badge head, answer text with linked [n] markers, sources panel."""
    head = verdict_badge(answer)
    if component_name and not answer.refused:
        head += f'<span class="advisor-component">{_plain(component_name)}</span>'
    if basis_shown(answer):
        head += (f'<span class="advisor-basis" title="{_plain(answer.provenance.line)}">'
                 f'framework, not the articles\' verdict</span>')
    # The structured answer renders without its verdict line (the badge says it) and without the source
    # list (the panel shows it); an answer stored before the structure existed falls back to its text.
    body = markdown(answer, header=False, sources=False) if answer.lead else answer.text
    key = answer_key(answer)
    parts = [_head(head, copy_text(answer)),
             link_markers(escape_answer(body), key, {c.n for c in answer.citations})]
    panel = sources_panel(answer.citations, key)
    if panel:
        parts.append(panel)
    return "\n\n".join(parts)


def render_pending(text: str) -> str:
    """The message while the answer streams in: what is written so far, under an 'Answering…' badge."""
    shown = strip_heading(text).strip()
    body = html.escape(shown, quote=False) if shown else "_Looking through the knowledge base…_"
    badge = '<span class="verdict-badge verdict-pending">Answering…</span>'
    return f'{_head(badge, shown)}\n\n{body}'


def render_error(exc: Exception) -> str:
    """A readable error with what to do; never a stack trace."""
    if isinstance(exc, AdvisorError):
        message, hint = exc.message, exc.hint
    else:
        message, hint = "the advisor hit an internal error", "try again; if it keeps happening, check the server log"
    text = f'<div class="advisor-error-text"><strong>Something went wrong:</strong> {_plain(message)}.'
    md = f"**Something went wrong:** {message}."
    if hint:
        text += f"<br><strong>What to do:</strong> {_plain(hint)}."
        md += f"\n**What to do:** {hint}."
    badge = '<span class="verdict-badge verdict-error">Error</span>'
    return f'{_head(badge, md)}\n\n{text}</div>'
