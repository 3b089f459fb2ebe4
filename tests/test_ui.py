"""The chat UI's helpers: escaping, rendering, the streaming handler, feedback and the knowledge-base tables."""

from __future__ import annotations

import html
import re

import gradio as gr
import pytest
from conftest import make_settings
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from advisor import ui
from advisor.chain import Advisor
from advisor.compose import Composer
from advisor.errors import IndexNotReadyError, ModelError, NotFoundError
from advisor.models import Answer, Citation

MD = MarkdownIt("commonmark")
TAG = re.compile(r"<[^>]+>")


def _visible_text(rendered: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", rendered)).split())


# -- escaping ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "<script>alert(1)</script> hi",
    '<img src=x onerror="alert(1)">',
    "**bold** _it_ `code` [link](http://e.com) # head",
    "1. item\n- bullet\n> quote\n---",
    "$$x^2$$ and &amp; and \\*",
])
def test_escape_user_renders_literally(text):
    rendered = MD.render(ui.escape_user(text))
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p", "br"}, rendered
    assert _visible_text(rendered) == " ".join(text.split())


@hsettings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=80))
def test_escape_user_never_produces_markup(text):
    rendered = MD.render(ui.escape_user(text))
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= {"p", "br", "pre", "code"}, (text, rendered)
    assert _visible_text(rendered) == " ".join(text.split())


def test_answer_keeps_markdown_but_not_html():
    out = ui.escape_answer("**Recommendation: Buy** (x)\n\n**Why** <script>x()</script>\n\n**Sources**\n[1] A — B (a.md)")
    assert "**Why**" in out and "Recommendation" not in out  # the badge shows the verdict once
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "**Sources**" not in out  # the sources panel replaces the plain-text footer


# -- rendering --------------------------------------------------------------------------------------
def _answer(**kw) -> Answer:
    base = {"text": "Use a managed store. [1]", "verdict": "buy", "citations": [
        Citation(n=1, doc_id="fs", title="Feature <stores>", section="Verdict & more",
                 source="knowledge/fs.md", snippet="Buy it.\n\nReally <img src=x onerror=alert(1)>")]}
    return Answer(**{**base, **kw})


@pytest.mark.parametrize("verdict,label", [("buy", "Buy"), ("build", "Build"), ("hybrid", "Hybrid"),
                                           ("depends", "Depends")])
def test_badge_per_verdict(verdict, label):
    badge = ui.verdict_badge(_answer(verdict=verdict))
    assert f'class="verdict-badge verdict-{verdict}"' in badge and f">{label}<" in badge


def test_refusal_and_guidance_badges():
    assert "Out of scope" in ui.verdict_badge(_answer(verdict=None, refused=True))
    assert "verdict-refused" in ui.verdict_badge(_answer(verdict=None, refused=True))
    assert "verdict-guidance" in ui.verdict_badge(_answer(verdict=None))


def test_rendered_answer_has_badge_text_and_escaped_sources():
    out = ui.render_answer(_answer(), "Feature store")
    head, body = out.split("</div>", 1)
    assert "verdict-buy" in head and "Use a managed store. " in body and '>[1]</a>' in body
    assert '<details class="advisor-sources"><summary>Sources (1)</summary>' in out
    assert "Feature &lt;stores&gt;" in out and "Verdict &amp; more" in out and "knowledge/fs.md" in out
    assert "<img" not in out and "&lt;img src=x" in out
    # The panel must be one HTML block: a blank line inside would let Markdown reinterpret the rest.
    panel = out[out.index("<details"):]
    assert "\n\n" not in panel


def test_no_sources_panel_without_citations():
    assert "<details" not in ui.render_answer(_answer(citations=[], verdict=None, refused=True))


def test_error_message_is_readable_without_internals():
    out = ui.render_error(IndexNotReadyError("the knowledge index is empty", "run `advisor ingest` first"))
    assert "the knowledge index is empty" in out and "What to do:" in out and "advisor ingest" in out
    generic = ui.render_error(RuntimeError("secret /etc/passwd detail"))
    assert "internal error" in generic and "secret" not in generic and "Traceback" not in generic


