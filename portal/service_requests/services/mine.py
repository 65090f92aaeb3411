""" "My requests": what a person asked for or had filed for them, in three groups.

**Needs you** (waiting on you, resolved and waiting for your confirmation, a rating asked
and not given), **Open**, **Closed**; each newest first by creation time. Needs you and
Open are what a person has on the go and come whole; Closed grows for ever and comes in
keyset pages (created_at, id).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import datetime, timedelta

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
_OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.IN_PROGRESS, RequestStatus.AWAITING_APPROVAL)
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
# The statements are built once, with parameters: built per request, their sixteen
# ranges cost more Python than the database spends reading them.
_PERSON = bindparam("person")
_ON_THE_GO = bindparam("on_the_go", type_=Integer)  # Needs you and Open: each whole
_HISTORY = bindparam("history", type_=Integer)  # Closed: a page (and one more)
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
    """A person's newest requests in these (status, limit, *conditions) ranges, with
    whether a rating is asked for and their departments' names and places.

    Read from the two indexes (requester_id, status, created_at, id) and (filed_by_id,
    status, created_at, id): one ordered range per person column and status, each cut at
    its limit, merged. One OR over both columns would make the database fetch every
    request the person ever had (a thousand for a busy one) for each group."""
    ids = union(
        *(
            select(
                select(ServiceRequest.id)
                .where(column == _PERSON, ServiceRequest.status == status, *conditions)
                .order_by(*_NEWEST)
                .limit(limit)
                .subquery()
                .c.id
            )
            for column in (ServiceRequest.requester_id, ServiceRequest.filed_by_id)
            for status, limit, *conditions in ranges
        )
    )
    return (
        select(ServiceRequest, _RATING_ASKED.label("asked"), *_PLACE)
        .join(Department, Department.id == ServiceRequest.department_id)
        .where(ServiceRequest.id.in_(ids))
        .order_by(*_NEWEST)
        .options(load_only(*_SHOWN))
    )


_S = RequestStatus
_FIRST_PAGE = _newest_first(  # the three groups in one statement
    [
        (_S.WAITING, _ON_THE_GO),
        (_S.RESOLVED, _ON_THE_GO),
        (_S.CLOSED, _ON_THE_GO, _RATING_ASKED),
        (_S.NEW, _ON_THE_GO),
        (_S.AWAITING_APPROVAL, _ON_THE_GO),
        (_S.IN_PROGRESS, _ON_THE_GO),
        (_S.CLOSED, _HISTORY, not_(_RATING_ASKED)),
        (_S.CANCELLED, _HISTORY),
    ]
)
_OLDER_CLOSED = _newest_first(
    [(_S.CLOSED, _HISTORY, not_(_RATING_ASKED), _OLDER), (_S.CANCELLED, _HISTORY, _OLDER)]
)


def my_requests(
    user: User,
    after: str | None = None,
    limit: int | None = None,
    now: datetime | None = None,
    *,
    with_calendars: bool = True,
) -> MinePage:
    """The three groups; with a cursor, only the next page of Closed. The open rows'
    calendars (for their running clocks) unless `with_calendars` is off (the API's list
    gives the due time stored on each request)."""
    now = clock.now(now)
    limit = limit or CLOSED_PAGE_SIZE
    values = {
        "person": user.id,
        "asked_since": now - timedelta(days=RATING_ASK_DAYS),
        "on_the_go": ON_THE_GO_LIMIT,
        "history": limit + 1,
    }
    cursor = decode_cursor(after)
    if cursor is not None:
        values.update(at=cursor[0], last_id=cursor[1])
    statement = _FIRST_PAGE if cursor is None else _OLDER_CLOSED
    groups: dict[str, list[ServiceRequest]] = {"needs_you": [], "open": [], "closed": []}
    names: dict[int, str] = {}
    places: dict[int, tuple] = {}
    for sr, asked, name, *place in db.session.execute(statement, values):
        if sr.status in _NEEDS_YOU_STATUSES or (sr.status is _S.CLOSED and asked):
            groups["needs_you"].append(sr)
        elif sr.status in _OPEN_STATUSES:
            groups["open"].append(sr)
        else:
            groups["closed"].append(sr)
        names[sr.department_id] = name
        places[sr.department_id] = tuple(place)
    closed = groups["closed"]
    next_cursor = encode_cursor(closed[limit - 1]) if len(closed) > limit else None
    on_the_go = groups["open"][:ON_THE_GO_LIMIT]
    # The open rows' running clocks read their departments' calendars: their hours and
    # closures read as rows (two statements, no objects).
    running = {sr.department_id: places[sr.department_id] for sr in on_the_go}
    return MinePage(
        groups["needs_you"][:ON_THE_GO_LIMIT],
        on_the_go,
        closed[:limit],
        next_cursor,
        after if cursor else None,
        names,
        calendars_of(running, now.date()) if with_calendars else {},
    )


def has_requests(user: User) -> bool:
    return bool(db.session.scalar(select(exists().where(_theirs(user)))))
