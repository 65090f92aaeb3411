"""Issue 14, item 5 in a real browser: a search that found nothing reaches IT's manage
page; Iris answers it by adding its words to a service's keywords, after first pressing
the button without choosing (the message beside the choice, focus on it), and the next
person who types those words finds the service. axe and the Nu checker on each state."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation
    from portal.extensions import db
    from portal.models import SearchMiss

    load_demo_organisation(with_history=False)
    db.session.add(SearchMiss(query="laptops keep crashing", count=4))
    db.session.commit()


def test_iris_answers_what_people_looked_for(demo, live_server, page):
    sign_in(page, live_server, "iris@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/manage/it#gaps-section")
    page.wait_for_function("() => typeof htmx === 'object'")
    section = page.locator("#gaps-section")
    assert "“laptops keep crashing” · 4 searches" in section.inner_text()
    assert_no_axe_violations(page)

    section.get_by_role("button", name="Add as keywords for “laptops keep crashing”").click()
    error = section.get_by_text("Choose the service whose keywords should include these words.")
    error.wait_for()
    choice = page.get_by_label("Add “laptops keep crashing” to the keywords of")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.tagName === 'SELECT'"
    )
    assert choice.get_attribute("aria-invalid") == "true"
    assert_no_axe_violations(page)

    choice.select_option(label="Device repair")
    section.get_by_role("button", name="Add as keywords for “laptops keep crashing”").click()
    page.locator(
        "#gaps-section p.notice", has_text="Added to the keywords of Device repair"
    ).wait_for()
    assert "laptops keep crashing" not in page.locator("#gaps-section").inner_text()
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/search?q=laptops+keep+crashing")
    assert page.get_by_role("link", name="Device repair").first.is_visible()
