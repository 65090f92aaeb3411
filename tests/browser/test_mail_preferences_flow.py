"""E-mail choices in a real browser: Erin opens her notification preferences from her
profile, turns two kinds off, saves through htmx (the focus goes to the confirmation),
and the page loaded again shows her choice; then the one-click unsubscribe page of an
e-mail asks before it turns anything off. axe runs on both pages (Nu on every page)."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import MailOptOut
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, sign_in


def test_erin_turns_two_kinds_of_mail_off_and_unsubscribes_from_a_third(
    live_server, page, make_user, app
):
    erin = make_user(email="erin@example.com", name="Erin Walsh")
    sign_in(page, live_server, "erin@example.com", factories.PASSWORD)
    page.goto(f"{live_server}/me")
    page.get_by_role("link", name="Choose which e-mails you get").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("E-mail notifications")
    assert_no_axe_violations(page)

    page.wait_for_function("() => typeof htmx !== 'undefined'")
    page.get_by_label("Thanks on the wall").uncheck()
    page.get_by_label("Check-in invitations").uncheck()
    page.get_by_role("button", name="Save my choices").click()
    saved = page.get_by_role("status").filter(has_text="Your e-mail choices are saved.")
    expect(saved).to_be_visible()
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.matches('.notice--ok')"
    )
    assert_no_axe_violations(page)

    page.reload()
    expect(page.get_by_label("Thanks on the wall")).not_to_be_checked()
    expect(page.get_by_label("Check-in invitations")).not_to_be_checked()
    expect(page.get_by_label("Replies on requests")).to_be_checked()

    from portal.notify.unsubscribe import token_for_person

    with app.test_request_context():
        token = token_for_person(erin.id, "rating_asked")
    page.goto(f"{live_server}/unsubscribe/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Stop “Asked to rate a request” e-mails?"
    )
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Stop these e-mails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You will not get these e-mails any more"
    )
    db.session.rollback()  # a fresh read sees what the server committed
    kinds = set(db.session.scalars(select(MailOptOut.kind).where(MailOptOut.user_id == erin.id)))
    assert kinds == {"wall_thanks", "check_in", "rating_asked"}
