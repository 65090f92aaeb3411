""" "My requests": what a person asked for or had filed for them, in three groups.

**Needs you** (waiting on you, resolved and waiting for your confirmation, a rating asked
and not given), **Open**, **Closed**; each newest first by creation time. Needs you and
Open are what a person has on the go and come whole; Closed grows for ever and comes in
keyset pages (created_at, id).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Integer, and_, bindparam, exists, not_, or_, select, union
from sqlalchemy.orm import load_only

from portal.core import clock
from portal.core.ids import parse_id
from portal.directory.calendars import calendars_of
from portal.extensions import db
from portal.models import (
    Department,
    RatingInvite,
    RequestStatus,
    SatisfactionRating,
    ServiceRequest,
    User,
)
from portal.sla import BusinessCalendar

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
    # The rows' department names, and the open rows' departments' calendars, by id.
    department_names: dict[int, str] = field(default_factory=dict)
    calendars: dict[int, BusinessCalendar] = field(default_factory=dict)

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


# The statements are built once, with parameters: built per request, their fourteen
# ranges cost more Python than the database spends reading them.
_PERSON = bindparam("person")
_LIMIT = bindparam("limit", type_=Integer)
_NEWEST = (ServiceRequest.created_at.desc(), ServiceRequest.id.desc())
_RATING_ASKED = and_(  # an unused rating link of the last two weeks, no rating given yet
    exists().where(
        RatingInvite.request_id == ServiceRequest.id,
        RatingInvite.used_at.is_(None),
        RatingInvite.created_at >= bindparam("asked_since"),
    ),
    not_(exists().where(SatisfactionRating.request_id == ServiceRequest.id)),
)
_OLDER = or_(  # after a cursor: older than its (created_at, id)
    ServiceRequest.created_at < bindparam("at"),
    and_(ServiceRequest.created_at == bindparam("at"), ServiceRequest.id < bindparam("last_id")),
)


def _newest_first(ranges: list[tuple]):
    """A person's newest requests in these (status, *conditions) ranges, "limit" at most.

    Read from the two indexes (requester_id, status, created_at, id) and (filed_by_id,
    status, created_at, id): one ordered range per person column and status, each cut at
    the limit, merged. One OR over both columns would make the database fetch every
    request the person ever had (a thousand for a busy one) for each group."""
    ids = union(
        *(
            select(
                select(ServiceRequest.id)
                .where(column == _PERSON, ServiceRequest.status == status, *conditions)
                .order_by(*_NEWEST)
                .limit(_LIMIT)
                .subquery()
                .c.id
            )
            for column in (ServiceRequest.requester_id, ServiceRequest.filed_by_id)
            for status, *conditions in ranges
        )
    )
    return (
        select(ServiceRequest, *_PLACE)
        .join(Department, Department.id == ServiceRequest.department_id)
        .where(ServiceRequest.id.in_(ids))
        .order_by(*_NEWEST)
        .limit(_LIMIT)
        .options(load_only(*_SHOWN))
    )


# What a row shows (its key, title, status, department, clock and date), and its
# department's name and where it is (its calendar's time zone and holidays).
_SHOWN = (
    ServiceRequest.key,
    ServiceRequest.title,
    ServiceRequest.status,
    ServiceRequest.department_id,
    ServiceRequest.created_at,
    ServiceRequest.due_at,
    ServiceRequest.at_risk_at,
)
_PLACE = (
    Department.name,
    Department.timezone,
    Department.holiday_country,
    Department.holiday_subdivision,
)


_NEEDS_YOU = _newest_first(
    [*((s,) for s in _NEEDS_YOU_STATUSES), (RequestStatus.CLOSED, _RATING_ASKED)]
)
_OPEN = _newest_first([(s,) for s in _OPEN_STATUSES])
_CLOSED = {
    older: _newest_first(
        [
            (RequestStatus.CLOSED, not_(_RATING_ASKED), *older),
            (RequestStatus.CANCELLED, *older),
        ]
    )
    for older in ((), (_OLDER,))
}


class _Rows:
    """The groups' rows as read, with their departments' names and places."""

    def __init__(self, values: dict) -> None:
        self.values = values
        self.names: dict[int, str] = {}
        self.places: dict[int, tuple] = {}

    def read(self, statement, **values) -> list[ServiceRequest]:
        rows = []
        for sr, name, *place in db.session.execute(statement, {**self.values, **values}):
            rows.append(sr)
            self.names[sr.department_id] = name
            self.places[sr.department_id] = tuple(place)
        return rows

    def calendars(self, rows: list[ServiceRequest], around: date) -> dict:
        """The calendars the open rows' running clocks read (their hours and closures
        read as rows: two statements, no objects)."""
        running = {sr.department_id for sr in rows if sr.status in _OPEN_STATUSES}
        return calendars_of({i: self.places[i] for i in running}, around)


def my_requests(
    user: User, after: str | None = None, limit: int | None = None, now: datetime | None = None
) -> MinePage:
    """The three groups; with a cursor, only the next page of Closed."""
    now = clock.now(now)
    limit = limit or CLOSED_PAGE_SIZE
    rows = _Rows({"person": user.id, "asked_since": now - timedelta(days=RATING_ASK_DAYS)})
    needs_you: list[ServiceRequest] = []
    on_the_go: list[ServiceRequest] = []
    cursor = decode_cursor(after)
    if cursor is None:
        needs_you = rows.read(_NEEDS_YOU, limit=ON_THE_GO_LIMIT)
        on_the_go = rows.read(_OPEN, limit=ON_THE_GO_LIMIT)
        closed = rows.read(_CLOSED[()], limit=limit + 1)
    else:
        older = {"at": cursor[0], "last_id": cursor[1]}
        closed = rows.read(_CLOSED[(_OLDER,)], limit=limit + 1, **older)
    next_cursor = encode_cursor(closed[limit - 1]) if len(closed) > limit else None
    closed = closed[:limit]
    return MinePage(
        needs_you,
        on_the_go,
        closed,
        next_cursor,
        after if cursor else None,
        rows.names,
        rows.calendars(on_the_go, now.date()),
    )


def has_requests(user: User) -> bool:
    return bool(db.session.scalar(select(exists().where(_theirs(user)))))
