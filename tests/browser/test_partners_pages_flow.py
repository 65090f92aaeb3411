"""Partners as a customer group of their own, in the browser (issue 18): Facilities'
scorecard shows "Partners" with Northwind Logistics beneath it; the value chain draws
"Partners and vendors" as a node a keyboard reaches; an admin imports guests from CSV (a bad
file first: its rows by line, nothing invited). axe on every page (Nu by the fixtures);
screenshots in tests/browser/artifacts/ for a look."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.feedback import ratings
from portal.insights import rollup
from portal.models import Department, Guest, RequestStatus, Service, User
from portal.service_requests.services import lifecycle
from tests import factories
from tests.browser.conftest import ARTIFACTS, assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=True)
    facilities = db.session.scalar(select(Department).where(Department.slug == "facilities"))
    dock = db.session.scalar(select(Service).where(Service.department_id == facilities.id,
                                                   Service.open_to_partners))
    nora = db.session.scalar(select(User).where(User.email == "nora@northwind.example"))
    agent = factories.make_user(email="fay@example.com", name="Fay Agent",
                                department_id=facilities.id, roles={facilities: "agent"})
    for n in range(6):
        sr = factories.make_request(dock, nora, title=f"Dock slot {n + 1}")
        lifecycle.change_status(sr, agent, RequestStatus.RESOLVED)
        ratings.rate(nora, sr, "5" if n % 2 else "4")
    rollup.refresh(full=True)
    return facilities


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"partners-{name}.png"), full_page=True)


def test_partners_on_the_scorecard_and_the_chain(demo, live_server, page):
    sign_in(page, live_server, "erin@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/d/facilities/scorecard")
    groups = page.get_by_role("table", name="Customer groups, last 30 days")
    expect(groups).to_contain_text("Partners")
    expect(groups).to_contain_text("Northwind Logistics")
    expect(page.locator(".scorecard-groups")).to_contain_text("never under a department")
    assert_no_axe_violations(page)
    _shot(page, "scorecard")
    page.locator(".scorecard-groups").screenshot(path=str(ARTIFACTS / "partners-groups.png"))
    page.get_by_role("link", name="Last 90 days").click()
    expect(page.get_by_role("table", name="Customer groups, last 90 days")).to_contain_text(
        "Northwind Logistics")

    page.goto(f"{live_server}/chain/facilities")
    node = page.locator("g.chain-node--partners")
    expect(node).to_have_count(1)
    assert node.get_attribute("tabindex") == "0"
    node.focus()
    assert page.evaluate("document.activeElement.classList.contains('chain-node--partners')")
    expect(page.locator(".chain-table")).to_contain_text("Partners and vendors")
    assert_no_axe_violations(page)
    _shot(page, "chain-facilities")
    page.locator(".chain-figure").screenshot(path=str(ARTIFACTS / "partners-chain-figure.png"))
    page.goto(f"{live_server}/chain")
    expect(page.locator("g.chain-node--partners")).to_have_count(1)
    assert_no_axe_violations(page)
    _shot(page, "chain")


def test_an_admin_imports_guests_from_csv(demo, live_server, page, tmp_path):
    sign_in(page, live_server, "ada@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/admin/guests")
    page.get_by_role("link", name="Import guests from a CSV file").click()
    assert_no_axe_violations(page)
    _shot(page, "import-empty")
    day = (date.today() + timedelta(days=120)).isoformat()
    bad = tmp_path / "guests.csv"
    bad.write_text(
        "email,name,organisation,reason,expires_on\n"
        f"olaf@contoso.example,Olaf Berg,Contoso <b>Freight</b>,Invoices,{day}\n"
        f"erin@example.com,Erin,Contoso,Invoices,{day}\n"
        "pia@contoso.example,Pia,Contoso,Invoices,2100-01-01\n"
    )
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_label("Sponsoring department").select_option(label="Facilities")
    manager = db.session.scalar(
        select(User.email).join(Guest, Guest.sponsor_id == User.id).limit(1))
    page.get_by_label("Sponsor’s e-mail address").fill(manager)
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("table", name="Rows with errors")).to_contain_text("employee")
    expect(page.get_by_role("alert").first).to_contain_text("Nobody from this file is invited")
    assert page.get_by_label("Sponsor’s e-mail address").input_value() == manager
    assert_no_axe_violations(page)
    _shot(page, "import-errors")

    good = tmp_path / "good.csv"
    good.write_text(
        "email,name,organisation,reason,expires_on\n"
        f"olaf@contoso.example,Olaf Berg,Contoso <b>Freight</b>,Invoices,{day}\n"
        f"pia@contoso.example,Pia Holm,Contoso <b>Freight</b>,Invoices,{day}\n"
    )
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("table", name="Who would be invited")).to_contain_text(
        "Contoso <b>Freight</b>")
    assert_no_axe_violations(page)
    _shot(page, "import-preview")
    page.get_by_role("button", name="Invite 2 guests").click()
    expect(page.get_by_text("2 guests of Facilities invited from good.csv")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Pia Holm")
    assert_no_axe_violations(page)
    _shot(page, "guests-list")
