"""The CLI's renderings of an Answer, verdict first: rich on a terminal, plain text in a pipe."""

from __future__ import annotations

from markdown_it import MarkdownIt
from rich.console import Console, Group, RenderableType
from rich.markdown import Markdown
from rich.table import Table
from rich.text import Text

from .models import Answer, Citation, Section
from .render import YOURS, basis_shown

BADGE_STYLE = {"BUY": "bold white on green4", "BUILD": "bold white on dark_orange3", "HYBRID": "bold white on blue",
               "DEPENDS": "bold black on yellow", "REFUSED": "bold white on red3", "GUIDANCE": "bold black on grey70"}
_INLINE = MarkdownIt("commonmark")


def verdict_tag(answer: Answer) -> str:
    """BUY, BUILD, HYBRID or DEPENDS; REFUSED for an out-of-scope question; GUIDANCE when there is no verdict."""
    return answer.verdict.upper() if answer.verdict else ("REFUSED" if answer.refused else "GUIDANCE")


def subject(answer: Answer) -> str:
    if answer.refused:
        return ""
    return answer.subject or (answer.component or "").replace("-", " ")


def headline(answer: Answer) -> str:
    """The first line of every CLI answer: '[BUY] feature store'."""
    what = subject(answer)
    return f"[{verdict_tag(answer)}]" + (f" {what}" if what else "")


def _source(c: Citation) -> str:
    return (f"[{c.n}] {c.title}" + (f" — {c.section}" if c.section else "") + (f" ({c.source})" if c.source else "")
            + (f" · {YOURS}" if c.yours else ""))


# -- plain text ------------------------------------------------------------------------------------
def inline_plain(text: str) -> str:
    """Inline Markdown as plain text: emphasis marks and escapes dropped, a link's target kept after it."""
    out: list[str] = []
    hrefs: list[str] = []
    for line in text.split("\n"):
        tokens = (_INLINE.parseInline(line)[0].children or []) if line.strip() else []
        for tok in tokens:
            if tok.type in ("text", "code_inline", "html_inline"):
                out.append(tok.content)
            elif tok.type in ("softbreak", "hardbreak"):
                out.append("\n")
            elif tok.type == "link_open":
                hrefs.append(str(tok.attrs.get("href", "")))
            elif tok.type == "link_close" and hrefs:
                out.append(f" ({hrefs.pop()})")
        out.append("\n")
    return "".join(out)[:-1]


def _plain_section(s: Section) -> list[str]:
    lines = [inline_plain(s.title)]
    if s.text:
        lines.append(inline_plain(s.text))
    lines += [f"- {inline_plain(item)}" for item in s.items]
    if s.table:
        lines.append(" | ".join(inline_plain(c) for c in s.table.columns))
        lines += [" | ".join(inline_plain(c) for c in row) for row in s.table.rows]
    return lines


def plain_text(answer: Answer) -> str:
    """The answer for a pipe or a file: the headline, then plain text with [n] markers and the sources."""
    head = [headline(answer)]
    basis = [answer.provenance.line] if basis_shown(answer) else []
    if not answer.lead and not answer.sections:
        return "\n".join(head + basis) + "\n\n" + inline_plain(answer.text)
    blocks = ["\n".join(head), "\n".join([inline_plain(answer.lead), *basis])] if answer.lead else ["\n".join(head + basis)]
    blocks += ["\n".join(_plain_section(s)) for s in answer.sections]
    if answer.citations:
        blocks.append("\n".join(["Sources", *(_source(c) for c in answer.citations)]))
    return "\n\n".join(blocks)


# -- rich, for a terminal ------------------------------------------------------------------------------
def _rich_section(s: Section) -> list[RenderableType]:
    parts: list[RenderableType] = [Text(""), Text(inline_plain(s.title), style="bold underline")]
    if s.text:
        parts.append(Markdown(s.text))
    if s.items:
        parts.append(Markdown("\n".join(f"- {item}" for item in s.items)))
    if s.table:
        table = Table(*(inline_plain(c) for c in s.table.columns), show_lines=False, header_style="bold")
        for row in s.table.rows:
            table.add_row(*(Markdown(c) for c in row))
        parts.append(table)
    return parts


def rich_answer(answer: Answer) -> Group:
    """The answer for a terminal: a coloured verdict badge and subject, then the sections as rendered Markdown."""
    tag = verdict_tag(answer)
    head = Text.assemble((f" {tag} ", BADGE_STYLE[tag]), (f" {subject(answer)}" if subject(answer) else "", "bold"))
    parts: list[RenderableType] = [head]
    basis = [Text(answer.provenance.line, style="italic dim")] if basis_shown(answer) else []
    parts.append(Text(""))
    if not answer.lead and not answer.sections:
        return Group(*parts, *basis, Markdown(answer.text))
    if answer.lead:
        parts.append(Markdown(answer.lead))
    parts += basis
    for s in answer.sections:
        parts += _rich_section(s)
    if answer.citations:
        parts += [Text(""), Text("Sources", style="bold underline")]
        parts += [Text(_source(c), style="dim") for c in answer.citations]
    return Group(*parts)


def print_answer(answer: Answer, console: Console | None = None) -> None:
    """Verdict first, then the answer: rich on a terminal, plain text when stdout is a pipe or a file."""
    console = console or Console()
    if console.is_terminal:
        console.print(rich_answer(answer))
    else:
        console.file.write(plain_text(answer) + "\n")
        console.file.flush()
