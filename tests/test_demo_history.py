"""The demo's request history is replayed in memory and written in bulk
(portal/demo/replay.py) for a fast `flask seed-demo`. It must be what the live services
would have written: a sample replayed both ways, leading up to the same moment, gives
the same rows; and every request of the full demo carries the due instants the live
clocks compute from its own timeline."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, event, select, update

from portal.demo import request_history
from portal.demo.loader import load_demo_organisation
from portal.demo.replay import Replay
from portal.extensions import db
from portal.models import (
    ApprovalStep,
    Department,
    EventKind,
    ListStamp,
    Notification,
    OutboxMessage,
    RatingInvite,
    RequestEvent,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.service_requests import clocks
from portal.service_requests.services import conversation, jobs, lifecycle, submission

pytestmark = pytest.mark.slow  # loads the demo organisation and request histories (CI runs it)


class LiveReplay(Replay):
    """Every step through its service, one transaction each (as the loader used to)."""

    def file(self, service, requester, data, now):
        sr, created = submission.submit_request(service, requester, data, now=now)
        assert created
        return sr

    def pick_up(self, sr, agent, now):
        lifecycle.pick_up(sr, agent, now=now)

    def reply(self, sr, actor, body, now):
        conversation.reply(sr, actor, body, now=now)

    def add_note(self, sr, agent, body, now):
        conversation.add_note(sr, agent, body, now=now)

    def change_status(self, sr, agent, status, now, body=""):
        lifecycle.change_status(sr, agent, status, now=now, body=body)

    def cancel(self, sr, requester, now):
        lifecycle.cancel(sr, requester, now=now)

    def confirm(self, sr, requester, now):
        lifecycle.confirm(sr, requester, now=now)

    def autoclose(self, now):
        jobs.autoclose(now=now)

    def write(self):
        pass


def _organisation():
    departments = {d.slug: d for d in db.session.scalars(select(Department))}
    people = {u.email: u for u in db.session.scalars(select(User).order_by(User.id))}
    return departments, people


def _forget_history():
    for model in (RequestEvent, RatingInvite, ServiceRequest, OutboxMessage, Notification):
        db.session.execute(delete(model))
    db.session.execute(delete(ListStamp))
    db.session.execute(update(Department).values(request_counter=0))
    db.session.commit()


def _snapshot() -> dict:
    table = ServiceRequest.__table__
    skip = {"id", "version"}  # ids may differ; versions are checked below
    requests = {
        row.key: {c: v for c, v in row._mapping.items() if c not in skip}
        for row in db.session.execute(select(table))
    }
    key_of = dict(db.session.execute(select(ServiceRequest.id, ServiceRequest.key)).all())
    events: dict[str, list[tuple]] = {}  # each request's timeline, in id order
    for e in db.session.scalars(select(RequestEvent).order_by(RequestEvent.id)):
        events.setdefault(key_of[e.request_id], []).append(
            (e.at, e.actor_id, e.kind, e.body, e.internal, e.from_value, e.to_value)
        )
    invites = sorted(
        (key_of[i.request_id], i.created_at) for i in db.session.scalars(select(RatingInvite))
    )
    changed = {
        key: version
        for key, version in db.session.execute(select(ServiceRequest.key, ServiceRequest.version))
    }
    scopes = set(db.session.scalars(select(ListStamp.scope)))
    return {
        "requests": requests,
        "events": events,
        "invites": invites,
        "versions": changed,
        "scopes": scopes,
    }


def test_the_bulk_history_writes_what_the_services_write(app, monkeypatch):
    # A sample (every department, Erin's requests, every kind of step), not all 548.
    monkeypatch.setattr(request_history, "PER_DEPARTMENT", 12)
    monkeypatch.setattr(request_history, "BUSY_DEPARTMENTS", {"it": 40, "hr": 20})
    load_demo_organisation(with_history=False)
    # The history files without approvals (portal/demo/approvals.py adds those after it):
    # the live services compared with it must not hold a purchase for its approver.
    db.session.execute(delete(ApprovalStep))
    db.session.commit()
    now = datetime.now(UTC).replace(second=0, microsecond=0)

    _forget_history()
    live_summary = request_history.load_request_history(
        *_organisation(), now=now, replay=LiveReplay()
    )
    live = _snapshot()
    _forget_history()
    fast_summary = request_history.load_request_history(*_organisation(), now=now)
    fast = _snapshot()

    assert fast_summary == live_summary
    assert len(live["requests"]) > 100
    # A service stamps `updated_at` with the clock of the moment it runs when its last
    # write to the row only moved the due instants (the column's onupdate): replayed
    # back-dated, that is the seed's own time. The bulk replay keeps the story's time,
    # the request's last event.
    last_event = {key: _utc(timeline[-1][0]) for key, timeline in fast["events"].items()}
    for key, row in live["requests"].items():
        if _utc(row["updated_at"]) > now:
            row["updated_at"] = last_event[key]
        row["updated_at"] = _utc(row["updated_at"])
        fast["requests"][key]["updated_at"] = _utc(fast["requests"][key]["updated_at"])
    assert fast["requests"] == live["requests"]  # status, assignee, instants, due times
    assert fast["events"] == live["events"]  # the same timelines
    assert fast["invites"] == live["invites"]  # a rating asked for at every resolution
    assert fast["scopes"] == live["scopes"]  # the same cached lists moved on
    kinds = {event[2] for timeline in fast["events"].values() for event in timeline}
    assert {EventKind.CREATED, EventKind.ASSIGNEE, EventKind.NOTE, EventKind.STATUS} <= kinds
    # A version moves with every change (the count of UPDATEs may differ: only
    # equality with what a form sent back matters).
    for key, version in fast["versions"].items():
        assert (version > 1) == (live["versions"][key] > 1), key
    assert not db.session.scalars(select(OutboxMessage.topic)).all()


def _utc(at: datetime | None) -> datetime | None:
    return at.replace(tzinfo=UTC) if at is not None and at.tzinfo is None else at


def test_every_demo_request_is_due_when_the_live_clocks_say(app):
    load_demo_organisation()
    rows = db.session.scalars(select(ServiceRequest).order_by(ServiceRequest.id)).all()
    assert len(rows) == 548 + 12 + 6  # the history, the new starters' children, approvals
    running = 0
    for sr in rows:
        due, at_risk = _utc(sr.due_at), _utc(sr.at_risk_at)
        last = db.session.scalar(
            select(RequestEvent.at)
            .where(RequestEvent.request_id == sr.id, RequestEvent.kind != EventKind.NOTE)
            .order_by(RequestEvent.id.desc())
            .limit(1)
        )
        clocks.refresh_due(sr, _utc(last))  # the live computation, from the stored timeline
        assert (_utc(sr.due_at), _utc(sr.at_risk_at)) == (due, at_risk), sr.key
        if sr.status in (RequestStatus.NEW, RequestStatus.IN_PROGRESS):
            assert due is not None, sr.key
            running += 1
        elif sr.status is not RequestStatus.WAITING:
            assert due is None, sr.key
    assert running > 10
    db.session.rollback()


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 12, 6, 4, 0, tzinfo=UTC),  # a Sunday morning (CI once found none waiting)
        datetime(2026, 12, 5, 23, 30, tzinfo=UTC),  # Saturday night
        datetime(2026, 12, 7, 8, 0, tzinfo=UTC),  # Monday, before opening
        datetime(2026, 12, 9, 14, 0, tzinfo=UTC),  # a Wednesday afternoon
    ],
)
def test_the_history_has_every_status_whatever_day_it_is_loaded(app, now):
    load_demo_organisation(with_history=False)
    request_history.load_request_history(*_organisation(), now=now)
    statuses = set(db.session.scalars(select(ServiceRequest.status).distinct()))
    # "Waiting on another request" belongs to bundles' children (demo/bundles.py); awaiting
    # approval comes after the history, from portal/demo/approvals.py.
    expected = set(RequestStatus) - {RequestStatus.BLOCKED, RequestStatus.AWAITING_APPROVAL}
    assert statuses == expected, statuses


@pytest.mark.slow  # two sample histories
def test_the_history_is_the_same_whatever_order_the_database_reads_rows_in(app, monkeypatch):
    """The seeded draws pick services and staff by position, so the history read them in a
    stated order: PostgreSQL returned them in whatever order its plan gave, and a plan can
    change between two loads. SQLite's reverse_unordered_selects turns every unstated
    order around."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reverse_unordered_selects is SQLite's")
    monkeypatch.setattr(request_history, "PER_DEPARTMENT", 8)
    monkeypatch.setattr(request_history, "BUSY_DEPARTMENTS", {"it": 30})
    load_demo_organisation(with_history=False)
    now = datetime(2026, 12, 9, 14, 0, tzinfo=UTC)

    def shape() -> list:
        request_history.load_request_history(*_organisation(), now=now)
        return db.session.execute(
            select(ServiceRequest.key, ServiceRequest.status, ServiceRequest.service_id,
                   ServiceRequest.assignee_id, ServiceRequest.requester_id)
            .order_by(ServiceRequest.key)
        ).all()

    def reversed_reads(conn) -> None:
        conn.exec_driver_sql("PRAGMA reverse_unordered_selects = 1")

    first = shape()
    _forget_history()
    event.listen(db.engine, "begin", reversed_reads)
    try:
        second = shape()
    finally:
        event.remove(db.engine, "begin", reversed_reads)
        db.session.connection().exec_driver_sql("PRAGMA reverse_unordered_selects = 0")
        db.session.commit()
    assert second == first