# -- the streaming handler over a real advisor ----------------------------------------------------
def _run(advisor, question, history, session, **kw):
    steps = list(ui.respond(advisor, question, history, session, **{"reveal": 0, **kw}))
    return steps, steps[-1][1], steps[-1][2]


def test_respond_streams_then_shows_verdict_and_follow_up_changes_it(advisor):
    steps, history, session = _run(advisor, "Should a 4-person seed-stage team build or buy a feature store?",
                                   [], ui.new_session())
    assert len(steps) > 2 and "verdict-pending" in steps[1][1][-1]["content"]
    assert steps[-1][0] == ""  # the textbox is cleared
    assert history[0]["role"] == "user" and "verdict-buy" in history[1]["content"]
    assert "Sources (" in history[1]["content"]
    cid = session["cid"]
    assert session["turns"] == {"1": [cid, 1]}
    _, history, session = _run(advisor, "What if we are regulated?", history, session)
    assert session["cid"] == cid and "verdict-hybrid" in history[3]["content"]
    assert len(advisor.store.turns(cid)) == 2


def test_respond_ignores_blank_and_flags_too_long_without_cutting_it(advisor):
    steps, history, _ = _run(advisor, "   ", [], ui.new_session())
    assert len(steps) == 1 and history == []
    long = "Should we build or buy a feature store? " + "x" * 5000
    steps, history, session = _run(advisor, long, [], ui.new_session())
    box, _, _, status = steps[-1]
    assert len(steps) == 1 and history == [] and session["cid"] is None  # nothing was sent
    assert box == long  # kept whole in the box, not cut
    assert f"{len(long):,} characters" in status and "limit is 4,000" in status and "shorten" in status
    assert ui.too_long_notice("x" * 4000, 4000) is None


def test_respond_user_markup_is_escaped(advisor):
    _, history, _session = _run(advisor, "<script>alert(1)</script> **pasta** recipe?", [], ui.new_session())
    assert "<script>" not in history[0]["content"] and "\\*\\*pasta\\*\\*" in history[0]["content"]
    assert "verdict-refused" in history[1]["content"]


class _Failing(Composer):
    def __init__(self, exc):
        self.exc = exc

    def stream(self, ctx):
        yield "partial "
        raise self.exc


@pytest.mark.parametrize("exc,expect", [
    (ModelError("the LLM did not answer", "check ADVISOR_LLM_BASE_URL"), "check ADVISOR_LLM_BASE_URL"),
    (RuntimeError("boom"), "internal error"),
])
def test_model_failure_becomes_a_chat_message(settings, embeddings, exc, expect):
    adv = Advisor(settings, embeddings=embeddings, generator=_Failing(exc))
    _, history, session = _run(adv, "Should we build or buy experiment tracking?", [], ui.new_session())
    assert "verdict-error" in history[-1]["content"] and expect in history[-1]["content"]
    assert "Traceback" not in history[-1]["content"] and session["turns"] == {}


def test_missing_index_explains_what_to_do(tmp_path, embeddings):
    adv = Advisor(make_settings(tmp_path / "empty"), embeddings=embeddings)
    _, history, _ = _run(adv, "Should we build or buy a feature store?", [], ui.new_session())
    assert "knowledge index is empty" in history[-1]["content"] and "advisor ingest" in history[-1]["content"]
    assert "is empty" in ui.knowledge_summary(adv)


def test_vanished_conversation_starts_afresh(advisor):
    session = {**ui.new_session(), "cid": "deadbeef"}
    _, history, session = _run(advisor, "Should we build or buy a feature store?", [], session)
    assert "verdict-error" in history[-1]["content"] and session["cid"] is None
    _, history, session = _run(advisor, "Should we build or buy a feature store?", history, session)
    assert session["cid"] and "verdict-depends" in history[-1]["content"]


