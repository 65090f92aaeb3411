"""A department's queue: tabs with counts, filters, nearest due first, keyset pages."""

from __future__ import annotations

import base64
import functools
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Integer, Row, Select, and_, bindparam, case, func, or_, select, text
from sqlalchemy.orm import aliased

from portal import sla
from portal.core import clock
from portal.core.errors import NotFound
from portal.database import read
from portal.directory.calendars import calendar_for
from portal.directory.services import DepartmentOrPlain, plain_department
from portal.models import (
    OPEN_STATUSES,
    RUNNING_STATUSES,
    Guest,
    Membership,
    Priority,
    RequestStatus,
    ServiceRequest,
    User,
)
from portal.service_requests.services.access import check_queue_access

QUEUE_PAGE_SIZE = 50


class QueueTab:
    NEW = "new"
    MINE = "mine"
    WAITING = "waiting"
    AT_RISK = "at-risk"
    BREACHED = "breached"
    OPEN = "open"
    RESOLVED = "resolved"
    NOT_STARTED = "not-started"  # bundle children waiting on another request

    LABELS = {
        NEW: "New",
        MINE: "Mine",
        WAITING: "Waiting",
        AT_RISK: "At risk",
        BREACHED: "Breached",
        OPEN: "All open",
        RESOLVED: "Resolved",
        NOT_STARTED: "Not started",
    }


def _tab_condition(tab: str):
    """A tab's rows; the viewer's id and the instant are the parameters `viewer_id`, `now`."""
    now, running = bindparam("now"), ServiceRequest.status.in_(list(RUNNING_STATUSES))
    return {
        QueueTab.NEW: ServiceRequest.status == RequestStatus.NEW,
        QueueTab.MINE: and_(
            ServiceRequest.assignee_id == bindparam("viewer_id"),
            ServiceRequest.status.in_(list(OPEN_STATUSES)),
        ),
        QueueTab.WAITING: ServiceRequest.status == RequestStatus.WAITING,
        QueueTab.AT_RISK: and_(
            running, ServiceRequest.at_risk_at <= now, ServiceRequest.due_at > now
        ),
        QueueTab.BREACHED: and_(running, ServiceRequest.due_at <= now),
        QueueTab.OPEN: ServiceRequest.status.in_(list(OPEN_STATUSES)),
        QueueTab.RESOLVED: ServiceRequest.status == RequestStatus.RESOLVED,
        QueueTab.NOT_STARTED: ServiceRequest.status == RequestStatus.BLOCKED,
    }[tab]


_Requester = aliased(User, name="requester")
_Assignee = aliased(User, name="assignee")
# A queue row: only the columns a row draws, its badge and the page's cursor need, with the
# requester's and assignee's names (and a guest's organisation): plain rows, not requests
# with their people loaded as objects (50 a page). The page's requests are chosen first, on
# their own, and only those are joined to their people: PostgreSQL, which guessed 120 of a
# busy department's 2,256 open requests, joined every one of them before sorting and kept
# 51 (14 ms, against 0.4 ms for the page alone).
_PAGE_COLUMNS = (
    ServiceRequest.id,
    ServiceRequest.key,
    ServiceRequest.title,
    ServiceRequest.priority,
    ServiceRequest.status,
    ServiceRequest.department_id,
    ServiceRequest.due_at,
    ServiceRequest.at_risk_at,
)


def _with_people(page) -> Select:
    """The rows of `page` (a subquery of `_PAGE_COLUMNS` and the two people's ids) with the
    people's names, in the page's order."""
    return (
        select(
            *(page.c[column.key] for column in _PAGE_COLUMNS),
            _Requester.name.label("requester_name"),
            case((_Requester.is_guest, Guest.organisation)).label("partner"),
            _Assignee.name.label("assignee_name"),
        )
        .select_from(page)
        .join(_Requester, _Requester.id == page.c.requester_id)
        .outerjoin(Guest, Guest.user_id == _Requester.id)
        .outerjoin(_Assignee, _Assignee.id == page.c.assignee_id)
    )


#: What a queue row holds (a row of `_rows_statement`: id, key, title, priority, status,
#: department_id, due_at, at_risk_at, requester_name, partner, assignee_name); the clocks'
#: `badge` and `words_change_at` read it as they read a request.
QueueRow = Row


