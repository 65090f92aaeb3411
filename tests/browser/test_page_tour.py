"""The main pages as each role sees them, in light and dark, on a desktop and a phone
(issue 20): axe finds nothing (colour contrast included, so dark mode is checked too), the
Nu HTML checker finds nothing, and no page scrolls sideways, down to 320 px.

The same tour makes the pictures in docs/screenshots/ (the README shows them):
`make screenshots` runs it with SCREENSHOTS_DIR set, and each page's first screen is saved
as <page>-<scheme>-<device>.png. Without SCREENSHOTS_DIR nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.browser.conftest import _close_and_check, _open_page, assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"
SCREENSHOTS_DIR = os.environ.get("SCREENSHOTS_DIR")
DEVICES = {
    "desktop": {"width": 1280, "height": 800},
    "phone": {"width": 375, "height": 812},
}
NARROWEST = {"width": 320, "height": 640}


def _first_link(page, selector: str) -> str:
    return page.locator(selector).first.get_attribute("href")


# (who, [(picture name, address or a function of the page giving it)])
TOUR = [
    (
        "erin@example.com",
        [
            ("home", "/"),
            ("departments", "/departments"),
            ("search", "/search?q=laptop"),
            ("department", "/d/it"),
            ("request-form", "/d/it/new-laptop/request"),
            ("my-requests", "/requests/mine"),
            ("request", lambda page: _first_link(page, "table.queue a[href^='/requests/']")),
            ("wall", "/wall"),
            ("help", "/d/it/help"),
            ("article", lambda page: _first_link(page, "main a[href^='/d/it/help/']")),
            ("chain", "/chain"),
            ("goals", "/goals"),
        ],
    ),
    ("ivan@example.com", [("queue", "/queue/it")]),
    (
        "iris@example.com",
        [
            ("scorecard", "/d/it/scorecard"),
            ("insights", "/insights"),
            ("manage", "/manage/it"),
            ("chain-department", "/chain/it"),
            ("my-approvals", "/me/approvals"),
        ],
    ),
    ("nora@northwind.example", [("partners", "/partners"), ("partner-thanks", "/partners/thanks")]),
]


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=True)


def _sideways(page) -> int:
    """How far the page would scroll sideways, in CSS pixels (0: it fits)."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _tour(page, live_server, check) -> None:
    for email, stops in TOUR:
        page.context.clear_cookies()
        sign_in(page, live_server, email, DEMO_PASSWORD)
        for name, where in stops:
            address = where(page) if callable(where) else where
            assert address, f"no address for {name}"
            response = page.goto(f"{live_server}{address}")
            assert response.status == 200, (name, address, response.status)
            page.wait_for_load_state("load")
            check(name, address)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", list(DEVICES))
def test_the_main_pages_pass_axe_and_fit_the_screen(
    demo, live_server, browser, html_checker, scheme, device
):
    context, page, watch = _open_page(
        browser, html_checker, viewport=DEVICES[device], color_scheme=scheme
    )
    folder = Path(SCREENSHOTS_DIR) if SCREENSHOTS_DIR else None
    if folder:
        folder.mkdir(parents=True, exist_ok=True)

    def check(name: str, address: str) -> None:
        assert _sideways(page) <= 0, f"{address} scrolls sideways on a {device} ({scheme})"
        assert_no_axe_violations(page)
        if folder:
            page.screenshot(path=str(folder / f"{name}-{scheme}-{device}.png"))

    try:
        _tour(page, live_server, check)
    finally:
        _close_and_check(context, watch)


def test_no_page_scrolls_sideways_at_320_px(demo, live_server, browser, html_checker):
    context, page, watch = _open_page(browser, html_checker, viewport=NARROWEST)
    wide = []

    def check(name: str, address: str) -> None:
        if _sideways(page) > 0:
            wide.append(f"{address}: {_sideways(page)} px")

    try:
        _tour(page, live_server, check)
    finally:
        _close_and_check(context, watch)
    assert not wide, "These pages scroll sideways at 320 px: " + ", ".join(wide)


def test_the_header_is_one_row_on_a_desktop_and_folds_under_menu_on_a_phone(
    demo, live_server, browser, html_checker
):
    # A manager's header holds the most links (Queue and Manage too).
    context, page, watch = _open_page(browser, html_checker, viewport=DEVICES["desktop"])
    try:
        sign_in(page, live_server, "iris@example.com", DEMO_PASSWORD)
        header = page.locator(".site-header")
        assert header.bounding_box()["height"] < 80  # one row
        assert page.get_by_role("link", name="Manage", exact=True).is_visible()
        assert not page.get_by_role("button", name="Menu").is_visible()
    finally:
        _close_and_check(context, watch)

    context, page, watch = _open_page(browser, html_checker, viewport=DEVICES["phone"])
    try:
        sign_in(page, live_server, "iris@example.com", DEMO_PASSWORD)
        page.wait_for_function("() => !document.querySelector('.menu-button').hidden")
        header = page.locator(".site-header")
        assert header.bounding_box()["height"] <= 0.15 * DEVICES["phone"]["height"]
        menu = page.get_by_role("button", name="Menu")
        wall = page.get_by_role("navigation", name="Main").get_by_role("link", name="Wall")
        assert not wall.is_visible()
        menu.click()
        assert menu.get_attribute("aria-expanded") == "true"
        wall.wait_for()
        page.wait_for_function("() => document.activeElement.closest('#site-nav') !== null")
        assert_no_axe_violations(page)
        page.keyboard.press("Escape")
        assert menu.get_attribute("aria-expanded") == "false"
        assert not wall.is_visible()
        assert page.evaluate("document.activeElement.classList.contains('menu-button')")
    finally:
        _close_and_check(context, watch)


def test_without_javascript_the_phone_header_shows_its_links(demo, live_server, browser):
    context = browser.new_context(viewport=DEVICES["phone"], java_script_enabled=False)
    try:
        page = context.new_page()
        sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
        nav = page.get_by_role("navigation", name="Main")
        assert nav.get_by_role("link", name="Wall").is_visible()
        assert not page.locator(".menu-button").is_visible()
    finally:
        context.close()


@pytest.mark.parametrize(
    ("who", "where"),
    [
        ("erin@example.com", "request"),
        ("iris@example.com", "/d/it/scorecard"),
        ("erin@example.com", "article"),
    ],
)
def test_printed_pages_show_the_content_without_the_controls(demo, live_server, page, who, where):
    sign_in(page, live_server, who, DEMO_PASSWORD)
    if where == "request":
        page.goto(f"{live_server}/requests/mine")
        where = _first_link(page, "table.queue a[href^='/requests/']")
    elif where == "article":
        page.goto(f"{live_server}/d/it/help")
        where = _first_link(page, "main a[href^='/d/it/help/']")
    page.goto(f"{live_server}{where}")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.get_by_role("heading", level=1).is_visible()
    visible_controls = page.locator("main form, main button").evaluate_all(
        "els => els.filter(e => e.getClientRects().length > 0).length"
    )
    assert visible_controls == 0
    if "/requests/" in where:
        assert page.locator("#request-clock").is_visible()  # the promise is on paper too
        assert not page.locator("#reply-title").is_visible()
    assert len(page.pdf()) > 10_000  # it lays out on paper
