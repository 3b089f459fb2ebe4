"""The takeaways in the UI, in headless Chromium: stack review tab, cost break-even chart, decision-record download."""

from __future__ import annotations

import pytest
from test_ui_browser import WAIT_MS, _ask, app_server, browser, chat_page, chromium, shot  # noqa: F401

pytestmark = [pytest.mark.browser]


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


__all__ = ["chromium"]
