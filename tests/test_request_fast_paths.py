"""The fast paths behave as the slow ones did: a submission writes the same rows (in
few statements, most of them before the write lock), "my requests" merges two index
reads without repeats or gaps, and SQLite writers take turns on a lock file."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from portal import database
from portal.extensions import db
from portal.models import (
    EventKind,
    ListStamp,
    Notification,
    OutboxMessage,
    Priority,
    RequestEvent,
    ServiceRequest,
)
from portal.notify import outbox
from portal.service_requests import list_cache
from portal.service_requests.services import mine, submission
from tests import factories


@pytest.fixture
def desk(app, worlds):
    world = worlds.it_desk(standards=None, people=("ivan",))
    olga = factories.make_user(
        name="Olga Agent", email="olga@example.com", roles={world.it: "agent"}
    )
    world.agents = [world.ivan, olga]
    world.erin = worlds.person("erin")
    return world


def submit(desk, actor, requester=None, title="Laptop"):
    return submission.submit_request(
        desk["service"],
        actor,
        submission.Submission(
            title=title,
            description="Please",
            priority=Priority.NORMAL,
            form_token=submission.new_form_token(),
            requester=requester,
        ),
    )[0]


class Statements:
    """Counts the statements sent to the database while active."""

    def __init__(self):
        self.sent: list[str] = []

    def __enter__(self):
        event.listen(db.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(db.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args):
        self.sent.append(statement)


def test_a_submission_writes_its_request_event_emails_notice_and_stamps(app, desk):
    erin = desk["erin"]
    sr = submit(desk, erin)
    assert (sr.key, sr.number, sr.version) == ("IT-1", 1, 1)
    db.session.expire_all()
    stored = db.session.get(ServiceRequest, sr.id)
    assert stored.key == "IT-1" and stored.requester_id == erin.id and stored.due_at is not None
    [created] = db.session.scalars(select(RequestEvent).where(RequestEvent.request_id == sr.id))
    assert created.kind is EventKind.CREATED and created.actor_id == erin.id
    mails = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.recipient for m in mails] == ["ivan@example.com", "olga@example.com", erin.email]
    assert mails[0].subject == "New request IT-1: Laptop"
    assert mails[2].body.startswith("Hello Erin,") and "/requests/IT-1" in mails[2].body
    assert all(m.status.value == "pending" and m.attempts == 0 for m in mails)
    [notice] = db.session.scalars(select(Notification))
    assert (notice.user_id, notice.link) == (erin.id, "/requests/IT-1")
    scopes = set(db.session.scalars(select(ListStamp.scope)))
    assert {f"department:{desk['it'].id}", f"person:{erin.id}"} <= scopes


def test_a_submission_on_someones_behalf_says_who_filed_it(app, desk):
    agent = desk["agents"][0]
    sr = submit(desk, agent, requester=desk["erin"])
    [created] = db.session.scalars(select(RequestEvent).where(RequestEvent.request_id == sr.id))
    assert created.body == "Filed by Ivan Agent on behalf of Erin Requester"
    scopes = set(db.session.scalars(select(ListStamp.scope)))
    assert {f"person:{agent.id}", f"person:{desk['erin'].id}"} <= scopes


def test_a_submission_holds_the_write_lock_for_its_writes_only(app, desk):
    submit(desk, desk["erin"], title="Warm-up")  # stamps exist after the first
    with Statements() as statements:
        submit(desk, desk["erin"])
    sent = [s.split()[0].upper() for s in statements.sent]
    # The write transaction starts with taking the key (after BEGIN IMMEDIATE on SQLite;
    # PostgreSQL begins implicitly): from there on, only writes.
    start = next(i for i, s in enumerate(statements.sent) if s.startswith("UPDATE department"))
    assert all(kind == "INSERT" for kind in sent[start + 1 :]), statements.sent
    assert len(sent) - start <= 6  # counter, request, stamps, event, e-mails, notice
    assert len(sent) <= 12


def test_the_same_form_token_twice_still_gives_one_request(app, desk):
    data = submission.Submission("Once", "Please", Priority.NORMAL, submission.new_form_token())
    first, created = submission.submit_request(desk["service"], desk["erin"], data)
    again, created_again = submission.submit_request(desk["service"], desk["erin"], data)
    assert created and not created_again and again.id == first.id
    assert db.session.scalar(select(func.count()).select_from(ServiceRequest)) == 1


def test_my_requests_merges_mine_and_those_filed_for_me_newest_first_without_repeats(
    app, desk, make_user
):
    erin, agent = desk["erin"], desk["agents"][0]
    made = []
    for n in range(7):
        actor, requester = (agent, erin) if n % 3 == 0 else (erin, None)
        made.append(submit(desk, actor, requester=requester, title=f"R{n}").id)
    submit(desk, agent, title="Ivan's own")
    seen, before = [], None
    while True:
        page = mine.my_requests(erin, before, limit=3)
        seen += [sr.id for sr in page.rows]
        if page.next_cursor is None:
            break
        before = page.next_cursor
    assert seen == sorted(made, reverse=True)
    # Ivan filed three of them for Erin: they are in his list too, beside his own.
    assert len(mine.my_requests(agent).rows) == 4


def test_outbox_bulk_writers_keep_the_single_writers_rules(app, desk):
    outbox.enqueue_emails([])
    outbox.notify_users([])
    with pytest.raises(ValueError):
        outbox.notify_users([(desk["erin"].id, "t", "x", "https://elsewhere.example/")])
    outbox.enqueue_emails([("a@example.com", "S" * 400, "Body", "t", None)])
    outbox.notify_users([(desk["erin"].id, "t", "x" * 600, "/requests/IT-1")])
    db.session.commit()
    mail = db.session.scalar(select(OutboxMessage))
    assert len(mail.subject) == 300 and mail.dedupe_key is None and mail.next_attempt_at
    assert len(db.session.scalar(select(Notification)).text) == 500


def test_sqlite_writers_take_turns_on_a_lock_file(app, desk, tmp_path):
    if db.engine.dialect.name != "sqlite":
        pytest.skip("a lock file is for SQLite files only")
    order: list[str] = []
    inside = threading.Event()
    release = threading.Event()

    def first():
        with app.app_context(), database.write_transaction():
            order.append("first in")
            inside.set()
            release.wait(5)
            order.append("first out")

    def second():
        inside.wait(5)
        with app.app_context(), database.write_transaction():
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(5)
    threads[1].join(0.3)  # the second waits for its turn...
    assert order == ["first in"]
    release.set()
    for thread in threads:
        thread.join(10)
    assert order == ["first in", "first out", "second in"]  # ...and goes as soon as it can


def test_a_nested_write_transaction_does_not_wait_for_itself(app, desk):
    with database.write_transaction(), database._sqlite_writers_turn():
        list_cache.bump(db.session, ["department:999"])
    assert db.session.scalar(select(ListStamp.version).where(ListStamp.scope == "department:999"))
