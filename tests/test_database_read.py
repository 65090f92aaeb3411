"""`portal.database.read`: reads of plain columns on the session's connection, past the
ORM's work per statement. The same rows as the session, and nothing pending missed."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import bindparam, func, select

from portal.database import read
from portal.extensions import db
from portal.models import Notification
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
