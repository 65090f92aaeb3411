"""Issue 17, Done-when: Iris (IT manager) declares "IT serves Sales and Customer Support" on
IT's manage page (a link to IT itself is refused beside the field first); /chain shows the
edges with observed figures from the demo history; Erin's profile shows "Erin → Sales →
external customers" and Ivan's "Ivan → IT → Sales → external customers"; a goal page lists
IT's contributing services. axe on every page shown (Nu on every page, by the fixtures);
the map's SVG has a text alternative."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import ChainLink, CheckIn, CheckInInvite, Department, User
from tests.browser.conftest import assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=True)
    it = db.session.scalar(select(Department.id).where(Department.slug == "it"))
    db.session.execute(delete(ChainLink).where(ChainLink.server_id == it))  # Iris declares them
    db.session.commit()


def _declare(page, whom: str, why: str) -> None:
    section = page.locator("#chain-section")
    section.get_by_label("We serve them").check()
    section.get_by_label("Who").select_option(label=whom)
    section.get_by_label("Why, in one line").fill(why)
    section.get_by_role("button", name="Add link").click()
    expect(page.locator("#chain-section").get_by_role("status")).to_contain_text(
        f"Saved: IT serves {whom}."
    )


def test_iris_declares_whom_it_serves_and_everyone_sees_the_chain(demo, live_server, page):
    sign_in(page, live_server, "iris@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/manage/it#chain-section")
    page.wait_for_function("() => typeof htmx === 'object'")
    section = page.locator("#chain-section")
    section.get_by_label("Who").select_option(label="External customers")
    section.get_by_label("We rely on them").check()
    section.get_by_label("Why, in one line").fill("them")
    section.get_by_role("button", name="Add link").click()
    expect(page.locator("#chain-section .field__error")).to_contain_text(
        "External customers are served, not relied on"
    )
    assert page.locator("#chain-section").get_by_label("Why, in one line").input_value() == "them"
    assert_no_axe_violations(page)

    _declare(page, "Sales", "Laptops, phones and CRM access for the sales team")
    _declare(page, "Customer Support", "Headsets and the support desk tools")
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/chain")
    svg = page.locator("svg.chain-map")
    expect(svg).to_have_attribute("aria-describedby", "chain-svg-desc")
    name = "Who serves whom on the way to the customer"
    expect(page.get_by_role("group", name=name)).to_be_visible()
    expect(svg.locator("title").first).to_have_text(name)
    expect(page.locator("#chain-svg-desc")).to_contain_text("departments and")
    row = page.locator(".chain-table tbody tr").filter(
        has=page.get_by_role("rowheader", name="IT", exact=True)
    ).filter(has_text="Yes: Laptops, phones and CRM access")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Sales")
    expect(row).to_contain_text("resolved within promise")
    # The nodes are links a keyboard reaches.
    expect(svg.locator("a[href='/chain/it']")).to_have_count(1)
    assert_no_axe_violations(page)
    # The demo's one-off asks are in the table, not drawn, until asked for (an htmx swap
    # of the map and its table; focus stays on the control).
    busy = svg.locator("path.chain-edge").count()
    page.get_by_role("link", name="Draw every observed link").click()
    expect(page).to_have_url(f"{live_server}/chain?days=90&links=all")
    expect(page.get_by_role("link", name="Draw only the busier ones")).to_be_focused()
    assert page.locator("svg.chain-map path.chain-edge").count() > busy
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Draw only the busier ones").click()
    expect(page.get_by_role("link", name="Draw every observed link")).to_be_visible()
    assert page.locator("svg.chain-map path.chain-edge").count() == busy

    page.goto(f"{live_server}/chain/it")
    expect(page.get_by_role("heading", level=1)).to_have_text("Who IT serves and relies on")
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/me")
    expect(page.locator(".your-chain")).to_contain_text("Iris → IT → Sales → external customers")

    ids = dict(db.session.execute(select(Department.slug, Department.id)).all())
    assert ids  # the people's pages, by their e-mail
    from portal.models import User

    erin = db.session.scalar(select(User.id).where(User.email == "erin@example.com"))
    ivan = db.session.scalar(select(User.id).where(User.email == "ivan@example.com"))
    page.goto(f"{live_server}/people/{erin}")
    expect(page.locator(".your-chain")).to_contain_text("Erin → Sales → external customers")
    assert_no_axe_violations(page)
    page.goto(f"{live_server}/people/{ivan}")
    expect(page.locator(".your-chain")).to_contain_text(
        "Ivan → IT → Sales → external customers"
    )

    page.goto(f"{live_server}/goals")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="New hires productive in their first week").click()
    table = page.locator("table")
    expect(table).to_contain_text("New laptop")
    expect(table.get_by_role("rowheader", name="IT")).to_have_count(1)
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/d/it")
    expect(page.locator(".chain-strip")).to_contain_text("Laptops, phones and CRM access")
    expect(page.locator(".chain-strip")).to_contain_text("New hires productive in their first week")
    assert_no_axe_violations(page)


@pytest.fixture
def demo_linked(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=True)
    db.session.commit()


def test_a_checkup_from_it_to_sales_collects_answers_and_marks_the_edge(
    demo_linked, live_server, page
):
    """Iris opens a check-up with Sales on IT's manage page; four sellers answer (service
    level), the fifth on the page; the map's table then says "Check-up: …/5 from 5 answers"."""
    from portal.chain.services import checkups

    sign_in(page, live_server, "iris@example.com", DEMO_PASSWORD)
    page.goto(f"{live_server}/manage/it#chain-section")
    page.wait_for_function("() => typeof htmx === 'object'")
    section = page.locator("#chain-section")
    section.get_by_label("With", exact=True).select_option(label="Sales")
    section.get_by_label("Period", exact=True).fill("Q4 2026")
    section.get_by_label("Last day for answers").fill("2099-01-01")
    section.get_by_role("button", name="Start a check-up").click()
    expect(page.locator("#chain-section .field__error")).to_contain_text("90 days at most")
    section.get_by_label("Last day for answers").fill("")
    last_day = (date.today() + timedelta(days=20)).isoformat()
    section.get_by_label("Last day for answers").fill(last_day)
    section.get_by_role("button", name="Start a check-up").click()
    expect(page.locator("#chain-section").get_by_role("status")).to_contain_text("Check-up opened")
    assert_no_axe_violations(page)

    db.session.expire_all()
    ci = db.session.scalar(select(CheckIn).where(CheckIn.served_department_id.is_not(None)))
    people = list(db.session.scalars(
        select(User).join(CheckInInvite, CheckInInvite.user_id == User.id)
        .where(CheckInInvite.check_in_id == ci.id).order_by(User.id)
    ))
    assert len(people) >= 5
    for person in people[:4]:
        checkups.answer(person, ci, "4", "Fast", "VPN", "Customers")
    db.session.commit()

    page.context.clear_cookies()
    sign_in(page, live_server, people[4].email, DEMO_PASSWORD)
    page.goto(f"{live_server}/chain/checkups/{ci.id}")
    page.wait_for_function("() => typeof htmx === 'object'")
    page.get_by_label("Who are you serving?").fill("Our customers")
    page.get_by_role("radio", name="Very well").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("status")).to_contain_text("recorded anonymously")
    assert_no_axe_violations(page)

    page.goto(f"{live_server}/chain")
    row = page.locator(".chain-table tbody tr").filter(
        has=page.get_by_role("rowheader", name="IT", exact=True)
    ).filter(has_text="Check-up:")
    expect(row).to_contain_text("Check-up: 4.2/5 from 5 answers")
    assert_no_axe_violations(page)
