"""The home page's directory: cards for the departments people ask most, and every
department A to Z when there are too many for cards.

Read as plain rows (only the columns drawn), not as objects with their relationships:
with 300 departments the page used to build some 3,000 objects and send 191 KB.
A portal with up to `ALL_CARDS_UP_TO` departments shows every one as a card, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import NamedTuple

from sqlalchemy import func, select

from portal.core import clock
from portal.database import read
from portal.directory import services as directory_services
from portal.directory.calendars import calendar_from_rows, calendar_rows
from portal.directory.services import OpenStatus, Promise, open_status
from portal.models import (
    Department,
    Service,
)

ALL_CARDS_UP_TO = 24  # up to this many departments, every one is a card
MOST_ASKED_CARDS = 12  # beyond it: cards for the most asked, then the A-to-Z index


# Built once (a statement built per call costs more Python than running it): every active
# department that offers services, with how many and how often they are asked for.
_OFFERED = (
    select(
        Service.department_id,
        func.count().label("services"),
        func.coalesce(func.sum(Service.popularity), 0).label("asked"),
    )
    .where(Service.active)
    .group_by(Service.department_id)
    .subquery()
)
_OFFERING_DEPARTMENTS = (
    select(
        Department.id,
        Department.slug,
        Department.name,
        Department.mission,
        Department.accent,
        _OFFERED.c.services,
        _OFFERED.c.asked,
        Department.timezone,
        Department.holiday_country,
        Department.holiday_subdivision,
    )
    .join(_OFFERED, _OFFERED.c.department_id == Department.id)
    .where(Department.active)
    .order_by(Department.name, Department.id)
)


class DepartmentSummary(NamedTuple):
    # home.html's A-to-Z list unpacks these six in this order: change both together.
    id: int
    slug: str
    name: str
    mission: str
    accent: str
    service_count: int


@dataclass(frozen=True)
class DepartmentCard:
    department: DepartmentSummary
    service_count: int
    normal_promise: Promise | None
    status: OpenStatus


@dataclass(frozen=True)
class HomeDirectory:
    cards: list[DepartmentCard]
    # (letter, departments) for every department when not all are cards; else empty
    index: list[tuple[str, list[DepartmentSummary]]]
    total: int


def home_directory(now: datetime | None = None) -> HomeDirectory:
    """Every active department that offers services: as cards, or the most asked as
    cards and all of them A to Z."""
    now = clock.now(now)
    rows = read(_OFFERING_DEPARTMENTS).all()
    summaries = [DepartmentSummary(*row[:6]) for row in rows]
    places = {row.id: (row.timezone, row.holiday_country, row.holiday_subdivision) for row in rows}
    if len(summaries) <= ALL_CARDS_UP_TO:
        return HomeDirectory(_cards(summaries, places, now), [], len(summaries))
    asked = sorted(rows, key=lambda row: (-row.asked, row.name))[:MOST_ASKED_CARDS]
    most_asked = {row.id for row in asked}
    chosen = [s for s in summaries if s.id in most_asked]
    return HomeDirectory(_cards(chosen, places, now), _by_letter(summaries), len(summaries))


def _by_letter(
    summaries: list[DepartmentSummary],
) -> list[tuple[str, list[DepartmentSummary]]]:
    """Departments under their first letter (A to Z, then "#" for any other), by name."""
    keyed = []
    for summary in summaries:  # each name's letter worked out once, not once a comparison
        first = summary.name[:1].upper()
        letter = first if first.isalpha() else "#"
        keyed.append((letter == "#", letter, summary.name.casefold(), summary))
    keyed.sort(key=lambda k: k[:3])
    return [(letter, [k[3] for k in group]) for letter, group in groupby(keyed, key=lambda k: k[1])]


def _cards(
    summaries: list[DepartmentSummary], places: dict[int, tuple], now: datetime
) -> list[DepartmentCard]:
    """Cards with the normal-priority promise and open now, from each department's
    hours and closures read as rows."""
    ids = [s.id for s in summaries]
    if not ids:
        return []
    hours, closures = calendar_rows(ids)
    defaults = directory_services._department_defaults(ids)
    cards = []
    for summary in summaries:
        timezone, country, subdivision = places[summary.id]
        calendar = calendar_from_rows(
            timezone,
            hours[summary.id],
            closures[summary.id],
            country,
            subdivision,
            now.date(),
        )
        promises = directory_services._promises(
            defaults.get(summary.id, []), calendar.typical_day_minutes()
        )
        promise = directory_services._normal(promises)
        cards.append(
            DepartmentCard(summary, summary.service_count, promise, open_status(calendar, now))
        )
    return cards
