"""Department and service pages: what each team offers, promises, hours, contacts."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time

import pytest

from portal.directory import services, views
from portal.extensions import db
from portal.models import Closure, Contact, Priority, ResponseStandard
from tests import factories
from tests.statements import sent_statements, sqlite_plan


@pytest.fixture
def it(make_department, make_service, make_user):
    department = make_department(
        name="IT",
        slug="it",
        mission="Technology that just works.",
        email="it-help@example.com",
        chat_channel="#it-help",
        hours=(time(8), time(18)),
        standards={
            Priority.LOW: (480, 4800),
            Priority.NORMAL: (240, 1440),
            Priority.HIGH: (60, 480),
            Priority.URGENT: (30, 240),
        },
    )
    laptop = make_service(
        department,
        name="New laptop",
        slug="new-laptop",
        category="Devices",
        summary="Order a laptop for yourself or a new starter.",
    )
    make_service(
        department, name="Password reset", slug="password-reset", category="Access & accounts"
    )
    make_service(department, name="Old thing", slug="old-thing", category="Devices", active=False)
    ivan = make_user(name="Ivan Petrov", department_id=department.id)
    db.session.add_all(
        [
            Contact(
                department_id=department.id, user_id=ivan.id, label="Laptops and phones", position=1
            ),
            Contact(
                department_id=department.id,
                mailbox="service-desk@example.com",
                label="Service desk",
                position=0,
            ),
            ResponseStandard(
                department_id=department.id,
                service_id=laptop.id,
                priority=Priority.NORMAL,
                first_response_minutes=120,
                resolution_minutes=2400,
            ),
        ]
    )
    db.session.commit()
    return department


def test_department_page_groups_services_by_category(app, it):
    page = services.department_page("it")
    categories = dict(page.categories)
    assert [row.service.name for row in categories["Devices"]] == ["New laptop"]
    assert [row.service.name for row in categories["Access & accounts"]] == ["Password reset"]


def test_promises_are_in_words_people_read(app, it):
    page = services.department_page("it")
    words = {p.priority: (p.first_response, p.resolution) for p in page.promises}
    # IT is open 10 hours a day, so a business day is 10 hours here: 1440 minutes
    # is not a whole number of its days, and is said in hours.
    assert words[Priority.NORMAL] == ("4 business hours", "24 business hours")
    assert words[Priority.LOW] == ("8 business hours", "8 business days")
    assert words[Priority.URGENT] == ("30 business minutes", "4 business hours")
    assert [p.priority for p in page.promises] == [
        Priority.URGENT,
        Priority.HIGH,
        Priority.NORMAL,
        Priority.LOW,
    ]


def test_service_override_beats_department_default(app, it):
    page = services.service_page("it", "new-laptop")
    normal = next(p for p in page.promises if p.priority is Priority.NORMAL)
    urgent = next(p for p in page.promises if p.priority is Priority.URGENT)
    assert normal.first_response_minutes == 120
    assert urgent.first_response_minutes == 30
    assert page.overridden


def test_open_now_in_the_departments_own_time_zone(app, it):
    # Tuesday 2026-11-24 09:30 in London: open until 18:00.
    status = services.department_page("it", now=datetime(2026, 11, 24, 9, 30, tzinfo=UTC)).status
    assert status.is_open and status.headline == "Open now" and status.detail == "until 18:00"
    # Saturday: closed, opens Monday 08:00.
    status = services.department_page("it", now=datetime(2026, 11, 28, 12, 0, tzinfo=UTC)).status
    assert not status.is_open
    assert status.detail == "opens Monday at 08:00"


def test_new_york_department_is_open_by_its_own_clock(app, make_department):
    make_department(
        slug="cs",
        name="Customer Support",
        timezone="America/New_York",
        holiday_country="US",
        holiday_subdivision="NY",
    )
    # 14:30 UTC = 09:30 in New York (EST): open; 13:30 UTC = 08:30: opens today 09:00.
    assert services.department_page(
        "cs", now=datetime(2026, 11, 24, 14, 30, tzinfo=UTC)
    ).status.is_open
    status = services.department_page("cs", now=datetime(2026, 11, 24, 13, 30, tzinfo=UTC)).status
    assert status.detail == "opens today at 09:00"


def test_public_holiday_closes_the_department_and_is_shown(app, it):
    # Christmas Day 2026 is a Friday: closed, and shown as the next holiday beforehand.
    christmas = datetime(2026, 12, 25, 11, 0, tzinfo=UTC)
    assert not services.department_page("it", now=christmas).status.is_open
    page = services.department_page("it", now=datetime(2026, 12, 1, 11, 0, tzinfo=UTC))
    assert page.next_holiday == (date(2026, 12, 25), "Christmas Day")


def test_extra_closures_are_shown_and_closed(app, it):
    db.session.add(Closure(department_id=it.id, day=date(2026, 12, 2), reason="Office move"))
    db.session.commit()
    page = services.department_page("it", now=datetime(2026, 12, 1, 11, 0, tzinfo=UTC))
    assert (date(2026, 12, 2), "Office move") in page.closures_ahead
    assert not services.department_page(
        "it", now=datetime(2026, 12, 2, 11, 0, tzinfo=UTC)
    ).status.is_open


def test_department_page_view(client, login, make_user, it):
    login(make_user())
    response = client.get("/d/it")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    for text in [
        "IT",
        "Technology that just works.",
        "What we offer",
        "Devices",
        "New laptop",
        "Password reset",
        "Our promises",
        "within 4 business hours",
        "within 30 business minutes",
        "Opening hours",
        "08:00–18:00",
        "Who to contact",
        "Laptops and phones",
        "service-desk@example.com",
        "#it-help",
        "Europe/London",
    ]:
        assert text in html, text
    assert "Old thing" not in html  # archived services are not offered


def test_service_page_view(client, login, make_user, it):
    login(make_user())
    html = client.get("/d/it/new-laptop").get_data(as_text=True)
    assert "New laptop" in html
    assert "We reply within 2 business hours" in html


def test_home_lists_departments_with_their_promise(client, login, make_user, it, make_department):
    make_department(name="Empty", slug="empty")  # offers no services: not a card
    login(make_user())
    html = client.get("/").get_data(as_text=True)
    assert "What do you need help with?" in html
    assert "IT" in html and "First reply within 4 business hours" in html
    assert "2 services" in html
    assert ">Empty<" not in html
    assert "autofocus" in html


def test_home_with_many_departments_shows_the_most_asked_as_cards_and_links_to_all_a_to_z(
    client, login, make_user, make_department, make_service
):
    from portal.directory.home import ALL_CARDS_UP_TO, MOST_ASKED_CARDS

    count = ALL_CARDS_UP_TO + 6
    for n in range(count):
        department = make_department(name=f"{'ZYXWVUTSRQ'[n % 10]}-team {n:02d}", slug=f"team-{n}")
        make_service(department, popularity=n)  # the later, the more asked
    make_service(make_department(name="4th floor desk", slug="fourth"), popularity=0)
    login(make_user())

    html = client.get("/").get_data(as_text=True)

    assert "The departments people ask most" in html
    assert html.count('class="card accent-') == MOST_ASKED_CARDS
    assert "team 29" in html  # the most asked is a card
    assert "team 00" not in html  # the least asked is not, and no A-to-Z on the home page
    cards = re.findall(r'<h3 class="card__title"><a href="/d/team-(\d+)"', html)
    assert sorted(map(int, cards)) == list(range(count - MOST_ASKED_CARDS, count))  # the dozen
    names = [f"{'ZYXWVUTSRQ'[int(n) % 10]}-team {n}" for n in cards]
    assert names == sorted(names)  # shown by name
    assert f'<a href="/departments">All {count + 1} departments, A to Z</a>' in html
    assert 'id="departments-Q"' not in html

    index = client.get("/departments").get_data(as_text=True)
    assert "<h1" in index and "All departments, A to Z" in index
    assert f"{count + 1} departments" in index
    for n in range(count):  # every department in the index, linked
        assert f'href="/d/team-{n}"' in index
    assert 'href="#departments-Q"' in index and 'id="departments-Q"' in index
    assert index.index('id="departments-Z"') < index.index('id="departments-other"')
    assert ">4th floor desk<" in index
    assert '<a href="/" aria-current="page">Directory</a>' in index


def test_home_with_few_departments_shows_every_card_and_no_link_to_the_index(
    client, login, make_user, it
):
    login(make_user())
    html = client.get("/").get_data(as_text=True)
    assert "Departments and what they offer" in html
    assert 'href="/departments"' not in html
    index = client.get("/departments").get_data(as_text=True)  # still there, for every link
    assert 'href="/d/it"' in index


def test_the_index_with_no_departments_says_so(client, login, make_user):
    login(make_user())
    index = client.get("/departments")
    assert index.status_code == 200
    assert "No departments have published services yet" in index.get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/d/nope", "/d/it/nope", "/d/it/old-thing", "/d/%00", "/d/" + "x" * 300]
)
def test_unknown_department_or_service_is_404_linking_to_directory(
    client, login, make_user, it, path
):
    login(make_user())
    response = client.get(path)
    assert response.status_code == 404
    assert "Browse the directory of departments" in response.get_data(as_text=True)


def test_archived_department_is_404(client, login, make_user, it):
    it.active = False
    db.session.commit()
    login(make_user())
    assert client.get("/d/it").status_code == 404


def test_department_text_is_escaped(client, login, make_user, make_department, make_service):
    department = make_department(slug="x", name="<script>alert(1)</script>")
    make_service(department, name="<img src=x onerror=alert(1)>")
    login(make_user())
    html = client.get("/d/x").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html
    assert "<img src=x" not in html


def test_database_outage_is_503_with_retry_after(client, login, make_user, monkeypatch):
    from sqlalchemy.exc import OperationalError

    login(make_user())

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(views, "home_directory", down)
    response = client.get("/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Traceback" not in response.get_data(as_text=True)


def test_health_is_public(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_history_restore_gets_the_whole_page_and_swaps_get_a_fragment(client, login, make_user, it):
    login(make_user())
    fragment = client.get("/search?q=laptop&box=header-search", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert b"<html" not in fragment.data
    assert "HX-Request" in fragment.headers["Vary"]
    restore = client.get(
        "/search?q=laptop",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert b"<html" in restore.data
    assert "HX-Request" in restore.headers["Vary"]


def test_the_most_popular_services_come_from_their_index_not_a_sort_of_all(app):
    """The home page's eight most popular services: read in the order of
    ix_service_popularity, so the database stops at the eighth active one (the bench's
    5,000 services were all sorted on every view)."""
    it = factories.make_department(slug="it", name="IT", key_prefix="IT")
    closed = factories.make_department(slug="gone", name="Gone", key_prefix="GO", active=False)
    for n, department in enumerate([it, closed, it]):
        service = factories.make_service(department, slug=f"s{n}", name=f"Service {n}")
        service.popularity = 10 - n
    factories.make_service(it, slug="tie", name="A tie").popularity = 8
    db.session.commit()
    with sent_statements() as sent:
        found = services.popular_services(limit=2)
    assert [s.name for s in found] == ["Service 0", "A tie"]  # the closed one's left out
    if db.engine.dialect.name == "sqlite":
        plan = sqlite_plan(sent, "ORDER BY service.popularity DESC")
        assert "ix_service_popularity" in plan and "TEMP B-TREE" not in plan, plan


def test_a_plain_department_measures_in_the_same_calendar_as_the_object(app, it):
    """The scorecard reads the department as plain values: its hours and closures as rows
    under the object's names, so `calendar_for` gives the very calendar the object gives
    (the same hours, holidays and closures), and nothing for what is not there."""
    from portal.directory.calendars import calendar_for

    db.session.add(Closure(department_id=it.id, day=date(2026, 12, 2), reason="Office move"))
    db.session.commit()
    plain = services.plain_department("it")
    department = services.get_department("it")
    around = date(2026, 12, 1)
    assert calendar_for(plain, around) is calendar_for(department, around)
    calendar = calendar_for(plain, around)
    assert calendar.closures[date(2026, 12, 2)] == "Office move"
    assert date(2026, 12, 25) in calendar.holidays
    assert (plain.id, plain.slug, plain.name, plain.timezone) == (
        it.id,
        "it",
        "IT",
        it.timezone,
    )
    for slug in ("nope", "Not a slug", "", "it/../hr"):
        assert services.plain_department(slug) is None
    it.active = False
    db.session.commit()
    assert services.plain_department("it") is None
