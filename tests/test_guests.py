"""Guests (issue 18): invitations, acceptance, what a guest sees, sponsors and expiry.
Each listed bad input is a test here (the "every employee route" one is the guest column of
tests/access_rules/, walked by test_access_rules.py)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from itsdangerous import TimestampSigner
from sqlalchemy import func, select

from portal.core import clock, policy
from portal.core.errors import NotFound, Refused
from portal.extensions import db
from portal.guests.services import acceptance, access_end, expiry, invitations, sponsorship
from portal.models import AuditEntry, Guest, OutboxMessage, ServiceRequest, User
from tests import factories
from tests.conftest import csrf_token_from, signed_in_client

PASSWORD = "a long enough partner password"


class Facilities:
    pass


@pytest.fixture
def fac(app):
    world = Facilities()
    world.dept = factories.make_department(slug="facilities", name="Facilities", key_prefix="FAC")
    world.other = factories.make_department(slug="it", name="IT", key_prefix="IT")
    world.dock = factories.make_service(
        world.dept, slug="book-a-dock", name="Book a loading dock", open_to_partners=True
    )
    world.desks = factories.make_service(world.dept, slug="desk-move", name="Move desks")
    world.laptop = factories.make_service(world.other, slug="laptop", name="Laptop",
                                          open_to_partners=True)
    world.fiona = factories.make_user(
        email="fiona@example.com", name="Fiona Manager", roles={world.dept: "manager"}
    )
    world.frank = factories.make_user(
        email="frank@example.com", name="Frank Agent", roles={world.dept: "agent"}
    )
    world.erin = factories.make_user(email="erin@example.com", name="Erin Employee")
    return world


def _invite(fac, email="nina@northwind.example", **changes) -> Guest:
    values = {
        "email": email,
        "name": "Nina Partner",
        "organisation": "Northwind Logistics",
        "reason": "Books the loading dock",
        "expires_on": date.today() + timedelta(days=90),
    }
    values.update(changes)
    return invitations.invite(fac.fiona, fac.dept, invitations.Invitation(**values))


def _link(email: str) -> str:
    body = db.session.scalar(
        select(OutboxMessage.body)
        .where(OutboxMessage.recipient == email, OutboxMessage.topic == "guest.invitation")
        .order_by(OutboxMessage.id.desc())
    )
    return re.search(r"(/guests/accept/\S+)", body).group(1)


def _accept(client, path: str, password: str = PASSWORD):
    page = client.get(path)
    assert page.status_code == 200
    token = csrf_token_from(page.get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, "password": password, "confirm": password})


def _actions(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEntry.action == action))


# Inviting and accepting --------------------------------------------------------------------


def test_a_manager_invites_and_the_guest_accepts_from_the_link_once(fac, app):
    guest = _invite(fac)
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.topic == "guest.invitation"))
    assert mail.recipient == "nina@northwind.example"
    assert "Facilities" in mail.subject and "Northwind Logistics" in mail.body
    assert mail.payload and "<a href=" in mail.payload["html"]
    assert _actions("guest.invite") == 1
    client = app.test_client()
    path = _link("nina@northwind.example")
    response = _accept(client, path)
    assert response.status_code == 303 and response.headers["Location"] == "/partners"
    assert client.get("/partners").status_code == 200  # signed in
    db.session.refresh(guest)
    assert guest.accepted_at is not None and guest.invitation_nonce is None
    # The same link again, in any browser: gone.
    assert app.test_client().get(path).status_code == 404
    assert client.post(path, data={"password": PASSWORD, "confirm": PASSWORD}).status_code in (
        400, 404,
    )
    with pytest.raises(NotFound):
        acceptance.accept(path.rsplit("/", 1)[1], PASSWORD)


def test_a_forged_invitation_link_is_404(fac, app):
    guest = _invite(fac)
    client = app.test_client()
    forged = invitations.URLSafeTimedSerializer("not-our-secret", salt=invitations.SALT).dumps(
        {"g": guest.id, "n": guest.invitation_nonce}
    )
    assert client.get(f"/guests/accept/{forged}").status_code == 404
    other_purpose = invitations.URLSafeTimedSerializer(app.secret_key, salt="other").dumps(
        {"g": guest.id, "n": guest.invitation_nonce}
    )
    assert client.get(f"/guests/accept/{other_purpose}").status_code == 404
    wrong_nonce = invitations._serializer().dumps({"g": guest.id, "n": "guessed"})
    assert client.get(f"/guests/accept/{wrong_nonce}").status_code == 404
    assert client.get("/guests/accept/not-a-token").status_code == 404


def test_an_expired_invitation_link_is_404(fac, app, monkeypatch):
    guest = _invite(fac)
    eight_days_ago = int(datetime.now(UTC).timestamp()) - 8 * 86400
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: eight_days_ago)
    old = invitations.link_token(guest)
    monkeypatch.undo()
    assert app.test_client().get(f"/guests/accept/{old}").status_code == 404


def test_an_address_with_an_employee_account_is_refused(fac):
    with pytest.raises(Refused) as refused:
        _invite(fac, email="Erin@Example.com")
    assert refused.value.field == "email"
    assert db.session.scalar(select(func.count()).select_from(Guest)) == 0


def test_the_invitation_form_keeps_the_input_and_says_why(fac, app):
    client = signed_in_client(app, fac.fiona)
    page = client.get("/manage/facilities/guests").get_data(as_text=True)
    response = client.post(
        "/manage/facilities/guests",
        data={
            "csrf_token": csrf_token_from(page),
            "email": "erin@example.com",
            "name": "Erin",
            "organisation": "Contoso",
            "reason": "Testing",
            "expires_on": (date.today() + timedelta(days=400)).isoformat(),
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "a year at most" in html and 'value="Contoso"' in html


def test_access_lasts_a_year_at_most(fac):
    with pytest.raises(Refused) as refused:
        _invite(fac, expires_on=date.today() + timedelta(days=366))
    assert refused.value.field == "expires_on"
    with pytest.raises(Refused):
        _invite(fac, expires_on=date.today())


def test_only_the_departments_managers_invite(fac):
    with pytest.raises(NotFound):
        invitations.invite(
            fac.frank,
            fac.dept,
            invitations.Invitation("x@y.example", "X", "Y", "Z", date.today() + timedelta(days=5)),
        )


# What a guest sees ---------------------------------------------------------------------------


@pytest.fixture
def nina(fac):
    return factories.make_guest(fac.dept, email="nina@northwind.example", name="Nina Partner",
                                sponsor=fac.fiona)


def test_a_signed_in_guest_gets_the_styles_and_the_icon(fac, nina, app):
    # Static files are no page: the guest guard must not answer them 404 (a guest whose
    # browser asks again after sign-in, or after a new release, would get a bare page).
    client = signed_in_client(app, nina)
    for path in ("/static/css/inward.css", "/static/favicon.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        response.close()


def test_a_guest_sees_only_the_sponsors_partner_services_without_people(fac, nina, app):
    client = signed_in_client(app, nina)
    html = client.get("/partners").get_data(as_text=True)
    assert "Book a loading dock" in html
    assert "Move desks" not in html and "Laptop" not in html  # not open / not a sponsor
    assert client.get("/").headers["Location"] == "/partners"
    assert client.get("/departments").headers["Location"] == "/partners"  # the A-to-Z too
    page = client.get("/partners/facilities").get_data(as_text=True)
    assert "Book a loading dock" in page and "Fiona" not in page and "Who to contact" not in page
    assert client.get("/partners/it").status_code == 404
    for path in ("/d/facilities", "/search?q=dock", f"/people/{fac.fiona.id}", "/insights",
                 "/wall", "/d/facilities/book-a-dock", "/queue/facilities", "/no-such-page"):
        assert client.get(path).status_code == 404, path


def test_a_guest_may_request_an_open_service_only(fac, nina, app):
    client = signed_in_client(app, nina)
    assert client.get("/d/facilities/book-a-dock/request").status_code == 200
    assert client.get("/d/facilities/desk-move/request").status_code == 404
    assert client.get("/d/it/laptop/request").status_code == 404  # open, but not her sponsor


def _request_form(client, path: str, **changes):
    page = client.get(path).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    data = {
        "csrf_token": csrf_token_from(page),
        "form_token": token,
        "title": "Dock on Tuesday",
        "description": "Two lorries at 07:00.",
        "priority": "normal",
        **changes,
    }
    return data


def test_a_guest_editing_hidden_fields_reaches_no_closed_service(fac, nina, app):
    client = signed_in_client(app, nina)
    data = _request_form(client, "/d/facilities/book-a-dock/request")
    # The same form posted to a service not open to partners: not there.
    assert client.post("/d/facilities/desk-move/request", data=data).status_code == 404
    assert client.post("/d/it/laptop/request", data=data).status_code == 404
    # A request "on behalf of" an employee: partners file for themselves.
    response = client.post(
        "/d/facilities/book-a-dock/request",
        data={**data, "on_behalf_of": "", "on_behalf_of_chosen": f"person-{fac.erin.id}"},
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(ServiceRequest)) == 0
    response = client.post("/d/facilities/book-a-dock/request", data=data)
    assert response.status_code == 303
    sr = db.session.scalar(select(ServiceRequest))
    assert sr.requester_id == nina.id and sr.service_id == fac.dock.id


def test_colleagues_from_the_same_organisation_share_requests_when_allowed(fac, app):
    nina = factories.make_guest(fac.dept, email="n@nw.example", shares_requests=True)
    olaf = factories.make_guest(fac.dept, email="o@nw.example", shares_requests=True)
    other = factories.make_guest(fac.dept, "Contoso", email="c@co.example", shares_requests=True)
    sr = factories.make_request(fac.dock, nina)
    assert signed_in_client(app, olaf).get(f"/requests/{sr.key}").status_code == 200
    assert signed_in_client(app, other).get(f"/requests/{sr.key}").status_code == 404
    db.session.execute(Guest.__table__.update().values(shares_requests=False))
    db.session.commit()
    assert signed_in_client(app, olaf).get(f"/requests/{sr.key}").status_code == 404


def test_policy_says_who_is_a_guest(fac, nina):
    assert policy.is_guest(nina) and not policy.is_guest(fac.erin)
    assert policy.may_request(nina, fac.dock) and not policy.may_request(nina, fac.desks)
    assert policy.may_request(fac.erin, fac.desks)


# Sponsors, expiry --------------------------------------------------------------------------


def test_ending_access_ends_every_session_at_once(fac, nina, app):
    first, second = signed_in_client(app, nina), signed_in_client(app, nina)
    assert first.get("/partners").status_code == 200
    guest = db.session.scalar(select(Guest).where(Guest.user_id == nina.id))
    manager = signed_in_client(app, fac.fiona)
    page = manager.get("/manage/facilities/guests").get_data(as_text=True)
    assert "Nina Partner" in page
    response = manager.post(
        f"/manage/facilities/guests/{guest.id}/end", data={"csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 303
    for client in (first, second):
        assert client.get("/partners").status_code == 302  # sent to sign in
    assert _actions("guest.end") == 1


def test_a_sponsor_extends_access_within_a_year(fac, nina):
    guest = db.session.scalar(select(Guest).where(Guest.user_id == nina.id))
    until = date.today() + timedelta(days=200)
    sponsorship.extend(fac.fiona, fac.dept, guest.id, until)
    assert access_end.last_day(guest.expires_at, fac.dept) == until
    assert _actions("guest.extend") == 1
    with pytest.raises(Refused):
        sponsorship.extend(fac.fiona, fac.dept, guest.id, date.today() + timedelta(days=400))
    with pytest.raises(NotFound):
        sponsorship.extend(fac.frank, fac.dept, guest.id, until)


def test_an_expired_guest_with_an_open_session_is_signed_out(fac, nina, app):
    client = signed_in_client(app, nina)
    old_token = nina.session_token
    assert client.get("/requests/mine").status_code == 200
    db.session.execute(
        Guest.__table__.update().values(expires_at=datetime.now(UTC) - timedelta(minutes=1))
    )
    db.session.commit()
    response = client.get("/requests/mine")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
    assert _actions("guest.expire") == 1
    active, token = db.session.execute(
        select(User.active, User.session_token).where(User.id == nina.id)
    ).one()
    assert not active and token != old_token
    assert client.get("/requests/mine").status_code == 302


def test_the_expiry_job_warns_sponsors_a_week_before_and_ends_on_the_day(fac, app):
    soon = factories.make_guest(fac.dept, email="s@nw.example", sponsor=fac.fiona,
                                expires_at=datetime.now(UTC) + timedelta(days=5))
    late = factories.make_guest(fac.dept, email="l@nw.example", sponsor=fac.fiona,
                                expires_at=datetime.now(UTC) - timedelta(hours=1))
    factories.make_guest(fac.dept, email="f@nw.example", sponsor=fac.fiona)
    result = app.test_cli_runner().invoke(args=["guests", "expire"])
    assert result.exit_code == 0, result.output
    assert "1 warned, 1 ended" in result.output
    topic = OutboxMessage.topic == "guest.expiring"
    warning = db.session.scalar(select(OutboxMessage).where(topic))
    assert warning.recipient == "fiona@example.com" and "s@nw.example" not in warning.body
    assert expiry.run() == expiry.ExpiryRun(0, 0)  # once
    assert not db.session.get(User, late.id).active
    assert db.session.get(User, soon.id).active


def test_an_organisation_name_with_markup_is_escaped(fac, app):
    _invite(fac, organisation='<script>alert("x")</script> & Co')
    html = signed_in_client(app, fac.fiona).get("/manage/facilities/guests").get_data(as_text=True)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in html
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.topic == "guest.invitation"))
    assert "<script>" not in mail.payload["html"]


def test_the_admins_list_filters_by_organisation_sponsor_and_expiring_soon(fac, app):
    admin = factories.make_user(email="ada@example.com", is_admin=True)
    factories.make_guest(fac.dept, "Northwind Logistics", email="a@nw.example",
                         expires_at=datetime.now(UTC) + timedelta(days=3))
    factories.make_guest(fac.other, "Contoso", email="b@co.example")
    client = signed_in_client(app, admin)
    html = client.get("/admin/guests").get_data(as_text=True)
    assert "a@nw.example" in html and "b@co.example" in html
    html = client.get("/admin/guests?organisation=Contoso").get_data(as_text=True)
    assert "a@nw.example" not in html and "b@co.example" in html
    html = client.get(f"/admin/guests?department={fac.dept.id}").get_data(as_text=True)
    assert "a@nw.example" in html and "b@co.example" not in html
    html = client.get("/admin/guests?soon=1").get_data(as_text=True)
    assert "a@nw.example" in html and "b@co.example" not in html


def test_the_agent_sees_partner_and_organisation_on_the_request(fac, nina, app):
    from portal.service_requests.services import conversation

    sr = factories.make_request(fac.dock, nina)
    conversation.reply(sr, nina, "The lorry is late.")
    html = signed_in_client(app, fac.frank).get(f"/requests/{sr.key}").get_data(as_text=True)
    assert html.count("Partner: Northwind Logistics") == 3  # requester, sent, replied
    queue = signed_in_client(app, fac.frank).get("/queue/facilities").get_data(as_text=True)
    assert "Partner: Northwind Logistics" in queue
    employee_sr = factories.make_request(fac.dock, fac.erin)
    html = signed_in_client(app, fac.frank).get(f"/requests/{employee_sr.key}").get_data(
        as_text=True
    )
    assert "Partner:" not in html



def test_the_timeline_reads_each_actors_organisation_with_their_name(fac, app):
    from portal.service_requests.services import conversation, history
    from tests.statements import count_statements

    nina, nils = (
        factories.make_guest(fac.dept, email=f"{n.lower()}@northwind.example",
                             name=f"{n} Partner", sponsor=fac.fiona, shares_requests=True)
        for n in ("Nina", "Nils")
    )
    sr = factories.make_request(fac.dock, nina)
    conversation.reply(sr, fac.frank, "Dock 3 is free at noon.")
    client = signed_in_client(app, fac.frank)

    def page_statements() -> int:
        with count_statements() as seen:
            assert client.get(f"/requests/{sr.key}").status_code == 200
        return len(seen)

    page_statements()  # after a change, the first page reads the clocks' hours once more
    few = page_statements()
    conversation.reply(sr, nils, "Noon suits us.")
    entries = history.timeline(sr, fac.frank)
    assert dict((e.actor_name, e.actor_partner) for e in entries) == {
        "Nina Partner": "Northwind Logistics",
        "Frank Agent": None,
        "Nils Partner": "Northwind Logistics",
    }
    page_statements()
    assert page_statements() == few  # one read of the people, guests' organisations included
    html = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    tag = '<span class="tag tag--partner">Partner: Northwind Logistics'
    assert f"Nils Partner</strong> {tag}" in html


# Import -----------------------------------------------------------------------------------


def _csv(rows: int, start: int = 0) -> bytes:
    until = (date.today() + timedelta(days=180)).isoformat()
    lines = ["email,name,organisation,reason,expires_on"]
    lines += [
        f"g{n}@vendor{n % 50}.example,Guest {n},Vendor {n % 50},Deliveries,{until}"
        for n in range(start, start + rows)
    ]
    return ("\n".join(lines) + "\n").encode()


def test_ten_thousand_guest_invitations_imported_at_once(fac, app, tmp_path):
    import time

    admin = factories.make_user(email="ada@example.com", is_admin=True)
    path = tmp_path / "guests.csv"
    path.write_bytes(_csv(10_000) + b"erin@example.com,Erin,X,Y,2000-01-01\n")
    runner = app.test_cli_runner()
    args = ["guests", "import", str(path), "--department", "facilities",
            "--sponsor", "fiona@example.com", "--admin", "ada@example.com"]
    checked = runner.invoke(args=args)
    assert "10000 guests can be invited; 1 rows refused" in checked.output
    assert db.session.scalar(select(func.count()).select_from(Guest)) == 0
    started = time.perf_counter()
    result = runner.invoke(args=[*args, "--apply"])
    took = time.perf_counter() - started
    assert result.exit_code == 0, result.output
    assert "10000 guests invited; 1 rows refused" in result.output
    print(f"10,000 guests imported in {took:.1f} s")
    assert took < 60
    assert db.session.scalar(select(func.count()).select_from(Guest)) == 10_000
    assert _actions("guest.import") == 10_000
    count = select(func.count()).where(OutboxMessage.topic == "guest.invitation")
    assert db.session.scalar(count) == 10_000
    # Each link works, once.
    path = _link("g9999@vendor49.example")
    client = app.test_client()
    assert _accept(client, path).status_code == 303
    assert app.test_client().get(path).status_code == 404
    # The same file again: every address is taken now.
    again = runner.invoke(args=args)
    assert "0 guests can be invited; 10001 rows refused" in again.output
    assert admin.is_admin


def test_an_import_refuses_bad_rows_beside_their_line(fac):
    from portal.guests.services import importing

    day = (date.today() + timedelta(days=5)).isoformat()
    data = (
        "email,name,organisation,reason,expires_on\n"
        f"ok@x.example,OK,X,Y,{day}\n"
        f"not-an-address,A,X,Y,{day}\n"
        "late@x.example,B,X,Y,2100-01-01\n"
        f"ok@x.example,C,X,Y,{day}\n"
    ).encode()
    result = importing.read(data)
    assert [r.email for r in result.rows] == ["ok@x.example"]
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "email"), (4, "expires_on"), (5, "email"),
    ]
    with pytest.raises(Refused):
        importing.read(b"email,name\nx@y.example,X\n")


def test_scorecards_count_partners_as_a_customer_group_of_their_own(fac, nina, app):
    from portal.insights.customer_groups import customer_groups

    assert customer_groups(fac.dept, 30) == []
    factories.make_request(fac.dock, nina)
    factories.make_request(fac.dock, fac.erin)
    factories.make_request(fac.desks, fac.erin)
    groups = {g.group: g for g in customer_groups(fac.dept, 30)}
    assert groups["Partners"].asked == 1 and groups["Colleagues without a department"].asked == 2
    html = signed_in_client(app, fac.erin).get("/d/facilities/scorecard").get_data(as_text=True)
    assert "Customer groups, last 30 days" in html and "Partners" in html
    # More in tests/test_partner_customers.py


def test_the_admin_guests_filter_with_a_nul_filters_nothing_and_never_fails(app):
    admin = factories.make_user(email="root@example.com", name="Root Admin", is_admin=True)
    response = signed_in_client(app, admin).get("/admin/guests?organisation=North%00wind")
    assert response.status_code == 200


# The last day, in the sponsoring department's time zone ----------------------------------

MARCH_20 = datetime(2027, 3, 20, 12, tzinfo=UTC)
LAST_DAY = date(2027, 4, 5)  # British Summer Time by then; New Zealand back on standard time
ZONES = ["Europe/London", "Pacific/Auckland"]


@pytest.fixture
def march_20(monkeypatch):
    """Every clock of the guests' area reads 20 March 2027, noon UTC."""
    real = clock.now
    monkeypatch.setattr(clock, "now", lambda at=None: real(at) if at is not None else MARCH_20)
    return MARCH_20


