"""A new starter in a real browser (issue 16, "Done when"): HR's manager starts "New
starter" for someone starting next Monday; four requests appear in four queues with their
clocks; IT's waits until HR's is resolved; the parent resolves with the last child."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.browser.conftest import assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.bundles import define_new_starter
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=False)
    define_new_starter()


def _next_monday() -> date:
    today = date.today()
    return today + timedelta(days=7 - today.weekday())


def _row(page, prefix: str):
    first_cell = page.locator("td[data-label=Request]", has_text=re.compile(rf"^{prefix}-\d+"))
    return page.locator("table.queue tbody tr", has=first_cell)


def _resolve(page, base: str, key: str) -> None:
    page.goto(f"{base}/requests/{key}")
    page.wait_for_function("() => typeof htmx === 'object'")
    page.get_by_label("Status").select_option("Resolved")
    page.get_by_role("button", name="Save changes").click()
    page.locator("p.notice", has_text="Saved.").wait_for()


def test_hr_starts_a_new_starter_and_four_departments_move_in_order(
    demo, live_server, page, second_page
):
    hugo, ada = page, second_page

    # Hugo starts it from HR's page; a missing answer is refused beside its field first.
    sign_in(hugo, live_server, "hugo@example.com", DEMO_PASSWORD)
    hugo.goto(f"{live_server}/d/hr")
    hugo.get_by_role("link", name="New starter").click()
    hugo.get_by_role("heading", name="Start: New starter").wait_for()
    hugo.wait_for_function("() => typeof htmx === 'object'")
    assert_no_axe_violations(hugo)
    hugo.get_by_label("Start date").fill(_next_monday().isoformat())
    hugo.get_by_label("Role").fill("Data Analyst")
    hugo.get_by_label("Office").select_option("London")
    hugo.get_by_role("button", name="Start New starter").click()
    hugo.locator("#slot-f_full_name .field__error", has_text="Enter full name.").wait_for()
    assert hugo.get_by_label("Role").input_value() == "Data Analyst"  # kept
    hugo.get_by_label("Full name").fill("Sam Okafor")
    with hugo.expect_navigation():
        hugo.get_by_role("button", name="Start New starter").click()
    hugo.get_by_role("heading", name="New starter: Sam Okafor").wait_for()
    assert hugo.locator("table.queue tbody tr").count() == 4
    it_row = _row(hugo, "IT")
    assert "Waiting on another request" in it_row.inner_text()
    assert "Not started" in it_row.inner_text()
    assert_no_axe_violations(hugo)
    keys = {
        prefix: re.search(rf"{prefix}-\d+", _row(hugo, prefix).inner_text()).group(0)
        for prefix in ("HR", "IT", "FAC", "SEC")
    }

    # Each appears in its department's queue with its clock; IT's as not started.
    sign_in(ada, live_server, "ada@example.com", DEMO_PASSWORD)
    for slug, prefix in (("hr", "HR"), ("facilities", "FAC"), ("security", "SEC")):
        ada.goto(f"{live_server}/queue/{slug}")
        row = ada.locator("table.queue tbody tr", has_text=keys[prefix])
        assert re.search(r"On track|At risk|Overdue", row.inner_text())
    assert_no_axe_violations(ada)
    ada.goto(f"{live_server}/queue/it")
    assert ada.locator("table.queue tbody tr", has_text=keys["IT"]).count() == 0
    ada.goto(f"{live_server}/queue/it?tab=not-started")
    assert "Not started" in ada.locator("table.queue tbody tr", has_text=keys["IT"]).inner_text()

    # HR's contract is resolved: IT's request opens and its clock starts.
    _resolve(ada, live_server, keys["HR"])
    hugo.reload()
    assert re.search(r"On track|At risk|Overdue", _row(hugo, "IT").inner_text())
    assert "New" in _row(hugo, "IT").inner_text()

    # The request's page links to its parent.
    ada.goto(f"{live_server}/requests/{keys['IT']}")
    ada.get_by_role("link", name="New starter: Sam Okafor").wait_for()

    for prefix in ("FAC", "SEC"):
        _resolve(ada, live_server, keys[prefix])
    hugo.reload()
    assert "In progress" in hugo.locator("header.dept-header .status").inner_text()
    _resolve(ada, live_server, keys["IT"])
    hugo.reload()
    assert "Resolved" in hugo.locator("header.dept-header .status").inner_text()
    assert "4 of 4 finished" in hugo.locator("header.dept-header").inner_text()
