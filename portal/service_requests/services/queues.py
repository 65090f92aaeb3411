"""A department's queue: tabs with counts, filters, nearest due first, keyset pages."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import selectinload

from portal import sla
from portal.core import clock
from portal.core.errors import NotFound
from portal.directory.calendars import calendars_of
from portal.extensions import db
from portal.models import (
    OPEN_STATUSES,
    Department,
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


def _tab_condition(tab: str, viewer: User, now: datetime):
    running = ServiceRequest.status.in_([RequestStatus.NEW, RequestStatus.IN_PROGRESS])
    return {
        QueueTab.NEW: ServiceRequest.status == RequestStatus.NEW,
        QueueTab.MINE: and_(
            ServiceRequest.assignee_id == viewer.id, ServiceRequest.status.in_(list(OPEN_STATUSES))
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


@dataclass(frozen=True)
class QueueFilters:
    tab: str = QueueTab.OPEN
    priority: Priority | None = None
    assignee_id: int | None = None  # 0: unassigned
    after: str | None = None  # keyset cursor


@dataclass(frozen=True)
class QueuePage:
    rows: list[ServiceRequest]
    counts: dict[str, int]
    next_cursor: str | None
    filters: QueueFilters
    department: Department | None = None
    people: list[User] = field(default_factory=list)  # for the assignee filter
    next_change: datetime | None = None  # the next instant a row turns at risk or overdue
    # The department's calendar by id, read once as rows for every row's badge.
    calendars: dict[int, sla.BusinessCalendar] = field(default_factory=dict)


def _encode_cursor(sr: ServiceRequest) -> str:
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


def _queue_counts(department: Department, viewer: User, now: datetime) -> dict[str, int]:
    """The tab counts, each read from an index: by status (department, status), the due
    ones by due time (department, due_at) — only running requests have a due time — and
    the viewer's own by assignee."""
    base = ServiceRequest.department_id == department.id
    by_status = dict(
        db.session.execute(
            select(ServiceRequest.status, func.count())
            .where(
                base,
                ServiceRequest.status.in_(
                    [*OPEN_STATUSES, RequestStatus.RESOLVED, RequestStatus.BLOCKED]
                ),
            )
            .group_by(ServiceRequest.status)
        ).all()
    )
    # The three other counts in one statement, each a subquery on its own index.
    breached, at_risk, mine = db.session.execute(
        select(
            select(func.count()).where(base, ServiceRequest.due_at <= now).scalar_subquery(),
            select(func.count())
            .where(base, ServiceRequest.due_at > now, ServiceRequest.at_risk_at <= now)
            .scalar_subquery(),
            select(func.count())
            .where(
                ServiceRequest.assignee_id == viewer.id,
                ServiceRequest.status.in_(list(OPEN_STATUSES)),
                base,
            )
            .scalar_subquery(),
        )
    ).one()
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
    row = db.session.execute(_QUEUE_ENTRY, {"slug": slug, "user_id": viewer.id}).first()
    if row is None:
        return None
    if not (viewer.is_admin or row.role is not None):
        raise NotFound
    stamps = f"{row.all_version or 0}.{row.department_version or 0}"
    return QueueEntry(row.id, row.slug, row.name, row.accent, stamps)


def next_clock_change(department: Department, now: datetime | None = None) -> datetime | None:
    """The next instant a request of the department turns at risk or breached (what the
    queue's badges and tab counts follow), from the two due-time indexes."""
    now = clock.now(now)
    base = ServiceRequest.department_id == department.id
    instants = db.session.execute(  # one statement, each minimum from its own index
        select(
            select(func.min(ServiceRequest.due_at))
            .where(base, ServiceRequest.due_at > now)
            .scalar_subquery(),
            select(func.min(ServiceRequest.at_risk_at))
            .where(base, ServiceRequest.at_risk_at > now)
            .scalar_subquery(),
        )
    ).one()
    found = [clock.aware(at) for at in instants if at is not None]
    return min(found, default=None)


def rows_clock_change(rows: list[ServiceRequest], now: datetime | None = None) -> datetime | None:
    """The next instant the badge of one of these requests changes state."""
    now = clock.now(now)
    found = [
        clock.aware(at)
        for sr in rows
        for at in (sr.due_at, sr.at_risk_at)
        if at is not None and clock.aware(at) > now
    ]
    return min(found, default=None)


def department_people(department: Department) -> list[User]:
    """Everyone in the department, for the queue's assignee filter."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.department_id == department.id)
            .order_by(User.name)
        )
    )


def queue(
    department: Department, viewer: User, filters: QueueFilters, now: datetime | None = None
) -> QueuePage:
    """A department's queue for its members: nearest due first (nothing due last)."""
    now = clock.now(now)
    check_queue_access(department, viewer)
    base = ServiceRequest.department_id == department.id
    counts = _queue_counts(department, viewer, now)

    query = select(ServiceRequest).where(base, _tab_condition(filters.tab, viewer, now))
    if filters.priority is not None:
        query = query.where(ServiceRequest.priority == filters.priority)
    if filters.assignee_id == 0:
        query = query.where(ServiceRequest.assignee_id.is_(None))
    elif filters.assignee_id:
        query = query.where(ServiceRequest.assignee_id == filters.assignee_id)
    # Two reads in the order of the (department_id, due_at, id) index: what is due, nearest
    # first, then what has no due time (waiting on the requester). One ORDER BY with NULLs
    # last would make the database sort every open request of the department instead.
    cursor = _decode_cursor(filters.after)
    wanted = QUEUE_PAGE_SIZE + 1
    options = (selectinload(ServiceRequest.requester), selectinload(ServiceRequest.assignee))
    rows: list[ServiceRequest] = []
    if cursor is None or cursor[0] is not None:
        due_query = query.where(ServiceRequest.due_at.is_not(None))
        if cursor is not None:
            due, last_id = cursor
            due_query = due_query.where(
                or_(
                    ServiceRequest.due_at > due,
                    and_(ServiceRequest.due_at == due, ServiceRequest.id > last_id),
                )
            )
        rows = list(
            db.session.scalars(
                due_query.order_by(ServiceRequest.due_at, ServiceRequest.id)
                .limit(wanted)
                .options(*options)
            )
        )
    if len(rows) < wanted:
        undue_query = query.where(ServiceRequest.due_at.is_(None))
        if cursor is not None and cursor[0] is None:
            undue_query = undue_query.where(ServiceRequest.id > cursor[1])
        rows += list(
            db.session.scalars(
                undue_query.order_by(ServiceRequest.id).limit(wanted - len(rows)).options(*options)
            )
        )
    next_cursor = _encode_cursor(rows[QUEUE_PAGE_SIZE - 1]) if len(rows) > QUEUE_PAGE_SIZE else None
    return QueuePage(rows[:QUEUE_PAGE_SIZE], counts, next_cursor, filters)


def queue_of(
    department_id: int, viewer: User, filters: QueueFilters, now: datetime | None = None
) -> QueuePage:
    """The whole queue page of a department (by id, from `queue_entry`): the rows, the
    people to filter by and the next instant its badges change."""
    department = db.session.get(Department, department_id)
    if department is None:
        raise NotFound
    page = queue(department, viewer, filters, now)
    place = (department.timezone, department.holiday_country, department.holiday_subdivision)
    return replace(
        page,
        department=department,
        people=department_people(department),
        next_change=next_clock_change(department, now),
        calendars=calendars_of({department.id: place}, clock.now(now).date()),
    )
