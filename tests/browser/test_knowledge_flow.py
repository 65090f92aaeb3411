"""Issue 14 (items 1 and 6), in a real browser on the shared IT desk: Ivan (IT agent) writes
a help article with the live preview and publishes it; Erin reads it at /d/it/help, answers
"No" with what was missing, and follows "Still need help?" to IT's request form with the
article's title carried. axe on every new page; every page shown is HTML-checked."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import assert_no_axe_violations, sign_in

TITLE = "Printer not working"


def test_ivan_writes_an_article_and_erin_is_helped_to_ask(it_desk, live_server, page, second_page):
    ivan, erin = page, second_page

    # Ivan writes it: the preview follows his typing (htmx), then he saves and publishes.
    sign_in(ivan, live_server, "ivan@example.com", factories.PASSWORD)
    ivan.goto(f"{live_server}/manage/it/articles")
    assert_no_axe_violations(ivan)
    ivan.get_by_role("link", name="Write an article").click()
    ivan.get_by_role("heading", name="New help article").wait_for()
    ivan.wait_for_function("() => typeof htmx === 'object'")
    ivan.get_by_label("Title").fill(TITLE)
    ivan.get_by_label("Summary").fill("Three things to try before you ask.")
    ivan.get_by_label("Text").fill(
        "# Check first\n\n1. Is it **switched on**?\n2. Restart your laptop.\n\n"
        "<script>alert('no')</script>"
    )
    preview = ivan.locator("#preview-body")
    expect(preview.get_by_role("heading", name="Check first")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("switched on")
    expect(preview).to_contain_text("<script>alert('no')</script>")  # shown as text
    assert_no_axe_violations(ivan)
    ivan.get_by_label("New laptop").check()
    with ivan.expect_navigation():
        ivan.get_by_role("button", name="Save draft").click()
    expect(ivan.get_by_role("heading", level=1)).to_have_text(f"Edit “{TITLE}”")
    with ivan.expect_navigation():
        ivan.get_by_role("button", name="Publish").click()
    expect(ivan.get_by_text(f"“{TITLE}” is published.")).to_be_visible()
    assert_no_axe_violations(ivan)
    ivan.get_by_role("link", name=re.compile(r"History: 1 revision")).click()
    ivan.get_by_role("heading", name=f"History of “{TITLE}”").wait_for()
    assert_no_axe_violations(ivan)

    # Erin finds it under the laptop service and says it did not help.
    sign_in(erin, live_server, "erin@example.com", factories.PASSWORD)
    erin.goto(f"{live_server}/d/it")
    erin.get_by_role("link", name="Help articles: answers from IT").click()
    erin.get_by_role("heading", name="Help from IT").wait_for()
    assert_no_axe_violations(erin)
    erin.get_by_role("link", name=TITLE).click()
    erin.get_by_role("heading", level=1, name=TITLE).wait_for()
    expect(erin.locator(".article-body h2")).to_have_text("Check first")
    assert_no_axe_violations(erin)
    erin.wait_for_function("() => typeof htmx === 'object'")
    erin.evaluate("window.__sameDocument = true")
    erin.get_by_label("If not: what was missing?").fill("It is the office printer, not mine.")
    erin.get_by_role("button", name="No, still need help").click()
    # Scoped to the panel: 50 ms after the swap the page's announcer holds the same words.
    expect(erin.locator("#helpful").get_by_text("You said this did not help")).to_be_visible()
    expect(erin.locator("#helpful")).to_contain_text("It is the office printer, not mine.")
    assert erin.evaluate("window.__sameDocument") is True  # swapped in place
    assert_no_axe_violations(erin)

    # "Still need help?" opens IT's request form with the article's title carried.
    erin.get_by_role("link", name="Still need help? Ask IT").click()
    erin.get_by_role("heading", name="Request: New laptop").wait_for()
    expect(erin.get_by_label("Summary")).to_have_value(TITLE)
    assert_no_axe_violations(erin)
