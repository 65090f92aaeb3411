"""Who a department served: its customers in groups (issue 18) — colleagues by the
department they work in, and partners (guests: requesters with a `guest` row) as a group of
their own, never under a department, with their organisations beneath.

Each group gets the scorecard's figures over the same window: the requests asked in it, and
of those resolved in it (the rollup's `RequestMeasure`, by the department's local day) the
share resolved within promise, the median business time to resolve and the satisfaction,
each shown from `figures.MIN_SAMPLE` requests or ratings up. Two reads: the asking counts,
grouped, from the index on (department, created, requester), on every page; and the
window's measures as rows, since a median needs them (about 12,500 for the bench's busiest
department over 90 days), once per department, window and refresh of the rollup.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from portal.core import caching, clock
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
class _Tally:
    asked: int = 0
    minutes: list[int] = field(default_factory=list)
    met: int = 0
    rating_sum: int = 0
    rating_count: int = 0

    def add(self, other: _Tally) -> None:
        self.asked += other.asked
        self.minutes += other.minutes
        self.met += other.met
        self.rating_sum += other.rating_sum
        self.rating_count += other.rating_count


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


def _figures(name: str, tally: _Tally, partner: bool = False, under=()) -> GroupFigures:
    average = (
        tally.rating_sum / tally.rating_count
        if tally.rating_count >= figures.MIN_SAMPLE
        else None
    )
    return GroupFigures(
        name, tally.asked, figure(tally.minutes, tally.met), tally.rating_count, average,
        partner, tuple(under),
    )


def _key(department_id: int | None, organisation: str | None) -> Key:
    if organisation is not None:
        return ("partner", organisation)
    return ("department", department_id)


def _tallies(department: Department, days: int, now: datetime) -> dict[Key, _Tally]:
    """The asking counts, read now; the window's measures as of the rollup's last refresh."""
    tallies: dict[Key, _Tally] = defaultdict(_Tally)
    since = now - timedelta(days=days)

    def read_asked() -> list[tuple[int | None, str | None, int]]:
        return [
            (department_id, organisation, int(count))
            for department_id, organisation, count in db.session.execute(
                select(User.department_id, Guest.organisation, func.count())
                .select_from(ServiceRequest)
                .join(User, User.id == ServiceRequest.requester_id)
                .outerjoin(Guest, Guest.user_id == User.id)
                .where(
                    ServiceRequest.department_id == department.id,
                    ServiceRequest.created_at >= since,
                )
                .group_by(User.department_id, Guest.organisation)
            )
        ]

    # Kept as the directory's fragments are (a few seconds, with caching on): a window of
    # 30 or 90 days hardly moves in that time, and reading it is most of a warm page.
    asked = caching.cached(
        f"scorecard-asked:{department.id}:{days}",
        read_asked,
        seconds=caching.lifetime("DIRECTORY_CACHE_SECONDS"),
    )
    for department_id, organisation, count in asked:
        tallies[_key(department_id, organisation)].asked += count
    first_day = department_today(department, now) - timedelta(days=days - 1)
    for key, measured in _measured(department.id, first_day, last_refresh()).items():
        tallies[key].add(measured)  # into the request's own tally: the kept one stays as it is
    return tallies


# The window's measures by group change only when the rollup is refreshed, so they are kept
# per process under the refresh's instant, as the scorecard's own figures are
# (rollup.KeptPerRefresh): reading and grouping them was most of the page (370 ms for the
# bench's busiest department over 90 days).
_KEPT_MEASURED: KeptPerRefresh[dict[Key, _Tally]] = KeptPerRefresh(256)


def _measured(department_id: int, first_day: date, refreshed_at: datetime | None):
    return _KEPT_MEASURED.get(
        (department_id, first_day), refreshed_at, lambda: _grouped(department_id, first_day)
    )


def _grouped(department_id: int, first_day: date) -> dict[Key, _Tally]:
    found: dict[Key, _Tally] = defaultdict(_Tally)
    measures = db.session.execute(
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
        .where(RequestMeasure.department_id == department_id, RequestMeasure.day >= first_day)
    )
    for group_department_id, organisation, minutes, met, rating in measures:
        tally = found[_key(group_department_id, organisation)]
        tally.minutes.append(minutes)
        tally.met += 1 if met else 0
        if rating is not None:
            tally.rating_sum += rating
            tally.rating_count += 1
    return dict(found)


def _busiest(named: dict[str, _Tally], other: str) -> list[tuple[str, _Tally]]:
    """The SHOWN busiest by name (then alphabetically), the rest summed under `other`."""
    ordered = sorted(named.items(), key=lambda item: (-item[1].asked, item[0].casefold()))
    if len(ordered) <= SHOWN + 1:
        return ordered
    rest = _Tally()
    for _, tally in ordered[SHOWN:]:
        rest.add(tally)
    return [*ordered[:SHOWN], (other, rest)]


def customer_groups(
    department: Department, days: int, now: datetime | None = None
) -> list[GroupFigures]:
    """The department's customer groups over `days`: colleagues by their department, then
    Partners (with its organisations) when a partner asked or was served in the window."""
    now = clock.now(now)
    tallies = _tallies(department, days, now)
    names = dict(
        db.session.execute(
            select(Department.id, Department.name).where(
                Department.id.in_([k[1] for k in tallies if k[0] == "department" and k[1]])
            )
        ).all()
    )
    colleagues: dict[str, _Tally] = {}
    organisations: dict[str, _Tally] = {}
    for (kind, value), tally in tallies.items():
        if kind == "partner":
            organisations[str(value)] = tally
        else:
            name = names.get(value, NO_DEPARTMENT) if value else NO_DEPARTMENT
            colleagues.setdefault(name, _Tally()).add(tally)
    groups = [_figures(name, t) for name, t in _busiest(colleagues, OTHER_DEPARTMENTS)]
    if organisations:
        everyone = _Tally()
        for tally in organisations.values():
            everyone.add(tally)
        under = [
            _figures(name, t, partner=True)
            for name, t in _busiest(organisations, OTHER_ORGANISATIONS)
        ]
        groups.append(_figures(PARTNERS, everyone, partner=True, under=under))
    return groups
