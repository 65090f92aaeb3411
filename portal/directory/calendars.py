"""A department's business calendar: weekly hours, public holidays, closures."""

from __future__ import annotations

from datetime import date
from functools import lru_cache

import holidays as holidays_lib

from portal.models import Department
from portal.sla import BusinessCalendar


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


def calendar_for(department: Department, around: date | None = None) -> BusinessCalendar:
    """The department's calendar covering the year around `around` and the next.

    Calendars are immutable values, so one is shared by every request that asks for the
    same hours, holidays and closures: its cache of computed days is kept between them."""
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
    weekly: dict[int, list] = {}
    for weekday, opens, closes in hours:
        weekly.setdefault(weekday, []).append((opens, closes))
    return BusinessCalendar(
        timezone=timezone,
        weekly_hours=weekly,
        holidays=holiday_map,
        closures=dict(closures),
    )
