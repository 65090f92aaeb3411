"""A department's business calendar: weekly hours, public holidays, closures."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

import holidays as holidays_lib
from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from portal import sla
from portal.database import read
from portal.extensions import db
from portal.models import Closure, Department, OpeningHours
from portal.sla import BusinessCalendar

if TYPE_CHECKING:  # directory.services imports this module
    from portal.directory.services import DepartmentOrPlain


@lru_cache(maxsize=256)
def public_holidays(
    country: str | None, subdivision: str | None, year: int
) -> tuple[tuple[date, str], ...]:
    """Public holidays from the `holidays` package (pure computation, cached)."""
    if not country:
        return ()
    try:
        found = holidays_lib.country_holidays(country, subdiv=subdivision or None, years=year)
    except (NotImplementedError, KeyError):
        return ()
    return tuple(sorted(found.items()))


def calendar_for(
    department: DepartmentOrPlain, around: date | None = None
) -> BusinessCalendar:
    """The department's calendar covering the year around `around` and the next. A
    `directory.services.PlainDepartment` serves as well as the object: its hours and
    closures are rows under the same names.

    Calendars are immutable values, so one is shared by every request that asks for the
    same hours, holidays and closures: its cache of computed days is kept between them."""
    if isinstance(department, Department):
        load_calendar(department)  # not two lazy loads: a third of their Python
    return calendar_from_rows(
        department.timezone,
        ((h.weekday, h.opens, h.closes) for h in department.opening_hours),
        ((c.day, c.reason) for c in department.closures),
        department.holiday_country,
        department.holiday_subdivision,
        around,
    )


def calendar_from_rows(
    timezone: str,
    hours,
    closures,
    country: str | None,
    subdivision: str | None,
    around: date | None = None,
) -> BusinessCalendar:
    """The same calendar from plain rows: (weekday, opens, closes) and (day, reason), for
    pages that read many departments' hours as rows rather than as objects."""
    return _calendar(
        timezone,
        tuple(sorted(hours)),
        tuple(sorted((day, reason or "Closed") for day, reason in closures)),
        country,
        subdivision,
        (around or date.today()).year,
    )


_HOURS_OF = select(
    OpeningHours.department_id, OpeningHours.weekday, OpeningHours.opens, OpeningHours.closes
).where(OpeningHours.department_id.in_(bindparam("ids", expanding=True)))
_CLOSURES_OF = select(Closure.department_id, Closure.day, Closure.reason).where(
    Closure.department_id.in_(bindparam("ids", expanding=True))
)


class HoursRow(NamedTuple):
    weekday: int
    opens: time
    closes: time


class ClosureRow(NamedTuple):
    day: date
    reason: str | None


def calendar_rows(ids) -> tuple[dict[int, list[HoursRow]], dict[int, list[ClosureRow]]]:
    """Each department's weekly hours and closures, as plain rows (two statements, each
    built once), named as the ORM's (so `calendar_for` reads them as it reads objects)."""
    ids = list(ids)
    hours = weekly_hours(ids)
    closures: dict[int, list] = defaultdict(list)
    for row in read(_CLOSURES_OF, {"ids": ids}):
        closures[row.department_id].append(ClosureRow(row.day, row.reason))
    return hours, closures


def calendars_of(
    places: dict[int, tuple], around: date | None = None
) -> dict[int, BusinessCalendar]:
    """The calendars of many departments, from {id: (timezone, holiday country,
    subdivision)} and their hours and closures read as rows: no objects per hour."""
    if not places:
        return {}
    hours, closures = calendar_rows(list(places))
    return {
        department_id: calendar_from_rows(
            timezone, hours[department_id], closures[department_id], country, subdivision, around
        )
        for department_id, (timezone, country, subdivision) in places.items()
    }


def _weekly(hours) -> dict[int, list]:
    """(weekday, opens, closes) rows as {weekday: [(opens, closes), ...]}."""
    weekly: dict[int, list] = {}
    for weekday, opens, closes in hours:
        weekly.setdefault(weekday, []).append((opens, closes))
    return weekly


def typical_day_from_rows(hours) -> int:
    """A department's typical open day in minutes (as its calendar's) from its weekly
    hours alone, for a page that needs no more of its calendar."""
    return sla.typical_day_minutes(_weekly(hours))


@lru_cache(maxsize=1024)
def _calendar(
    timezone: str,
    hours: tuple,
    closures: tuple,
    country: str | None,
    subdivision: str | None,
    year: int,
) -> BusinessCalendar:
    holiday_map: dict[date, str] = {}
    for y in (year - 1, year, year + 1):
        holiday_map.update(public_holidays(country, subdivision, y))
    return BusinessCalendar(
        timezone=timezone,
        weekly_hours=_weekly(hours),
        holidays=holiday_map,
        closures=dict(closures),
    )


def weekly_hours(ids) -> dict[int, list[HoursRow]]:
    """Each department's weekly hours alone, as plain rows (one statement built once)."""
    hours: dict[int, list] = defaultdict(list)
    for row in read(_HOURS_OF, {"ids": list(ids)}):
        hours[row.department_id].append(HoursRow(row.weekday, row.opens, row.closes))
    return hours


# A department's hours and closures as objects, in the order of its relationships: built
# once, where a lazy load works out its own statement's cache key on every load (about three
# times the Python of the read itself).
_HOURS_OBJECTS = (
    select(OpeningHours)
    .where(OpeningHours.department_id == bindparam("department_id"))
    .order_by(OpeningHours.weekday, OpeningHours.opens)
)
_CLOSURE_OBJECTS = (
    select(Closure)
    .where(Closure.department_id == bindparam("department_id"))
    .order_by(Closure.day)
)


def load_calendar(department: Department) -> Department:
    """Load the department's `opening_hours` and `closures` (those not loaded yet) with the
    statements above, as its own collections: `calendar_for` then reads them, and they
    stay the ORM's to change."""
    unloaded = inspect(department).unloaded
    params = {"department_id": department.id}
    if "opening_hours" in unloaded:
        hours = list(db.session.scalars(_HOURS_OBJECTS, params))
        set_committed_value(department, "opening_hours", hours)
    if "closures" in unloaded:
        closures = list(db.session.scalars(_CLOSURE_OBJECTS, params))
        set_committed_value(department, "closures", closures)
    return department
