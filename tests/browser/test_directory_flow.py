"""An employee finds who handles what, in a real browser, as people would."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_no_axe_violations, sign_in
from tests.test_demo import DEMO_QUERIES

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=False)


@pytest.mark.parametrize(
    ("query", "service", "department"), [(q, s, d) for q, _, _, d, s in DEMO_QUERIES]
)
def test_typing_on_the_home_page_shows_the_right_service_first(
    demo, live_server, page, query, service, department
):
    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    page.wait_for_function("() => typeof htmx === 'object' && htmx.version === '2.0.10'")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads
    box = page.get_by_role("combobox", name="Search services, teams and people")
    box.press_sequentially(query, delay=30)
    # The popup for the whole query (a slow machine may show one for its first letters first).
    page.locator("#home-search-opt-all").filter(has_text=f"“{query}”").wait_for()
    # The first service (a help article may come before it: answers before requests).
    first = (
        page.locator("#home-search-suggestions [role=option]")
        .filter(has=page.locator(".suggestion__kind", has_text="Service"))
        .first
    )
    assert first.locator(".suggestion__title").inner_text() == service
    assert first.locator(".suggestion__meta").inner_text().startswith(department)
    assert page.evaluate("window.__sameDocument") is True
    expect(box).to_have_attribute("aria-expanded", "true")


def test_keyboard_chooses_a_suggestion_and_enter_opens_it(demo, live_server, page):
    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    box = page.get_by_role("combobox", name="Search services, teams and people")
    box.press_sequentially("parking", delay=30)
    page.locator("#home-search-opt-all").filter(has_text="“parking”").wait_for()
    expect(box).to_have_attribute("aria-expanded", "true")  # the swap has settled
    box.press("ArrowDown")
    selected = page.locator('#home-search-suggestions [aria-selected="true"]')
    expect(selected).to_have_count(1)
    expect(box).to_have_attribute("aria-activedescendant", selected.get_attribute("id"))
    with page.expect_navigation():
        box.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() == "Parking permit"
    assert page.locator(".promise-callout").inner_text().startswith("We reply within")


def test_the_open_type_ahead_has_no_axe_violations_and_a_click_opens_an_option(
    demo, live_server, page
):
    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    box = page.get_by_role("combobox", name="Search services, teams and people")
    box.press_sequentially("pa", delay=30)  # many suggestions of every kind: the longest list
    page.locator("#home-search-opt-all").wait_for()
    # The script opens the list once htmx has settled the swap: wait for it, do not race it.
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(box).to_have_attribute("aria-controls", "home-search-listbox")
    assert page.locator("#home-search-listbox a").count() == 0  # no nested interactive
    page.get_by_text("use the arrow keys", exact=False).wait_for(state="attached")
    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", "home-search-opt-1")
    assert_no_axe_violations(page)  # nested-interactive, scrollable-region-focusable …
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).not_to_have_attribute("aria-activedescendant", "home-search-opt-1")
    assert box.get_attribute("aria-activedescendant") is None
    box.press("ArrowDown")  # opens again on the first option
    expect(box).to_have_attribute("aria-activedescendant", "home-search-opt-1")
    title = page.locator("#home-search-opt-1 .suggestion__title").inner_text()
    with page.expect_navigation():
        page.locator("#home-search-opt-1").click()
    assert page.get_by_role("heading", level=1).inner_text() == title


def test_enter_without_choosing_opens_the_full_results_page(demo, live_server, page):
    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    box = page.get_by_role("combobox", name="Search services, teams and people")
    box.fill("zzqxv")
    with page.expect_navigation():
        box.press("Enter")
    assert page.get_by_role("heading", name="No results for “zzqxv”").is_visible()
    assert page.get_by_role("link", name="browse all departments").count() == 1


def test_department_page_reads_as_promised(demo, live_server, page):
    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/d/it")
    assert page.get_by_role("heading", name="What we offer").is_visible()
    assert page.get_by_role("heading", name="Our promises").is_visible()
    assert page.get_by_role("heading", name="Opening hours").is_visible()
    assert page.get_by_role("heading", name="Who to contact").is_visible()
    from portal.directory import services

    expected = services.department_page("it").status.headline
    assert expected in page.locator(".dept-header .open-badge").inner_text()
    assert "business" in page.locator("table.standards").inner_text()


@pytest.mark.parametrize(
    "path",
    ["/", "/d/it", "/d/it/new-laptop", "/search?q=laptop", "/search?q=zzzz", "/me", "/d/nope"],
)
def test_pages_have_no_axe_violations(demo, live_server, page, path):
    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}{path}")
    assert_no_axe_violations(page)


def test_sign_in_page_has_no_axe_violations_with_errors_shown(demo, live_server, page):
    page.goto(f"{live_server}/login")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("There is a problem").wait_for()
    assert_no_axe_violations(page)


def test_narrow_screen_department_page_has_no_axe_violations(demo, live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
        page.goto(f"{live_server}/d/it")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"page scrolls sideways at 320 px ({width} px wide)"
        assert_no_axe_violations(page)
    finally:
        context.close()


def test_sign_out_ends_the_session(demo, live_server, page):
    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()
    assert page.get_by_text("You have signed out.").is_visible()
    page.goto(f"{live_server}/d/it")
    assert "/login" in page.url
