"""Scorecard, overview and export pages; suggestion pages; the department strip."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.feedback import ratings
from portal.insights import rollup
from portal.models import Priority, RequestStatus, SearchMiss, Suggestion, SuggestionVote
from portal.service_requests.services import conversation, lifecycle
from tests import factories, worlds
from tests.conftest import csrf_token_from
from tests.statements import count_statements


@pytest.fixture
def org(app):
    world = worlds.it_desk(
        hours=(time(0), time(23, 59)),
        weekdays=range(7),
        standards={Priority.NORMAL: (240, 960)},
        laptop=("laptop", "Laptop"),
        laptop_options={"keywords": "computer notebook"},
        people=("iris", "ivan", "hugo", "erin"),
    )
    service, ivan, erin = world.laptop, world.ivan, world.erin
    now = datetime.now(UTC) - timedelta(days=3)
    for i in range(6):
        sr = factories.make_request(
            service, erin, now=now + timedelta(minutes=i), title=f'=HYPERLINK("x") {i}'
        )
        conversation.reply(sr, ivan, "On it", now=now + timedelta(minutes=30 + i))
        lifecycle.change_status(sr, ivan, RequestStatus.RESOLVED, now=now + timedelta(hours=2))
        ratings.rate(erin, sr, str(3 + i % 3), "fine", now=now + timedelta(hours=3))
    factories.make_request(service, erin)  # one open
    rollup.refresh(full=True)
    return world


def test_scorecard_page_shows_promise_and_delivery_with_accessible_charts(org, client, login):
    login(org["erin"])
    response = client.get("/d/it/scorecard")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "How IT keeps its promises" in page
    assert "within 4 business hours" in page
    assert "100%" in page  # all six first replies within the promise
    assert "4.0 / 5" in page  # ratings 3, 4, 5, 3, 4, 5
    assert 'role="img"' in page and '<title id="chart-first-title">' in page
    assert '<desc id="chart-first-desc">' in page and "the figures as a table" in page
    assert "scorecard.csv" not in page  # not a manager


def test_the_scorecard_offers_its_exports_by_the_role_read_with_the_sign_in(org, client, login):
    """Its managers and portal admins see the export links, its agents, other departments'
    managers and colleagues do not; the role comes with the person's sign-in (no statement
    of its own on department_membership) and the rollup's refresh instant is read once for
    the whole page (its figures and Who asked both key by it)."""
    admin = factories.make_user(name="Ada Admin", email="ada@example.com", is_admin=True)
    db.session.commit()
    for person, offered in [
        (org["iris"], True),
        (admin, True),
        (org["ivan"], False),
        (org["hugo"], False),
        (org["erin"], False),
    ]:
        login(person)
        with count_statements() as statements:
            page = client.get("/d/it/scorecard").get_data(as_text=True)
        assert ("/d/it/scorecard.csv" in page) is offered, person.name
        assert ("/d/it/requests.csv" in page) is offered, person.name
        memberships = [s for s in statements if "department_membership" in s]
        assert len(memberships) == 1, memberships  # the person's own, with their sign-in
        assert sum("FROM insights_state" in s for s in statements) == 1


def test_scorecard_window_switch_is_a_fragment(org, client, login):
    login(org["erin"])
    response = client.get("/d/it/scorecard?days=90", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert "Last 90 days" in body
    assert "HX-Request" in response.headers["Vary"]
    assert client.get("/d/nope/scorecard").status_code == 404


def test_the_rating_counts_after_the_next_refresh(org, client, login):
    login(org["erin"])
    before = client.get("/d/it/scorecard").get_data(as_text=True)
    assert "6 ratings" in before
    sr = factories.make_request(org["it"].services[0], org["erin"])
    lifecycle.change_status(sr, org["ivan"], RequestStatus.RESOLVED)
    ratings.rate(org["erin"], sr, "4", "Good")
    assert "6 ratings" in client.get("/d/it/scorecard").get_data(as_text=True)
    rollup.refresh()
    assert "7 ratings" in client.get("/d/it/scorecard").get_data(as_text=True)


def test_export_is_for_managers_and_neutralises_formulas(org, client, login):
    login(org["hugo"])
    assert client.get("/d/it/requests.csv").status_code == 404
    assert client.get("/d/it/scorecard.csv").status_code == 404
    login(org["ivan"])
    assert client.get("/d/it/requests.csv").status_code == 404
    login(org["iris"])
    response = client.get("/d/it/requests.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][0] == "key" and len(rows) == 8
    assert all(r[1].startswith("'=") for r in rows[1:7])
    card = client.get("/d/it/scorecard.csv").get_data(as_text=True)
    assert card.startswith("window_days,priority")
    assert "check" not in card.lower()


def test_overview_lists_departments_sortable_and_unfound_searches(org, client, login):
    db.session.add(SearchMiss(query="notebook docking", count=7))
    db.session.add(SearchMiss(query="parking permit", count=3))
    db.session.commit()
    login(org["erin"])
    page = client.get("/insights").get_data(as_text=True)
    assert "IT" in page and "HR" in page
    assert "“notebook docking”" in page
    fragment = client.get("/insights?sort=satisfaction", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in body
    assert body.index(">IT<") < body.index(">HR<")
    assert 'aria-sort="descending"' in body
    assert client.get("/insights?sort=evil").status_code == 200


def test_the_overview_reads_a_fixed_number_of_statements_however_many_departments(
    org, client, login
):
    login(org["erin"])

    def statements() -> int:
        with count_statements() as seen:
            assert client.get("/insights").status_code == 200
        return len(seen)

    few = statements()
    for n in range(8):
        factories.make_department(name=f"Extra {n}", slug=f"extra-{n}")
    assert statements() == few


def test_department_page_has_the_strip(org, client, login):
    login(org["erin"])
    page = client.get("/d/it").get_data(as_text=True)
    assert "How we're doing" in page
    assert "/d/it/scorecard" in page


def test_header_links_to_insights(org, client, login):
    login(org["erin"])
    assert 'href="/insights"' in client.get("/").get_data(as_text=True)


# Suggestions ---------------------------------------------------------------------------


def test_post_vote_once_and_answer_through_the_pages(org, client, login):
    login(org["erin"])
    token = csrf_token_from(client.get("/d/it/suggestions").get_data(as_text=True))
    empty = client.post(
        "/d/it/suggestions",
        data={"title": " ", "body": "kept body", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert empty.status_code == 422 and "kept body" in empty.get_data(as_text=True)
    posted = client.post(
        "/d/it/suggestions", data={"title": "Bags <b>please</b>", "csrf_token": token}
    )
    assert posted.status_code == 303
    suggestion = db.session.scalars(select(Suggestion)).one()
    login(org["hugo"])
    vote_url = f"/d/it/suggestions/{suggestion.id}/vote"
    first = client.post(vote_url, data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert first.status_code == 200 and "1 vote" in first.get_data(as_text=True)
    assert "<html" not in first.get_data(as_text=True)
    second = client.post(vote_url, data={"csrf_token": token}, headers={"HX-Request": "true"})
    assert second.status_code == 409 and "already voted" in second.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SuggestionVote)) == 1
    status_url = f"/d/it/suggestions/{suggestion.id}/status"
    assert (
        client.post(
            status_url, data={"status": "done", "reply": "x", "csrf_token": token}
        ).status_code
        == 404
    )
    login(org["ivan"])
    no_reply = client.post(status_url, data={"status": "done", "reply": "", "csrf_token": token})
    assert no_reply.status_code == 422
    done = client.post(
        status_url, data={"status": "done", "reply": "Bags arrive Monday", "csrf_token": token}
    )
    assert done.status_code == 303
    page = client.get("/d/it/suggestions").get_data(as_text=True)
    assert "You said" in page and "Bags arrive Monday" in page
    assert "Bags &lt;b&gt;please&lt;/b&gt;" in page
    assert (
        client.post(
            f"/d/hr/suggestions/{suggestion.id}/vote", data={"csrf_token": token}
        ).status_code
        == 404
    )


def test_the_weekly_first_reply_chart_draws_the_promise_as_a_line(org, client, login):
    """Six normal requests each answered in 30 minutes against a 4-hour promise: one bar,
    the promise a dashed line two thirds up a six-hour scale, both in words too."""
    login(org["erin"])
    page = client.get("/d/it/scorecard").get_data(as_text=True)
    chart = page[page.index('<title id="chart-first-time-title">') :]
    chart = chart[: chart.index("</figure>")]
    assert "Median first reply to normal requests, by week" in chart
    assert "a line marks the promise, promise: 4 business hours" in chart
    assert '<line class="chart__promise" x1="48" x2="632" y1="64.0" y2="64.0">' in chart
    assert ">Promise: 4 business hours</text>" in chart
    assert ">6 h</text>" in chart and ">3 h</text>" in chart
    assert chart.count('class="chart__bar"') == 1
    assert ">30 business minutes<" in chart  # the week's median, in its table


def test_without_a_normal_promise_there_is_no_line_to_draw(org, client, login):
    from portal.models import ResponseStandard

    db.session.execute(ResponseStandard.__table__.delete())
    db.session.commit()
    login(org["erin"])
    page = client.get("/d/it/scorecard").get_data(as_text=True)
    assert "chart-first-time" not in page and "chart-first-title" in page
