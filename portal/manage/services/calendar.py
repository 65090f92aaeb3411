"""A department's calendar: time zone, public holidays and closures."""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import holidays as holidays_lib
from holidays.registry import COUNTRIES
from sqlalchemy import delete, select

from portal import audit
from portal.core.text import text_problem
from portal.extensions import db
from portal.manage.services.access import check_manager
from portal.manage.services.rules import Invalid, locked_change
from portal.models import (
    OPEN_STATUSES,
    Closure,
    Department,
    ServiceRequest,
    User,
)
from portal.service_requests.clocks import refresh_due

# Calendar: time zone, holidays, closures --------------------------------------------


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """Region/City names (what people recognise), and UTC."""
    return (
        "UTC",
        *sorted(
            z
            for z in zoneinfo.available_timezones()
            if "/" in z and not z.startswith(("Etc/", "SystemV/"))
        ),
    )


@lru_cache(maxsize=1)
def holiday_countries() -> dict[str, tuple[str, ...]]:
    """{country code: subdivision codes} the `holidays` package knows."""
    return {
        code: tuple(subdivisions)
        for code, subdivisions in holidays_lib.list_supported_countries().items()
        if len(code) == 2
    }


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """{"GB": "United Kingdom", ...} for the country list (names from the registry's class
    names, split into words)."""
    names = {}
    for class_name, code, *_rest in COUNTRIES.values():
        names[code] = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)
    return names


def parse_closures(text: str) -> list[tuple[date, str]]:
    """One closure a line: `2026-12-24 Office move`. ValueError with a message."""
    closures: dict[date, str] = {}
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day_text, _, reason = line.partition(" ")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise ValueError(
                f"Line {number}: start with a date like 2026-12-24, then the reason."
            ) from None
        if not 2000 <= day.year <= 2100:
            raise ValueError(f"Line {number}: the date must be between 2000 and 2100.")
        if day in closures:
            raise ValueError(f"Line {number}: {day.isoformat()} is listed twice.")
        reason = reason.strip()
        if len(reason) > 200 or text_problem(reason, multiline=False) is not None:
            raise ValueError(f"Line {number}: the reason must be 200 plain characters or fewer.")
        closures[day] = reason or "Closed"
    if len(closures) > 400:
        raise ValueError("List at most 400 closures.")
    return sorted(closures.items())


def closures_text(department: Department) -> str:
    return "\n".join(f"{c.day.isoformat()} {c.reason}".rstrip() for c in department.closures)


@dataclass
class CalendarChange:
    timezone: str
    holiday_country: str = ""
    holiday_subdivision: str = ""
    closures: str = ""


def update_calendar(actor: User, department: Department, change: CalendarChange) -> None:
    check_manager(actor, department)
    errors: dict[str, str] = {}
    tz = (change.timezone or "").strip()
    if tz not in time_zones() and tz != department.timezone:
        errors["timezone"] = "Choose a time zone from the list, like Europe/London."
    country = (change.holiday_country or "").strip().upper()
    subdivision = (change.holiday_subdivision or "").strip().upper()
    countries = holiday_countries()
    if country and country not in countries:
        errors["holiday_country"] = "Choose a country from the list, or none."
    elif subdivision and not country:
        errors["holiday_subdivision"] = "Choose the country first, then its region."
    elif subdivision and subdivision not in countries[country]:
        known = ", ".join(countries[country][:12]) or "none"
        errors["holiday_subdivision"] = (
            f"{subdivision[:10]} is not a region of {country} for public holidays. "
            f"Use one of: {known}{'…' if len(countries[country]) > 12 else ''}."
        )
    try:
        closures = parse_closures(change.closures)
    except ValueError as exc:
        errors["closures"] = str(exc)
    if errors:
        raise Invalid(errors)
    fields = ["timezone", "holiday_country", "holiday_subdivision"]
    before = {**audit.snapshot(department, fields), "closures": closures_text(department)}
    with locked_change(department):
        department.timezone = tz
        department.holiday_country = country or None
        department.holiday_subdivision = subdivision or None
        db.session.execute(delete(Closure).where(Closure.department_id == department.id))
        db.session.expire(department, ["closures"])
        for day, reason in closures:
            db.session.add(Closure(department_id=department.id, day=day, reason=reason))
        db.session.flush()
        db.session.expire(department, ["closures"])
        after = {**audit.snapshot(department, fields), "closures": closures_text(department)}
        changes = audit.diff(before, after)
        if changes:
            audit.record(actor, "department.calendar", department, changes=changes)
            refresh_open_requests(department)


def refresh_open_requests(department: Department) -> None:
    """The queues sort by stored due instants, computed with the department's calendar:
    after the calendar changes, recompute them for its open requests (same transaction)."""
    db.session.flush()
    db.session.expire(department, ["opening_hours", "closures"])
    open_requests = db.session.scalars(
        select(ServiceRequest).where(
            ServiceRequest.department_id == department.id,
            ServiceRequest.status.in_(OPEN_STATUSES),
        )
    )
    for sr in open_requests:
        refresh_due(sr)
