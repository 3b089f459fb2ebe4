"""The chat UI in real headless Chromium against `python app.py` on a free loopback port."""

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
WAIT_MS = 120_000  # bounds on waiting for a busy 2-core machine, not assertions on speed


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
def chat_page(browser, url: str):
    """A fresh browser context on the advisor UI at `url`, once its question box is there."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        pg = context.new_page()
        pg.set_default_timeout(WAIT_MS)
        pg.goto(url)
        pg.wait_for_selector("#advisor-question textarea")
        yield pg
    finally:
        context.close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser, app_server):
    with chat_page(browser, app_server[0]) as pg:
        yield pg


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
    if os.environ.get("UPDATE_DOCS_SCREENSHOT"):
        sources.locator("summary").click()  # collapsed again: the picture shows the verdict and the text
        page.locator("#advisor-chat .advisor-head").first.scroll_into_view_if_needed()
        page.screenshot(path=str(ROOT / "docs" / "screenshot.png"))

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
