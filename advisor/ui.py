"""The Gradio chat door: streaming cited answers, verdict badges, sources, feedback and a knowledge-base tab.

Rendering lives in ui_render (pure functions), the style sheet and page script in ui_assets.
"""

from __future__ import annotations

import html  # noqa: F401 - kept for callers that escape text the way the UI shows it (ui.html.escape)
import logging
import time
from collections.abc import Iterator
from typing import Any

import gradio as gr

from .chain import Advisor
from .compose import matrix_examples
from .errors import AdvisorError, NotFoundError
from .metrics import Metrics, metrics_of
from .models import Answer
from .settings import Settings
from .takeaways import Takeaways
from .ui_assets import CSS, page_script
from .ui_render import (  # noqa: F401 - re-exported: the UI's rendering API
    copy_text,
    escape_answer,
    escape_user,
    link_markers,
    render_answer,
    render_error,
    render_pending,
    sources_panel,
    verdict_badge,
)
from .ui_takeaways import record_button, takeaways_tabs

log = logging.getLogger(__name__)

VERDICT_LABELS = {"buy": "Buy", "build": "Build", "hybrid": "Hybrid", "depends": "Depends"}
THEME = gr.themes.Soft(primary_hue="indigo", neutral_hue="slate")
# The composer writes a whole answer at once; shown at that speed the reader sees only the end. Each
# finished block (the lead, then each section) stays on screen at least this long before the next one, so
# the answer visibly forms. An LLM's tokens are not held back: they arrive at the model's own pace.
REVEAL_SECONDS = 0.12
DOOR = "ui"


class AdvisorBlocks(gr.Blocks):
    """Blocks that keep the UI's own login (ADVISOR_UI_AUTH) when whoever serves them passes no auth.

    `launch()` and `gr.mount_gradio_app()` both assign `auth` (None when not given); the UI's own
    credentials then stay in force, so `python app.py` and `advisor serve` protect the UI alike.
    """

    ui_auth: list[tuple[str, str]] | None = None

    @property
    def auth(self):
        return self._auth if self._auth is not None else self.ui_auth

    @auth.setter
    def auth(self, value) -> None:
        self._auth = value


def new_session() -> dict:
    """Per-browser-session state: the conversation id and which chat message is which stored turn."""
    return {"cid": None, "turns": {}, "feedback_id": None}


def too_long_notice(message: str, limit: int) -> str | None:
    """What to say about a question over the limit (checked before anything is sent to the advisor)."""
    n = len(message.strip())
    if n <= limit:
        return None
    return (f"**Your question is {n:,} characters; the limit is {limit:,}.** Nothing was sent: shorten it "
            f"to the essentials (it is still in the box), then ask again.")


# -- event handlers (plain functions over an Advisor, so tests can drive them without a browser) ---
def respond(advisor: Advisor, message: str, history: list, session: dict, *, metrics: Metrics | None = None,
            reveal: float = REVEAL_SECONDS) -> Iterator[tuple]:
    """Stream one turn: yields (textbox value, chat history, session, status) as the answer grows.

    The lead shows first, then each section; the sources panel comes with the finished answer.
    """
    message = message or ""
    if not message.strip():
        yield "", history, session, gr.update()
        return
    notice = too_long_notice(message, advisor.settings.max_question_chars)
    if notice:  # kept in the box, not cut: the person decides what to drop
        yield message, history, session, notice
        return
    history = list(history or []) + [{"role": "user", "content": escape_user(message.strip())},
                                      {"role": "assistant", "content": render_pending("")}]
    idx = len(history) - 1
    yield "", list(history), session, ""
    text = ""
    shown_at = 0.0
    try:
        for piece in advisor.stream(message, session.get("cid"), channel=DOOR):
            if isinstance(piece, Answer):
                if metrics is not None:
                    metrics.answer(DOOR, piece)
                session = {**session, "cid": piece.conversation_id,
                           "turns": {**session["turns"], str(idx): [piece.conversation_id, piece.turn]}}
                comp = advisor.matrix.get(piece.component) if piece.component else None
                history[idx] = {"role": "assistant", "content": render_answer(piece, comp.name if comp else None)}
            else:
                text += piece
                content = render_pending(text)
                if content == history[idx]["content"]:
                    continue  # nothing new to see (e.g. the verdict line, which the badge will show)
                block_done = text.endswith("\n\n")  # mid-paragraph LLM tokens show at once
                if block_done and shown_at:
                    time.sleep(max(0.0, shown_at + reveal - time.monotonic()))
                history[idx] = {"role": "assistant", "content": content}
                if block_done:
                    shown_at = time.monotonic()
            yield "", list(history), session, gr.update()
    except NotFoundError as exc:
        # The stored conversation vanished (e.g. the data dir was reset): start afresh next time.
        session = {**session, "cid": None}
        history[idx] = {"role": "assistant", "content": render_error(
            NotFoundError(exc.message, "ask again: your next question starts a new conversation"))}
        yield "", list(history), session, gr.update()
    except Exception as exc:
        if not isinstance(exc, AdvisorError):
            log.exception("UI answer failed")
        history[idx] = {"role": "assistant", "content": render_error(exc)}
        yield "", list(history), session, gr.update()


