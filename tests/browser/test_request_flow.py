"""Asking IT for a laptop and watching the promise kept, in a real browser: Erin asks,
Ivan works it, both see the same clock."""

from __future__ import annotations

import os
import re
from datetime import date, timedelta

import pytest

from tests.browser.conftest import ARTIFACTS, assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=False)


def test_erin_asks_for_a_laptop_and_ivan_keeps_the_promise(demo, live_server, page, second_page):
    erin, ivan = page, second_page

    # Erin finds IT and asks for a new laptop: the form opens in place and the
    # confirmation replaces it, without a page load.
    sign_in(erin, live_server, "erin@example.com", DEMO_PASSWORD)
    erin.goto(f"{live_server}/d/it")
    erin.wait_for_function("() => typeof htmx === 'object'")
    erin.evaluate("window.__sameDocument = true")
    erin.get_by_role("link", name="Request New laptop").click()
    erin.get_by_role("heading", name="Request: New laptop").wait_for()
    assert erin.get_by_text("IT replies within").is_visible()
    erin.locator("#slot-f_starter").wait_for(state="hidden")  # only for new starters
    assert_no_axe_violations(erin)
    erin.get_by_label("Summary").fill("Laptop for the new analyst")
    erin.get_by_label("Details").fill("Sam joins my team on the 1st; needs the usual setup.")
    erin.get_by_label("Which laptop?").select_option("Standard 14-inch")
    erin.get_by_label("Keyboard layout").select_option("UK")
    # Far enough ahead whatever day the suite runs on (the form asks 3 business days' notice).
    erin.get_by_label("Needed by").fill((date.today() + timedelta(days=30)).isoformat())
    erin.get_by_role("group", name="Is it for a new starter?").get_by_label("Yes").check()
    erin.locator("#slot-f_starter").wait_for(state="visible")
    erin.get_by_role("group", name="Is it for a new starter?").get_by_label("No").check()
    erin.locator("#slot-f_starter").wait_for(state="hidden")
    erin.get_by_role("button", name="Send request").click()
    confirmation = erin.get_by_role("heading", name=re.compile(r"Request IT-\d+ sent"))
    confirmation.wait_for()
    key = re.search(r"IT-\d+", confirmation.inner_text()).group(0)
    assert erin.get_by_text("First reply by").is_visible()
    assert erin.evaluate("window.__sameDocument") is True
    # Focus moves to the confirmation once htmx has settled the swap.
    erin.wait_for_function(
        "key => document.activeElement.textContent.startsWith(`Request ${key} sent`)", arg=key
    )

    # Ivan sees it at the top of IT's queue, picks it up and replies.
    sign_in(ivan, live_server, "ivan@example.com", DEMO_PASSWORD)
    ivan.get_by_role("link", name="Queue").click()
    first_row = ivan.locator("table.queue tbody tr").first
    assert key in first_row.inner_text()
    assert_no_axe_violations(ivan)
    first_row.get_by_role("link").click()
    ivan.wait_for_function("() => typeof htmx === 'object'")
    ivan.evaluate("window.__sameDocument = true")
    # Each change's notice is on the page and, a moment later, in the live region too:
    # wait for the page's own notice.
    ivan.get_by_role("button", name="Pick it up").click()
    ivan.locator("p.notice", has_text="You picked it up.").wait_for()
    ivan.get_by_label("Your reply").fill(
        "Ordered a Standard 14-inch; it will be on your desk Thursday."
    )
    ivan.get_by_role("button", name="Send reply").click()
    ivan.locator("p.notice", has_text="Reply sent.").wait_for()
    assert ivan.get_by_text("it will be on your desk Thursday").is_visible()
    assert ivan.evaluate("window.__sameDocument") is True

    # Erin sees the reply and the first-reply clock stopped within the promise.
    erin.goto(f"{live_server}/requests/{key}")
    assert erin.get_by_text("it will be on your desk Thursday").is_visible()
    first_reply = erin.locator(".clock").first.inner_text()
    assert "Met" in first_reply and "within the 4 business hours promise" in first_reply
    assert_no_axe_violations(erin)

    # Ivan needs something from Erin (her clock pauses) and raises the priority: one panel,
    # every menu starting on the request as it is, one Save (issue 20: "Ivan changes a
    # request's status and priority in one Save").
    assert ivan.get_by_label("Status").input_value() == "in_progress"
    assert ivan.get_by_label("Priority").input_value() == "normal"
    ivan.get_by_label("Status").select_option("Waiting on requester")
    ivan.get_by_label("Priority").select_option("High")
    ivan.get_by_label("Message or reason").fill("Which day suits you for the handover?")
    ivan.get_by_role("button", name="Save changes").click()
    saved = "Saved. Status: waiting on requester; Priority: high."
    ivan.locator("p.notice", has_text=saved).wait_for()
    ivan.wait_for_function("() => document.activeElement.id === 'panel-notice'")
    ivan.locator("#announcer", has_text=saved).wait_for(state="attached")
    assert ivan.evaluate("window.__sameDocument") is True
    assert "Waiting on requester" in ivan.locator("#request-status").inner_text()
    assert "High priority" in ivan.locator("#request-status").inner_text()
    timeline = ivan.locator("#request-timeline").inner_text()
    assert "changed the status from" in timeline and "changed the priority from" in timeline
    assert ivan.get_by_label("Status").input_value() == "waiting"
    assert_no_axe_violations(ivan)
    erin.reload()
    assert erin.get_by_text("Paused while we wait for you").is_visible()
    assert erin.get_by_text("Which day suits you for the handover?").is_visible()

    erin.goto(f"{live_server}/requests/mine")
    assert key in erin.locator("table.queue").inner_text()
    assert "Paused" in erin.locator("table.queue").inner_text()
    assert_no_axe_violations(erin)


def test_without_javascript_the_sent_request_page_shows_the_promise(
    demo, live_server, browser, page
):
    """The no-JS confirmation: the POST redirects to the request's page (?sent=1), which shows
    the same "when you will hear back / what happens next" panel as the htmx answer."""
    checked = page  # with JavaScript: axe and the HTML checker look at the same page
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 812})
    page = context.new_page()
    try:
        sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
        page.goto(f"{live_server}/d/it")
        page.get_by_role("link", name="Request New laptop").click()
        page.get_by_label("Summary").fill("Laptop for the new analyst")
        page.get_by_label("Details").fill("Sam joins my team on the 1st.")
        page.get_by_label("Which laptop?").select_option("Standard 14-inch")
        page.get_by_label("Keyboard layout").select_option("UK")
        page.get_by_label("Needed by").fill((date.today() + timedelta(days=30)).isoformat())
        page.get_by_role("group", name="Is it for a new starter?").get_by_label("No").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Send request").click()
        assert re.search(r"/requests/IT-\d+\?sent=1$", page.url), page.url
        panel = page.locator(".confirmation")
        assert re.match(r"Request IT-\d+ sent", panel.get_by_role("heading").first.inner_text())
        assert panel.get_by_role("heading", name="When you will hear back").is_visible()
        assert panel.get_by_role("heading", name="What happens next").is_visible()
        assert panel.get_by_text("First reply by").is_visible()
        if os.environ.get("WALL_SCREENSHOTS"):
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "request-sent-no-js.png"), full_page=True)
        sent_url = page.url
    finally:
        context.close()
    sign_in(checked, live_server, "erin@example.com", DEMO_PASSWORD)
    checked.goto(sent_url)
    checked.locator(".confirmation").wait_for()
    assert_no_axe_violations(checked)
