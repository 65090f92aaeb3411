"""Listening, in a real browser (issue 5's Done-when): Erin rates a resolved IT request 4
with a comment from the request page; IT's scorecard counts it after the next refresh; a
check-in with 4 answers shows "not enough answers yet" and the fifth answer shows results.
axe runs on the scorecard, check-in and suggestions pages."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.feedback import checkins
from portal.insights import rollup
from portal.models import Department, RequestStatus, Service, User
from portal.service_requests.services import lifecycle
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"
SHOTS = os.environ.get("FEEDBACK_SCREENSHOTS")  # a folder: save screenshots to look at


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


@pytest.fixture
def world(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=False)
    it = db.session.scalar(select(Department).where(Department.slug == "it"))
    laptop = db.session.scalar(select(Service).where(Service.slug == "new-laptop"))
    erin = db.session.scalar(select(User).where(User.email == "erin@example.com"))
    ivan = db.session.scalar(select(User).where(User.email == "ivan@example.com"))
    iris = db.session.scalar(select(User).where(User.email == "iris@example.com"))
    sr = factories.make_request(laptop, erin, title="Laptop for the new analyst")
    lifecycle.change_status(sr, ivan, RequestStatus.RESOLVED, body="Delivered to your desk.")
    customers = [
        factories.make_user(name=f"Customer {i}", email=f"customer{i}@example.com")
        for i in range(4)
    ]
    for person in customers:
        factories.make_request(laptop, person, title="A monitor please")
    rollup.refresh(full=True)
    return {"it": it, "sr": sr, "iris": iris, "customers": customers}


def test_erin_rates_it_and_the_check_in_shows_results_from_five_answers(
    world, live_server, page, second_page
):
    erin = page
    sign_in(erin, live_server, "erin@example.com", DEMO_PASSWORD)
    key = world["sr"].key

    # The scorecard before: no rating yet.
    erin.goto(f"{live_server}/d/it/scorecard")
    assert "0 ratings" in erin.locator(".stat-grid").inner_text()

    # Erin rates the resolved request 4 with a comment, in place.
    erin.goto(f"{live_server}/requests/{key}")
    erin.wait_for_function("() => typeof htmx === 'object'")
    erin.evaluate("window.__sameDocument = true")
    erin.get_by_role("heading", name="How did IT do?").wait_for()
    erin.get_by_role("group", name="Your score").get_by_label("4").check()
    erin.get_by_label("Comment").fill("Quick, and the new laptop works well.")
    erin.get_by_role("button", name="Send rating").click()
    erin.locator("#rating-panel").get_by_text(f"Thank you — you rated {key} 4 out of 5.").wait_for()
    assert erin.evaluate("window.__sameDocument") is True
    # Focus moves to the notice once htmx has settled the swap. (Playwright's own
    # assertion: a string predicate for wait_for_function is polled through eval, which the
    # page's CSP refuses.)
    expect(erin.locator("#rating-panel .notice")).to_be_focused()
    assert "Quick, and the new laptop works well." in erin.locator("#rating-panel").inner_text()
    shot(erin, "request-rated")

    # After the next refresh IT's scorecard counts it.
    rollup.refresh()
    erin.goto(f"{live_server}/d/it/scorecard")
    assert "1 rating" in erin.locator(".stat-grid").inner_text()
    assert_no_axe_violations(erin)
    shot(erin, "scorecard")

    # Iris opens a check-in from the page.
    iris = second_page
    sign_in(iris, live_server, "iris@example.com", DEMO_PASSWORD)
    iris.goto(f"{live_server}/d/it/check-in")
    iris.get_by_label("Period").fill("Q4 2026")
    iris.get_by_label("Last day for answers").fill(
        (date.today() + timedelta(days=14)).strftime("%d/%m/%Y")
    )
    iris.get_by_label("Your question 1").fill("Is the meeting-room wifi good enough?")
    iris.get_by_role("button", name="Open the check-in and invite people").click()
    iris.locator("#check-in-main").get_by_text("Check-in opened").wait_for()
    assert_no_axe_violations(iris)

    # Three customers answer; Erin is the fourth, in the browser.
    ci = checkins.latest(world["it"])
    for person in world["customers"][:3]:
        checkins.answer(person, ci, "4", "Friendly", "Slow orders", ["Mostly"])
    erin.goto(f"{live_server}/d/it/check-in")
    erin.wait_for_function("() => typeof htmx === 'object'")
    erin.get_by_role("group", name="How well does IT serve you?").get_by_label("5").check()
    erin.get_by_label("What do they do best?").fill("They explain without jargon.")
    erin.get_by_role("button", name="Send my answers").click()
    erin.locator("#check-in-main").get_by_text("your answers were recorded anonymously").wait_for()
    assert "Not enough answers yet" in erin.locator("#check-in-main").inner_text()
    assert_no_axe_violations(erin)
    shot(erin, "check-in-four")

    # The fifth answer shows results.
    checkins.answer(world["customers"][3], ci, "3")
    erin.reload()
    text = erin.locator("#check-in-main").inner_text()
    assert "Not enough answers yet" not in text
    assert "out of 5, from 5 answers" in text
    assert "Customer" not in text and "Erin" not in text
    iris.goto(f"{live_server}/d/it/check-in/{ci.id}/answers")
    assert "They explain without jargon." in iris.content()
    shot(iris, "check-in-answers")

    # Suggestions: Erin posts one in place; the page passes axe.
    erin.goto(f"{live_server}/d/it/suggestions")
    erin.wait_for_function("() => typeof htmx === 'object'")
    erin.get_by_label("Your suggestion, in a few words").fill("Laptop bags in the starter kit")
    erin.get_by_role("button", name="Post suggestion").click()
    erin.locator("#suggestions-main").get_by_text("your suggestion is posted").wait_for()
    assert erin.get_by_role("heading", name="Laptop bags in the starter kit").is_visible()
    assert_no_axe_violations(erin)
    shot(erin, "suggestions")

    erin.goto(f"{live_server}/insights")
    assert_no_axe_violations(erin)
    shot(erin, "overview")
    erin.goto(f"{live_server}/d/it")
    shot(erin, "department")


def test_the_check_in_scale_fits_a_375_pixel_screen(app, live_server, page):
    """Issue 12 #19: the 1–5 scale overflowed to 446 px at 375 px wide."""
    it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    laptop = factories.make_service(it, slug="laptop", name="Laptop")
    iris = factories.make_user(email="iris@example.com", roles={it: "manager"})
    erin = factories.make_user(email="erin@example.com", name="Erin Example")
    factories.make_request(laptop, erin, title="A monitor please")
    checkins.open_check_in(iris, it, "Q4 2026", date.today() + timedelta(days=14), [])
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, live_server, "erin@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/d/it/check-in")
    scale = page.get_by_role("group", name="How well does IT serve you?")
    scale.wait_for()
    box = scale.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, "check-in-375")