# -- feedback -------------------------------------------------------------------------------------
def test_thumbs_and_comment_are_stored(advisor):
    _, _history, session = _run(advisor, "Should a 4-person seed-stage team build or buy a feature store?",
                               [], ui.new_session())
    session, msg = ui.record_feedback(advisor, session, 0, True)
    assert "answers only" in msg and advisor.store.feedback() == []
    session, msg = ui.record_feedback(advisor, session, 1, True)
    assert "saved" in msg
    session, msg = ui.record_comment(advisor, session, "  very clear  ")
    assert msg.startswith("Comment saved")
    rows = advisor.store.feedback()
    assert len(rows) == 1
    row = rows[0]
    assert (row["rating"], row["comment"], row["verdict"], row["channel"], row["turn"]) == \
        ("up", "very clear", "buy", "ui", 1)
    assert "feature store" in row["question"] and "feast" in row["citations"].lower()
    session, _ = ui.record_feedback(advisor, session, [1, None], "Dislike")
    assert [r["rating"] for r in advisor.store.feedback()] == ["up", "down"]
    assert "very clear" in advisor.store.feedback_csv()


def test_comment_needs_a_rating_and_text(advisor):
    session, msg = ui.record_comment(advisor, ui.new_session(), "hello")
    assert "first" in msg
    session, msg = ui.record_comment(advisor, {**session, "feedback_id": 1}, "  ")
    assert "empty" in msg
    with pytest.raises(NotFoundError):
        advisor.store.set_feedback_comment(12345, "x")


def test_unlike_is_not_stored(advisor):
    _session, msg = ui.record_feedback(advisor, {**ui.new_session(), "turns": {"1": ["c", 1]}}, 1, None)
    assert msg == "Rating removed." and advisor.store.feedback() == []


# -- knowledge-base tab and layout ----------------------------------------------------------------
def test_knowledge_tables(advisor):
    docs = ui.documents_rows(advisor)
    assert len(docs) == len(advisor.index.sources()) and all(r[3] > 0 for r in docs)
    assert any("feature-store" in r[2] for r in docs)
    matrix = {r[0]: r for r in ui.matrix_rows(advisor)}
    assert matrix["Feature store"][1] == "Depends" and "Feast" in matrix["Feature store"][2]
    assert matrix["Feature store"][4] == "high"
    assert "documents" in ui.knowledge_summary(advisor)


def test_build_ui_returns_unlaunched_blocks(advisor, settings):
    demo = ui.build_ui(advisor, settings)
    assert isinstance(demo, gr.Blocks) and not demo.is_running
    ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()}
    assert {"advisor-chat", "advisor-question", "advisor-new", "kb-matrix", "kb-docs"} <= ids
    chat = next(b for b in demo.blocks.values() if getattr(b, "elem_id", None) == "advisor-chat")
    examples = [e["text"] for e in chat.examples]
    # Generated from the matrix: old and new rows alike, each a row's own example question.
    assert len(examples) == 6 and set(examples) <= {c.example for c in advisor.matrix.components}
    assert any("GPU" in e or "LLM" in e or "pgvector" in e or "Label Studio" in e for e in examples)


def test_framework_verdict_shows_its_basis_next_to_the_badge(advisor):
    framework = ui.render_answer(advisor.ask("Should we build our own vector database?"), "Vector database")
    head = framework.split("</div>", 1)[0]
    assert "verdict-buy" in head and "advisor-basis" in head and "four questions" in head
    source = ui.render_answer(advisor.ask("Should we build our own experiment tracking?"), "Experiment tracking")
    assert "advisor-basis" not in source


# -- the doors-as-used items: verdict once, streaming order, linked markers, copy text, metrics, auth --
def test_verdict_is_shown_once_in_the_badge(advisor):
    answer = advisor.ask("Should we build our own vector database?")
    out = ui.render_answer(answer, "Vector database")
    assert "Recommendation" not in _visible_text(out.split("</div>", 1)[1])  # the body, after the head
    assert out.count("verdict-badge") == 1
    streamed = "".join(p for p in advisor.stream("Should we build our own vector database?") if isinstance(p, str))
    assert streamed.startswith("**Recommendation:")  # the composer writes the line; the UI leaves it to the badge
    pending = ui.render_pending(streamed)
    assert "Recommendation" not in pending and "_Basis:" not in pending and "**Sources**" not in pending