def _docks_in(zone: str):
    docks = factories.make_department(slug="docks", name="Docks", key_prefix="DOK", timezone=zone)
    mo = factories.make_user(email="mo@example.com", name="Mo Manager", roles={docks: "manager"})
    return docks, mo


def _invite_to_docks(docks, mo, last_day: date = LAST_DAY) -> Guest:
    return invitations.invite(mo, docks, invitations.Invitation(
        "nina@northwind.example", "Nina Partner", "Northwind Logistics", "Books the dock",
        last_day,
    ))


def _guest_until(how: str, docks, mo, app, tmp_path) -> Guest:
    """A guest of Docks whose access was set to last through LAST_DAY, `how`."""
    if how == "invited":
        return _invite_to_docks(docks, mo)
    if how == "extended":
        guest = _invite_to_docks(docks, mo, date(2027, 3, 30))
        return sponsorship.extend(mo, docks, guest.id, LAST_DAY)
    factories.make_user(email="ada@example.com", is_admin=True)
    path = tmp_path / "guests.csv"
    path.write_text("email,name,organisation,reason,expires_on\n"
                    f"nina@northwind.example,Nina,Northwind,Docks,{LAST_DAY.isoformat()}\n")
    result = app.test_cli_runner().invoke(args=[
        "guests", "import", str(path), "--department", "docks", "--sponsor", "mo@example.com",
        "--admin", "ada@example.com", "--apply",
    ])
    assert "1 guests invited" in result.output, result.output
    return db.session.scalar(select(Guest))


