"""The chat UI in real headless Chromium against `python app.py` on a free loopback port (chat, takeaways tabs)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import ROOT, free_port, make_settings
from live_server import answers_200, stop, wait_for

CHROMIUM = "/usr/bin/chromium"
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium")]
FIRST = "Should a 4-person seed-stage team build or buy a feature store?"
FOLLOW_UP = "What if we are regulated?"
SECOND_TOPIC = "Should we build or buy model serving?"
WAIT_MS = 120_000  # bounds on waiting for a busy 2-core machine, not assertions on speed
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
DOCS = ROOT / "docs"


@pytest.fixture(scope="module")
def app_server(tmp_path_factory, built_data_dir):
    """`python app.py` over a private copy of the built index; yields (url, settings, log path)."""
    base = tmp_path_factory.mktemp("ui")
    data = base / "data"
    shutil.copytree(built_data_dir, data)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env.update(GRADIO_SERVER_NAME="127.0.0.1", GRADIO_SERVER_PORT=str(port), ADVISOR_DATA_DIR=str(data),
               ADVISOR_KNOWLEDGE_DIR=str(ROOT / "knowledge"), HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False")
    log = base / "app.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(ROOT / "app.py")], cwd=ROOT, env=env, stdout=out,
                                stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_for(answers_200(url), 300, "app.py to serve", proc, log)
        yield url, make_settings(data), log
    finally:
        stop(proc, timeout=20)


@contextmanager
def chromium():
    """Debian's headless Chromium through Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            yield b
        finally:
            b.close()


@contextmanager
def chat_page(browser, url: str, viewport: str = "desktop", login: tuple[str, str] | None = None):
    """A fresh browser context on the advisor UI at `url` (clipboard allowed), once its question box is there."""
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    try:
        pg = context.new_page()
        pg.set_default_timeout(WAIT_MS)
        pg.goto(url)
        if login:
            sign_in(pg, *login)
        pg.wait_for_selector("#advisor-question textarea")
        yield pg
    finally:
        context.close()


def sign_in(page, user: str, password: str) -> None:
    """Fill Gradio's own login form and press Login."""
    page.get_by_label("username").fill(user)
    page.get_by_label("password").fill(password)
    page.get_by_role("button", name="Login").click()


def in_view(page, selector_or_locator, container: str | None = None) -> bool:
    """The element's box lies inside the window (and inside `container`'s box, when given)."""
    loc = page.locator(selector_or_locator) if isinstance(selector_or_locator, str) else selector_or_locator
    box = loc.bounding_box()
    vp = page.viewport_size
    inside = box is not None and box["x"] >= 0 and box["y"] >= 0 and \
        box["x"] + box["width"] <= vp["width"] + 0.5 and box["y"] + box["height"] <= vp["height"] + 0.5
    if inside and container:
        c = page.locator(container).bounding_box()
        inside = c["y"] - 0.5 <= box["y"] and box["y"] + box["height"] <= c["y"] + c["height"] + 0.5
    return inside


def shot(page, name: str, tmp_path: Path) -> None:
    """A screenshot in tmp_path; also in docs/ when UPDATE_DOCS_SCREENSHOT is set (how README's pictures are made)."""
    page.screenshot(path=str(tmp_path / name))
    assert (tmp_path / name).stat().st_size > 2_000
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
        page.screenshot(path=str(DOCS / name))


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, app_server):
    with chat_page(browser, app_server[0]) as pg:
        yield pg


@pytest.fixture(params=list(VIEWPORTS))
def any_page(request, browser, app_server):
    """The UI at desktop and at phone width; `any_page.viewport_name` says which."""
    with chat_page(browser, app_server[0], request.param) as pg:
        pg.viewport_name = request.param
        yield pg


def open_tab(page, name: str) -> None:
    """Click a tab; at phone width Gradio moves tabs that do not fit into its "More tabs" menu."""
    tab = page.get_by_role("tab", name=name)
    if not tab.count():
        page.get_by_role("button", name="More tabs").click()
        tab = page.locator(".overflow-dropdown button", has_text=name)
    tab.click()


