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
    """The department's calendar covering the year around `around` and the next."""
    year = (around or date.today()).year
    holiday_map: dict[date, str] = {}
    for y in (year - 1, year, year + 1):
        holiday_map.update(
            public_holidays(department.holiday_country, department.holiday_subdivision, y)
        )
    weekly: dict[int, list] = {}
    for hours in department.opening_hours:
        weekly.setdefault(hours.weekday, []).append((hours.opens, hours.closes))
    return BusinessCalendar(
        timezone=department.timezone,
        weekly_hours=weekly,
        holidays=holiday_map,
        closures={c.day: c.reason or "Closed" for c in department.closures},
    )
