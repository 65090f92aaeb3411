"""The people-and-teams picker in a real browser (issue 20 item 2): Erin thanks Ivan Petrov
and the IT team by typing "iva" and "IT", choosing with the arrow keys and Enter, removing
a chip with Backspace and choosing it again; the post names both. axe and the Nu checker
look at every state on the way, in light and dark; with chips the page fits 320 px."""

from __future__ import annotations

import os

import pytest

from tests.browser.conftest import (
    ARTIFACTS,
    _close_and_check,
    _open_page,
    assert_no_axe_violations,
    sign_in,
)
from tests.browser.test_wall_flow import DEMO_PASSWORD, demo  # noqa: F401 - the fixture

BOX = "#recipients"
pytestmark = pytest.mark.usefixtures("demo")  # the demo organisation, as the wall flow has it


def _sideways(page) -> int:
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def _shot(page, name: str, where: str = "#thank") -> None:
    """WALL_SCREENSHOTS=1: the composer's picture, to look at (tests/browser/artifacts/)."""
    if os.environ.get("WALL_SCREENSHOTS"):
        ARTIFACTS.mkdir(exist_ok=True)
        scheme = page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
        path = ARTIFACTS / f"picker-{name}-{'dark' if scheme else 'light'}.png"
        page.locator(where).screenshot(path=str(path), caret="initial")


def _active_name(page) -> str | None:
    return page.evaluate(
        """() => {
          const id = document.querySelector('#recipients').getAttribute('aria-activedescendant');
          return id ? document.getElementById(id).dataset.name : null;
        }"""
    )


def _choose(page, typed: str, name: str) -> None:
    """Type, wait for the suggestions, arrow down to `name`, Enter."""
    page.locator(BOX).press_sequentially(typed, delay=60)
    page.wait_for_function(
        "name => document.querySelector('#recipients').getAttribute('aria-expanded') === 'true'"
        " && [...document.querySelectorAll('#recipients-listbox [role=option]')]"
        ".some(o => o.dataset.name === name && o.offsetParent !== null)",
        arg=name,
    )
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if _active_name(page) == name:
            break
    assert _active_name(page) == name
    _shot(page, f"popup-{typed}")
    page.keyboard.press("Enter")
    page.wait_for_function(
        "name => [...document.querySelectorAll('#recipients-chips .pick-chip__name')]"
        ".some(n => n.textContent === name)",
        arg=name,
    )


def _announced(page, words: str) -> None:
    page.wait_for_function(
        "words => document.getElementById('announcer').textContent.includes(words)", arg=words
    )


def _chip_names(page) -> list[str]:
    return page.locator("#recipients-chips .pick-chip__name").all_inner_texts()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_erin_thanks_ivan_and_it_by_name_with_the_keyboard(
    live_server, browser, html_checker, scheme
):
    context, page, watch = _open_page(browser, html_checker, color_scheme=scheme)
    try:
        sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
        page.goto(f"{live_server}/wall")
        page.wait_for_function("() => typeof htmx === 'object'")
        page.evaluate("window.__sameDocument = true")
        page.locator("#thank summary").click()
        page.locator(BOX).focus()

        _choose(page, "iva", "Ivan Petrov")
        _announced(page, "Ivan Petrov added")
        assert page.locator(BOX).input_value() == ""  # the typed text goes once chosen
        assert page.evaluate("document.activeElement.id") == "recipients"
        assert page.locator(BOX).get_attribute("aria-expanded") == "false"
        assert_no_axe_violations(page)

        _choose(page, "IT", "IT")
        _announced(page, "IT added")
        assert _chip_names(page) == ["Ivan Petrov", "IT"]

        # Backspace in the empty box takes the last chip away; then IT is chosen again.
        page.keyboard.press("Backspace")
        _announced(page, "IT removed")
        assert _chip_names(page) == ["Ivan Petrov"]
        _choose(page, "IT", "IT")
        assert _chip_names(page) == ["Ivan Petrov", "IT"]
        assert_no_axe_violations(page)
        _shot(page, "chips")

        # The chips fit a 320 px screen.
        page.set_viewport_size({"width": 320, "height": 640})
        assert _sideways(page) <= 0, f"the composer with chips scrolls sideways ({scheme})"
        _shot(page, "chips-320")
        assert_no_axe_violations(page)
        page.set_viewport_size({"width": 1280, "height": 900})

        page.get_by_label("Customer first").check()
        page.get_by_label("What did they do?").fill("Thanks for the same-day laptop swap.")
        page.get_by_role("button", name="Post thanks").click()
        page.locator(".notice", has_text="Your thanks is on the wall").wait_for()
        first = page.locator("#feed-list article").first
        names = first.locator(".post-card__title").inner_text()
        assert "Ivan Petrov" in names and "IT" in names
        assert page.evaluate("window.__sameDocument") is True
        assert _chip_names(page) == []  # a fresh composer
        assert_no_axe_violations(page)
    finally:
        _close_and_check(context, watch)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_typed_name_two_people_have_is_asked_about_beside_the_field(
    live_server, browser, html_checker, scheme
):
    """Typed and sent without choosing (as without JavaScript): "Ivan" fits Ivan Petrov and
    Wei Ivanova, so the form asks which one, the typed text kept; ticking one sends it."""
    context, page, watch = _open_page(browser, html_checker, color_scheme=scheme)
    try:
        sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
        page.goto(f"{live_server}/wall?to_department=it")  # opens with the IT chip
        page.wait_for_function("() => typeof htmx === 'object'")
        assert _chip_names(page) == ["IT"]
        page.locator(BOX).fill("Ivan")
        page.get_by_label("Customer first").check()
        page.get_by_label("What did they do?").fill("Thanks, both of you.")
        page.get_by_role("button", name="Post thanks").click()
        question = page.get_by_role("group", name="Which one did you mean?")
        question.wait_for()
        assert page.locator(BOX).input_value() == "Ivan"
        assert "More than one colleague matches" in page.locator("#recipients-error").inner_text()
        assert _chip_names(page) == ["IT"]
        assert_no_axe_violations(page)
        _shot(page, "ambiguous")
        question.get_by_label("Ivan Petrov").check()
        page.get_by_role("button", name="Post thanks").click()
        page.locator(".notice", has_text="Your thanks is on the wall").wait_for()
        title = page.locator("#feed-list article").first.locator(".post-card__title").inner_text()
        assert "Ivan Petrov" in title and "IT" in title
    finally:
        _close_and_check(context, watch)


