"""The Gradio chat door: streaming cited answers, verdict badges, sources, feedback and a knowledge-base tab."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterator
from typing import Any

import gradio as gr

from .chain import Advisor
from .compose import matrix_examples
from .errors import AdvisorError, NotFoundError
from .models import Answer, Citation
from .render import basis_shown, markdown
from .settings import Settings

log = logging.getLogger(__name__)

VERDICT_LABELS = {"buy": "Buy", "build": "Build", "hybrid": "Hybrid", "depends": "Depends"}
THEME = gr.themes.Soft(primary_hue="indigo", neutral_hue="slate")
CSS = """
.verdict-badge{display:inline-block;padding:3px 12px;border-radius:999px;font-weight:700;font-size:.85rem;
  letter-spacing:.04em;text-transform:uppercase;color:#fff;background:#64748b;margin-right:8px}
.verdict-buy{background:#15803d}.verdict-build{background:#b45309}.verdict-hybrid{background:#6d28d9}
.verdict-depends{background:#0369a1}.verdict-refused{background:#e2e8f0;color:#334155}
.verdict-guidance{background:#475569}.verdict-pending{background:#cbd5e1;color:#334155}
.verdict-error{background:#b91c1c}
.advisor-component{color:#475569;font-weight:600}
.advisor-basis{margin-left:8px;color:#64748b;font-size:.8em;font-style:italic}
.advisor-sources{margin-top:10px;border-top:1px solid #e2e8f0;padding-top:6px}
.advisor-sources summary{cursor:pointer;font-weight:600}
.advisor-source{margin:8px 0}.src-n{font-weight:700;color:#4338ca}.src-title{font-size:.95em}
.src-section{color:#475569;font-style:italic}.src-snippet{color:#334155;font-size:.9em;margin-top:2px}
.src-file{color:#64748b;font-size:.8em;font-family:ui-monospace,monospace}
.advisor-error-text{color:#991b1b}
#advisor-title h1{margin-bottom:0}
#advisor-new,#advisor-send{white-space:nowrap}
"""
# The composer ends its text with a plain-text source list; the sources panel shows it better.
_SOURCES_FOOTER = re.compile(r"\n+\*\*Sources\*\*\n.*\Z", re.DOTALL)
_VERDICT_LINE = re.compile(r"\A\*\*Recommendation: [A-Za-z]+\*\*[^\n]*\n+")  # the badge shows it
_MD_SPECIAL = set("\\`*_{}[]()#+-.!|~=:$\"'")


# -- rendering (pure functions, unit-tested) ------------------------------------------------------
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


def escape_answer(text: str) -> str:
    """Keep the answer's Markdown (bold, lists) but show any HTML in it as text."""
    return html.escape(_SOURCES_FOOTER.sub("", _VERDICT_LINE.sub("", text)), quote=False)


def _plain(text: str) -> str:
    # One line, escaped: inside an HTML block a blank line would end the block and re-enable Markdown.
    return html.escape(" ".join((text or "").split()))


def verdict_badge(answer: Answer) -> str:
    """The coloured badge: Buy / Build / Hybrid / Depends, Out of scope, or Guidance."""
    if answer.refused:
        key, label = "refused", "Out of scope"
    elif answer.verdict:
        key, label = answer.verdict, VERDICT_LABELS[answer.verdict]
    else:
        key, label = "guidance", "Guidance"
    return f'<span class="verdict-badge verdict-{key}">{label}</span>'


def sources_panel(citations: list[Citation]) -> str:
    """A collapsible list of the cited passages: number, title, section, snippet and file."""
    if not citations:
        return ""
    items = []
    for c in citations:
        section = f' <span class="src-section">— {_plain(c.section)}</span>' if c.section else ""
        snippet = _plain(c.snippet)
        if len(snippet) > 420:
            snippet = snippet[:400].rsplit(" ", 1)[0] + " …"
        items.append(f'<div class="advisor-source" data-n="{c.n}"><span class="src-n">[{c.n}]</span> '
                     f'<strong class="src-title">{_plain(c.title)}</strong>{section}'
                     f'<div class="src-snippet">{snippet}</div><div class="src-file">{_plain(c.source)}</div></div>')
    return (f'<details class="advisor-sources"><summary>Sources ({len(citations)})</summary>'
            f'{"".join(items)}</details>')


def render_answer(answer: Answer, component_name: str | None = None) -> str:
    """The full assistant message: badge line, answer text with [n] markers, sources panel."""
    head = verdict_badge(answer)
    if component_name and not answer.refused:
        head += f'<span class="advisor-component">{_plain(component_name)}</span>'
    if basis_shown(answer):
        head += f'<span class="advisor-basis" title="{_plain(answer.provenance.line)}">framework, not the articles\' verdict</span>'
    # The structured answer renders without its verdict line (the badge says it) and without the source
    # list (the panel shows it); an answer stored before the structure existed falls back to its text.
    body = markdown(answer, header=False, sources=False) if answer.lead else answer.text
    parts = [f'<div class="advisor-head">{head}</div>', escape_answer(body)]
    panel = sources_panel(answer.citations)
    if panel:
        parts.append(panel)
    return "\n\n".join(parts)


def render_pending(text: str) -> str:
    """The message while the answer streams in."""
    body = escape_answer(text) if text.strip() else "_Looking through the knowledge base…_"
    return f'<div class="advisor-head"><span class="verdict-badge verdict-pending">Answering…</span></div>\n\n{body}'


def render_error(exc: Exception) -> str:
    """A readable error with what to do; never a stack trace."""
    if isinstance(exc, AdvisorError):
        message, hint = exc.message, exc.hint
    else:
        message, hint = "the advisor hit an internal error", "try again; if it keeps happening, check the server log"
    text = f'<div class="advisor-error-text"><strong>Something went wrong:</strong> {_plain(message)}.'
    if hint:
        text += f"<br><strong>What to do:</strong> {_plain(hint)}."
    return (f'<div class="advisor-head"><span class="verdict-badge verdict-error">'
            f'Error</span></div>\n\n{text}</div>')


def new_session() -> dict:
    """Per-browser-session state: the conversation id and which chat message is which stored turn."""
    return {"cid": None, "turns": {}, "feedback_id": None}


# -- event handlers (plain functions over an Advisor, so tests can drive them without a browser) ---
def respond(advisor: Advisor, message: str, history: list, session: dict) -> Iterator[tuple]:
    """Stream one turn: yields (textbox value, chat history, session) as the answer grows."""
    message = message or ""
    if not message.strip():
        yield "", history, session
        return
    history = list(history or []) + [{"role": "user", "content": escape_user(message.strip())},
                                      {"role": "assistant", "content": render_pending("")}]
    idx = len(history) - 1
    yield "", list(history), session
    text = ""
    try:
        for piece in advisor.stream(message, session.get("cid"), channel="ui"):
            if isinstance(piece, Answer):
                session = {**session, "cid": piece.conversation_id,
                           "turns": {**session["turns"], str(idx): [piece.conversation_id, piece.turn]}}
                comp = advisor.matrix.get(piece.component) if piece.component else None
                history[idx] = {"role": "assistant", "content": render_answer(piece, comp.name if comp else None)}
            else:
                text += piece
                history[idx] = {"role": "assistant", "content": render_pending(text)}
            yield "", list(history), session
    except NotFoundError as exc:
        # The stored conversation vanished (e.g. the data dir was reset): start afresh next time.
        session = {**session, "cid": None}
        history[idx] = {"role": "assistant", "content": render_error(
            NotFoundError(exc.message, "ask again: your next question starts a new conversation"))}
        yield "", list(history), session
    except Exception as exc:
        if not isinstance(exc, AdvisorError):
            log.exception("UI answer failed")
        history[idx] = {"role": "assistant", "content": render_error(exc)}
        yield "", list(history), session


def rating_of(liked: Any) -> str | None:
    """Map Gradio's like payload (True/False or the 'Like'/'Dislike' option) to the store's up/down."""
    if liked is True or liked == "Like":
        return "up"
    if liked is False or liked == "Dislike":
        return "down"
    return None


def record_feedback(advisor: Advisor, session: dict, index: Any, liked: Any) -> tuple[dict, str]:
    """Store a thumbs up/down for the chat message at `index`; returns (session, status text)."""
    rating = rating_of(liked)
    key = str(index[0] if isinstance(index, (list, tuple)) else index)
    ref = session.get("turns", {}).get(key)
    if rating is None:
        return {**session, "feedback_id": None}, "Rating removed."
    if ref is None:
        return {**session, "feedback_id": None}, "Ratings apply to the advisor's answers only."
    fid = advisor.store.add_feedback(ref[0], ref[1], rating, "", channel="ui")
    thumbs = "👍" if rating == "up" else "👎"
    return {**session, "feedback_id": fid}, f"Thanks {thumbs}, your rating is saved. Add a comment below if you like."


def record_comment(advisor: Advisor, session: dict, comment: str) -> tuple[dict, str]:
    """Attach the optional comment to the rating just given."""
    fid = session.get("feedback_id")
    if fid is None:
        return session, "Rate an answer with 👍 or 👎 first, then add a comment."
    if not (comment or "").strip():
        return session, "The comment is empty: type a few words, or just leave the rating as it is."
    advisor.store.set_feedback_comment(fid, comment.strip()[:2000])
    return session, "Comment saved. Thank you!"


def documents_rows(advisor: Advisor) -> list[list]:
    """Indexed documents as table rows: title, kind, components, chunks."""
    return [[s.title, s.kind, ", ".join(s.components), s.chunks] for s in advisor.sources()]


def matrix_rows(advisor: Advisor) -> list[list]:
    """The decision matrix as table rows: component, default verdict, buy options, build, migration cost."""
    return [[c.name, VERDICT_LABELS[c.verdict], ", ".join(o.name for o in c.buy), c.build, c.migration_cost]
            for c in advisor.matrix.components]


def knowledge_summary(advisor: Advisor) -> str:
    """One line about the index, or what to do when it is empty."""
    try:
        docs = advisor.sources()
    except Exception as exc:  # noqa: BLE001 - a broken index is reported, not raised into the page
        return f"**The knowledge index could not be read:** {escape_user(str(exc))}"
    if not docs:
        return "**The knowledge index is empty.** Run `advisor ingest knowledge` (or `make run`), then reload."
    return (f"**{len(docs)} documents**, {sum(d.chunks for d in docs)} chunks indexed; "
            f"the decision matrix covers **{len(advisor.matrix.components)} components**.")


# -- layout -----------------------------------------------------------------------------------------
def build_ui(advisor: Advisor, settings: Settings) -> gr.Blocks:
    """The whole UI as Blocks (no launch, no globals): mount it or launch it with THEME and CSS."""
    with gr.Blocks(title="Build-or-Buy Advisor") as demo:
        # The style travels with the Blocks, because mount_gradio_app only applies css passed to it.
        gr.HTML("", head=f"<style>{CSS}</style>", visible="hidden", js_on_load=None)
        session = gr.State(new_session())
        gr.Markdown("# Build-or-Buy Advisor\nShould you build or buy this piece of ML/AI infrastructure? "
                    "Answers come from a curated knowledge base and cite their sources.", elem_id="advisor-title")
        with gr.Tabs():
            with gr.Tab("Advisor", id="chat"):
                chatbot = gr.Chatbot(
                    elem_id="advisor-chat", label="Advisor", show_label=False, height="68vh", min_height=420, layout="panel",
                    examples=[{"text": q} for q in matrix_examples(advisor.matrix, 6)], buttons=["copy"],
                    placeholder="**Ask about building or buying ML infrastructure.**<br>"
                                "Mention your team size, stage, scale or regulation: the verdict depends on them.",
                    feedback_options=("Like", "Dislike"), latex_delimiters=[], sanitize_html=True)
                with gr.Row(equal_height=True):
                    question = gr.Textbox(placeholder="e.g. Should we build or buy model serving?", show_label=False,
                                          scale=8, max_lines=6, max_length=settings.max_question_chars,
                                          elem_id="advisor-question", autofocus=True, submit_btn=False)
                    send = gr.Button("Ask", variant="primary", scale=0, min_width=90, elem_id="advisor-send")
                    new = gr.Button("New conversation", scale=0, min_width=180, elem_id="advisor-new")
                status = gr.Markdown("", elem_id="feedback-status")
                with gr.Row(visible=False, elem_id="feedback-row") as fb_row:
                    comment = gr.Textbox(placeholder="Optional: what was good or wrong about this answer?",
                                         show_label=False, scale=8, elem_id="feedback-comment", max_length=2000)
                    send_comment = gr.Button("Send comment", scale=1, min_width=120, elem_id="feedback-send")
            with gr.Tab("Knowledge base", id="kb"):
                kb_summary = gr.Markdown(elem_id="kb-summary")
                gr.Markdown("### Decision matrix")
                matrix_df = gr.Dataframe(headers=["Component", "Default verdict", "Buy options", "Build",
                                                  "Migration cost"], interactive=False, wrap=True,
                                         elem_id="kb-matrix", column_widths=["16%", "11%", "25%", "36%", "12%"])
                gr.Markdown("### Indexed documents")
                docs_df = gr.Dataframe(headers=["Title", "Kind", "Components", "Chunks"], interactive=False,
                                       wrap=True, elem_id="kb-docs", max_height=600,
                                       column_widths=["40%", "12%", "38%", "10%"])
                refresh = gr.Button("Refresh", size="sm")

        def ask(message, history, sess):
            yield from respond(advisor, message, history, sess)

        def ask_example(history, sess, evt: gr.SelectData):
            value = evt.value
            yield from respond(advisor, value.get("text", "") if isinstance(value, dict) else str(value),
                               history, sess)

        def on_like(sess, evt: gr.LikeData):
            try:
                sess, msg = record_feedback(advisor, sess, evt.index, evt.liked)
            except AdvisorError as exc:
                return sess, render_error(exc), gr.update(visible=False)
            return sess, msg, gr.update(visible=sess.get("feedback_id") is not None)

        def on_comment(sess, text):
            try:
                sess, msg = record_comment(advisor, sess, text)
            except AdvisorError as exc:
                return sess, render_error(exc), gr.update()
            return sess, msg, "" if msg.startswith("Comment saved") else gr.update()

        def reset():
            return [], new_session(), "", gr.update(visible=False), ""

        def load_kb():
            return knowledge_summary(advisor), matrix_rows(advisor), documents_rows(advisor)

        chat_io = {"outputs": [question, chatbot, session], "show_progress": "hidden"}
        question.submit(ask, [question, chatbot, session], **chat_io)
        send.click(ask, [question, chatbot, session], **chat_io)
        chatbot.example_select(ask_example, [chatbot, session], **chat_io)
        chatbot.like(on_like, [session], [session, status, fb_row])
        send_comment.click(on_comment, [session, comment], [session, status, comment])
        comment.submit(on_comment, [session, comment], [session, status, comment])
        new.click(reset, None, [chatbot, session, status, fb_row, comment])
        chatbot.clear(reset, None, [chatbot, session, status, fb_row, comment])
        demo.load(load_kb, None, [kb_summary, matrix_df, docs_df])
        refresh.click(load_kb, None, [kb_summary, matrix_df, docs_df])
    return demo
