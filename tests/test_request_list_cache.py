"""Queues and "my requests" are served from a cache of rendered lists, filed under
version stamps that every change to a request bumps in its own transaction: the next
reader after a committed change never sees the list as it was before."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select, update

from portal.extensions import db
from portal.models import ListStamp, Priority, RequestStatus, ServiceRequest
from portal.service_requests import list_cache
from portal.service_requests.services import conversation, jobs, lifecycle, mine, queues, submission
from tests import factories, worlds
from tests.conftest import CSRF_PATTERN
from tests.conftest import signed_in_client as client_for


@pytest.fixture
def desk(cached_app):
    world = worlds.it_desk(hours=(time(0), time(23, 59)), standards=None, people=("ivan",), hr=True)
    world.hr_agent = factories.make_user(
        name="Hugo Hr", email="hugo@example.com", roles={world.hr: "agent"}
    )
    world.erin = worlds.person("erin")
    return world


def without_tokens(html: str) -> str:
    """The page without its CSRF tokens (signed with the second they were made in)."""
    for match in CSRF_PATTERN.finditer(html):
        html = html.replace(match.group(1) or match.group(2), "")
    return html


def submit(desk, title: str, actor=None, requester=None) -> ServiceRequest:
    sr, _ = submission.submit_request(
        desk["service"],
        actor or desk["erin"],
        submission.Submission(
            title=title,
            description="Please",
            priority=Priority.NORMAL,
            form_token=submission.new_form_token(),
            requester=requester,
        ),
    )
    return sr


def stamp(scope: str) -> int | None:
    db.session.expire_all()
    return db.session.scalar(select(ListStamp.version).where(ListStamp.scope == scope))


def test_a_new_request_shows_in_the_queue_and_my_requests_at_once(cached_app, desk):
    agent = client_for(cached_app, desk["agent"])
    erin = client_for(cached_app, desk["erin"])
    submit(desk, "First laptop")
    assert "First laptop" in agent.get("/queue/it").get_data(as_text=True)
    assert "First laptop" in erin.get("/requests/mine").get_data(as_text=True)
    submit(desk, "Second laptop")
    queue = agent.get("/queue/it").get_data(as_text=True)
    mine = erin.get("/requests/mine").get_data(as_text=True)
    assert "Second laptop" in queue and "First laptop" in queue
    assert "Second laptop" in mine


def test_the_list_is_served_from_the_cache_while_nothing_changes(cached_app, desk, monkeypatch):
    agent = client_for(cached_app, desk["agent"])
    submit(desk, "Cached laptop")
    first = agent.get("/queue/it").get_data(as_text=True)
    erin = client_for(cached_app, desk["erin"])
    mine_first = erin.get("/requests/mine")

    def fail(*args, **kwargs):
        raise AssertionError("the list was read again although nothing changed")

    monkeypatch.setattr(queues, "queue", fail)
    monkeypatch.setattr(mine, "my_requests", fail)
    again = agent.get("/queue/it")
    assert again.status_code == 200 and without_tokens(again.get_data(as_text=True)) == (
        without_tokens(first)
    )
    mine_again = erin.get("/requests/mine")
    assert without_tokens(mine_again.get_data(as_text=True)) == without_tokens(
        mine_first.get_data(as_text=True)
    )
    # The same list as an htmx fragment: the block alone, from the cache too.
    fragment = agent.get("/queue/it", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.get_data(as_text=True)


def test_every_kind_of_change_shows_to_the_next_reader(cached_app, desk):
    agent = client_for(cached_app, desk["agent"])
    erin = client_for(cached_app, desk["erin"])
    sr = submit(desk, "Changing laptop")
    assert "New" in agent.get("/queue/it?tab=new").get_data(as_text=True)
    assert 'class="count">1<' in agent.get("/queue/it?tab=new").get_data(as_text=True)

    lifecycle.pick_up(sr, desk["agent"])
    page = agent.get("/queue/it?tab=new").get_data(as_text=True)
    assert "Changing laptop" not in page  # no longer new
    assert "In progress" in erin.get("/requests/mine").get_data(as_text=True)

    lifecycle.change_status(sr, desk["agent"], RequestStatus.WAITING)
    assert "Paused" in erin.get("/requests/mine").get_data(as_text=True)
    assert "Paused" in agent.get("/queue/it").get_data(as_text=True)

    conversation.reply(sr, desk["erin"], "Here it is")
    assert "Paused" not in erin.get("/requests/mine").get_data(as_text=True)

    lifecycle.transfer(sr, desk["agent"], desk["hr"])
    assert "Changing laptop" not in agent.get("/queue/it").get_data(as_text=True)
    hugo = client_for(cached_app, desk["hr_agent"])
    assert "Changing laptop" in hugo.get("/queue/hr").get_data(as_text=True)
    assert "HR" in erin.get("/requests/mine").get_data(as_text=True)


def test_a_request_filed_on_my_behalf_shows_in_my_list_at_once(cached_app, desk):
    erin = client_for(cached_app, desk["erin"])
    assert "Filed for Erin" not in erin.get("/requests/mine").get_data(as_text=True)
    submit(desk, "Filed for Erin", actor=desk["agent"], requester=desk["erin"])
    assert "Filed for Erin" in erin.get("/requests/mine").get_data(as_text=True)


def test_stamps_move_in_the_changing_transaction_and_not_on_rollback(cached_app, desk):
    sr = submit(desk, "Stamped")
    it_scope = list_cache.department_scope(desk["it"].id)
    erin_scope = list_cache.person_scope(desk["erin"].id)
    before = stamp(it_scope), stamp(erin_scope)
    assert None not in before

    sr.title = "Changed but not kept"
    db.session.flush()
    db.session.rollback()
    assert (stamp(it_scope), stamp(erin_scope)) == before

    lifecycle.change_priority(sr, desk["agent"], Priority.HIGH)
    assert stamp(it_scope) == before[0] + 1 and stamp(erin_scope) == before[1] + 1


def test_a_bulk_update_of_requests_moves_every_list_on(cached_app, desk):
    submit(desk, "Bulk")
    before = stamp(list_cache.ALL)
    db.session.execute(
        update(ServiceRequest)
        .values(title="Bulk changed")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    assert stamp(list_cache.ALL) != before
    agent = client_for(cached_app, desk["agent"])
    assert "Bulk changed" in agent.get("/queue/it").get_data(as_text=True)


def test_autoclose_shows_at_once(cached_app, desk):
    sr = submit(desk, "Closing soon")
    lifecycle.change_status(sr, desk["agent"], RequestStatus.RESOLVED)
    erin = client_for(cached_app, desk["erin"])
    assert "Resolved" in erin.get("/requests/mine").get_data(as_text=True)
    assert jobs.autoclose(now=datetime.now(UTC) + timedelta(days=30)) == 1
    assert "Closed" in erin.get("/requests/mine").get_data(as_text=True)


def test_a_cached_queue_is_still_404_for_people_outside_the_department(cached_app, desk):
    submit(desk, "Private laptop")
    assert client_for(cached_app, desk["agent"]).get("/queue/it").status_code == 200
    assert client_for(cached_app, desk["erin"]).get("/queue/it").status_code == 404
    assert client_for(cached_app, desk["hr_agent"]).get("/queue/it").status_code == 404
    # Each person's own list: Ivan's cached "my requests" is not Erin's.
    assert "Private laptop" not in client_for(cached_app, desk["agent"]).get(
        "/requests/mine"
    ).get_data(as_text=True)


def test_a_list_is_kept_no_longer_than_its_next_clock_change(cached_app, desk, monkeypatch):
    calls = []

    def build():
        calls.append(1)
        return "rendered", datetime.now(UTC) - timedelta(seconds=1)  # already changed

    assert list_cache.cached(["department:1"], "clock-test", build) == "rendered"
    assert list_cache.cached(["department:1"], "clock-test", build) == "rendered"
    assert len(calls) == 2  # not kept: its clocks changed state already

    later = datetime.now(UTC) + timedelta(minutes=5)
    assert list_cache.cached(["department:1"], "clock-later", lambda: ("later", later)) == "later"
    assert list_cache.cached(["department:1"], "clock-later", build) == "later"


def test_the_next_clock_change_is_the_nearest_due_or_at_risk_instant(cached_app, desk):
    now = datetime.now(UTC)
    first = submit(desk, "Due first")
    submit(desk, "Due later")
    expected = min(first.due_at, first.at_risk_at)
    found = queues.next_clock_change(desk["it"], now)
    assert found is not None and abs(found - expected.astimezone(UTC)) < timedelta(seconds=1)
    assert queues.rows_clock_change([first], now) == found
    assert queues.rows_clock_change([], now) is None
