"""Approval in a real browser (issue 16): Erin asks Procurement for a £2,400 purchase; it
waits for her line manager; he approves from the e-mail's link and its confirmation page;
Procurement's first-response clock starts then, and both sides see it. axe runs on each
page a person lands on (the Nu checker on every page)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import OutboxMessage, ReportingLine, User
from tests.browser.conftest import (
    _close_and_check,
    _open_page,
    assert_no_axe_violations,
    sign_in,
)

DEMO_PASSWORD = "inward-demo"


@pytest.fixture
def demo(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=False)


def _approve_link(manager_email: str) -> str:
    db.session.rollback()  # a fresh read sees what the server committed
    mail = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.recipient == manager_email, OutboxMessage.topic == "approval.asked")
        .order_by(OutboxMessage.id.desc())
    ).first()
    assert mail is not None, "the approver got no e-mail"
    return re.search(r"Approve: (\S+)", mail.body).group(1)


def test_erin_buys_for_2400_and_her_manager_approves_from_the_email(
    demo, live_server, page, second_page, browser, html_checker
):
    erin, manager_page = page, second_page
    erin_id = db.session.scalar(select(User.id).where(User.email == "erin@example.com"))
    manager = db.session.scalar(
        select(User)
        .join(ReportingLine, ReportingLine.manager_id == User.id)
        .where(ReportingLine.user_id == erin_id)
    )
    assert manager is not None

    # Erin asks Procurement for a purchase order of £2,400.
    sign_in(erin, live_server, "erin@example.com", DEMO_PASSWORD)
    erin.goto(f"{live_server}/d/procurement/purchase-order/request")
    erin.get_by_label("Summary").fill("Two laptops for the new account managers")
    erin.get_by_label("Details").fill("Quote attached; delivery to the London office.")
    erin.get_by_label("Supplier", exact=True).fill("Northwind Supplies")
    erin.get_by_label("Order value").fill("2400")
    erin.get_by_role("button", name="Send request").click()
    confirmation = erin.get_by_role("heading", name=re.compile(r"Request PROC-\d+ sent"))
    confirmation.wait_for()
    key = re.search(r"PROC-\d+", confirmation.inner_text()).group(0)
    expect(erin.get_by_text(f"It waits for {manager.name} to approve it")).to_be_visible()
    assert_no_axe_violations(erin)

    # Her request page: who decides and since when; no clock of Procurement runs yet.
    erin.goto(f"{live_server}/requests/{key}")
    expect(erin.locator("#request-status")).to_contain_text("Awaiting approval")
    expect(erin.locator(".approval-panel")).to_contain_text(f"Waiting for {manager.name}")
    expect(erin.locator("#request-clock")).to_contain_text("starts once the request is approved")
    assert_no_axe_violations(erin)

    # The manager opens the e-mail's link: a confirmation page, nothing changed yet.
    link = _approve_link(manager.email)
    sign_in(manager_page, live_server, manager.email, DEMO_PASSWORD)
    manager_page.goto(link.replace("http://127.0.0.1:5000", live_server))
    expect(manager_page.get_by_role("heading", level=1)).to_contain_text(f"Approve {key}")
    assert_no_axe_violations(manager_page)
    manager_page.get_by_role("button", name=f"Approve {key}").click()
    expect(manager_page.get_by_role("heading", level=1)).to_have_text("My approvals")
    expect(manager_page.get_by_text(f"You approved {key}.")).to_be_visible()
    assert_no_axe_violations(manager_page)

    # Erin sees it approved and Procurement's first-reply clock running.
    erin.goto(f"{live_server}/requests/{key}")
    expect(erin.locator("#request-status")).to_contain_text("New")
    expect(erin.locator("#request-clock")).to_contain_text("First reply")
    expect(erin.locator("#request-clock")).not_to_contain_text("starts once")
    expect(erin.get_by_text(f"{manager.name} approved the request")).to_be_visible()

    # Procurement's manager sees it in the queue with its clock, and on the request page.
    from portal.models import Department, Membership, MembershipRole

    procurement = db.session.scalar(select(Department).where(Department.slug == "procurement"))
    buyer = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == procurement.id,
               Membership.role == MembershipRole.MANAGER)
    )
    context, buyer_page, watch = _open_page(browser, html_checker)
    try:
        sign_in(buyer_page, live_server, buyer.email, DEMO_PASSWORD)
        buyer_page.goto(f"{live_server}/queue/procurement")
        row = buyer_page.locator("tr, li").filter(has_text=key).first
        expect(row).to_contain_text("left")
        buyer_page.goto(f"{live_server}/requests/{key}")
        expect(buyer_page.locator("#request-clock")).to_contain_text("First reply")
        expect(buyer_page.locator("#request-clock")).not_to_contain_text("starts once")
        assert_no_axe_violations(buyer_page)
    finally:
        _close_and_check(context, watch)
