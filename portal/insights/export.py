"""CSV exports for a department's managers: its requests (with their measured figures)
and its scorecard (sections one under another, each with its header row: by priority, week
by week, who asked). Every cell is neutralised against spreadsheet formulas; check-in
answers are never exported (they belong to nobody)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from sqlalchemy import select

from portal.core import policy
from portal.extensions import db
from portal.insights.customer_groups import customer_groups
from portal.insights.figures import neutralise_cell
from portal.insights.scorecard import scorecard
from portal.models import (
    Department,
    RequestMeasure,
    SatisfactionRating,
    ServiceRequest,
    User,
)


def can_export(user: User, department: Department) -> bool:
    """The department's managers (and portal admins): the one rule, core policy."""
    return policy.manages(user, department)


def _write(rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([neutralise_cell(cell) for cell in row])
    return out.getvalue()


def _iso(value) -> str:
    return value.isoformat() if value is not None else ""


def requests_csv(department: Department) -> str:
    header = [
        "key",
        "title",
        "priority",
        "status",
        "created_at",
        "first_response_at",
        "resolved_at",
        "closed_at",
        "first_response_target_minutes",
        "first_response_business_minutes",
        "first_response_met",
        "resolution_target_minutes",
        "resolution_business_minutes",
        "resolution_met",
        "rating",
        "rating_comment",
    ]
    rows = db.session.execute(
        select(ServiceRequest, RequestMeasure, SatisfactionRating)
        .outerjoin(RequestMeasure, RequestMeasure.request_id == ServiceRequest.id)
        .outerjoin(SatisfactionRating, SatisfactionRating.request_id == ServiceRequest.id)
        .where(ServiceRequest.department_id == department.id)
        .order_by(ServiceRequest.id)
    )

    def lines():
        yield header
        for sr, m, rating in rows:
            yield [
                sr.key,
                sr.title,
                sr.priority.value,
                sr.status.value,
                _iso(sr.created_at),
                _iso(sr.first_response_at),
                _iso(sr.resolved_at),
                _iso(sr.closed_at),
                sr.first_response_target,
                m.first_minutes if m else "",
                ("yes" if m.first_met else "no") if m else "",
                sr.resolution_target,
                m.resolution_minutes if m else "",
                ("yes" if m.resolution_met else "no") if m else "",
                rating.score if rating else "",
                rating.comment if rating else "",
            ]

    return _write(lines())


def scorecard_csv(department: Department) -> str:
    card = scorecard(department)

    def number(value):
        return "" if value is None else round(value, 3)

    def lines():
        yield [
            "window_days",
            "priority",
            "promise_first_response_minutes",
            "promise_resolution_minutes",
            "resolved",
            "first_response_median_minutes",
            "first_response_p90_minutes",
            "first_response_within_share",
            "resolution_median_minutes",
            "resolution_p90_minutes",
            "resolution_within_share",
            "satisfaction_average",
            "satisfaction_count",
            "open_backlog",
        ]
        for window in card.windows:
            for row in window.rows:
                d = row.delivery
                yield [
                    window.days,
                    row.priority.value if row.priority else "all",
                    row.promise.first_response_minutes if row.promise else "",
                    row.promise.resolution_minutes if row.promise else "",
                    d.resolved,
                    number(d.first.median),
                    number(d.first.p90),
                    number(d.first.within),
                    number(d.resolution.median),
                    number(d.resolution.p90),
                    number(d.resolution.within),
                    number(d.rating_average),
                    d.rating_count,
                    row.backlog,
                ]
        yield []
        yield [
            "week_starting",
            "resolved",
            "first_response_within_share",
            "resolution_within_share",
            "first_response_median_minutes",
            "satisfaction_average",
        ]
        for week in card.weeks:
            yield [
                week.start.isoformat(),
                week.resolved,
                number(week.first_within),
                number(week.resolution_within),
                number(week.first_median),
                number(week.rating_average),
            ]
        yield []
        yield from _customer_group_lines(department, [w.days for w in card.windows], number)

    return _write(lines())


def _customer_group_lines(department: Department, windows: list[int], number):
    """The scorecard's "Who asked", every window as the first section has them: a row per
    customer group, and under Partners a row per organisation (the group's own row leaves
    `organisation` empty, as the first section's "all" row sums its priorities). Figures the
    page hides as too few stay empty here too."""
    yield [
        "window_days",
        "customer_group",
        "organisation",
        "requests",
        "resolved",
        "resolution_within_share",
        "resolution_median_minutes",
        "satisfaction_average",
        "satisfaction_count",
    ]
    for days in windows:
        for group in customer_groups(department, days):
            for name, row in [(None, group), *((o.group, o) for o in group.organisations)]:
                yield [
                    days,
                    group.group,
                    name or "",
                    row.asked,
                    row.resolved,
                    number(row.resolution.within),
                    number(row.resolution.median),
                    number(row.average_rating),
                    row.ratings,
                ]
