"""Partners as guests, in a real browser (issue 18's Done-when): Facilities invites a
logistics partner (Northwind Logistics); the partner accepts from the e-mailed link, sees only
Facilities' partner services, books a dock, follows the request to resolution and rates it;
the Facilities agent sees "Partner: Northwind Logistics" on the request; after expiry the
partner's session ends. axe runs on every page visited; the Nu checker sees every page
(the `page` fixtures)."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    CompanyValue,
    Department,
    Guest,
    Membership,
    MembershipRole,
    OutboxMessage,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.service_requests.services import lifecycle
from tests.browser.conftest import assert_no_axe_violations, sign_in

DEMO_PASSWORD = "inward-demo"
PARTNER_PASSWORD = "northwind loading dock 7"
SHOTS = os.environ.get("PARTNER_SCREENSHOTS")  # a folder: save screenshots to look at


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _member(department: Department, role: MembershipRole) -> User:
    return db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.department_id == department.id, Membership.role == role)
        .order_by(User.id)
    )


@pytest.fixture
def world(app):
    from portal.demo.loader import load_demo_organisation

    load_demo_organisation(with_history=False)
    facilities = db.session.scalar(select(Department).where(Department.slug == "facilities"))
    return {
        "manager": _member(facilities, MembershipRole.MANAGER),
        "agent": _member(facilities, MembershipRole.AGENT),
    }


def _invitation_link() -> str:
    db.session.rollback()  # see what the server wrote since
    body = db.session.scalar(
        select(OutboxMessage.body).where(
            OutboxMessage.topic == "guest.invitation",
            OutboxMessage.recipient == "pat@northwind.example",
        )
    )
    return re.search(r"https?://\S+(/guests/accept/\S+)", body).group(1)


def test_facilities_invites_northwind_who_books_a_dock_and_is_signed_out_at_expiry(
    world, live_server, page, second_page
):
    manager, agent = world["manager"], world["agent"]

    # Facilities' manager invites a logistics partner.
    fiona = second_page
    sign_in(fiona, live_server, manager.email, DEMO_PASSWORD)
    fiona.goto(f"{live_server}/manage/facilities/guests")
    assert_no_axe_violations(fiona)
    fiona.get_by_label("Their e-mail address").fill("pat@northwind.example")
    fiona.get_by_label("Their name").fill("Pat Dockhand")
    fiona.get_by_label("Organisation", exact=True).fill("Northwind Logistics")
    fiona.get_by_label("Why they need access").fill("Books the loading dock")
    fiona.get_by_label("Access ends on").fill((date.today() + timedelta(days=60)).isoformat())
    fiona.get_by_role("button", name="Send the invitation").click()
    fiona.get_by_text("Invitation sent to pat@northwind.example.").wait_for()
    assert "Pat Dockhand" in fiona.locator("table").inner_text()
    assert_no_axe_violations(fiona)
    shot(fiona, "sponsor-guests")

    # The partner accepts from the link in the captured e-mail.
    pat = page
    pat.goto(f"{live_server}{_invitation_link()}")
    pat.get_by_role("heading", name="Welcome, Pat").wait_for()
    assert_no_axe_violations(pat)
    shot(pat, "accept")
    pat.get_by_label("Choose a password").fill(PARTNER_PASSWORD)
    pat.get_by_label("Type it again").fill(PARTNER_PASSWORD)
    pat.get_by_role("button", name="Set my password and sign in").click()
    pat.get_by_role("heading", name="Services for partners").wait_for()
    offer = pat.locator("main").inner_text()
    assert "Book a loading dock" in offer
    assert "Parking permit" not in offer and "New laptop" not in offer
    assert pat.locator(".service-row").count() == 1  # only Facilities' partner service
    assert_no_axe_violations(pat)
    shot(pat, "partner-home")

    # …books a dock.
    pat.get_by_role("link", name="Request Book a loading dock").click()
    pat.get_by_label("Summary").wait_for()
    assert_no_axe_violations(pat)
    pat.get_by_label("Summary").fill("Dock for two lorries on Tuesday")
    pat.get_by_label("Details").fill("Two 18-tonne lorries at 07:00, collecting pallets.")
    pat.get_by_role("button", name="Send request").click()
    pat.get_by_role("heading", name=re.compile(r"Request FAC-\d+ sent")).wait_for()
    db.session.rollback()
    sr = db.session.scalar(select(ServiceRequest).order_by(ServiceRequest.id.desc()))
    key = sr.key

    # The Facilities agent sees who it is from.
    frank = second_page
    frank.context.clear_cookies()
    sign_in(frank, live_server, agent.email, DEMO_PASSWORD)
    frank.goto(f"{live_server}/requests/{key}")
    assert "Partner: Northwind Logistics" in frank.locator("main").inner_text()
    assert_no_axe_violations(frank)
    shot(frank, "agent-request")
    frank.get_by_label("Your reply").fill("Dock 3 is yours from 07:00 to 09:00.")
    frank.get_by_role("button", name="Send reply").click()
    frank.locator("p.notice", has_text="Reply sent.").wait_for()
    db.session.rollback()  # a fresh transaction: the server wrote since
    lifecycle.change_status(
        db.session.get(ServiceRequest, sr.id), db.session.get(User, agent.id),
        RequestStatus.RESOLVED, body="Booked: dock 3, Tuesday 07:00–09:00.",
    )

    # The partner follows it to resolution and rates it.
    pat.goto(f"{live_server}/requests/mine")
    assert key in pat.locator("main").inner_text()
    assert_no_axe_violations(pat)
    pat.goto(f"{live_server}/requests/{key}")
    assert "Dock 3 is yours" in pat.locator("main").inner_text()
    assert pat.get_by_role("link", name="Thank the team").count() == 0  # the wall is not hers
    pat.wait_for_function("() => typeof htmx === 'object'")
    pat.get_by_role("heading", name="How did Facilities do?").wait_for()
    pat.get_by_role("group", name="Your score").get_by_label("5").check()
    pat.get_by_role("button", name="Send rating").click()
    pat.locator("#rating-panel").get_by_text(f"you rated {key} 5 out of 5").wait_for()
    assert_no_axe_violations(pat)
    shot(pat, "partner-request")

    # The agent thanks the partner on the wall, choosing her in the picker ...
    db.session.add(CompanyValue(name="Customer first", colour="blue"))
    db.session.commit()
    frank.goto(f"{live_server}/wall?thank=1")
    frank.wait_for_function("() => typeof htmx === 'object'")
    if not frank.get_by_label("Who are you thanking?").is_visible():
        frank.locator("summary.thank__toggle").click()
    frank.get_by_label("Who are you thanking?").press_sequentially("Pat Do", delay=60)
    option = frank.locator("#recipients-listbox [role=option]", has_text="Pat Dockhand")
    assert "Partner: Northwind Logistics" in option.inner_text()
    frank.keyboard.press("ArrowDown")
    frank.keyboard.press("Enter")
    frank.locator("#recipients-chips .pick-chip__name", has_text="Pat Dockhand").wait_for()
    frank.get_by_label("Customer first").check()
    frank.get_by_label("What did they do?").fill("Thanks for arriving on time at dock 3.")
    frank.get_by_role("button", name="Post thanks").click()
    frank.locator(".notice", has_text="Your thanks is on the wall").wait_for()
    assert "Partner: Northwind Logistics" in frank.locator("#feed-list").inner_text()

    # ... and the partner reads it on her own page (read only).
    pat.goto(f"{live_server}/partners")
    pat.get_by_role("link", name="Thanks").click()
    pat.get_by_role("heading", name="Thanks to your organisation").wait_for()
    main = pat.locator("main").inner_text()
    assert "Thanks for arriving on time at dock 3." in main
    assert "Partner: Northwind Logistics" in main
    assert pat.locator("main form").count() == 0  # no reactions, no add-ons
    assert_no_axe_violations(pat)
    shot(pat, "partner-thanks")

    # Anything else is not there for a partner.
    for path in ("/wall", "/d/facilities", "/insights", f"/people/{agent.id}"):
        assert pat.goto(f"{live_server}{path}").status == 404

    # After expiry the partner's session ends.
    db.session.execute(
        Guest.__table__.update()
        .where(Guest.user_id == sr.requester_id)
        .values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    db.session.commit()
    pat.goto(f"{live_server}/requests/{key}")
    pat.get_by_text("Your guest access has ended").wait_for()
    assert pat.url.startswith(f"{live_server}/login")
    assert_no_axe_violations(pat)
    pat.goto(f"{live_server}/partners")
    assert "/login" in pat.url