def _mail(topic: str) -> OutboxMessage:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.topic == topic))


@pytest.mark.parametrize("how", ["invited", "extended", "imported"])
@pytest.mark.parametrize("zone", ZONES)
def test_access_lasts_through_the_chosen_day_where_the_sponsor_is(
    zone, how, march_20, app, tmp_path
):
    docks, mo = _docks_in(zone)
    guest = _guest_until(how, docks, mo, app, tmp_path)
    last_moment = datetime(2027, 4, 5, 23, 59, 59, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    next_day = datetime(2027, 4, 6, tzinfo=ZoneInfo(zone)).astimezone(UTC)
    assert not expiry.has_expired(guest, last_moment)
    assert expiry.has_expired(guest, next_day)
    assert expiry.run(last_moment).ended == 0
    assert expiry.run(next_day).ended == 1
    assert access_end.last_day(guest.expires_at, docks) == LAST_DAY


@pytest.mark.parametrize("zone", ZONES)
def test_pages_and_mails_show_the_chosen_day_not_the_midnight_after_it(zone, march_20, app):
    docks, mo = _docks_in(zone)
    _invite_to_docks(docks, mo)
    invitation = _mail("guest.invitation")
    for text in (invitation.body, invitation.payload["html"]):
        assert "Your access lasts until 5 April 2027." in text
    accept = app.test_client().get(_link("nina@northwind.example")).get_data(as_text=True)
    assert "Your access lasts until 5 April 2027." in accept
    admin = factories.make_user(email="ada@example.com", is_admin=True)  # a viewer in London
    for client, path in ((signed_in_client(app, mo), "/manage/docks/guests"),
                         (signed_in_client(app, admin), "/admin/guests")):
        html = client.get(path).get_data(as_text=True)
        assert "Until 5 April 2027" in html and "6 Apr" not in html, path
    expiry.run(datetime(2027, 3, 31, 12, tzinfo=UTC))
    warning = _mail("guest.expiring")
    assert warning.subject == "Nina Partner’s guest access ends on 5 April 2027"
    for text in (warning.body, warning.payload["html"]):
        assert "(Northwind Logistics) ends on 5 April 2027." in text


def test_an_extension_says_until_the_chosen_day(march_20, app):
    docks, mo = _docks_in("Pacific/Auckland")
    guest = _invite_to_docks(docks, mo)
    client = signed_in_client(app, mo)
    token = csrf_token_from(client.get("/manage/docks/guests").get_data(as_text=True))
    response = client.post(f"/manage/docks/guests/{guest.id}/extend",
                           data={"csrf_token": token, "expires_on": "2027-05-31"},
                           follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Nina Partner’s access now lasts until 31 May 2027." in html
    assert "Until 31 May 2027" in html