def _verdict(badge) -> str:
    """The verdict a badge shows, from its stable class (verdict-buy, verdict-refused, ...)."""
    return next(c[len("verdict-"):] for c in badge.get_attribute("class").split() if c.startswith("verdict-")
                and c != "verdict-badge")


def _ask(page, question: str, n_answers: int):
    """Type a question, press Ask, and wait until the n-th answer has its final badge."""
    page.locator("#advisor-question textarea").fill(question)
    page.locator("#advisor-send").click()
    final = "#advisor-chat .verdict-badge:not(.verdict-pending)"
    page.wait_for_function(f"document.querySelectorAll('{final}').length >= {n_answers}", timeout=WAIT_MS)
    return page.locator(final).nth(n_answers - 1)


def test_answer_follow_up_and_feedback(page, app_server, tmp_path):
    from advisor.store import Store

    _url, settings, _ = app_server
    badge = _ask(page, FIRST, 1)
    assert _verdict(badge) == "buy" and badge.inner_text().strip().lower() == "buy"
    sources = page.locator("#advisor-chat .advisor-sources").first
    assert sources.locator("summary").inner_text().startswith("Sources (")
    sources.locator("summary").click()
    first_source = sources.locator(".advisor-source").first
    first_source.wait_for(state="visible")
    assert first_source.locator(".src-title").inner_text().strip()
    assert first_source.locator(".src-snippet").inner_text().strip()
    assert "[1]" in page.locator("#advisor-chat .message-content").nth(1).inner_text()

    badge = _ask(page, FOLLOW_UP, 2)
    assert _verdict(badge) == "hybrid" and badge.inner_text().strip().lower() == "hybrid"
    assert _verdict(page.locator("#advisor-chat .verdict-badge").first) == "buy"

    page.locator("#advisor-chat button[aria-label='Like']").last.click()
    page.wait_for_function("document.querySelector('#feedback-status').innerText.includes('saved')")
    store = Store(settings.store_db)
    rows = wait_for(lambda: store.feedback(), 120, "the feedback row")
    assert (rows[-1]["rating"], rows[-1]["verdict"], rows[-1]["channel"], rows[-1]["turn"]) == \
        ("up", "hybrid", "ui", 2)
    assert rows[-1]["question"] == FOLLOW_UP
    page.locator("#feedback-comment textarea").fill("Clear and well sourced")
    page.locator("#feedback-send").click()
    wait_for(lambda: store.feedback()[-1]["comment"] == "Clear and well sourced", 120, "the comment")
    page.screenshot(path=str(tmp_path / "ui.png"))
    assert (tmp_path / "ui.png").stat().st_size > 10_000


def test_user_markup_is_shown_as_text(page):
    question = '<img src=x onerror="window.pwned=1"><script>window.pwned=2</script> **pasta** www.example.com'
    badge = _ask(page, question, 1)
    assert _verdict(badge) == "refused" and "out of scope" in badge.inner_text().lower()
    user = page.locator("#advisor-chat .message-content").first
    assert user.locator("img, script, strong, a").count() == 0
    assert user.inner_text().strip() == question
    assert page.evaluate("window.pwned") is None


def test_examples_new_conversation_and_knowledge_tab(page):
    from advisor.compose import matrix_examples
    from advisor.matrix import load_matrix

    examples = matrix_examples(load_matrix(ROOT / "knowledge" / "decision_matrix.yaml"), 6)  # what the UI shows
    page.get_by_text(examples[1]).click()
    page.wait_for_selector("#advisor-chat .verdict-badge:not(.verdict-pending)", timeout=WAIT_MS)
    page.locator("#advisor-new").click()
    page.wait_for_function("document.querySelectorAll('#advisor-chat .verdict-badge').length === 0")
    assert page.get_by_text(examples[0]).is_visible()

    page.get_by_role("tab", name="Knowledge base").click()
    page.wait_for_selector("#kb-summary >> text=documents")
    matrix = page.locator("#kb-matrix")
    assert matrix.get_by_text("Feature store", exact=True).count() >= 1
    assert matrix.get_by_text("Feast, Tecton", exact=False).count() >= 1
    assert page.locator("#kb-docs").get_by_text("Feature stores: build or buy?").count() >= 1


