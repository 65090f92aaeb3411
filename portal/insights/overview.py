"""The portal overview (`/insights`) and the "How we're doing" strip on department pages.

Both read only counts from the rollup (summed in SQL), never the durations, so they stay
cheap however many requests there are."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, Select, bindparam, case, func, select
from sqlalchemy.orm import selectinload

from portal.core import clock
from portal.database import read
from portal.directory import services as directory_services
from portal.extensions import db
from portal.insights import figures
from portal.insights.scorecard import (
    CheckInScore,
    checkin_score,
    department_today,
    normal_promises,
    promises_of,
)
from portal.models import Department, Priority, ScorecardDay

TREND_DAYS = 28
TREND_STEP = 0.05  # five points of "within promise" before the arrow turns


@dataclass(frozen=True)
class Counts:
    resolved: int = 0
    first_met: int = 0
    resolution_met: int = 0
    rating_sum: int = 0
    rating_count: int = 0

    @property
    def first_within(self) -> float | None:
        return self.first_met / self.resolved if self.resolved >= figures.MIN_SAMPLE else None

    @property
    def resolution_within(self) -> float | None:
        if self.resolved < figures.MIN_SAMPLE:
            return None
        return self.resolution_met / self.resolved

    @property
    def rating_average(self) -> float | None:
        if self.rating_count < figures.MIN_SAMPLE:
            return None
        return self.rating_sum / self.rating_count


_COLUMNS = (
    ScorecardDay.resolved,
    ScorecardDay.first_met,
    ScorecardDay.resolution_met,
    ScorecardDay.rating_sum,
    ScorecardDay.rating_count,
)


@functools.cache
def _counts_statement(buckets: tuple[str, ...], some_departments: bool) -> Select:
    """The sums for these named day ranges, built once per shape: the ranges, the whole
    span and the departments are parameters (`<name>_start`, `<name>_end`, `since`,
    `until`, `department_ids`), so a request neither builds the twenty sums again nor
    works out their cache key."""

    def within(start: str, end: str):
        return ScorecardDay.day.between(bindparam(start, type_=Date), bindparam(end, type_=Date))

    sums = [
        func.sum(case((within(f"{name}_start", f"{name}_end"), column), else_=0))
        for name in buckets
        for column in _COLUMNS
    ]
    query = (
        select(ScorecardDay.department_id, *sums)
        .where(within("since", "until"))
        .group_by(ScorecardDay.department_id)
    )
    if some_departments:
        query = query.where(
            ScorecardDay.department_id.in_(bindparam("department_ids", expanding=True))
        )
    return query


def _counts(department_ids: list[int] | None, buckets: dict[str, tuple[date, date]]):
    """{(department_id, bucket): Counts} summed in SQL over the named day ranges: one
    pass over the rollup's days for every bucket at once."""
    found: dict[tuple[int, str], Counts] = {}
    if not buckets:
        return found
    values: dict[str, object] = {
        "since": min(start for start, _ in buckets.values()),
        "until": max(end for _, end in buckets.values()),
    }
    for name, (start, end) in buckets.items():
        values[f"{name}_start"], values[f"{name}_end"] = start, end
    if department_ids is not None:
        values["department_ids"] = list(department_ids)
    query = _counts_statement(tuple(buckets), department_ids is not None)
    width = len(_COLUMNS)
    for department_id, *sums in read(query, values):
        for index, name in enumerate(buckets):
            part = sums[index * width : (index + 1) * width]
            found[(department_id, name)] = Counts(*(int(v or 0) for v in part))
    return found


def _windows(today: date) -> dict[str, tuple[date, date]]:
    return {
        "30": (today - timedelta(days=29), today),
        "90": (today - timedelta(days=89), today),
        "recent": (today - timedelta(days=TREND_DAYS - 1), today),
        "before": (today - timedelta(days=2 * TREND_DAYS - 1), today - timedelta(days=TREND_DAYS)),
    }


def trend(recent: Counts, before: Counts) -> str:
    """ "up", "down" or "flat" (or "" when either period has too few requests)."""
    now, then = recent.first_within, before.first_within
    if now is None or then is None:
        return ""
    if now - then >= TREND_STEP:
        return "up"
    if then - now >= TREND_STEP:
        return "down"
    return "flat"


TREND_WORDS = {"up": "Improving", "down": "Getting worse", "flat": "Steady", "": "Not enough data"}
TREND_ICONS = {"up": "▲", "down": "▼", "flat": "▶", "": "–"}


@dataclass(frozen=True)
class Strip:
    department: Department
    last30: Counts
    last90: Counts
    trend: str
    checkin: CheckInScore | None
    promise_words: str | None


def strip_for(
    department: Department, promises: list | None = None, now: datetime | None = None
) -> Strip:
    """`promises`: the department's promises when the page has them already (the
    department page reads them for its own table), else they are read here."""
    today = department_today(department, now)
    counts = _counts([department.id], _windows(today))
    if promises is None:
        promise = promises_of(department).get(Priority.NORMAL.value)
    else:
        promise = directory_services._normal(promises)
    return Strip(
        department,
        counts.get((department.id, "30"), Counts()),
        counts.get((department.id, "90"), Counts()),
        trend(
            counts.get((department.id, "recent"), Counts()),
            counts.get((department.id, "before"), Counts()),
        ),
        checkin_score(department),
        promise.first_response if promise else None,
    )


@dataclass(frozen=True)
class OverviewRow:
    department: Department
    promise_words: str | None
    last30: Counts
    last90: Counts
    trend: str


SORTS = {
    "name": (lambda r: r.department.name.lower(), False),
    "delivery": (lambda r: (r.last30.first_within is not None, r.last30.first_within or 0), True),
    "satisfaction": (
        lambda r: (r.last90.rating_average is not None, r.last90.rating_average or 0),
        True,
    ),
    "trend": (lambda r: {"up": 3, "flat": 2, "down": 1, "": 0}[r.trend], True),
}


@dataclass(frozen=True)
class Overview:
    rows: list[OverviewRow]
    sort: str

    def __iter__(self):
        return iter(self.rows)


def overview(sort: str = "name", now: datetime | None = None) -> Overview:
    if sort not in SORTS:
        sort = "name"
    departments = list(
        db.session.scalars(
            select(Department)
            .where(Department.active)
            .order_by(Department.name)
            .options(selectinload(Department.opening_hours), selectinload(Department.closures))
        )
    )
    today = clock.now(now).date()
    counts = _counts(None, _windows(today))
    promises = normal_promises(departments)
    rows = []
    for department in departments:
        promise = promises.get(department.id)
        rows.append(
            OverviewRow(
                department,
                promise.first_response if promise else None,
                counts.get((department.id, "30"), Counts()),
                counts.get((department.id, "90"), Counts()),
                trend(
                    counts.get((department.id, "recent"), Counts()),
                    counts.get((department.id, "before"), Counts()),
                ),
            )
        )
    key, reverse = SORTS[sort]
    rows.sort(key=key, reverse=reverse)
    return Overview(rows, sort)
