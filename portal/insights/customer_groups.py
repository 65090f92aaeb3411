"""Who a department served: its customers in groups (issue 18) — colleagues by the
department they work in, and partners (guests: requesters with a `guest` row) as a group of
their own, never under a department, with their organisations beneath.

Each group gets the scorecard's figures over the same window: the requests asked in it, and
of those resolved in it (the rollup's `RequestMeasure`, by the department's local day) the
share resolved within promise, the median business time to resolve and the satisfaction,
each shown from `figures.MIN_SAMPLE` requests or ratings up. The window's measures are
read as rows, since a median needs them (about 12,500 for the bench's busiest department
over 90 days), and the asking counts of the window that ended at the refresh, grouped, from
the index on (department, created, requester): both once per department, window and refresh
of the rollup. Each view reads only what was asked since the refresh and what has left the
window since, so the counts are exact to the instant.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from operator import itemgetter

from sqlalchemy import bindparam, func, select, union_all

from portal.core import clock
from portal.database import read
from portal.directory.services import DepartmentOrPlain
from portal.extensions import db
from portal.insights import figures
from portal.insights.rollup import KeptPerRefresh, last_refresh
from portal.insights.scorecard import Figure, department_today, figure
from portal.models import Department, Guest, RequestMeasure, ServiceRequest, User

PARTNERS = "Partners"
NO_DEPARTMENT = "Colleagues without a department"
OTHER_DEPARTMENTS = "Other departments"
OTHER_ORGANISATIONS = "Other organisations"
#: Departments (and, under Partners, organisations) shown by name, busiest first; the rest
#: are summed in one "other" row so the table stays readable with hundreds of departments.
SHOWN = 8

# A group's key: ("department", id or None) or ("partner", organisation).
Key = tuple[str, object]


@dataclass
class _Measured:
    """One group's measures over the window (as of the last refresh)."""

    minutes: list[int] = field(default_factory=list)
    met: int = 0
    rating_sum: int = 0
    rating_count: int = 0


@dataclass(frozen=True)
class _Resolved:
    resolution: Figure
    ratings: int
    average_rating: float | None


class _WindowMeasures:
    """The window's measures by group, kept per refresh, with the figures of every set of
    groups a page has shown (the "other" rows sum many) worked out once."""

    def __init__(self, by_key: dict[Key, _Measured]) -> None:
        self.by_key = by_key
        self._figures: dict[frozenset[Key], _Resolved] = {}

    def of(self, keys: Iterable[Key]) -> _Resolved:
        wanted = frozenset(keys)
        found = self._figures.get(wanted)
        if found is None:
            parts = [self.by_key[key] for key in wanted if key in self.by_key]
            minutes = [m for part in parts for m in part.minutes]
            rating_sum = sum(part.rating_sum for part in parts)
            rating_count = sum(part.rating_count for part in parts)
            average = rating_sum / rating_count if rating_count >= figures.MIN_SAMPLE else None
            found = _Resolved(
                figure(minutes, sum(part.met for part in parts)), rating_count, average
            )
            self._figures[wanted] = found
        return found


@dataclass(frozen=True)
class GroupFigures:
    group: str
    asked: int
    resolution: Figure  # resolved count, median business minutes, share within promise
    ratings: int
    average_rating: float | None  # None below figures.MIN_SAMPLE ratings
    partner: bool = False
    organisations: tuple[GroupFigures, ...] = ()  # under Partners only

    @property
    def resolved(self) -> int:
        return self.resolution.count


def _figures(
    name: str,
    keys: Iterable[Key],
    asked: dict[Key, int],
    measures: _WindowMeasures,
    partner: bool = False,
    under=(),
) -> GroupFigures:
    keys = list(keys)
    resolved = measures.of(keys)
    return GroupFigures(
        name,
        sum(asked.get(key, 0) for key in keys),
        resolved.resolution,
        resolved.ratings,
        resolved.average_rating,
        partner,
        tuple(under),
    )


