"""`portal.database.read`: reads of plain columns on the session's connection, past the
ORM's work per statement. The same rows as the session, and nothing pending missed. A
statement read a second time goes to the driver's cursor directly (compiled once per
database): the same rows and types again, the engine's events still see it, and the
driver's errors are SQLAlchemy's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import bindparam, event, func, select, text
from sqlalchemy.exc import DBAPIError, MultipleResultsFound, NoResultFound, SQLAlchemyError

from portal.database import Rows, read
from portal.extensions import db
from portal.models import Membership, MembershipRole, Notification, User
from portal.notify import inbox
from tests.statements import count_statements


def test_a_read_sees_what_the_session_holds_unflushed(app, make_user):
    erin = make_user()
    db.session.commit()
    db.session.add(Notification(user_id=erin.id, topic="t", text="One"))  # not flushed
    assert inbox.unread_count(erin) == 1  # the autoflush the ORM would have done
    db.session.rollback()
    assert inbox.unread_count(erin) == 0


def test_a_read_gives_the_rows_and_types_the_session_gives(app, make_user):
    erin = make_user()
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    db.session.add_all(
        [Notification(user_id=erin.id, topic="t", text=f"n{i}", created_at=at) for i in range(3)]
    )
    db.session.commit()
    statement = (
        select(Notification.id, Notification.text, Notification.created_at)
        .where(Notification.user_id == bindparam("user_id"))
        .order_by(Notification.id)
    )
    through_orm = db.session.execute(statement, {"user_id": erin.id}).all()
    through_read = read(statement, {"user_id": erin.id}).all()
    assert through_read == through_orm and len(through_read) == 3
    assert [row.text for row in through_read] == ["n0", "n1", "n2"]
    assert through_read[0].created_at.replace(tzinfo=UTC) == at  # a datetime, not a string
    counted = select(func.count()).select_from(Notification)
    assert read(counted).scalar() == db.session.scalar(counted) == 3


def test_the_notifications_page_counts_the_unread_once(app, client, login, make_user):
    erin = make_user()
    db.session.add_all([Notification(user_id=erin.id, topic="t", text="Hi") for _ in range(2)])
    db.session.commit()
    login(erin)
    with count_statements() as sent:
        response = client.get("/notifications")
    assert response.status_code == 200
    counts = [s for s in sent if "count(*)" in s.lower() and "notification" in s.lower()]
    assert len(counts) == 1  # the header shows the page's own count
    assert '<span class="count-badge">2<span class="visually-hidden"> unread' in response.text


# Read twice, as a page reads its statements built once: the first read goes SQLAlchemy's
# way, the second (and every later one) the prepared way.
_PEOPLE = (
    select(
        User.id, User.name, User.active, Membership.role, Notification.created_at,
        func.count().label("n"),
    )
    .join(Membership, Membership.user_id == User.id)
    .outerjoin(Notification, Notification.user_id == User.id)
    .where(User.id.in_(bindparam("ids", expanding=True)), User.active == bindparam("active"))
    .group_by(User.id, User.name, User.active, Membership.role, Notification.created_at)
    .order_by(User.id)
)


def test_a_prepared_read_gives_the_rows_and_types_the_session_gives(
    app, make_user, make_department
):
    team = make_department()
    people = [make_user(roles={team: "agent" if i else "manager"}) for i in range(3)]
    at = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
    db.session.add(Notification(user_id=people[0].id, topic="t", text="n", created_at=at))
    db.session.commit()
    ids = [p.id for p in people]
    for wanted in (ids, ids[:1], [], ids[::-1], ids):  # lists of every length, twice over
        params = {"ids": wanted, "active": True}
        through_orm = db.session.execute(_PEOPLE, params).all()
        for _ in range(2):
            rows = read(_PEOPLE, params)
            assert rows == through_orm and len(rows) == len(wanted)
    first = read(_PEOPLE, {"ids": ids, "active": True})[0]
    assert first.role is MembershipRole.MANAGER  # the enum, not its stored text
    assert first.active is True  # a bool, not SQLite's 1
    assert first.created_at.replace(tzinfo=UTC) == at  # a datetime, not a string
    assert first._mapping["name"] == people[0].name and first.n == 1
    assert read(_PEOPLE, {"ids": ids, "active": False}) == []


def test_a_prepared_read_is_seen_by_the_engines_events(app, make_user):
    erin = make_user()
    db.session.add(Notification(user_id=erin.id, topic="t", text="One"))
    db.session.commit()
    assert erin.id  # loaded again after the commit, before counting
    for _ in range(2):  # SQLAlchemy's way, then the prepared way
        with count_statements() as sent:
            assert inbox.unread_count(erin) == 1
        assert len(sent) == 1 and "from notification" in sent[0].lower()
    # A listener that keeps its own attribute on the context and reads the statement back
    # (as Flask-SQLAlchemy's query recording does) works on a prepared read too.
    recorded: list[str] = []

    def started(conn, cursor, statement, parameters, context, executemany):
        context.started = statement

    def ended(conn, cursor, statement, parameters, context, executemany):
        recorded.append(context.started == context.statement == statement)

    event.listen(db.engine, "before_cursor_execute", started)
    event.listen(db.engine, "after_cursor_execute", ended)
    try:
        assert inbox.unread_count(erin) == 1
    finally:
        event.remove(db.engine, "before_cursor_execute", started)
        event.remove(db.engine, "after_cursor_execute", ended)
    assert recorded == [True]


def test_a_prepared_text_read_keeps_the_drivers_column_names(app, make_user):
    erin = make_user()
    statement = text("SELECT id, name AS who FROM user_account WHERE id = :id")
    for _ in range(2):
        (row,) = read(statement, {"id": erin.id})
        assert (row.id, row.who) == (erin.id, erin.name)


def test_a_driver_error_in_a_prepared_read_is_sqlalchemys(app, make_user):
    broken = text("SELECT no_such_column FROM user_account")
    for _ in range(2):
        with pytest.raises(DBAPIError):
            read(broken)
        db.session.rollback()  # PostgreSQL ends the transaction on an error
    needs_a_value = select(User.id).where(User.id == bindparam("id"))
    for _ in range(2):
        with pytest.raises(SQLAlchemyError, match="value is required"):
            read(needs_a_value)


def test_rows_answer_as_a_result_would():
    rows = Rows([(1, "a"), (2, "b")])
    assert rows.all() == [(1, "a"), (2, "b")] and rows.first() == (1, "a")
    assert rows.scalar() == 1 and rows.scalars().all() == [1, 2]
    with pytest.raises(MultipleResultsFound):
        rows.one()
    with pytest.raises(MultipleResultsFound):
        rows.one_or_none()
    empty = Rows()
    assert empty.first() is None and empty.scalar() is None and empty.one_or_none() is None
    with pytest.raises(NoResultFound):
        empty.one()
    assert Rows([(7, "x")]).scalar_one() == 7 and empty.scalar_one_or_none() is None


# Named like a Row's own method (count), twice (name), and by a name that is no identifier.
_NAMED = select(
    User.id,
    User.name,
    User.name.label("count"),
    Notification.text.label("name"),
    func.count().label("two words"),
).outerjoin(Notification, Notification.user_id == User.id).where(
    User.id == bindparam("id")
).group_by(User.id, User.name, Notification.text)


def test_a_prepared_row_answers_by_name_as_sqlalchemy_s_row_does(app, make_user):
    import pickle

    erin = make_user(name="Erin Example")
    db.session.add(Notification(user_id=erin.id, topic="t", text="Hi"))
    db.session.commit()
    first = read(_NAMED, {"id": erin.id}).one()  # SQLAlchemy's own Row
    second = read(_NAMED, {"id": erin.id}).one()  # the prepared read's
    assert type(second) is not type(first)  # its columns are properties of its class
    assert second == first and second.id == first.id == erin.id
    assert second._mapping["two words"] == first._mapping["two words"] == 1
    assert second.count == first.count == "Erin Example"  # Row's own rule for "count"
    for row in (first, second):
        with pytest.raises(SQLAlchemyError, match="Ambiguous column name 'name'"):
            row.name  # noqa: B018 - two columns are called "name"
    kept = pickle.loads(pickle.dumps(second))  # noqa: S301 - our own row, as a cache keeps it
    assert kept == second and kept.id == erin.id and kept._mapping["two words"] == 1
