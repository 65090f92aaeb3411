"""Issue 6, Done-when: Iris (IT manager) changes IT's opening hours and the urgent
first-response target, adds a service with a form of three questions (one conditional)
and sees the department page and the request form reflect it; Hugo (HR manager) cannot
reach IT's management pages. axe on the manage pages."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=False)


def test_iris_keeps_its_page_true_and_hugo_cannot(demo, live_server, page, second_page):
    sign_in(page, live_server, "iris@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/d/it")
    with page.expect_navigation():
        page.get_by_role("link", name="Manage this page").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Manage IT"
    page.wait_for_function("() => typeof htmx === 'object'")
    page.evaluate("window.__sameDocument = true")

    # Escape cancels an open section and gives the focus back to its Edit button.
    page.get_by_role("link", name="Edit details").click()
    mission = page.get_by_label("Mission line")
    mission.wait_for()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'mission'"
    )
    mission.fill("Half-typed")
    mission.press("Escape")
    page.locator("#details-section form").wait_for(state="detached")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.hasAttribute('data-edit-button')"
    )
    assert "Half-typed" not in page.locator("#details-section").inner_text()

    # Opening hours, in place.
    page.get_by_role("link", name="Edit opening hours").click()
    monday = page.get_by_label("Monday")
    monday.wait_for()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'day_0'")
    monday.fill("08:00–12:00, 12:00–17:30")
    page.get_by_label("Tuesday").fill("17:00–09:00")
    page.locator("#hours-section").get_by_role("button", name="Save").click()
    error = page.locator("#hours-section .error-summary")
    error.wait_for()
    assert "Closing time 09:00 must be after opening time 17:00" in error.inner_text()
    assert page.get_by_label("Monday").input_value() == "08:00–12:00, 12:00–17:30"
    assert_no_axe_violations(page)
    page.get_by_label("Tuesday").fill("08:00–18:00")
    page.locator("#hours-section").get_by_role("button", name="Save").click()
    page.locator(".notice--ok", has_text="Opening hours saved.").wait_for()
    assert "08:00–12:00, 12:00–17:30" in page.locator("#hours-section").inner_text()

    # The urgent first-response target.
    page.get_by_role("link", name="Edit response standards").click()
    first = page.get_by_label("First response within (urgent)", exact=True)
    first.wait_for()
    first.fill("15")
    page.get_by_label("Unit for first response within (urgent)").select_option("minutes")
    page.locator("#standards-section").get_by_role("button", name="Save").click()
    page.locator(".notice--ok", has_text="Response standards saved.").wait_for()
    assert "within 15 business minutes" in page.locator("#standards-section").inner_text()
    assert page.evaluate("window.__sameDocument") is True
    assert_no_axe_violations(page)

    # A new service with three questions, one shown only for one answer.
    with page.expect_navigation():
        page.get_by_role("link", name="Add a service").click()
    page.get_by_label("Service name").fill("Docking station")
    page.get_by_label("Web address name").fill("docking-station")
    page.get_by_label("Category").fill("Devices")
    page.get_by_label("Summary").fill("A dock and screens for your desk.")
    with page.expect_navigation():
        page.get_by_role("button", name="Add service").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Docking station"
    page.wait_for_function("() => typeof htmx === 'object'")
    # Adding a question sends one request at a time: no aborted previews in the console.
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))

    def add_question(label, kind, options="", required=True, when=None):
        page.get_by_label("Question", exact=True).fill(label)
        page.get_by_label("Kind of answer").select_option(kind)
        if options:
            page.get_by_label("Options").fill(options)
        if not required:
            page.get_by_label("An answer is required").uncheck()
        if when:
            page.get_by_label("Show only when").select_option(label=f"“{when[0]}”")
            page.get_by_label("has the answer").fill(when[1])
        # The live preview shows the question as it is typed, before it is added: marked
        # "(optional)" once the preview has caught up with an unticked "required".
        shown = re.compile(rf"^{re.escape(label)}( \(optional\))?$")
        page.locator("[data-preview]").get_by_text(shown).wait_for(state="attached")
        page.get_by_role("button", name="Add question").click()
        page.locator(".notice--ok", has_text=f"Question “{label}” added.").wait_for()

    add_question("Which desk?", "choice", options="Hot desk\nFixed desk")
    add_question("Desk number", "short_text", when=("Which desk?", "Fixed desk"))
    add_question("Anything else?", "long_text", required=False)
    assert not [line for line in console if "htmx:" in line or line.startswith("error")], console
    preview = page.locator("[data-preview]")
    assert preview.get_by_label("Which desk?").is_visible()
    preview.get_by_label("Desk number").wait_for(state="hidden")
    preview.get_by_label("Which desk?").select_option("Fixed desk")
    preview.get_by_label("Desk number").wait_for()
    # Keyboard reordering: move the optional question up one.
    page.get_by_role("button", name=re.compile(r"^Move up\W+Anything else")).click()
    page.locator(".notice--ok", has_text="“Anything else?” moved up.").wait_for()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id.endsWith('-up')"
    )
    assert_no_axe_violations(page)

    # The public pages reflect it.
    page.goto(f"{live_server}/d/it")
    hours = page.locator(".hours").inner_text()
    assert "08:00–12:00, 12:00–17:30" in hours
    urgent = page.locator("table.standards tr", has_text="Urgent").inner_text()
    assert "within 15 business minutes" in urgent
    assert page.get_by_role("link", name="Docking station", exact=True).is_visible()
    page.goto(f"{live_server}/d/it/docking-station/request")
    form = page.locator("form.request-form")
    labels = form.locator(".field__label").all_inner_texts()
    assert [text.split(" (")[0] for text in labels[2:5]] == [
        "Which desk?",
        "Anything else?",
        "Desk number",
    ]
    form.get_by_label("Desk number").wait_for(state="hidden")
    form.get_by_label("Which desk?").select_option("Fixed desk")
    form.get_by_label("Desk number").wait_for()

    # Hugo manages HR, not IT.
    sign_in(second_page, live_server, "hugo@example.com", DEMO_PASSWORD)
    for path in ("/manage/it", "/manage/it?edit=hours", "/manage/it/services/new"):
        response = second_page.goto(f"{live_server}{path}")
        assert response.status == 404
    second_page.goto(f"{live_server}/d/it")
    assert second_page.get_by_role("link", name="Manage this page").count() == 0


@pytest.mark.parametrize(
    "path", ["/manage/it", "/manage/it?edit=standards", "/manage/it/services/new"]
)
def test_manage_pages_have_no_axe_violations(demo, live_server, page, path):
    sign_in(page, live_server, "iris@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}{path}")
    assert_no_axe_violations(page)


def test_service_page_has_no_axe_violations_and_fits_a_narrow_screen(demo, live_server, browser):
    context = browser.new_context(viewport={"width": 320, "height": 700})
    page = context.new_page()
    try:
        sign_in(page, live_server, "iris@example.com", DEMO_PASSWORD)
        page.goto(f"{live_server}/manage/it")
        with page.expect_navigation():
            page.get_by_role("link", name="New laptop").click()
        assert_no_axe_violations(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"page scrolls sideways at 320 px ({width} px wide)"
    finally:
        context.close()
