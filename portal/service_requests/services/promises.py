"""What a service promises: its form, its response standards, the due times a requester is shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import bindparam, select, text
from sqlalchemy.orm.attributes import set_committed_value

from portal import sla
from portal.core import clock
from portal.directory.calendars import calendar_for, load_calendar
from portal.extensions import db
from portal.models import (
    Department,
    Priority,
    RequestField,
    Service,
)

FALLBACK_TARGETS = {
    Priority.URGENT: (60, 480),
    Priority.HIGH: (240, 960),
    Priority.NORMAL: (480, 2400),
    Priority.LOW: (960, 4800),
}


_STANDARDS = text(
    "SELECT service_id, first_response_minutes, resolution_minutes FROM response_standard "
    "WHERE department_id = :department_id AND priority = :priority "
    "AND (service_id IS NULL OR service_id = :service_id)"
)


def targets_for(
    department: Department, service: Service | None, priority: Priority
) -> tuple[int, int]:
    """(first response, resolution) business minutes: the service's override, else the
    department's standard, else a portal-wide fallback."""
    rows = db.session.execute(
        _STANDARDS,
        {
            "department_id": department.id,
            "priority": priority.value,
            "service_id": service.id if service else -1,
        },
    ).all()
    chosen = next((r for r in rows if r.service_id is not None), None) or next(
        (r for r in rows if r.service_id is None), None
    )
    if chosen is None:
        return FALLBACK_TARGETS[priority]
    return chosen.first_response_minutes, chosen.resolution_minutes


@dataclass(frozen=True)
class DuePreview:
    """What a requester is promised before and after submitting."""

    first_response_minutes: int
    resolution_minutes: int
    first_response_due: datetime | None
    resolution_due: datetime | None
    day_minutes: int
    is_open_now: bool
    next_opening: datetime | None
    timezone: str

    @property
    def first_response_words(self) -> str:
        return sla.describe_business_minutes(self.first_response_minutes, self.day_minutes)

    @property
    def resolution_words(self) -> str:
        return sla.describe_business_minutes(self.resolution_minutes, self.day_minutes)


def due_preview(
    service: Service, priority: Priority = Priority.NORMAL, now: datetime | None = None
) -> DuePreview:
    now = clock.now(now)
    department = service.department
    calendar = calendar_for(department, now.date())
    first, resolution = targets_for(department, service, priority)

    def due(minutes: int) -> datetime | None:
        try:
            return calendar.add_business_minutes(now, minutes)
        except ValueError:
            return None

    return DuePreview(
        first,
        resolution,
        due(first),
        due(resolution),
        calendar.typical_day_minutes(),
        calendar.is_open(now),
        calendar.next_opening(now),
        department.timezone,
    )


_REQUESTABLE = (
    select(Service, Department)
    .join(Department, Department.id == Service.department_id)
    .where(
        Department.slug == bindparam("slug"),
        Department.active,
        Service.slug == bindparam("service_slug"),
        Service.active,
    )
)


_FIELDS = (
    select(RequestField)
    .where(RequestField.service_id == bindparam("service_id"), RequestField.active)
    .order_by(RequestField.position, RequestField.id)
)


def requestable_service(slug: str, service_slug: str) -> Service | None:
    """An active service of an active department, for its request form: one read for
    both, then the department's calendar (hours and closures) for the due times."""
    from portal.directory.services import is_slug

    if not is_slug(slug) or not is_slug(service_slug):
        return None
    found = db.session.execute(_REQUESTABLE, {"slug": slug, "service_slug": service_slug}).first()
    if found is None:
        return None
    service, department = found
    set_committed_value(service, "department", load_calendar(department))
    return service


def form_fields(service: Service) -> list[RequestField]:
    return list(db.session.scalars(_FIELDS, {"service_id": service.id}))


def today_in(department: Department) -> date:
    return datetime.now(UTC).astimezone(calendar_for(department).tz()).date()