def test_stream_shows_the_lead_first_then_sections_then_sources(advisor):
    steps, history, _ = _run(advisor, "Should a 4-person seed-stage team build or buy a feature store?", [],
                             ui.new_session(), reveal=0.01)
    final = history[-1]["content"]
    answer = advisor.ask("Should a 4-person seed-stage team build or buy a feature store?")
    lead, first_section = answer.lead.split(" [")[0], answer.sections[0].title
    shown = [s[1][-1]["content"] for s in steps]
    with_lead = next(i for i, c in enumerate(shown) if lead in c)
    with_section = next(i for i, c in enumerate(shown) if first_section in c)
    with_panel = next(i for i, c in enumerate(shown) if "advisor-sources" in c)
    assert with_lead < with_section < with_panel == len(shown) - 1
    assert "verdict-pending" in shown[with_lead] and "verdict-pending" not in final


def test_markers_link_to_their_sources_in_the_panel(advisor):
    answer = advisor.ask("Should a 4-person seed-stage team build or buy a feature store?")
    out = ui.render_answer(answer, "Feature store")
    hrefs = re.findall(r'<a class="advisor-cite" href="#([^"]+)"', out)
    ids = re.findall(r'<div class="advisor-source" id="([^"]+)"', out)
    assert hrefs and set(hrefs) == set(ids) and len(ids) == len(answer.citations)
    assert all(i.startswith(f"src-{answer.conversation_id[:8]}-{answer.turn}-") for i in ids)
    rendered = MD.render(out)  # still one paragraph per block: the links sit inside the Markdown text
    assert rendered.count('class="advisor-cite"') == len(hrefs)
    assert ui.link_markers("see [1] and [7]", "k", {1}) == \
        'see <a class="advisor-cite" href="#src-k-1" title="Show source 1">[1]</a> and [7]'


def test_copy_text_is_the_answers_markdown(advisor):
    from advisor.render import markdown

    answer = advisor.ask("Should a 4-person seed-stage team build or buy a feature store?")
    out = ui.render_answer(answer, "Feature store")
    head = re.search(r'<div class="advisor-head" data-md="([^"]*)">', out)
    md = html.unescape(head.group(1))
    assert md == markdown(answer) == ui.copy_text(answer)
    assert md.startswith("**Recommendation: Buy**") and "**Sources**\n[1] " in md and "<" not in md
    assert "\n" not in head.group(0)  # one physical line: a blank line would end the HTML block
    err = ui.render_error(ModelError("the LLM did not answer", "check the server"))
    assert html.unescape(re.search(r'data-md="([^"]*)"', err).group(1)) == \
        "**Something went wrong:** the LLM did not answer.\n**What to do:** check the server."


def test_ui_answers_are_counted(advisor):
    from advisor.metrics import SCOPE_KEY, Metrics, metrics_of

    metrics = Metrics()
    _run(advisor, "Should a 4-person seed-stage team build or buy a feature store?", [], ui.new_session(),
         metrics=metrics)
    assert metrics.answers.labels("ui", "buy")._value.get() == 1
    assert metrics_of({SCOPE_KEY: metrics}) is metrics and metrics_of({}) is None
    assert ui.request_metrics(None) is None


def test_ui_auth_setting(tmp_path):
    from pydantic import ValidationError

    s = make_settings(tmp_path, ui_auth="alice:s3cret, bob:pa:ss")
    assert s.ui_credentials == [("alice", "s3cret"), ("bob", "pa:ss")]
    for bad in ("alice", "alice:", ":pw"):
        with pytest.raises(ValidationError, match="user:password"):
            make_settings(tmp_path, ui_auth=bad)


def test_ui_keeps_its_login_whoever_serves_it(advisor, settings):
    guarded = ui.build_ui(advisor, settings.model_copy(update={"ui_auth": ["alice:s3cret"]}))
    assert guarded.auth == [("alice", "s3cret")]
    guarded.auth = None  # what launch() and mount_gradio_app() do when given no auth
    assert guarded.auth == [("alice", "s3cret")]
    guarded.auth = [("carol", "x")]  # an explicit auth from the launcher wins
    assert guarded.auth == [("carol", "x")]
    assert ui.build_ui(advisor, settings).auth is None