def _key(department_id: int | None, organisation: str | None) -> Key:
    if organisation is not None:
        return ("partner", organisation)
    return ("department", department_id)


def _asked_between(since_name: str, until_name: str, sign: int):
    """A department's requests asked in [since, until) by group, from the index on
    (department, created, requester); `sign` -1 to take them off."""
    return (
        select(User.department_id, Guest.organisation, sign * func.count())
        .select_from(ServiceRequest)
        .join(User, User.id == ServiceRequest.requester_id)
        .outerjoin(Guest, Guest.user_id == User.id)
        .where(
            ServiceRequest.department_id == bindparam("department_id"),
            ServiceRequest.created_at >= bindparam(since_name),
            ServiceRequest.created_at < bindparam(until_name),
        )
        .group_by(User.department_id, Guest.organisation)
    )


# Built once, with their values as parameters.
_ASKED = _asked_between("since", "until", 1)
# What was asked since the refresh, less what has left the window since then.
_ASKED_SINCE_REFRESH = union_all(
    _asked_between("refreshed_at", "until", 1), _asked_between("kept_since", "since", -1)
)


def _asked_rows(statement, **values) -> list[tuple[int | None, str | None, int]]:
    return [
        (department_id, organisation, int(count))
        for department_id, organisation, count in read(statement, values)
    ]


def _asked_by_key(
    department_id: int, days: int, now: datetime, refreshed_at: datetime | None
) -> dict[Key, int]:
    asked: dict[Key, int] = defaultdict(int)
    for group_department_id, organisation, count in _asked(
        department_id, days, now, refreshed_at
    ):
        asked[_key(group_department_id, organisation)] += count
    # A colleague who moved department since the refresh has the window's older requests
    # kept under the old one and taken off the new one: never below nothing (the next
    # refresh puts it right, as it does the measures, grouped at the refresh too).
    return {key: count for key, count in asked.items() if count > 0}


def _asked(department_id: int, days: int, now: datetime, refreshed_at: datetime | None):
    """The window's asking counts by group, exact to the instant: the counts of the window
    that ended at the rollup's last refresh are kept per process under that instant (most
    of the window, read once), and only the requests asked since the refresh, and those
    that have left the window since, are read on each view (two short ranges of the
    index). Without a refresh, or when it is older than the window, all are read now."""
    window = timedelta(days=days)
    since = now - window
    if refreshed_at is None or not since < refreshed_at <= now:
        return _asked_rows(_ASKED, department_id=department_id, since=since, until=now)
    kept_since = refreshed_at - window
    kept = _KEPT_ASKED.get(
        (department_id, days),
        refreshed_at,
        lambda: _asked_rows(
            _ASKED, department_id=department_id, since=kept_since, until=refreshed_at
        ),
    )
    recent = _asked_rows(
        _ASKED_SINCE_REFRESH,
        department_id=department_id,
        refreshed_at=refreshed_at,
        until=now,
        kept_since=kept_since,
        since=since,
    )
    return [*kept, *recent]


# The window's measures by group change only when the rollup is refreshed, so they are kept
# per process under the refresh's instant, as the scorecard's own figures are
# (rollup.KeptPerRefresh): reading and grouping them was most of the page (370 ms for the
# bench's busiest department over 90 days). The asking counts up to that instant likewise.
_KEPT_MEASURED: KeptPerRefresh[_WindowMeasures] = KeptPerRefresh(256)
_KEPT_ASKED: KeptPerRefresh[list[tuple[int | None, str | None, int]]] = KeptPerRefresh(256)


def _measured(
    department_id: int, first_day: date, refreshed_at: datetime | None
) -> _WindowMeasures:
    return _KEPT_MEASURED.get(
        (department_id, first_day), refreshed_at, lambda: _grouped(department_id, first_day)
    )


def _grouped(department_id: int, first_day: date) -> _WindowMeasures:
    found: dict[Key, _Measured] = defaultdict(_Measured)
    measures = db.session.execute(
        _MEASURES, {"department_id": department_id, "first_day": first_day}
    )
    for group_department_id, organisation, minutes, met, rating in measures:
        measured = found[_key(group_department_id, organisation)]
        measured.minutes.append(minutes)
        measured.met += 1 if met else 0
        if rating is not None:
            measured.rating_sum += rating
            measured.rating_count += 1
    return _WindowMeasures(dict(found))


