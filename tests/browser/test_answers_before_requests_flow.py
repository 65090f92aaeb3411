"""Issue 14's whole flow in a real browser on the demo: answers before requests.

Erin types "printer not working" in the header's search: an IT help article is the first
suggestion. She opens it, answers "No, still need help" and follows "Still need help? Ask IT"
to IT's request form, which carries what she read (the article's title). Typing the summary
"vpn keeps disconnecting", the form suggests IT's VPN article; "This answered my question"
closes the form without a request, and IT's scorecard counts one more deflection. axe on
every new page state; the Nu checker on every page shown (the `page` fixture)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.conftest import assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=False)


def _count(model) -> int:
    from portal.extensions import db

    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def _it_deflections(page, live_server) -> int:
    """The figure IT's scorecard shows for questions answered without a request (30 days)."""
    page.goto(f"{live_server}/d/it/scorecard")
    stat = page.locator(".stat", has_text="Answered by help articles").locator(".stat__value")
    return int(stat.inner_text())


def test_erin_finds_an_answer_then_asks_and_is_answered_while_typing(demo, live_server, page):
    from portal.models import Deflection, ServiceRequest

    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    deflections_shown = _it_deflections(page, live_server)
    requests_before, deflections_before = _count(ServiceRequest), _count(Deflection)

    # The header's search: an IT article is the first suggestion.
    page.goto(f"{live_server}/")
    page.wait_for_function("() => typeof htmx === 'object'")
    box = page.get_by_role("combobox", name="Search services, teams and people")
    box.press_sequentially("printer not working", delay=20)
    page.locator("#home-search-opt-all").filter(has_text="“printer not working”").wait_for()
    expect(box).to_have_attribute("aria-expanded", "true")
    first = page.locator("#home-search-suggestions [role=option]").first
    expect(first.locator(".suggestion__kind")).to_have_text("Article")
    expect(first.locator(".suggestion__meta")).to_have_text(re.compile(r"^IT\b"))
    title = first.locator(".suggestion__title").inner_text()
    assert "printer" in title.lower()
    assert_no_axe_violations(page)

    # She opens it from the keyboard and says it did not help.
    box.press("ArrowDown")
    with page.expect_navigation():
        box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_no_axe_violations(page)
    page.get_by_role("button", name="No, still need help").click()
    expect(page.locator("#helpful").get_by_text("You said this did not help")).to_be_visible()
    assert_no_axe_violations(page)

    # "Still need help?" leads to IT's request form with what she read.
    with page.expect_navigation():
        page.get_by_role("link", name="Still need help? Ask IT").click()
    assert re.search(r"/d/it/[^/]+/request", page.url)
    summary = page.get_by_label("Summary")
    expect(summary).to_have_value(title)
    assert_no_axe_violations(page)

    # Typing her own words, the form suggests the VPN article; it answers her question.
    page.evaluate("window.__sameDocument = true")
    summary.fill("")
    summary.press_sequentially("vpn keeps disconnecting", delay=20)
    region = page.locator("#article-suggestions")
    expect(region.get_by_role("link", name="VPN keeps disconnecting")).to_be_visible()
    assert region.locator(".article-hint").count() <= 3
    assert_no_axe_violations(page)
    hint = region.locator(".article-hint", has_text="VPN keeps disconnecting")
    hint.get_by_role("button", name="This answered my question").click()
    closing = page.get_by_role("heading", name="Glad that helped")
    expect(closing).to_be_focused()
    expect(page.locator("main").get_by_text("No request was sent to IT").first).to_be_visible()
    assert page.evaluate("window.__sameDocument") is True
    assert_no_axe_violations(page)

    # No request was made; IT's scorecard counts one more deflection.
    assert _count(ServiceRequest) == requests_before
    assert _count(Deflection) == deflections_before + 1
    assert _it_deflections(page, live_server) == deflections_shown + 1
    assert_no_axe_violations(page)
