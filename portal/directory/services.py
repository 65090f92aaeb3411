"""Who serves what: departments, their services, promises, hours and contacts."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import groupby
from typing import NamedTuple

from sqlalchemy import Integer, Row, Select, bindparam, select
from sqlalchemy.orm import selectinload

from portal import sla
from portal.database import read
from portal.directory.calendars import (
    ClosureRow,
    HoursRow,
    calendar_for,
    calendar_rows,
)
from portal.extensions import db
from portal.models import (
    Contact,
    Department,
    Priority,
    ResponseStandard,
    Service,
    User,
)
from portal.models.directory import PRIORITY_ORDER

WEEKDAY_NAMES = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]


@dataclass(frozen=True)
class Promise:
    """A response standard in words: "first response within 4 business hours"."""

    priority: Priority
    first_response_minutes: int
    resolution_minutes: int
    day_minutes: int

    @property
    def first_response(self) -> str:
        return sla.describe_business_minutes(self.first_response_minutes, self.day_minutes)

    @property
    def resolution(self) -> str:
        return sla.describe_business_minutes(self.resolution_minutes, self.day_minutes)


@dataclass(frozen=True)
class OpenStatus:
    is_open: bool
    headline: str  # "Open now" / "Closed"
    detail: str  # "until 18:00" / "opens Monday 09:00"
    next_change: datetime | None


@dataclass(frozen=True)
class DayHours:
    weekday: str
    hours: str  # "08:00–18:00" or "Closed"
    is_today: bool


@dataclass
class ServiceListing:
    service: ServiceRow
    promise: Promise | None


@dataclass
class DepartmentPage:
    department: PlainDepartment
    categories: list[tuple[str, list[ServiceListing]]]
    promises: list[Promise]
    week: list[DayHours]
    status: OpenStatus
    next_holiday: tuple[date, str] | None
    closures_ahead: list[tuple[date, str]]
    contacts: list[ContactRow]


@dataclass
class DepartmentSummary:
    """What a department promises and whether it is open: the API's department (no
    services, no contacts)."""

    department: PlainDepartment
    promises: list[Promise]
    week: list[DayHours]
    status: OpenStatus


@dataclass(frozen=True)
class PlainDepartment:
    """A department as plain values, for read-only pages that draw it and measure in its
    business time (the scorecard, the API's department): its own columns, and its hours
    and closures as rows under the names `calendars.calendar_for` reads. Three statements
    built once, no ORM objects to build; nothing here is written back."""

    id: int
    slug: str
    name: str
    mission: str
    description: str
    accent: str
    timezone: str
    holiday_country: str | None
    holiday_subdivision: str | None
    email: str | None
    phone: str | None
    location: str | None
    chat_channel: str | None
    opening_hours: tuple[HoursRow, ...]
    closures: tuple[ClosureRow, ...]


# What the read-only parts that measure in a department's business time take: the object,
# or its plain values (the scorecard page reads those).
DepartmentOrPlain = Department | PlainDepartment


@dataclass
class ServicePage:
    service: Service
    department: Department
    promises: list[Promise]
    overridden: bool
    status: OpenStatus
    contacts: list[ContactRow] = field(default_factory=list)


def active_departments() -> Select[tuple[Department]]:
    return select(Department).where(Department.active).order_by(Department.name)


SLUG_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def is_slug(value: str) -> bool:
    """Slugs are lowercase ASCII words and hyphens; anything else names nothing."""
    return bool(SLUG_PATTERN.fullmatch(value or ""))


# Read on every department page and API call: built once, so SQLAlchemy reuses their cache
# keys and compiled forms instead of building the statements again each time.
_DEPARTMENT_BY_SLUG = (
    select(Department)
    .where(Department.slug == bindparam("slug"), Department.active)
    .options(selectinload(Department.opening_hours), selectinload(Department.closures))
)
# Response standards as plain rows of what a promise is made of (under the ORM's names):
# the departments' defaults, and the services' own.
_DEFAULT_STANDARDS = select(
    ResponseStandard.department_id,
    ResponseStandard.priority,
    ResponseStandard.first_response_minutes,
    ResponseStandard.resolution_minutes,
).where(
    ResponseStandard.department_id.in_(bindparam("ids", expanding=True)),
    ResponseStandard.service_id.is_(None),
)
_SERVICE_OVERRIDES = select(
    ResponseStandard.service_id,
    ResponseStandard.priority,
    ResponseStandard.first_response_minutes,
    ResponseStandard.resolution_minutes,
).where(ResponseStandard.service_id.in_(bindparam("ids", expanding=True)))


class ServiceRow(NamedTuple):
    """What a department's page shows of one of its services (and the API of it)."""

    id: int
    slug: str
    name: str
    summary: str | None
    category: str
    open_to_partners: bool  # a guest's page shows only these


class ContactPerson(NamedTuple):
    id: int
    name: str
    email: str
    active: bool


class ContactService(NamedTuple):
    name: str


class ContactRow(NamedTuple):
    """A contact as a department's page shows it: its person and service joined in."""

    label: str
    service: ContactService | None
    user: ContactPerson | None
    mailbox: str | None
    channel: str | None


# A department's page reads its services and contacts as rows: only what it draws, no
# objects (nor their events) for them, their people or services.
_DEPARTMENT_SERVICES = (
    select(
        Service.id,
        Service.slug,
        Service.name,
        Service.summary,
        Service.category,
        Service.open_to_partners,
    )
    .where(Service.department_id == bindparam("department_id"), Service.active)
    .order_by(Service.category, Service.position, Service.name)
)
_CONTACT_ROWS = (
    select(
        Contact.label,
        Service.name.label("service_name"),
        User.id,
        User.name,
        User.email,
        User.active,
        Contact.mailbox,
        Contact.channel,
    )
    .outerjoin(User, User.id == Contact.user_id)
    .outerjoin(Service, Service.id == Contact.service_id)
    .where(Contact.department_id == bindparam("department_id"))
)
_DEPARTMENT_CONTACTS = _CONTACT_ROWS.order_by(Contact.position, Contact.id)
# A service's page: its own contacts first, then the department's general ones.
_SERVICE_CONTACTS = _CONTACT_ROWS.where(
    (Contact.service_id == bindparam("service_id")) | Contact.service_id.is_(None)
).order_by(Contact.service_id.is_(None), Contact.position, Contact.id)


def _contact(row: Row) -> ContactRow:
    label, service_name, user_id, name, email, active, mailbox, channel = row
    return ContactRow(
        label,
        ContactService(service_name) if service_name is not None else None,
        ContactPerson(user_id, name, email, active) if user_id is not None else None,
        mailbox,
        channel,
    )

_PLAIN_ROW = select(
    Department.id,
    Department.slug,
    Department.name,
    Department.mission,
    Department.description,
    Department.accent,
    Department.timezone,
    Department.holiday_country,
    Department.holiday_subdivision,
    Department.email,
    Department.phone,
    Department.location,
    Department.chat_channel,
).where(Department.slug == bindparam("slug"), Department.active)


def plain_department(slug: str) -> PlainDepartment | None:
    """The active department named by `slug`, as plain values (None when there is none)."""
    if not is_slug(slug):
        return None
    row = read(_PLAIN_ROW, {"slug": slug}).first()
    if row is None:
        return None
    hours, closures = calendar_rows([row.id])
    return PlainDepartment(*row, tuple(hours[row.id]), tuple(closures[row.id]))


def get_department(slug: str) -> Department | None:
    if not is_slug(slug):
        return None
    return db.session.scalar(_DEPARTMENT_BY_SLUG, {"slug": slug})


def open_status(calendar: sla.BusinessCalendar, now: datetime) -> OpenStatus:
    tz = calendar.tz()
    local_now = now.astimezone(tz)
    if calendar.is_open(now):
        end = calendar.current_interval_end(now)
        until = end.astimezone(tz).strftime("%H:%M") if end else ""
        return OpenStatus(True, "Open now", f"until {until}" if until else "", end)
    opening = calendar.next_opening(now)
    if opening is None:
        return OpenStatus(False, "Closed", "no opening hours set", None)
    local_opening = opening.astimezone(tz)
    if local_opening.date() == local_now.date():
        when = f"opens today at {local_opening:%H:%M}"
    elif local_opening.date() == local_now.date() + timedelta(days=1):
        when = f"opens tomorrow at {local_opening:%H:%M}"
    elif local_opening.date() - local_now.date() < timedelta(days=7):
        when = f"opens {WEEKDAY_NAMES[local_opening.weekday()]} at {local_opening:%H:%M}"
    else:
        when = f"opens {local_opening:%a %d %b} at {local_opening:%H:%M}"
    return OpenStatus(False, "Closed", when, opening)


def week_hours(department: Department, today_weekday: int) -> list[DayHours]:
    return week_from_rows(
        ((h.weekday, h.opens, h.closes) for h in department.opening_hours), today_weekday
    )


def week_from_rows(rows, today_weekday: int) -> list[DayHours]:
    """The week's hours in words, from (weekday, opens, closes) rows."""
    by_day: dict[int, list[tuple[time, time]]] = defaultdict(list)
    for weekday, opens, closes in sorted(rows):
        by_day[weekday].append((opens, closes))
    week = []
    for weekday, name in enumerate(WEEKDAY_NAMES):
        text = (
            ", ".join(
                "all day"
                if (opens.hour, opens.minute, closes.hour, closes.minute) == (0, 0, 23, 59)
                else f"{opens:%H:%M}–{closes:%H:%M}"
                for opens, closes in by_day.get(weekday, [])
            )
            or "Closed"
        )
        week.append(DayHours(name, text, weekday == today_weekday))
    return week


def upcoming_closed_days(
    calendar: sla.BusinessCalendar, today: date, days: int = 370
) -> list[tuple[date, str]]:
    found = [
        (d, n)
        for d, n in {**calendar.holidays, **calendar.closures}.items()
        if today <= d <= today + timedelta(days=days)
    ]
    return sorted(found)


def _promises(standards: list, day_minutes: int) -> list[Promise]:
    """Promises in priority order from standards (rows or objects: their priority and
    minutes are read)."""
    by_priority = {s.priority: s for s in standards}
    return [
        Promise(
            p,
            by_priority[p].first_response_minutes,
            by_priority[p].resolution_minutes,
            day_minutes,
        )
        for p in PRIORITY_ORDER
        if p in by_priority
    ]


def _department_defaults(department_ids: list[int]) -> dict[int, list[Row]]:
    """Each department's default response standards, as rows (`_DEFAULT_STANDARDS`)."""
    result: dict[int, list[Row]] = defaultdict(list)
    if not department_ids:
        return result
    for standard in read(_DEFAULT_STANDARDS, {"ids": list(department_ids)}):
        result[standard.department_id].append(standard)
    return result


def _service_overrides(service_ids: list[int]) -> dict[int, list[Row]]:
    """Each service's own response standards, as rows (`_SERVICE_OVERRIDES`)."""
    result: dict[int, list[Row]] = defaultdict(list)
    if not service_ids:
        return result
    for standard in read(_SERVICE_OVERRIDES, {"ids": list(service_ids)}):
        result[standard.service_id].append(standard)
    return result


def effective_promises(
    department_defaults: list,
    overrides: list,
    day_minutes: int,
) -> tuple[list[Promise], bool]:
    """Per priority, the service's override where it has one, else the department default."""
    merged = {s.priority: s for s in department_defaults}
    merged.update({s.priority: s for s in overrides})
    return _promises(list(merged.values()), day_minutes), bool(overrides)


def _normal(promises: list[Promise]) -> Promise | None:
    return next((p for p in promises if p.priority is Priority.NORMAL), None)


# In the order of ix_service_popularity: the first active ones, not every service sorted.
# Plain rows of what the home page draws (a link and two names), not objects.
_POPULAR = (
    select(
        Service.slug,
        Service.name,
        Department.slug.label("department_slug"),
        Department.name.label("department_name"),
    )
    .join(Service.department)
    .where(Service.active, Department.active)
    .order_by(Service.popularity.desc(), Service.name)
    .limit(bindparam("limit", type_=Integer))
)


def popular_services(limit: int = 8) -> list[Row]:
    """(slug, name, department_slug, department_name) of the most asked-for services."""
    return list(read(_POPULAR, {"limit": limit}))


def department_summary(slug: str, now: datetime | None = None) -> DepartmentSummary | None:
    """Read as plain rows (`plain_department`, then its promises): no ORM objects, four
    statements."""
    now = now or datetime.now(UTC)
    department = plain_department(slug)
    if department is None:
        return None
    calendar = calendar_for(department, now.date())
    standards = read(_DEFAULT_STANDARDS, {"ids": [department.id]}).all()
    today = now.astimezone(calendar.tz()).date()
    return DepartmentSummary(
        department=department,
        promises=_promises(standards, calendar.typical_day_minutes()),
        week=week_from_rows(department.opening_hours, today.weekday()),
        status=open_status(calendar, now),
    )


def department_page(slug: str, now: datetime | None = None) -> DepartmentPage | None:
    """What the department's page shows; the department as plain values (its hours and
    closures as rows), not an object with its collections loaded."""
    now = now or datetime.now(UTC)
    department = plain_department(slug)
    if department is None:
        return None
    calendar = calendar_for(department, now.date())
    day_minutes = calendar.typical_day_minutes()
    params = {"department_id": department.id}
    services = [ServiceRow(*row) for row in read(_DEPARTMENT_SERVICES, params)]
    defaults = _department_defaults([department.id]).get(department.id, [])
    overrides = _service_overrides([s.id for s in services])
    listings = [
        ServiceListing(
            s,
            _normal(effective_promises(defaults, overrides.get(s.id, []), day_minutes)[0]),
        )
        for s in services
    ]
    categories = [
        (category, list(group))
        for category, group in groupby(listings, key=lambda row: row.service.category)
    ]
    contacts = [_contact(row) for row in read(_DEPARTMENT_CONTACTS, params)]
    today = now.astimezone(calendar.tz()).date()
    closed_days = upcoming_closed_days(calendar, today)
    return DepartmentPage(
        department=department,
        categories=categories,
        promises=_promises(defaults, day_minutes),
        week=week_hours(department, today.weekday()),
        status=open_status(calendar, now),
        next_holiday=next(((d, n) for d, n in closed_days if d in calendar.holidays), None),
        closures_ahead=[(d, n) for d, n in closed_days if d in calendar.closures][:3],
        contacts=contacts,
    )


def service_page(
    department_slug: str, service_slug: str, now: datetime | None = None
) -> ServicePage | None:
    now = now or datetime.now(UTC)
    department = get_department(department_slug)
    if department is None or not is_slug(service_slug):
        return None
    service = db.session.scalar(
        select(Service).where(
            Service.department_id == department.id,
            Service.slug == service_slug,
            Service.active,
        )
    )
    if service is None:
        return None
    calendar = calendar_for(department, now.date())
    defaults = _department_defaults([department.id]).get(department.id, [])
    promises, overridden = effective_promises(
        defaults,
        _service_overrides([service.id]).get(service.id, []),
        calendar.typical_day_minutes(),
    )
    contacts = [
        _contact(row)
        for row in read(
            _SERVICE_CONTACTS, {"department_id": department.id, "service_id": service.id}
        )
    ]
    return ServicePage(
        service, department, promises, overridden, open_status(calendar, now), contacts
    )
