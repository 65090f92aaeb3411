"""Issue 12, the clock: one figure everywhere, in the units of the department's own
business day, never "at risk" with a due time gone by, and a clock that moves by itself."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from io import BytesIO

import pytest
from sqlalchemy import select

from portal import sla
from portal.core import clock
from portal.extensions import db
from portal.models import OutboxChannel, OutboxMessage, Priority, RequestStatus
from portal.service_requests import clocks
from portal.service_requests.services import jobs, lifecycle
from portal.service_requests.services import mine as my_list
from tests import factories

MONDAY_8 = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)  # London is on GMT (UTC+0)
TUESDAY_NOON = datetime(2026, 11, 17, 12, 0, tzinfo=UTC)

DESKS = {
    # 12-hour days, 10-hour days, and a desk open around the clock.
    "twelve": dict(hours=(time(8), time(20)), weekdays=range(5)),
    "ten": dict(hours=(time(8), time(18)), weekdays=range(5)),
    "always": dict(hours=(time(0), time(23, 59)), weekdays=range(7)),
}


@pytest.fixture
def frozen(monkeypatch):
    """Every clock of the request area reads TUESDAY_NOON as now."""
    real = clock.now

    def now(at=None):
        return real(at) if at is not None else TUESDAY_NOON

    monkeypatch.setattr(clock, "now", now)
    return TUESDAY_NOON


def world(name: str):
    department = factories.make_department(
        slug=f"desk-{name}",
        name=f"Desk {name}",
        key_prefix=name[:3].upper(),
        webhook_url="https://hooks.example.com/desk",
        standards={Priority.NORMAL: (30, 9000)},
        **DESKS[name],
    )
    service = factories.make_service(department, slug="desk-help", name="Help")
    agent = factories.make_user(roles={department: "agent"}, timezone="Europe/London")
    requester = factories.make_user(timezone="Europe/London")
    sr = factories.make_request(service, requester, now=MONDAY_8, title="Printer on fire")
    return department, agent, requester, sr


def client_as(app, user):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
    return client


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize("desk", ["twelve", "ten", "always"])
def test_one_figure_on_every_page_e_mail_and_webhook(app, frozen, desk):
    department, agent, requester, sr = world(desk)
    # First reply promised within 30 business minutes from Monday 08:00; at Tuesday noon
    # a 12-hour desk has spent 960 business minutes, a 10-hour one 840, the 24/7 one 1680:
    # each is 1 of ITS business days and 3 business hours over.
    figure = "Overdue — 1 business day and 3 business hours over"
    due = "Mon 16 Nov 08:30"

    queue = text_of(client_as(app, agent).get(f"/queue/{department.slug}").get_data(as_text=True))
    mine = text_of(client_as(app, requester).get("/requests/mine").get_data(as_text=True))
    page = text_of(client_as(app, requester).get(f"/requests/{sr.key}").get_data(as_text=True))
    for shown in (queue, mine, page):
        assert f"{figure}, due {due}" in shown
        assert " d " not in shown.replace("business day", "")

    assert jobs.scan_alerts() >= 1
    mail = " ".join(
        db.session.scalars(
            select(OutboxMessage.body).where(OutboxMessage.topic == "request.breached")
        )
    )
    hook = " ".join(
        db.session.scalars(
            select(OutboxMessage.subject).where(OutboxMessage.channel == OutboxChannel.WEBHOOK)
        )
    )
    for sent in (mail, hook):
        assert f"{figure}, due Mon 16 Nov 2026, 08:30 GMT" in sent


def test_the_scorecard_reads_business_days_of_the_department():
    from portal.insights.scorecard import minutes_words

    assert minutes_words(18 * 60, 720) == "1 business day and 6 business hours"
    assert minutes_words(None, 720) == "—"


def test_never_at_risk_with_no_time_left_and_a_due_time_gone_by(app, frozen):
    department = factories.make_department(
        slug="nine-five", key_prefix="NF", standards={Priority.NORMAL: (480, 9000)}
    )
    service = factories.make_service(department)
    requester = factories.make_user()
    monday_9 = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    sr = factories.make_request(service, requester, now=monday_9)
    evening = datetime(2026, 11, 16, 20, 0, tzinfo=UTC)  # the day's 480 minutes all used
    measured = clocks.request_clocks(sr, now=evening)
    assert measured.first_response.state is sla.ClockState.AT_RISK  # sla: not over yet
    shown = clocks.clock_figure(measured, measured.first_response, evening)
    assert shown.state == "breached" and "0 business minutes" not in shown.text
    assert clocks.badge(sr, evening).state == "breached"  # the lists agree
    # And the words of a running clock never say "0 … left".
    soon = clocks.running_figure(
        evening + timedelta(seconds=10), None, measured.calendar, evening
    )
    assert "0 business minutes left" not in soon.text


def test_the_clock_fragment_polls_and_announces_a_change_of_state(app, frozen):
    department, agent, requester, sr = world("twelve")
    client = client_as(app, requester)
    page = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    assert "every 60s" in page and "visibilitychange" in page
    assert 'id="clock-news"' in page and 'aria-live="polite"' in page

    response = client.get(
        f"/requests/{sr.key}/clock?was=on_track", headers={"HX-Request": "true"}
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    assert 'id="request-clock"' in body and "Overdue" in body
    assert 'hx-swap-oob="innerHTML:#clock-news"' in body and "overdue" in body
    # Same state as last time: nothing to announce.
    again = client.get(
        f"/requests/{sr.key}/clock?was=breached", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "hx-swap-oob" not in again
    # Without htmx: the request page.
    assert client.get(f"/requests/{sr.key}/clock").status_code == 303


def test_my_requests_are_grouped_needs_you_open_closed_newest_first(app, frozen):
    department, agent, requester, first = world("twelve")
    service = department.services[0] if department.services else None
    assert service is not None
    made = [
        factories.make_request(service, requester, now=MONDAY_8 + timedelta(hours=h), title=t)
        for h, t in [(1, "Waiting one"), (2, "Resolved one"), (3, "Closed one"), (4, "New one")]
    ]
    waiting, resolved, closed, _new = made
    lifecycle.change_status(waiting, agent, RequestStatus.WAITING, waiting.version)
    lifecycle.change_status(resolved, agent, RequestStatus.RESOLVED, resolved.version)
    lifecycle.cancel(closed, requester, closed.version)
    html = text_of(client_as(app, requester).get("/requests/mine").get_data(as_text=True))
    needs, rest = html.split("Needs you", 1)[1].split(" Open ", 1)
    open_part, closed_part = rest.split(" Closed ", 1)
    assert "Waiting one" in needs and "Resolved one" in needs
    assert needs.index("Resolved one") < needs.index("Waiting one")  # newest first
    assert open_part.index("New one") < open_part.index("Printer on fire")
    assert "Closed one" in closed_part
    # A broken cursor is no cursor.
    for junk in ("²", "-1", "x" * 500, "MjAyNi0xMS0xNlQwODowMDowMCswMDowMHzCsg"):
        assert client_as(app, requester).get(f"/requests/mine?after={junk}").status_code == 200


def test_closed_requests_come_in_keyset_pages_newest_first(app, frozen, monkeypatch):
    department, agent, requester, first = world("ten")
    service = department.services[0]
    made = []
    for n in range(5):
        sr = factories.make_request(service, requester, now=MONDAY_8 + timedelta(minutes=n))
        lifecycle.cancel(sr, requester, sr.version)
        made.append(sr.key)
    seen, after = [], None
    while True:
        page = my_list.my_requests(requester, after, limit=2)
        assert after is None or not page.open  # later pages: Closed only
        seen += [sr.key for sr in page.closed]
        if page.next_cursor is None:
            break
        after = page.next_cursor
    assert seen == made[::-1]
    # The htmx "show older" answers with rows only.
    monkeypatch.setattr(my_list, "CLOSED_PAGE_SIZE", 2)
    client = client_as(app, requester)
    html = client.get("/requests/mine").get_data(as_text=True)
    cursor = re.search(r'/requests/mine\?after=([^"&]+)', html).group(1)
    more = client.get(f"/requests/mine?after={cursor}", headers={"HX-Request": "true"})
    body = more.get_data(as_text=True)
    assert more.status_code == 200 and "<html" not in body and "<tr" in body
    assert made[2] in body and made[4] not in body


def test_ids_in_query_and_form_never_500(app, frozen):
    department, agent, requester, sr = world("ten")
    client = client_as(app, agent)
    assert client.get(f"/queue/{department.slug}?assignee=²").status_code == 200
    page = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    for value in ("²", "99999999999999999999", "-1"):
        response = client.post(
            f"/requests/{sr.key}/change",
            data={"csrf_token": token, "version": sr.version, "assignee": value},
        )
        assert response.status_code == 422


def test_a_file_where_text_is_expected_is_refused_beside_the_field(app, frozen):
    department, agent, requester, sr = world("ten")
    factories.make_field(department.services[0], "notes", "short_text", label="Notes")
    client = client_as(app, requester)
    page = client.get(f"/requests/{sr.key}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    reply = client.post(
        f"/requests/{sr.key}/reply",
        data={"csrf_token": token, "body": (BytesIO(b"hello"), "body.txt")},
        content_type="multipart/form-data",
    )
    assert reply.status_code == 422 and "Write your reply first." in reply.get_data(as_text=True)

    form_url = f"/d/{department.slug}/desk-help/request"
    form = client.get(form_url).get_data(as_text=True)
    assert re.search(r"<h1[ >]", form)  # issue 12 item 19: the full page has its heading
    form_token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', form).group(1)
    response = client.post(
        form_url,
        data={
            "csrf_token": token,
            "form_token": form_token,
            "title": "Text",
            "description": "More",
            "priority": "normal",
            "f_notes": (BytesIO(b"not text"), "notes.txt"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 422
    assert "Notes" in response.get_data(as_text=True)