_MEASURES = (
    select(
        User.department_id,
        Guest.organisation,
        RequestMeasure.resolution_minutes,
        RequestMeasure.resolution_met,
        RequestMeasure.rating,
    )
    .select_from(RequestMeasure)
    .join(ServiceRequest, ServiceRequest.id == RequestMeasure.request_id)
    .join(User, User.id == ServiceRequest.requester_id)
    .outerjoin(Guest, Guest.user_id == User.id)
    .where(
        RequestMeasure.department_id == bindparam("department_id"),
        RequestMeasure.day >= bindparam("first_day"),
    )
)
_ALL_NAMES = select(Department.id, Department.name)
_NAMES = _ALL_NAMES.where(Department.id.in_(bindparam("ids", expanding=True)))
# Past a few dozen departments, every department's name is read instead of the listed ones:
# 300 ids bound one by one cost more than the table's few hundred names (0.23 against 0.09
# ms for the bench's busiest department, every department having asked it).
NAMES_LISTED_UP_TO = 40


def _names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    if len(ids) > NAMES_LISTED_UP_TO:
        return dict(read(_ALL_NAMES, {}).all())
    return dict(read(_NAMES, {"ids": ids}).all())


def _busiest(
    named: dict[str, list[Key]], asked: dict[Key, int], other: str
) -> list[tuple[str, list[Key]]]:
    """The SHOWN busiest by name (then alphabetically), the rest summed under `other`."""

    ranked = []
    for name, keys in named.items():
        total = 0
        for key in keys:  # a loop, not sum() of a generator: 300 groups on a busy page
            total += asked.get(key, 0)
        ranked.append((-total, name.casefold(), name, keys))
    ranked.sort(key=itemgetter(0, 1))
    ordered = [(name, keys) for _, _, name, keys in ranked]
    if len(ordered) <= SHOWN + 1:
        return ordered
    return [*ordered[:SHOWN], (other, [key for _, keys in ordered[SHOWN:] for key in keys])]


def customer_groups(
    department: Department, days: int, now: datetime | None = None
) -> list[GroupFigures]:
    """The department's customer groups over `days`: colleagues by their department, then
    Partners (with its organisations) when a partner asked or was served in the window."""
    return customer_groups_at(department, days, clock.now(now), last_refresh())


def customer_groups_at(
    department: DepartmentOrPlain,
    days: int,
    now: datetime,
    refreshed_at: datetime | None,
) -> list[GroupFigures]:
    """`customer_groups` for a caller that read the rollup's refresh instant already (the
    scorecard page, once for all its parts): both reads key by it."""
    asked = _asked_by_key(department.id, days, now, refreshed_at)
    first_day = department_today(department, now) - timedelta(days=days - 1)
    measures = _measured(department.id, first_day, refreshed_at)
    keys = set(asked) | set(measures.by_key)
    ids = [value for kind, value in keys if kind == "department" and value]
    names = _names(ids)
    colleagues: dict[str, list[Key]] = defaultdict(list)
    organisations: dict[str, list[Key]] = {}
    for key in keys:
        kind, value = key
        if kind == "partner":
            organisations[str(value)] = [key]
        else:
            colleagues[names.get(value, NO_DEPARTMENT) if value else NO_DEPARTMENT].append(key)
    groups = [
        _figures(name, group, asked, measures)
        for name, group in _busiest(colleagues, asked, OTHER_DEPARTMENTS)
    ]
    if organisations:
        under = [
            _figures(name, group, asked, measures, partner=True)
            for name, group in _busiest(organisations, asked, OTHER_ORGANISATIONS)
        ]
        everyone = [key for group in organisations.values() for key in group]
        groups.append(_figures(PARTNERS, everyone, asked, measures, partner=True, under=under))
    return groups