def request_metrics(request: gr.Request | None) -> Metrics | None:
    """The serving app's metrics, when the UI is mounted in the HTTP app (its middleware marks each request)."""
    inner = getattr(request, "request", None) if request is not None else None
    scope = getattr(inner, "scope", None)
    return metrics_of(scope) if isinstance(scope, dict) else None


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
    fid = advisor.store.add_feedback(ref[0], ref[1], rating, "", channel=DOOR)
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
def build_ui(advisor: Advisor, settings: Settings, metrics: Metrics | None = None) -> gr.Blocks:
    """The whole UI as Blocks (no launch, no globals): mount it or launch it with THEME and CSS.

    Answers are counted in `metrics` when given, else in the metrics of the HTTP app the UI is mounted in.
    """
    if settings.api_keys and not settings.ui_auth:
        log.warning("ADVISOR_API_KEYS protects the API, but the web UI answers anyone who can reach it: "
                    "set ADVISOR_UI_AUTH=user:password to protect it too")
    with AdvisorBlocks(title="Build-or-Buy Advisor") as demo:
        demo.ui_auth = settings.ui_credentials or None
        # Style and script travel with the Blocks, because mount_gradio_app only applies what is passed to it.
        gr.HTML("", head=f"<style>{CSS}</style>", visible="hidden",
                js_on_load=page_script(settings.max_question_chars), elem_id="advisor-assets")
        session = gr.State(new_session())
        takeaways = Takeaways(settings, advisor)
        gr.Markdown("# Build-or-Buy Advisor\nShould you build or buy this piece of ML/AI infrastructure? "
                    "Answers come from a curated knowledge base and cite their sources.", elem_id="advisor-title")
        with gr.Tabs():
            with gr.Tab("Advisor", id="chat"):
                chatbot = gr.Chatbot(
                    elem_id="advisor-chat", label="Advisor", show_label=False, height="68vh", min_height=420,
                    layout="panel", autoscroll=False,  # the page script keeps the new answer's start in view
                    examples=[{"text": q} for q in matrix_examples(advisor.matrix, 6)], buttons=["copy"],
                    placeholder="**Ask about building or buying ML infrastructure.**<br>"
                                "Mention your team size, stage, scale or regulation: the verdict depends on them.",
                    feedback_options=("Like", "Dislike"), latex_delimiters=[], sanitize_html=True)
                with gr.Row(equal_height=True, elem_id="advisor-input-row"):
                    # No max_length: the browser would cut a long paste silently; the counter flags it instead.
                    question = gr.Textbox(placeholder="e.g. Should we build or buy model serving?", show_label=False,
                                          scale=8, max_lines=6, elem_id="advisor-question", autofocus=True,
                                          submit_btn=False)
                    send = gr.Button("Ask", variant="primary", scale=0, min_width=90, elem_id="advisor-send")
                    new = gr.Button("New conversation", scale=0, min_width=180, elem_id="advisor-new")
                status = gr.Markdown("", elem_id="feedback-status")
                with gr.Row(visible=False, elem_id="feedback-row") as fb_row:
                    comment = gr.Textbox(placeholder="Optional: what was good or wrong about this answer?",
                                         show_label=False, scale=8, elem_id="feedback-comment", max_length=2000)
                    send_comment = gr.Button("Send comment", scale=1, min_width=120, elem_id="feedback-send")
                record_button(takeaways, session)
            takeaways_tabs(takeaways, session)
            with gr.Tab("Knowledge base", id="kb"):
                kb_summary = gr.Markdown(elem_id="kb-summary")
                gr.Markdown("### Decision matrix")
                # Fixed pixel widths: percentages squeeze the headers to a letter per line on a phone,
                # where the table now scrolls sideways instead.
                matrix_df = gr.Dataframe(headers=["Component", "Default verdict", "Buy options", "Build",
                                                  "Migration cost"], interactive=False, wrap=True,
                                         elem_id="kb-matrix",
                                         column_widths=["180px", "140px", "270px", "460px", "140px"])
                gr.Markdown("### Indexed documents")
                docs_df = gr.Dataframe(headers=["Title", "Kind", "Components", "Chunks"], interactive=False,
                                       wrap=True, elem_id="kb-docs", max_height=600,
                                       column_widths=["420px", "130px", "460px", "100px"])
                refresh = gr.Button("Refresh", size="sm")

        def ask(message, history, sess, request: gr.Request):
            yield from respond(advisor, message, history, sess, metrics=metrics or request_metrics(request))

        def ask_example(history, sess, evt: gr.SelectData, request: gr.Request):
            value = evt.value
            yield from respond(advisor, value.get("text", "") if isinstance(value, dict) else str(value),
                               history, sess, metrics=metrics or request_metrics(request))

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

        chat_io = {"outputs": [question, chatbot, session, status], "show_progress": "hidden"}
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