def _a_request_to_it() -> str:
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import Department, Service, User
    from tests import factories

    it = db.session.scalar(select(Department).where(Department.slug == "it"))
    service = db.session.scalar(select(Service).where(Service.department_id == it.id))
    erin = db.session.scalar(select(User).where(User.email == "erin@example.com"))
    return factories.make_request(service, erin, title="My laptop will not start").key


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_iris_assigns_a_request_to_ivan_by_name_with_the_keyboard(
    live_server, browser, html_checker, scheme
):
    key = _a_request_to_it()
    context, page, watch = _open_page(browser, html_checker, color_scheme=scheme)
    try:
        sign_in(page, live_server, "iris@example.com", DEMO_PASSWORD)
        page.goto(f"{live_server}/requests/{key}")
        page.wait_for_function("() => typeof htmx === 'object'")
        box = page.get_by_role("combobox", name="Assignee")
        box.press_sequentially("iva", delay=60)
        page.wait_for_function(
            "() => document.querySelector('#assignee').getAttribute('aria-expanded') === 'true'"
        )
        options = page.locator("#assignee-listbox [role=option]")
        assert options.first.get_attribute("data-name") == "Ivan Petrov"
        assert "Wei Ivanova" not in options.all_inner_texts()  # Sales, not IT
        assert_no_axe_violations(page)
        _shot(page, "panel-popup", where="#work-panel")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        _announced(page, "Ivan Petrov added")
        chips = page.locator("#assignee-chips .pick-chip__name")
        assert chips.all_inner_texts() == ["Ivan Petrov"]
        _shot(page, "panel", where="#work-panel")
        page.get_by_role("button", name="Save changes").click()
        page.locator("#panel-notice", has_text="Assigned to Ivan Petrov").wait_for()
        assert chips.all_inner_texts() == ["Ivan Petrov"]  # the panel, redrawn
        assert_no_axe_violations(page)

        # Backspace in the empty box removes him: Save leaves the request unassigned.
        box.focus()
        page.keyboard.press("Backspace")
        _announced(page, "Ivan Petrov removed")
        page.get_by_role("button", name="Save changes").click()
        page.locator("#panel-notice", has_text="Unassigned").wait_for()
        assert chips.count() == 0
        assert_no_axe_violations(page)
    finally:
        _close_and_check(context, watch)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_erin_asks_on_behalf_of_ivan_by_clicking_him(live_server, browser, html_checker, scheme):
    context, page, watch = _open_page(browser, html_checker, color_scheme=scheme)
    try:
        sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
        page.goto(f"{live_server}/d/it/new-laptop/request")
        page.wait_for_function("() => typeof htmx === 'object'")
        box = page.get_by_role("combobox", name="Who is it for?")
        box.press_sequentially("iva", delay=60)
        page.wait_for_function(
            "() => document.querySelector('#on_behalf_of')"
            ".getAttribute('aria-expanded') === 'true'"
        )
        assert_no_axe_violations(page)
        # Chosen with the mouse this time: the focus stays in the box.
        page.locator("#on_behalf_of-listbox [role=option]", has_text="Ivan Petrov").click()
        _announced(page, "Ivan Petrov added")
        assert page.evaluate("document.activeElement.id") == "on_behalf_of"
        assert page.locator("#on_behalf_of-chips .pick-chip__name").all_inner_texts() == [
            "Ivan Petrov"
        ]
        sent = page.evaluate(
            "() => new FormData(document.querySelector('form.request-form'))"
            ".getAll('on_behalf_of_chosen')"
        )
        assert len(sent) == 1 and sent[0].startswith("person-")
        _shot(page, "request-form", where="#slot-on_behalf_of")
        assert_no_axe_violations(page)
        # A click on the chip unticks it: it goes, and the focus is back in the box.
        page.locator("#on_behalf_of-chips .pick-chip__label").click()
        _announced(page, "Ivan Petrov removed")
        assert page.locator("#on_behalf_of-chips .pick-chip").count() == 0
        assert page.evaluate("document.activeElement.id") == "on_behalf_of"
    finally:
        _close_and_check(context, watch)