@functools.cache
def _rows_statement(tab: str, by_priority: bool, assignee: str | None, part: str):
    """A page of queue rows of one shape (tab, filters, which part of the order), built once
    with its values as parameters: department_id, viewer_id, now, priority, assignee_id,
    limit, and for a next page the cursor's due and last_id."""
    query = select(
        *_PAGE_COLUMNS, ServiceRequest.requester_id, ServiceRequest.assignee_id
    ).where(ServiceRequest.department_id == bindparam("department_id"), _tab_condition(tab))
    if by_priority:
        query = query.where(ServiceRequest.priority == bindparam("priority"))
    if assignee == "none":
        query = query.where(ServiceRequest.assignee_id.is_(None))
    elif assignee == "one":
        query = query.where(ServiceRequest.assignee_id == bindparam("assignee_id"))
    last_id = bindparam("last_id")
    if part.startswith("due"):
        query = query.where(ServiceRequest.due_at.is_not(None))
        if part == "due after":
            due = bindparam("due")
            query = query.where(
                or_(
                    ServiceRequest.due_at > due,
                    and_(ServiceRequest.due_at == due, ServiceRequest.id > last_id),
                )
            )
        order = (ServiceRequest.due_at, ServiceRequest.id)
    else:
        query = query.where(ServiceRequest.due_at.is_(None))
        if part == "undue after":
            query = query.where(ServiceRequest.id > last_id)
        order = (ServiceRequest.id,)
    page = query.order_by(*order).limit(bindparam("limit", type_=Integer)).subquery("page")
    return _with_people(page).order_by(*(page.c[column.key] for column in order))


@dataclass(frozen=True)
class QueueFilters:
    tab: str = QueueTab.OPEN
    priority: Priority | None = None
    assignee_id: int | None = None  # 0: unassigned
    after: str | None = None  # keyset cursor


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    counts: dict[str, int]
    next_cursor: str | None
    filters: QueueFilters
    department: DepartmentOrPlain | None = None
    people: list[Row] = field(default_factory=list)  # id and name, for the assignee filter
    next_change: datetime | None = None  # the next instant a row turns at risk or overdue
    # The department's calendar by id, read once as rows for every row's badge.
    calendars: dict[int, sla.BusinessCalendar] = field(default_factory=dict)


