"""The strip's and the overview's windows (30 and 90 days, the trend's two 28-day periods),
summed from the rollup's days: each window holds exactly its own days, on a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import insert

from portal.extensions import db
from portal.insights import overview
from portal.models import Priority, ScorecardDay
from tests import factories
from tests.statements import count_statements

TODAY = date(2026, 3, 31)
NOW = datetime(2026, 3, 31, 12, tzinfo=UTC)


def _day(department, day: date, priority: Priority, resolved: int) -> dict:
    return {
        "department_id": department.id, "day": day, "priority": priority.value,
        "resolved": resolved, "first_minutes": [], "first_met": resolved // 2,
        "resolution_minutes": [], "resolution_met": resolved // 3,
        "rating_sum": 4 * (resolved % 5), "rating_count": resolved % 5,
    }


@pytest.fixture
def days(app):
    """Two departments with a different number of requests each day for 130 days (two
    priorities on some days), so every window's sums differ from its neighbours'."""
    busy = factories.make_department(name="Busy", slug="busy", timezone="UTC")
    quiet = factories.make_department(name="Quiet", slug="quiet", timezone="UTC")
    rows = []
    for back in range(130):
        day = TODAY - timedelta(days=back)
        rows.append(_day(busy, day, Priority.NORMAL, back + 1))
        if back % 3 == 0:
            rows.append(_day(busy, day, Priority.URGENT, 7))
        if back % 10 == 0:
            rows.append(_day(quiet, day, Priority.NORMAL, 2 * back + 3))
    db.session.execute(insert(ScorecardDay), rows)
    db.session.commit()
    return busy, quiet, rows


def _expected(rows, department, first: date, last: date) -> overview.Counts:
    mine = [r for r in rows if r["department_id"] == department.id and first <= r["day"] <= last]
    return overview.Counts(*(
        sum(r[k] for r in mine)
        for k in ("resolved", "first_met", "resolution_met", "rating_sum", "rating_count")
    ))


WINDOWS = {
    "30": (TODAY - timedelta(days=29), TODAY),
    "90": (TODAY - timedelta(days=89), TODAY),
    "recent": (TODAY - timedelta(days=27), TODAY),
    "before": (TODAY - timedelta(days=55), TODAY - timedelta(days=28)),
}


def test_each_window_sums_exactly_its_own_days(days):
    busy, quiet, rows = days
    found = overview._counts(None, overview._windows(TODAY))
    for department in (busy, quiet):
        for name, (first, last) in WINDOWS.items():
            assert found[(department.id, name)] == _expected(rows, department, first, last), name


def test_one_department_is_summed_alone_in_one_statement(days):
    busy, quiet, rows = days
    with count_statements() as seen:
        found = overview._counts([quiet.id], overview._windows(TODAY))
    assert len([s for s in seen if "scorecard_day" in s]) == 1
    assert {department_id for department_id, _ in found} == {quiet.id}
    assert found[(quiet.id, "before")] == _expected(rows, quiet, *WINDOWS["before"])


def test_a_window_without_days_has_no_counts_and_the_strip_reads_zero(app):
    lonely = factories.make_department(name="Lonely", slug="lonely", timezone="UTC")
    db.session.execute(insert(ScorecardDay), [_day(lonely, TODAY, Priority.NORMAL, 9)])
    db.session.commit()
    found = overview._counts([lonely.id], overview._windows(TODAY))
    assert found[(lonely.id, "30")].resolved == 9
    assert (lonely.id, "before") not in found
    strip = overview.strip_for(lonely, now=NOW)
    assert strip.last90.resolved == 9 and strip.trend == ""


def test_overlapping_and_apart_buckets_are_cut_into_ranges_no_day_is_in_twice():
    buckets = {
        "a": (date(2026, 1, 1), date(2026, 1, 31)),
        "b": (date(2026, 1, 20), date(2026, 2, 10)),
        "c": (date(2026, 3, 1), date(2026, 3, 1)),
    }
    assert overview._segments(buckets) == [
        (date(2026, 1, 1), date(2026, 1, 19)),
        (date(2026, 1, 20), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 2, 10)),
        (date(2026, 3, 1), date(2026, 3, 1)),
    ]
    assert overview._segments({}) == []
