""" "My requests": what a person asked for or had filed for them, in three groups.

**Needs you** (waiting on you, resolved and waiting for your confirmation, a rating asked
and not given), **Open**, **Closed**; each newest first by creation time. Needs you and
Open are what a person has on the go and come whole; Closed grows for ever and comes in
keyset pages (created_at, id).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, not_, or_, select, union
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from portal.core import clock
from portal.core.ids import parse_id
from portal.extensions import db
from portal.models import (
    Department,
    RatingInvite,
    RequestStatus,
    SatisfactionRating,
    ServiceRequest,
    User,
)

CLOSED_PAGE_SIZE = 20  # history: the newest twenty, then "show older"
ON_THE_GO_LIMIT = 200
RATING_ASK_DAYS = 14  # a rating link works for two weeks
_NEEDS_YOU_STATUSES = (RequestStatus.WAITING, RequestStatus.RESOLVED)
_OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.IN_PROGRESS)
_CLOSED_STATUSES = (RequestStatus.CLOSED, RequestStatus.CANCELLED)


@dataclass(frozen=True)
class MinePage:
    needs_you: list[ServiceRequest]
    open: list[ServiceRequest]
    closed: list[ServiceRequest]
    next_cursor: str | None  # the next page of Closed
    after: str | None = None  # this page's cursor (None: the first page)

    @property
    def rows(self) -> list[ServiceRequest]:
        return [*self.needs_you, *self.open, *self.closed]


def encode_cursor(sr: ServiceRequest) -> str:
    raw = f"{clock.aware(sr.created_at).isoformat()}|{sr.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[datetime, int] | None:
    """(created_at, id) from a cursor, or None for anything that is not one."""
    if not cursor or len(cursor) > 120:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at_text, id_text = raw.split("|", 1)
        at = datetime.fromisoformat(at_text)
    except (ValueError, UnicodeDecodeError):
        return None
    request_id = parse_id(id_text)
    if at.tzinfo is None or request_id is None:
        return None
    return at, request_id


def _theirs(user: User):
    return or_(ServiceRequest.requester_id == user.id, ServiceRequest.filed_by_id == user.id)


def _rating_asked(now: datetime):
    """An unused rating link of the last two weeks, and no rating given yet."""
    return and_(
        exists().where(
            RatingInvite.request_id == ServiceRequest.id,
            RatingInvite.used_at.is_(None),
            RatingInvite.created_at >= now - timedelta(days=RATING_ASK_DAYS),
        ),
        not_(exists().where(SatisfactionRating.request_id == ServiceRequest.id)),
    )


_NEWEST = (ServiceRequest.created_at.desc(), ServiceRequest.id.desc())


def _newest_first(user: User, ranges: list[tuple], limit: int) -> list[ServiceRequest]:
    """The user's newest requests in these (status, *conditions) ranges, `limit` at most.

    Read from the two indexes (requester_id, status, created_at, id) and (filed_by_id,
    status, created_at, id): one ordered range per person column and status, each cut at
    `limit`, merged. One OR over both columns would make the database fetch every request
    the person ever had (a thousand for a busy one) for each group."""
    ids = union(
        *(
            select(
                select(ServiceRequest.id)
                .where(column == user.id, ServiceRequest.status == status, *conditions)
                .order_by(*_NEWEST)
                .limit(limit)
                .subquery()
                .c.id
            )
            for column in (ServiceRequest.requester_id, ServiceRequest.filed_by_id)
            for status, *conditions in ranges
        )
    )
    query = select(ServiceRequest).where(ServiceRequest.id.in_(ids)).order_by(*_NEWEST)
    return list(db.session.scalars(query.limit(limit)))


def _with_departments(groups: list[list[ServiceRequest]]) -> None:
    """The rows' departments in one statement, handed to each row, with the hours and
    closures a running clock's figure reads (two more, for the open rows' departments)."""
    rows = [sr for group in groups for sr in group]
    running = {sr.department_id for sr in rows if sr.status in _OPEN_STATUSES}
    others = {sr.department_id for sr in rows} - running
    calendars = (selectinload(Department.opening_hours), selectinload(Department.closures))
    found: dict[int, Department] = {}
    for ids, options in ((running, calendars), (others, ())):
        if ids:
            query = select(Department).where(Department.id.in_(ids)).options(*options)
            found.update((d.id, d) for d in db.session.scalars(query))
    for sr in rows:
        set_committed_value(sr, "department", found[sr.department_id])


def my_requests(
    user: User, after: str | None = None, limit: int | None = None, now: datetime | None = None
) -> MinePage:
    """The three groups; with a cursor, only the next page of Closed."""
    now = clock.now(now)
    limit = limit or CLOSED_PAGE_SIZE
    asked = _rating_asked(now)
    needs_you: list[ServiceRequest] = []
    on_the_go: list[ServiceRequest] = []
    cursor = decode_cursor(after)
    if cursor is None:
        needs_you = _newest_first(
            user,
            [*((s,) for s in _NEEDS_YOU_STATUSES), (RequestStatus.CLOSED, asked)],
            ON_THE_GO_LIMIT,
        )
        on_the_go = _newest_first(user, [(s,) for s in _OPEN_STATUSES], ON_THE_GO_LIMIT)
    older = []
    if cursor is not None:
        at, last_id = cursor
        older.append(
            or_(
                ServiceRequest.created_at < at,
                and_(ServiceRequest.created_at == at, ServiceRequest.id < last_id),
            )
        )
    closed_ranges = [
        (RequestStatus.CLOSED, not_(asked), *older),
        (RequestStatus.CANCELLED, *older),
    ]
    closed = _newest_first(user, closed_ranges, limit + 1)
    _with_departments([needs_you, on_the_go, closed])
    next_cursor = encode_cursor(closed[limit - 1]) if len(closed) > limit else None
    return MinePage(needs_you, on_the_go, closed[:limit], next_cursor, after if cursor else None)


def has_requests(user: User) -> bool:
    return bool(db.session.scalar(select(exists().where(_theirs(user)))))