# -- the doors-as-used items, at desktop and phone width ------------------------------------------
RECORD = """() => {
  window.__seen = [];
  new MutationObserver(() => {
    const heads = document.querySelectorAll('#advisor-chat .advisor-head');
    if (!heads.length) return;
    const msg = heads[heads.length - 1].closest('.message-content');
    window.__seen.push({pending: !!msg.querySelector('.verdict-pending'), text: msg.innerText,
                        sections: msg.querySelectorAll('p > strong:first-child').length,
                        panel: !!msg.querySelector('.advisor-sources')});
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}"""


def test_new_answer_start_stays_in_view(any_page, tmp_path):
    page = any_page
    _ask(page, FIRST, 1)
    badge = _ask(page, SECOND_TOPIC, 2)
    assert _verdict(badge) in ("buy", "build", "hybrid", "depends")
    head = page.locator("#advisor-chat .advisor-head").nth(1)
    lead = head.locator("xpath=following-sibling::p[1]")
    # The start of the new answer (badge and lead) is on screen, inside the chat, though the answer is longer
    # than the chat panel: the chat did not scroll to its end.
    assert in_view(page, head, "#advisor-chat") and in_view(page, lead, "#advisor-chat")
    panel = page.locator("#advisor-chat [role=log]")
    row = page.locator("#advisor-chat .bot-row").nth(1)
    if row.bounding_box()["height"] > panel.bounding_box()["height"]:  # the answer is longer than the panel
        assert panel.evaluate("p => p.scrollTop + p.clientHeight < p.scrollHeight - 20")  # not at its end
    shot(page, "screenshot.png" if page.viewport_name == "desktop" else "ui-phone.png", tmp_path)


def test_answer_streams_lead_first_with_the_verdict_once(page):
    page.evaluate(RECORD)
    _ask(page, FIRST, 1)
    final = page.locator("#advisor-chat .message-content").nth(1)
    lead = final.locator(".advisor-head + p").inner_text().strip()
    final_sections = final.locator("p > strong:first-child").count()
    seen = page.evaluate("window.__seen")
    # A state the reader saw on the way: still answering, the lead there, not all sections yet, no sources.
    forming = [s for s in seen if s["pending"] and lead[:60] in s["text"] and not s["panel"]
               and s["sections"] < final_sections]
    assert forming, seen[-3:]
    # The verdict shows once, as the badge: never as a "Recommendation" line, neither streaming nor final.
    assert not any("Recommendation" in s["text"] for s in seen)
    assert "Recommendation" not in final.inner_text()
    assert final.locator(".verdict-badge").count() == 1


def test_citation_marker_reveals_its_source(any_page, tmp_path):
    page = any_page
    _ask(page, FIRST, 1)
    answer = page.locator("#advisor-chat .message-content").nth(1)
    marker = answer.locator("a.advisor-cite[href$='-2']").first
    assert answer.locator("details.advisor-sources").evaluate("d => d.open") is False
    marker.click()
    target = page.locator("#" + marker.get_attribute("href")[1:])
    page.wait_for_function("id => document.getElementById(id).closest('details').open",
                           arg=marker.get_attribute("href")[1:])
    assert "advisor-source-hit" in target.get_attribute("class")
    assert target.locator(".src-n").inner_text() == "[2]"
    assert in_view(page, target.locator(".src-title"), "#advisor-chat")
    if page.viewport_name == "phone":
        shot(page, "ui-phone-source.png", tmp_path)


