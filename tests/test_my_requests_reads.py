"""Issue 13, speed: "my requests" reads its three groups, with their rows' department
names, from the (person, status, created_at) indexes in one statement, and the hours and
closures of the open rows' departments in two more, as rows, however many departments
the rows are in; what each group holds stays as it was (a closed request whose rating is
asked for is in Needs you)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from portal.extensions import db
from portal.feedback import ratings
from portal.models import RequestStatus
from portal.service_requests.services import lifecycle
from portal.service_requests.services import mine as my_list
from tests import factories

START = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


class Statements:
    """The statements sent to the database while active, with their parameters."""

    def __init__(self):
        self.sent: list[tuple[str, object]] = []

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn, _cursor, statement, parameters, *_args):
        self.sent.append((statement, parameters))


def requests_in(departments: int, requester, agent_of):
    """In each of `departments` departments: one waiting, one open, one closed (and
    rated), one cancelled request of `requester`, the last filed for them by an agent."""
    made = []
    for n in range(departments):
        department = factories.make_department()
        service = factories.make_service(department)
        agent = factories.make_user(roles={department: "agent"})
        agent_of[department.id] = agent
        at = START + timedelta(hours=n)
        rows = [
            factories.make_request(service, requester, now=at + timedelta(minutes=m))
            for m in range(3)
        ]
        rows.append(
            factories.make_request(
                service, requester, now=at + timedelta(minutes=3), filed_by=agent, on_behalf=True
            )
        )
        waiting, _open, closed, cancelled = rows
        lifecycle.change_status(waiting, agent, RequestStatus.WAITING, waiting.version)
        lifecycle.change_status(closed, agent, RequestStatus.RESOLVED, closed.version)
        lifecycle.confirm(closed, requester, closed.version)
        ratings.rate(requester, closed, "4")  # rated: no longer asked, so in Closed
        lifecycle.cancel(cancelled, requester, cancelled.version)
        made += rows
    return made


@pytest.mark.parametrize("departments", [2, 6])
def test_my_requests_reads_in_the_same_few_statements_whatever_the_departments(app, departments):
    requester = factories.make_user()
    requests_in(departments, requester, {})
    db.session.expire_all()
    assert requester.id  # the person is loaded by signing in, before the page
    with Statements() as statements:
        page = my_list.my_requests(requester)
        names = {sr.department_id: page.department_names[sr.department_id] for sr in page.rows}
        assert all(names.values())
        assert all(page.calendars[sr.department_id].weekly_hours for sr in page.open)
        assert {sr.department_id for sr in page.open} == set(page.calendars)
    assert (len(page.needs_you), len(page.open), len(page.closed)) == (
        departments,
        departments,
        2 * departments,
    )
    # The three groups (with their departments' names) in one, the hours and closures of
    # the open rows' departments in two (the first reshaped version sent 8 here: three
    # per group, then the calendars).
    selects = [s for s, _ in statements.sent if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) <= 3, "\n".join(s[:300].replace("\n", " ") for s in selects)


def test_the_groups_are_read_from_the_status_indexes_not_an_or_over_the_table(app):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    requester = factories.make_user()
    requests_in(1, requester, {})
    db.session.expire_all()
    with Statements() as statements:
        my_list.my_requests(requester)
    [(statement, parameters)] = [(s, p) for s, p in statements.sent if "service_request" in s]
    plan = " | ".join(
        row[3]
        for row in db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters
        )
    )
    assert "MULTI-INDEX OR" not in plan and "SCAN service_request" not in plan, plan
    assert "ix_service_request_requester_status_created" in plan, plan
    assert "ix_service_request_filed_by_status_created" in plan, plan


def test_a_closed_request_whose_rating_is_asked_for_is_in_needs_you_until_rated(app):
    requester = factories.make_user()
    agent_of = {}
    requests_in(1, requester, agent_of)
    [agent] = agent_of.values()
    page = my_list.my_requests(requester)
    sr = page.open[0]
    lifecycle.change_status(sr, agent, RequestStatus.RESOLVED, sr.version)  # asks for a rating
    lifecycle.confirm(sr, requester, sr.version)
    page = my_list.my_requests(requester)
    assert sr in page.needs_you and sr not in page.closed
    ratings.rate(requester, sr, "5")
    page = my_list.my_requests(requester)
    assert sr in page.closed and sr not in page.needs_you
