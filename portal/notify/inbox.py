"""A person's in-app notices: the list, the unread count in the header, marking read.

Every function takes the owner: nobody reads or marks another person's notices."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, func, select, update

from portal.core import clock
from portal.core.errors import NotFound
from portal.database import read, write_transaction
from portal.extensions import db
from portal.models import Notification, User

PAGE_SIZE = 30

# Built once: every page's header counts the unread, and a statement built per call costs
# more Python than the count itself (its cache key is worked out again each time).
_UNREAD = (
    select(func.count())
    .select_from(Notification)
    .where(Notification.user_id == bindparam("user_id"), Notification.read_at.is_(None))
)
_NEWEST = (
    select(Notification)
    .where(Notification.user_id == bindparam("user_id"))
    .order_by(Notification.id.desc())
    .limit(bindparam("limit"))
)
_NEWEST_BEFORE = _NEWEST.where(Notification.id < bindparam("before"))


def unread_count(user: User) -> int:
    """One count over the (user_id, read_at, id) index."""
    return read(_UNREAD, {"user_id": user.id}).scalar() or 0


@dataclass
class InboxPage:
    notices: list[Notification]
    next_cursor: int | None
    unread: int


def inbox(user: User, before: int | None = None, limit: int = PAGE_SIZE) -> InboxPage:
    """Newest first, keyset by id."""
    params = {"user_id": user.id, "limit": limit + 1}
    if before is None:
        rows = list(db.session.scalars(_NEWEST, params))
    else:
        rows = list(db.session.scalars(_NEWEST_BEFORE, {**params, "before": before}))
    more = len(rows) > limit
    rows = rows[:limit]
    return InboxPage(rows, rows[-1].id if more and rows else None, unread_count(user))


def mark_read(user: User, notification_id: int, now: datetime | None = None) -> Notification:
    notice = db.session.get(Notification, notification_id)
    if notice is None or notice.user_id != user.id:
        raise NotFound(notification_id)
    with write_transaction():
        if notice.read_at is None:
            notice.read_at = clock.now(now)
    return notice


def mark_all_read(user: User, now: datetime | None = None) -> int:
    with write_transaction():
        return db.session.execute(
            update(Notification)
            .where(Notification.user_id == user.id, Notification.read_at.is_(None))
            .values(read_at=clock.now(now))
        ).rowcount