def test_copy_message_copies_markdown(page, advisor):
    from advisor.render import markdown

    _ask(page, FIRST, 1)
    page.locator("#advisor-chat .bot-row").first.locator("button[aria-label='Copy message']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == markdown(advisor.ask(FIRST))  # the same deterministic answer, as Markdown
    assert copied.startswith("**Recommendation: Buy**") and "\n**Sources**\n[1] " in copied
    assert "<" not in copied and "class=" not in copied
    page.locator("#advisor-chat .user-row").first.locator("button[aria-label='Copy message']").click()
    assert page.evaluate("navigator.clipboard.readText()") == FIRST  # as typed, without display escapes


def test_phone_layout_fits(browser, app_server, tmp_path):
    with chat_page(browser, app_server[0], "phone") as page:
        for sel in ("#advisor-question textarea", "#advisor-send", "#advisor-new"):
            assert in_view(page, sel), sel  # all above the fold, nothing cut off at the side
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        open_tab(page, "Knowledge base")
        page.wait_for_selector("#kb-summary >> text=documents")
        for table in ("#kb-matrix", "#kb-docs"):
            headers = page.locator(f"{table} th .header")
            assert headers.count() >= 4
            for i in range(headers.count()):
                h = headers.nth(i)
                # One line each: as tall as one line of its own text, and as wide as its words.
                assert h.evaluate("e => e.getBoundingClientRect().height < 1.6 * parseFloat(getComputedStyle(e).lineHeight)"), \
                    h.inner_text()
        shot(page, "ui-phone-knowledge.png", tmp_path)


def test_long_paste_is_flagged_before_sending(any_page, tmp_path):
    page = any_page
    long = FIRST + " " + "x" * 4500
    box = page.locator("#advisor-question textarea")
    box.fill(long)
    counter = page.locator("#advisor-count")
    counter.wait_for(state="visible")
    page.wait_for_function("document.querySelector('#advisor-count').textContent.includes('over the limit')")
    assert f"{len(long):,} / 4,000" in counter.inner_text()
    assert in_view(page, counter)
    assert box.evaluate("b => b.value.length") == len(long)  # not cut
    page.locator("#advisor-send").click()
    page.wait_for_function("document.querySelector('#feedback-status').innerText.includes('limit is 4,000')")
    assert box.evaluate("b => b.value.length") == len(long)  # still there to shorten
    assert page.locator("#advisor-chat .advisor-head").count() == 0  # nothing was sent
    if page.viewport_name == "phone":
        shot(page, "ui-phone-too-long.png", tmp_path)
    box.fill(FIRST)
    page.wait_for_function("document.querySelector('#advisor-count').textContent === ''")


# -- the UI inside `advisor serve`, with the API and the UI protected -----------------------------
@pytest.fixture(scope="module")
def protected_server(tmp_path_factory, built_data_dir, embeddings):
    """The HTTP app with the UI mounted, API keys and a UI login set; yields (url, settings)."""
    from live_server import serve

    settings, _advisor, server = serve(tmp_path_factory, built_data_dir, embeddings, mount_ui=True,
                                       api_keys=["k-alpha"], ui_auth=["alice:correct horse"])
    with server:
        yield server.url + "/", settings


def test_protected_ui_asks_for_login_and_counts_its_answers(browser, protected_server, tmp_path):
    import httpx

    url, _ = protected_server
    assert httpx.get(url + "config").status_code == 401
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    try:
        page = context.new_page()
        page.set_default_timeout(WAIT_MS)
        page.goto(url)
        page.get_by_role("button", name="Login").wait_for()
        shot(page, "ui-phone-login.png", tmp_path)
        sign_in(page, "alice", "wrong")
        page.get_by_text("Incorrect Credentials").wait_for()
        assert page.locator("#advisor-question").count() == 0
        sign_in(page, "alice", "correct horse")
        page.wait_for_selector("#advisor-question textarea")
        assert _verdict(_ask(page, FIRST, 1)) == "buy"
    finally:
        context.close()
    assert httpx.get(url + "metrics").status_code == 401  # the API stays protected by its key
    metrics = httpx.get(url + "metrics", headers={"Authorization": "Bearer k-alpha"}).text
    assert 'advisor_answers_total{door="ui",verdict="buy"} 1.0' in metrics


# --- the takeaways: stack review tab, cost break-even chart, decision-record download ----------------------


def test_review_my_stack_tab_gives_the_table_and_the_actions_first(browser, app_server, tmp_path):
    with chat_page(browser, app_server[0]) as page:
        page.get_by_role("tab", name="Review my stack").click()
        page.locator("#review-engineers input").fill("12")
        page.locator("#review-conditions").get_by_text("regulation or data residency").click()
        for slug, state, what in [("feature-store", "built", "homegrown Redis cache"),
                                  ("experiment-tracking", "bought", "Weights & Biases"), ("ml-monitoring", "none", "")]:
            box = page.locator(f"#review-state-{slug} input")
            box.click()
            # Each dropdown's own list (an earlier list may still be in the page).
            page.locator(f"#{box.get_attribute('aria-controls')} [role=option][aria-label='{state}']").click()
            if what:
                page.locator(f"#review-what-{slug} textarea").fill(what)
        page.locator("#review-go").click()
        out = page.locator("#review-out")
        out.locator("table").wait_for(timeout=WAIT_MS)
        text = out.inner_text()
        assert text.startswith("Do these first") and "ML monitoring (nothing today)" in text
        rows = out.locator("tbody tr")
        assert rows.count() == 3
        table = {rows.nth(i).inner_text().split("\t")[0]: rows.nth(i).inner_text() for i in range(3)}
        assert "built: homegrown Redis cache" in table["Feature store"]
        assert "bought: Weights & Biases\tBuy\tkeep" in table["Experiment tracking"]
        assert "none\tBuy\tadopt" in table["ML monitoring"]
        assert "regulated" in text and "Sources" in text
        page.locator("#review-go").scroll_into_view_if_needed()
        page.mouse.wheel(0, 500)
        shot(page, "ui-stack-review.png", tmp_path)

        # A free-text description is read by the understanding stage instead of the form.
        page.locator("#review-text textarea").fill("Airflow, a homegrown feature store, no monitoring, 40 engineers")
        page.locator("#review-go").click()
        page.wait_for_function("document.querySelector('#review-out').innerText.includes('Airflow')", timeout=WAIT_MS)
        assert "Data pipeline" in out.inner_text()


def test_cost_tab_draws_the_break_even_chart_with_numbers_from_the_chat(browser, app_server, tmp_path):
    with chat_page(browser, app_server[0]) as page:
        _ask(page, "Should we build a feature store? We think 3 engineers for 4 months, and Tecton quoted "
                   "$20k a month.", 1)
        page.get_by_role("tab", name="Cost break-even").click()
        page.locator("#tco-go").click()
        summary = page.locator("#tco-summary")
        page.wait_for_function("document.querySelector('#tco-summary').innerText.includes('break')", timeout=WAIT_MS)
        text = summary.inner_text()
        assert "breaks even in month" in text and "50% longer" in text
        # The chat's numbers were used, so they are not listed as assumptions; the untouched defaults are.
        assert "engineers building it" not in text and "vendor price per month" not in text
        assert "loaded cost per engineer per year" in text
        page.locator("#tco-plot canvas, #tco-plot svg").first.wait_for(timeout=WAIT_MS)
        page.locator("#tco-go").scroll_into_view_if_needed()
        page.mouse.wheel(0, 250)
        shot(page, "ui-break-even.png", tmp_path)


def test_decision_record_downloads_a_madr_file(browser, app_server, tmp_path):
    with chat_page(browser, app_server[0]) as page:
        page.locator("#adr-make").click()
        page.wait_for_function("document.querySelector('#adr-note').innerText.includes('Ask a question first')",
                               timeout=WAIT_MS)
        _ask(page, "We're a regulated bank. Feature store: build or buy?", 1)
        page.locator("#adr-make").click()
        link = page.locator("#adr-file a").first
        link.wait_for(timeout=WAIT_MS)
        with page.expect_download(timeout=WAIT_MS) as dl:
            link.click()
        text = (tmp_path / "record.md")
        dl.value.save_as(text)
        record = text.read_text()
        for heading in ("## Context and Problem Statement", "## Decision Drivers", "## Considered Options",
                        "## Decision Outcome", "## Consequences"):
            assert heading in record
        assert "regulated bank" in record and "**Feature store: Hybrid.**" in record

