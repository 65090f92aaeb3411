"""Partners on the recognition wall (issue 18): a department thanks a partner through the
picker (the wall's recipients only), a guest sees the thanks addressed to them or to another
guest of their organisation and nothing else of the wall, and "Partner: <Organisation>"
stands beside a guest's name on the cards (read with the page's batch)."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from portal.core.errors import NotFound, Refused
from portal.directory import picker
from portal.extensions import db
from portal.recognition.services import feed, posting, recipients, visibility
from tests import factories
from tests.conftest import csrf_token_from, signed_in_client

HX = {"HX-Request": "true"}


@pytest.fixture
def world(worlds):
    w = worlds.wall()
    w.nina = factories.make_guest(w.it, email="nina@northwind.example", name="Nina Partner")
    w.nils = factories.make_guest(w.it, email="nils@northwind.example", name="Nils Carter")
    w.omar = factories.make_guest(w.it, organisation="Contoso", email="omar@contoso.example",
                                  name="Omar Vendor")
    return w


def _thank(world, *people, author=None, message="Thanks for the dock"):
    return posting.post_recognition(
        author or world.erin,
        recipients="",
        chosen=[f"person-{p.id}" for p in people],
        value_id=world.customer_first.id,
        message=message,
    )


# Service level ------------------------------------------------------------------------------


def test_a_guest_sees_thanks_to_them_and_to_their_organisation_only(world):
    to_nina = _thank(world, world.nina)
    to_nils = _thank(world, world.nils, world.ivan)
    to_omar = _thank(world, world.omar)
    to_ivan = _thank(world, world.ivan)
    ids, _ = feed.feed_ids(world.nina)
    assert ids == [to_nils.id, to_nina.id]
    assert feed.feed_ids(world.omar)[0] == [to_omar.id]
    assert visibility.get_visible(world.nina, to_nils.id) == to_nils
    for post in (to_omar, to_ivan):
        with pytest.raises(NotFound):
            visibility.get_visible(world.nina, post.id)
    # employees see every public post, the partners' too
    assert set(feed.feed_ids(world.hugo)[0]) >= {to_nina.id, to_omar.id, to_ivan.id}


def test_a_guest_whose_access_ended_sees_nothing(world):
    from portal.core import clock
    from portal.models import Guest

    _thank(world, world.nina)
    guest = db.session.scalar(db.select(Guest).where(Guest.user_id == world.nina.id))
    guest.ended_at = clock.now()
    db.session.commit()
    assert feed.feed_ids(world.nina)[0] == []


def test_the_partners_page_is_for_guests_only(world):
    with pytest.raises(NotFound):
        feed.partner_thanks(world.erin)
    post = _thank(world, world.nina)
    assert [c.post.id for c in feed.partner_thanks(world.nina).cards] == [post.id]


def test_the_wall_recipients_accept_a_guest_and_other_pickers_do_not(world):
    found = recipients.resolve_recipients(world.erin, "", [f"person-{world.nina.id}"])
    assert found.people == [world.nina]
    found = recipients.resolve_recipients(world.erin, "nina@northwind.example")
    assert found.people == [world.nina]
    # an assignee, "who is it for", a member: guests are nobody there
    with pytest.raises(Refused):
        picker.resolve_one("", f"person-{world.nina.id}", field="assignee")
    with pytest.raises(Refused):
        picker.resolve_one("nina@northwind.example", "", field="assignee")
    with pytest.raises(Refused):
        picker.resolve("Nina Partner", None, field="for", limit=1, departments=False)
    assert picker.chosen_picks([f"person-{world.nina.id}"]) == []


def test_the_type_ahead_offers_partners_to_the_wall_only(world):
    offered = picker.type_ahead(world.erin, "ni", teams=True, leave_me_out=True, partners=True)
    nina = next(p for p in offered if p.id == world.nina.id)
    assert nina.detail == "Partner: Northwind Logistics"
    plain = picker.type_ahead(world.erin, "ni", teams=True, leave_me_out=True)
    assert world.nina.id not in {p.id for p in plain}
    assert picker.suggestions("ni") == [p for p in plain]


def test_the_partner_tag_is_read_with_the_page_batch(world, app):
    for _ in range(3):
        _thank(world, world.nina, world.nils, world.ivan)
    page = feed.feed_page(world.hugo)
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        tags = [card.partner_of(p) for card in page.cards for p in card.people]
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert tags.count("Northwind Logistics") == 6 and tags.count(None) == 3
    assert len(statements) <= 5  # the batch: recipients, authors, values, partners (no addons)


# HTTP ---------------------------------------------------------------------------------------


def test_a_guest_opens_their_thanks_and_gets_404_for_others(world, app):
    to_nina = _thank(world, world.nina, message="Thanks **Nina**")
    to_nils = _thank(world, world.nils)
    to_ivan = _thank(world, world.ivan, message="Only for Ivan")
    to_omar = _thank(world, world.omar, message="Only for Omar")
    client = signed_in_client(app, world.nina)
    response = client.get("/partners/thanks")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert f'id="post-{to_nina.id}"' in html and f'id="post-{to_nils.id}"' in html
    assert "Only for Ivan" not in html and "Only for Omar" not in html
    assert "Partner: Northwind Logistics" in html
    assert "/people/" not in html and "/react" not in html  # read only, no profiles
    detail = client.get(f"/wall/{to_nils.id}")
    assert detail.status_code == 302
    assert detail.headers["Location"].endswith(f"/partners/thanks#post-{to_nils.id}")
    for post in (to_ivan, to_omar):
        assert client.get(f"/wall/{post.id}").status_code == 404
    for method, path in (("GET", "/wall"), ("POST", f"/wall/{to_nina.id}/react"),
                         ("POST", f"/wall/{to_nina.id}/addons"), ("POST", "/wall")):
        data = {"csrf_token": csrf_token_from(html)} if method == "POST" else None
        assert client.open(path, method=method, data=data).status_code == 404, path
    assert signed_in_client(app, world.erin).get("/partners/thanks").status_code == 404


def test_an_employee_thanks_a_partner_through_the_picker(world, app):
    client = signed_in_client(app, world.erin)
    popup = client.get("/pick", query_string={"q": "nin", "box": "recipients", "partners": "1"},
                       headers=HX)
    assert popup.status_code == 200 and "<html" not in popup.get_data(as_text=True)
    assert "Partner: Northwind Logistics" in popup.get_data(as_text=True)
    assert "Nina Partner" not in client.get(
        "/pick", query_string={"q": "nin", "box": "assignee"}, headers=HX
    ).get_data(as_text=True)
    wall = client.get("/wall").get_data(as_text=True)
    assert '"partners": "1"' in wall
    response = client.post("/wall", data={
        "csrf_token": csrf_token_from(wall),
        "chosen": f"person-{world.nina.id}",
        "recipients": "",
        "value": str(world.customer_first.id),
        "message": "Thanks for the early delivery",
    })
    assert response.status_code == 303, response.get_data(as_text=True)
    html = client.get("/wall").get_data(as_text=True)
    assert "Nina Partner</a> <span class=\"tag tag--partner\">Partner: Northwind Logistics" in html
    partner_page = signed_in_client(app, world.nina).get("/partners/thanks")
    assert "Thanks for the early delivery" in partner_page.get_data(as_text=True)


def test_a_partners_organisation_with_markup_is_escaped_on_the_card(world, app):
    evil = factories.make_guest(world.it, organisation="<b>Evil</b> Ltd", email="e@evil.example",
                                name="Eve Partner")
    _thank(world, evil)
    html = signed_in_client(app, world.hugo).get("/wall").get_data(as_text=True)
    assert "Partner: &lt;b&gt;Evil&lt;/b&gt; Ltd" in html and "<b>Evil" not in html