def _encode_cursor(sr: QueueRow) -> str:
    due = sr.due_at.astimezone(UTC).isoformat() if sr.due_at else "-"
    return base64.urlsafe_b64encode(f"{due}|{sr.id}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> tuple[datetime | None, int] | None:
    if not cursor or len(cursor) > 200:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        due_text, id_text = raw.split("|", 1)
        due = None if due_text == "-" else datetime.fromisoformat(due_text)
        if due is not None and due.tzinfo is None:
            return None
        return due, int(id_text)
    except (ValueError, UnicodeDecodeError):
        return None


# The tab counts, each read from an index: by status (department, status), the due ones by
# due time (department, due_at) — only running requests have a due time — and the
# viewer's own by assignee. Built once, with their values as parameters.
_IN_DEPARTMENT = ServiceRequest.department_id == bindparam("department_id")
_BY_STATUS = (
    select(ServiceRequest.status, func.count())
    .where(
        _IN_DEPARTMENT,
        ServiceRequest.status.in_([*OPEN_STATUSES, RequestStatus.RESOLVED, RequestStatus.BLOCKED]),
    )
    .group_by(ServiceRequest.status)
)
# The three other counts in one statement, each a subquery on its own index.
_DUE_COUNTS = select(
    select(func.count())
    .where(_IN_DEPARTMENT, ServiceRequest.due_at <= bindparam("now"))
    .scalar_subquery(),
    select(func.count())
    .where(
        _IN_DEPARTMENT,
        ServiceRequest.due_at > bindparam("now"),
        ServiceRequest.at_risk_at <= bindparam("now"),
    )
    .scalar_subquery(),
    select(func.count())
    .where(
        ServiceRequest.assignee_id == bindparam("viewer_id"),
        ServiceRequest.status.in_(list(OPEN_STATUSES)),
        _IN_DEPARTMENT,
    )
    .scalar_subquery(),
)


def _queue_counts(department: DepartmentOrPlain, viewer: User, now: datetime) -> dict[str, int]:
    values = {"department_id": department.id, "viewer_id": viewer.id, "now": now}
    by_status = dict(read(_BY_STATUS, values).all())
    breached, at_risk, mine = read(_DUE_COUNTS, values).one()
    return {
        QueueTab.NEW: by_status.get(RequestStatus.NEW, 0),
        QueueTab.MINE: mine or 0,
        QueueTab.WAITING: by_status.get(RequestStatus.WAITING, 0),
        QueueTab.AT_RISK: at_risk or 0,
        QueueTab.BREACHED: breached or 0,
        QueueTab.OPEN: sum(by_status.get(s, 0) for s in OPEN_STATUSES),
        QueueTab.RESOLVED: by_status.get(RequestStatus.RESOLVED, 0),
        QueueTab.NOT_STARTED: by_status.get(RequestStatus.BLOCKED, 0),
    }


@dataclass(frozen=True)
class QueueEntry:
    """What a queue page needs before its (cached) list: the department's own words, and
    the stamps of its list, read in the same statement as the viewer's membership."""

    id: int
    slug: str
    name: str
    accent: str
    stamps: str


_QUEUE_ENTRY = text(
    "SELECT d.id, d.slug, d.name, d.accent, m.role, "
    "(SELECT version FROM request_list_stamp WHERE scope = 'all') AS all_version, "
    "(SELECT version FROM request_list_stamp "
    " WHERE scope = 'department:' || CAST(d.id AS TEXT)) AS department_version "
    "FROM department AS d LEFT JOIN department_membership AS m "
    "ON m.department_id = d.id AND m.user_id = :user_id "
    "WHERE d.slug = :slug AND d.active"
)


def queue_entry(slug: str, viewer: User) -> QueueEntry | None:
    """The queue's department for a member or an admin (None: no such department;
    NotFound: not theirs), in one statement."""
    from portal.directory.services import is_slug

    if not is_slug(slug):
        return None
    row = read(_QUEUE_ENTRY, {"slug": slug, "user_id": viewer.id}).first()
    if row is None:
        return None
    if not (viewer.is_admin or row.role is not None):
        raise NotFound
    stamps = f"{row.all_version or 0}.{row.department_version or 0}"
    return QueueEntry(row.id, row.slug, row.name, row.accent, stamps)


_NEXT_CHANGE = select(  # one statement, each minimum from its own index
    select(func.min(ServiceRequest.due_at))
    .where(_IN_DEPARTMENT, ServiceRequest.due_at > bindparam("now"))
    .scalar_subquery(),
    select(func.min(ServiceRequest.at_risk_at))
    .where(_IN_DEPARTMENT, ServiceRequest.at_risk_at > bindparam("now"))
    .scalar_subquery(),
)


def next_clock_change(
    department: DepartmentOrPlain, now: datetime | None = None
) -> datetime | None:
    """The next instant a request of the department turns at risk or breached (what the
    queue's badges and tab counts follow), from the two due-time indexes."""
    values = {"department_id": department.id, "now": clock.now(now)}
    instants = read(_NEXT_CHANGE, values).one()
    found = [clock.aware(at) for at in instants if at is not None]
    return min(found, default=None)


def rows_clock_change(rows: list[QueueRow], now: datetime | None = None) -> datetime | None:
    """The next instant the badge of one of these requests changes state."""
    now = clock.now(now)
    found = [
        clock.aware(at)
        for sr in rows
        for at in (sr.due_at, sr.at_risk_at)
        if at is not None and clock.aware(at) > now
    ]
    return min(found, default=None)


_PEOPLE = (
    select(User.id, User.name)
    .join(Membership, Membership.user_id == User.id)
    .where(Membership.department_id == bindparam("department_id"))
    .order_by(User.name)
)


def department_people(department: DepartmentOrPlain) -> list[Row]:
    """Everyone in the department (id and name), for the queue's assignee filter."""
    return list(read(_PEOPLE, {"department_id": department.id}))


def queue(
    department: DepartmentOrPlain,
    viewer: User,
    filters: QueueFilters,
    now: datetime | None = None,
) -> QueuePage:
    """A department's queue for its members: nearest due first (nothing due last)."""
    now = clock.now(now)
    check_queue_access(department, viewer)
    counts = _queue_counts(department, viewer, now)

    # Two reads in the order of the (department_id, due_at, id) index: what is due, nearest
    # first, then what has no due time (waiting on the requester). One ORDER BY with NULLs
    # last would make the database sort every open request of the department instead.
    cursor = _decode_cursor(filters.after)
    assignee = "none" if filters.assignee_id == 0 else "one" if filters.assignee_id else None
    values = {
        "department_id": department.id,
        "viewer_id": viewer.id,
        "now": now,
        "priority": filters.priority,
        "assignee_id": filters.assignee_id,
        "limit": QUEUE_PAGE_SIZE + 1,
    }
    shape = (filters.tab, filters.priority is not None, assignee)
    rows: list[QueueRow] = []
    if cursor is None or cursor[0] is not None:
        part = "due" if cursor is None else "due after"
        if cursor is not None:
            values |= {"due": cursor[0], "last_id": cursor[1]}
        rows = list(read(_rows_statement(*shape, part), values))
    if len(rows) <= QUEUE_PAGE_SIZE:
        part = "undue after" if cursor is not None and cursor[0] is None else "undue"
        if part == "undue after":
            values["last_id"] = cursor[1]
        values["limit"] = QUEUE_PAGE_SIZE + 1 - len(rows)
        rows += read(_rows_statement(*shape, part), values)
    next_cursor = _encode_cursor(rows[QUEUE_PAGE_SIZE - 1]) if len(rows) > QUEUE_PAGE_SIZE else None
    return QueuePage(rows[:QUEUE_PAGE_SIZE], counts, next_cursor, filters)


def queue_of(
    slug: str, viewer: User, filters: QueueFilters, now: datetime | None = None
) -> QueuePage:
    """The whole queue page of a department (by the slug `queue_entry` found): the rows, the
    people to filter by and the next instant its badges change. The department is read as
    plain values with its hours and closures (`directory.services.plain_department`): the
    mapped object cost some 70 µs of ORM work, and its calendar two reads more."""
    department = plain_department(slug)
    if department is None:
        raise NotFound
    now = clock.now(now)
    page = queue(department, viewer, filters, now)
    return replace(
        page,
        department=department,
        people=department_people(department),
        next_change=next_clock_change(department, now),
        calendars={department.id: calendar_for(department, now.date())},
    )
