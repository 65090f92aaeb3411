"""The home page's directory: cards for the departments people ask most, and every
department A to Z on a page of its own (/departments) when there are too many for cards.

Read as plain rows (only the columns drawn), not as objects with their relationships:
with 300 departments the page used to build some 3,000 objects and send 191 KB.
A portal with up to `ALL_CARDS_UP_TO` departments shows every one as a card, as before.
With more, the home page shows the most asked as cards and links to the A-to-Z: 300 names
on the home page cost every view a third of its time (and the reader a long scroll).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple

from sqlalchemy import bindparam, func, select

from portal.core import clock
from portal.database import read
from portal.directory import services as directory_services
from portal.directory.calendars import calendar_from_rows, calendar_rows
from portal.directory.services import OpenStatus, Promise, open_status
from portal.models import Department

ALL_CARDS_UP_TO = 24  # up to this many departments, every one is a card
MOST_ASKED_CARDS = 12  # beyond it: cards for the most asked, then the A-to-Z index


# Built once (a statement built per call costs more Python than running it): every active
# department that offers services, with how many and how often they are asked for (kept on
# its row by portal.directory.offers: no service is counted on a view).
_OFFERING = (Department.active, Department.offered_services > 0)
_COLUMNS = (
    Department.id,
    Department.slug,
    Department.name,
    Department.mission,
    Department.accent,
    Department.offered_services,
    Department.offered_popularity,
    Department.timezone,
    Department.holiday_country,
    Department.holiday_subdivision,
)
_OFFERING_DEPARTMENTS = select(*_COLUMNS).where(*_OFFERING).order_by(Department.name, Department.id)
# The home page's cards: how many departments offer services, then the `n` most asked in
# name order; not 300 rows read to draw a dozen. (Two plain statements: SQLite's window
# functions for the total and the rank cost six times as much.)
_OFFERING_COUNT = select(func.count()).select_from(Department).where(*_OFFERING)
_TOP = (
    select(*_COLUMNS)
    .where(*_OFFERING)
    .order_by(Department.offered_popularity.desc(), Department.name, Department.id)
    .limit(bindparam("n"))
    .subquery()
)
_MOST_ASKED = select(_TOP).order_by(_TOP.c.name, _TOP.c.id)


class DepartmentSummary(NamedTuple):
    # departments.html's A-to-Z list unpacks these six in this order: change both together.
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
    total: int  # every department that offers services

    @property
    def all_are_cards(self) -> bool:
        return len(self.cards) == self.total


@dataclass(frozen=True)
class DepartmentIndex:
    """Every department that offers services, under its first letter (/departments)."""

    letters: list[tuple[str, list[DepartmentSummary]]]
    total: int


def home_directory(now: datetime | None = None) -> HomeDirectory:
    """Every active department that offers services as a card, or, when there are more
    than `ALL_CARDS_UP_TO`, the most asked. (Rows read by position: a row's attribute by
    name costs a lookup in Python, some 1,200 of them for 300 departments.)"""
    now = clock.now(now)
    total = read(_OFFERING_COUNT).scalar_one()
    shown = MOST_ASKED_CARDS if total > ALL_CARDS_UP_TO else ALL_CARDS_UP_TO
    chosen = read(_MOST_ASKED, {"n": shown}) if total else []
    summaries = [DepartmentSummary._make(row[:6]) for row in chosen]
    places = {row[0]: row[7:10] for row in chosen}  # time zone, holiday country, subdivision
    return HomeDirectory(_cards(summaries, places, now), total)


def department_index() -> DepartmentIndex:
    """Every active department that offers services, A to Z (then "#" for any other)."""
    summaries = [DepartmentSummary._make(row[:6]) for row in read(_OFFERING_DEPARTMENTS)]
    return DepartmentIndex(_by_letter(summaries), len(summaries))


def _by_letter(
    summaries: list[DepartmentSummary],
) -> list[tuple[str, list[DepartmentSummary]]]:
    """Departments under their first letter (A to Z, then "#" for any other), by name."""
    keyed = []
    for summary in summaries:  # each name's letter worked out once, not once a comparison
        name = summary[2]
        first = name[:1].upper()
        letter = first if first.isalpha() else "#"
        keyed.append((letter == "#", letter, name.casefold(), summary))
    keyed.sort(key=_first_three)
    return [(letter, [k[3] for k in group]) for letter, group in groupby(keyed, key=_second)]


_first_three = itemgetter(0, 1, 2)
_second = itemgetter(1)


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
